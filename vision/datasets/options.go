package datasets

import (
	"io"
	"os"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// Options are the keyword arguments torchvision's dataset constructors
// share.
type Options struct {
	// Train picks the training split (train=True); false picks the test
	// split.
	Train bool
	// Download fetches missing files into root (download=True).
	Download bool
	// Transform is applied to every image (transform=...). Nil leaves the
	// bytes: Get then returns a uint8 tensor [C, H, W], what
	// transforms.PILToTensor would make of torchvision's PIL image.
	Transform transforms.Transform
	// TargetTransform is applied to every label (target_transform=...).
	TargetTransform func(int64) int64
}

// Log receives the progress lines torchvision prints while downloading
// ("Downloading URL", "Failed to download (trying next): ..."). It is
// standard error by default; set it to io.Discard to silence them.
var Log io.Writer = os.Stderr

// CacheDir is a root directory for datasets shared by programs and tests,
// so that data is downloaded once per machine: $GOTORCH_DATA when set, else
// gotorch/data in the user's cache directory (~/.cache on Linux), else in
// the temporary directory. `go run ./cmd/getdata` fills it.
func CacheDir() string { return dataroot.Dir() }
