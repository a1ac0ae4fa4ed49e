package transforms

import (
	"fmt"
	"image"
	"image/color"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Image is one picture in Go memory, channel-first: the value of channel c
// at row y, column x is at index (c*H+y)*W+x.
//
// Exactly one of Bytes and Pix holds the pixels. A byte image (Bytes set,
// values 0..255) is what torchvision hands around as a PIL image: what a
// dataset gives before ToTensor, and what Resize or the crops get when they
// come before ToTensor in a Compose. A float image (Pix set) is what
// torchvision has as a float32 tensor after ToTensor.
type Image struct {
	C, H, W int
	// Pix holds the values of a float image; nil for a byte image.
	Pix []float32
	// Bytes holds the values of a byte image; nil for a float image.
	Bytes []uint8
}

// NewFloatImage returns a zeroed float image of the given shape.
func NewFloatImage(c, h, w int) *Image {
	checkShape("NewFloatImage", c, h, w)
	return &Image{C: c, H: h, W: w, Pix: make([]float32, c*h*w)}
}

// NewByteImage returns a zeroed byte image of the given shape.
func NewByteImage(c, h, w int) *Image {
	checkShape("NewByteImage", c, h, w)
	return &Image{C: c, H: h, W: w, Bytes: make([]uint8, c*h*w)}
}

func checkShape(op string, c, h, w int) {
	if c < 0 || h < 0 || w < 0 {
		panic(fmt.Sprintf("transforms.%s: negative shape (%d, %d, %d)", op, c, h, w))
	}
}

// IsFloat reports whether m is a float image (after ToTensor) rather than a
// byte image (a PIL image in torchvision).
func (m *Image) IsFloat() bool { return m.Bytes == nil }

// Len is the number of values, C*H*W.
func (m *Image) Len() int { return m.C * m.H * m.W }

// Shape is [C, H, W] as a tensor shape.
func (m *Image) Shape() []int64 { return []int64{int64(m.C), int64(m.H), int64(m.W)} }

// String describes the image's kind and shape, e.g. "uint8 image (1, 28, 28)".
func (m *Image) String() string {
	kind := "float32"
	if !m.IsFloat() {
		kind = "uint8"
	}
	return fmt.Sprintf("%s image (%d, %d, %d)", kind, m.C, m.H, m.W)
}

// check panics when the slice length does not match the shape: an Image
// built by hand with the wrong length is a programmer's bug that would
// otherwise show up as an index panic deep inside a transform.
func (m *Image) check(op string) {
	n := len(m.Pix)
	if !m.IsFloat() {
		n = len(m.Bytes)
	}
	if m.C < 0 || m.H < 0 || m.W < 0 || n != m.Len() {
		panic(fmt.Sprintf("transforms.%s: %v has %d values, want C*H*W = %d", op, m, n, m.Len()))
	}
}

// Clone returns a deep copy of m.
func (m *Image) Clone() *Image {
	out := *m
	if m.IsFloat() {
		out.Pix = append([]float32(nil), m.Pix...)
	} else {
		out.Bytes = append([]uint8(nil), m.Bytes...)
	}
	return &out
}

// Tensor copies m into a new CPU tensor of shape [C, H, W]: Float32 for a
// float image, Uint8 for a byte image (torchvision's PILToTensor). It is the
// one libtorch call of a transform pipeline.
func (m *Image) Tensor() *torch.Tensor {
	m.check("Image.Tensor")
	if m.IsFloat() {
		return torch.FromSlice(m.Pix, m.Shape()...)
	}
	return torch.FromSlice(m.Bytes, m.Shape()...)
}

// FromUint8 makes a byte image from 8-bit pixels: channel-last (H, W, C), as
// numpy arrays and PIL images store them, when hwc is true, or channel-first
// (C, H, W) otherwise. Channel-last pixels are copied into channel-first
// order; channel-first pixels are used in place, without a copy, and must
// not change while the image is in use. It panics when len(pix) is not
// c*h*w.
func FromUint8(pix []uint8, c, h, w int, hwc bool) *Image {
	checkShape("FromUint8", c, h, w)
	if len(pix) != c*h*w {
		panic(fmt.Sprintf("transforms.FromUint8: %d bytes for shape (C=%d, H=%d, W=%d), want %d", len(pix), c, h, w, c*h*w))
	}
	if !hwc {
		return &Image{C: c, H: h, W: w, Bytes: pix}
	}
	out := NewByteImage(c, h, w)
	plane := h * w
	for p := 0; p < plane; p++ {
		for ch := 0; ch < c; ch++ {
			out.Bytes[ch*plane+p] = pix[p*c+ch]
		}
	}
	return out
}

// FromImage makes a byte image from a Go image, as torchvision's ToTensor
// reads a PIL image: grey images (image.Gray, image.Gray16) give one
// channel, opaque colour images three (R, G, B), and colour images with
// transparency four (R, G, B, A, not premultiplied, like PIL's "RGBA").
// Paletted images are expanded to their colours, as PIL's convert("RGB")
// would do (torchvision's ToTensor on a "P" image would give palette
// indices, which no model wants). 16-bit channels keep their high byte.
func FromImage(img image.Image) *Image {
	b := img.Bounds()
	h, w := b.Dy(), b.Dx()
	switch src := img.(type) {
	case *image.Gray:
		out := NewByteImage(1, h, w)
		for y := 0; y < h; y++ {
			i := src.PixOffset(b.Min.X, b.Min.Y+y)
			copy(out.Bytes[y*w:(y+1)*w], src.Pix[i:i+w])
		}
		return out
	case *image.Gray16:
		out := NewByteImage(1, h, w)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Bytes[y*w+x] = uint8(src.Gray16At(b.Min.X+x, b.Min.Y+y).Y >> 8)
			}
		}
		return out
	}
	opaque := false
	if o, ok := img.(interface{ Opaque() bool }); ok {
		opaque = o.Opaque()
	}
	c := 4
	if opaque {
		c = 3
	}
	out := NewByteImage(c, h, w)
	plane := h * w
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			px := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			p := y*w + x
			out.Bytes[p] = px.R
			out.Bytes[plane+p] = px.G
			out.Bytes[2*plane+p] = px.B
			if c == 4 {
				out.Bytes[3*plane+p] = px.A
			}
		}
	}
	return out
}
