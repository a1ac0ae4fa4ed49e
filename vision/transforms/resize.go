package transforms

import (
	"fmt"
	"math"
)

// ResizeTransform is torchvision.transforms.Resize with its default
// interpolation, bilinear.
type ResizeTransform struct {
	// Size is torchvision's size: one value resizes the smaller edge to it
	// keeping the aspect ratio, two are (height, width).
	Size []int
	// MaxSize caps the longer edge when Size has one value (torchvision's
	// max_size); 0 for none.
	MaxSize int
}

// Resize returns transforms.Resize(size): Resize(28) matches the smaller
// edge to 28, Resize(32, 48) gives height 32 and width 48.
func Resize(size ...int) *ResizeTransform {
	if len(size) < 1 || len(size) > 2 || size[0] <= 0 || (len(size) == 2 && size[1] <= 0) {
		panic(fmt.Sprintf("transforms.Resize: size %v; want one positive value (the smaller edge) or (height, width)", size))
	}
	return &ResizeTransform{Size: append([]int(nil), size...)}
}

// OutputShape is torchvision's _compute_resized_output_size.
func (t *ResizeTransform) OutputShape(c, h, w int) (int, int, int) {
	if len(t.Size) == 2 {
		return c, t.Size[0], t.Size[1]
	}
	short, long := w, h
	if w > h {
		short, long = h, w
	}
	newShort := t.Size[0]
	// int(requested_new_short * long / short): Python's true division in
	// float64, then truncation.
	newLong := int(float64(newShort*long) / float64(short))
	if t.MaxSize > 0 {
		if t.MaxSize <= newShort {
			panic(fmt.Sprintf("transforms.Resize: max_size = %d must be strictly greater than the requested size for the smaller edge size = %d", t.MaxSize, newShort))
		}
		if newLong > t.MaxSize {
			newShort, newLong = int(float64(t.MaxSize*newShort)/float64(newLong)), t.MaxSize
		}
	}
	if w <= h {
		return c, newLong, newShort
	}
	return c, newShort, newLong
}

// Apply resizes bilinearly. A byte image is resized as torchvision resizes
// a PIL image, by Pillow's two-pass antialiased filter in fixed point
// (horizontal pass first, each pass rounding to bytes), giving the same
// bytes as Pillow. A float image is resized as torchvision 0.14 resizes a
// tensor, by torch.nn.functional.interpolate(mode="bilinear",
// align_corners=False) without antialiasing (0.14's default for tensors),
// within 2 float32 ulps of libtorch's result. An image already of the
// target size is returned as a copy.
func (t *ResizeTransform) Apply(src *Image) *Image {
	src.check("Resize")
	_, oh, ow := t.OutputShape(src.C, src.H, src.W)
	return ResizeTo(src, oh, ow)
}

// String is the transform as torchvision's repr shows it.
func (t *ResizeTransform) String() string {
	return fmt.Sprintf("Resize(size=%v, interpolation=bilinear, max_size=%d)", t.Size, t.MaxSize)
}

// ResizeTo resizes img to exactly height x width, bilinearly, with the
// semantics described at ResizeTransform.Apply:
// torchvision.transforms.functional.resize(img, [height, width]).
func ResizeTo(img *Image, height, width int) *Image {
	img.check("ResizeTo")
	if height <= 0 || width <= 0 {
		panic(fmt.Sprintf("transforms.ResizeTo: size (%d, %d) is not positive", height, width))
	}
	if img.H == height && img.W == width {
		return img.Clone()
	}
	if img.H == 0 || img.W == 0 {
		panic(fmt.Sprintf("transforms.ResizeTo: cannot resize an empty %v", img))
	}
	if img.IsFloat() {
		return resizeFloat(img, height, width)
	}
	return resizePIL(img, height, width)
}

// Pillow's fixed point: 32 bits less 8 for the value and 2 for overflow.
const pilPrecisionBits = 32 - 8 - 2

// pilCoeffs is Pillow's precompute_coeffs for the bilinear filter (support
// 1, widened by the scale when shrinking, which is the antialiasing),
// followed by normalize_coeffs_8bpc: for each output index, the first input
// index and the fixed-point weights of the inputs it reads.
func pilCoeffs(inSize, outSize int) (start []int, weights [][]int32) {
	scale := float64(inSize) / float64(outSize)
	filterscale := max(scale, 1.0)
	support := 1.0 * filterscale
	ss := 1.0 / filterscale
	start = make([]int, outSize)
	weights = make([][]int32, outSize)
	k := make([]float64, 0, int(math.Ceil(support))*2+1)
	for xx := 0; xx < outSize; xx++ {
		center := (float64(xx) + 0.5) * scale
		// (int) casts in C truncate toward zero, as Go's conversion does.
		xmin := max(int(center-support+0.5), 0)
		xmax := min(int(center+support+0.5), inSize) - xmin
		k = k[:0]
		ww := 0.0
		for x := 0; x < xmax; x++ {
			w := bilinear((float64(x+xmin) - center + 0.5) * ss)
			k = append(k, w)
			ww += w
		}
		fixed := make([]int32, len(k))
		for x, w := range k {
			if ww != 0 {
				w /= ww
			}
			if w < 0 {
				fixed[x] = int32(-0.5 + w*(1<<pilPrecisionBits))
			} else {
				fixed[x] = int32(0.5 + w*(1<<pilPrecisionBits))
			}
		}
		start[xx], weights[xx] = xmin, fixed
	}
	return start, weights
}

