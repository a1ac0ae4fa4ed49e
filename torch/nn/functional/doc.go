// Package functional holds the stateless twins of the nn layers: PyTorch's
// torch.nn.functional, conventionally imported as F:
//
//	import F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
//
//	x = F.MaxPool2d(F.Relu(F.Conv2d(x, w, b)), []int64{2})
//
// Each function names its Python twin in its documentation. Arguments that
// PyTorch takes as an int or a tuple (kernel_size, stride, padding, ...) are
// []int64 here; one value applies to every dimension, as an int does in
// Python. Arguments with defaults are fields of a trailing, optional XOpts
// struct whose zero value is PyTorch's defaults; a field whose PyTorch
// default is not the zero value is a pointer (nil means the default), set
// with new(v).
package functional
