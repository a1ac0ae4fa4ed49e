package models

import (
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// MNISTCNN is the convolutional network of pytorch/examples' MNIST example
// (mnist/main.py's Net):
//
//	class Net(nn.Module):
//	    def __init__(self):
//	        self.conv1 = nn.Conv2d(1, 32, 3, 1)
//	        self.conv2 = nn.Conv2d(32, 64, 3, 1)
//	        self.dropout1 = nn.Dropout(0.25)
//	        self.dropout2 = nn.Dropout(0.5)
//	        self.fc1 = nn.Linear(9216, 128)
//	        self.fc2 = nn.Linear(128, 10)
//
// It has 1,199,882 parameters; Forward returns log-probabilities, so its
// loss is nll_loss. Its fields give Net's state_dict keys (conv1.weight,
// fc2.bias, ...).
type MNISTCNN struct {
	Conv1    *nn.Conv2d
	Conv2    *nn.Conv2d
	Dropout1 *nn.Dropout
	Dropout2 *nn.Dropout
	FC1      *nn.Linear
	FC2      *nn.Linear
}

// NewMNISTCNN is Net(): the layers draw their initial weights in __init__'s
// order, so the same torch.ManualSeed gives Python's weights.
func NewMNISTCNN() *MNISTCNN {
	return &MNISTCNN{
		Conv1:    nn.NewConv2d(1, 32, []int64{3}, nn.Conv2dOpts{Stride: []int64{1}}),
		Conv2:    nn.NewConv2d(32, 64, []int64{3}, nn.Conv2dOpts{Stride: []int64{1}}),
		Dropout1: nn.NewDropout(0.25),
		Dropout2: nn.NewDropout(0.5),
		FC1:      nn.NewLinear(9216, 128),
		FC2:      nn.NewLinear(128, 10),
	}
}

// Forward is Net.forward: [batch, 1, 28, 28] images to [batch, 10]
// log-probabilities.
func (m *MNISTCNN) Forward(input *torch.Tensor) *torch.Tensor {
	x := m.Conv1.Forward(input)                              // [N, 32, 26, 26]
	x = rebind(x, F.Relu(x))                                 //
	x = rebind(x, m.Conv2.Forward(x))                        // [N, 64, 24, 24]
	x = rebind(x, F.Relu(x))                                 //
	x = rebind(x, F.MaxPool2d(x, []int64{2}))                // [N, 64, 12, 12]
	x = rebind(x, m.Dropout1.Forward(x))                     //
	x = rebind(x, x.Flatten(torch.FlattenOpts{StartDim: 1})) // [N, 9216]
	x = rebind(x, m.FC1.Forward(x))                          // [N, 128]
	x = rebind(x, F.Relu(x))                                 //
	x = rebind(x, m.Dropout2.Forward(x))                     //
	x = rebind(x, m.FC2.Forward(x))                          // [N, 10]
	return rebind(x, F.LogSoftmax(x, 1))                     //
}
