package optim

import (
	"math"

	"github.com/seed0eaa3131/gotorch/torch"
)

// pytorch2 reports whether the linked libtorch is PyTorch 2.x or later.
// The optimizers then follow 2.x's single-tensor updates, which differ from
// 1.13's in a few operations (see the comments at each use), so that on
// either release the parameters equal that release's Python optimizer's bit
// for bit.
func pytorch2() bool { return torch.VersionAtLeast(2, 0) }

// updateFirstMoment is exp_avg = beta1 * exp_avg + (1 - beta1) * grad as
// each release computes it: exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
// in 1.13, exp_avg.lerp_(grad, 1 - beta1) in 2.x.
func updateFirstMoment(expAvg, grad *torch.Tensor, beta1 float64) {
	if pytorch2() {
		expAvg.LerpScalar_(grad, scalar(1-beta1))
		return
	}
	expAvg.MulScalar_(scalar(beta1)).Add_(grad, alpha(1-beta1))
}

// pySqrt is the square root of a Python float as each release takes it:
// math.sqrt(x) in 1.13, x ** 0.5 (C's pow) in 2.x.
func pySqrt(x float64) float64 {
	if pytorch2() {
		return pow(x, 0.5)
	}
	return math.Sqrt(x)
}

// stepSaved is a "step" as StateDict holds it for the optimizers whose
// step PyTorch 1.13 keeps as a Python int (RMSprop, Adadelta): an int64
// tensor there, a float32 tensor as every step in 2.x.
func stepSaved(step float64) *torch.Tensor {
	if pytorch2() {
		return stepTensor(step)
	}
	return intStepTensor(step)
}
