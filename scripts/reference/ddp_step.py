"""The Python half of the step comparison in scripts/bench_ddp.sh
(internal/cmd/ddpstep is the Go half): run under torchrun-like environment
(RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT), each rank times STEPS training
steps of the tutorial's MNIST MLP (Adam, a fixed random batch of BATCH images)
with DistributedDataParallel (or without: NO_DDP=1), after 20 warm-up steps;
rank 0 prints the mean step time in milliseconds."""
import os
import sys
import time

import torch
import torch.distributed as dist
from torch import nn

batch, steps = int(sys.argv[1]), int(sys.argv[2])
ddp_on = os.environ.get("NO_DDP", "") == ""
if "OMP_NUM_THREADS" in os.environ:
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
dist.init_process_group("gloo")
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
fwd = nn.parallel.DistributedDataParallel(model) if ddp_on else model
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x, y = torch.randn(batch, 1, 28, 28), torch.randint(0, 10, (batch,))
loss_fn = nn.CrossEntropyLoss()


def step():
    opt.zero_grad()
    loss_fn(fwd(x), y).backward()
    opt.step()


for _ in range(20):
    step()
dist.barrier()
start = time.perf_counter()
for _ in range(steps):
    step()
if dist.get_rank() == 0:
    ms = (time.perf_counter() - start) / steps * 1000
    print(f"step_ms {ms:.3f} world {dist.get_world_size()} threads {torch.get_num_threads()} ddp {ddp_on}")
dist.destroy_process_group()
