package jit

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/seed0eaa3131/gotorch/internal/pickleguard"
)

// maxPickle bounds the pickles checkArchive reads: a module's data.pkl and
// constants.pkl describe its structure (tensors are separate records), a
// few KB to a few MB for real models.
const maxPickle = 256 << 20

// checkArchive checks in Go what libtorch's loader would otherwise meet
// unprepared: that path is a zip archive laid out as torch.jit.save lays
// one out (ARCHIVE/data.pkl, ARCHIVE/constants.pkl, ARCHIVE/code/...), and
// that its pickles are well formed (each opcode known, each argument
// within the bytes given).
func checkArchive(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("jit.Load: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("jit.Load: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("jit.Load %s: a directory, not a TorchScript file", path)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return fmt.Errorf("jit.Load %s: not a TorchScript file: torch.jit.save writes a zip archive, and this is not one (%v)", path, err)
	}
	var pickles []*zip.File
	records := map[string]*zip.File{}
	var hasData, hasConstants, hasCode bool
	for _, zf := range zr.File {
		_, rest, ok := strings.Cut(zf.Name, "/")
		if !ok {
			continue
		}
		records[rest] = zf
		switch {
		case rest == "data.pkl":
			hasData = true
			pickles = append(pickles, zf)
		case rest == "constants.pkl":
			hasConstants = true
			pickles = append(pickles, zf)
		case strings.HasPrefix(rest, "code/"):
			hasCode = true
		}
	}
	switch {
	case !hasData:
		return fmt.Errorf("jit.Load %s: not a TorchScript file: the zip archive has no data.pkl", path)
	case !hasConstants || !hasCode:
		return fmt.Errorf("jit.Load %s: a checkpoint written by torch.save, not TorchScript (no code/ or constants.pkl): nn.Load or torch.Load read it; torch.jit.save(torch.jit.script(model), path) writes TorchScript", path)
	}
	for _, zf := range pickles {
		if err := checkPickle(zf, records); err != nil {
			return fmt.Errorf("jit.Load %s: %s: %w", path, zf.Name, err)
		}
	}
	return nil
}

// checkPickle checks one of the archive's pickles: its opcodes, and that
// every storage it names is a record holding at least the bytes it
// declares (libtorch would otherwise read past the record's end, as
// PyTorch itself does).
func checkPickle(zf *zip.File, records map[string]*zip.File) error {
	if zf.UncompressedSize64 > maxPickle {
		return fmt.Errorf("declares %d bytes, more than the %d a TorchScript pickle may have", zf.UncompressedSize64, maxPickle)
	}
	r, err := zf.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, maxPickle+1))
	if err != nil {
		return err
	}
	if err := pickleguard.Scan(b); err != nil {
		return fmt.Errorf("a damaged pickle: %w", err)
	}
	dir := "data/"
	if strings.HasSuffix(zf.Name, "/constants.pkl") {
		dir = "constants/"
	}
	return checkStorages(b, func(key string) *zip.File {
		if f := records[dir+key]; f != nil {
			return f
		}
		return records[".data/"+key] // tensors shared between archives (libtorch 2.x)
	})
}

// checkStorages runs a pickle through gopickle with nothing callable: every
// class and function it names becomes an inert placeholder, and only the
// persistent ids ('storage', torch.FloatStorage, key, location, numel) are
// looked at.
func checkStorages(b []byte, record func(key string) *zip.File) (err error) {
	defer func() {
		// gopickle is not hardened against every malformed input (a pop
		// from an empty stack panics); a panic in it is a bad pickle.
		if r := recover(); r != nil {
			err = fmt.Errorf("a damaged pickle: %v", r)
		}
	}()
	var storageErr error
	u := pickle.NewUnpickler(bytes.NewReader(b))
	u.FindClass = func(module, name string) (any, error) { return inert{module + "." + name}, nil }
	u.PersistentLoad = func(id any) (any, error) {
		storageErr = checkStorage(id, record)
		return inert{"storage"}, storageErr
	}
	if _, err := u.Load(); err != nil {
		if storageErr != nil {
			return storageErr
		}
		return fmt.Errorf("a damaged pickle: %w", err)
	}
	return nil
}

func checkStorage(id any, record func(key string) *zip.File) error {
	t, ok := id.(*types.Tuple)
	if !ok || t.Len() != 5 {
		return fmt.Errorf("persistent id %v: expected ('storage', type, key, location, numel)", id)
	}
	class, _ := t.Get(1).(inert)
	key, _ := t.Get(2).(string)
	numel, ok := t.Get(4).(int)
	if !ok || numel < 0 {
		return fmt.Errorf("storage %q: element count %v is not a non-negative integer", key, t.Get(4))
	}
	size, ok := storageElementSize[strings.TrimPrefix(class.name, "torch.")]
	if !ok {
		return fmt.Errorf("storage %q of an unknown type %s", key, class.name)
	}
	f := record(key)
	if f == nil {
		return nil // libtorch reports the missing record
	}
	if numel > math.MaxInt64/size || uint64(numel*size) > f.UncompressedSize64 {
		return fmt.Errorf("storage %q declares %d elements of %d bytes, but its record holds %d bytes", key, numel, size, f.UncompressedSize64)
	}
	return nil
}

// storageElementSize is the bytes per element of torch's storage classes.
var storageElementSize = map[string]int{
	"FloatStorage": 4, "DoubleStorage": 8, "HalfStorage": 2, "BFloat16Storage": 2,
	"LongStorage": 8, "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1, "ByteStorage": 1, "BoolStorage": 1,
	"ComplexFloatStorage": 8, "ComplexDoubleStorage": 16, "ComplexHalfStorage": 4,
	"QInt8Storage": 1, "QUInt8Storage": 1, "QInt32Storage": 4, "QUInt4x2Storage": 1, "QUInt2x4Storage": 1,
	"Float8_e5m2Storage": 1, "Float8_e4m3fnStorage": 1, "Float8_e5m2fnuzStorage": 1, "Float8_e4m3fnuzStorage": 1,
	"UInt16Storage": 2, "UInt32Storage": 4, "UInt64Storage": 8,
}

// inert stands for every class, function and object a TorchScript pickle
// names: it can be called, instantiated and given state, and does nothing.
type inert struct{ name string }

func (c inert) Call(args ...any) (any, error)  { return c, nil }
func (c inert) PyNew(args ...any) (any, error) { return c, nil }
func (c inert) PySetState(state any) error     { return nil }
