package optim

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// ParamGroup is one entry of optimizer.param_groups: a list of parameters
// and the hyperparameters PyTorch lets a group set for itself. An optimizer
// returns its live groups from ParamGroups, so that changing a group's LR
// (as a learning-rate scheduler does), or any other field, changes the next
// Step, as assigning optimizer.param_groups[i]['lr'] does in Python.
//
// Fields an optimizer has no use for are ignored by it (Momentum by Adam,
// Betas by SGD); the comment of each field names the optimizers that read
// it.
type ParamGroup struct {
	Params      []*torch.Tensor // 'params'
	LR          float64         // 'lr'
	WeightDecay float64         // 'weight_decay'
	Momentum    float64         // 'momentum' (SGD, RMSprop); OneCycleLR and CyclicLR cycle it
	Betas       [2]float64      // 'betas' (Adam, AdamW, Adamax, NAdam, RAdam); OneCycleLR cycles Betas[0]
	// InitialLR is 'initial_lr', which the first learning-rate scheduler
	// built on the optimizer sets to LR (0 until then).
	InitialLR float64

	Eps                     float64 // 'eps' (every optimizer but SGD)
	Dampening               float64 // 'dampening' (SGD)
	Nesterov                bool    // 'nesterov' (SGD)
	Maximize                bool    // 'maximize' (every optimizer; NAdam and RAdam since PyTorch 2.0)
	AMSGrad                 bool    // 'amsgrad' (Adam, AdamW)
	Alpha                   float64 // 'alpha' (RMSprop)
	Centered                bool    // 'centered' (RMSprop)
	LRDecay                 float64 // 'lr_decay' (Adagrad)
	InitialAccumulatorValue float64 // 'initial_accumulator_value' (Adagrad)
	Rho                     float64 // 'rho' (Adadelta)
	MomentumDecay           float64 // 'momentum_decay' (NAdam)
	// DecoupledWeightDecay is 'decoupled_weight_decay' (NAdam, RAdam; PyTorch 2.x):
	// weight decay as AdamW's, param *= 1 - lr * weight_decay.
	DecoupledWeightDecay bool
}

// Group is a parameter group handed to a constructor (NewSGDGroups, ...)
// or to AddParamGroup: one of the dicts of torch.optim.SGD([{'params': ...,
// 'lr': ...}, ...]) or of optimizer.add_param_group({...}). A nil field is a
// key the dict leaves out: the group takes the optimizer's option (its
// defaults in Python). A set field overrides it, zero included:
//
//	optim.Group{Params: biases, WeightDecay: new(0.0)} // {'params': biases, 'weight_decay': 0.0}
//
// Setting a field the optimizer does not have (Betas for SGD) is an error.
type Group struct {
	Params                  []*torch.Tensor
	LR                      *float64    // 'lr'
	WeightDecay             *float64    // 'weight_decay'
	Momentum                *float64    // 'momentum' (SGD, RMSprop)
	Dampening               *float64    // 'dampening' (SGD)
	Nesterov                *bool       // 'nesterov' (SGD)
	Maximize                *bool       // 'maximize'
	Betas                   *[2]float64 // 'betas' (Adam, AdamW, Adamax, NAdam, RAdam)
	Eps                     *float64    // 'eps'
	AMSGrad                 *bool       // 'amsgrad' (Adam, AdamW)
	Alpha                   *float64    // 'alpha' (RMSprop)
	Centered                *bool       // 'centered' (RMSprop)
	LRDecay                 *float64    // 'lr_decay' (Adagrad)
	InitialAccumulatorValue *float64    // 'initial_accumulator_value' (Adagrad)
	Rho                     *float64    // 'rho' (Adadelta)
	MomentumDecay           *float64    // 'momentum_decay' (NAdam)
	DecoupledWeightDecay    *bool       // 'decoupled_weight_decay' (NAdam, RAdam)
}

// key is one hyperparameter of a param_groups dict.
type key int

const (
	kLR key = iota
	kMomentum
	kDampening
	kWeightDecay
	kNesterov
	kBetas
	kEps
	kAMSGrad
	kAlpha
	kCentered
	kLRDecay
	kInitialAccumulatorValue
	kRho
	kMomentumDecay
	kMaximize
	kDecoupledWeightDecay
	kInitialLR
	numKeys
)

