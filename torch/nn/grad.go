package nn

// ZeroGrad drops every parameter's gradient and its memory:
// model.zero_grad(), whose set_to_none=True is the default since PyTorch 2.0.
// The next backward pass allocates fresh gradients.
func ZeroGrad(model any) {
	for _, p := range Parameters(model) {
		p.ClearGrad()
	}
}

// ZeroGradFill fills every existing gradient with zeros, keeping its memory:
// model.zero_grad(set_to_none=False), PyTorch 1.x's default.
func ZeroGradFill(model any) {
	for _, p := range Parameters(model) {
		if g := p.Grad(); g != nil {
			g.Zero_()
			g.Free()
		}
	}
}
