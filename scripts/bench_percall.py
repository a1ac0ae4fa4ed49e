#!/usr/bin/env python3
"""The per-call cost of `c = a + b` on 1-element float32 tensors, one
intra-op thread, in C++ (ATen), Python (torch) and Go (gotorch; the result
freed, and left to the collector), measured side by side: each side runs as
one long-lived process that answers rounds ("time N calls") on a pipe, and
the rounds alternate C++, Python, Go with Free, Go with the collector. So
every side sees the same moments of the machine, and
each round's binding cost (a language minus that round's C++) is paired:
a shared VM's slow and fast spells move all sides together and cancel out of
the differences, where timing the sides one after another let the ratio
wander from 0.33 to 0.90 between runs.

Prints each round, then the medians over rounds and the ratio Go's binding
cost / Python's (the target of docs/performance.md); --json FILE writes them.

  scripts/bench_percall.py --cpp BIN --go BIN [--python PY] [--rounds 21] [--go-base BIN]
                           [--c-shim BIN --go-raw BIN]

--cpp: scripts/bench_overhead.cpp built against the libtorch of PY's torch
(scripts/bench_overhead.sh builds it); --go: internal/cmd/benchmnist built.

--c-shim and --go-raw split Go's cost into its layers, each a paired
difference of the same rounds: the same loop in C through libcgotorch
(scripts/bench_overhead_shim.c) minus C++ is the shim's part; the loop in Go
through torch/internal/capi alone (torch/internal/cmd/rawcall) minus the C
one is the cgo crossing; the torch package's loop minus the raw one is
package torch's part (the *Tensor, its lifetime bookkeeping). The raw loop
minus C++ is the floor of any Go binding that makes one cgo call per
operation into this shim.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

PYTHON_SERVER = r"""
import sys, time, torch
torch.set_num_threads(1)
a, b = torch.ones(1), torch.ones(1)
def time_calls(n):
    t = time.perf_counter()
    for _ in range(n):
        a + b
    return (time.perf_counter() - t) / n * 1e9
time_calls(10000)
print(torch.__version__, flush=True)
for line in sys.stdin:
    print(f"{time_calls(int(line)):.1f}", flush=True)
