package torch

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// The checkpoint format is Python's torch.save since PyTorch 1.6: a zip
// archive (stored, not compressed) whose records all sit in one folder
// ("archive/"), holding
//
//	archive/data.pkl    a pickle (protocol 2) of the saved object, here a
//	                    collections.OrderedDict of str to tensors, each
//	                    torch._utils._rebuild_tensor_v2(storage, offset,
//	                    size, stride, requires_grad, OrderedDict()), with
//	                    storages as persistent ids ('storage',
//	                    torch.FloatStorage, key, 'cpu', numel)
//	archive/byteorder   "little"
//	archive/data/KEY    one storage's bytes, little-endian, 64-byte aligned
//	archive/version     "3\n", the record format version
//
// Only the globals of PyTorch's weights-only unpickler appear, so
// torch.load(f) with weights_only=True (the default since PyTorch 2.6)
// loads it, and torch 1.13 reads it as well.

// archiveFolder is the folder every record sits in; torch.load takes
// whichever folder the first record names.
const archiveFolder = "archive/"

// recordAlignment is where PyTorch's writer starts each record's data.
const recordAlignment = 64

// storageClass names the legacy typed storage class torch.save records for
// each dtype: what PyTorch's pickler still writes in 2.x.
var storageClass = map[DType]string{
	Uint8: "ByteStorage", Int8: "CharStorage", Int16: "ShortStorage", Int32: "IntStorage",
	Int64: "LongStorage", Float16: "HalfStorage", Float32: "FloatStorage", Float64: "DoubleStorage",
	Bool: "BoolStorage", BFloat16: "BFloat16Storage",
}

// writeCheckpoint writes the tensors under keys, in that order, to w.
// Each tensor is copied to the CPU one at a time, so the extra memory is
// that of the largest tensor. A tensor libtorch cannot read (a freed one)
// is an error, not a panic.
func writeCheckpoint(w io.Writer, keys []string, tensors map[string]*Tensor) (err error) {
	key := ""
	defer func() {
		if r := recover(); r != nil {
			te, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("tensor %q: %w", key, te)
		}
	}()
	var p pickler
	p.proto(2)
	p.global("collections", "OrderedDict")
	p.op(opEmptyTuple)
	p.op(opReduce)
	if len(keys) > 0 {
		p.op(opMark)
	}
	for i, k := range keys {
		key = k
		t := tensors[k]
		if t == nil {
			return fmt.Errorf("tensor %q is nil", k)
		}
		class, ok := storageClass[t.DType()]
		if !ok {
			return fmt.Errorf("tensor %q: dtype %v has no torch.save storage class", k, t.DType())
		}
		shape := t.Shape()
		p.str(k)
		p.global("torch._utils", "_rebuild_tensor_v2")
		p.op(opMark)
		{
			p.op(opMark) // the storage's persistent id
			p.str("storage")
			p.global("torch", class)
			p.str(storageKey(i))
			p.str("cpu")
			p.int(t.Numel())
			p.op(opTuple)
			p.op(opBinPersID)
		}
		p.int(0) // storage offset
		p.ints(shape)
		p.ints(contiguousStrides(shape))
		p.bool(t.RequiresGrad())
		p.global("collections", "OrderedDict") // backward hooks: none
		p.op(opEmptyTuple)
		p.op(opReduce)
		p.op(opTuple)
		p.op(opReduce)
	}
	if len(keys) > 0 {
		p.op(opSetItems)
	}
	p.op(opStop)

	zw := &alignedZip{w: zip.NewWriter(w)}
	if err := zw.add("data.pkl", p.buf.Bytes()); err != nil {
		return err
	}
	if err := zw.add("byteorder", []byte("little")); err != nil {
		return err
	}
	for i, k := range keys {
		key = k
		if err := zw.add("data/"+storageKey(i), tensors[k].Bytes()); err != nil {
			return err
		}
	}
	if err := zw.add("version", []byte("3\n")); err != nil {
		return err
	}
	return zw.w.Close()
}

func storageKey(i int) string { return fmt.Sprint(i) }

// contiguousStrides are the strides of a C-order tensor of shape.
func contiguousStrides(shape []int64) []int64 {
	strides := make([]int64, len(shape))
	s := int64(1)
	for i := len(shape) - 1; i >= 0; i-- {
		strides[i] = s
		s *= max(shape[i], 1)
	}
	return strides
}

