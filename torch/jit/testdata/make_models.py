# make_models.py OUT: the TorchScript models torch/jit's tests load, built
# in the reference torch at test time, with their inputs and outputs
# (OUT/expected.pt) and facts about them (printed as JSON).
# make_models.py OUT --mlp-only: only OUT/mlp.pt (FuzzLoad's seed).
import json
import sys
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

out = sys.argv[1]
torch.manual_seed(0)
expected = {}
facts = {"cpu_fusion": torch._C._jit_can_fuse_on_cpu()}


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


# A scripted MLP.
mlp = torch.jit.script(MLP())
mlp.save(f"{out}/mlp.pt")
if sys.argv[2:] == ["--mlp-only"]:
    sys.exit(0)
x = torch.randn(5, 4)
expected["mlp.x"] = x
expected["mlp.y"] = mlp(x).detach()
facts["mlp_schema"] = str(mlp.forward.schema)
facts["mlp_params"] = [n for n, _ in mlp.named_parameters()]


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3)
        self.bn = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 8, 3, stride=2)
        self.fc = nn.Linear(8 * 3 * 3, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv1(x))), 2)
        x = F.relu(self.conv2(x))
        return F.log_softmax(self.fc(torch.flatten(x, 1)), dim=1)


# A traced CNN with batch norm (its running statistics made non-trivial).
cnn = CNN()
with torch.no_grad():
    cnn(torch.randn(8, 3, 16, 16) * 3 + 1)  # updates the running statistics
cnn.eval()
xc = torch.randn(2, 3, 16, 16)
traced = torch.jit.trace(cnn, xc)
traced.save(f"{out}/cnn.pt")
expected["cnn.x"] = xc
expected["cnn.y"] = traced(xc).detach()
facts["cnn_state"] = list(cnn.state_dict().keys())
facts["cnn_buffers"] = [n for n, _ in traced.named_buffers()]

# torchvision's resnet18, random weights, traced in evaluation mode.
resnet = torchvision.models.resnet18().eval()
xr = torch.randn(2, 3, 64, 64)
with torch.no_grad():
    rt = torch.jit.trace(resnet, xr)
rt.save(f"{out}/resnet18.pt")
with torch.no_grad():
    expected["resnet.y"] = rt(xr)
expected["resnet.x"] = xr
facts["resnet_params"] = len(list(rt.parameters()))


class Control(nn.Module):
    """Control flow, a dict result and methods taking every kind of value."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)
        self.drop = nn.Dropout(0.5)

    def forward(self, x: torch.Tensor, n: int, mode: str = "sum") -> Dict[str, torch.Tensor]:
        h = x
        for _ in range(n):
            h = torch.tanh(self.lin(h))
        if mode == "sum":
            r = h.sum()
        elif mode == "max":
            r = h.max()
        else:
            r = h.mean()
        return {"h": h, "reduced": r}

    @torch.jit.export
    def stats(self, xs: List[torch.Tensor], ks: List[int], w: float,
              bias: Optional[torch.Tensor]) -> Tuple[torch.Tensor, List[float], int, str, bool, Optional[int]]:
        total = torch.stack(xs).sum(0) * w
        if bias is not None:
            total = total + bias
        sizes = [float(k) * w for k in ks]
        return total, sizes, len(xs), "ok", len(ks) > 2, None

    @torch.jit.export
    def lookup(self, d: Dict[str, int], t: Tuple[int, float]) -> Dict[int, str]:
        r: Dict[int, str] = {}
        for k, v in d.items():
            r[v + t[0]] = k
        return r

    @torch.jit.export
    def dropped(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(x)

    @torch.jit.export
    def fails(self, x: torch.Tensor) -> torch.Tensor:
        if x.sum() > 0:
            raise ValueError("positive input")
        return x


ctl = torch.jit.script(Control())
ctl.save(f"{out}/control.pt")
xk = torch.randn(4, 3)
for n, mode in [(0, "sum"), (3, "sum"), (2, "max"), (1, "mean")]:
    r = ctl(xk, n, mode)
    expected[f"control.{n}.{mode}.h"] = r["h"].detach()
    expected[f"control.{n}.{mode}.reduced"] = r["reduced"].detach()
expected["control.x"] = xk
facts["control_methods"] = sorted(m for m in ["forward", "stats", "lookup", "dropped", "fails"])

# Fine-tuning: the scripted MLP saved before training, then 5 steps of SGD
# with momentum on cross entropy. Without CPU fusion: with it, Debian 13's
# torch 2.6 (built with LLVM) never finishes the third backward; Go's
# TestFineTune turns it off too (jit.SetCPUFusion).
torch._C._jit_override_can_fuse_on_cpu(False)
ft = torch.jit.script(MLP())
ft.save(f"{out}/finetune.pt")
xs = torch.randn(16, 4)
ys = torch.randint(0, 3, (16,))
opt = torch.optim.SGD(ft.parameters(), lr=0.1, momentum=0.9)
losses = []
for _ in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(ft(xs), ys)
    loss.backward()
    opt.step()
    losses.append(loss.item())
expected["ft.x"] = xs
expected["ft.y"] = ys
for name, p in ft.named_parameters():
    expected["ft.after." + name] = p.detach().clone()
facts["ft_losses"] = losses

torch.save(expected, f"{out}/expected.pt")
print(json.dumps(facts))
