package torch

import "fmt"

// Error is what libtorch reported for a failed operation. Tensor math panics
// with a *Error (a shape mismatch is a programmer's bug, like an index out of
// range in Go); Catch turns such a panic back into an error value.
type Error struct {
	Op  string // the gotorch call that failed, e.g. "Add"
	Msg string // libtorch's message, without its C++ backtrace
}

func (e *Error) Error() string { return fmt.Sprintf("torch: %s: %s", e.Op, e.Msg) }

// Catch runs f and returns the *Error it panicked with, or nil. Panics that are
// not a *Error pass through unchanged.
func Catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if te, ok := r.(*Error); ok {
				err = te
				return
			}
			panic(r)
		}
	}()
	f()
	return nil
}
