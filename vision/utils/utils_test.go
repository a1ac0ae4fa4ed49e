package utils_test

import (
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
	"github.com/seed0eaa3131/gotorch/vision/utils"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomBatch is a float32 tensor of the shape with values in [0, 1) (and
// a few outside, to exercise clamping).
func randomBatch(seed uint64, shape ...int64) (*torch.Tensor, []float32) {
	r := rand.New(rand.NewPCG(seed, 1))
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = r.Float32()*1.1 - 0.05
	}
	return torch.FromSlice(v, shape...), v
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	return img
}

// TestAgainstTorchvision compares MakeGrid with make_grid and the PNG files
// of SaveImage with those of save_image, pixel by pixel.
func TestAgainstTorchvision(t *testing.T) {
	cases := []struct {
		name         string
		shape        []int64
		uint8        bool
		nrow, pad    int
		grey         bool // the Go PNG is grey where torchvision's is RGB
		pngFromBatch bool
	}{
		{"rgb batch", []int64{5, 3, 6, 7}, false, 2, 2, false, true},
		{"grey batch", []int64{3, 1, 5, 4}, false, 8, 0, false, true},
		{"full rows", []int64{4, 3, 3, 3}, false, 2, 1, false, true},
		{"one image", []int64{3, 8, 9}, false, 8, 2, false, false},
		{"one grey image", []int64{1, 8, 9}, false, 8, 2, true, false},
		{"2-D", []int64{6, 5}, false, 8, 2, true, false},
		{"uint8 batch", []int64{3, 3, 4, 4}, true, 2, 3, false, false},
	}
	dir := t.TempDir()
	type job struct {
		Shape []int64 `json:"shape"`
		Uint8 bool    `json:"uint8"`
		Nrow  int     `json:"nrow"`
		Pad   int     `json:"pad"`
		In    string  `json:"in"`
		Grid  string  `json:"grid"`
		PNG   string  `json:"png"`
	}
	jobs := make([]job, len(cases))
	inputs := make([]*torch.Tensor, len(cases))
	for i, tc := range cases {
		x, v := randomBatch(uint64(i), tc.shape...)
		if tc.uint8 {
			x = x.MulScalar(torch.Int(255)).Clamp(torch.ClampOpts{Min: new(torch.Int(0)), Max: new(torch.Int(255))}).ToDType(torch.Uint8)
		}
		inputs[i] = x
		j := job{Shape: tc.shape, Uint8: tc.uint8, Nrow: tc.nrow, Pad: tc.pad,
			In: filepath.Join(dir, tc.name+".in"), Grid: filepath.Join(dir, tc.name+".grid"), PNG: filepath.Join(dir, tc.name+".png")}
		if tc.uint8 {
			require.NoError(t, os.WriteFile(j.In, x.Uint8s(), 0o644))
		} else {
			require.NoError(t, os.WriteFile(j.In, float32Bytes(v), 0o644))
		}
		jobs[i] = j
	}
	spec, err := json.Marshal(jobs)
	require.NoError(t, err)
	specPath := filepath.Join(dir, "spec.json")
	require.NoError(t, os.WriteFile(specPath, spec, 0o644))
	var shapes [][]int64
	pytorch.JSON(t, `
import sys, json
import numpy as np
import torchvision.utils as U
shapes = []
for j in json.load(open(sys.argv[1])):
    x = torch.from_numpy(np.fromfile(j["in"], dtype=np.uint8 if j["uint8"] else np.float32)).reshape(j["shape"])
    g = U.make_grid(x, nrow=j["nrow"], padding=j["pad"])
    g.contiguous().numpy().tofile(j["grid"])
    shapes.append(list(g.shape))
    if not j["uint8"]:
        U.save_image(x, j["png"])
print(json.dumps(shapes))
`, &shapes, specPath)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := jobs[i]
			grid := utils.MakeGrid(inputs[i], tc.nrow, tc.pad)
			require.Equal(t, torch.Size(shapes[i]), grid.Shape())
			want, err := os.ReadFile(j.Grid)
			require.NoError(t, err)
			if tc.uint8 {
				assert.Equal(t, torch.Uint8, grid.DType())
				assert.Equal(t, want, grid.Uint8s())
				return
			}
			assert.Equal(t, want, float32Bytes(grid.Float32s()))

			goPNG := filepath.Join(t.TempDir(), "go.png")
			require.NoError(t, utils.SaveImage(inputs[i], goPNG))
			got, ref := decodePNG(t, goPNG), decodePNG(t, j.PNG)
			require.Equal(t, ref.Bounds(), got.Bounds())
			if tc.grey {
				assert.IsType(t, &image.Gray{}, got)
			}
			for y := 0; y < ref.Bounds().Dy(); y++ {
				for x := 0; x < ref.Bounds().Dx(); x++ {
					r1, g1, b1, _ := ref.At(x, y).RGBA()
					r2, g2, b2, _ := got.At(x, y).RGBA()
					require.Equal(t, []uint32{r1, g1, b1}, []uint32{r2, g2, b2}, "pixel (%d, %d)", x, y)
				}
			}
		})
	}
}

