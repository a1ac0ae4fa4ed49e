#!/usr/bin/env python3
"""One training step of the tutorial's MNISTModel on a batch of 64 with Adam
(zero_grad, forward, loss, backward, step), timed in PyTorch: the reference
for models.BenchmarkTrainStep (Go) and bench_train_step.cpp (C++).

Run with Debian's /usr/bin/python3 (torch 1.13); scripts/bench_train_step.sh
runs all three with the same thread count. Prints "ns_per_step N", the
median over --repeats runs of --steps steps each.
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

# The tutorial's model, defined once for the scripts and the tests.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
from tutorial import MNISTModel  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    # The malloc warm-up of gotorch's start-up and bench_train_step.cpp: an
    # 8 MiB block allocated and freed (by libtorch's allocator, through
    # glibc) raises the mmap threshold above the step's buffers.
    warm = torch.empty(8 << 20, dtype=torch.uint8)
    warm[0] = 1
    del warm
    model = MNISTModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    images = torch.randn(64, 1, 28, 28)
    labels = torch.randint(0, 10, (64,))

    def step():
        # set_to_none=True: PyTorch 2's default, and what Go's ZeroGrad does.
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()

    for _ in range(50):
        step()
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter_ns()
        for _ in range(args.steps):
            step()
        times.append((time.perf_counter_ns() - start) / args.steps)
    print("ns_per_step %.0f" % statistics.median(times))


if __name__ == "__main__":
    main()
