package torch

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/seed0eaa3131/gotorch/internal/pickleguard"
)

// maxPickleBytes bounds data.pkl: a state_dict's pickle takes about 200
// bytes per tensor, so 256 MiB is over a million tensors.
const maxPickleBytes = 256 << 20

// readCheckpoint reads a torch.save zip archive of a dict of str to tensors
// (Python's torch.save(model.state_dict()) or Save) from r, size bytes long.
//
// It is a weights-only reader, like torch.load(f, weights_only=True): the
// pickle may name only collections.OrderedDict, torch._utils'
// _rebuild_tensor_v2 and _rebuild_parameter, the typed storage classes
// (torch.FloatStorage, ...) and torch.jit._pickle.restore_type_tag (which
// libtorch's own writer adds); anything else is refused before it could be
// called, and nothing in the file is ever run. Every length, offset and
// shape is checked against the bytes the archive really holds before memory
// is allocated for it.
func readCheckpoint(r io.ReaderAt, size int64) (map[string]*Tensor, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, notCheckpoint(r, size, err)
	}
	records, err := archiveRecords(zr)
	if err != nil {
		return nil, err
	}
	if _, ok := records["constants.pkl"]; ok {
		return nil, errors.New("this is a TorchScript archive (torch.jit.save), not torch.save's: expected a dict of tensors (jit.Load, in package torch/jit, loads TorchScript)")
	}
	pkl, ok := records["data.pkl"]
	if !ok {
		return nil, errors.New("expected a torch.save archive, found a zip without data.pkl")
	}
	code, err := readRecord(r, size, pkl, maxPickleBytes)
	if err != nil {
		return nil, err
	}
	if err := pickleguard.Scan(code); err != nil {
		return nil, fmt.Errorf("data.pkl is not a valid pickle: %w", err)
	}
	u := &checkpointUnpickler{r: r, size: size, records: records, storages: map[string]*storage{}}
	v, err := u.unpickle(code)
	if err != nil {
		return nil, err
	}
	return u.savedTensors(v)
}

// notCheckpoint explains a file that is not a zip archive.
func notCheckpoint(r io.ReaderAt, size int64, zipErr error) error {
	head := make([]byte, 2)
	if n, _ := r.ReadAt(head, 0); n == 2 && head[0] == 0x80 && head[1] <= 5 {
		return errors.New("this is torch.save's legacy format (PyTorch before 1.6, or _use_new_zipfile_serialization=False), " +
			"which gotorch does not read: load it in Python and torch.save it again")
	}
	if size == 0 {
		return errors.New("expected a torch.save zip archive, found an empty file")
	}
	return fmt.Errorf("expected a torch.save zip archive, found %d bytes that are not one (%v)", size, zipErr)
}

// archiveRecords maps the records of a torch.save archive by their name
// inside its one top folder, as PyTorch's reader sees them.
func archiveRecords(zr *zip.Reader) (map[string]*zip.File, error) {
	if len(zr.File) == 0 {
		return nil, errors.New("expected a torch.save archive, found an empty zip")
	}
	folder, _, ok := strings.Cut(zr.File[0].Name, "/")
	if !ok {
		return nil, fmt.Errorf("expected a torch.save archive (records in one folder), found a record %q at the top", zr.File[0].Name)
	}
	records := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, folder+"/")
		if !ok {
			return nil, fmt.Errorf("expected a torch.save archive (records in one folder %s/), found %q", folder, f.Name)
		}
		records[name] = f
	}
	return records, nil
}

// readRecord reads one record, refusing one larger than limit bytes or one
// whose declared size is not there in the file, before allocating.
func readRecord(r io.ReaderAt, size int64, f *zip.File, limit uint64) ([]byte, error) {
	return readRecordInto(nil, r, size, f, limit)
}

