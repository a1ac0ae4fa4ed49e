package data

import (
	"fmt"
	"iter"
	"slices"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Sized is anything with a length, as Python's len(x): every Dataset is
// one. Samplers take the data source they draw indices for as a Sized and
// read its Len each time an iteration starts, as PyTorch's samplers call
// len(data_source) in __iter__.
type Sized interface {
	Len() int
}

// Sampler is torch.utils.data.Sampler[T]: something that yields dataset
// indices (Sampler[int], the sampler= of DataLoader) or batches of them
// (Sampler[[]int], the batch_sampler=). Len is __len__ and All is
// __iter__: each call of the sequence All returns is a new pass, which
// draws its random numbers lazily, as a Python generator does: nothing when
// the iteration is created, the first draws when the first element is asked
// for, and the rest as the elements are consumed.
type Sampler[T any] interface {
	Len() int
	All() iter.Seq[T]
}

// valueError is the panic of a constructor given a bad argument: a
// *torch.Error of kind ValueError with PyTorch's own message.
func valueError(op, format string, args ...any) *torch.Error {
	return &torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf(format, args...)}
}

// SequentialSampler is torch.utils.data.SequentialSampler: 0, 1, ...,
// Len()-1, always in that order. It draws no random numbers.
type SequentialSampler struct {
	src Sized
}

// NewSequentialSampler is SequentialSampler(data_source).
func NewSequentialSampler(src Sized) *SequentialSampler {
	if src == nil {
		panic(valueError("data.NewSequentialSampler", "data_source is nil"))
	}
	return &SequentialSampler{src: src}
}

// Len is len(data_source).
func (s *SequentialSampler) Len() int { return s.src.Len() }

// All yields 0 .. len(data_source)-1.
func (s *SequentialSampler) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range s.src.Len() {
			if !yield(i) {
				return
			}
		}
	}
}

// RandomSamplerOpts are RandomSampler's defaulted arguments; the zero value
// is PyTorch's defaults.
type RandomSamplerOpts struct {
	// Replacement is replacement=: draw each index independently (with
	// torch.randint, 32 at a time) instead of permuting.
	Replacement bool
	// NumSamples is num_samples=: how many indices one pass yields. 0 means
	// len(data_source), PyTorch's default (None).
	NumSamples int
	// Generator is generator=. Nil draws a fresh seed from the default
	// generator at the start of every pass and shuffles with a new
	// torch.Generator seeded with it, as PyTorch does.
	Generator *torch.Generator
}

// RandomSampler is torch.utils.data.RandomSampler: a random permutation of
// the data source per pass (or, with Replacement, NumSamples independent
// draws), drawn with libtorch's own torch.randperm / torch.randint, so the
// same seed gives the same indices as PyTorch.
//
// A pass without a Generator first draws seed =
// torch.empty((), dtype=torch.int64).random_() from the default generator
// and shuffles with torch.Generator().manual_seed(seed); with a Generator,
// every draw comes from it. Without replacement a pass yields NumSamples/n
// whole permutations and then the first NumSamples%n indices of one more,
// which is drawn even when NumSamples%n is 0 (when the element after the
// last is asked for): PyTorch does the same, and it matters for what a
// shared Generator draws next.
type RandomSampler struct {
	src  Sized
	opts RandomSamplerOpts
}

// NewRandomSampler is RandomSampler(data_source, replacement=False,
// num_samples=None, generator=None). It panics with PyTorch's ValueError
// message when the number of samples (NumSamples, or the length of the data
// source) is not positive.
func NewRandomSampler(src Sized, opts ...RandomSamplerOpts) *RandomSampler {
	if src == nil {
		panic(valueError("data.NewRandomSampler", "data_source is nil"))
	}
	s := &RandomSampler{src: src}
	if len(opts) > 0 {
		s.opts = opts[0]
	}
	if n := s.NumSamples(); n <= 0 {
		panic(valueError("data.NewRandomSampler", "num_samples should be a positive integer value, but got num_samples=%d", n))
	}
	return s
}

// NumSamples is RandomSampler.num_samples: NumSamples, or len(data_source)
// when that is 0.
func (s *RandomSampler) NumSamples() int {
	if s.opts.NumSamples == 0 {
		return s.src.Len()
	}
	return s.opts.NumSamples
}

