package datasets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"unsafe"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/seed0eaa3131/gotorch/internal/pickleguard"
)

// unpickle decodes a Python pickle as pickle.load(f, encoding="latin1")
// does for CIFAR's files, which Python 2 wrote with protocol 2: Python 2
// strings come back as Go strings of their bytes, numpy arrays as
// *ndarray. Before decoding, pickleguard.Scan checks that every opcode's
// argument fits in the file, so a truncated or hostile file cannot make the
// decoder allocate more than the file holds; any panic inside the decoder
// becomes an error.
func unpickle(name string, b []byte) (v any, err error) {
	if err := pickleguard.Scan(b); err != nil {
		return nil, fmt.Errorf("%s: not a valid pickle: %w", name, err)
	}
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("%s: not a valid pickle: %v", name, r)
		}
	}()
	u := pickle.NewUnpickler(bytes.NewReader(b))
	u.FindClass = findClass
	v, err = u.Load()
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid pickle: %w", name, err)
	}
	return v, nil
}

// findClass resolves the globals CIFAR's pickles use: numpy's array
// reconstruction (numpy.core before numpy 2, numpy._core after; protocol 5
// uses _frombuffer), and
// _codecs.encode, which Python 3 uses to write bytes at protocol 2. Other
// globals are refused: a dataset file has no business naming them.
func findClass(module, name string) (any, error) {
	switch module + "." + name {
	case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
		return reconstructFunc{}, nil
	case "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer":
		return frombufferFunc{}, nil
	case "numpy.ndarray":
		return ndarrayClass{}, nil
	case "numpy.dtype":
		return dtypeClass{}, nil
	case "_codecs.encode":
		return codecsEncode{}, nil
	}
	return nil, fmt.Errorf("the pickle refers to %s.%s, which a dataset file does not use", module, name)
}

// ndarray is a numpy array as numpy pickles it: ndarray.__setstate__'s
// (version, shape, dtype, is_fortran, raw bytes).
type ndarray struct {
	shape   []int
	dtype   *dtype
	fortran bool
	data    []byte
}

type ndarrayClass struct{}

// reconstructFunc is numpy.core.multiarray._reconstruct(ndarray, (0,), b'b'):
// an empty array that BUILD then fills.
type reconstructFunc struct{}

func (reconstructFunc) Call(args ...any) (any, error) {
	if len(args) != 3 {
		return nil, fmt.Errorf("numpy _reconstruct takes 3 arguments, got %d", len(args))
	}
	if _, ok := args[0].(ndarrayClass); !ok {
		return nil, fmt.Errorf("numpy _reconstruct of %T, want numpy.ndarray", args[0])
	}
	return &ndarray{}, nil
}

// frombufferFunc is numpy.core.numeric._frombuffer(buffer, dtype, shape,
// order), numpy's reduction at pickle protocol 5.
type frombufferFunc struct{}

func (frombufferFunc) Call(args ...any) (any, error) {
	if len(args) != 4 {
		return nil, fmt.Errorf("numpy _frombuffer takes 4 arguments, got %d", len(args))
	}
	data, ok := asBytes(args[0])
	if !ok {
		return nil, fmt.Errorf("numpy _frombuffer of %T, want bytes", args[0])
	}
	a := &ndarray{data: data}
	if a.dtype, ok = args[1].(*dtype); !ok {
		return nil, fmt.Errorf("numpy _frombuffer dtype is %T, want numpy.dtype", args[1])
	}
	if err := a.setShape(args[2]); err != nil {
		return nil, err
	}
	order, ok := asString(args[3])
	if !ok || (order != "C" && order != "F") {
		return nil, fmt.Errorf("numpy _frombuffer order is %v, want \"C\" or \"F\"", args[3])
	}
	a.fortran = order == "F"
	return a, nil
}

func (a *ndarray) setShape(v any) error {
	shape, ok := v.(*types.Tuple)
	if !ok {
		return fmt.Errorf("numpy array shape is %T, want a tuple", v)
	}
	for _, d := range *shape {
		n, ok := d.(int)
		if !ok || n < 0 {
			return fmt.Errorf("numpy array shape %v is not a tuple of sizes", []any(*shape))
		}
		a.shape = append(a.shape, n)
	}
	return nil
}

// PySetState is ndarray.__setstate__.
func (a *ndarray) PySetState(state any) error {
	t, ok := state.(*types.Tuple)
	if !ok {
		return fmt.Errorf("numpy array state is %T, want a tuple", state)
	}
	s := []any(*t)
	if len(s) == 5 {
		s = s[1:] // drop the version
	}
	if len(s) != 4 {
		return fmt.Errorf("numpy array state has %d items, want 4 or 5", len(*t))
	}
	if err := a.setShape(s[0]); err != nil {
		return err
	}
	if a.dtype, ok = s[1].(*dtype); !ok {
		return fmt.Errorf("numpy array dtype is %T, want numpy.dtype", s[1])
	}
	if a.fortran, ok = asBool(s[2]); !ok {
		return fmt.Errorf("numpy array is_fortran is %T, want a bool", s[2])
	}
	if a.data, ok = asBytes(s[3]); !ok {
		return fmt.Errorf("numpy array data is %T, want bytes (an object array is not image data)", s[3])
	}
	return nil
}