// readRecordInto is readRecord into buf's memory where it is large enough
// (storages, read one after another into one buffer).
func readRecordInto(buf []byte, r io.ReaderAt, size int64, f *zip.File, limit uint64) ([]byte, error) {
	if f.UncompressedSize64 > limit {
		return nil, fmt.Errorf("record %s declares %d bytes, more than the %d allowed", f.Name, f.UncompressedSize64, limit)
	}
	off, err := f.DataOffset()
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", f.Name, err)
	}
	if off < 0 || f.CompressedSize64 > uint64(size-off) {
		return nil, fmt.Errorf("record %s declares %d bytes at offset %d, but the file has %d bytes", f.Name, f.CompressedSize64, off, size)
	}
	switch f.Method {
	case zip.Store:
		if f.UncompressedSize64 != f.CompressedSize64 {
			return nil, fmt.Errorf("record %s is stored with %d bytes but declares %d uncompressed", f.Name, f.CompressedSize64, f.UncompressedSize64)
		}
	case zip.Deflate:
	default:
		return nil, fmt.Errorf("record %s uses zip method %d; torch.save archives are stored", f.Name, f.Method)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", f.Name, err)
	}
	defer rc.Close()
	n := int(f.UncompressedSize64)
	if f.Method == zip.Store {
		// The size is there in the file (checked above): read it in place.
		if cap(buf) < n {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		if _, err := io.ReadFull(rc, buf); err != nil {
			return nil, fmt.Errorf("record %s: %w", f.Name, err)
		}
		if _, err := rc.Read(make([]byte, 1)); err != io.EOF { // the checksum, checked at the end
			if err == nil {
				err = errors.New("longer than declared")
			}
			return nil, fmt.Errorf("record %s: %w", f.Name, err)
		}
		return buf, nil
	}
	// bytes.Buffer grows with what is really read, so a deflated record
	// that lies about its size cannot make us allocate it up front.
	var b bytes.Buffer
	if _, err := io.Copy(&b, io.LimitReader(rc, int64(n)+1)); err != nil {
		return nil, fmt.Errorf("record %s: %w", f.Name, err)
	}
	if b.Len() != n {
		return nil, fmt.Errorf("record %s declares %d bytes but holds %d", f.Name, n, b.Len())
	}
	return b.Bytes(), nil
}

// storage is one storage record: its dtype and length, checked against the
// record while unpickling; its bytes are read only when its tensors are
// made (savedTensors), one storage at a time.
type storage struct {
	key   string
	dtype DType
	numel int64
	rec   *zip.File
	data  []byte // while its tensors are made
}

// storageType is a pickled typed storage class, torch.FloatStorage.
type storageType struct{ dtype DType }

// savedTensor is what _rebuild_tensor_v2 describes: a strided view of a
// storage.
type savedTensor struct {
	storage      *storage
	offset       int64
	size, stride []int64
	requiresGrad bool
}

type checkpointUnpickler struct {
	r        io.ReaderAt
	size     int64
	records  map[string]*zip.File
	storages map[string]*storage
}

func (u *checkpointUnpickler) unpickle(code []byte) (v any, err error) {
	defer func() {
		// gopickle is not hardened against every malformed input (a pop
		// from an empty stack panics); a panic in it is a bad file.
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("data.pkl is not a valid pickle: %v", r)
		}
	}()
	up := pickle.NewUnpickler(bytes.NewReader(code))
	up.FindClass = findCheckpointClass
	up.PersistentLoad = u.persistentLoad
	v, err = up.Load()
	if err != nil {
		return nil, fmt.Errorf("data.pkl: %w", err)
	}
	return v, nil
}

// findCheckpointClass is the allow-list. gopickle itself resolves
// collections.OrderedDict (and a few builtins that build plain values)
// before asking.
func findCheckpointClass(module, name string) (any, error) {
	full := module + "." + name
	switch full {
	case "torch._utils._rebuild_tensor_v2":
		return callable(rebuildTensor), nil
	case "torch._utils._rebuild_parameter":
		return callable(rebuildParameter), nil
	case "torch.jit._pickle.restore_type_tag":
		return callable(restoreTypeTag), nil
	}
	if module == "torch" {
		for d, class := range storageClass {
			if class == name {
				return storageType{d}, nil
			}
		}
	}
	return nil, fmt.Errorf("the pickle names %s, which is not on the weights-only allow-list "+
		"(tensors and dicts of them, as torch.load(weights_only=True)); nothing was run", full)
}

type callable func(args ...any) (any, error)

func (c callable) Call(args ...any) (any, error) { return c(args...) }

// rebuildTensor is torch._utils._rebuild_tensor_v2(storage, storage_offset,
// size, stride, requires_grad, backward_hooks[, metadata]).
func rebuildTensor(args ...any) (any, error) {
	if len(args) < 5 {
		return nil, fmt.Errorf("_rebuild_tensor_v2 takes at least 5 arguments, got %d", len(args))
	}
	st, ok := args[0].(*storage)
	if !ok {
		return nil, fmt.Errorf("_rebuild_tensor_v2 of %T, want a storage", args[0])
	}
	off, ok := pickledInt(args[1])
	if !ok {
		return nil, fmt.Errorf("_rebuild_tensor_v2: storage offset %v is not an integer", args[1])
	}
	size, err := pickledInts(args[2])
	if err != nil {
		return nil, fmt.Errorf("_rebuild_tensor_v2: size: %w", err)
	}
	stride, err := pickledInts(args[3])
	if err != nil {
		return nil, fmt.Errorf("_rebuild_tensor_v2: stride: %w", err)
	}
	rg, ok := args[4].(bool)
	if !ok {
		return nil, fmt.Errorf("_rebuild_tensor_v2: requires_grad %v is not a bool", args[4])
	}
	t := &savedTensor{storage: st, offset: off, size: size, stride: stride, requiresGrad: rg}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("storage %s: %w", st.key, err)
	}
	return t, nil
}

