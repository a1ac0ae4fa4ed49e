package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each request line gets one figure: a positive number of nanoseconds.
func TestServeAnswersEachLine(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"--serve"}, strings.NewReader("100\n7\n"), &out))
	lines := strings.Fields(out.String())
	require.Len(t, lines, 2)
	for _, l := range lines {
		ns, err := strconv.ParseFloat(l, 64)
		require.NoError(t, err)
		assert.Greater(t, ns, 0.0)
	}
}

func TestCountArgument(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"50"}, strings.NewReader(""), &out))
	ns, err := strconv.ParseFloat(strings.TrimSpace(out.String()), 64)
	require.NoError(t, err)
	assert.Greater(t, ns, 0.0)
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"--serve"}, "10\nten\n", `want a line with a count of calls >= 1, got "ten"`},
		{[]string{"--serve"}, "0\n", `got "0"`},
		{[]string{"-3"}, "", "unknown shorthand flag"},
		{[]string{"x"}, "", `want a count of calls >= 1, got "x"`},
		{[]string{"--serve", "5"}, "", "want one count, --serve or --probe"},
		{[]string{"5", "6"}, "", "want one count, --serve or --probe"},
		{[]string{"--serve", "--probe", "1"}, "", "want one count, --serve or --probe"},
		{[]string{"--probe", "2000"}, "", "want KiB in [0, 1024], got 2000"},
	} {
		err := run(tc.args, strings.NewReader(tc.stdin), &bytes.Buffer{})
		require.Error(t, err, "%q", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%q", tc.args)
	}
}

// --probe prints its four rounds, each with both timings.
func TestProbe(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"--probe", "4", "200"}, strings.NewReader(""), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	for _, l := range lines {
		assert.Regexp(t, `^memset 4 KiB: from Go [0-9.]+ ns, from C [0-9.]+ ns, crossing -?[0-9.]+ ns a call$`, l)
	}
}
