package torch

// The ATen operators (ops_gen.go, internal/capi/ops_gen.go, ../cgo/ops_gen*) are
// generated from PyTorch's schemas in ../gen/pytorch; CI checks they are current.
//go:generate go run ../internal/cmd/gengt --root ..
