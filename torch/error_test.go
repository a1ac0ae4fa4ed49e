package torch_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Each failure gets the kind of the exception class PyTorch raises for it
// (checked in Python, torch 1.13), so that errors.Is(err, torch.ErrIndex)
// holds where Python's `except IndexError` would catch.
func TestErrorKinds(t *testing.T) {
	x := torch.Zeros([]int64{3})
	logits := torch.Zeros([]int64{2, 3})
	sentinels := map[torch.ErrorKind]error{
		torch.KindIndex:          torch.ErrIndex,
		torch.KindValue:          torch.ErrValue,
		torch.KindType:           torch.ErrType,
		torch.KindNotImplemented: torch.ErrNotImplemented,
		torch.KindOutOfMemory:    torch.ErrOutOfMemory,
		torch.KindLinAlg:         torch.ErrLinAlg,
	}
	cases := []struct {
		name string
		f    func()
		kind torch.ErrorKind
		skip string
	}{
		// x.index_select(0, torch.tensor([5])): IndexError
		{name: "index_select out of range", f: func() { x.IndexSelect(0, torch.FromSlice([]int64{5})) }, kind: torch.KindIndex},
		// x.select(0, 5), x[5]: IndexError
		{name: "select out of range", f: func() { x.Select(0, 5) }, kind: torch.KindIndex},
		{name: "index out of range", f: func() { x.Index(5) }, kind: torch.KindIndex},
		// x.transpose(0, 3), x.softmax(5), x.size(5): IndexError (dimension out of range)
		{name: "transpose dim", f: func() { x.Transpose(0, 3) }, kind: torch.KindIndex},
		{name: "softmax dim", f: func() { x.Softmax(5) }, kind: torch.KindIndex},
		{name: "size dim", f: func() { x.Size(5) }, kind: torch.KindIndex},
		// F.nll_loss(zeros(2, 3), tensor([5, 0])): IndexError
		{name: "nll_loss target", f: func() {
			torch.NllLoss(logits, torch.FromSlice([]int64{5, 0}))
		}, kind: torch.KindIndex},
		// x.item(): ValueError
		{name: "item of 3 elements", f: func() { x.Item() }, kind: torch.KindValue},
		{name: "item of none", f: func() { torch.Zeros([]int64{0}).ItemInt() }, kind: torch.KindValue},
		// F.dropout(x, 1.5): ValueError
		{name: "dropout probability", f: func() { torch.Dropout(x, 1.5, true) }, kind: torch.KindValue},
		// A Go slice of the wrong element type for the dtype.
		{name: "CopyTo element type", f: func() { torch.CopyTo(x, make([]int64, 3)) }, kind: torch.KindType},
		// torch.zeros(2, dtype=torch.quint8): NotImplementedError (no QuantizedCPU kernel)
		{name: "zeros quint8", f: func() { torch.Zeros([]int64{2}, torch.WithDType(torch.DType(13))) }, kind: torch.KindNotImplemented},
		// x.pin_memory() without CUDA: NotImplementedError in 1.13, RuntimeError
		// ("Cannot access accelerator device when none is available") in 2.x
		{name: "pin_memory without CUDA", f: func() { x.PinMemory() }, kind: map[bool]torch.ErrorKind{true: torch.KindNotImplemented, false: torch.KindRuntime}[strings.HasPrefix(torch.Version(), "1.")],
			skip: map[bool]string{true: "libtorch has CUDA"}[torch.CUDACompiled()]},
		// torch.zeros(2**50): Python raises RuntimeError (libtorch's CPU
		// allocator throws a plain c10::Error); gotorch's counting allocator
		// reports it as out of memory, as CUDA's allocator does.
		{name: "zeros 2^50", f: func() { torch.Zeros([]int64{1 << 50}) }, kind: torch.KindOutOfMemory},
		// zeros(3) + zeros(4), reshape to a wrong size: RuntimeError
		{name: "broadcast", f: func() { x.Add(torch.Zeros([]int64{4})) }, kind: torch.KindRuntime},
		{name: "reshape", f: func() { x.Reshape(2, 2) }, kind: torch.KindRuntime},
		{name: "narrow", f: func() { x.Narrow(0, 2, 5) }, kind: torch.KindRuntime},
		{name: "index_select float index", f: func() { x.IndexSelect(0, torch.FromSlice([]float32{0})) }, kind: torch.KindRuntime},
		{name: "set_num_threads(0)", f: func() { torch.SetNumThreads(0) }, kind: torch.KindRuntime},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip != "" {
				t.Skip(tc.skip)
			}
			err := torch.Catch(tc.f)
			require.Error(t, err)
			var te *torch.Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.kind, te.Kind, "%v", err)
			assert.NotContains(t, te.Msg, "Exception raised from", "C++ backtrace stripped")
			for k, s := range sentinels {
				assert.Equal(t, k == tc.kind, errors.Is(err, s), "errors.Is(err, %v)", s)
				// through wrapping too
				assert.Equal(t, k == tc.kind, errors.Is(fmt.Errorf("step 3: %w", err), s))
			}
		})
	}
}

