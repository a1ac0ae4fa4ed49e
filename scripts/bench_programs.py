#!/usr/bin/env python3
"""Whole programs in Go and in Python, side by side: the part of
scripts/bench_vs_pytorch.sh that times processes rather than loops.

Each program runs as its own process, started by this script, which takes
its wall time from start to exit and its peak resident set (ru_maxrss of
the child, from os.wait4), and reads its per-epoch times from its output.
Go and Python runs alternate, so that both see the same load; tables give
medians. Sections (--sections, comma-separated):

  cold     The tutorial's MLP on MNIST, Go internal/cmd/benchmnist against
           scripts/pytorch_mnist.py, --what epoch: a 1-epoch run as a whole
           process (start-up, data loading, one epoch, the test set), and a
           3-epoch run with each epoch timed, the cold first against the warm
           second; also cmd/mnist's own epoch lines (the program a user runs
           first), Go only.
  cnn      pytorch/examples' MNIST CNN: cmd/mnist-cnn against
           scripts/reference/mnist_cnn.py (the same main.py), 1 epoch; and
           PyTorch's CIFAR-10 tutorial CNN: cmd/cifar10 --model cnn against
           scripts/reference/cifar10_tutorial.py, 1 epoch, on a synthetic
           CIFAR-10 in the official format (the archive is not downloadable
           here; timing does not depend on the pixels). Epoch time, images/s,
           whole-process time and peak RSS.
  scaling  The MLP epoch (benchmnist / pytorch_mnist.py --what epoch) for
           each batch size of --batch-sizes, with 1 and 2 intra-op threads.

Every process gets OMP_NUM_THREADS (PyTorch and gotorch both take their
intra-op thread count from it) and the same data folder. Prints each run as
it goes, then markdown tables; --markdown-dir DIR also writes each
section's as DIR/SECTION.md (scripts/bench_vs_pytorch.sh --doc puts them
into docs/performance.md).

  /usr/bin/python3 scripts/bench_programs.py --sections cold,cnn,scaling --threads 2 --runs 3
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def run_measured(cmd, threads, cwd=ROOT, timeout=1800):
    """Runs cmd; returns its wall seconds, its own peak RSS in bytes (from
    os.wait4 on it) and its output. A run past timeout is killed."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    with tempfile.TemporaryFile("w+") as log:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        killer = threading.Timer(timeout, p.kill)
        killer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        killer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        out = log.read()
    if wall >= timeout:
        raise SystemExit(f"bench_programs.py: {' '.join(cmd)} took over {timeout}s")
    if p.returncode != 0:
        raise SystemExit(f"bench_programs.py: {' '.join(cmd)} exited {p.returncode}:\n{out[-3000:]}")
    return {"wall": wall, "rss": ru.ru_maxrss * 1024, "out": out}


def last_json(out):
    lines = [l for l in out.splitlines() if l.startswith("{")]
    if not lines:
        raise SystemExit(f"bench_programs.py: no JSON in the output:\n{out[-2000:]}")
    return json.loads(lines[-1])


def epochs(out, pattern):
    """[(train seconds, accuracy %)] from the program's epoch lines."""
    return [(float(m.group(1)), float(m.group(2))) for m in re.finditer(pattern, out)]


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def mib(b):
    return f"{b / 2**20:.0f}"


# Epoch lines: cmd/mnist and cmd/cifar10 (internal/trainer), cmd/mnist-cnn
# and mnist_cnn.py, cifar10_tutorial.py.
TRAINER = r"epoch \d+: train loss [\d.]+, train acc [\d.]+%, test loss [\d.]+, test acc ([\d.]+)% \(\d+/\d+\), ([\d.]+)s train"
MNIST_CNN = r"epoch \d+: train ([\d.]+)s, test accuracy ([\d.]+)%"
CIFAR_PY = r"epoch \d+: train ([\d.]+)s, test [\d.]+s, test accuracy ([\d.]+)%"