func bilinear(x float64) float64 {
	if x < 0 {
		x = -x
	}
	if x < 1 {
		return 1 - x
	}
	return 0
}

// clip8 is Pillow's: drop the fraction bits and saturate.
func clip8(v int32) uint8 {
	v >>= pilPrecisionBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// resizePIL is Pillow's ImagingResample for 8-bit bands with the bilinear
// filter: a horizontal pass (when the width changes) into a byte image,
// then a vertical pass (when the height changes), each channel on its own.
func resizePIL(img *Image, oh, ow int) *Image {
	c, h, w := img.C, img.H, img.W
	src := img.Bytes
	if ow != w {
		xs, xk := pilCoeffs(w, ow)
		tmp := make([]uint8, c*h*ow)
		for r := 0; r < c*h; r++ {
			in, out := src[r*w:(r+1)*w], tmp[r*ow:(r+1)*ow]
			for xx := range out {
				acc := int32(1 << (pilPrecisionBits - 1))
				for x, k := range xk[xx] {
					acc += int32(in[xs[xx]+x]) * k
				}
				out[xx] = clip8(acc)
			}
		}
		src, w = tmp, ow
	}
	if oh != h {
		ys, yk := pilCoeffs(h, oh)
		tmp := make([]uint8, c*oh*w)
		for ch := 0; ch < c; ch++ {
			plane, out := src[ch*h*w:(ch+1)*h*w], tmp[ch*oh*w:(ch+1)*oh*w]
			for yy := 0; yy < oh; yy++ {
				for xx := 0; xx < w; xx++ {
					acc := int32(1 << (pilPrecisionBits - 1))
					for y, k := range yk[yy] {
						acc += int32(plane[(ys[yy]+y)*w+xx]) * k
					}
					out[yy*w+xx] = clip8(acc)
				}
			}
		}
		src = tmp
	}
	return &Image{C: c, H: oh, W: ow, Bytes: src}
}

// linearIndex is libtorch's compute_source_index_and_lambda for
// align_corners=False: the two input indices an output index reads and
// their weights. The scale is a float32 (in/out), the source position is
// computed in double (CPU's acc_type for float), and the weights are stored
// as float32, as libtorch 1.13 does; a dimension whose size does not change
// is copied.
func linearIndex(inSize, outSize int) (i0, i1 []int, l0, l1 []float32) {
	scale := float64(float32(inSize) / float32(outSize))
	i0, i1 = make([]int, outSize), make([]int, outSize)
	l0, l1 = make([]float32, outSize), make([]float32, outSize)
	for o := 0; o < outSize; o++ {
		if inSize == outSize {
			i0[o], i1[o], l0[o], l1[o] = o, o, 1, 0
			continue
		}
		real := max(scale*(float64(o)+0.5)-0.5, 0)
		idx := int(real)
		off := 0
		if idx < inSize-1 {
			off = 1
		}
		lambda := float32(min(max(real-float64(idx), 0), 1))
		i0[o], i1[o], l0[o], l1[o] = idx, idx+off, 1-lambda, lambda
	}
	return i0, i1, l0, l1
}

// ResizeTensorTolerance is how far Resize of a float tensor with values in
// [0, 1] may be from torchvision's T.Resize(..., antialias=False) of the
// same tensor, for images up to 32 pixels a side. PyTorch does not agree
// with itself closer than that: 1.13 and 2.6 differ by up to 1.07e-6 on a
// 32x32 image resized to 45x70, and by 8.2e-7 on 28x28 to 20x20, because
// each computes the source coordinate in float32 in its own order; below
// 32 a coordinate's float32 ulp is 2^-19 (1.9e-6), and one rounding moves
// the result by up to that times the step between neighbouring pixels.
// Against 1.13 the Go result is within 2 float32 ulps (2.4e-7).
const ResizeTensorTolerance = 2e-6

// resizeFloat is upsample_bilinear2d on a contiguous float32 tensor:
// out = h0*(w0*a + w1*b) + h1*(w0*c + w1*d), accumulated in float32, the
// order of libtorch's generic kernel. libtorch's vectorised AVX2 build
// rounds some sums differently (fused multiply-adds), so results agree to
// within 2 float32 ulps (about 1.2e-7 for values in [0, 1]) of 1.13, not
// bit for bit; see ResizeTensorTolerance for PyTorch 2.x.
func resizeFloat(img *Image, oh, ow int) *Image {
	c, h, w := img.C, img.H, img.W
	y0, y1, hl0, hl1 := linearIndex(h, oh)
	x0, x1, wl0, wl1 := linearIndex(w, ow)
	out := NewFloatImage(c, oh, ow)
	for ch := 0; ch < c; ch++ {
		plane, o := img.Pix[ch*h*w:(ch+1)*h*w], out.Pix[ch*oh*ow:(ch+1)*oh*ow]
		for yy := 0; yy < oh; yy++ {
			r0, r1 := plane[y0[yy]*w:], plane[y1[yy]*w:]
			for xx := 0; xx < ow; xx++ {
				top := float32(r0[x0[xx]]*wl0[xx]) + float32(r0[x1[xx]]*wl1[xx])
				bottom := float32(r1[x0[xx]]*wl0[xx]) + float32(r1[x1[xx]]*wl1[xx])
				o[yy*ow+xx] = float32(top*hl0[yy]) + float32(bottom*hl1[yy])
			}
		}
	}
	return out
}
