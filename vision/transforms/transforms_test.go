package transforms_test

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testImages returns byte images of the given shapes with random pixels,
// plus, for the first shape, one that holds every byte value.
func testImages(seed uint64, shapes ...[3]int) []*transforms.Image {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []*transforms.Image
	for _, s := range shapes {
		m := transforms.NewByteImage(s[0], s[1], s[2])
		for i := range m.Bytes {
			m.Bytes[i] = uint8(r.IntN(256))
		}
		out = append(out, m)
	}
	all := transforms.NewByteImage(shapes[0][0], shapes[0][1], shapes[0][2])
	for i := range all.Bytes {
		all.Bytes[i] = uint8(i * 7)
	}
	return append(out, all)
}

var gray, rgb = [3]int{1, 28, 28}, [3]int{3, 32, 32}

func TestAgainstTorchvision(t *testing.T) {
	cases := []struct {
		name     string
		shapes   [][3]int
		go_      transforms.Transform
		pipeline string
		tol      float64
	}{
		{"ToTensor gray", [][3]int{gray, {1, 5, 9}}, transforms.ToTensor(), "lambda x, p: T.ToTensor()(x)", 0},
		{"ToTensor rgb", [][3]int{rgb}, transforms.ToTensor(), "lambda x, p: T.ToTensor()(x)", 0},
		{"MNIST normalize", [][3]int{gray}, transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081})),
			"lambda x, p: T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])(x)", 0},
		{"CIFAR normalize", [][3]int{rgb}, transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5})),
			"lambda x, p: T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])(x)", 0},
		{"ImageNet normalize", [][3]int{rgb}, transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.485, 0.456, 0.406}, []float64{0.229, 0.224, 0.225})),
			"lambda x, p: T.Compose([T.ToTensor(), T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])(x)", 0},
		{"one mean for three channels", [][3]int{rgb}, transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.2}, []float64{0.7})),
			"lambda x, p: T.Compose([T.ToTensor(), T.Normalize((0.2,), (0.7,))])(x)", 0},
		{"Resize PIL down", [][3]int{gray, {1, 13, 40}}, transforms.Resize(20), "lambda x, p: T.Resize(20)(x)", 0},
		{"Resize PIL up", [][3]int{gray}, transforms.Resize(40, 36), "lambda x, p: T.Resize((40, 36))(x)", 0},
		{"Resize PIL mixed rgb", [][3]int{rgb, {3, 17, 45}}, transforms.Resize(23, 50), "lambda x, p: T.Resize((23, 50))(x)", 0},
		{"Resize PIL width only", [][3]int{gray}, transforms.Resize(28, 11), "lambda x, p: T.Resize((28, 11))(x)", 0},
		{"Resize PIL height only", [][3]int{gray}, transforms.Resize(9, 28), "lambda x, p: T.Resize((9, 28))(x)", 0},
		{"Resize PIL max_size", [][3]int{{1, 10, 30}}, &transforms.ResizeTransform{Size: []int{15}, MaxSize: 40}, "lambda x, p: T.Resize(15, max_size=40)(x)", 0},
		{"Resize tensor down", [][3]int{gray, {1, 13, 40}}, transforms.Compose(transforms.ToTensor(), transforms.Resize(20)),
			"lambda x, p: T.Resize(20, antialias=False)(T.ToTensor()(x))", transforms.ResizeTensorTolerance},
		{"Resize tensor up rgb", [][3]int{rgb}, transforms.Compose(transforms.ToTensor(), transforms.Resize(45, 70)),
			"lambda x, p: T.Resize((45, 70), antialias=False)(T.ToTensor()(x))", transforms.ResizeTensorTolerance},
		{"CenterCrop PIL", [][3]int{gray, rgb}, transforms.CenterCrop(21), "lambda x, p: T.CenterCrop(21)(x)", 0},
		{"CenterCrop PIL rect", [][3]int{gray}, transforms.CenterCrop(25, 14), "lambda x, p: T.CenterCrop((25, 14))(x)", 0},
		{"CenterCrop PIL larger", [][3]int{gray}, transforms.CenterCrop(31, 33), "lambda x, p: T.CenterCrop((31, 33))(x)", 0},
		{"CenterCrop PIL partly larger", [][3]int{gray}, transforms.CenterCrop(35, 20), "lambda x, p: T.CenterCrop((35, 20))(x)", 0},
		{"CenterCrop tensor", [][3]int{rgb}, transforms.Compose(transforms.ToTensor(), transforms.CenterCrop(27, 33)),
			"lambda x, p: T.CenterCrop((27, 33))(T.ToTensor()(x))", 0},
		{"HFlip PIL", [][3]int{gray, rgb}, transforms.RandomHorizontalFlip(1, nil), "lambda x, p: F.hflip(x)", 0},
		{"HFlip tensor", [][3]int{rgb}, transforms.Compose(transforms.ToTensor(), transforms.RandomHorizontalFlip(1, nil)),
			"lambda x, p: F.hflip(T.ToTensor()(x))", 0},
		{"no flip", [][3]int{gray}, transforms.RandomHorizontalFlip(0, nil), "lambda x, p: x", 0},
		{"tutorial augmentation", [][3]int{rgb}, transforms.Compose(transforms.Resize(36), transforms.CenterCrop(32), transforms.ToTensor(),
			transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5})),
			"lambda x, p: T.Compose([T.Resize(36), T.CenterCrop(32), T.ToTensor(), T.Normalize((0.5,)*3, (0.5,)*3)])(x)", 0},
	}
	jobs := make([]refJob, len(cases))
	for i, tc := range cases {
		jobs[i] = refJob{Pipeline: tc.pipeline, Images: testImages(uint64(i), tc.shapes...)}
	}
	wants := torchvision(t, jobs)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			imgs, want := jobs[i].Images, wants[i]
			for k, img := range imgs {
				before := img.Clone()
				got := tc.go_.Apply(img)
				requireSame(t, want[k], got, tc.tol, fmt.Sprintf("image %d %v", k, img))
				require.Equal(t, before, img, "Apply changed its input")
				c, h, w := transforms.OutputShape(tc.go_, img.C, img.H, img.W)
				require.Equal(t, []int{got.C, got.H, got.W}, []int{c, h, w}, "OutputShape")
			}
		})
	}
}

