package torch_test

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/seed0eaa3131/gotorch/torch"
)

func TestBytes(t *testing.T) {
	f := torch.FromSlice([]float32{1.5, -2}, 2)
	b := f.Bytes()
	assert.Equal(t, []byte{0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0}, b, "little-endian float32")
	assert.Equal(t, float32(1.5), math.Float32frombits(binary.LittleEndian.Uint32(b)))

	// A non-contiguous view comes out in C order.
	m := torch.FromSlice([]int16{1, 2, 3, 4, 5, 6}, 2, 3).T()
	assert.Equal(t, []byte{1, 0, 4, 0, 2, 0, 5, 0, 3, 0, 6, 0}, m.Bytes())

	// Half floats, which have no Go type: 1.0 is 0x3c00, bfloat16 1.0 is 0x3f80.
	assert.Equal(t, []byte{0x00, 0x3c}, torch.Ones([]int64{1}, torch.WithDType(torch.Float16)).Bytes())
	assert.Equal(t, []byte{0x80, 0x3f}, torch.Ones([]int64{1}, torch.WithDType(torch.BFloat16)).Bytes())

	// FromBytes reverses it.
	h := torch.FromSlice([]float32{0.1, 7, -3}).ToDType(torch.Float16)
	back := torch.FromBytes(h.Bytes(), torch.Float16, 3)
	assert.Equal(t, h.Float32s(), back.Float32s())
	assert.Empty(t, torch.Zeros([]int64{0, 2}).Bytes())
}
