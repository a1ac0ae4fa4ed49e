package utils

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"

	"github.com/seed0eaa3131/gotorch/torch"
)

// ToImage converts a picture tensor to a Go image, as torchvision's
// save_image and ToPILImage do: a float tensor with values in [0, 1] is
// scaled to bytes by x*255 + 0.5, clamped to [0, 255] and truncated
// (save_image's mul(255).add_(0.5).clamp_(0, 255)), a uint8 tensor is
// used as it is. The tensor is [C, H, W] with C = 1 (grey, *image.Gray), 3
// (RGB, *image.RGBA, opaque) or 4 (RGBA, *image.NRGBA, not premultiplied,
// like PIL's "RGBA"), or [H, W] for grey; the channel-last transpose that
// plt.imshow needs happens here. It may live on any device.
//
// Float32 and float64 values are scaled in their own precision, as torch
// does; float16 and bfloat16 are scaled in float32. NaN becomes 0.
func ToImage(t *torch.Tensor) (image.Image, error) {
	var c, h, w int
	switch t.Dim() {
	case 2:
		c, h, w = 1, int(t.Size(0)), int(t.Size(1))
	case 3:
		c, h, w = int(t.Size(0)), int(t.Size(1)), int(t.Size(2))
	default:
		return nil, fmt.Errorf("utils.ToImage: want [C, H, W] or [H, W], got %v (use MakeGrid for a batch)", t.Shape())
	}
	if c != 1 && c != 3 && c != 4 {
		return nil, fmt.Errorf("utils.ToImage: %d channels in %v, want 1 (grey), 3 (RGB) or 4 (RGBA)", c, t.Shape())
	}
	pix, err := toBytes(t)
	if err != nil {
		return nil, err
	}
	plane := h * w
	rect := image.Rect(0, 0, w, h)
	switch c {
	case 1:
		img := image.NewGray(rect)
		copy(img.Pix, pix)
		return img, nil
	case 3:
		img := image.NewRGBA(rect)
		for p := 0; p < plane; p++ {
			img.Pix[4*p], img.Pix[4*p+1], img.Pix[4*p+2], img.Pix[4*p+3] = pix[p], pix[plane+p], pix[2*plane+p], 255
		}
		return img, nil
	default:
		img := image.NewNRGBA(rect)
		for p := 0; p < plane; p++ {
			img.Pix[4*p], img.Pix[4*p+1], img.Pix[4*p+2], img.Pix[4*p+3] = pix[p], pix[plane+p], pix[2*plane+p], pix[3*plane+p]
		}
		return img, nil
	}
}

// toBytes reads t's values as display bytes, channel-first.
func toBytes(t *torch.Tensor) ([]uint8, error) {
	switch t.DType() {
	case torch.Uint8:
		return t.Uint8s(), nil
	case torch.Float64:
		v := t.Float64s()
		out := make([]uint8, len(v))
		for i, x := range v {
			out[i] = clampByte(float64(x*255) + 0.5)
		}
		return out, nil
	case torch.Float32, torch.Float16, torch.BFloat16:
		v := t.Float32s()
		out := make([]uint8, len(v))
		for i, x := range v {
			// Two float32 roundings, as torch's mul then add_; the
			// conversions keep Go from fusing them.
			out[i] = clampByte(float64(float32(x*255) + 0.5))
		}
		return out, nil
	}
	return nil, fmt.Errorf("utils: a %v tensor is not a picture; want float values in [0, 1] or uint8", t.DType())
}

func clampByte(v float64) uint8 {
	switch {
	case math.IsNaN(v) || v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v)
}

// SaveImage writes a picture tensor to a PNG file: torchvision.utils
// .save_image(tensor, path). A batch [B, C, H, W] is first laid out with
// MakeGrid(batch, 8, 2), save_image's defaults; an image is converted by
// ToImage (one channel gives a grey PNG where torchvision writes the grey
// value into three channels).
func SaveImage(t *torch.Tensor, path string) error {
	if t.Dim() == 4 {
		var grid *torch.Tensor
		if err := torch.Catch(func() { grid = MakeGrid(t, 8, 2) }); err != nil {
			return fmt.Errorf("utils.SaveImage %s: %w", path, err)
		}
		defer grid.Free()
		t = grid
	}
	img, err := ToImage(t)
	if err != nil {
		return fmt.Errorf("utils.SaveImage %s: %w", path, err)
	}
	return writePNG(img, path)
}

func writePNG(img image.Image, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("utils: writing %s: %w", path, err)
	}
	return f.Close()
}

// Unnormalize undoes transforms.Normalize(mean, std) on a tensor for
// display: x*std[c] + mean[c] over the channel dimension of [C, H, W] or
// [B, C, H, W] (one value applies to all channels). It is the tutorial's
// imshow step img / 2 + 0.5 for mean = std = 0.5, with the same float32
// results. torchvision has no such function; the vision/transforms twin
// for images in Go memory is transforms.Denormalize.
func Unnormalize(t *torch.Tensor, mean, std []float64) *torch.Tensor {
	if len(mean) == 0 || len(mean) != len(std) {
		panic(&torch.Error{Op: "Unnormalize", Msg: fmt.Sprintf("mean has %d values and std %d; want the same number, one per channel or one for all", len(mean), len(std))})
	}
	if t.Dim() < 3 {
		panic(&torch.Error{Op: "Unnormalize", Msg: fmt.Sprintf("want [C, H, W] or [B, C, H, W], got %v", t.Shape())})
	}
	m, s := make([]float32, len(mean)), make([]float32, len(std))
	for i := range mean {
		m[i], s[i] = float32(mean[i]), float32(std[i])
	}
	mt := torch.FromSlice(m, int64(len(m)), 1, 1)
	st := torch.FromSlice(s, int64(len(s)), 1, 1)
	defer mt.Free()
	defer st.Free()
	if d := t.Device(); d.IsCUDA() {
		mt, st = mt.To(d), st.To(d)
		defer mt.Free()
		defer st.Free()
	}
	scaled := t.Mul(st)
	defer scaled.Free()
	return scaled.Add(mt)
}

// errNoImages is returned for an empty batch.
var errNoImages = errors.New("utils: no images")
