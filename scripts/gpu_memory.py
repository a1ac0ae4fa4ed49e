#!/usr/bin/env python3
"""The Python half of gpu_check.sh's memory comparison.

  gpu_memory.py measure [--device cuda|cuda:N|cpu] [--batch-size 64] [--seed 0]
      runs the tutorial's first training step in Python's torch and prints, as
      JSON, torch.cuda.memory_allocated(), max_memory_allocated() and
      memory_reserved() after
        (a) model = MNISTModel().to(device)
        (b) optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        (c) one step on a batch of 64 random images
        (d) torch.cuda.empty_cache()
      the same sequence as internal/cmd/cudamem runs in Go. On the CPU, PyTorch has no
      allocator counters: the figures are null (the run still checks that the
      sequence works with this torch).

  gpu_memory.py compare PYTHON.json GO.json [--structure-only]
      prints both side by side and exits 1 unless every figure is equal to the
      byte; --structure-only (for a machine without CUDA) only checks that the
      two files describe the same stages and marks the figures SKIP.

Adam runs with foreach=False: PyTorch 2.x picks its multi-tensor ("foreach")
implementation by default on CUDA, which allocates its temporaries for all
parameters at once; gotorch's optim.Adam is the single-tensor algorithm
(torch.optim.adam._single_tensor_adam), so that is the one to compare with.
compare needs no torch.
"""

import argparse
import json
import os
import re
import sys

STAGES = [
    ("a", "model = MNISTModel().to(device)"),
    ("b", "optimizer = Adam(model.parameters(), lr=1e-3)"),
    ("c", "one step: zero_grad, loss = loss_fn(model(x), y), backward, step"),
    ("d", "torch.cuda.empty_cache()"),
]
FIGURES = ["allocated", "max_allocated", "reserved"]


def measure(args):
    import torch
    from torch import nn

    # The tutorial's model, defined once for the scripts and the tests.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
    from tutorial import MNISTModel

    dev = torch.device(args.device)
    on_cuda = dev.type == "cuda"
    name = ""
    if on_cuda:
        if not torch.cuda.is_available():
            sys.exit(f"gpu_memory.py: --device {args.device}: CUDA not available in this torch {torch.__version__} "
                     f"(torch.version.cuda={torch.version.cuda}, {sys.executable})")
        dev = torch.device("cuda", dev.index or 0)
        if dev.index >= torch.cuda.device_count():
            sys.exit(f"gpu_memory.py: --device {dev}: this process sees {torch.cuda.device_count()} CUDA device(s)")
        name = torch.cuda.get_device_name(dev)

    stages = []
    labels = dict(STAGES)

    def read(stage):
        s = {"stage": stage, "what": labels[stage]}
        if on_cuda:
            torch.cuda.synchronize(dev)
            s["allocated"] = torch.cuda.memory_allocated(dev)
            s["max_allocated"] = torch.cuda.max_memory_allocated(dev)
            s["reserved"] = torch.cuda.memory_reserved(dev)
        else:
            s.update({f: None for f in FIGURES})
        stages.append(s)

    torch.manual_seed(args.seed)
    model = MNISTModel().to(dev)
    read("a")
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=False)
    read("b")
    x = torch.randn(args.batch_size, 1, 28, 28).to(dev)
    y = torch.randint(0, 10, (args.batch_size,)).to(dev)
    loss_fn = nn.CrossEntropyLoss()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    read("c")
    if on_cuda:
        torch.cuda.empty_cache()
    read("d")
    json.dump({
        "program": "python",
        "torch": torch.__version__,
        "torch_cuda": torch.version.cuda,
        "python": sys.executable,
        "device": str(dev),
        "device_name": name,
        "batch_size": args.batch_size,
        "loss": loss.item(),
        "stages": stages,
    }, sys.stdout, indent=2)
    print()


def load(path):
    try:
        with open(path) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"gpu_memory.py compare: cannot read {path}: {e}")
    stages = d.get("stages")
    if not isinstance(stages, list):
        sys.exit(f"gpu_memory.py compare: {path}: expected an object with a \"stages\" list, found {type(stages).__name__}")
    for s in stages:
        missing = [k for k in ["stage"] + FIGURES if k not in s]
        if missing:
            sys.exit(f"gpu_memory.py compare: {path}: stage {s.get('stage', '?')} lacks {', '.join(missing)}")
    return d


def release(version):
    """ "2.7.1" of "2.7.1+cu128" (pip) or "1.13.0a0" (Debian): what libtorch's own version says."""
    m = re.match(r"\d+\.\d+\.\d+", version or "")
    return m.group(0) if m else version


def compare(args):
    py, go = load(args.python), load(args.go)
    print(f"python: torch {py.get('torch')} (CUDA {py.get('torch_cuda')}) on {py.get('device')} {py.get('device_name', '')}".rstrip())
    print(f"go:     libtorch {go.get('torch')} on {go.get('device')} {go.get('device_name', '')}".rstrip())
    want = [s for s, _ in STAGES]
    ok = True
    for who, d in (("python", py), ("go", go)):
        got = [s["stage"] for s in d["stages"]]
        if got != want:
            print(f"FAIL: {who} has stages {got}, expected {want}")
            ok = False
    if not ok:
        return 1
    if not args.structure_only and release(py.get("torch")) != release(go.get("torch")):
        print(f"note: the versions differ (python {py.get('torch')}, go {go.get('torch')}): "
              "the figures are only comparable for the same libtorch")
    print(f"{'stage':<6} {'figure':<14} {'python':>14} {'go':>14} {'go - python':>12}  status")
    for ps, gs in zip(py["stages"], go["stages"]):
        for f in FIGURES:
            pv, gv = ps[f], gs[f]
            if args.structure_only:
                status = "SKIP (no CUDA: nothing to compare with)"
                diff = ""
            elif not isinstance(pv, int) or not isinstance(gv, int):
                status, diff = "FAIL (missing figure)", ""
                ok = False
            elif pv == gv:
                status, diff = "ok", "0"
            else:
                status, diff = "FAIL", f"{gv - pv:+d}"
                ok = False
            print(f"{ps['stage']:<6} {f:<14} {str(pv):>14} {str(gv):>14} {diff:>12}  {status}")
        note = gs.get("allocated_before_gc")
        if isinstance(note, int) and isinstance(gs.get("allocated"), int) and note != gs["allocated"]:
            print(f"{'':<6} (go held {note - gs['allocated']:+d} bytes more before its collector ran: "
                  "tensors dropped without Free)")
    if args.structure_only:
        print("SKIP: figures not compared (no CUDA); both programs ran and their stages match")
        return 0
    print("ok: every figure equal to the byte" if ok else "FAIL: the figures differ (above)")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure", help="run the sequence in Python's torch and print JSON")
    m.add_argument("--device", default="cuda")
    m.add_argument("--batch-size", type=int, default=64)
    m.add_argument("--seed", type=int, default=0)
    c = sub.add_parser("compare", help="compare measure's JSON with internal/cmd/cudamem's")
    c.add_argument("python")
    c.add_argument("go")
    c.add_argument("--structure-only", action="store_true")
    args = p.parse_args()
    if args.cmd == "measure":
        if args.batch_size <= 0:
            p.error("--batch-size must be positive")
        measure(args)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
