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

--cpp: scripts/bench_overhead.cpp built against the libtorch of PY's torch
(scripts/bench_overhead.sh builds it); --go: internal/cmd/benchmnist built.
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
    ap.add_argument("--json", help="also write the medians as JSON to this file")
    args = ap.parse_args()
    if args.rounds < 1 or args.calls < 1 or args.gc_calls < 1:
        ap.error("--rounds, --calls and --gc-calls must be at least 1")

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
              + (f"  base {got['go_base_free']:7.1f} (Free)" if args.go_base else ""), file=sys.stderr)
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
    print(f"medians over {args.rounds} rounds: C++ {res['cpp_ns']:.0f}, Python {res['python_ns']:.0f}, "
          f"Go {res['go_free_ns']:.0f} (Free) / {res['go_gc_ns']:.0f} (GC) ns per call")
    print(f"binding cost (language - C++, paired by round, median): Python {res['python_cost_ns']:.0f} ns, "
          f"Go {res['go_free_cost_ns']:.0f} ns (Free) / {res['go_gc_cost_ns']:.0f} ns (GC); "
          f"Go/Python = {res['ratio_free']:.2f} / {res['ratio_gc']:.2f} (target <= 0.3 with Free)")
    if args.go_base:
        print(f"base: binding cost with Free {res['go_base_free_cost_ns']:.0f} ns, Go/Python = {res['ratio_base_free']:.2f}; "
              f"the change, paired by round: {res['change_free_ns']:+.0f} ns a call")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f)


if __name__ == "__main__":
    main()