// RandomCrop's draws differ from torch's generator, so the test takes the
// corner that GetParams drew from a twin with the same seed and checks the
// crop against torchvision's pad and crop at that corner.
func TestRandomCropAgainstTorchvision(t *testing.T) {
	cases := []struct {
		name     string
		make     func(r *rand.Rand) *transforms.RandomCropTransform
		float    bool
		shapes   [][3]int
		padded   func(h, w int) (int, int)
		pipeline string
	}{
		{"PIL padding 4", func(r *rand.Rand) *transforms.RandomCropTransform { return transforms.RandomCrop(32, 4, r) }, false,
			[][3]int{rgb, rgb, rgb}, func(h, w int) (int, int) { return h + 8, w + 8 },
			"lambda x, p: F.crop(F.pad(x, [4, 4, 4, 4]), p[0], p[1], 32, 32)"},
		{"tensor padding 2", func(r *rand.Rand) *transforms.RandomCropTransform { return transforms.RandomCrop(28, 2, r) }, true,
			[][3]int{gray, gray}, func(h, w int) (int, int) { return h + 4, w + 4 },
			"lambda x, p: F.crop(F.pad(T.ToTensor()(x), [2, 2, 2, 2]), p[0], p[1], 28, 28)"},
		{"PIL no padding", func(r *rand.Rand) *transforms.RandomCropTransform { return transforms.RandomCrop(20, 0, r) }, false,
			[][3]int{gray, gray}, func(h, w int) (int, int) { return h, w },
			"lambda x, p: F.crop(x, p[0], p[1], 20, 20)"},
		{"PIL fill and uneven padding", func(r *rand.Rand) *transforms.RandomCropTransform {
			c := transforms.RandomCrop(30, 0, r)
			c.Padding, c.Fill = [4]int{1, 2, 3, 4}, 9
			return c
		}, false, [][3]int{gray}, func(h, w int) (int, int) { return h + 6, w + 4 },
			"lambda x, p: F.crop(F.pad(x, [1, 2, 3, 4], fill=9), p[0], p[1], 30, 30)"},
	}
	jobs := make([]refJob, len(cases))
	for i, tc := range cases {
		imgs := testImages(11, tc.shapes...)
		twin := tc.make(rand.New(rand.NewPCG(3, 4)))
		params := make([]any, len(imgs))
		seen := map[[2]int]bool{}
		for k, img := range imgs {
			h, w := tc.padded(img.H, img.W)
			top, left := twin.GetParams(h, w)
			params[k] = []int{top, left}
			seen[[2]int{top, left}] = true
		}
		if len(imgs) > 2 {
			require.Greater(t, len(seen), 1, "%s: the crop never moved", tc.name)
		}
		jobs[i] = refJob{Pipeline: tc.pipeline, Images: imgs, Params: params}
	}
	wants := torchvision(t, jobs)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			crop := tc.make(rand.New(rand.NewPCG(3, 4)))
			imgs, want, params := jobs[i].Images, wants[i], jobs[i].Params
			for k, img := range imgs {
				in := img
				if tc.float {
					in = transforms.ToTensor().Apply(img)
				}
				requireSame(t, want[k], crop.Apply(in), 0, fmt.Sprintf("image %d at %v", k, params[k]))
			}
		})
	}
}