// Replacement is RandomSampler.replacement.
func (s *RandomSampler) Replacement() bool { return s.opts.Replacement }

// Generator is RandomSampler.generator: nil when the default generator
// seeds each pass.
func (s *RandomSampler) Generator() *torch.Generator { return s.opts.Generator }

// Len is len(sampler): NumSamples.
func (s *RandomSampler) Len() int { return s.NumSamples() }

// All is RandomSampler.__iter__: one pass of NumSamples indices.
func (s *RandomSampler) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		n := s.src.Len()
		g := s.opts.Generator
		if g == nil {
			g = torch.NewGenerator().ManualSeed(uint64(randomInt64(nil)))
		}
		num := s.NumSamples()
		if s.opts.Replacement {
			for range num / 32 {
				if !yieldTensor(yield, torch.RandintGenerator(int64(n), []int64{32}, g), -1) {
					return
				}
			}
			yieldTensor(yield, torch.RandintGenerator(int64(n), []int64{int64(num % 32)}, g), -1)
			return
		}
		if n <= 0 {
			// Python fails here with ZeroDivisionError (num_samples // n).
			panic(valueError("RandomSampler", "cannot permute an empty data source (len(data_source) = %d)", n))
		}
		for range num / n {
			if !yieldTensor(yield, torch.RandpermGenerator(int64(n), g), -1) {
				return
			}
		}
		yieldTensor(yield, torch.RandpermGenerator(int64(n), g), num%n)
	}
}

// randomInt64 is torch.empty((), dtype=torch.int64).random_(generator=g).item():
// one number in [0, 2^63) from g (nil: the default generator), the way
// PyTorch's DataLoader and RandomSampler draw their seeds.
func randomInt64(g *torch.Generator) int64 {
	t := torch.Empty([]int64{}, torch.WithDType(torch.Int64))
	defer t.Free()
	return t.Random_(torch.RandomOpts{Generator: g}).ItemInt()
}

// yieldTensor yields the first k values of an int64 tensor (all of them
// when k < 0), freeing it first, and says whether the consumer wants more.
func yieldTensor(yield func(int) bool, t *torch.Tensor, k int) bool {
	vals := t.Int64s()
	t.Free()
	if k >= 0 {
		vals = vals[:k]
	}
	for _, v := range vals {
		if !yield(int(v)) {
			return false
		}
	}
	return true
}

// SubsetRandomSamplerOpts are SubsetRandomSampler's defaulted arguments.
type SubsetRandomSamplerOpts struct {
	// Generator is generator=; nil is the default generator, used directly
	// (unlike RandomSampler, no seed is drawn first).
	Generator *torch.Generator
}

// SubsetRandomSampler is torch.utils.data.SubsetRandomSampler: the given
// indices in the order of torch.randperm(len(indices), generator=...), a
// new order each pass.
type SubsetRandomSampler struct {
	indices []int
	gen     *torch.Generator
}

// NewSubsetRandomSampler is SubsetRandomSampler(indices, generator=None).
// It keeps a copy of indices.
func NewSubsetRandomSampler(indices []int, opts ...SubsetRandomSamplerOpts) *SubsetRandomSampler {
	s := &SubsetRandomSampler{indices: slices.Clone(indices)}
	if len(opts) > 0 {
		s.gen = opts[0].Generator
	}
	return s
}

// Len is len(indices).
func (s *SubsetRandomSampler) Len() int { return len(s.indices) }

// All yields the indices in a fresh random order.
func (s *SubsetRandomSampler) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		perm := torch.RandpermGenerator(int64(len(s.indices)), s.gen)
		order := perm.Int64s()
		perm.Free()
		for _, i := range order {
			if !yield(s.indices[i]) {
				return
			}
		}
	}
}

// WeightedRandomSamplerOpts are WeightedRandomSampler's defaulted
// arguments; the zero value is PyTorch's defaults.
type WeightedRandomSamplerOpts struct {
	// Replacement is replacement=; nil means true, PyTorch's default.
	Replacement *bool
	// Generator is generator=; nil is the default generator.
	Generator *torch.Generator
}

