package trainer

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PlotHistory writes a PNG of the training and test loss (left) and
// accuracy (right) per epoch: what a notebook would draw with matplotlib.
func PlotHistory(history []Epoch, title, path string) error {
	if len(history) == 0 {
		return fmt.Errorf("plot %s: no finished epoch to plot", path)
	}
	series := func(f func(Epoch) float64) plotter.XYs {
		xy := make(plotter.XYs, len(history))
		for i, e := range history {
			xy[i].X, xy[i].Y = float64(e.Epoch), f(e)
		}
		return xy
	}
	loss := plot.New()
	loss.Title.Text = title + ": loss"
	loss.X.Label.Text = "epoch"
	loss.Y.Label.Text = "cross-entropy"
	if err := plotutil.AddLinePoints(loss,
		"train", series(func(e Epoch) float64 { return e.TrainLoss }),
		"test", series(func(e Epoch) float64 { return e.TestLoss })); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	acc := plot.New()
	acc.Title.Text = title + ": accuracy"
	acc.X.Label.Text = "epoch"
	acc.Y.Label.Text = "accuracy (%)"
	if err := plotutil.AddLinePoints(acc,
		"train", series(func(e Epoch) float64 { return 100 * e.TrainAcc }),
		"test", series(func(e Epoch) float64 { return 100 * e.TestAcc })); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	for _, p := range []*plot.Plot{loss, acc} {
		p.Legend.Top = true
		p.X.Tick.Marker = plot.TickerFunc(integerTicks)
	}
	img := vgimg.New(10*vg.Inch, 4*vg.Inch)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2}
	canvases := plot.Align([][]*plot.Plot{{loss, acc}}, tiles, dc)
	loss.Draw(canvases[0][0])
	acc.Draw(canvases[0][1])
	return savePNG(img, path)
}

// integerTicks puts one tick on each whole epoch.
func integerTicks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	step := 1.0
	for (max-min)/step > 12 {
		step *= 2
	}
	for x := float64(int(min)); x <= max; x += step {
		if x >= min {
			ticks = append(ticks, plot.Tick{Value: x, Label: fmt.Sprintf("%.0f", x)})
		}
	}
	return ticks
}
