package datasets_test

import (
	"os"
	"testing"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
)

// TestMain skips the Examples that show the full MNIST's figures where it
// is absent (they would download it): `go test ./...` needs no network.
func TestMain(m *testing.M) {
	os.Exit(dataroot.RunTests(m, "ExampleMNIST_Get", "ExampleMNIST_dataLoader", "ExampleNewMNIST"))
}