func float32Bytes(v []float32) []byte {
	out := make([]byte, 0, 4*len(v))
	for _, x := range v {
		b := math.Float32bits(x)
		out = append(out, byte(b), byte(b>>8), byte(b>>16), byte(b>>24))
	}
	return out
}

func TestToImageValues(t *testing.T) {
	cases := []struct {
		v    float32
		want uint8
	}{
		{0, 0}, {1, 255}, {0.5, 128}, {-0.3, 0}, {1.7, 255}, {float32(math.NaN()), 0},
		{0.1, 26}, {0.998, 254}, {0.999, 255},
	}
	v := make([]float32, len(cases))
	for i, c := range cases {
		v[i] = c.v
	}
	img, err := utils.ToImage(torch.FromSlice(v, 1, 1, int64(len(v))))
	require.NoError(t, err)
	for i, c := range cases {
		assert.Equal(t, c.want, img.(*image.Gray).GrayAt(i, 0).Y, "value %v", c.v)
	}

	rgb, err := utils.ToImage(torch.FromSlice([]uint8{1, 2, 3, 4, 5, 6}, 3, 1, 2))
	require.NoError(t, err)
	assert.Equal(t, color.RGBA{1, 3, 5, 255}, rgb.At(0, 0))
	assert.Equal(t, color.RGBA{2, 4, 6, 255}, rgb.At(1, 0))

	rgba, err := utils.ToImage(torch.FromSlice([]float64{0, 1, 0.5, 0.2}, 4, 1, 1))
	require.NoError(t, err)
	assert.Equal(t, color.NRGBA{0, 255, 128, 51}, rgba.At(0, 0))

	for _, bad := range []*torch.Tensor{
		torch.Zeros([]int64{2, 3, 4, 4}), torch.Zeros([]int64{2, 4, 4}), torch.Zeros([]int64{4}),
		torch.Zeros([]int64{1, 4, 4}, torch.WithDType(torch.Int64)),
	} {
		_, err := utils.ToImage(bad)
		assert.Error(t, err, "%v %v", bad.Shape(), bad.DType())
	}
	err = utils.SaveImage(torch.Zeros([]int64{2, 2, 4, 4}), filepath.Join(t.TempDir(), "x.png"))
	assert.ErrorContains(t, err, "2 channels")
}

func TestUnnormalize(t *testing.T) {
	x, _ := randomBatch(3, 3, 4, 5)
	norm := x.SubScalar(torch.Float(0.5)).DivScalar(torch.Float(0.5))
	// The tutorial's imshow: img / 2 + 0.5.
	want := norm.DivScalar(torch.Int(2)).AddScalar(torch.Float(0.5))
	got := utils.Unnormalize(norm, []float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5})
	assert.Equal(t, want.Float32s(), got.Float32s())

	// Per channel, the same numbers as transforms.Denormalize, batch or not.
	mean, std := []float64{0.4914, 0.4822, 0.4465}, []float64{0.247, 0.243, 0.261}
	img := &transforms.Image{C: 3, H: 4, W: 5, Pix: x.Float32s()}
	back := transforms.Denormalize(mean, std).Apply(img)
	assert.Equal(t, back.Pix, utils.Unnormalize(x, mean, std).Float32s())
	batch := x.Unsqueeze(0)
	assert.Equal(t, back.Pix, utils.Unnormalize(batch, mean, std).Float32s())
	assert.Panics(t, func() { utils.Unnormalize(x, mean, std[:2]) })
}

func TestSaveGridWithLabels(t *testing.T) {
	// Two grey 4x4 images: one black, one white.
	v := make([]float32, 2*16)
	for i := 16; i < 32; i++ {
		v[i] = 1
	}
	images := torch.FromSlice(v, 2, 1, 4, 4)
	path := filepath.Join(t.TempDir(), "grid.png")
	require.NoError(t, utils.SaveGridWithLabels(images, []string{"cat", "airplane"}, 1, path))
	img := decodePNG(t, path)
	// "airplane" is 8 glyphs of 7 pixels: the 4-pixel images are enlarged
	// 8 times (the most), cells are 60 wide, one column, two rows.
	b := img.Bounds()
	assert.Equal(t, 2+60+2, b.Dx())
	assert.Equal(t, 2+2*(32+15+2), b.Dy())
	x0 := 2 + (60-32)/2
	isWhite := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return r == 0xffff && g == 0xffff && bl == 0xffff
	}
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			require.False(t, isWhite(x0+x, 2+y), "first image is black at (%d, %d)", x, y)
			require.True(t, isWhite(x0+x, 2+49+y), "second image is white at (%d, %d)", x, y)
		}
	}
	white := 0
	for y := 2 + 32; y < 2+32+15; y++ {
		for x := 0; x < b.Dx(); x++ {
			if isWhite(x, y) {
				white++
			}
		}
	}
	assert.Greater(t, white, 10, "the caption under the first image")

	assert.ErrorContains(t, utils.SaveGridWithLabels(images, []string{"one"}, 1, path), "1 labels for 2 images")
	assert.ErrorContains(t, utils.SaveGridWithLabels(images.Select(0, 0), []string{"one"}, 1, path), "want a batch")
}