func TestRandomnessIsSeededAndUsed(t *testing.T) {
	img := testImages(5, gray)[0]
	run := func(seed uint64) (flips int, outs []*transforms.Image) {
		f := transforms.RandomHorizontalFlip(0.5, rand.New(rand.NewPCG(seed, 0)))
		c := transforms.RandomCrop(28, 3, rand.New(rand.NewPCG(seed, 1)))
		for range 200 {
			o := f.Apply(img)
			if !assert.ObjectsAreEqual(o.Bytes, img.Bytes) {
				flips++
			}
			outs = append(outs, c.Apply(img))
		}
		return flips, outs
	}
	f1, o1 := run(1)
	f2, o2 := run(1)
	_, o3 := run(2)
	assert.Equal(t, f1, f2)
	assert.Equal(t, o1, o2, "same seed, same crops")
	assert.NotEqual(t, o1, o3, "another seed, other crops")
	assert.InDelta(t, 100, f1, 30, "p=0.5 flips about half the time")
}

func TestRandomCropPadIfNeeded(t *testing.T) {
	img := testImages(1, [3]int{1, 10, 6})[0]
	c := transforms.RandomCrop(12, 0, rand.New(rand.NewPCG(1, 1)))
	c.PadIfNeeded = true
	out := c.Apply(img)
	assert.Equal(t, []int{1, 12, 12}, []int{out.C, out.H, out.W})
	c.PadIfNeeded = false
	assert.PanicsWithValue(t, "transforms.RandomCrop: required crop size (12, 12) is larger than input image size (10, 6)", func() { c.Apply(img) })
}

func TestLookupTableMatchesApply(t *testing.T) {
	cases := []struct {
		name string
		t    transforms.Transform
		c    int
		ok   bool
	}{
		{"ToTensor", transforms.ToTensor(), 1, true},
		{"MNIST", transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081})), 1, true},
		{"CIFAR", transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.4914, 0.4822, 0.4465}, []float64{0.247, 0.243, 0.261})), 3, true},
		{"round trip", transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.5}, []float64{0.5}), transforms.Denormalize([]float64{0.5}, []float64{0.5})), 3, true},
		{"flip is not pointwise", transforms.Compose(transforms.ToTensor(), transforms.RandomHorizontalFlip(0.5, nil)), 1, false},
		{"resize is not pointwise", transforms.Resize(10), 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			table, ok := transforms.LookupTable(tc.t, tc.c)
			require.Equal(t, tc.ok, ok)
			if !ok {
				return
			}
			img := testImages(9, [3]int{tc.c, 16, 16})[0]
			want := tc.t.Apply(img)
			plane := img.H * img.W
			for i, v := range img.Bytes {
				require.Equal(t, want.Pix[i], table[i/plane][v], "value %d at %d", v, i)
			}
		})
	}
}

func TestNormalizeInverse(t *testing.T) {
	img := transforms.ToTensor().Apply(testImages(2, rgb)[0])
	norm := transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5})
	back := transforms.Denormalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5}).Apply(norm.Apply(img))
	// The tutorial's imshow: img / 2 + 0.5.
	for i, v := range norm.Apply(img).Pix {
		require.Equal(t, v/2+0.5, back.Pix[i])
		require.InDelta(t, img.Pix[i], back.Pix[i], 1e-7)
	}
}