def trainer_epochs(out):
    return [(float(m.group(2)), float(m.group(1))) for m in re.finditer(TRAINER, out)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sections", default="cold,cnn,scaling")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--runs", type=int, default=3, help="runs of the cold section (the others: --cnn-runs, 1 each)")
    p.add_argument("--cnn-runs", type=int, default=1)
    p.add_argument("--batch-sizes", default="16,32,64,128,256,512,1024")
    p.add_argument("--data", default=os.environ.get("GOTORCH_DATA", os.path.expanduser("~/.cache/gotorch/data")))
    p.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "gotorch", "bench"))
    p.add_argument("--markdown-dir", default="")
    a = p.parse_args()
    sections = [s for s in a.sections.split(",") if s]
    for s in sections:
        if s not in ("cold", "cnn", "scaling"):
            p.error(f"unknown section {s!r}: cold, cnn or scaling")
    py = sys.executable

    tmp = tempfile.TemporaryDirectory()
    say("building the Go programs...")
    bins = {}
    for name, pkg in (("benchmnist", "./internal/cmd/benchmnist"), ("mnist", "./cmd/mnist"),
                      ("mnist-cnn", "./cmd/mnist-cnn"), ("cifar10", "./cmd/cifar10")):
        bins[name] = os.path.join(tmp.name, name)
        subprocess.run(["go", "build", "-o", bins[name], pkg], cwd=ROOT, check=True)

    md = {}
    T = a.threads

    def mlp(side, *args):
        """The MLP's epoch (--what epoch) in Go or Python, with args."""
        return ([bins["benchmnist"]] if side == "go" else [py, "scripts/pytorch_mnist.py"]) + [
            "--data", a.data, "--what", "epoch", *args]

    if "cold" in sections:
        rows = {"go": [], "python": []}
        mnist_prog = []
        for r in range(1, a.runs + 1):
            for side in ("go", "python"):
                one = run_measured(mlp(side, "--threads", str(T), "--seed", str(r), "--epochs", "1"), T)
                three = run_measured(mlp(side, "--threads", str(T), "--seed", str(r), "--epochs", "3"), T)
                j1, j3 = last_json(one["out"]), last_json(three["out"])
                e = j3["train_seconds_each"]
                f = j3["minor_faults_each"]
                rows[side].append({"process": one["wall"], "epoch": j1["epoch_seconds"], "rss": one["rss"],
                                   "e1": e[0], "e2": e[1], "e3": e[2], "f1": f[0], "f2": f[1], "acc": j1["accuracy"]})
                say(f"cold, run {r}/{a.runs}, {side}: 1-epoch process {one['wall']:.2f}s (epoch+test {j1['epoch_seconds']:.2f}s), "
                    f"epochs {', '.join(f'{x:.2f}' for x in e)} s, peak RSS {mib(one['rss'])} MiB")
            prog = run_measured([bins["mnist"], "--data", a.data, "--epochs", "2", "--seed", str(r)], T)
            ep = trainer_epochs(prog["out"])
            mnist_prog.append({"process": prog["wall"], "e1": ep[0][0], "e2": ep[1][0]})
            say(f"cold, run {r}/{a.runs}, cmd/mnist --epochs 2: epochs {ep[0][0]:.1f}, {ep[1][0]:.1f} s, process {prog['wall']:.1f} s")
        g = {k: med([x[k] for x in rows["go"]]) for k in rows["go"][0]}
        q = {k: med([x[k] for x in rows["python"]]) for k in rows["python"][0]}
        m = {k: med([x[k] for x in mnist_prog]) for k in mnist_prog[0]}
        md["cold"] = [
            f"### The tutorial's MLP: the whole process and the cold first epoch ({T} threads, {a.runs} runs, medians)",
            "",
            "| measure | Go | Python | Go/Python | target | met |",
            "| --- | ---: | ---: | ---: | --- | --- |",
            f"| 1-epoch run, whole process (start, load MNIST, train, test), s | {g['process']:.2f} | {q['process']:.2f} | {g['process'] / q['process']:.2f} | ≤ 0.35 | {yes(g['process'] / q['process'] <= 0.35)} |",
            f"| first epoch + test inside it, s | {g['epoch']:.2f} | {q['epoch']:.2f} | {g['epoch'] / q['epoch']:.2f} | | |",
            f"| peak RSS of that process, MiB | {mib(g['rss'])} | {mib(q['rss'])} | {g['rss'] / q['rss']:.2f} | | |",
            f"| 3-epoch run: epoch 1 / 2 / 3 training, s | {g['e1']:.2f} / {g['e2']:.2f} / {g['e3']:.2f} | {q['e1']:.2f} / {q['e2']:.2f} / {q['e3']:.2f} | {g['e1'] / q['e1']:.2f} / {g['e2'] / q['e2']:.2f} / {g['e3'] / q['e3']:.2f} | | |",
            f"| cold epoch: epoch 1 / epoch 2 | {g['e1'] / g['e2']:.2f} | {q['e1'] / q['e2']:.2f} | | Go ≤ 1.2 | {yes(g['e1'] / g['e2'] <= 1.2)} |",
            f"| minor page faults, epoch 1 / epoch 2 | {g['f1']:.0f} / {g['f2']:.0f} | {q['f1']:.0f} / {q['f2']:.0f} | | | |",
            f"| cmd/mnist --epochs 2 (2 loader workers): epoch 1 / epoch 2 training, s | {m['e1']:.1f} / {m['e2']:.1f} = {m['e1'] / m['e2']:.2f} | | | ≤ 1.2 | {yes(m['e1'] / m['e2'] <= 1.2)} |",
            "",
            f"Test accuracy after one epoch (medians): Go {100 * g['acc']:.2f}%, Python {100 * q['acc']:.2f}%.",
            "",
        ]

    if "cnn" in sections:
        cifar = os.path.join(a.cache, "cifar10-synthetic")
        if not os.path.isdir(os.path.join(cifar, "cifar-10-batches-py")):
            say(f"writing a synthetic CIFAR-10 (50,000 + 10,000 images, the official format) into {cifar}...")
            subprocess.run([py, "vision/datasets/testdata/make_cifar10.py", "--learnable", cifar, "10000", "1"], cwd=ROOT, check=True)
        workloads = [
            ("MNIST CNN (pytorch/examples mnist/main.py: batch 64, Adadelta, 1 epoch)", 60000,
             [bins["mnist-cnn"], "--epochs", "1", "--threads", str(T), "--data", a.data], lambda o: epochs(o, MNIST_CNN),
             [py, "mnist_cnn.py", "--epochs", "1", "--threads", str(T), "--data", a.data], lambda o: epochs(o, MNIST_CNN),
             os.path.join(ROOT, "scripts", "reference")),
            ("CIFAR-10 tutorial CNN (batch 4, SGD 0.001/0.9, 2 loader workers, test batch 1000, 1 epoch; synthetic data)", 50000,
             [bins["cifar10"], "--model", "cnn", "--epochs", "1", "--data", cifar, "--test-batch-size", "1000"], trainer_epochs,
             [py, "scripts/reference/cifar10_tutorial.py", "--epochs", "1", "--data", cifar, "--test-batch-size", "1000", "--no-md5-check"],
             lambda o: epochs(o, CIFAR_PY), ROOT),
        ]
        for title, n, gocmd, goparse, pycmd, pyparse, pycwd in workloads:
            res = {"go": [], "python": []}
            for r in range(1, a.cnn_runs + 1):
                for side, cmd, parse, cwd in (("go", gocmd, goparse, ROOT), ("python", pycmd, pyparse, pycwd)):
                    x = run_measured(cmd, T, cwd=cwd)
                    ep = parse(x["out"])
                    if not ep:
                        raise SystemExit(f"bench_programs.py: no epoch line from {' '.join(cmd)}:\n{x['out'][-2000:]}")
                    res[side].append({"train": ep[0][0], "acc": ep[0][1], "wall": x["wall"], "rss": x["rss"]})
                    say(f"{title.split(' (')[0]}, run {r}/{a.cnn_runs}, {side}: train {ep[0][0]:.1f}s, accuracy {ep[0][1]:.2f}%, "
                        f"process {x['wall']:.1f}s, peak RSS {mib(x['rss'])} MiB")
            g = {k: med([x[k] for x in res["go"]]) for k in res["go"][0]}
            q = {k: med([x[k] for x in res["python"]]) for k in res["python"][0]}
            md.setdefault("cnn", []).extend([
                f"### {title} ({T} threads, {a.cnn_runs} run(s), medians)",
                "",
                "| measure | Go | Python | Go/Python | target | met |",
                "| --- | ---: | ---: | ---: | --- | --- |",
                f"| training epoch, s | {g['train']:.1f} | {q['train']:.1f} | {g['train'] / q['train']:.2f} | ≤ 0.9 | {yes(g['train'] / q['train'] <= 0.9)} |",
                f"| images/s | {n / g['train']:.0f} | {n / q['train']:.0f} | | | |",
                f"| test accuracy after the epoch, % | {g['acc']:.2f} | {q['acc']:.2f} | | | |",
                f"| whole process, s | {g['wall']:.1f} | {q['wall']:.1f} | {g['wall'] / q['wall']:.2f} | | |",
                f"| peak RSS, MiB | {mib(g['rss'])} | {mib(q['rss'])} | {g['rss'] / q['rss']:.2f} | | |",
                "",
            ])

    if "scaling" in sections:
        sizes = [int(b) for b in a.batch_sizes.split(",")]
        table = {}
        for b in sizes:
            for t in (1, 2):
                for side in ("go", "python"):
                    j = last_json(run_measured(mlp(side, "--threads", str(t), "--batch-size", str(b)), t)["out"])
                    table[b, t, side] = j["train_seconds"]
                    samples = j["samples"]
                say(f"scaling, batch {b}, {t} thread(s): Go {table[b, t, 'go']:.2f}s, Python {table[b, t, 'python']:.2f}s")
        md["scaling"] = [
            "### Scaling: the MLP's training epoch by batch size and threads (1 run each)",
            "",
            "| batch | steps | Go 1 thread, s | Python 1 thread, s | Go/Python | Go 2 threads, s | Python 2 threads, s | Go/Python |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for b in sizes:
            c = [table[b, t, s] for t in (1, 2) for s in ("go", "python")]
            md["scaling"].append(f"| {b} | {-(-samples // b)} | {c[0]:.2f} | {c[1]:.2f} | {c[0] / c[1]:.2f} | {c[2]:.2f} | {c[3]:.2f} | {c[2] / c[3]:.2f} |")
        md["scaling"].append("")

    for name, lines in md.items():
        text = "\n".join(lines)
        print(text)
        if a.markdown_dir:
            with open(os.path.join(a.markdown_dir, name + ".md"), "w") as f:
                f.write(text + "\n")


def yes(ok):
    return "**yes**" if ok else "no"


if __name__ == "__main__":
    main()
