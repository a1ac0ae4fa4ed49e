package main

import (
	"fmt"
	"regexp"
	"strings"
)

// kind is how one schema argument type crosses the C ABI.
type kind int

const (
	kTensor     kind = iota // Tensor
	kOptTensor              // Tensor?
	kTensors                // Tensor[]
	kOptTensors             // Tensor?[]
	kInt                    // int, SymInt
	kOptInt                 // int?, SymInt?
	kInts                   // int[], int[N], SymInt[], SymInt[N]
	kOptInts                // int[]?, int[N]?, SymInt[]?
	kFloat                  // float
	kOptFloat               // float?
	kOptFloats              // float[]?
	kBool                   // bool
	kOptBool                // bool?
	kScalar                 // Scalar
	kOptScalar              // Scalar?
	kDType                  // ScalarType
	kOptDType               // ScalarType?
	kLayout                 // Layout
	kOptLayout              // Layout?
	kDevice                 // Device
	kOptDevice              // Device?
	kMemFmt                 // MemoryFormat
	kOptMemFmt              // MemoryFormat?
	kStr                    // str
	kOptStr                 // str?
	kGenerator              // Generator? (nil/NULL stands for None, the default generator)
	kReduction              // int reduction (at::Reduction), a Reduction in Go
)

var listRE = regexp.MustCompile(`^(int|SymInt|float|bool|Tensor\??|Scalar|str)\[(\d*)\](\?)?$`)

// kindOf maps a schema type (without alias annotation) to its kind.
func kindOf(base string) (kind, bool) {
	switch base {
	case "Tensor":
		return kTensor, true
	case "Tensor?":
		return kOptTensor, true
	case "int", "SymInt":
		return kInt, true
	case "int?", "SymInt?":
		return kOptInt, true
	case "float":
		return kFloat, true
	case "float?":
		return kOptFloat, true
	case "bool":
		return kBool, true
	case "bool?":
		return kOptBool, true
	case "Scalar":
		return kScalar, true
	case "Scalar?":
		return kOptScalar, true
	case "ScalarType":
		return kDType, true
	case "ScalarType?":
		return kOptDType, true
	case "Layout":
		return kLayout, true
	case "Layout?":
		return kOptLayout, true
	case "Device":
		return kDevice, true
	case "Device?":
		return kOptDevice, true
	case "MemoryFormat":
		return kMemFmt, true
	case "MemoryFormat?":
		return kOptMemFmt, true
	case "str":
		return kStr, true
	case "str?":
		return kOptStr, true
	case "Generator?":
		return kGenerator, true
	}
	m := listRE.FindStringSubmatch(base)
	if m == nil {
		return 0, false
	}
	opt := m[3] == "?"
	switch m[1] {
	case "int", "SymInt":
		if opt {
			return kOptInts, true
		}
		return kInts, true
	case "float":
		if opt {
			return kOptFloats, true
		}
	case "Tensor":
		if !opt && m[2] == "" {
			return kTensors, true
		}
	case "Tensor?":
		if !opt && m[2] == "" {
			return kOptTensors, true
		}
	}
	return 0, false
}

// symInt reports whether a schema type is a SymInt list (C++ takes c10::SymIntArrayRef).
func symList(base string) bool { return strings.HasPrefix(base, "SymInt[") }

// cParams is the C parameter list of one argument.
func cParams(k kind, n string) []string {
	switch k {
	case kTensor, kOptTensor:
		return []string{"gt_tensor " + n}
	case kTensors, kOptTensors:
		return []string{"const gt_tensor *" + n, "int " + n + "_n"}
	case kInt, kReduction:
		return []string{"int64_t " + n}
	case kOptInt:
		return []string{"int64_t " + n, "uint8_t " + n + "_has"}
	case kInts, kOptInts:
		return []string{"const int64_t *" + n, "int " + n + "_n"}
	case kFloat:
		return []string{"double " + n}
	case kOptFloat:
		return []string{"double " + n, "uint8_t " + n + "_has"}
	case kOptFloats:
		return []string{"const double *" + n, "int " + n + "_n"}
	case kBool:
		return []string{"uint8_t " + n}
	case kOptBool:
		return []string{"int8_t " + n}
	case kScalar, kOptScalar:
		return []string{"gt_scalar " + n}
	case kDType, kOptDType, kLayout, kOptLayout, kMemFmt, kOptMemFmt:
		return []string{"int " + n}
	case kDevice, kOptDevice:
		return []string{"int " + n + "_type", "int " + n + "_index"}
	case kStr, kOptStr:
		return []string{"const char *" + n, "int64_t " + n + "_n"}
	case kGenerator:
		return []string{"gt_generator " + n}
	}
	panic(fmt.Sprint("cParams: kind ", k))
}