"""


class Server:
    """A process that answers one line per request line."""

    def __init__(self, name, cmd, cpu):
        self.name = name
        env = dict(os.environ, OMP_NUM_THREADS="1")
        pin = None if cpu is None else lambda: os.sched_setaffinity(0, {cpu})
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                                  preexec_fn=pin)

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        return self.readline()

    def readline(self):
        out = self.p.stdout.readline()
        if not out:
            sys.exit(f"bench_percall.py: the {self.name} side exited (status {self.p.wait()}) instead of answering")
        return out.strip()

    def close(self):
        self.p.stdin.close()
        if self.p.wait() != 0:
            sys.exit(f"bench_percall.py: the {self.name} side exited with status {self.p.returncode}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cpp", required=True, help="bench_overhead.cpp's binary")
    ap.add_argument("--go", required=True, help="internal/cmd/benchmnist's binary")
    ap.add_argument("--python", default="/usr/bin/python3", help="a Python with torch (default /usr/bin/python3)")
    ap.add_argument("--rounds", type=int, default=21, help="rounds of each side (default 21)")
    ap.add_argument("--calls", type=int, default=100000, help="calls per round, C++, Python and Go with Free (default 100000)")
    ap.add_argument("--gc-calls", type=int, default=50000, help="calls per round, Go left to the collector (default 50000)")
    ap.add_argument("--cpu", type=int, help="pin every side to this CPU (default: none; pinned to one CPU the Go runtime's "
                    "collector and background goroutines must share it with the loop, which no Go program on a "
                    "multi-core machine sees)")
    ap.add_argument("--go-base", help="a benchmnist built from another commit (with its own libcgotorch, found "
                    "through its rpath): its Free loop joins every round as one more side, so that a change's "
                    "before and after are measured in the same rounds")
    ap.add_argument("--c-shim", help="scripts/bench_overhead_shim.c's binary: the loop in C through libcgotorch")
    ap.add_argument("--go-raw", help="torch/internal/cmd/rawcall's binary: the loop in Go through the raw cgo layer")
    ap.add_argument("--json", help="also write the medians as JSON to this file")
    ap.add_argument("--markdown", help="also write the medians as Markdown tables to this file "
                    "(scripts/bench_overhead.sh --doc puts them into docs/performance.md)")
    args = ap.parse_args()
    if args.rounds < 1 or args.calls < 1 or args.gc_calls < 1:
        ap.error("--rounds, --calls and --gc-calls must be at least 1")
    if (args.c_shim is None) != (args.go_raw is None):
        ap.error("--c-shim and --go-raw go together (the layers are differences between them)")
    layers = args.c_shim is not None

    cpu = args.cpu
    cpp = Server("C++", [args.cpp, "--serve"], cpu)
    py = Server("Python", [args.python, "-c", PYTHON_SERVER], cpu)
    torch_version = py.readline()
    # Two Go processes: the garbage of the collector's rounds would
    # otherwise be collected during the Free rounds and counted there.
    go_cmd = [args.go, "--what", "overhead", "--threads", "1", "--serve"]
    go_free, go_gc = Server("Go (Free)", go_cmd, cpu), Server("Go (GC)", go_cmd, cpu)

    sides = [("cpp", cpp, str(args.calls)), ("python", py, str(args.calls)),
             ("go_free", go_free, f"free {args.calls}"), ("go_gc", go_gc, f"gc {args.gc_calls}")]
    servers = [cpp, py, go_free, go_gc]
    if args.go_base:
        base = Server("Go base (Free)", [args.go_base, "--what", "overhead", "--threads", "1", "--serve"], cpu)
        sides.append(("go_base_free", base, f"free {args.calls}"))
        servers.append(base)
    if layers:
        shim = Server("C through the shim", [args.c_shim, "--serve"], cpu)
        raw = Server("Go raw cgo", [args.go_raw, "--serve"], cpu)
        sides += [("c_shim", shim, str(args.calls)), ("go_raw", raw, str(args.calls))]
        servers += [shim, raw]
    rounds = []
    print(f"per-call a + b on 1-element tensors, 1 thread, libtorch {torch_version}, {'on CPU %d' % cpu if cpu is not None else 'not pinned'}; "
          f"{args.rounds} rounds of {args.calls} calls ({args.gc_calls} for Go left to the collector), ns per call",
          file=sys.stderr)
    for r in range(args.rounds):
        # Rotate the order too, so that no side always follows the same one.
        order = sides[r % len(sides):] + sides[:r % len(sides)]
        got = {key: float(server.ask(line)) for key, server, line in order}
        rounds.append(got)
        print(f"  round {r + 1:2d}: C++ {got['cpp']:7.1f}  Python {got['python']:7.1f}  "
              f"Go {got['go_free']:7.1f} (Free) {got['go_gc']:7.1f} (GC)"
              + (f"  base {got['go_base_free']:7.1f} (Free)" if args.go_base else "")
              + (f"  C shim {got['c_shim']:7.1f}  Go raw {got['go_raw']:7.1f}" if layers else ""), file=sys.stderr)
    for s in servers:
        s.close()

    med = lambda f: statistics.median(f(x) for x in rounds)
    res = {
        "torch": torch_version, "rounds": args.rounds, "calls": args.calls, "gc_calls": args.gc_calls,
        "cpp_ns": med(lambda x: x["cpp"]), "python_ns": med(lambda x: x["python"]),
        "go_free_ns": med(lambda x: x["go_free"]), "go_gc_ns": med(lambda x: x["go_gc"]),
        # Paired: each round's language minus the same round's C++.
        "python_cost_ns": med(lambda x: x["python"] - x["cpp"]),
        "go_free_cost_ns": med(lambda x: x["go_free"] - x["cpp"]),
        "go_gc_cost_ns": med(lambda x: x["go_gc"] - x["cpp"]),
    }
    res["ratio_free"] = res["go_free_cost_ns"] / res["python_cost_ns"]
    res["ratio_gc"] = res["go_gc_cost_ns"] / res["python_cost_ns"]
    if args.go_base:
        res["go_base_free_ns"] = med(lambda x: x["go_base_free"])
        res["go_base_free_cost_ns"] = med(lambda x: x["go_base_free"] - x["cpp"])
        res["ratio_base_free"] = res["go_base_free_cost_ns"] / res["python_cost_ns"]
        # Paired too: each round's change, new minus base.
        res["change_free_ns"] = med(lambda x: x["go_free"] - x["go_base_free"])
    if layers:
        res["c_shim_ns"] = med(lambda x: x["c_shim"])
        res["go_raw_ns"] = med(lambda x: x["go_raw"])
        # Each layer, paired by round: the loop one layer up minus the one below.
        res["shim_ns"] = med(lambda x: x["c_shim"] - x["cpp"])
        res["crossing_ns"] = med(lambda x: x["go_raw"] - x["c_shim"])
        res["torch_layer_ns"] = med(lambda x: x["go_free"] - x["go_raw"])
        res["go_raw_cost_ns"] = med(lambda x: x["go_raw"] - x["cpp"])
        res["ratio_raw"] = res["go_raw_cost_ns"] / res["python_cost_ns"]
    print(f"medians over {args.rounds} rounds: C++ {res['cpp_ns']:.0f}, Python {res['python_ns']:.0f}, "
          f"Go {res['go_free_ns']:.0f} (Free) / {res['go_gc_ns']:.0f} (GC) ns per call")
    print(f"binding cost (language - C++, paired by round, median): Python {res['python_cost_ns']:.0f} ns, "
          f"Go {res['go_free_cost_ns']:.0f} ns (Free) / {res['go_gc_cost_ns']:.0f} ns (GC); "
          f"Go/Python = {res['ratio_free']:.2f} / {res['ratio_gc']:.2f} (target <= 0.3 with Free)")
    if args.go_base:
        print(f"base: binding cost with Free {res['go_base_free_cost_ns']:.0f} ns, Go/Python = {res['ratio_base_free']:.2f}; "
              f"the change, paired by round: {res['change_free_ns']:+.0f} ns a call")
    if layers:
        print(f"Go's layers (paired by round, median): the shim {res['shim_ns']:+.0f} ns (C through libcgotorch - C++), "
              f"the cgo crossing {res['crossing_ns']:+.0f} ns (raw Go - C), package torch {res['torch_layer_ns']:+.0f} ns "
              f"(torch - raw Go); one cgo call into the shim alone costs {res['go_raw_cost_ns']:.0f} ns over C++, "
              f"{res['ratio_raw']:.2f} of Python's binding cost")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(res, cpu))


def markdown(res, cpu):
    """The medians as tables: each side against C++, then Go's layers."""
    py = res["python_cost_ns"]
    share = lambda ns: f"{ns / py:.2f}"
    rows = [("C++ (ATen, `at::add`)", "cpp", None), ("Python (torch)", "python", "python_cost_ns")]
    if "c_shim_ns" in res:
        rows += [("C through gotorch's C ABI (libcgotorch)", "c_shim", "shim_ns"),
                 ("Go through the raw cgo layer (`torch/internal/capi`)", "go_raw", "go_raw_cost_ns")]
    rows += [("Go, package torch, `Free`", "go_free", "go_free_cost_ns"),
             ("Go, package torch, left to the collector", "go_gc", "go_gc_cost_ns")]
    if "go_base_free_ns" in res:
        rows.append(("Go base commit (`--go-base`), `Free`", "go_base_free", "go_base_free_cost_ns"))
    out = [f"`a + b` on 1-element float32 tensors, 1 intra-op thread, libtorch {res['torch']}, "
           f"{'all sides on CPU %d' % cpu if cpu is not None else 'not pinned'}: {res['rounds']} interleaved rounds of "
           f"{res['calls']} calls ({res['gc_calls']} left to the collector); medians, and the cost over C++ paired by round.",
           "", "| side | ns per call | over C++, ns | of Python's cost |", "| --- | ---: | ---: | ---: |"]
    for name, key, cost in rows:
        c = res[cost] if cost else None
        out.append(f"| {name} | {res[key + '_ns']:.0f} | {'' if c is None else f'{c:.0f}'} | {'' if c is None else share(c)} |")
    met = "met" if res["ratio_free"] <= 0.3 else "not met"
    out += ["", f"Go's binding cost with `Free` is **{res['ratio_free']:.2f}** of Python's (target ≤ 0.3: {met}); "
            f"left to the collector {res['ratio_gc']:.2f}."]
    if "shim_ns" in res:
        out += ["", "| Go's layer (the side above it minus the side below, paired by round) | ns per call | of Python's cost |",
                "| --- | ---: | ---: |",
                f"| the shim: counting allocator, free queue, exception guard (C through libcgotorch − C++) | {res['shim_ns']:+.0f} | {share(res['shim_ns'])} |",
                f"| the cgo crossing (raw Go − C) | {res['crossing_ns']:+.0f} | {share(res['crossing_ns'])} |",
                f"| package torch: `*Tensor`, use counts, lifetime, `Free` (torch − raw Go) | {res['torch_layer_ns']:+.0f} | {share(res['torch_layer_ns'])} |",
                "", f"One cgo call into the shim, with nothing of package torch, costs {res['ratio_raw']:.2f} of Python's binding cost."]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
