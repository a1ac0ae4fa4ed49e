"""The seed tutorial's models, as it writes them: the one Python definition
of MNISTModel and CIFAR10Model that the parity tests and the scripts import;
and CIFAR10CNN, the class Net of PyTorch's own CIFAR-10 tutorial ("Training a
classifier", beginner/blitz/cifar10_tutorial.html), as that tutorial writes it.

The Go ports are models.MNISTModel, models.CIFAR10Model and
models.CIFAR10CNN; the tests in
models/, cmd/mnist and cmd/cifar10 load Go's state_dicts into these classes,
and scripts/pytorch_mnist.py, scripts/gpu_memory.py and
scripts/bench_train_step.py time and measure them.

Importing it: a test's Python snippet (internal/pytorch.Run) finds this
folder on PYTHONPATH; a script beside it adds it to sys.path itself:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
    from tutorial import MNISTModel

Only torch, torch.nn and torch.nn.functional are imported, so that importing
this file costs no more than torch does.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MNISTModel(nn.Module):
    def __init__(self):
        super(MNISTModel, self).__init__()
        self.flatten = nn.Flatten()
        self.layer1 = nn.Linear(784, 128)  # input: 784 (28x28)
        self.relu = nn.ReLU()
        self.layer2 = nn.Linear(128, 10)  # 10 classes

    def forward(self, x):
        x = self.flatten(x)
        x = self.layer1(x)
        x = self.relu(x)
        x = self.layer2(x)
        return x


class CIFAR10Model(nn.Module):
    def __init__(self, input_size=3072, hidden_size=128, num_classes=10):
        super(CIFAR10Model, self).__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        x = self.flatten(x)
        x = self.fc1(x)
        x = self.relu(x)
        x = self.fc2(x)
        return x


class CIFAR10CNN(nn.Module):
    """PyTorch's CIFAR-10 tutorial's Net: two 5x5 convolutions, each followed
    by ReLU and 2x2 max pooling, then three linear layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x
