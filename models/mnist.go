// Package models holds the models of the programs this repo ports: the
// tutorial's MNISTModel and CIFAR10Model (two-layer perceptrons over
// flattened images), pytorch/examples' MNIST convolutional Net (MNISTCNN)
// and the CIFAR-10 "Training a classifier" tutorial's Net (CIFAR10CNN).
// Their fields give PyTorch's state_dict keys (layer1.weight, conv1.bias,
// ...), so weights saved by the Python classes load into them and the other
// way round.
package models

import (
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// MNISTModel is the tutorial's MLP for 1x28x28 grey images and 10 classes:
//
//	class MNISTModel(nn.Module):
//	    def __init__(self):
//	        self.flatten = nn.Flatten()
//	        self.layer1 = nn.Linear(784, 128)
//	        self.relu = nn.ReLU()
//	        self.layer2 = nn.Linear(128, 10)
//
// It has 100,480 + 1,290 = 101,770 parameters.
type MNISTModel struct {
	Flatten *nn.Flatten
	Layer1  *nn.Linear
	ReLU    *nn.ReLU `nn:"relu"` // PyTorch names it relu
	Layer2  *nn.Linear
}

// NewMNISTModel is MNISTModel(): its layers are created, and draw their
// initial weights, in the order Python's __init__ creates them, so the same
// torch.ManualSeed gives the same weights.
func NewMNISTModel() *MNISTModel {
	return &MNISTModel{
		Flatten: nn.NewFlatten(),        // 28×28 image -> 784 vector
		Layer1:  nn.NewLinear(784, 128), // input: 784 (28×28)
		ReLU:    nn.NewReLU(),
		Layer2:  nn.NewLinear(128, 10), // 10 classes
	}
}

// Forward is MNISTModel.forward: raw class scores (logits) for a batch.
func (m *MNISTModel) Forward(input *torch.Tensor) *torch.Tensor {
	x := m.Flatten.Forward(input)         // [batch, 1, 28, 28] -> [batch, 784]
	x = rebind(x, m.Layer1.Forward(x))    // [batch, 784] -> [batch, 128]
	x = rebind(x, m.ReLU.Forward(x))      //
	return rebind(x, m.Layer2.Forward(x)) // [batch, 128] -> [batch, 10]
}

// rebind frees the intermediate x that next replaces, as Python drops the
// old tensor when forward rebinds x. Autograd keeps its own reference to
// what backward needs; without this the intermediates would wait for Go's
// collector, and memory would read higher than PyTorch's after a step.
func rebind(x, next *torch.Tensor) *torch.Tensor {
	x.Free()
	return next
}
