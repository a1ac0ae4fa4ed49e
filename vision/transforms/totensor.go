package transforms

import "fmt"

// ToTensorTransform is torchvision.transforms.ToTensor: a byte image
// (values 0..255) becomes a float image in [0, 1].
type ToTensorTransform struct{}

// ToTensor returns transforms.ToTensor(). Use FromImage or FromUint8 to
// turn a Go image.Image or channel-last bytes into the byte image it takes.
func ToTensor() *ToTensorTransform { return &ToTensorTransform{} }

// byteToUnit holds v/255 for every byte v, computed as torchvision does:
// img.to(torch.float32).div(255), one IEEE float32 division per value, which
// Go's float32 division reproduces exactly.
var byteToUnit = func() (t [256]float32) {
	for v := range t {
		t[v] = float32(v) / 255
	}
	return t
}()

// Apply divides every byte by 255 in float32. Given a float image it
// panics, as torchvision's ToTensor raises TypeError for a tensor.
func (*ToTensorTransform) Apply(src *Image) *Image {
	src.check("ToTensor")
	if src.IsFloat() {
		panic(fmt.Sprintf("transforms.ToTensor: got a %v; ToTensor takes a byte image (a PIL image in torchvision), and this one has been through ToTensor already", src))
	}
	out := &Image{C: src.C, H: src.H, W: src.W, Pix: make([]float32, len(src.Bytes))}
	for i, v := range src.Bytes {
		out.Pix[i] = byteToUnit[v]
	}
	return out
}

// Pointwise is true: each value maps on its own.
func (*ToTensorTransform) Pointwise() bool { return true }

// OutputShape keeps the shape.
func (*ToTensorTransform) OutputShape(c, h, w int) (int, int, int) { return c, h, w }

// String is the transform as torchvision's repr shows it.
func (*ToTensorTransform) String() string { return "ToTensor()" }
