package torch_test

import (
	"testing"

	"github.com/seed0eaa3131/gotorch/torch"
)

// BenchmarkAddTiny is the binding's per-call cost: `a + b` on 1-element
// tensors, a result tensor created and dropped each time.
// scripts/bench_overhead.sh runs the same loop in Python and C++.
func BenchmarkAddTiny(b *testing.B) {
	torch.SetNumThreads(1)
	x := torch.FromSlice([]float32{1})
	y := torch.FromSlice([]float32{2})
	b.ReportAllocs()
	for b.Loop() {
		_ = x.Add(y)
	}
}

// BenchmarkAddTinyFree is the same with Free, the deterministic path.
func BenchmarkAddTinyFree(b *testing.B) {
	torch.SetNumThreads(1)
	x := torch.FromSlice([]float32{1})
	y := torch.FromSlice([]float32{2})
	b.ReportAllocs()
	for b.Loop() {
		x.Add(y).Free()
	}
}
