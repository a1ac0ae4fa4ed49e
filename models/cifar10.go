package models

import (
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// CIFAR10Model is the tutorial's MLP for 3x32x32 colour images:
//
//	class CIFAR10Model(nn.Module):
//	    def __init__(self, input_size=3072, hidden_size=128, num_classes=10):
//	        self.flatten = nn.Flatten()
//	        self.fc1 = nn.Linear(input_size, hidden_size)
//	        self.relu = nn.ReLU()
//	        self.fc2 = nn.Linear(hidden_size, num_classes)
//
// With the defaults it has 393,344 + 1,290 = 394,634 parameters.
type CIFAR10Model struct {
	Flatten *nn.Flatten
	FC1     *nn.Linear // state_dict key "fc1"
	ReLU    *nn.ReLU   `nn:"relu"` // PyTorch names it relu
	FC2     *nn.Linear // "fc2"
}

// The tutorial's defaults for NewCIFAR10Model: a 3×32×32 image, 128 hidden
// units, 10 classes.
const (
	CIFAR10InputSize  = 3 * 32 * 32
	CIFAR10HiddenSize = 128
	CIFAR10NumClasses = 10
)

// NewCIFAR10Model is CIFAR10Model(input_size, hidden_size, num_classes);
// the tutorial's defaults are CIFAR10InputSize, CIFAR10HiddenSize and
// CIFAR10NumClasses.
func NewCIFAR10Model(inputSize, hiddenSize, numClasses int64) *CIFAR10Model {
	return &CIFAR10Model{
		Flatten: nn.NewFlatten(),
		FC1:     nn.NewLinear(inputSize, hiddenSize),
		ReLU:    nn.NewReLU(),
		FC2:     nn.NewLinear(hiddenSize, numClasses),
	}
}

// Forward is CIFAR10Model.forward: raw class scores for a batch.
func (m *CIFAR10Model) Forward(input *torch.Tensor) *torch.Tensor {
	x := m.Flatten.Forward(input) // [batch, 3, 32, 32] -> [batch, 3072]
	x = rebind(x, m.FC1.Forward(x))
	x = rebind(x, m.ReLU.Forward(x))
	return rebind(x, m.FC2.Forward(x))
}
