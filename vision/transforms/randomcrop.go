package transforms

import (
	"fmt"
	"math/rand/v2"
	"sync"
)

// RandomCropTransform is torchvision.transforms.RandomCrop: optional
// constant padding, then a crop of Height x Width at a random place.
type RandomCropTransform struct {
	Height, Width int
	// Padding is added first, in torchvision's order (left, top, right,
	// bottom).
	Padding [4]int
	// PadIfNeeded pads an image smaller than the crop, as torchvision's
	// pad_if_needed: by the missing width on both the left and the right,
	// and by the missing height on both the top and the bottom.
	PadIfNeeded bool
	// Fill is the value of padded pixels (0 by default).
	Fill float64

	mu sync.Mutex
	r  *rand.Rand
}

// RandomCrop returns transforms.RandomCrop(size, padding=padding): a square
// crop of side size after padding every border by padding pixels (0 for
// none). Set Height and Width, the four Padding values, PadIfNeeded and
// Fill on the result for torchvision's other forms. Draws come from rng
// (nil gives a randomly seeded one; see RandomHorizontalFlip for how this
// differs from torch's generator and how workers share it).
func RandomCrop(size, padding int, rng *rand.Rand) *RandomCropTransform {
	if size <= 0 || padding < 0 {
		panic(fmt.Sprintf("transforms.RandomCrop: size %d, padding %d; want a positive size and a padding >= 0", size, padding))
	}
	return &RandomCropTransform{Height: size, Width: size, Padding: [4]int{padding, padding, padding, padding}, r: orRandom(rng)}
}

// GetParams draws the crop's top-left corner for an image of h x w (after
// padding), as torchvision's RandomCrop.get_params: no draw when the image
// has exactly the crop's size, else top then left, each uniform over the
// places where the crop fits. It panics when the crop is larger than the
// image (torchvision's ValueError).
func (t *RandomCropTransform) GetParams(h, w int) (top, left int) {
	if h < t.Height || w < t.Width {
		panic(fmt.Sprintf("transforms.RandomCrop: required crop size (%d, %d) is larger than input image size (%d, %d)", t.Height, t.Width, h, w))
	}
	if h == t.Height && w == t.Width {
		return 0, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	top = t.r.IntN(h - t.Height + 1)
	left = t.r.IntN(w - t.Width + 1)
	return top, left
}

// Apply pads, then crops where GetParams says.
func (t *RandomCropTransform) Apply(src *Image) *Image {
	src.check("RandomCrop")
	img := src
	if p := t.Padding; p != [4]int{} {
		img = Pad(img, p[0], p[1], p[2], p[3], t.Fill)
	}
	if t.PadIfNeeded && img.W < t.Width {
		d := t.Width - img.W
		img = Pad(img, d, 0, d, 0, t.Fill)
	}
	if t.PadIfNeeded && img.H < t.Height {
		d := t.Height - img.H
		img = Pad(img, 0, d, 0, d, t.Fill)
	}
	top, left := t.GetParams(img.H, img.W)
	return Crop(img, top, left, t.Height, t.Width)
}

// OutputShape is (c, Height, Width).
func (t *RandomCropTransform) OutputShape(c, _, _ int) (int, int, int) { return c, t.Height, t.Width }

// String is the transform as torchvision's repr shows it.
func (t *RandomCropTransform) String() string {
	return fmt.Sprintf("RandomCrop(size=(%d, %d), padding=%v)", t.Height, t.Width, t.Padding)
}
