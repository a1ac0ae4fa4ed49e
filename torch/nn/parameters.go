package nn

import (
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
)

// NamedTensor is a tensor with its state_dict key: one item of PyTorch's
// model.named_parameters() or model.state_dict().items().
type NamedTensor struct {
	Name   string
	Tensor *torch.Tensor
}

// NamedParameters returns model's parameters with their names, in the order
// PyTorch's model.named_parameters() gives them (field order, depth first).
// As in PyTorch, a tensor reachable under two names is listed once, under
// the first.
func NamedParameters(model any) []NamedTensor {
	return named(model, func(k tensorKind) bool { return k == kindParameter })
}

// NamedBuffers returns model's buffers with their names (running
// statistics and the like, tagged `nn:"name,buffer"`), in PyTorch's
// model.named_buffers() order; non-persistent buffers are included, as in
// PyTorch.
func NamedBuffers(model any) []NamedTensor {
	return named(model, func(k tensorKind) bool { return k != kindParameter })
}

// Buffers returns model's buffers in NamedBuffers' order:
// list(model.buffers()).
func Buffers(model any) []*torch.Tensor { return tensorsOf(NamedBuffers(model)) }

// named lists the distinct tensors of the kinds keep accepts, each under
// the first name it is reached by.
func named(model any, keep func(tensorKind) bool) []NamedTensor {
	var out []NamedTensor
	seen := map[*torch.Tensor]bool{}
	walk(model, func(s slot) {
		if !keep(s.kind) || seen[s.tensor] {
			return
		}
		seen[s.tensor] = true
		out = append(out, NamedTensor{Name: s.name, Tensor: s.tensor})
	}, nil)
	return out
}

func tensorsOf(named []NamedTensor) []*torch.Tensor {
	out := make([]*torch.Tensor, len(named))
	for i, p := range named {
		out[i] = p.Tensor
	}
	return out
}

// Parameters returns model's parameters in NamedParameters' order:
// list(model.parameters()). The tensors are the model's own, so an optimizer
// built over them updates the model.
func Parameters(model any) []*torch.Tensor { return tensorsOf(NamedParameters(model)) }

// NumParameters is the number of scalar parameters in model:
// sum(p.numel() for p in model.parameters()).
func NumParameters(model any) int64 {
	var n int64
	for _, p := range Parameters(model) {
		n += p.Numel()
	}
	return n
}

// ParameterCount is the number of parameters one layer holds.
type ParameterCount struct {
	Layer string // the layer's state_dict prefix, as "layer1"
	Count int64
}

// ParameterCounts returns the number of parameters of each layer of model,
// in order: the tutorial's per-layer breakdown (layer1 100,480, layer2
// 1,290 for MNISTModel). A layer is the state_dict key up to its last dot
// ("layer1" for "layer1.weight" and "layer1.bias"), as torchinfo's summary
// and a loop over model.named_children() group them; a parameter held
// directly by the model counts as a layer of its own.
func ParameterCounts(model any) []ParameterCount {
	var out []ParameterCount
	index := map[string]int{}
	for _, p := range NamedParameters(model) {
		layer := p.Name
		if i := strings.LastIndexByte(layer, '.'); i >= 0 {
			layer = layer[:i]
		}
		i, ok := index[layer]
		if !ok {
			i = len(out)
			index[layer] = i
			out = append(out, ParameterCount{Layer: layer})
		}
		out[i].Count += p.Tensor.Numel()
	}
	return out
}
