package models

import (
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// CIFAR10CNN is the convolutional network of PyTorch's CIFAR-10 tutorial
// ("Training a classifier", beginner/blitz/cifar10_tutorial), its class Net:
//
//	class Net(nn.Module):
//	    def __init__(self):
//	        super().__init__()
//	        self.conv1 = nn.Conv2d(3, 6, 5)
//	        self.pool = nn.MaxPool2d(2, 2)
//	        self.conv2 = nn.Conv2d(6, 16, 5)
//	        self.fc1 = nn.Linear(16 * 5 * 5, 120)
//	        self.fc2 = nn.Linear(120, 84)
//	        self.fc3 = nn.Linear(84, 10)
//
// Its state_dict keys are Python's: conv1.weight, conv1.bias, conv2.weight,
// ..., fc3.bias (the pool has no parameters). It has 456 + 2,416 + 48,120 +
// 10,164 + 850 = 62,006 parameters. scripts/reference/tutorial.py holds the
// Python class, as CIFAR10CNN, that the parity tests compare it with.
type CIFAR10CNN struct {
	Conv1 *nn.Conv2d    // 3×32×32 -> 6×28×28
	Pool  *nn.MaxPool2d // halves height and width; used after each conv
	Conv2 *nn.Conv2d    // 6×14×14 -> 16×10×10
	FC1   *nn.Linear    // 16·5·5 = 400 -> 120
	FC2   *nn.Linear    // 120 -> 84
	FC3   *nn.Linear    // 84 -> 10 classes
}

// NewCIFAR10CNN is Net(): its layers are created, and draw their initial
// weights, in the order Python's __init__ creates them, so the same
// torch.ManualSeed gives bit-identical weights.
func NewCIFAR10CNN() *CIFAR10CNN {
	return &CIFAR10CNN{
		Conv1: nn.NewConv2d(3, 6, []int64{5}),
		Pool:  nn.NewMaxPool2d([]int64{2}, nn.MaxPool2dOpts{Stride: []int64{2}}),
		Conv2: nn.NewConv2d(6, 16, []int64{5}),
		FC1:   nn.NewLinear(16*5*5, 120),
		FC2:   nn.NewLinear(120, 84),
		FC3:   nn.NewLinear(84, CIFAR10NumClasses),
	}
}

// Forward is Net.forward: raw class scores [batch, 10] for images [batch,
// 3, 32, 32].
//
//	x = self.pool(F.relu(self.conv1(x)))
//	x = self.pool(F.relu(self.conv2(x)))
//	x = torch.flatten(x, 1)
//	x = F.relu(self.fc1(x))
//	x = F.relu(self.fc2(x))
//	x = self.fc3(x)
func (m *CIFAR10CNN) Forward(input *torch.Tensor) *torch.Tensor {
	x := m.Conv1.Forward(input)       // [batch, 6, 28, 28]
	x = rebind(x, F.Relu(x))          //
	x = rebind(x, m.Pool.Forward(x))  // [batch, 6, 14, 14]
	x = rebind(x, m.Conv2.Forward(x)) // [batch, 16, 10, 10]
	x = rebind(x, F.Relu(x))          //
	x = rebind(x, m.Pool.Forward(x))  // [batch, 16, 5, 5]
	x = rebind(x, x.Flatten(flattenBatch))
	x = rebind(x, m.FC1.Forward(x))    // [batch, 400] -> [batch, 120]
	x = rebind(x, F.Relu(x))           //
	x = rebind(x, m.FC2.Forward(x))    // [batch, 84]
	x = rebind(x, F.Relu(x))           //
	return rebind(x, m.FC3.Forward(x)) // [batch, 10]
}

// flattenBatch is torch.flatten(x, 1): every dimension but the batch's.
var flattenBatch = torch.FlattenOpts{StartDim: 1}
