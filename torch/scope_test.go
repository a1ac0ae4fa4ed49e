package torch_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
)

// freed reports whether using t panics as after Free.
func freed(t *torch.Tensor) bool {
	return torch.Catch(func() { t.Numel() }) != nil
}

func TestScopeFreesWhatItMade(t *testing.T) {
	before := torch.Collect(torch.CPU)
	outside := torch.Ones([]int64{3})
	var inside []*torch.Tensor
	torch.WithScope(func(s *torch.Scope) {
		x := torch.Ones([]int64{256, 256})
		y := x.MulScalar(torch.Int(2)).AddScalar(torch.Int(1)) // a dropped temporary in between
		inside = append(inside, x, y, outside.Add(outside))
		assert.Greater(t, torch.MemoryAllocated(torch.CPU), before+2*256*256*4)
	})
	for i, x := range inside {
		assert.True(t, freed(x), "tensor %d made in the scope is freed when it closes", i)
	}
	assert.False(t, freed(outside), "a tensor made before the scope is not its to free")
	outside.Free()
	// Freed at Close, not by the collector: the figure is back without one.
	assert.Equal(t, before, torch.MemoryAllocated(torch.CPU))
}

func TestScopeKeepAndScoped(t *testing.T) {
	type result struct {
		Logits *torch.Tensor
		parts  []*torch.Tensor
		byName map[string]*torch.Tensor
		self   *result // a cycle: walked once
	}
	var dropped *torch.Tensor
	r := torch.Scoped(func(*torch.Scope) *result {
		a := torch.Full([]int64{2}, torch.Float(1))
		b := a.AddScalar(torch.Int(1))
		c := b.AddScalar(torch.Int(1))
		dropped = c.AddScalar(torch.Int(1))
		r := &result{Logits: a, parts: []*torch.Tensor{b}, byName: map[string]*torch.Tensor{"c": c}}
		r.self = r
		return r
	})
	assert.True(t, freed(dropped))
	assert.Equal(t, []float32{1, 1}, r.Logits.Float32s())
	assert.Equal(t, []float32{2, 2}, r.parts[0].Float32s(), "an unexported field is walked")
	assert.Equal(t, []float32{3, 3}, r.byName["c"].Float32s())
	torch.FreeAll(r.Logits, r.parts[0], r.byName["c"])

	// Keep hands a tensor to the enclosing scope, which frees it in turn.
	var kept, inner *torch.Tensor
	torch.WithScope(func(outer *torch.Scope) {
		torch.WithScope(func(s *torch.Scope) {
			kept = torch.Ones([]int64{2})
			inner = torch.Ones([]int64{2})
			s.Keep(kept)
		})
		assert.True(t, freed(inner))
		assert.False(t, freed(kept), "kept past the inner scope")
		made := torch.Ones([]int64{1})
		assert.False(t, freed(made), "the outer scope takes new tensors again")
	})
	assert.True(t, freed(kept), "the outer scope frees what the inner one kept")

	// Keep in the outermost scope: the tensor is nobody's.
	var free *torch.Tensor
	torch.WithScope(func(s *torch.Scope) {
		free = torch.Ones([]int64{2})
		s.Keep(free, nil)
	})
	assert.False(t, freed(free))
	free.Free()
}

func TestScopeIsPerGoroutine(t *testing.T) {
	var fromWorker, included *torch.Tensor
	var persisted *torch.Tensor
	torch.WithScope(func(s *torch.Scope) {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			fromWorker = torch.Ones([]int64{2})
			included = torch.Ones([]int64{2})
			assert.PanicsWithError(t, "torch: Scope.Keep: a Scope is used only by the goroutine that opened it",
				func() { s.Keep(included) })
		}()
		wg.Wait()
		s.Include(included)
		persisted = torch.Ones([]int64{2})
		torch.Persist(persisted)
	})
	assert.False(t, freed(fromWorker), "another goroutine's tensor is not in the scope")
	assert.True(t, freed(included), "Include adds it")
	assert.False(t, freed(persisted), "Persist takes it out")
	torch.FreeAll(fromWorker, persisted)
}

func TestScopeClosesOnPanicAndOutOfOrder(t *testing.T) {
	var x *torch.Tensor
	err := torch.Catch(func() {
		torch.WithScope(func(*torch.Scope) {
			x = torch.Ones([]int64{2})
			torch.Ones([]int64{2}).Add(torch.Ones([]int64{3})) // a shape error: panics
		})
	})
	require.Error(t, err)
	assert.True(t, freed(x), "a panic inside still closes the scope")

	outer := torch.NewScope()
	inner := torch.NewScope()
	y := torch.Ones([]int64{1})
	outer.Close() // closes inner too
	assert.True(t, freed(y))
	inner.Close() // already closed: nothing
	outer.Close()
	z := torch.Ones([]int64{1})
	assert.False(t, freed(z), "no scope is open any more")
	z.Free()
}
