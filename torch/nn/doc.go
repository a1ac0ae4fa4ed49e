// Package nn holds the building blocks of neural networks: PyTorch's
// torch.nn.
//
// A model is a plain Go struct whose exported fields are layers, as a Python
// nn.Module's attributes are:
//
//	type MNISTModel struct {
//		Flatten *nn.Flatten
//		Layer1  *nn.Linear
//		ReLU    *nn.ReLU
//		Layer2  *nn.Linear
//	}
//
// There is no registration call. The functions of this package (Parameters,
// NamedParameters, StateDict, To, Train, ZeroGrad, ...) find a model's
// parameters by walking its exported fields with reflection, in field order,
// which is the order PyTorch registers attributes in, so the names and the
// order match Python's model.state_dict():
//
//   - every non-nil exported *torch.Tensor field is a parameter (as an
//     nn.Parameter attribute is); Linear's Weight and Bias are such fields;
//   - a field's name is its Go name with the leading capital (or leading run
//     of capitals, for initialisms such as FC1) lower-cased: Layer1 gives
//     "layer1", FC1 gives "fc1", so Layer1.Weight is "layer1.weight";
//   - the struct tag `nn:"name"` overrides the name, and `nn:"-"` hides a
//     field from the walk (a tensor that is not a parameter, say);
//   - the walk goes through pointers, interfaces, nested structs, slices and
//     arrays (elements are named by index, as in nn.Sequential and
//     nn.ModuleList: "layers.0.weight") and maps with string keys (in sorted
//     key order, as nn.ModuleDict);
//   - an embedded struct field without a tag adds no name of its own, as Go
//     promotes its fields;
//   - unexported fields and fields of other types (numbers, strings, ...) are
//     configuration and are not walked.
//
// The walk lists, as PyTorch does, a module's own tensors before its
// submodules' (a model's Scale field comes before Layer1.Weight, whatever
// the field order), and a module's parameters before its buffers:
//
//   - a *torch.Tensor field tagged `nn:"name,buffer"` is a buffer (as
//     register_buffer(name, t)): in StateDict, NamedBuffers and moved by To,
//     not in Parameters, so no optimizer updates it; BatchNorm's
//     running_mean is one. `nn:"name,buffer,nonpersistent"` is
//     register_buffer(name, t, persistent=False): moved by To, left out of
//     StateDict;
//   - a module whose PyTorch names are flat (LSTM's weight_ih_l0)
//     implements TensorNamer and lists its parameters itself;
//   - Sequential, ModuleList (any modules, by index) and ModuleDict (by key,
//     in insertion order) are the containers of torch.nn.
//
// What the walk finds of each struct type is computed once and cached, so
// Parameters and the rest cost a few map lookups per call, not a full
// reflection. To and ToDType keep every tensor's identity (libtorch's
// set_data, as Module.to does): an optimizer built before them goes on
// working. Train, Eval, NamedModules and Apply reach every module.
package nn