// rebuildParameter is torch._utils._rebuild_parameter(data, requires_grad,
// backward_hooks): torch.save of an nn.Parameter.
func rebuildParameter(args ...any) (any, error) {
	if len(args) != 3 {
		return nil, fmt.Errorf("_rebuild_parameter takes 3 arguments, got %d", len(args))
	}
	t, ok := args[0].(*savedTensor)
	if !ok {
		return nil, fmt.Errorf("_rebuild_parameter of %T, want a tensor", args[0])
	}
	rg, ok := args[1].(bool)
	if !ok {
		return nil, fmt.Errorf("_rebuild_parameter: requires_grad %v is not a bool", args[1])
	}
	p := *t
	p.requiresGrad = rg
	return &p, nil
}

// restoreTypeTag is torch.jit._pickle.restore_type_tag(value, type_str),
// which libtorch's pickler writes around typed dicts: the value itself.
func restoreTypeTag(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("restore_type_tag takes 2 arguments, got %d", len(args))
	}
	return args[0], nil
}

// persistentLoad resolves ('storage', storage_type, key, location, numel)
// to the storage record data/KEY, which must hold exactly numel elements.
// The location (a device) is ignored: tensors load on the CPU, as
// torch.load(f, map_location="cpu").
func (u *checkpointUnpickler) persistentLoad(id any) (any, error) {
	t, ok := id.(*types.Tuple)
	if !ok || t.Len() != 5 {
		return nil, fmt.Errorf("persistent id %v: expected ('storage', type, key, location, numel)", id)
	}
	if kind, _ := t.Get(0).(string); kind != "storage" {
		return nil, fmt.Errorf("persistent id of kind %v: expected 'storage'", t.Get(0))
	}
	typ, ok := t.Get(1).(storageType)
	if !ok {
		return nil, fmt.Errorf("persistent id with storage type %v: expected a typed storage class", t.Get(1))
	}
	key, ok := t.Get(2).(string)
	if !ok {
		return nil, fmt.Errorf("persistent id with key %v: expected a string", t.Get(2))
	}
	numel, ok := pickledInt(t.Get(4))
	if !ok || numel < 0 {
		return nil, fmt.Errorf("storage %s: element count %v is not a non-negative integer", key, t.Get(4))
	}
	if st, ok := u.storages[key]; ok {
		if st.dtype != typ.dtype {
			return nil, fmt.Errorf("storage %s is read as %v and as %v", key, st.dtype, typ.dtype)
		}
		return st, nil
	}
	f, ok := u.records["data/"+key]
	if !ok {
		return nil, fmt.Errorf("storage %s: the archive has no record data/%s", key, key)
	}
	elem := int64(typ.dtype.ElementSize())
	if numel > math.MaxInt64/elem {
		return nil, fmt.Errorf("storage %s: %d elements of %v overflow", key, numel, typ.dtype)
	}
	want := uint64(numel * elem)
	if f.UncompressedSize64 != want {
		return nil, fmt.Errorf("storage %s declares %d elements of %v (%d bytes), but its record holds %d bytes",
			key, numel, typ.dtype, want, f.UncompressedSize64)
	}
	st := &storage{key: key, dtype: typ.dtype, numel: numel, rec: f}
	u.storages[key] = st
	return st, nil
}

// check verifies that the view stays inside its storage.
func (t *savedTensor) check() error {
	if len(t.stride) != len(t.size) {
		return fmt.Errorf("%d sizes but %d strides", len(t.size), len(t.stride))
	}
	numel := t.storage.numel
	n, last := int64(1), t.offset
	for i, s := range t.size {
		st := t.stride[i]
		if s < 0 || st < 0 {
			return fmt.Errorf("negative size or stride in %v / %v", t.size, t.stride)
		}
		if s > 0 && n > math.MaxInt64/s {
			return fmt.Errorf("size %v overflows", t.size)
		}
		n *= s
		if s > 0 {
			if st > 0 && s-1 > (math.MaxInt64-last)/st {
				return fmt.Errorf("strides %v overflow", t.stride)
			}
			last += (s - 1) * st
		}
	}
	if n > 0 && (t.offset < 0 || last >= numel) {
		return fmt.Errorf("a view (offset %d, size %v, stride %v) reaches past its storage of %d elements",
			t.offset, t.size, t.stride, numel)
	}
	return nil
}

