package trainer

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress shows a long loop's advance: a progress bar (loss, samples/s,
// ETA) on a terminal, and a plain line every tenth of the way otherwise, so
// that logs and CI output stay readable.
type Progress struct {
	out     io.Writer
	bar     *progressbar.ProgressBar
	total   int
	done    int
	start   time.Time
	nextPct int
	label   string
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// NewProgress starts a progress display for total steps; quiet shows
// nothing.
func NewProgress(out io.Writer, label string, total int, quiet bool) *Progress {
	p := &Progress{out: out, total: total, start: time.Now(), nextPct: 10, label: label}
	if quiet {
		p.out = io.Discard
		return p
	}
	if IsTerminal(out) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription(label),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// Step records one finished step with the running loss and the samples
// processed so far.
func (p *Progress) Step(loss float64, samples int) {
	p.done++
	rate := float64(samples) / time.Since(p.start).Seconds()
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s loss %.4f, %.0f samples/s", p.label, loss, rate))
		_ = p.bar.Add(1)
		return
	}
	if p.total > 0 && p.done*100 >= p.nextPct*p.total {
		eta := time.Duration(float64(time.Since(p.start)) * float64(p.total-p.done) / float64(p.done))
		fmt.Fprintf(p.out, "%s %3d%% [%d/%d] loss %.4f, %.0f samples/s, ETA %s\n",
			p.label, p.done*100/p.total, p.done, p.total, loss, rate, eta.Round(100*time.Millisecond))
		for p.done*100 >= p.nextPct*p.total {
			p.nextPct += 10
		}
	}
}

// Finish clears the bar.
func (p *Progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
