package torch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

// TestVersionAtLeast reads the release from the reference Python's
// torch.__version__ (the same release as the libtorch under test, as the
// set-up installs them together) and checks VersionAtLeast at and around it.
func TestVersionAtLeast(t *testing.T) {
	var v struct{ Major, Minor int }
	pytorch.JSON(t, `
import json
major, minor = torch.__version__.split(".")[:2]
print(json.dumps({"Major": int(major), "Minor": int(minor)}))
`, &v)
	assert.True(t, torch.VersionAtLeast(v.Major, v.Minor), torch.Version())
	assert.True(t, torch.VersionAtLeast(v.Major, 0))
	assert.True(t, torch.VersionAtLeast(v.Major-1, 99))
	assert.False(t, torch.VersionAtLeast(v.Major, v.Minor+1))
	assert.False(t, torch.VersionAtLeast(v.Major+1, 0))
}
