//go:build !linux

package main

import (
	"errors"
	"syscall"
)

// supported is false: without Linux's parent-death signal, ranks could
// outlive torchrun.
const supported = false

var errUnsupported = errors.New("torchrun: Linux only")

func sysProcAttr() *syscall.SysProcAttr             { return nil }
func waitExited(int) error                          { return errUnsupported }
func signalGroup(pid int, sig syscall.Signal) error { return errUnsupported }
func zombie(int) bool                               { return false }
