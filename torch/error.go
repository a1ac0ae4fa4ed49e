package torch

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Error is what libtorch reported for a failed operation. Tensor math panics
// with a *Error (a shape mismatch is a programmer's bug, like an index out of
// range in Go); Catch turns such a panic back into an error value.
//
// Kind says which of PyTorch's exception classes the failure is, so that
// errors.Is(err, ErrIndex) holds where Python would raise IndexError.
type Error struct {
	Op   string    // the gotorch call that failed, e.g. "Add"
	Kind ErrorKind // the kind of failure: KindRuntime unless more is known
	Msg  string    // libtorch's message, without its C++ backtrace

	sentinel bool // one of the Err* values, which match by Kind alone
}

func (e *Error) Error() string {
	if e.sentinel {
		return "torch: " + e.Msg
	}
	return fmt.Sprintf("torch: %s: %s", e.Op, e.Msg)
}

// Is reports whether target is the sentinel of e's kind (ErrIndex for an
// IndexError, ...), for errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Kind == e.Kind
}

// ErrorKind is the kind of an Error: which exception class PyTorch raises
// for the same failure (libtorch's c10 exception classes, which Python's
// binding maps to these).
type ErrorKind int32

// The kinds of Error, with the C ABI's codes.
const (
	KindRuntime        ErrorKind = ErrorKind(capi.KindRuntime)        // RuntimeError (c10::Error): the default
	KindIndex          ErrorKind = ErrorKind(capi.KindIndex)          // IndexError (c10::IndexError)
	KindValue          ErrorKind = ErrorKind(capi.KindValue)          // ValueError (c10::ValueError)
	KindType           ErrorKind = ErrorKind(capi.KindType)           // TypeError (c10::TypeError)
	KindNotImplemented ErrorKind = ErrorKind(capi.KindNotImplemented) // NotImplementedError (c10::NotImplementedError)
	KindOutOfMemory    ErrorKind = ErrorKind(capi.KindOutOfMemory)    // torch.OutOfMemoryError (c10::OutOfMemoryError, std::bad_alloc)
	KindLinAlg         ErrorKind = ErrorKind(capi.KindLinAlg)         // torch.linalg.LinAlgError (c10::LinAlgError)
)

var kindNames = [...]string{
	KindRuntime:        "RuntimeError",
	KindIndex:          "IndexError",
	KindValue:          "ValueError",
	KindType:           "TypeError",
	KindNotImplemented: "NotImplementedError",
	KindOutOfMemory:    "OutOfMemoryError",
	KindLinAlg:         "LinAlgError",
}

// String is the name of the Python exception class, e.g. "IndexError".
func (k ErrorKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("ErrorKind(%d)", int32(k))
}

func sentinel(k ErrorKind, msg string) *Error { return &Error{Kind: k, Msg: msg, sentinel: true} }

// Sentinels for errors.Is: an *Error matches the one of its Kind, as
// Python's `except IndexError:` catches PyTorch's IndexError. KindRuntime,
// the default, has no sentinel.
var (
	ErrIndex          error = sentinel(KindIndex, "index error")              // IndexError
	ErrValue          error = sentinel(KindValue, "value error")              // ValueError
	ErrType           error = sentinel(KindType, "type error")                // TypeError
	ErrNotImplemented error = sentinel(KindNotImplemented, "not implemented") // NotImplementedError
	ErrOutOfMemory    error = sentinel(KindOutOfMemory, "out of memory")      // torch.OutOfMemoryError
	ErrLinAlg         error = sentinel(KindLinAlg, "linear algebra error")    // torch.linalg.LinAlgError
)

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