// WeightedRandomSampler is torch.utils.data.WeightedRandomSampler:
// numSamples indices in [0, len(weights)) drawn with probabilities
// proportional to weights, by torch.multinomial on a float64 tensor of the
// weights.
type WeightedRandomSampler struct {
	weights     []float64
	numSamples  int
	replacement bool
	gen         *torch.Generator
}

// NewWeightedRandomSampler is WeightedRandomSampler(weights, num_samples,
// replacement=True, generator=None). It panics with PyTorch's ValueError
// message when numSamples is not positive; weights that torch.multinomial
// refuses (negative, all zero, fewer than numSamples without replacement)
// fail when a pass starts, as in PyTorch.
func NewWeightedRandomSampler(weights []float64, numSamples int, opts ...WeightedRandomSamplerOpts) *WeightedRandomSampler {
	if numSamples <= 0 {
		panic(valueError("data.NewWeightedRandomSampler", "num_samples should be a positive integer value, but got num_samples=%d", numSamples))
	}
	s := &WeightedRandomSampler{weights: slices.Clone(weights), numSamples: numSamples, replacement: true}
	if len(opts) > 0 {
		if opts[0].Replacement != nil {
			s.replacement = *opts[0].Replacement
		}
		s.gen = opts[0].Generator
	}
	return s
}

// Len is num_samples.
func (s *WeightedRandomSampler) Len() int { return s.numSamples }

// All draws num_samples indices with one torch.multinomial call when the
// first is asked for.
func (s *WeightedRandomSampler) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		w := torch.FromSlice(s.weights)
		defer w.Free()
		yieldTensor(yield, w.Multinomial(int64(s.numSamples), torch.MultinomialOpts{Replacement: s.replacement, Generator: s.gen}), -1)
	}
}

// BatchSampler is torch.utils.data.BatchSampler: it groups a Sampler's
// indices into batches of BatchSize, the last one smaller unless DropLast
// drops it. It asks its sampler for indices only as batches are asked for,
// so random draws happen when PyTorch's do: in particular the sampler is
// run to its end (and a RandomSampler's trailing draw made) when the batch
// after the last full one is asked for.
type BatchSampler struct {
	sampler   Sampler[int]
	batchSize int
	dropLast  bool
}

// NewBatchSampler is BatchSampler(sampler, batch_size, drop_last). It
// panics with PyTorch's ValueError message for a batch size below 1.
func NewBatchSampler(sampler Sampler[int], batchSize int, dropLast bool) *BatchSampler {
	if sampler == nil {
		panic(valueError("data.NewBatchSampler", "sampler is nil"))
	}
	if batchSize <= 0 {
		panic(valueError("data.NewBatchSampler", "batch_size should be a positive integer value, but got batch_size=%d", batchSize))
	}
	return &BatchSampler{sampler: sampler, batchSize: batchSize, dropLast: dropLast}
}

// Sampler is BatchSampler.sampler.
func (s *BatchSampler) Sampler() Sampler[int] { return s.sampler }

// BatchSize is BatchSampler.batch_size.
func (s *BatchSampler) BatchSize() int { return s.batchSize }

// DropLast is BatchSampler.drop_last.
func (s *BatchSampler) DropLast() bool { return s.dropLast }

// Len is len(batch_sampler): the number of batches in a pass.
func (s *BatchSampler) Len() int {
	n := s.sampler.Len()
	if n <= 0 {
		return 0
	}
	if s.dropLast {
		return n / s.batchSize
	}
	return (n-1)/s.batchSize + 1 // (n + batchSize - 1) / batchSize, without overflow
}

// All yields the batches of one pass; each is a new slice the consumer may
// keep.
func (s *BatchSampler) All() iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		// A batch size beyond the sampler's length (math.MaxInt, say) is
		// one batch of everything, as in PyTorch: allocate no more.
		size := s.batchSize
		if n := s.sampler.Len(); n >= 0 && n < size {
			size = n
		}
		batch := make([]int, 0, size)
		for i := range s.sampler.All() {
			batch = append(batch, i)
			if len(batch) == s.batchSize {
				if !yield(batch) {
					return
				}
				batch = make([]int, 0, size)
			}
		}
		if len(batch) > 0 && !s.dropLast {
			yield(batch)
		}
	}
}
