package nn_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

type describedBlock struct {
	FC1  *nn.Linear
	Act  *nn.ReLU `nn:"act"`
	Drop *nn.Dropout
}

type describedNet struct {
	Flatten *nn.Flatten
	Body    *describedBlock
	Head    nn.Sequential
	Skip    *nn.Linear `nn:"-"`
}

// Describe prints what Python's print(model) prints for the same module tree.
func TestDescribeMatchesPrintModel(t *testing.T) {
	m := &describedNet{
		Flatten: nn.NewFlatten(),
		Body:    &describedBlock{FC1: nn.NewLinear(4, 3), Act: nn.NewReLU(), Drop: nn.NewDropout(0.5)},
		Head:    nn.NewSequential(nn.NewLinear(3, 2), nn.NewReLU()),
		Skip:    nn.NewLinear(1, 1),
	}
	want := pytorch.Run(t, `import torch.nn as nn
class describedBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(0.5)
class describedNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.body = describedBlock()
        self.head = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
print(describedNet())`)
	assert.Equal(t, want, nn.Describe(m)+"\n")
}

func ExampleDescribe() {
	type MNISTModel struct {
		Flatten *nn.Flatten
		Layer1  *nn.Linear
		ReLU    *nn.ReLU `nn:"relu"`
		Layer2  *nn.Linear
	}
	fmt.Println(nn.Describe(&MNISTModel{nn.NewFlatten(), nn.NewLinear(784, 128), nn.NewReLU(), nn.NewLinear(128, 10)}))
	// Output:
	// MNISTModel(
	//   (flatten): Flatten(start_dim=1, end_dim=-1)
	//   (layer1): Linear(in_features=784, out_features=128, bias=True)
	//   (relu): ReLU()
	//   (layer2): Linear(in_features=128, out_features=10, bias=True)
	// )
}