func TestMisuse(t *testing.T) {
	byteImg := testImages(1, gray)[0]
	floatImg := transforms.ToTensor().Apply(byteImg)
	cases := []struct {
		name string
		f    func()
		msg  string
	}{
		{"ToTensor twice", func() { transforms.ToTensor().Apply(floatImg) }, "has been through ToTensor already"},
		{"Normalize before ToTensor", func() { transforms.Normalize([]float64{0.5}, []float64{0.5}).Apply(byteImg) }, "put ToTensor() before it"},
		{"Normalize channels", func() {
			transforms.Normalize([]float64{0.5, 0.5}, []float64{0.5, 0.5}).Apply(floatImg)
		}, "2 mean/std values for a float32 image (1, 28, 28); want 1 or 1"},
		{"zero std", func() { transforms.Normalize([]float64{0.5}, []float64{1e-50}) }, "evaluated to zero"},
		{"length mismatch", func() { transforms.Normalize([]float64{0.5}, []float64{0.5, 0.2}) }, "mean has 1 values and std 2"},
		{"bad FromUint8", func() { transforms.FromUint8(make([]uint8, 5), 1, 2, 2, true) }, "5 bytes for shape"},
		{"bad resize", func() { transforms.Resize(0) }, "want one positive value"},
		{"hand-made image", func() { transforms.ToTensor().Apply(&transforms.Image{C: 1, H: 2, W: 2, Bytes: []uint8{1}}) }, "has 1 values, want C*H*W = 4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				require.NotNil(t, r, "no panic")
				require.Contains(t, fmt.Sprint(r), tc.msg)
			}()
			tc.f()
		})
	}
}

func TestFromImageAndUint8(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	for i := range g.Pix {
		g.Pix[i] = uint8(10 * i)
	}
	m := transforms.FromImage(g)
	assert.Equal(t, []uint8{0, 10, 20, 30, 40, 50}, m.Bytes)
	assert.Equal(t, "uint8 image (1, 2, 3)", m.String())

	sub := g.SubImage(image.Rect(1, 1, 3, 2)).(*image.Gray)
	assert.Equal(t, []uint8{40, 50}, transforms.FromImage(sub).Bytes)

	rgba := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	rgba.SetNRGBA(0, 0, color.NRGBA{1, 2, 3, 255})
	rgba.SetNRGBA(1, 0, color.NRGBA{4, 5, 6, 255})
	assert.Equal(t, []uint8{1, 4, 2, 5, 3, 6}, transforms.FromImage(rgba).Bytes, "opaque: RGB planes")
	rgba.SetNRGBA(1, 0, color.NRGBA{4, 5, 6, 7})
	assert.Equal(t, []uint8{1, 4, 2, 5, 3, 6, 255, 7}, transforms.FromImage(rgba).Bytes, "transparent: RGBA planes")

	hwc := []uint8{1, 2, 3, 4, 5, 6} // two pixels of (R, G, B)
	assert.Equal(t, []uint8{1, 4, 2, 5, 3, 6}, transforms.FromUint8(hwc, 3, 1, 2, true).Bytes)
	assert.Equal(t, hwc, transforms.FromUint8(hwc, 3, 1, 2, false).Bytes)
}

func TestTensor(t *testing.T) {
	img := testImages(3, [3]int{3, 4, 5})[0]
	bt := img.Tensor()
	assert.Equal(t, "torch.Size([3, 4, 5])", bt.Shape().String())
	assert.Equal(t, torch.Uint8, bt.DType())
	assert.Equal(t, img.Bytes, bt.Uint8s())
	f := transforms.ToTensor().Apply(img)
	ft := f.Tensor()
	assert.Equal(t, torch.Float32, ft.DType())
	assert.Equal(t, f.Pix, ft.Float32s())
}

func TestEmptyImages(t *testing.T) {
	for _, tf := range []transforms.Transform{transforms.ToTensor(), transforms.RandomHorizontalFlip(1, nil)} {
		out := tf.Apply(transforms.NewByteImage(1, 3, 0))
		assert.Equal(t, 0, out.Len())
	}
	assert.Equal(t, 0, transforms.HFlip(transforms.NewFloatImage(2, 0, 0)).Len())
}
