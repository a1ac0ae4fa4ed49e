package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const repoRoot = "../../.."

func loadAll(t *testing.T) map[string]*binding {
	t.Helper()
	per := map[string][]*op{}
	order := []string{"1.13", "2.6", "2.14"}
	for _, v := range order {
		ops, err := loadYAML(filepath.Join(repoRoot, "gen/pytorch/native_functions-"+v+".yaml"))
		require.NoError(t, err)
		per[v] = ops
	}
	bs, _ := build(per, order)
	byName := map[string]*binding{}
	for _, b := range bs {
		byName[b.Op.S.FullName()] = b
	}
	return byName
}

// The naming rule of docs/porting.md ("Names"), case by case.
func TestNamingRule(t *testing.T) {
	bs := loadAll(t)
	for _, tc := range []struct {
		op     string
		goName string
		method bool
	}{
		{"aten::add.Tensor", "Add", true},         // "Tensor" is the default when there is no ""
		{"aten::add.Scalar", "AddScalar", true},   // .Scalar reads XScalar
		{"aten::add_.Tensor", "Add_", true},       // in place keeps _
		{"aten::add_.Scalar", "AddScalar_", true}, //
		{"aten::add.out", "AddOut", false},        // out= variants: XOut(out, ...)
		{"aten::sum", "Sum", true},                // "" is the default
		{"aten::sum.dim_IntList", "SumDim", true}, // .dim_IntList reads Dim
		{"aten::max.dim", "MaxDim", true},         // .dim reads Dim
		{"aten::max.other", "MaxOther", true},     // any other overload: its name
		{"aten::pow.Tensor_Tensor", "Pow", true},  // the first overload listed that is not Scalar
		{"aten::pow.Tensor_Scalar", "PowTensorScalar", true},
		{"aten::transpose.int", "Transpose", true}, // per name: transpose_ has "" but transpose not
		{"aten::conv2d", "Conv2d", false},          // function-only
		{"aten::log_softmax.int", "LogSoftmax", true},
		{"aten::linalg_svd", "LinalgSvd", false},
		{"aten::max.dim_max", "MaxDimMaxOut", false},
		{"aten::where.self", "WhereSelf", false},
	} {
		b, ok := bs[tc.op]
		if !assert.True(t, ok, tc.op) {
			continue
		}
		assert.Equal(t, tc.goName, b.GoName, tc.op)
		assert.Equal(t, tc.method, b.IsMethod, tc.op)
	}
}

// The rule that leaves operators out, and its reasons.
func TestExclusions(t *testing.T) {
	bs := loadAll(t)
	for _, op := range []string{
		"aten::_softmax",                   // private
		"aten::cudnn_convolution",          // backend internal
		"aten::native_batch_norm",          // kernel behind batch_norm (crashes without running stats)
		"aten::convolution_backward",       // autograd
		"aten::__and__.Tensor",             // dunder alias of bitwise_and
		"aten::contiguous",                 // manual_cpp_binding
		"aten::sum.dim_DimnameList",        // Dimname
		"aten::normal.Tensor_Tensor_out",   // kept: Generator? has a default
		"aten::q_scale",                    // quantized
		"aten::bernoulli.p",                // kept
		"aten::nll_loss_nd",                // kept
		"aten::native_layer_norm_backward", // excluded twice over
	} {
		_, ok := bs[op]
		switch op {
		case "aten::normal.Tensor_Tensor_out", "aten::bernoulli.p", "aten::nll_loss_nd":
			assert.True(t, ok, "%s is bound", op)
		default:
			assert.False(t, ok, "%s is left out", op)
		}
	}
}

// Versions: the Go API is pinned to the newest schema; an older version is
// called where its schema is the same, or the same without trailing defaulted
// arguments (then only with those at their defaults).
func TestVersionBranches(t *testing.T) {
	bs := loadAll(t)
	b := bs["aten::to_dense"]
	require.NotNil(t, b)
	assert.Equal(t, "to_dense(Tensor self, ScalarType? dtype=None, *, bool? masked_grad=None) -> Tensor", b.Op.S.Text)
	old := b.Versions["1.13"]
	assert.Equal(t, "to_dense(Tensor self, ScalarType? dtype=None) -> Tensor", old)
	assert.Equal(t, []int{2}, b.Dropped[old], "masked_grad is dropped on 1.13")
	assert.Equal(t, "masked_grad < 0", defaultCheck(b.Kinds[2], b.Op.S.Args[2]))

	// can_cast renamed its argument (from -> from_): names do not cross the ABI.
	cc := bs["aten::can_cast"]
	require.NotNil(t, cc)
	assert.Len(t, cc.Branches, 2)
}

// CI runs this: the committed generated files are what the generator writes.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	require.NoError(t, run(repoRoot, true), "run go generate ./torch and commit the result")
}