// alignedZip writes stored records whose data starts on a multiple of
// recordAlignment, padding the local header's extra field as PyTorch's
// writer does (miniz's "FB" field).
type alignedZip struct {
	w   *zip.Writer
	off int64 // where the next local header starts
}

func (z *alignedZip) add(name string, data []byte) error {
	name = archiveFolder + name
	const localHeader = 30
	const paddingHeader = 4 // the extra field's id and size
	start := z.off + localHeader + int64(len(name)) + paddingHeader
	pad := (recordAlignment - start%recordAlignment) % recordAlignment
	extra := make([]byte, paddingHeader+pad)
	binary.LittleEndian.PutUint16(extra[0:], 0x4246) // "FB"
	binary.LittleEndian.PutUint16(extra[2:], uint16(pad))
	for i := paddingHeader; i < len(extra); i++ {
		extra[i] = 'Z'
	}
	size := uint64(len(data))
	fh := &zip.FileHeader{
		Name:               name,
		Method:             zip.Store,
		CRC32:              crc32.ChecksumIEEE(data),
		CompressedSize64:   size,
		UncompressedSize64: size,
		Extra:              extra,
	}
	fw, err := z.w.CreateRaw(fh)
	if err != nil {
		return fmt.Errorf("record %s: %w", name, err)
	}
	if _, err := fw.Write(data); err != nil {
		return fmt.Errorf("record %s: %w", name, err)
	}
	z.off = start + pad + int64(len(data))
	return nil
}

// Pickle opcodes (Python's Lib/pickle.py) that the writer uses.
const (
	opMark       = '('
	opStop       = '.'
	opTuple      = 't'
	opEmptyTuple = ')'
	opReduce     = 'R'
	opSetItems   = 'u'
	opBinPersID  = 'Q'
	opGlobal     = 'c'
	opBinInt     = 'J'
	opBinInt1    = 'K'
	opBinInt2    = 'M'
	opBinUnicode = 'X'
	opProto      = 0x80
	opNewTrue    = 0x88
	opNewFalse   = 0x89
	opLong1      = 0x8a
)

// pickler writes the few pickle opcodes a state_dict needs, as Python's
// pickle module writes them at protocol 2.
type pickler struct{ buf bytes.Buffer }

func (p *pickler) op(b byte) { p.buf.WriteByte(b) }

func (p *pickler) proto(v byte) { p.buf.Write([]byte{opProto, v}) }

func (p *pickler) global(module, name string) {
	p.op(opGlobal)
	p.buf.WriteString(module + "\n" + name + "\n")
}

func (p *pickler) str(s string) {
	p.op(opBinUnicode)
	p.buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(s))))
	p.buf.WriteString(s)
}

func (p *pickler) bool(b bool) {
	if b {
		p.op(opNewTrue)
	} else {
		p.op(opNewFalse)
	}
}

// int writes v in the shortest form pickle.py picks for it.
func (p *pickler) int(v int64) {
	switch {
	case v >= 0 && v <= math.MaxUint8:
		p.buf.Write([]byte{opBinInt1, byte(v)})
	case v >= 0 && v <= math.MaxUint16:
		p.op(opBinInt2)
		p.buf.Write(binary.LittleEndian.AppendUint16(nil, uint16(v)))
	case v >= math.MinInt32 && v <= math.MaxInt32:
		p.op(opBinInt)
		p.buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(int32(v))))
	default:
		p.op(opLong1)
		b := twosComplement(v)
		p.buf.WriteByte(byte(len(b)))
		p.buf.Write(b)
	}
}

// twosComplement is pickle's encode_long: the fewest little-endian bytes
// holding v in two's complement.
func twosComplement(v int64) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(v))
	// Drop the high bytes that only repeat the sign, as encode_long does.
	for len(b) > 1 {
		last, prev := b[len(b)-1], b[len(b)-2]
		if (last == 0 && prev&0x80 == 0) || (last == 0xff && prev&0x80 != 0) {
			b = b[:len(b)-1]
			continue
		}
		break
	}
	return b
}

func (p *pickler) ints(vs []int64) {
	p.op(opMark)
	for _, v := range vs {
		p.int(v)
	}
	p.op(opTuple)
}
