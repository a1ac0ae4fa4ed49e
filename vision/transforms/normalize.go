package transforms

import "fmt"

// NormalizeTransform is torchvision.transforms.Normalize: per channel,
// (x - mean[c]) / std[c].
type NormalizeTransform struct {
	Mean, Std []float64
	// mean and std as float32, as torchvision converts them
	// (torch.as_tensor(mean, dtype=tensor.dtype)) before computing.
	mean, std []float32
}

// Normalize returns transforms.Normalize(mean, std). One value in mean and
// std applies to every channel (torch broadcasting); otherwise there must be
// one per channel. It panics when the lengths differ, are zero, or a std is
// zero once rounded to float32 (torchvision's ValueError).
func Normalize(mean, std []float64) *NormalizeTransform {
	m, s := perChannel("Normalize", mean, std)
	for i, v := range s {
		if v == 0 {
			panic(fmt.Sprintf("transforms.Normalize: std[%d] = %v evaluated to zero after conversion to float32, leading to division by zero", i, std[i]))
		}
	}
	return &NormalizeTransform{Mean: mean, Std: std, mean: m, std: s}
}

func perChannel(op string, mean, std []float64) (m, s []float32) {
	if len(mean) == 0 || len(mean) != len(std) {
		panic(fmt.Sprintf("transforms.%s: mean has %d values and std %d; want the same number, one per channel or one for all", op, len(mean), len(std)))
	}
	m, s = make([]float32, len(mean)), make([]float32, len(std))
	for i := range mean {
		m[i], s[i] = float32(mean[i]), float32(std[i])
	}
	return m, s
}

// channel returns the per-channel value for channel c, checking the count
// against the image as torch's broadcasting would.
func channel(op string, vals []float32, src *Image, c int) float32 {
	if len(vals) == 1 {
		return vals[0]
	}
	if len(vals) != src.C {
		panic(fmt.Sprintf("transforms.%s: %d mean/std values for a %v; want %d or 1", op, len(vals), src, src.C))
	}
	return vals[c]
}

// Apply computes (x - mean) / std in float32, a subtraction then a division
// for each value, as torchvision's tensor.sub_(mean).div_(std) does; the
// results are bit-for-bit torchvision's. Given a byte image it panics, as
// torchvision raises TypeError for a PIL image.
func (n *NormalizeTransform) Apply(src *Image) *Image {
	src.check("Normalize")
	if !src.IsFloat() {
		panic(fmt.Sprintf("transforms.Normalize: got a %v; Normalize takes a float image: put ToTensor() before it", src))
	}
	out := &Image{C: src.C, H: src.H, W: src.W, Pix: make([]float32, len(src.Pix))}
	plane := src.H * src.W
	for c := 0; c < src.C; c++ {
		m, s := channel("Normalize", n.mean, src, c), channel("Normalize", n.std, src, c)
		in, o := src.Pix[c*plane:(c+1)*plane], out.Pix[c*plane:(c+1)*plane]
		for i, v := range in {
			o[i] = (v - m) / s
		}
	}
	return out
}

// Pointwise is true: each value maps on its own, given its channel.
func (*NormalizeTransform) Pointwise() bool { return true }

// OutputShape keeps the shape.
func (*NormalizeTransform) OutputShape(c, h, w int) (int, int, int) { return c, h, w }

// String is the transform as torchvision's repr shows it.
func (n *NormalizeTransform) String() string {
	return fmt.Sprintf("Normalize(mean=%v, std=%v)", n.Mean, n.Std)
}

// DenormalizeTransform undoes Normalize for display: x*std[c] + mean[c].
// torchvision has no such transform; it is what the tutorial's imshow does
// by hand (img / 2 + 0.5 for mean = std = 0.5).
type DenormalizeTransform struct {
	Mean, Std []float64
	mean, std []float32
}

// Denormalize returns the inverse of Normalize(mean, std). It panics when
// the lengths differ or are zero.
func Denormalize(mean, std []float64) *DenormalizeTransform {
	m, s := perChannel("Denormalize", mean, std)
	return &DenormalizeTransform{Mean: mean, Std: std, mean: m, std: s}
}

// Apply computes x*std + mean in float32 (a multiplication, then an
// addition). For std = 0.5 this equals img / 2 + 0.5 exactly.
func (d *DenormalizeTransform) Apply(src *Image) *Image {
	src.check("Denormalize")
	if !src.IsFloat() {
		panic(fmt.Sprintf("transforms.Denormalize: got a %v; Denormalize takes a float image", src))
	}
	out := &Image{C: src.C, H: src.H, W: src.W, Pix: make([]float32, len(src.Pix))}
	plane := src.H * src.W
	for c := 0; c < src.C; c++ {
		m, s := channel("Denormalize", d.mean, src, c), channel("Denormalize", d.std, src, c)
		in, o := src.Pix[c*plane:(c+1)*plane], out.Pix[c*plane:(c+1)*plane]
		for i, v := range in {
			// The float32 conversion keeps Go from fusing the
			// multiply-add into an FMA on platforms that have one.
			o[i] = float32(v*s) + m
		}
	}
	return out
}

// Pointwise is true.
func (*DenormalizeTransform) Pointwise() bool { return true }

// OutputShape keeps the shape.
func (*DenormalizeTransform) OutputShape(c, h, w int) (int, int, int) { return c, h, w }

// String is the transform as torchvision's repr shows it.
func (d *DenormalizeTransform) String() string {
	return fmt.Sprintf("Denormalize(mean=%v, std=%v)", d.Mean, d.Std)
}
