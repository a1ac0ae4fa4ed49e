package datasets

import (
	"fmt"
	"slices"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// imageSet is what MNIST and CIFAR10 share: labelled byte images of one
// shape kept in one slice, channel-first, and the transform applied on the
// way out. It is read-only once built, so every method is safe for
// concurrent use (transforms lock their own random generators).
type imageSet struct {
	name    string // "MNIST", "CIFAR10", for messages
	c, h, w int
	data    []uint8
	targets []int64
	classes []string
	opts    Options

	// sample is the shape after the transform.
	sample [3]int
	// lut maps bytes to transformed floats, per channel, when the
	// transform is pointwise (ToTensor, Normalize): GetBatch and Get then
	// skip the per-image transform.
	lut [][256]float32
}

// newImageSet wraps the images and works out what the transform makes of
// them; a transform that cannot even take a black image of the dataset's
// shape is reported here rather than at the first batch.
func newImageSet(name string, c, h, w int, data []uint8, targets []int64, classes []string, opts Options) (s *imageSet, err error) {
	s = &imageSet{name: name, c: c, h: h, w: w, data: data, targets: targets, classes: classes, opts: opts}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("datasets.%s: the Transform fails on a uint8 image (%d, %d, %d): %v", name, c, h, w, r)
		}
	}()
	s.sample[0], s.sample[1], s.sample[2] = transforms.OutputShape(opts.Transform, c, h, w)
	if opts.Transform != nil {
		s.lut, _ = transforms.LookupTable(opts.Transform, c)
	}
	return s, nil
}

// Len is the number of samples: len(dataset).
func (s *imageSet) Len() int { return len(s.targets) }

// Shape is the shape of the raw images, (C, H, W): (1, 28, 28) for MNIST,
// (3, 32, 32) for CIFAR-10.
func (s *imageSet) Shape() (c, h, w int) { return s.c, s.h, s.w }

// Data returns the raw images, N*C*H*W bytes, image after image, each
// channel-first: torchvision's dataset.data (which CIFAR10 keeps
// channel-last; here both are channel-first). It is the dataset's own
// memory: do not modify it.
func (s *imageSet) Data() []uint8 { return s.data }

// Targets returns the labels: torchvision's dataset.targets. It is the
// dataset's own memory: do not modify it.
func (s *imageSet) Targets() []int64 { return s.targets }

// Classes returns the class names: torchvision's dataset.classes.
func (s *imageSet) Classes() []string { return slices.Clone(s.classes) }

// SampleShape is the shape of one sample after the transform, e.g. [1, 28,
// 28]; every sample has it.
func (s *imageSet) SampleShape() []int64 {
	return []int64{int64(s.sample[0]), int64(s.sample[1]), int64(s.sample[2])}
}

// Image returns sample i as a byte image before any transform; it shares
// the dataset's memory.
func (s *imageSet) Image(i int) *transforms.Image {
	s.checkIndex("Image", i)
	n := s.c * s.h * s.w
	return transforms.FromUint8(s.data[i*n:(i+1)*n:(i+1)*n], s.c, s.h, s.w, false)
}

func (s *imageSet) checkIndex(op string, i int) {
	if i < 0 || i >= len(s.targets) {
		panic(fmt.Sprintf("datasets.%s.%s: index %d out of range [0, %d)", s.name, op, i, len(s.targets)))
	}
}

func (s *imageSet) label(i int) int64 {
	y := s.targets[i]
	if s.opts.TargetTransform != nil {
		y = s.opts.TargetTransform(y)
	}
	return y
}

// Get returns sample i with the transform applied, and its label with the
// target transform applied: dataset[i]. Without a transform the image is a
// uint8 tensor [C, H, W]. It panics for an index out of range, as a Python
// list raises IndexError.
func (s *imageSet) Get(i int) (*torch.Tensor, int64) {
	s.checkIndex("Get", i)
	if s.lut != nil {
		pix := make([]float32, s.c*s.h*s.w)
		s.lookup(i, pix)
		return torch.FromSlice(pix, s.SampleShape()...), s.label(i)
	}
	img := s.Image(i) // shares the dataset's bytes; Tensor copies them
	if s.opts.Transform != nil {
		img = s.opts.Transform.Apply(img)
	}
	return img.Tensor(), s.label(i)
}

// lookup writes sample i through the per-channel tables.
func (s *imageSet) lookup(i int, dst []float32) {
	plane := s.h * s.w
	src := s.data[i*s.c*plane : (i+1)*s.c*plane]
	for c := 0; c < s.c; c++ {
		table := &s.lut[c]
		in, out := src[c*plane:(c+1)*plane], dst[c*plane:(c+1)*plane]
		for p, v := range in {
			out[p] = table[v]
		}
	}
}

// GetBatch writes the transformed samples at indices into images
// ([len(indices), C, H, W] float32, C order) and their labels into labels:
// torch/data's BatchDataset, what default_collate of dataset[i] for each
// index would give. A pointwise transform (ToTensor, Normalize) runs as
// per-channel table look-ups straight from the raw bytes, with the same
// float32 results as Apply; any other transform runs per sample. It returns
// an error for buffers of the wrong size, an index out of range, a
// transform that does not end in float images of SampleShape (so a nil
// Transform, as torchvision's default_collate cannot batch PIL images
// either), or a transform that panics.
func (s *imageSet) GetBatch(indices []int, images []float32, labels []int64) (err error) {
	per := s.sample[0] * s.sample[1] * s.sample[2]
	if len(images) != len(indices)*per || len(labels) != len(indices) {
		return fmt.Errorf("datasets.%s.GetBatch: %d indices need %d image values and %d labels, got buffers of %d and %d",
			s.name, len(indices), len(indices)*per, len(indices), len(images), len(labels))
	}
	for _, i := range indices {
		if i < 0 || i >= len(s.targets) {
			return fmt.Errorf("datasets.%s.GetBatch: index %d out of range [0, %d)", s.name, i, len(s.targets))
		}
	}
	if s.opts.Transform == nil {
		return fmt.Errorf("datasets.%s.GetBatch: no Transform, so samples are uint8 images; add transforms.ToTensor() to make float batches", s.name)
	}
	for k, i := range indices {
		labels[k] = s.label(i)
	}
	if s.lut != nil {
		for k, i := range indices {
			s.lookup(i, images[k*per:(k+1)*per])
		}
		return nil
	}
	for k, i := range indices {
		if err := s.applyInto(i, images[k*per:(k+1)*per]); err != nil {
			return err
		}
	}
	return nil
}

// applyInto runs the transform on sample i and copies the result into dst,
// turning a transform's panic into an error that names the sample.
func (s *imageSet) applyInto(i int, dst []float32) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("datasets.%s.GetBatch: transform of sample %d: %v", s.name, i, r)
		}
	}()
	out := s.opts.Transform.Apply(s.Image(i))
	if !out.IsFloat() {
		return fmt.Errorf("datasets.%s.GetBatch: transform of sample %d gives a %v; batches need float images: end the transform with transforms.ToTensor()", s.name, i, out)
	}
	if out.C != s.sample[0] || out.H != s.sample[1] || out.W != s.sample[2] {
		return fmt.Errorf("datasets.%s.GetBatch: transform of sample %d gives a %v, want the sample shape %v", s.name, i, out, s.sample)
	}
	copy(dst, out.Pix)
	return nil
}
