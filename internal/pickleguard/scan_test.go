package pickleguard

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScan(t *testing.T) {
	for _, tc := range []struct {
		name   string
		pickle string
		err    string
	}{
		// pickle.dumps(A(), protocol=2): an object made with NEWOBJ, as
		// TorchScript's data.pkl makes its modules.
		{"NEWOBJ", "\x80\x02cmod\nA\nq\x00)\x81q\x01.", ""},
		{"a short string", "\x80\x02U\x03abc.", ""},
		{"a string longer than the pickle", "\x80\x02X\xff\xff\xff\x0fabc.", "truncated"},
		{"no STOP", "\x80\x02K\x01", "no STOP opcode"},
		{"an unknown opcode", "\x80\x02\xff.", "unknown opcode 0xff at offset 2"},
		{"empty", "", "no STOP opcode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Scan([]byte(tc.pickle))
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tc.err)
			}
		})
	}
}