func TestErrorKindString(t *testing.T) {
	for k, want := range map[torch.ErrorKind]string{
		torch.KindRuntime:        "RuntimeError",
		torch.KindIndex:          "IndexError",
		torch.KindValue:          "ValueError",
		torch.KindType:           "TypeError",
		torch.KindNotImplemented: "NotImplementedError",
		torch.KindOutOfMemory:    "OutOfMemoryError",
		torch.KindLinAlg:         "LinAlgError",
		torch.ErrorKind(42):      "ErrorKind(42)",
		torch.ErrorKind(-1):      "ErrorKind(-1)",
	} {
		assert.Equal(t, want, k.String())
	}
}

func TestErrorIs(t *testing.T) {
	err := &torch.Error{Op: "Select", Kind: torch.KindIndex, Msg: "index 5 is out of bounds"}
	assert.ErrorIs(t, err, torch.ErrIndex)
	assert.NotErrorIs(t, err, torch.ErrValue)
	assert.Equal(t, "torch: Select: index 5 is out of bounds", err.Error())
	// An Error made without a Kind, as other packages do, is a RuntimeError:
	// it matches no sentinel, and no other Error.
	plain := &torch.Error{Op: "MakeGrid", Msg: "bad nrow"}
	for _, s := range []error{torch.ErrIndex, torch.ErrValue, torch.ErrType, torch.ErrNotImplemented, torch.ErrOutOfMemory, torch.ErrLinAlg} {
		assert.NotErrorIs(t, plain, s)
		assert.ErrorIs(t, s, s)
		assert.NotEmpty(t, s.Error())
	}
	assert.NotErrorIs(t, err, &torch.Error{Op: "Select", Kind: torch.KindIndex, Msg: "index 5 is out of bounds"})
}

// A dtype or device type outside libtorch's enums is a ValueError naming
// the value, never a value that reaches libtorch's tables (which crashed
// the process: issue 14).
func TestInvalidDTypeAndDevice(t *testing.T) {
	x := torch.Ones([]int64{2})
	for _, tc := range []struct {
		name string
		call func()
		msg  string
	}{
		{"Zeros of dtype 99", func() { torch.Zeros([]int64{2}, torch.WithDType(torch.DType(99))) }, "invalid dtype 99"},
		{"Zeros of dtype -1", func() { torch.Zeros([]int64{2}, torch.WithDType(torch.DType(-1))) }, "invalid dtype -1"},
		{"ToDType(-1)", func() { x.ToDType(torch.DType(-1)) }, "invalid dtype -1"},
		{"a generated op's dtype", func() { x.Sum(torch.SumOpts{DType: new(torch.DType(1000))}) }, "invalid dtype 1000"},
		{"a generated op's ScalarType", func() { torch.Empty([]int64{2}).ViewDtype(torch.DType(77)) }, "invalid dtype 77"},
		{"Zeros on device type 5", func() { torch.Zeros([]int64{2}, torch.WithDevice(torch.Device{Type: 5})) }, "invalid device type 5: 0 (CPU) or 1 (CUDA)"},
		{"To device type -3", func() { x.To(torch.Device{Type: -3}) }, "invalid device type -3"},
		{"SetNumThreads(1<<20)", func() { torch.SetNumThreads(1 << 20) }, "thread count must be at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := torch.Catch(tc.call)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.msg)
			assert.ErrorIs(t, err, torch.ErrValue)
		})
	}
}
