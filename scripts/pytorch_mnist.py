#!/usr/bin/env python3
"""The tutorial's MNIST training in Python's torch: the reference that
scripts/bench_vs_pytorch.sh times against gotorch's cmd/mnist.

Same model (Flatten, Linear(784,128), ReLU, Linear(128,10)), optimizer (Adam,
lr 1e-3), batch sizes (64 train, 1000 test), transforms (ToTensor,
Normalize((0.1307,), (0.3081,))), seed and thread count as the Go side.
Prints one JSON object with the measured seconds and the accuracy.

  /usr/bin/python3 scripts/pytorch_mnist.py --data ./data --threads 2 --what epoch
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class MNISTModel(nn.Module):
    def __init__(self):
        super(MNISTModel, self).__init__()
        self.flatten = nn.Flatten()
        self.layer1 = nn.Linear(784, 128)
        self.relu = nn.ReLU()
        self.layer2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.flatten(x)
        x = self.layer1(x)
        x = self.relu(x)
        x = self.layer2(x)
        return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="./data")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--num-workers", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--what", choices=["epoch", "loader", "step"], default="epoch")
    p.add_argument("--steps", type=int, default=500)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "num_workers": a.num_workers}

    if a.what == "step":
        model = MNISTModel()
        opt = optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        x = torch.randn(64, 1, 28, 28)
        y = torch.randint(0, 10, (64,))
        def step():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        for _ in range(50):
            step()
        t = time.perf_counter()
        for _ in range(a.steps):
            step()
        out["step_seconds"] = (time.perf_counter() - t) / a.steps
        print(json.dumps(out))
        return

    train = datasets.MNIST(root=a.data, train=True, download=False, transform=transform)
    loader = DataLoader(train, batch_size=64, shuffle=True, num_workers=a.num_workers)

    if a.what == "loader":
        t = time.perf_counter()
        n = 0
        for images, labels in loader:
            n += images.shape[0]
        out["loader_seconds"] = time.perf_counter() - t
        out["samples"] = n
        print(json.dumps(out))
        return

    test = datasets.MNIST(root=a.data, train=False, download=False, transform=transform)
    test_loader = DataLoader(test, batch_size=1000, shuffle=False, num_workers=a.num_workers)
    model = MNISTModel()
    opt = optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    t0 = time.perf_counter()
    model.train()
    for images, labels in loader:
        opt.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        opt.step()
    t1 = time.perf_counter()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            correct += (model(images).argmax(1) == labels).sum().item()
    t2 = time.perf_counter()
    out.update(train_seconds=t1 - t0, test_seconds=t2 - t1, epoch_seconds=t2 - t0,
               accuracy=correct / len(test), final_loss=loss.item())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
