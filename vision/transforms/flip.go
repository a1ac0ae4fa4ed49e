package transforms

import (
	"fmt"
	"math/rand/v2"
	"sync"
)

// HFlip mirrors img left to right: torchvision.transforms.functional.hflip.
func HFlip(img *Image) *Image {
	img.check("HFlip")
	if img.IsFloat() {
		out := NewFloatImage(img.C, img.H, img.W)
		hflipInto(out.Pix, img.Pix, img.W)
		return out
	}
	out := NewByteImage(img.C, img.H, img.W)
	hflipInto(out.Bytes, img.Bytes, img.W)
	return out
}

func hflipInto[T pixel](dst, src []T, w int) {
	if w == 0 {
		return
	}
	for r := 0; r+w <= len(src); r += w {
		s, d := src[r:r+w], dst[r:r+w]
		for x, v := range s {
			d[w-1-x] = v
		}
	}
}

// RandomHorizontalFlipTransform is torchvision.transforms
// .RandomHorizontalFlip: it mirrors an image with probability P.
type RandomHorizontalFlipTransform struct {
	P  float64
	mu sync.Mutex
	r  *rand.Rand
}

// RandomHorizontalFlip returns transforms.RandomHorizontalFlip(p). Draws
// come from rng (seed it for reproducible runs; nil gives a randomly
// seeded one); torchvision draws from torch's generator instead, so the
// same seed does not give the same flips as Python. The generator is
// locked around each draw, so the transform can be shared by loader
// workers; with several workers the order of draws, and so which sample
// gets which draw, depends on scheduling, as with PyTorch's workers.
func RandomHorizontalFlip(p float64, rng *rand.Rand) *RandomHorizontalFlipTransform {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("transforms.RandomHorizontalFlip: probability %v is not in [0, 1]", p))
	}
	return &RandomHorizontalFlipTransform{P: p, r: orRandom(rng)}
}

func orRandom(rng *rand.Rand) *rand.Rand {
	if rng != nil {
		return rng
	}
	return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
}

// Apply draws one number in [0, 1) and flips when it is below P, as
// torchvision's `if torch.rand(1) < self.p`; it draws on every call, even
// for P = 0 or 1. An image that is not flipped is returned as a copy.
func (t *RandomHorizontalFlipTransform) Apply(src *Image) *Image {
	t.mu.Lock()
	u := t.r.Float64()
	t.mu.Unlock()
	if u < t.P {
		return HFlip(src)
	}
	src.check("RandomHorizontalFlip")
	return src.Clone()
}

// OutputShape keeps the shape.
func (*RandomHorizontalFlipTransform) OutputShape(c, h, w int) (int, int, int) { return c, h, w }

// String is the transform as torchvision's repr shows it.
func (t *RandomHorizontalFlipTransform) String() string {
	return fmt.Sprintf("RandomHorizontalFlip(p=%v)", t.P)
}
