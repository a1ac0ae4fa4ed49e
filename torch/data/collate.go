package data

import (
	"fmt"
	"runtime/debug"
	"slices"

	"github.com/seed0eaa3131/gotorch/torch"
)

// batch is one collated batch on its way to the consumer, or the reason
// there is none.
type batch struct {
	images, labels *torch.Tensor
	err            error
	// panicked and stack carry a panic that was not a libtorch error (a bug
	// in a dataset) to the consumer's goroutine, where it is raised again,
	// as PyTorch re-raises a worker's exception in the main process.
	panicked any
	stack    []byte
}

// free releases a batch that will never be yielded.
func (r batch) free() {
	r.images.Free()
	r.labels.Free()
}

// buffers is the Go memory a BatchDataset writes a batch into before the
// one copy into libtorch. Each worker holds one for a whole epoch; a
// sync.Pool keeps them across epochs.
type buffers struct {
	images []float32
	labels []int64
}

// safeCollate is collate with its panics turned into a batch: libtorch errors
// (and the *torch.Error of a dataset's own tensor calls) become the error
// Err reports; any other panic travels to the consumer to be raised there.
func (l *Loader) safeCollate(e *epochPlan, b int, indices []int, buf *buffers) (r batch) {
	defer func() {
		if p := recover(); p != nil {
			if te, ok := p.(*torch.Error); ok {
				r = batch{err: fmt.Errorf("data: batch %d of %T: %w", b, l.ds, te)}
				return
			}
			r = batch{panicked: p, stack: debug.Stack()}
		}
	}()
	if l.bds != nil {
		return l.collateBatch(e, b, indices, buf)
	}
	return l.collateSamples(b, indices)
}

// collateBatch asks a BatchDataset for the whole batch in Go memory and makes
// each of the two tensors with a single copy: no per-sample tensor and no
// per-sample cgo call.
func (l *Loader) collateBatch(e *epochPlan, b int, indices []int, buf *buffers) batch {
	k := len(indices)
	n := k * int(e.per)
	if cap(buf.images) < n {
		buf.images = make([]float32, n)
	}
	if cap(buf.labels) < k {
		buf.labels = make([]int64, k)
	}
	images, labels := buf.images[:n], buf.labels[:k]
	if err := l.bds.GetBatch(indices, images, labels); err != nil {
		return batch{err: fmt.Errorf("data: batch %d: %T.GetBatch: %w", b, l.ds, err)}
	}
	shape := append([]int64{int64(k)}, e.shape...)
	return l.pinned(batch{images: torch.FromSlice(images, shape...), labels: torch.FromSlice(labels)})
}

// collateSamples is PyTorch's default_collate for (image, label) samples:
// torch.stack of the images and an int64 tensor of the labels. The
// per-sample tensors are freed here, at once, rather than left to the
// garbage collector.
func (l *Loader) collateSamples(b int, indices []int) batch {
	images := make([]*torch.Tensor, 0, len(indices))
	defer func() {
		for _, t := range images {
			t.Free()
		}
	}()
	labels := make([]int64, len(indices))
	var first torch.Size
	for k, i := range indices {
		img, label := l.ds.Get(i)
		if img == nil {
			return batch{err: fmt.Errorf("data: batch %d: %T.Get(%d) returned a nil image", b, l.ds, i)}
		}
		images = append(images, img)
		labels[k] = label
		// Checked here, not left to torch.stack, so that the message says
		// which sample differs.
		if k == 0 {
			first = img.Shape()
		} else if s := img.Shape(); !slices.Equal(s, first) {
			return batch{err: fmt.Errorf("data: batch %d: %T.Get(%d) has shape %v, want %v like Get(%d)",
				b, l.ds, i, s, first, indices[0])}
		}
	}
	return l.pinned(batch{images: torch.Stack(images), labels: torch.FromSlice(labels)})
}

// pinned moves a batch into page-locked memory when PinMemory asks for it and
// libtorch can (see Options.PinMemory).
func (l *Loader) pinned(r batch) batch {
	if !l.opts.PinMemory || !torch.CUDACompiled() || l.pinFailed.Load() {
		return r
	}
	var images, labels *torch.Tensor
	err := torch.Catch(func() {
		images = r.images.PinMemory()
		labels = r.labels.PinMemory()
	})
	if err != nil {
		images.Free()
		l.pinFailed.Store(true)
		return r
	}
	r.free()
	return batch{images: images, labels: labels}
}