// numel is the product of the shape, or -1 when it overflows.
func (a *ndarray) numel() int {
	n := 1
	for _, d := range a.shape {
		if d != 0 && n > (1<<48)/d {
			return -1
		}
		n *= d
	}
	return n
}

// dtype is numpy.dtype("u1") and the like, with the byte order BUILD sets.
type dtype struct {
	kind  string // "u1", "i8", ...
	order string // "|", "<", ">", "="
}

type dtypeClass struct{}

// Call is numpy.dtype(kind, align, copy).
func (dtypeClass) Call(args ...any) (any, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("numpy.dtype without arguments")
	}
	kind, ok := asString(args[0])
	if !ok {
		return nil, fmt.Errorf("numpy.dtype(%T), want a type string", args[0])
	}
	return &dtype{kind: kind, order: "|"}, nil
}

// PySetState is dtype.__setstate__: (version, byteorder, ...).
func (d *dtype) PySetState(state any) error {
	t, ok := state.(*types.Tuple)
	if !ok || t.Len() < 2 {
		return fmt.Errorf("numpy dtype state is %T, want a tuple of at least 2", state)
	}
	if d.order, ok = asString(t.Get(1)); !ok {
		return fmt.Errorf("numpy dtype byte order is %T, want a string", t.Get(1))
	}
	return nil
}

func (d *dtype) String() string { return d.order + d.kind }

// size is the element size of an integer dtype, 0 for other kinds.
func (d *dtype) intSize() int {
	if len(d.kind) == 2 && (d.kind[0] == 'u' || d.kind[0] == 'i') && strings.ContainsAny(d.kind[1:], "1248") {
		return int(d.kind[1] - '0')
	}
	return 0
}

// ints returns an integer array's values as int64.
func (a *ndarray) ints() ([]int64, error) {
	size := a.dtype.intSize()
	if size == 0 || a.dtype.order == ">" {
		return nil, fmt.Errorf("numpy array of %v, want little-endian integers", a.dtype)
	}
	n := a.numel()
	if n < 0 || len(a.data) != n*size {
		return nil, fmt.Errorf("numpy array of shape %v and dtype %v has %d bytes of data, want %d", a.shape, a.dtype, len(a.data), n*size)
	}
	out := make([]int64, n)
	signed := a.dtype.kind[0] == 'i'
	for i := range out {
		b := a.data[i*size:]
		switch {
		case size == 1 && signed:
			out[i] = int64(int8(b[0]))
		case size == 1:
			out[i] = int64(b[0])
		case size == 2 && signed:
			out[i] = int64(int16(binary.LittleEndian.Uint16(b)))
		case size == 2:
			out[i] = int64(binary.LittleEndian.Uint16(b))
		case size == 4 && signed:
			out[i] = int64(int32(binary.LittleEndian.Uint32(b)))
		case size == 4:
			out[i] = int64(binary.LittleEndian.Uint32(b))
		default:
			out[i] = int64(binary.LittleEndian.Uint64(b))
		}
	}
	return out, nil
}

// codecsEncode is _codecs.encode(str, "latin1"): Python 3's way of writing
// bytes at protocol 2.
type codecsEncode struct{}

func (codecsEncode) Call(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("_codecs.encode takes 2 arguments, got %d", len(args))
	}
	s, ok1 := args[0].(string)
	enc, ok2 := args[1].(string)
	if !ok1 || !ok2 || (enc != "latin1" && enc != "latin-1") {
		return nil, fmt.Errorf("_codecs.encode(%T, %v), want a string and \"latin1\"", args[0], args[1])
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return nil, fmt.Errorf("_codecs.encode: character %U is not latin1", r)
		}
		out = append(out, byte(r))
	}
	return out, nil
}

// asString accepts Python 2 strings (Go strings) and bytes, decoded as
// latin1 would leave them.
func asString(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case []byte:
		return string(s), true
	}
	return "", false
}

// asBytes is a pickled byte string's bytes. A string's (Python 2's str,
// which CIFAR's own batches use) are returned without a copy, 30 MB a batch:
// they must only be read.
func asBytes(v any) ([]byte, bool) {
	switch s := v.(type) {
	case string:
		return unsafe.Slice(unsafe.StringData(s), len(s)), true
	case []byte:
		return s, true
	case *types.ByteArray:
		return []byte(*s), true
	}
	return nil, false
}

func asBool(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case int:
		return b != 0, true
	}
	return false, false
}

// dictItem finds key in a pickled dict whose keys may be Python 2 strings
// or bytes.
func dictItem(d *types.Dict, key string) (any, bool) {
	for _, e := range *d {
		if k, ok := asString(e.Key); ok && k == key {
			return e.Value, true
		}
	}
	return nil, false
}

func dictKeys(d *types.Dict) []string {
	var keys []string
	for _, e := range *d {
		if k, ok := asString(e.Key); ok {
			keys = append(keys, k)
		} else {
			keys = append(keys, fmt.Sprintf("%T", e.Key))
		}
	}
	return keys
}
