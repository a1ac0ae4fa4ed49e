package nn

import (
	"bytes"
	"fmt"
	"math"
	"os"

	"github.com/nlpodyssey/safetensors"

	"github.com/seed0eaa3131/gotorch/torch"
)

// The safetensors format (the Hugging Face ecosystem's weight files): an
// 8-byte little-endian header length, a JSON header mapping each name to
// {"dtype", "shape", "data_offsets"} (plus an optional "__metadata__" of
// strings), then the raw little-endian data. Parsing and validation of the
// header (offsets contiguous and in bounds, sizes consistent, no overflow)
// are github.com/nlpodyssey/safetensors's, a port of the reference Rust
// implementation; this file converts between its views and tensors.

var toSafetensors = map[torch.DType]safetensors.DType{
	torch.Bool:     safetensors.BOOL,
	torch.Uint8:    safetensors.U8,
	torch.Int8:     safetensors.I8,
	torch.Int16:    safetensors.I16,
	torch.Int32:    safetensors.I32,
	torch.Int64:    safetensors.I64,
	torch.Float16:  safetensors.F16,
	torch.BFloat16: safetensors.BF16,
	torch.Float32:  safetensors.F32,
	torch.Float64:  safetensors.F64,
}

var fromSafetensors = func() map[safetensors.DType]torch.DType {
	m := map[safetensors.DType]torch.DType{}
	for t, s := range toSafetensors {
		m[s] = t
	}
	return m
}()

// view is a tensor's bytes as the safetensors writer wants them.
type view struct {
	dtype safetensors.DType
	shape []uint64
	data  []byte
}

func (v view) DType() safetensors.DType { return v.dtype }
func (v view) Shape() []uint64          { return v.shape }
func (v view) Data() []byte             { return v.data }
func (v view) DataLen() uint64          { return uint64(len(v.data)) }

// MarshalSafetensors encodes named tensors, and optional string metadata, in
// the safetensors format: safetensors.torch.save(tensors, metadata).
// Tensors may live on any device; their bytes are copied out in C order.
func MarshalSafetensors(tensors map[string]*torch.Tensor, metadata map[string]string) ([]byte, error) {
	views := make(map[string]view, len(tensors))
	for name, t := range tensors {
		if t == nil {
			return nil, fmt.Errorf("nn: safetensors: tensor %q is nil", name)
		}
		if name == "__metadata__" {
			return nil, fmt.Errorf("nn: safetensors: %q is reserved for the metadata and cannot name a tensor", name)
		}
		dt, ok := toSafetensors[t.DType()]
		if !ok {
			return nil, fmt.Errorf("nn: safetensors: tensor %q has dtype %v, which the format cannot hold", name, t.DType())
		}
		shape := make([]uint64, 0, t.Dim())
		for _, d := range t.Shape() {
			shape = append(shape, uint64(d))
		}
		views[name] = view{dtype: dt, shape: shape, data: t.Bytes()}
	}
	return safetensors.Serialize(views, metadata)
}

// UnmarshalSafetensors decodes a safetensors file held in memory into CPU
// tensors and the file's metadata: safetensors.torch.load(data) (which drops
// the metadata). Malformed input returns an error, never a panic.
func UnmarshalSafetensors(data []byte) (map[string]*torch.Tensor, map[string]string, error) {
	st, err := safetensors.Deserialize(data)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: safetensors: %w", err)
	}
	out := make(map[string]*torch.Tensor, st.Len())
	for _, nt := range st.Tensors() {
		dt, ok := fromSafetensors[nt.TensorView.DType()]
		if !ok {
			return nil, nil, fmt.Errorf("nn: safetensors: tensor %q has dtype %v, which torch has no type for", nt.Name, nt.TensorView.DType())
		}
		shape := make([]int64, len(nt.TensorView.Shape()))
		for i, d := range nt.TensorView.Shape() {
			if d > math.MaxInt64 {
				return nil, nil, fmt.Errorf("nn: safetensors: tensor %q has shape %v: expected sizes below 2^63", nt.Name, nt.TensorView.Shape())
			}
			shape[i] = int64(d)
		}
		var t *torch.Tensor
		if err := torch.Catch(func() {
			t = torch.FromBytes(nt.TensorView.Data(), dt, shape...)
			if len(shape) == 0 {
				t = t.Reshape() // FromBytes makes 1-D tensors when given no shape
			}
		}); err != nil {
			return nil, nil, fmt.Errorf("nn: safetensors: tensor %q: %w", nt.Name, err)
		}
		out[nt.Name] = t
	}
	meta, err := readMetadata(data)
	if err != nil {
		return nil, nil, err
	}
	return out, meta, nil
}

// readMetadata returns the "__metadata__" of a header that Deserialize has
// already accepted.
func readMetadata(data []byte) (map[string]string, error) {
	_, md, err := safetensors.ReadMetadata(data)
	if err != nil {
		return nil, fmt.Errorf("nn: safetensors: %w", err)
	}
	return md.Metadata(), nil
}

// WriteSafetensors writes named tensors and optional metadata to path in
// the safetensors format: safetensors.torch.save_file(tensors, path,
// metadata).
func WriteSafetensors(path string, tensors map[string]*torch.Tensor, metadata map[string]string) error {
	data, err := MarshalSafetensors(tensors, metadata)
	if err != nil {
		return fmt.Errorf("%w (writing %s)", err, path)
	}
	return os.WriteFile(path, data, 0o644)
}

// ReadSafetensors reads a safetensors file into CPU tensors and its
// metadata: safetensors.torch.load_file(path) (which drops the metadata).
func ReadSafetensors(path string) (map[string]*torch.Tensor, map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: safetensors: %w", err)
	}
	if len(data) >= 8 && bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, nil, fmt.Errorf("nn: safetensors: %s is a zip archive (a torch.save file?): expected an 8-byte header length then a JSON header; use Load", path)
	}
	t, md, err := UnmarshalSafetensors(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (reading %s)", err, path)
	}
	return t, md, nil
}

// SaveSafetensors writes model's state_dict to path in the safetensors
// format, with the metadata {"format": "pt"} that Hugging Face's loaders
// look for: safetensors.torch.save_model(model, path).
func SaveSafetensors(model any, path string) error {
	return WriteSafetensors(path, StateDict(model), map[string]string{"format": "pt"})
}

// LoadSafetensors loads a safetensors file into model's existing parameters
// as LoadStateDict does: safetensors.torch.load_model(model, path, strict).
func LoadSafetensors(model any, path string, strict bool) error {
	sd, _, err := ReadSafetensors(path)
	if err != nil {
		return err
	}
	if err := LoadStateDict(model, sd, strict); err != nil {
		return fmt.Errorf("nn: load %s: %w", path, err)
	}
	return nil
}
