package torch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

// TestGeneratorMatchesPyTorch draws from generators as Python does: a fresh
// torch.Generator() (default seed), one seeded with manual_seed, the
// default generator after torch.manual_seed, and a state saved and restored;
// each sequence of numbers must equal PyTorch's exactly.
func TestGeneratorMatchesPyTorch(t *testing.T) {
	var want struct {
		Initial            uint64
		Fresh, Seeded      []int64
		Default, Restored  []int64
		Uniform            []float64
		Random             int64
		DefaultInitialSeed uint64
	}
	pytorch.JSON(t, `
import json
g = torch.Generator()
out = {"Initial": g.initial_seed(), "Fresh": torch.randperm(10, generator=g).tolist()}
g.manual_seed(123)
out["Seeded"] = torch.randperm(20, generator=g).tolist()
torch.manual_seed(7)
out["DefaultInitialSeed"] = torch.default_generator.initial_seed()
out["Default"] = torch.randperm(6).tolist()
s = g.get_state()
a = torch.randperm(5, generator=g).tolist()
g.set_state(s)
out["Restored"] = torch.randperm(5, generator=g).tolist()
assert a == out["Restored"]
out["Uniform"] = torch.empty(4, dtype=torch.float64).uniform_(generator=g).tolist()
out["Random"] = torch.empty((), dtype=torch.int64).random_(generator=g).item()
print(json.dumps(out))
`, &want)

	g := torch.NewGenerator()
	assert.Equal(t, want.Initial, g.InitialSeed())
	assert.Equal(t, torch.CPU, g.Device())
	assert.Equal(t, want.Fresh, torch.RandpermGenerator(10, g).Int64s())
	assert.Same(t, g, g.ManualSeed(123))
	assert.Equal(t, want.Seeded, torch.RandpermGenerator(20, g).Int64s())

	torch.ManualSeed(7)
	assert.Equal(t, want.DefaultInitialSeed, torch.DefaultGenerator().InitialSeed())
	assert.Equal(t, want.Default, torch.RandpermGenerator(6, nil).Int64s())

	s := g.State()
	a := torch.RandpermGenerator(5, g).Int64s()
	g.SetState(s)
	assert.Equal(t, want.Restored, torch.RandpermGenerator(5, g).Int64s())
	assert.Equal(t, a, want.Restored)
	u := torch.Empty([]int64{4}, torch.WithDType(torch.Float64))
	u.Uniform_(torch.UniformOpts{Generator: g})
	assert.Equal(t, want.Uniform, u.Float64s())
	r := torch.Empty(nil, torch.WithDType(torch.Int64))
	r.Random_(torch.RandomOpts{Generator: g})
	assert.Equal(t, want.Random, r.ItemInt())
}

// TestDefaultGeneratorIsManualSeeds: seeding DefaultGenerator is
// torch.manual_seed, and the two draw the same numbers.
func TestDefaultGeneratorIsManualSeeds(t *testing.T) {
	torch.DefaultGenerator().ManualSeed(99)
	a := torch.Rand([]int64{3}).Float64s()
	torch.ManualSeed(99)
	b := torch.Rand([]int64{3}).Float64s()
	assert.Equal(t, a, b)
	assert.Equal(t, uint64(99), torch.DefaultGenerator().InitialSeed())
	g := torch.NewGenerator()
	seed := g.Seed()
	assert.Equal(t, seed, g.InitialSeed())
}

// TestSetDataKeepsIdentity: SetData_ gives a tensor another's data while it
// stays the same tensor, with its requires_grad, as param.data = x does.
func TestSetDataKeepsIdentity(t *testing.T) {
	p := torch.Zeros([]int64{2, 2}, torch.WithRequiresGrad())
	src := torch.Ones([]int64{3}, torch.WithDType(torch.Float64))
	p.SetData_(src)
	assert.Equal(t, torch.Size{3}, p.Shape())
	assert.Equal(t, torch.Float64, p.DType())
	assert.True(t, p.RequiresGrad())
	assert.Equal(t, []float64{1, 1, 1}, p.Float64s())
	p.Sum().Backward()
	require.NotNil(t, p.Grad())
	assert.Equal(t, []float64{1, 1, 1}, p.Grad().Float64s())
}
