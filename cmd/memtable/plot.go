package main

import (
	"fmt"
	"math"
	"os"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// plot writes a PNG chart of the input data, the intermediates and the
// peak total against the batch size, measured (solid lines with points)
// beside estimated (dashed), on log-log axes so that batch 64 and batch
// 4096 are both readable.
func (t *table) plot(path string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s + %s on %s: one training step", t.spec.name, t.optimizerName(), t.device)
	p.X.Label.Text = "batch size"
	p.Y.Label.Text = "memory (1 KB = 1024 bytes)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	// The legend goes bottom right, below the lines of the largest batches.
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(12), vg.Points(40)
	p.Add(plotter.NewGrid())

	series := []struct {
		name          string
		measured, est func(r row) int64
	}{
		{"peak total", row.Peak, func(r row) int64 { return t.peakEstimate(r.Batch) }},
		{"input data", func(r row) int64 { return r.Input }, func(r row) int64 { return t.dataEstimate(r.Batch) }},
		{"intermediates", row.Intermediates, func(r row) int64 { return t.intermediateEstimate(r.Batch) }},
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	xy := func(f func(r row) int64) plotter.XYs {
		pts := make(plotter.XYs, len(t.rows))
		for i, r := range t.rows {
			// A log axis cannot show zero: a figure under a byte sits on 1 B.
			pts[i].X, pts[i].Y = float64(r.Batch), math.Max(1, float64(f(r)))
			lo, hi = math.Min(lo, pts[i].Y), math.Max(hi, pts[i].Y)
		}
		return pts
	}
	for i, s := range series {
		color := plotutil.Color(i)
		line, points, err := plotter.NewLinePoints(xy(s.measured))
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		line.Color, points.Color = color, color
		points.Shape = draw.CircleGlyph{}
		est, err := plotter.NewLine(xy(s.est))
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		est.Color = color
		est.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(line, points, est)
		p.Legend.Add(s.name+", measured", line, points)
		p.Legend.Add(s.name+", estimate", est)
	}

	first, last := float64(t.rows[0].Batch), float64(t.rows[0].Batch)
	for _, r := range t.rows {
		first, last = math.Min(first, float64(r.Batch)), math.Max(last, float64(r.Batch))
	}
	p.X.Min, p.X.Max = first/1.5, last*1.5
	p.Y.Min, p.Y.Max = lo/8, hi*1.5
	p.X.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick {
		var ticks []plot.Tick
		for _, r := range t.rows {
			ticks = append(ticks, plot.Tick{Value: float64(r.Batch), Label: strconv.Itoa(r.Batch)})
		}
		return ticks
	})
	p.Y.Tick.Marker = plot.TickerFunc(byteTicks)

	img := vgimg.New(9*vg.Inch, 6*vg.Inch)
	p.Draw(draw.New(img))
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return f.Close()
}

// byteTicks labels a log axis of bytes at powers of two (every second or
// fourth power when the range is wide), in B, KB and MB.
func byteTicks(min, max float64) []plot.Tick {
	lo, hi := int(math.Floor(math.Log2(min))), int(math.Ceil(math.Log2(max)))
	step := 1
	for (hi-lo)/step > 8 {
		step *= 2
	}
	var ticks []plot.Tick
	for e := lo - lo%step; e <= hi; e += step {
		v := math.Exp2(float64(e))
		if v >= min && v <= max {
			ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v)})
		}
	}
	return ticks
}

// tickLabel writes a power of two as 512 B, 16 KB or 4 MB.
func tickLabel(v float64) string {
	switch {
	case v < 1<<10:
		return fmt.Sprintf("%g B", v)
	case v < 1<<20:
		return fmt.Sprintf("%g KB", v/(1<<10))
	case v < 1<<30:
		return fmt.Sprintf("%g MB", v/(1<<20))
	}
	return fmt.Sprintf("%g GB", v/(1<<30))
}
