//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

const supported = true

// sysProcAttr puts a rank in a process group of its own (a Ctrl-C at the
// terminal reaches torchrun alone; torchrun signals the whole group) and
// has Linux kill it when torchrun ends, however it ends.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// waitExited blocks until process pid has ended, without reaping it (as
// os.Process.Wait does internally): until it is reaped, its pid cannot be
// reused.
func waitExited(pid int) error {
	const pPID = 1 // P_PID
	var siginfo [128]byte
	for {
		_, _, e := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid), uintptr(unsafe.Pointer(&siginfo[0])),
			syscall.WEXITED|syscall.WNOWAIT, 0, 0)
		switch e {
		case 0:
			return nil
		case syscall.EINTR:
			continue
		default:
			return e
		}
	}
}

// signalGroup sends sig to the process group that pid leads.
func signalGroup(pid int, sig syscall.Signal) error { return syscall.Kill(-pid, sig) }

// zombie reports whether process pid has ended but is not reaped yet.
func zombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) state ...: comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	return i >= 0 && i+2 < len(b) && b[i+2] == 'Z'
}
