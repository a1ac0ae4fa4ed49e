package transforms

import (
	"fmt"
	"math"
)

// pixel is the element type of an Image's values.
type pixel interface{ ~uint8 | ~float32 }

// Crop cuts the box of the given size whose top-left corner is at (top,
// left) out of img: torchvision.transforms.functional.crop. Parts of the
// box outside the image are 0, as both PIL's crop and torchvision's tensor
// crop give.
func Crop(img *Image, top, left, height, width int) *Image {
	img.check("Crop")
	if height < 0 || width < 0 {
		panic(fmt.Sprintf("transforms.Crop: negative crop size (%d, %d)", height, width))
	}
	if img.IsFloat() {
		out := NewFloatImage(img.C, height, width)
		cropInto(out.Pix, img.Pix, img.C, img.H, img.W, top, left, height, width)
		return out
	}
	out := NewByteImage(img.C, height, width)
	cropInto(out.Bytes, img.Bytes, img.C, img.H, img.W, top, left, height, width)
	return out
}

// cropInto copies the in-bounds part of the box row by row; dst starts
// zeroed, which fills the rest.
func cropInto[T pixel](dst, src []T, c, h, w, top, left, oh, ow int) {
	x0, x1 := max(left, 0), min(left+ow, w)
	if x0 >= x1 {
		return
	}
	for ch := 0; ch < c; ch++ {
		for y := max(top, 0); y < min(top+oh, h); y++ {
			s := src[(ch*h+y)*w:]
			d := dst[(ch*oh+y-top)*ow:]
			copy(d[x0-left:x1-left], s[x0:x1])
		}
	}
}

// Pad adds borders of constant value fill: torchvision.transforms.functional
// .pad(img, [left, top, right, bottom], fill) with padding_mode="constant".
// On a byte image fill is rounded toward zero as PIL does and must be in
// 0..255. Negative padding panics (torchvision's PIL path crops instead;
// nothing here relies on it).
func Pad(img *Image, left, top, right, bottom int, fill float64) *Image {
	img.check("Pad")
	if left < 0 || top < 0 || right < 0 || bottom < 0 {
		panic(fmt.Sprintf("transforms.Pad: negative padding (%d, %d, %d, %d)", left, top, right, bottom))
	}
	h, w := img.H+top+bottom, img.W+left+right
	if img.IsFloat() {
		out := NewFloatImage(img.C, h, w)
		padInto(out.Pix, img.Pix, img.C, img.H, img.W, left, top, right, bottom, float32(fill))
		return out
	}
	f := math.Trunc(fill)
	if f < 0 || f > 255 || math.IsNaN(f) {
		panic(fmt.Sprintf("transforms.Pad: fill %v does not fit a byte image", fill))
	}
	out := NewByteImage(img.C, h, w)
	padInto(out.Bytes, img.Bytes, img.C, img.H, img.W, left, top, right, bottom, uint8(f))
	return out
}

func padInto[T pixel](dst, src []T, c, h, w, left, top, right, bottom int, fill T) {
	oh, ow := h+top+bottom, w+left+right
	if fill != 0 {
		for i := range dst {
			dst[i] = fill
		}
	}
	for ch := 0; ch < c; ch++ {
		for y := 0; y < h; y++ {
			copy(dst[(ch*oh+y+top)*ow+left:][:w], src[(ch*h+y)*w:][:w])
		}
	}
}

// CenterCropTransform is torchvision.transforms.CenterCrop.
type CenterCropTransform struct {
	Height, Width int
}

// CenterCrop returns transforms.CenterCrop(size): one value for a square
// crop, or (height, width).
func CenterCrop(size ...int) *CenterCropTransform {
	h, w := sizeArg("CenterCrop", size)
	return &CenterCropTransform{Height: h, Width: w}
}

func sizeArg(op string, size []int) (h, w int) {
	switch {
	case len(size) == 1 && size[0] > 0:
		return size[0], size[0]
	case len(size) == 2 && size[0] > 0 && size[1] > 0:
		return size[0], size[1]
	}
	panic(fmt.Sprintf("transforms.%s: size %v; want one positive value or (height, width)", op, size))
}

// Apply crops the centre as torchvision 0.14's center_crop: an image smaller
// than the crop is first padded with zeros (the extra pixel of an odd
// difference going right and bottom), and the offsets are
// round((H - height) / 2) with Python's round-half-to-even.
func (t *CenterCropTransform) Apply(src *Image) *Image {
	src.check("CenterCrop")
	img := src
	if t.Width > img.W || t.Height > img.H {
		dw, dh := max(t.Width-img.W, 0), max(t.Height-img.H, 0)
		img = Pad(img, dw/2, dh/2, (dw+1)/2, (dh+1)/2, 0)
		if img.H == t.Height && img.W == t.Width {
			return img
		}
	}
	top := int(math.RoundToEven(float64(img.H-t.Height) / 2))
	left := int(math.RoundToEven(float64(img.W-t.Width) / 2))
	return Crop(img, top, left, t.Height, t.Width)
}

// OutputShape is (c, Height, Width).
func (t *CenterCropTransform) OutputShape(c, _, _ int) (int, int, int) { return c, t.Height, t.Width }

// String is the transform as torchvision's repr shows it.
func (t *CenterCropTransform) String() string {
	return fmt.Sprintf("CenterCrop(size=(%d, %d))", t.Height, t.Width)
}
