package jit_test

import (
	"fmt"
	"log"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/jit"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// Serving a model trained in Python, which saved it with
// torch.jit.script(model).save("model.pt"). (Not run by go test: the file
// comes from Python; TestScriptedMLP and the others run the same calls.)
func ExampleLoad() {
	m, err := jit.Load("model.pt", torch.CPU) // model = torch.jit.load("model.pt", map_location="cpu")
	if err != nil {
		log.Fatal(err)
	}
	defer m.Free()
	if err := m.Eval(); err != nil { // model.eval()
		log.Fatal(err)
	}
	x := torch.Randn([]int64{4, 1, 28, 28})
	var out any
	torch.NoGrad(func() { // with torch.no_grad():
		out, err = m.Forward(x) //     output = model(x)
	})
	if err != nil {
		log.Fatal(err)
	}
	pred := out.(*torch.Tensor).Argmax(torch.ArgmaxOpts{Dim: new(int64(1))}) // output.argmax(dim=1)
	fmt.Println(pred.Int64s())
}

// Fine-tuning a TorchScript model from Go, then saving it both ways.
// (Not run by go test; TestFineTune trains 5 steps and matches Python.)
func ExampleModule_Parameters() {
	m, err := jit.Load("model.pt", torch.CPU)
	if err != nil {
		log.Fatal(err)
	}
	opt, err := optim.NewSGD(m.Parameters(), optim.SGDOptions{LR: 0.01, Momentum: 0.9}) // optim.SGD(model.parameters(), ...)
	if err != nil {
		log.Fatal(err)
	}
	x, y := torch.Randn([]int64{8, 1, 28, 28}), torch.Randint(10, []int64{8})
	nn.Train(m) // model.train()
	for range 5 {
		opt.ZeroGrad()
		out, err := m.Forward(x) // output = model(x)
		if err != nil {
			log.Fatal(err)
		}
		loss := F.NllLoss(out.(*torch.Tensor), y)
		loss.Backward()
		opt.Step()
	}
	if err := m.Save("finetuned.pt"); err != nil { // model.save("finetuned.pt"): TorchScript
		log.Fatal(err)
	}
	if err := nn.Save(m, "finetuned_state.pt"); err != nil { // torch.save(model.state_dict(), ...)
		log.Fatal(err)
	}
}
