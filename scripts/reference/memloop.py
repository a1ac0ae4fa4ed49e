"""The Python half of scripts/bench_memory.sh (internal/cmd/memloop is the Go
half): under no_grad, x of MIB MiB of float32, then ITERS times
y = relu(x*2 + 1) and s = y.sum(). CPython frees each temporary when its
last reference goes."""
import sys

import torch

mib, iters = int(sys.argv[1]), int(sys.argv[2])
torch.manual_seed(0)
x = torch.randn(mib << 18)
total = 0.0
with torch.no_grad():
    for _ in range(iters):
        y = (x * 2 + 1).relu()
        total += y.sum().item()
print(f"sum {total:.6g}")
