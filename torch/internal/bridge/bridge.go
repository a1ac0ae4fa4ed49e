// Package bridge lets torch's subpackages that call capi themselves (jit)
// cross between a *torch.Tensor and its handle without package torch
// exporting either direction. Package torch sets the functions in its init,
// which runs before any importer of torch can call them.
package bridge

import "github.com/seed0eaa3131/gotorch/torch/internal/capi"

var (
	// Acquire is the handle of a *torch.Tensor (t is one), counted as in use
	// until Release(t); it panics with torch's *Error for a nil or freed
	// tensor, as torch's own calls do.
	Acquire func(t any) capi.Tensor
	// Release ends a use that Acquire began.
	Release func(t any)
	// Wrap makes a new *torch.Tensor that owns h (freed with it).
	Wrap func(h capi.Tensor) any
	// Error is a failed capi call's error as torch's *Error for op.
	Error func(op string, err error) error
)
