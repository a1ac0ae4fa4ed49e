package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
)

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 2, run([]string{"--dataset", "imagenet"}, &out, &errb))
	assert.Contains(t, errb.String(), `unknown dataset "imagenet"`)
	errb.Reset()
	assert.Equal(t, 2, run([]string{"extra"}, &out, &errb))
	assert.Contains(t, errb.String(), `unexpected argument "extra"`)
}

// A root that already holds MNIST is read, not downloaded again.
func TestFindsExistingMNIST(t *testing.T) {
	root := dataroot.RequireMNIST(t)
	var out, errb bytes.Buffer
	assert.Equal(t, 0, run([]string{"--root", root}, &out, &errb), errb.String())
	assert.Equal(t, "mnist: 70000 images in "+root+"\n", out.String())
	assert.Empty(t, errb.String(), "nothing is downloaded")
}
