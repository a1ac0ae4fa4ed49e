// Package utils is torchvision.utils for looking at data: MakeGrid and
// SaveImage, plus what the tutorial's imshow does by hand (undo the
// normalisation, move channels last, show) turned into a PNG file a person
// opens: ToImage, Unnormalize, SaveGridWithLabels.
//
//	// imshow(img): img = img / 2 + 0.5; plt.imshow(np.transpose(img, (1, 2, 0)))
//	img := utils.Unnormalize(sampleImage, []float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5})
//	err := utils.SaveImage(img, "sample.png")
package utils

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// MakeGrid lays a batch of images out as one image: torchvision.utils
// .make_grid(tensor, nrow, padding) with pad_value 0. batch is [B, C, H, W]
// (or [C, H, W], one image, or [H, W]); images go nrow to a row with
// padding pixels of 0 around and between them. As in torchvision,
// one-channel images become three identical channels, and a single image
// is returned without padding. The result keeps batch's dtype and device.
// It panics (with a *torch.Error) for other shapes or nrow < 1, as
// make_grid raises.
func MakeGrid(batch *torch.Tensor, nrow, padding int) *torch.Tensor {
	if nrow < 1 || padding < 0 {
		panic(&torch.Error{Op: "MakeGrid", Msg: fmt.Sprintf("nrow %d and padding %d; want nrow >= 1 and padding >= 0", nrow, padding)})
	}
	t := batch
	var temps []*torch.Tensor
	keep := func(x *torch.Tensor) *torch.Tensor { temps = append(temps, x); return x }
	defer func() {
		for _, x := range temps {
			x.Free()
		}
	}()
	switch t.Dim() {
	case 2:
		t = keep(t.Unsqueeze(0))
		fallthrough
	case 3:
		if t.Size(0) == 1 {
			t = keep(torch.Cat([]*torch.Tensor{t, t, t}))
		}
		t = keep(t.Unsqueeze(0))
	case 4:
	default:
		panic(&torch.Error{Op: "MakeGrid", Msg: fmt.Sprintf("want a batch [B, C, H, W], an image [C, H, W] or [H, W]; got %v", t.Shape())})
	}
	if t.Size(1) == 1 {
		t = keep(torch.Cat([]*torch.Tensor{t, t, t}, torch.CatOpts{Dim: 1}))
	}
	if t.Size(0) == 1 {
		return t.SqueezeDim(0).Contiguous()
	}
	nmaps := int(t.Size(0))
	xmaps := min(nrow, nmaps)
	ymaps := (nmaps + xmaps - 1) / xmaps
	c, h, w := t.Size(1), t.Size(2)+int64(padding), t.Size(3)+int64(padding)
	grid := torch.Zeros([]int64{c, h*int64(ymaps) + int64(padding), w*int64(xmaps) + int64(padding)},
		torch.WithDType(t.DType()), torch.WithDevice(t.Device()))
	for k := 0; k < nmaps; k++ {
		y, x := k/xmaps, k%xmaps
		rows := keep(grid.Narrow(1, int64(y)*h+int64(padding), h-int64(padding)))
		cell := keep(rows.Narrow(2, int64(x)*w+int64(padding), w-int64(padding)))
		cell.Copy_(keep(t.Select(0, int64(k))))
	}
	return grid
}
