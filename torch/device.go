package torch

import (
	"fmt"
	"strconv"
	"strings"
)

// DeviceType is the kind of a Device: torch.device.type.
type DeviceType int32

// Device types, with the C ABI's codes.
const (
	DeviceCPU  DeviceType = 0
	DeviceCUDA DeviceType = 1
)

// Device says where a tensor lives: PyTorch's torch.device.
// Index is -1 for the CPU.
type Device struct {
	Type  DeviceType
	Index int
}

// CPU is torch.device("cpu").
var CPU = Device{Type: DeviceCPU, Index: -1}

// CUDA is torch.device("cuda", i).
func CUDA(i int) Device { return Device{Type: DeviceCUDA, Index: i} }

// ParseDevice reads "cpu", "cuda" (device 0) or "cuda:N", as torch.device(str) does.
func ParseDevice(s string) (Device, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch {
	case s == "cpu":
		return CPU, nil
	case s == "cuda":
		return CUDA(0), nil
	case strings.HasPrefix(s, "cuda:"):
		n, err := strconv.Atoi(s[len("cuda:"):])
		if err != nil || n < 0 {
			return Device{}, fmt.Errorf("torch: invalid device %q: expected cpu, cuda or cuda:N", s)
		}
		return CUDA(n), nil
	}
	return Device{}, fmt.Errorf("torch: invalid device %q: expected cpu, cuda or cuda:N", s)
}

// IsCUDA reports whether d is a CUDA device.
func (d Device) IsCUDA() bool { return d.Type == DeviceCUDA }

// String prints like PyTorch's str(device): "cpu" or "cuda:0".
func (d Device) String() string {
	if d.Type == DeviceCUDA {
		return "cuda:" + strconv.Itoa(d.Index)
	}
	return "cpu"
}