// bytes gathers the view's elements in C order.
func (t *savedTensor) bytes() []byte {
	es := int64(t.storage.dtype.ElementSize())
	n := Size(t.size).Numel()
	if n == 0 {
		return nil
	}
	if isContiguous(t.size, t.stride) {
		return t.storage.data[t.offset*es : (t.offset+n)*es]
	}
	out := make([]byte, 0, n*es)
	index := make([]int64, len(t.size))
	for range n {
		pos := t.offset
		for d, i := range index {
			pos += i * t.stride[d]
		}
		out = append(out, t.storage.data[pos*es:(pos+1)*es]...)
		for d := len(index) - 1; d >= 0; d-- { // advance the C-order counter
			index[d]++
			if index[d] < t.size[d] {
				break
			}
			index[d] = 0
		}
	}
	return out
}

// isContiguous reports whether strides are C order's for size (sizes of 1
// may have any stride).
func isContiguous(size, stride []int64) bool {
	want := int64(1)
	for i := len(size) - 1; i >= 0; i-- {
		if size[i] != 1 && stride[i] != want {
			return false
		}
		want *= size[i]
	}
	return true
}

// savedTensors turns the unpickled dict into tensors, or explains what it
// is instead. Storages are read one at a time into one buffer, and their
// tensors made from it before the next is read: the Go heap holds at most
// the largest storage, not the whole checkpoint beside its tensors.
func (u *checkpointUnpickler) savedTensors(v any) (map[string]*Tensor, error) {
	type entry struct {
		k any
		v any
	}
	var entries []entry
	switch d := v.(type) {
	case *types.OrderedDict:
		for e := d.List.Front(); e != nil; e = e.Next() {
			oe := e.Value.(*types.OrderedDictEntry)
			entries = append(entries, entry{oe.Key, oe.Value})
		}
	case *types.Dict:
		for _, e := range *d {
			entries = append(entries, entry{e.Key, e.Value})
		}
	case *savedTensor:
		return nil, errors.New("expected a dict of tensors, found one tensor (torch.save(tensor)): save {\"name\": tensor} instead")
	default:
		return nil, fmt.Errorf("expected a dict of tensors (a state_dict), found %s", pickledKind(v))
	}
	for _, e := range entries {
		name, ok := e.k.(string)
		if !ok {
			return nil, fmt.Errorf("expected a dict with string keys, found the key %v (%s)", e.k, pickledKind(e.k))
		}
		if _, ok := e.v.(*savedTensor); !ok {
			return nil, fmt.Errorf("expected a dict of tensors, found %s for key %q", pickledKind(e.v), name)
		}
	}
	// Only now, with every entry checked, are tensors made: storage by
	// storage, in the order the dict first names them.
	var order []*storage
	byStorage := map[*storage][]entry{}
	for _, e := range entries {
		st := e.v.(*savedTensor).storage
		if _, ok := byStorage[st]; !ok {
			order = append(order, st)
		}
		byStorage[st] = append(byStorage[st], e)
	}
	out := make(map[string]*Tensor, len(entries))
	var buf []byte
	for _, st := range order {
		data, err := readRecordInto(buf, u.r, u.size, st.rec, uint64(st.numel)*uint64(st.dtype.ElementSize()))
		if err != nil {
			for _, t := range out {
				t.Free()
			}
			return nil, err
		}
		if cap(data) > cap(buf) && st.rec.Method == zip.Store {
			buf = data
		}
		st.data = data
		for _, e := range byStorage[st] {
			sv := e.v.(*savedTensor)
			t := FromBytes(sv.bytes(), st.dtype, Size(sv.size).Numel())
			if len(sv.size) == 0 {
				t = t.Reshape()
			} else {
				t = t.Reshape(sv.size...)
			}
			if sv.requiresGrad {
				t.SetRequiresGrad(true)
			}
			out[e.k.(string)] = t
		}
		st.data = nil
	}
	return out, nil
}

// pickledKind names a decoded pickle value the way a Python user would.
func pickledKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		return "a bool"
	case int, int64:
		return "an int"
	case float64:
		return "a float"
	case string:
		return "a str"
	case *types.List:
		return "a list"
	case *types.Tuple:
		return "a tuple"
	case *types.Dict, *types.OrderedDict:
		return "a dict"
	case *storage:
		return "a storage"
	case *savedTensor:
		return "a tensor"
	default:
		return fmt.Sprintf("%T", x)
	}
}

func pickledInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

func pickledInts(v any) ([]int64, error) {
	t, ok := v.(*types.Tuple)
	if !ok {
		if s, ok := v.(*types.List); ok {
			t = types.NewTupleFromSlice(*s)
		} else {
			return nil, fmt.Errorf("expected a tuple of ints, found %s", pickledKind(v))
		}
	}
	out := make([]int64, t.Len())
	for i := range out {
		n, ok := pickledInt(t.Get(i))
		if !ok {
			return nil, fmt.Errorf("expected a tuple of ints, found %v at %d", t.Get(i), i)
		}
		out[i] = n
	}
	return out, nil
}
