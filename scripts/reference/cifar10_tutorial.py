"""PyTorch's CIFAR-10 tutorial ("Training a classifier",
beginner/blitz/cifar10_tutorial.html), as the reference that
`go run ./cmd/cifar10 --model cnn` is compared with: the same Net
(tutorial.CIFAR10CNN), transform (ToTensor, Normalize((0.5,)*3, (0.5,)*3)),
shuffled DataLoader with batch 4 and 2 workers, CrossEntropyLoss and SGD (lr
0.001, momentum 0.9), 2 epochs. Differences from the tutorial, all for
running here and timing like with like:

- --data is the dataset root and nothing is downloaded;
- each epoch also evaluates the test set (as cmd/cifar10 does) and prints
  "epoch N: train Xs, test Ys, test accuracy Z%", the line
  scripts/bench_vs_pytorch.sh reads from both programs;
- --test-batch-size (the tutorial: 4; cmd/cifar10: 1000) and --seed;
- --no-md5-check skips torchvision's check of the archive's per-file md5
  sums, for the benchmark's synthetic CIFAR-10 (real files in the real
  format, made by vision/datasets/testdata/make_cifar10.py: the official
  archive is not downloadable here).

  /usr/bin/python3 scripts/reference/cifar10_tutorial.py --data DIR [--epochs 2]
"""
import argparse
import os
import sys
import time

import torch
import torch.nn as nn
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tutorial import CIFAR10CNN  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="./data")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--test-batch-size", type=int, default=4)
    p.add_argument("--num-workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-md5-check", action="store_true")
    a = p.parse_args()
    if a.no_md5_check:
        torchvision.datasets.cifar.check_integrity = lambda *args, **kwargs: True
    torch.manual_seed(a.seed)

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    trainset = torchvision.datasets.CIFAR10(root=a.data, train=True, download=False, transform=transform)
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=a.batch_size, shuffle=True, num_workers=a.num_workers)
    testset = torchvision.datasets.CIFAR10(root=a.data, train=False, download=False, transform=transform)
    testloader = torch.utils.data.DataLoader(testset, batch_size=a.test_batch_size, shuffle=False, num_workers=a.num_workers)

    net = CIFAR10CNN()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {a.num_workers} loader workers", flush=True)

    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        net.train()
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            inputs, labels = data
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            if i % 2000 == 1999:
                print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 2000:.3f}", flush=True)
                running_loss = 0.0
        t1 = time.perf_counter()
        net.eval()
        correct = total = 0
        with torch.no_grad():
            for images, labels in testloader:
                _, predicted = torch.max(net(images).data, 1)
                total += labels.size(0)
                correct += (predicted == labels).sum().item()
        t2 = time.perf_counter()
        print(f"epoch {epoch + 1}: train {t1 - t0:.2f}s, test {t2 - t1:.2f}s, test accuracy {100 * correct / total:.2f}%", flush=True)
    print("Finished Training")


if __name__ == "__main__":
    main()
