// Package optarg holds the two helpers behind gotorch's optional-argument
// convention: a trailing variadic XOpts struct, and pointer fields for
// defaults that are not the zero value.
package optarg

// First is the options struct passed as the optional last argument, or its
// zero value (PyTorch's defaults) when none was.
func First[T any](opts []T) T {
	var o T
	if len(opts) > 0 {
		o = opts[0]
	}
	return o
}

// Or is *p, or def where p is nil (the argument left at its default).
func Or[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
