package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLowerName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Layer1", "layer1"},
		{"FC1", "fc1"},
		{"Flatten", "flatten"},
		{"ReLU", "reLU"},
		{"MLPHead", "mlpHead"},
		{"X", "x"},
		{"ID", "id"},
		{"Émbed", "émbed"},
	} {
		assert.Equal(t, tc.want, lowerName(tc.in), tc.in)
	}
}
