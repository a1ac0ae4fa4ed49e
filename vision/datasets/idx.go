package datasets

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// IDX magic numbers (Yann LeCun's format for MNIST): two zero bytes, the
// element type (0x08 = unsigned byte) and the number of dimensions.
const (
	idxImagesMagic = 0x00000803 // 2051: uint8, 3 dimensions
	idxLabelsMagic = 0x00000801 // 2049: uint8, 1 dimension
)

// idxTypes names IDX element types, for error messages.
var idxTypes = map[byte]string{0x08: "uint8", 0x09: "int8", 0x0b: "int16", 0x0c: "int32", 0x0d: "float32", 0x0e: "float64"}

// parseIDX checks an IDX file's header against the magic number wanted and
// returns its dimensions and its values, which share b's memory. Unlike
// torchvision's reader (which asserts and then trusts the header), every
// size is checked: a truncated file, or one with bytes left over, is an
// error naming the file, what the header promised and what is there.
func parseIDX(name string, b []byte, wantMagic uint32) (dims []int, values []byte, err error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		return nil, nil, fmt.Errorf("%s: is gzip-compressed; name it %s.gz or decompress it", name, name)
	}
	if len(b) < 4 {
		return nil, nil, fmt.Errorf("%s: %d bytes, too short for an IDX header (want at least 4)", name, len(b))
	}
	magic := binary.BigEndian.Uint32(b)
	if magic != wantMagic {
		return nil, nil, fmt.Errorf("%s: magic number 0x%08x (%d: %s), want 0x%08x (%d: %s)",
			name, magic, magic, describeMagic(magic), wantMagic, wantMagic, describeMagic(wantMagic))
	}
	nd := int(b[3])
	header := 4 + 4*nd
	if len(b) < header {
		return nil, nil, fmt.Errorf("%s: truncated header: %d dimensions need %d bytes, file has %d", name, nd, header, len(b))
	}
	dims = make([]int, nd)
	total := uint64(1)
	for i := range dims {
		d := binary.BigEndian.Uint32(b[4+4*i:])
		dims[i] = int(d)
		hi, lo := bits.Mul64(total, uint64(d))
		if hi != 0 || lo > 1<<48 {
			return nil, nil, fmt.Errorf("%s: dimensions %v are too large", name, b[4:header])
		}
		total = lo
	}
	if got := uint64(len(b) - header); got != total {
		what := "truncated"
		if got > total {
			what = "too long"
		}
		return nil, nil, fmt.Errorf("%s: %s: header says %s = %d bytes of values, file has %d after the %d-byte header",
			name, what, shapeString(dims), total, got, header)
	}
	return dims, b[header:], nil
}

func describeMagic(m uint32) string {
	if m>>16 != 0 {
		return "not an IDX file"
	}
	t, ok := idxTypes[byte(m>>8)]
	if !ok {
		t = fmt.Sprintf("unknown type 0x%02x", byte(m>>8))
	}
	return fmt.Sprintf("IDX %s, %d dimensions", t, byte(m))
}

func shapeString(dims []int) string {
	s := ""
	for i, d := range dims {
		if i > 0 {
			s += "x"
		}
		s += fmt.Sprint(d)
	}
	if s == "" {
		s = "a scalar"
	}
	return s
}
