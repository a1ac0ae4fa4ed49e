package trainer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Off a terminal, progress is one plain line per tenth of the way.
func TestProgressPlainLines(t *testing.T) {
	var out bytes.Buffer
	p := NewProgress(&out, "epoch 1", 25, false)
	for i := 1; i <= 25; i++ {
		p.Step(1.0/float64(i), i*64)
	}
	p.Finish()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Len(t, lines, 10)
	assert.True(t, strings.HasPrefix(lines[0], "epoch 1  12% [3/25] loss 0.3333,"), lines[0])
	assert.True(t, strings.HasPrefix(lines[9], "epoch 1 100% [25/25] loss 0.0400,"), lines[9])
	assert.Contains(t, lines[9], "ETA 0s")

	out.Reset()
	q := NewProgress(&out, "quiet", 5, true)
	for range 5 {
		q.Step(1, 1)
	}
	assert.Empty(t, out.String())
}

func TestPlotHistoryNeedsAnEpoch(t *testing.T) {
	err := PlotHistory(nil, "m", t.TempDir()+"/p.png")
	assert.ErrorContains(t, err, "no finished epoch")
	assert.NoError(t, PlotHistory([]Epoch{{Epoch: 1, TrainLoss: 1, TestLoss: 0.5, TrainAcc: 0.9, TestAcc: 0.95}}, "m", t.TempDir()+"/p.png"))
}