// keyNames are PyTorch's names of the keys.
var keyNames = [numKeys]string{
	kLR: "lr", kMomentum: "momentum", kDampening: "dampening", kWeightDecay: "weight_decay",
	kNesterov: "nesterov", kBetas: "betas", kEps: "eps", kAMSGrad: "amsgrad", kAlpha: "alpha",
	kCentered: "centered", kLRDecay: "lr_decay", kInitialAccumulatorValue: "initial_accumulator_value",
	kRho: "rho", kMomentumDecay: "momentum_decay", kMaximize: "maximize", kDecoupledWeightDecay: "decoupled_weight_decay", kInitialLR: "initial_lr",
}

func (k key) String() string { return keyNames[k] }

// float returns the address of a float64 key's field in g, or nil for a
// key of another type.
func (g *ParamGroup) float(k key) *float64 {
	switch k {
	case kLR:
		return &g.LR
	case kMomentum:
		return &g.Momentum
	case kDampening:
		return &g.Dampening
	case kWeightDecay:
		return &g.WeightDecay
	case kEps:
		return &g.Eps
	case kAlpha:
		return &g.Alpha
	case kLRDecay:
		return &g.LRDecay
	case kInitialAccumulatorValue:
		return &g.InitialAccumulatorValue
	case kRho:
		return &g.Rho
	case kMomentumDecay:
		return &g.MomentumDecay
	case kInitialLR:
		return &g.InitialLR
	}
	return nil
}

// flag returns the address of a bool key's field in g, or nil.
func (g *ParamGroup) flag(k key) *bool {
	switch k {
	case kNesterov:
		return &g.Nesterov
	case kAMSGrad:
		return &g.AMSGrad
	case kCentered:
		return &g.Centered
	case kMaximize:
		return &g.Maximize
	case kDecoupledWeightDecay:
		return &g.DecoupledWeightDecay
	}
	return nil
}

// apply copies the fields spec sets into g, and returns an error naming the
// first field spec sets that is not among keys.
func (spec *Group) apply(g *ParamGroup, keys []key) error {
	has := func(k key) bool {
		for _, x := range keys {
			if x == k {
				return true
			}
		}
		return false
	}
	set := func(k key, ok bool) error {
		if ok && !has(k) {
			return fmt.Errorf("the group sets %s, which this optimizer does not have", k)
		}
		return nil
	}
	floats := []struct {
		k key
		v *float64
	}{
		{kLR, spec.LR}, {kWeightDecay, spec.WeightDecay}, {kMomentum, spec.Momentum},
		{kDampening, spec.Dampening}, {kEps, spec.Eps}, {kAlpha, spec.Alpha}, {kLRDecay, spec.LRDecay},
		{kInitialAccumulatorValue, spec.InitialAccumulatorValue}, {kRho, spec.Rho},
		{kMomentumDecay, spec.MomentumDecay},
	}
	for _, f := range floats {
		if err := set(f.k, f.v != nil); err != nil {
			return err
		}
		if f.v != nil {
			*g.float(f.k) = *f.v
		}
	}
	flags := []struct {
		k key
		v *bool
	}{{kNesterov, spec.Nesterov}, {kMaximize, spec.Maximize}, {kAMSGrad, spec.AMSGrad}, {kCentered, spec.Centered},
		{kDecoupledWeightDecay, spec.DecoupledWeightDecay}}
	for _, f := range flags {
		if err := set(f.k, f.v != nil); err != nil {
			return err
		}
		if f.v != nil {
			*g.flag(f.k) = *f.v
		}
	}
	if err := set(kBetas, spec.Betas != nil); err != nil {
		return err
	}
	if spec.Betas != nil {
		g.Betas = *spec.Betas
	}
	return nil
}

// params returns every parameter of the groups, in order.
func allParams(groups []*ParamGroup) []*torch.Tensor {
	var ps []*torch.Tensor
	for _, g := range groups {
		ps = append(ps, g.Params...)
	}
	return ps
}
