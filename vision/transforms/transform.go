package transforms

import (
	"fmt"
	"strings"
)

// Transform is one step of an image pipeline: torchvision's transform
// callables (a torch.nn.Module or any callable taking and returning an
// image).
//
// Apply returns a new image and must leave src unchanged: datasets hand
// transforms images that share the dataset's own memory. Apply must be safe
// for concurrent use, because DataLoader workers transform samples in
// parallel. A transform given an image it cannot take (Normalize before
// ToTensor, a channel count that does not fit) panics with a message, as
// torchvision raises: that is a bug in the pipeline, not bad data.
type Transform interface {
	Apply(src *Image) *Image
}

// Pointwise is implemented by transforms whose every output value depends
// only on the input value at the same place and on its channel, and which
// keep the shape: ToTensor, Normalize, Denormalize, and a Compose of such.
// Datasets use it to replace a pipeline by per-channel lookup tables (see
// LookupTable). Pointwise reports whether that holds for this value (a
// Compose is pointwise only when all its steps are).
type Pointwise interface {
	Transform
	Pointwise() bool
}

// Shaper is implemented by transforms that can tell the shape of their
// output from the shape of their input without seeing pixels.
type Shaper interface {
	OutputShape(c, h, w int) (int, int, int)
}

// ComposeTransform is torchvision.transforms.Compose: its steps applied in
// order.
type ComposeTransform struct {
	Transforms []Transform
}

// Compose chains transforms: transforms.Compose([...]).
func Compose(ts ...Transform) *ComposeTransform {
	for i, t := range ts {
		if t == nil {
			panic(fmt.Sprintf("transforms.Compose: transform %d is nil", i))
		}
	}
	return &ComposeTransform{Transforms: ts}
}

// Apply runs every step in order.
func (c *ComposeTransform) Apply(src *Image) *Image {
	img := src
	for _, t := range c.Transforms {
		img = t.Apply(img)
	}
	if img == src {
		// An empty Compose still hands back a new image, as Apply promises.
		img = src.Clone()
	}
	return img
}

// Pointwise reports whether every step is pointwise.
func (c *ComposeTransform) Pointwise() bool {
	for _, t := range c.Transforms {
		if p, ok := t.(Pointwise); !ok || !p.Pointwise() {
			return false
		}
	}
	return true
}

// OutputShape chains the steps' output shapes (see the function
// OutputShape for steps that are not Shapers).
func (c *ComposeTransform) OutputShape(ch, h, w int) (int, int, int) {
	if !shapes(c) {
		out := c.Apply(NewByteImage(ch, h, w))
		return out.C, out.H, out.W
	}
	for _, t := range c.Transforms {
		ch, h, w = t.(Shaper).OutputShape(ch, h, w)
	}
	return ch, h, w
}

// shapes reports whether t tells its output shape without running.
func shapes(t Transform) bool {
	if c, ok := t.(*ComposeTransform); ok {
		for _, s := range c.Transforms {
			if !shapes(s) {
				return false
			}
		}
		return true
	}
	_, ok := t.(Shaper)
	return ok
}

// String lists the steps as torchvision's repr does.
func (c *ComposeTransform) String() string {
	var b strings.Builder
	b.WriteString("Compose(\n")
	for _, t := range c.Transforms {
		fmt.Fprintf(&b, "    %v\n", t)
	}
	b.WriteString(")")
	return b.String()
}

// OutputShape returns the shape t gives an input of shape (c, h, w): from
// Shaper where t (and, for a Compose, every step) implements it, otherwise
// by applying t to a black byte image of that shape. The latter runs t once,
// so a random transform draws from its generator.
func OutputShape(t Transform, c, h, w int) (int, int, int) {
	if t == nil {
		return c, h, w
	}
	if shapes(t) {
		return t.(Shaper).OutputShape(c, h, w)
	}
	out := t.Apply(NewByteImage(c, h, w))
	return out.C, out.H, out.W
}

// LookupTable returns, for a pointwise transform that turns bytes into
// floats (ToTensor, optionally followed by Normalize), the float32 it gives
// each byte value in each of the image's channels: table[c][v]. The tables
// are computed by running t itself on an image holding every byte value, so
// using them gives bit-for-bit what t.Apply gives. ok is false when t is
// not Pointwise, does not give a float image of unchanged shape, or panics
// on bytes (Normalize without ToTensor).
func LookupTable(t Transform, channels int) (table [][256]float32, ok bool) {
	p, isP := t.(Pointwise)
	if !isP || !p.Pointwise() || channels <= 0 {
		return nil, false
	}
	defer func() {
		if recover() != nil {
			table, ok = nil, false
		}
	}()
	probe := NewByteImage(channels, 1, 256)
	for c := 0; c < channels; c++ {
		for v := 0; v < 256; v++ {
			probe.Bytes[c*256+v] = uint8(v)
		}
	}
	out := t.Apply(probe)
	if !out.IsFloat() || out.C != channels || out.H != 1 || out.W != 256 {
		return nil, false
	}
	table = make([][256]float32, channels)
	for c := range table {
		copy(table[c][:], out.Pix[c*256:(c+1)*256])
	}
	return table, true
}
