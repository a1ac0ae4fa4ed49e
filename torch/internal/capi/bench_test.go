package capi

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The raw layer's part of a small op, without package torch's wrapper:
// `a + b` on 1-element float32 tensors through the generated call, the
// result freed by a call of its own (Free) or through the queue libtorch
// empties at the start of the next call (QueueFree, what Tensor.Free does).
// torch's BenchmarkAddTinyFree minus BenchmarkAddQueueFree is the wrapper's
// cost; scripts/bench_overhead.sh measures the whole against C++ and Python.
func BenchmarkAddFree(b *testing.B)      { benchAdd(b, Free) }
func BenchmarkAddQueueFree(b *testing.B) { benchAdd(b, QueueFree) }

func benchAdd(b *testing.B, free func(Tensor)) {
	require.NoError(b, Init())
	SetNumThreads(1)
	x, err := Zeros([]int64{1}, 6, 0, -1)
	require.NoError(b, err)
	y, err := Zeros([]int64{1}, 6, 0, -1)
	require.NoError(b, err)
	defer Free(x)
	defer Free(y)
	one := Scalar{Kind: ScalarInt, I: 1}
	for b.Loop() {
		var o Tensor
		if err := Aten_add_Tensor(&o, x, y, one); err != nil {
			b.Fatal(err)
		}
		free(o)
	}
	FreeQueued()
}
