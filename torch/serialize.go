package torch

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Save writes named tensors to path in the format of Python's torch.save:
// torch.save(dict, path). Python's torch.load(path) returns an OrderedDict
// of str to Tensor, also with weights_only=True (the default since PyTorch
// 2.6), on every PyTorch from 1.6 on. Keys are written in sorted order;
// tensors on other devices are copied to the CPU (a CUDA tensor loads on
// the CPU, as with map_location="cpu"), and views are saved as the
// contiguous tensors they show, each with its own storage.
//
// The file is written beside path and renamed over it when complete, so a
// failed save never leaves a half-written checkpoint behind.
func Save(tensors map[string]*Tensor, path string) error {
	return SaveOrdered(tensors, sortedKeys(tensors), path)
}

// SaveOrdered is Save with the keys written in the given order, which
// Python's OrderedDict keeps: nn.Save passes a model's state_dict keys in
// PyTorch's order, so list(torch.load(path)) is list(model.state_dict()).
// keys must name each key of tensors once.
func SaveOrdered(tensors map[string]*Tensor, keys []string, path string) error {
	if len(keys) != len(tensors) {
		return fmt.Errorf("torch: save %s: %d keys given for %d tensors", path, len(keys), len(tensors))
	}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if _, ok := tensors[k]; !ok || seen[k] {
			return fmt.Errorf("torch: save %s: key %q is not in the dict or given twice", path, k)
		}
		seen[k] = true
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("torch: save %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a panic too; a no-op once renamed
	err = writeCheckpoint(f, keys, tensors)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("torch: save %s: %w", path, err)
	}
	return nil
}

// Marshal is Save to memory.
func Marshal(tensors map[string]*Tensor) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeCheckpoint(&buf, sortedKeys(tensors), tensors); err != nil {
		return nil, fmt.Errorf("torch: save: %w", err)
	}
	return buf.Bytes(), nil
}

func sortedKeys(tensors map[string]*Tensor) []string {
	keys := make([]string, 0, len(tensors))
	for k := range tensors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Load reads a file of named tensors that torch.save(dict, path) wrote, in
// Python or by Save: torch.load(path, weights_only=True), e.g. of
// model.state_dict(). Tensors come back on the CPU, contiguous, each with
// its own storage, and with requires_grad as saved.
//
// Load is a weights-only reader written in Go: the file's pickle may name
// only what a dict of tensors needs (the allow-list of PyTorch's
// weights-only unpickler), and anything else is refused with an error
// before it could be called. Every length and shape is checked against the
// bytes the file holds, so a truncated or hostile file gives an error, not
// a crash or wrong values. TorchScript archives (torch.jit.save) and
// torch.save's legacy format from before PyTorch 1.6 are refused with a
// message that says so.
func Load(path string) (map[string]*Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("torch: load: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("torch: load: %w", err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("torch: load %s: is a folder, expected a torch.save file", path)
	}
	m, err := readCheckpoint(f, info.Size())
	if err != nil {
		return nil, fmt.Errorf("torch: load %s: %w", path, err)
	}
	return m, nil
}

// Unmarshal is Load from memory.
func Unmarshal(data []byte) (map[string]*Tensor, error) {
	m, err := readCheckpoint(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("torch: load: %w", err)
	}
	return m, nil
}
