package jit

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/seed0eaa3131/gotorch/internal/pickleguard"
)

// maxPickle bounds the pickles checkArchive reads: a module's data.pkl and
// constants.pkl describe its structure (tensors are separate records), a
// few KB to a few MB for real models.
const maxPickle = 256 << 20

// checkArchive checks in Go what libtorch's loader would otherwise meet
// unprepared: that path is a zip archive laid out as torch.jit.save lays
// one out (ARCHIVE/data.pkl, ARCHIVE/constants.pkl, ARCHIVE/code/...), and
// that its pickles are well formed (each opcode known, each argument
// within the bytes given).
func checkArchive(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("jit.Load: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("jit.Load: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("jit.Load %s: a directory, not a TorchScript file", path)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return fmt.Errorf("jit.Load %s: not a TorchScript file: torch.jit.save writes a zip archive, and this is not one (%v)", path, err)
	}
	var pickles []*zip.File
	var hasData, hasConstants, hasCode bool
	for _, zf := range zr.File {
		_, rest, ok := strings.Cut(zf.Name, "/")
		if !ok {
			continue
		}
		switch {
		case rest == "data.pkl":
			hasData = true
			pickles = append(pickles, zf)
		case rest == "constants.pkl":
			hasConstants = true
			pickles = append(pickles, zf)
		case strings.HasPrefix(rest, "code/"):
			hasCode = true
		}
	}
	switch {
	case !hasData:
		return fmt.Errorf("jit.Load %s: not a TorchScript file: the zip archive has no data.pkl", path)
	case !hasConstants || !hasCode:
		return fmt.Errorf("jit.Load %s: a checkpoint written by torch.save, not TorchScript (no code/ or constants.pkl): nn.Load or torch.Load read it; torch.jit.save(torch.jit.script(model), path) writes TorchScript", path)
	}
	for _, zf := range pickles {
		if err := checkPickle(zf); err != nil {
			return fmt.Errorf("jit.Load %s: %s: %w", path, zf.Name, err)
		}
	}
	return nil
}

func checkPickle(zf *zip.File) error {
	if zf.UncompressedSize64 > maxPickle {
		return fmt.Errorf("declares %d bytes, more than the %d a TorchScript pickle may have", zf.UncompressedSize64, maxPickle)
	}
	r, err := zf.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, maxPickle+1))
	if err != nil {
		return err
	}
	if err := pickleguard.Scan(b); err != nil {
		return fmt.Errorf("a damaged pickle: %w", err)
	}
	return nil
}
