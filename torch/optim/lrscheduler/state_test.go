package lrscheduler_test

import (
	"bytes"
	"encoding/gob"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch/optim"
	L "github.com/seed0eaa3131/gotorch/torch/optim/lrscheduler"
)

type stateful interface {
	StateDict() L.State
	LoadStateDict(L.State) error
}

// step takes one optimizer and scheduler step and returns the groups'
// rates and momenta.
func step(opt optim.Optimizer, s any, metric float64) []float64 {
	opt.Step()
	switch s := s.(type) {
	case *L.ReduceLROnPlateau:
		s.Step(metric)
	case L.Scheduler:
		s.Step()
	}
	var out []float64
	for _, g := range opt.ParamGroups() {
		out = append(out, g.LR, g.Momentum, g.Betas[0])
	}
	return out
}

// TestStateDictResumes: every schedule of the parity tests, interrupted
// after 8 steps and resumed in a new optimizer and scheduler from the
// groups (as the optimizer's state_dict carries them) and the scheduler's
// State (through encoding/gob), continues exactly as the uninterrupted
// one.
func TestStateDictResumes(t *testing.T) {
	var cases []pyCase
	for _, list := range [][]pyCase{basicCases(), cyclicCases(), plateauCases(), composedCases()} {
		cases = append(cases, list...)
	}
	const cut = 8
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			metric := func(i int) float64 {
				if c.Metrics == nil {
					return 0
				}
				return c.Metrics[i]
			}
			optA := twoGroups(t, c)
			sA, err := c.build(optA)
			require.NoError(t, err)
			var want [][]float64
			for i := range c.Steps - 2 { // OneCycleLR_options_past_end fails at its last step
				want = append(want, step(optA, sA, metric(i)))
			}

			optB := twoGroups(t, c)
			sB, err := c.build(optB)
			require.NoError(t, err)
			var got [][]float64
			for i := range cut {
				got = append(got, step(optB, sB, metric(i)))
			}
			var buf bytes.Buffer
			require.NoError(t, gob.NewEncoder(&buf).Encode(sB.(stateful).StateDict()))
			var groups []optim.ParamGroup
			for _, g := range optB.ParamGroups() {
				groups = append(groups, *g)
			}

			optC := twoGroups(t, c)
			sC, err := c.build(optC)
			require.NoError(t, err)
			for i, g := range optC.ParamGroups() { // optimizer.load_state_dict
				g.LR, g.InitialLR, g.Momentum, g.Betas = groups[i].LR, groups[i].InitialLR, groups[i].Momentum, groups[i].Betas
			}
			var st L.State
			require.NoError(t, gob.NewDecoder(&buf).Decode(&st))
			require.NoError(t, sC.(stateful).LoadStateDict(st))
			require.Equal(t, sB.(interface{ LastLR() []float64 }).LastLR(), sC.(interface{ LastLR() []float64 }).LastLR())
			for i := cut; i < c.Steps-2; i++ {
				got = append(got, step(optC, sC, metric(i)))
			}
			require.Equal(t, want, got)
		})
	}
}