// cppExpr converts the C parameters of one argument to what at::_ops::X::call takes.
func cppExpr(k kind, base, n string) string {
	switch k {
	case kTensor:
		return "gt::T(" + n + ")"
	case kOptTensor:
		return "gt::opt_tensor(" + n + ")"
	case kTensors:
		return "gt::tensor_list(" + n + ", " + n + "_n)"
	case kOptTensors:
		return "gt::opt_tensor_list(" + n + ", " + n + "_n)"
	case kInt, kReduction:
		return n
	case kOptInt:
		if base == "SymInt?" {
			return "gt::opt_sym_int(" + n + ", " + n + "_has)"
		}
		return "gt::opt_int(" + n + ", " + n + "_has)"
	case kInts:
		if symList(base) {
			return "gt::sym_ints(" + n + ", " + n + "_n)"
		}
		return "gt::ints(" + n + ", " + n + "_n)"
	case kOptInts:
		if symList(base) {
			return "gt::opt_sym_ints(" + n + ", " + n + "_n)"
		}
		return "gt::opt_ints(" + n + ", " + n + "_n)"
	case kFloat:
		return n
	case kOptFloat:
		return "gt::opt_float(" + n + ", " + n + "_has)"
	case kOptFloats:
		return "gt::opt_floats(" + n + ", " + n + "_n)"
	case kBool:
		return "(" + n + " != 0)"
	case kOptBool:
		return "gt::opt_bool(" + n + ")"
	case kScalar:
		return "gt::scalar(" + n + ")"
	case kOptScalar:
		return "gt::opt_scalar(" + n + ")"
	case kDType:
		return "gt::dtype(" + n + ")"
	case kOptDType:
		return "gt::opt_dtype(" + n + ")"
	case kLayout:
		return "static_cast<at::Layout>(" + n + ")"
	case kOptLayout:
		return "gt::opt_layout(" + n + ")"
	case kMemFmt:
		return "static_cast<at::MemoryFormat>(" + n + ")"
	case kOptMemFmt:
		return "gt::opt_memory_format(" + n + ")"
	case kDevice:
		return "gt::device(" + n + "_type, " + n + "_index)"
	case kOptDevice:
		return "gt::opt_device(" + n + "_type, " + n + "_index)"
	case kStr:
		return "c10::string_view(" + n + ", static_cast<size_t>(" + n + "_n))"
	case kOptStr:
		return "gt::opt_str(" + n + ", " + n + "_n)"
	case kGenerator:
		return "gt::opt_gen(" + n + ")"
	}
	panic(fmt.Sprint("cppExpr: kind ", k))
}

// rkind is how a return value crosses the C ABI.
type rkind int

const (
	rTensor  rkind = iota // a new tensor
	rAlias                // Tensor(a!): the mutated argument, nothing crosses
	rTensors              // Tensor[]
	rInt                  // int
	rSymInt               // SymInt
	rFloat                // float
	rBool                 // bool
	rScalar               // Scalar
	rDType                // ScalarType
)

func retKind(r ret) (rkind, bool) {
	switch {
	case r.Base == "Tensor" && r.Mutable:
		return rAlias, true
	case r.Base == "Tensor":
		return rTensor, true
	case r.Base == "Tensor[]" && !r.Mutable:
		return rTensors, true
	case r.Base == "int":
		return rInt, true
	case r.Base == "SymInt":
		return rSymInt, true
	case r.Base == "float":
		return rFloat, true
	case r.Base == "bool":
		return rBool, true
	case r.Base == "Scalar":
		return rScalar, true
	case r.Base == "ScalarType":
		return rDType, true
	}
	return 0, false
}

// scalarRet is how a non-tensor result crosses: the C out parameter's type,
// capi's Go type for it, the public Go type and the expression turning the
// capi value v into it. One table for the three emitters.
type scalarRet struct{ c, capi, goType, expr string }

var scalarRets = map[rkind]scalarRet{
	rInt:    {"int64_t", "int64", "int64", "v"},
	rSymInt: {"int64_t", "int64", "int64", "v"},
	rFloat:  {"double", "float64", "float64", "v"},
	rBool:   {"uint8_t", "uint8", "bool", "v != 0"},
	rScalar: {"gt_scalar", "Scalar", "Scalar", "Scalar{c: v}"},
	rDType:  {"int", "int32", "DType", "DType(v)"},
}

// newTensors is how many new tensors a call returns (aliases of a mutated
// argument are not new).
func (b *binding) newTensors() int {
	n := 0
	for _, r := range b.RetKinds {
		if r == rTensor {
			n++
		}
	}
	return n
}
