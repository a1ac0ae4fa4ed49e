package utils

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/seed0eaa3131/gotorch/torch"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Layout of SaveGridWithLabels.
const (
	labelPad     = 2  // pixels around and between cells
	captionH     = 15 // basicfont.Face7x13 is 13 pixels high
	maxUpscale   = 8  // tiny images are enlarged at most this much
	minTileWidth = 56 // and, within that, to at least this width
	captionGap   = 4  // horizontal room left around a caption
	glyphAdvance = 7  // basicfont.Face7x13's advance
)

// SaveGridWithLabels writes images ([B, C, H, W], float in [0, 1] or
// uint8, C = 1 or 3) to a PNG grid of nrow images a row, each with its
// label written under it: what the tutorial's plt.imshow calls with
// plt.title show, in one picture file. Small images are enlarged by a
// whole factor (nearest neighbour, at most 8x) to be at least 56 pixels
// wide and as wide as the longest label. torchvision has no twin; the cells are laid out like
// MakeGrid's, with a black background.
func SaveGridWithLabels(images *torch.Tensor, labels []string, nrow int, path string) error {
	if images.Dim() != 4 {
		return fmt.Errorf("utils.SaveGridWithLabels %s: want a batch [B, C, H, W], got %v", path, images.Shape())
	}
	b := int(images.Size(0))
	if b == 0 {
		return fmt.Errorf("utils.SaveGridWithLabels %s: %w", path, errNoImages)
	}
	if len(labels) != b {
		return fmt.Errorf("utils.SaveGridWithLabels %s: %d labels for %d images", path, len(labels), b)
	}
	if nrow < 1 {
		return fmt.Errorf("utils.SaveGridWithLabels %s: nrow %d, want at least 1", path, nrow)
	}
	h, w := int(images.Size(2)), int(images.Size(3))
	longest := 0
	for _, l := range labels {
		longest = max(longest, len([]rune(l))*glyphAdvance)
	}
	scale := 1
	for scale < maxUpscale && (w*scale < longest+captionGap || w*scale < minTileWidth) {
		scale++
	}
	cellW, cellH := max(w*scale, longest+captionGap), h*scale+captionH
	cols := min(nrow, b)
	rows := (b + cols - 1) / cols
	canvas := image.NewRGBA(image.Rect(0, 0, cols*(cellW+labelPad)+labelPad, rows*(cellH+labelPad)+labelPad))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.Black), image.Point{}, draw.Src)
	face := basicfont.Face7x13
	for k := 0; k < b; k++ {
		one := images.Select(0, int64(k))
		img, err := ToImage(one)
		one.Free()
		if err != nil {
			return fmt.Errorf("utils.SaveGridWithLabels %s: image %d: %w", path, k, err)
		}
		x0 := labelPad + (k%cols)*(cellW+labelPad)
		y0 := labelPad + (k/cols)*(cellH+labelPad)
		left := x0 + (cellW-w*scale)/2
		for y := 0; y < h*scale; y++ {
			for x := 0; x < w*scale; x++ {
				canvas.Set(left+x, y0+y, img.At(x/scale, y/scale))
			}
		}
		textW := font.MeasureString(face, labels[k]).Ceil()
		d := font.Drawer{
			Dst:  canvas,
			Src:  image.NewUniform(color.White),
			Face: face,
			Dot:  fixed.P(x0+(cellW-textW)/2, y0+h*scale+face.Ascent+1),
		}
		d.DrawString(labels[k])
	}
	return writePNG(canvas, path)
}
