package main

import (
	"github.com/seed0eaa3131/gotorch/internal/trainer"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// tally is one class's test result.
type tally struct{ correct, total int }

// classAccuracy counts, for each class, the test images of that class the
// model gets right: the PyTorch CIFAR-10 tutorial's "Accuracy for class:
// plane is 57.3 %" loop, under model.eval() and torch.no_grad().
func classAccuracy(model trainer.Model, test *data.Loader, device torch.Device, numClasses int) ([]tally, error) {
	nn.Eval(model)
	defer nn.Train(model)
	out := make([]tally, numClasses)
	torch.NoGrad(func() {
		for images, labels := range test.All() {
			x := images.To(device)
			logits := model.Forward(x)
			predT := logits.Argmax(torch.ArgmaxOpts{Dim: new(int64(1))})
			pred := predT.Int64s()
			for i, y := range labels.Int64s() {
				if y < 0 || int(y) >= numClasses {
					continue
				}
				out[y].total++
				if pred[i] == y {
					out[y].correct++
				}
			}
			torch.FreeAll(predT, logits, x, images, labels)
		}
	})
	return out, test.Err()
}
