package jit

import "github.com/seed0eaa3131/gotorch/torch/internal/capi"

// SetCPUFusion says whether TorchScript may fuse operations into generated
// kernels on the CPU, for the whole process:
// torch._C._jit_override_can_fuse_on_cpu(enabled). A method is optimized,
// fusion included, at its second or third call; this setting applies to
// the optimizations made after it.
//
// libtorch's default is on where it was built with LLVM (pip's torch 2.x,
// Debian 13's 2.6) and off elsewhere (Debian 12's 1.13). On Debian 13's
// libtorch 2.6 the fused kernel of a backward pass never finishes
// compiling: the third backward through a scripted module spins at 100%
// CPU, in Python as in Go. Call SetCPUFusion(false) before fine-tuning a
// TorchScript module there (TestFineTune does, on both sides).
func SetCPUFusion(enabled bool) { capi.JITSetCPUFusion(enabled) }

// CPUFusion reports whether TorchScript may fuse operations on the CPU:
// torch._C._jit_can_fuse_on_cpu().
func CPUFusion() bool { return capi.JITCPUFusion() }
