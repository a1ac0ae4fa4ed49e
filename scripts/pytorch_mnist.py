#!/usr/bin/env python3
"""The tutorial's MNIST training in Python's torch: the reference that
scripts/bench_vs_pytorch.sh times against gotorch's cmd/mnist.

Same model (Flatten, Linear(784,128), ReLU, Linear(128,10)), optimizer (Adam,
lr 1e-3), batch sizes (64 train, 1000 test), transforms (ToTensor,
Normalize((0.1307,), (0.3081,))), seed and thread count as the Go side.
Prints one JSON object with the measured seconds and the accuracy.

  /usr/bin/python3 scripts/pytorch_mnist.py --data ./data --threads 2 --what epoch
  /usr/bin/python3 scripts/pytorch_mnist.py --what epoch --epochs 3 --batch-size 256

--epochs N times each of N training epochs (train_seconds_each), then tests
once; epoch_seconds is the first epoch plus the test, as with one epoch.
max_rss_bytes is the process's peak resident set and minor_faults_each the
minor page faults of each epoch (resource.getrusage).

--device cuda puts the model (model.to(device), before the optimizer) and
every batch on the GPU, reads the timers after torch.cuda.synchronize(), and
adds the device's name; --what step then also reports
torch.cuda.memory_allocated() after model and optimizer creation and after
the first training step (memory_after_setup, memory_after_step), which the
harness compares with gotorch's cuda.MemoryAllocated to the byte. On CUDA,
Adam runs with foreach=False, the single-tensor algorithm gotorch's
optim.Adam implements (PyTorch 2 picks the multi-tensor one on CUDA by
default), as scripts/gpu_memory.py does. --what loader is CPU work on either
device. With --device cpu the output is what it was before --device existed.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# The tutorial's model, defined once for the scripts and the tests.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
from tutorial import MNISTModel  # noqa: E402


def report(out):
    """Prints out as JSON, with the process's peak resident set."""
    out["max_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="./data")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--num-workers", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--what", choices=["epoch", "loader", "step"], default="epoch")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--device", default="cpu", help="cpu or cuda (cuda:N)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--epochs", type=int, default=1)
    a = p.parse_args()

    try:
        dev = torch.device(a.device)
    except RuntimeError:
        dev = None
    if dev is None or dev.type not in ("cpu", "cuda"):
        p.error(f"--device must be cpu or cuda (cuda:N), got {a.device!r}")
    on_cuda = dev.type == "cuda"
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "num_workers": a.num_workers}
    adam = {"lr": 1e-3}
    if on_cuda:
        if not torch.cuda.is_available():
            sys.exit(f"pytorch_mnist.py: --device {a.device}: CUDA not available in this torch {torch.__version__} "
                     f"(torch.version.cuda={torch.version.cuda}, {sys.executable})")
        dev = torch.device("cuda", dev.index or 0)
        if dev.index >= torch.cuda.device_count():
            sys.exit(f"pytorch_mnist.py: --device {dev}: this process sees {torch.cuda.device_count()} CUDA device(s)")
        out.update(device=str(dev), device_name=torch.cuda.get_device_name(dev))
        adam["foreach"] = False

    def sync():
        # Kernels run asynchronously: a timer read before they finish
        # measures their launch only.
        if on_cuda:
            torch.cuda.synchronize(dev)

    if a.what == "step":
        model = MNISTModel().to(dev)
        opt = optim.Adam(model.parameters(), **adam)
        if on_cuda:
            sync()
            out["memory_after_setup"] = torch.cuda.memory_allocated(dev)
        loss_fn = nn.CrossEntropyLoss()
        x = torch.randn(64, 1, 28, 28).to(dev)
        y = torch.randint(0, 10, (64,)).to(dev)
        def step():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        step()
        if on_cuda:
            sync()
            out["memory_after_step"] = torch.cuda.memory_allocated(dev)
        for _ in range(49):
            step()
        sync()
        t = time.perf_counter()
        for _ in range(a.steps):
            step()
        sync()
        out["step_seconds"] = (time.perf_counter() - t) / a.steps
        report(out)
        return

    train = datasets.MNIST(root=a.data, train=True, download=False, transform=transform)
    loader = DataLoader(train, batch_size=a.batch_size, shuffle=True, num_workers=a.num_workers)

    if a.what == "loader":
        t = time.perf_counter()
        n = 0
        for images, labels in loader:
            n += images.shape[0]
        out["loader_seconds"] = time.perf_counter() - t
        out["samples"] = n
        report(out)
        return

    test = datasets.MNIST(root=a.data, train=False, download=False, transform=transform)
    test_loader = DataLoader(test, batch_size=1000, shuffle=False, num_workers=a.num_workers)
    model = MNISTModel().to(dev)
    opt = optim.Adam(model.parameters(), **adam)
    loss_fn = nn.CrossEntropyLoss()
    train_each, faults = [], []
    for _ in range(a.epochs):
        sync()
        e0, f0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        model.train()
        for images, labels in loader:
            images, labels = images.to(dev), labels.to(dev)
            opt.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            opt.step()
        sync()
        train_each.append(time.perf_counter() - e0)
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
    t1 = time.perf_counter()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            images, labels = images.to(dev), labels.to(dev)
            correct += (model(images).argmax(1) == labels).sum().item()
    sync()
    t2 = time.perf_counter()
    out.update(train_seconds=train_each[0], train_seconds_each=train_each, minor_faults_each=faults, samples=len(train),
               test_seconds=t2 - t1, epoch_seconds=train_each[0] + t2 - t1,
               accuracy=correct / len(test), final_loss=loss.item())
    report(out)


if __name__ == "__main__":
    main()
