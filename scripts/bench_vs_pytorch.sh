#!/usr/bin/env bash
# bench_vs_pytorch.sh: the same MNIST work in Go (internal/cmd/benchmnist) and in
# Python (scripts/pytorch_mnist.py, scripts/bench_train_step.py: torch and
# torchvision), with C++ baselines built against the same libtorch, in one
# run on one machine, several runs each, interleaved so that both sides see
# the same load. Prints the machine, the libraries each process mapped (BLAS
# and libtorch, from its own /proc/self/maps), thread counts, every run, and
# a table of medians with Go/Python and Go/C++ ratios against the targets
# of docs/performance.md:
#
#   1. one epoch of the tutorial (batch 64, Adam 1e-3) plus test evaluation,
#      end to end, accuracy beside the time (run r uses seed r on both sides);
#   2. one pass over the training loader (ToTensor+Normalize, batch 64,
#      shuffle);
#   (1 and 2 each with num_workers 0, 1 and 2, and each side's best taken);
#   3. one training step on a fixed batch (Go, Python, C++);
#   4. the per-call cost of `a + b` on 1-element tensors (Go, Python, C++),
#      with one intra-op thread, the three sides in interleaved rounds
#      (scripts/bench_percall.py, as scripts/bench_overhead.sh).
#
# Those are the section "mlp"; scripts/bench_programs.py times whole
# programs as processes in the sections "cold" (the MLP's 1-epoch process and
# its cold first epoch against the warm ones), "cnn" (pytorch/examples' MNIST
# CNN and the CIFAR-10 tutorial's CNN: epoch time, images/s, peak RSS) and
# "scaling" (the MLP's epoch for batch sizes 16-1024 with 1 and 2 threads).
#
#   scripts/bench_vs_pytorch.sh [--sections LIST] [--device cpu|cuda] [--threads N] [--runs R] [--cnn-runs R]
#                               [--data DIR] [--out FILE] [--doc docs/performance.md]
#
# --sections: comma-separated, of mlp, cold, cnn, scaling (default: all of
#   them, about 25 minutes on an idle 2-core machine; mlp alone about 4).
# --doc: write the tables, with the date, commit, machine, libtorch, BLAS and
#   versions, into that file's generated sections (scripts/lib/perfdoc.py):
#   docs/performance.md holds no figures typed by hand.
# --device: where the model and batches live on both sides (default cpu).
#   cuda needs libcgotorch.so built against a CUDA torch
#   (scripts/install_libtorch.sh, docs/gpu.md) and a Python whose torch sees
#   the GPU (the first of $PYTHON, python3, /usr/bin/python3 with
#   torch.cuda.is_available()). It times 1-3 on the GPU (the loader stays CPU
#   work), names the device, and adds the "memory" rows:
#   torch.cuda.memory_allocated() after model+optimizer creation and after one
#   training step, Go (cuda.MemoryAllocated) against Python, to the byte.
#   The C++ baselines (CPU builds) and the per-call row 4 (a CPU binding cost;
#   on a GPU a + b measures kernel launch latency) are skipped.
# --threads: intra-op threads on both sides for 1-3 (default: the number of
#   cores; torch 1.13 starts Python with 1, gotorch with one per core).
# --runs: runs per measurement; medians are reported (default 3).
# --cnn-runs: runs of each CNN program (default 1: an epoch of the MNIST CNN
#   takes 1.5-2 minutes a side; its Go/Python ratio moves by 0.2 between
#   single runs, with Python's epoch).
# --data: the MNIST root both sides read (torchvision's layout,
#   DATA/MNIST/raw); default $GOTORCH_DATA or ~/.cache/gotorch/data. Missing
#   files are downloaded by the Go side first, which also un-gzips them, as
#   torchvision's MNIST(download=False) needs.
# --out: also write the result table (markdown) to FILE.
#
# Needs: go, g++, and a Python with torch and torchvision ($PYTHON, else
# /usr/bin/python3, else python3): scripts/install_libtorch.sh --with-python.
# The C++ baselines take about a minute to compile the first time; they are
# kept in ${XDG_CACHE_HOME:-~/.cache}/gotorch/bench, keyed by source and
# libtorch. With the defaults the measurements take 3-4 minutes on an
# idle 2-core machine; other load shows in the load average printed, and
# stretches mostly the Python runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh

given="$*"
sections=mlp,cold,cnn,scaling
doc=""
device=cpu
threads=$(nproc)
runs=3
cnn_runs=1
data=${GOTORCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/gotorch/data}
out=""
while [[ $# -gt 0 ]]; do
	case $1 in
	--device) device=$2; shift 2 ;;
	--threads) threads=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--cnn-runs) cnn_runs=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--sections) sections=$2; shift 2 ;;
	--doc) doc=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench_vs_pytorch.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[[ $device == cpu || $device == cuda ]] || { echo "bench_vs_pytorch.sh: --device must be cpu or cuda, got '$device'" >&2; exit 2; }
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "bench_vs_pytorch.sh: --threads must be a positive number, got '$threads'" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench_vs_pytorch.sh: --runs must be a positive number, got '$runs'" >&2; exit 2; }
[[ $cnn_runs =~ ^[1-9][0-9]*$ ]] || { echo "bench_vs_pytorch.sh: --cnn-runs must be a positive number, got '$cnn_runs'" >&2; exit 2; }
for s in ${sections//,/ }; do
	[[ $s =~ ^(mlp|cold|cnn|scaling)$ ]] || { echo "bench_vs_pytorch.sh: --sections: unknown section '$s' (mlp, cold, cnn, scaling)" >&2; exit 2; }
done
has() { [[ ,$sections, == *,$1,* ]]; }
# (grep finds nothing when mlp is the only section: not an error.)
programs=$(tr , '\n' <<<"$sections" | { grep -v '^mlp$' || true; } | paste -sd, -)
if [[ $device == cuda && -n $programs ]]; then
	echo "bench_vs_pytorch.sh: --device cuda times the section mlp only (--sections mlp)" >&2
	exit 2
fi
doc_check bench_vs_pytorch.sh "$doc"

find_python() {
	local c
	for c in "${PYTHON:-}" /usr/bin/python3 python3; do
		[[ -n "$c" ]] && "$c" -c 'import torch, torchvision' 2>/dev/null && { echo "$c"; return; }
	done
	echo "bench_vs_pytorch.sh: no Python with torch and torchvision (run scripts/install_libtorch.sh --with-python, or set PYTHON)" >&2
	exit 1
}
# find_cuda_python: the first Python whose torch sees a GPU, else each
# candidate's reason, so that a CPU-only torch is not timed as the baseline.
find_cuda_python() {
	local c why=""
	for c in "${PYTHON:-}" python3 /usr/bin/python3; do
		[[ -n "$c" ]] || continue
		if "$c" -c 'import sys, torch, torchvision; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
			echo "$c"
			return
		fi
		why+="  $c: $("$c" -c 'import torch, torchvision; print(f"torch {torch.__version__}, torch.version.cuda={torch.version.cuda}, torch.cuda.is_available()=False")' 2>&1 | tail -1)"$'\n'
	done
	printf 'bench_vs_pytorch.sh: --device cuda: no Python with a CUDA torch that sees a GPU (and torchvision):\n%s' "$why" >&2
	echo "install one (scripts/install_libtorch.sh --with-python on the GPU machine, docs/gpu.md) or set PYTHON" >&2
	exit 1
}
if [[ $device == cuda ]]; then
	py=$(find_cuda_python)
else
	py=$(find_python)
fi
for tool in go g++; do
	command -v "$tool" >/dev/null || { echo "bench_vs_pytorch.sh: $tool not found" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
results=$tmp/results.jsonl
touch "$results"
start_time=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

say() { echo "$@" >&2; }

# ---- builds ----
say "building internal/cmd/benchmnist..."
go build -o "$tmp/benchmnist" ./internal/cmd/benchmnist
if [[ $device == cuda ]] && ! "$tmp/benchmnist" --what step --device cuda --steps 1 --repeats 1 >/dev/null; then
	say "bench_vs_pytorch.sh: --device cuda: the Go side cannot use the GPU (above); build the shim against a CUDA torch: scripts/install_libtorch.sh, docs/gpu.md"
	exit 1
fi

# The C++ baselines are compiled against the libtorch of $py's torch
# (scripts/lib/bench.sh: cpp_setup, build_cpp).
cpp_setup "$py"
if [[ $device == cpu ]]; then
	cpp_overhead=$(build_cpp overhead scripts/bench_overhead.cpp -ltorch_cpu -lc10)
	cpp_step=$(build_cpp train_step scripts/bench_train_step.cpp -ltorch -ltorch_cpu -lc10)
else
	say "--device cuda: no C++ baselines (they are CPU builds) and no per-call row"
fi

# ---- helpers ----
# record SIDE WHAT RUN JSON: one result line.
record() {
	"$py" -c 'import json, sys; d = json.loads(sys.argv[4]); d.update(side=sys.argv[1], what=sys.argv[2], run=int(sys.argv[3])); print(json.dumps(d))' \
		"$1" "$2" "$3" "$4" >>"$results"
}
# last_json: the last line of stdin that is a JSON object.
last_json() { grep '^{' | tail -1; }

# pyrun SCRIPT ARGS...: runs a Python script in a process that afterwards
# adds, from its own /proc/self/maps, the BLAS and libtorch it had mapped,
# and prints one JSON object (the script's own, or made of "ns_per_step N"). A
# run that goes wrong (a worker crash, a hang) is cut off after $limit
# seconds and reported, rather than stopping the whole harness.
limit=300
cat >"$tmp/pyrun.py" <<'PY'
import contextlib, io, json, os, runpy, sys
script = sys.argv[1]
sys.argv = sys.argv[1:]
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    runpy.run_path(script, run_name="__main__")
text = buf.getvalue().strip().splitlines()[-1]
if text.startswith("{"):
    d = json.loads(text)
else:  # bench_train_step.py's "ns_per_step N"
    d = {"step_seconds": float(text.split()[1]) / 1e9}
blas, libtorch = [], []
for line in open("/proc/self/maps"):
    f = line.split()
    if len(f) < 6:
        continue
    base = os.path.basename(f[-1]).lower()
    if ("blas" in base or "mkl_rt" in base or base.startswith("libmkl")) and f[-1] not in blas:
        blas.append(f[-1])
    elif (base.startswith("libtorch_cpu") or base.startswith("libtorch.so")) and f[-1] not in libtorch:
        libtorch.append(f[-1])
d.update(blas=blas, libtorch=libtorch)
import torch
d.setdefault("torch", torch.__version__)
d.setdefault("threads", torch.get_num_threads())
print(json.dumps(d))
PY
pyrun() {
	timeout "$limit" "$py" "$tmp/pyrun.py" "$@" ||
		{ say "  (failed or took over ${limit}s: $*)"; echo '{"failed": true}'; }
}

# programs_and_doc runs bench_programs.py's sections, then writes --out and
# the --doc sections.
programs_and_doc() {
	mkdir -p "$tmp/md"
	if [[ -n $programs ]]; then
		"$py" scripts/bench_programs.py --sections "$programs" --threads "$threads" --runs "$runs" --cnn-runs "$cnn_runs" --data "$data" --markdown-dir "$tmp/md"
	fi
	if [[ -n $out ]]; then
		for s in mlp cold cnn scaling; do
			[[ -e $tmp/md/$s.md ]] && cat "$tmp/md/$s.md"
		done >"$out"
	fi
	local s suffix=""
	[[ $device == cuda ]] && suffix=-cuda
	for s in mlp cold cnn scaling; do
		[[ -e $tmp/md/$s.md ]] || continue
		PY=$py doc_section "$doc" "$s$suffix" "$tmp/md/$s.md" "$load_before" "scripts/bench_vs_pytorch.sh $given"
	done
}

say "making sure MNIST is in $data (the Go side downloads what is missing)..."
"$tmp/benchmnist" --data "$data" --what loader --threads "$threads" >/dev/null
if ! has mlp; then
	programs_and_doc
	exit 0
fi

# ---- 2. loader pass, both sides, num_workers 0, 1, 2 ----
# (First, as the epochs below read the same files: both start warm.)
for r in $(seq 1 "$runs"); do
	for w in 0 1 2; do
		say "loader pass, run $r/$runs, num_workers $w"
		record go loader "$r" "$("$tmp/benchmnist" --data "$data" --what loader --threads "$threads" --num-workers "$w" --seed "$r" | last_json)"
		record python loader "$r" "$(pyrun scripts/pytorch_mnist.py --data "$data" --what loader --threads "$threads" --num-workers "$w" --seed "$r" | last_json)"
	done
done

# ---- 1. epoch + test, both sides, num_workers 0, 1, 2 ----
# The loader's best num_workers is not the epoch's: on few cores, worker
# processes compete with the training's own threads. So each side's epoch
# is also timed with each, and the best taken.
for r in $(seq 1 "$runs"); do
	for w in 0 1 2; do
		say "epoch + test, run $r/$runs (seed $r), num_workers $w"
		record go epoch "$r" "$("$tmp/benchmnist" --data "$data" --what epoch --threads "$threads" --num-workers "$w" --seed "$r" --device "$device" | last_json)"
		record python epoch "$r" "$(pyrun scripts/pytorch_mnist.py --data "$data" --what epoch --threads "$threads" --num-workers "$w" --seed "$r" --device "$device" | last_json)"
	done
done

# ---- 3. training step ----
steps=${STEPS:-500}
for r in $(seq 1 "$runs"); do
	if [[ $device == cuda ]]; then
		# pytorch_mnist.py's step (one timed pass of 3 x $steps steps) reports
		# the memory figures; the Go side the same, with its median of 3.
		say "training step on the GPU, run $r/$runs ($steps steps x 3), with the memory figures"
		record python step "$r" "$(pyrun scripts/pytorch_mnist.py --what step --device cuda --threads "$threads" --steps $((3 * steps)) | last_json)"
		record go step "$r" "$("$tmp/benchmnist" --what step --device cuda --threads "$threads" --steps "$steps" --repeats 3 | last_json)"
		continue
	fi
	say "training step, run $r/$runs ($steps steps x 3)"
	# The order turns with the run, so that no side always follows the same
	# one; the ratios are paired by run (the report).
	sides=(cpp python go)
	for i in 0 1 2; do
		case ${sides[(i + r) % 3]} in
		cpp)
			cpp=$("$cpp_step" "$threads" "$steps" 3 | awk '/^ns_per_step/ {printf "%.9f", $2 / 1e9}')
			record cpp step "$r" "{\"step_seconds\": $cpp, \"threads\": $threads}"
			;;
		python) record python step "$r" "$(pyrun scripts/bench_train_step.py --threads "$threads" --steps "$steps" --repeats 3 | last_json)" ;;
		go) record go step "$r" "$("$tmp/benchmnist" --what step --threads "$threads" --steps "$steps" --repeats 3 | last_json)" ;;
		esac
	done
done

# ---- 4. per-call overhead: scripts/bench_percall.py, the three sides in interleaved rounds ----
if [[ $device == cpu ]]; then
	say "per-call a + b: scripts/bench_percall.py (interleaved rounds, one CPU)"
	layers=$(percall_layers "$tmp")
	# shellcheck disable=SC2086
	"$py" scripts/bench_percall.py --cpp "$cpp_overhead" --go "$tmp/benchmnist" --python "$py" $layers --json "$tmp/percall.json" >&2
	record all percall 1 "$(cat "$tmp/percall.json")"
fi

# ---- report ----
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(($(date +%s) - start_time))
mkdir -p "$tmp/md"
"$py" - "$results" "$threads" "$runs" "$load_before" "$load_after" "$elapsed" "$tmp/md/mlp.md" "$given" "$device" <<'PY'
import json, os, platform, statistics, subprocess, sys

path, threads, runs, load_before, load_after, elapsed, out, args, device = sys.argv[1:10]
cuda = device == "cuda"
rows = [json.loads(l) for l in open(path)]

def vals(side, what, key, **match):
    return [r[key] for r in rows if r["side"] == side and r["what"] == what and key in r
            and all(r.get(k) == v for k, v in match.items())]

def med(xs):
    return statistics.median(xs) if xs else float("nan")

model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
go_version = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
failed = [r for r in rows if r.get("failed")]

print(f"machine: {os.cpu_count()} cores, {model}; load average {load_before} before, {load_after} after ({elapsed} s)")
print(f"{go_version}; Python {platform.python_version()}")
if cuda:
    names = {s: sorted({f"{r['device']} {r['device_name']}" for r in rows if r["side"] == s and "device_name" in r}) for s in ("go", "python")}
    gpu = f"GPU: Go on {', '.join(names['go']) or '?'}; Python on {', '.join(names['python']) or '?'}"
    print(gpu)
for side in ("go", "python"):
    r = next((r for r in rows if r["side"] == side and "blas" in r), None)
    if r:
        print(f"{side:6s}: torch {r['torch']}, libtorch {', '.join(r['libtorch'])}; BLAS {', '.join(r['blas'])}")
thr = {s: sorted({r["threads"] for r in rows if r["side"] == s and r["what"] in ("epoch", "step") and "threads" in r}) for s in ("go", "python", "cpp")}
if cuda:
    print(f"intra-op threads (epoch, step; CPU side): Go {thr['go']}, Python {thr['python']}; no C++ baselines or per-call row on the GPU")
else:
    print(f"intra-op threads (epoch, step): Go {thr['go']}, Python {thr['python']}, C++ {thr['cpp']}; per-call: 1 on all sides")
same_blas = len({tuple(r["blas"]) for r in rows if "blas" in r}) == 1
same_torch = len({tuple(x for x in r["libtorch"] if "libtorch_cpu" in x) for r in rows if "libtorch" in r}) == 1
print(f"same BLAS on both sides: {'yes' if same_blas else 'NO'}; same libtorch_cpu: {'yes' if same_torch else 'NO'}")
if failed:
    print(f"WARNING: {len(failed)} Python run(s) failed or timed out; see above")

print("\nevery run:")
for what, key, unit, scale in (("loader", "loader_seconds", "s", 1), ("epoch", "epoch_seconds", "s", 1),
                               ("step", "step_seconds", "ms", 1e3)):
    for side in ("go", "python", "cpp"):
        rs = [r for r in rows if r["side"] == side and r["what"] == what]
        if not rs:
            continue
        def fmt(r):
            if r.get("failed"):
                return "failed"
            if what == "loader":
                return f"w{r['num_workers']}:{r[key]:.3g}"
            if what == "epoch":
                return f"w{r['num_workers']}:{r[key]:.3g} ({100 * r['accuracy']:.2f}%)"
            return f"{r[key] * scale:.3g}"
        print(f"  {what:8s} {side:6s} [{unit}]: " + "  ".join(fmt(r) for r in rs))
if cuda:
    for side in ("go", "python"):
        rs = [r for r in rows if r["side"] == side and r["what"] == "step"]
        print(f"  memory   {side:6s} [bytes, after model+optimizer/after one step]: "
              + "  ".join("failed" if r.get("failed") else f"{r.get('memory_after_setup')}/{r.get('memory_after_step')}" for r in rs))

gw = {w: med(vals("go", "loader", "loader_seconds", num_workers=w)) for w in (0, 1, 2)}
pw = {w: med(vals("python", "loader", "loader_seconds", num_workers=w)) for w in (0, 1, 2)}
gbest, pbest = min(gw, key=gw.get), min(pw, key=pw.get)
ge = {w: med(vals("go", "epoch", "epoch_seconds", num_workers=w)) for w in (0, 1, 2)}
pe = {w: med(vals("python", "epoch", "epoch_seconds", num_workers=w)) for w in (0, 1, 2)}
gebest, pebest = min(ge, key=ge.get), min(pe, key=pe.get)
ep_g, ep_p = ge[gebest], pe[pebest]
acc_g = med(vals("go", "epoch", "accuracy", num_workers=gebest))
acc_p = med(vals("python", "epoch", "accuracy", num_workers=pebest))
st_g, st_p, st_c = (med(vals(s, "step", "step_seconds")) * 1e3 for s in ("go", "python", "cpp"))

def paired(what, key, a, b):
    """The median over runs of side a's figure over side b's in the same run:
    a slow spell of the machine moves both sides of a run together."""
    run = lambda side: {r["run"]: r[key] for r in rows if r["side"] == side and r["what"] == what and key in r}
    ra, rb = run(a), run(b)
    return med([ra[k] / rb[k] for k in ra if k in rb])

st_gc, st_gp = paired("step", "step_seconds", "go", "cpp"), paired("step", "step_seconds", "go", "python")
pc = next((r for r in rows if r["what"] == "percall"), None)
# The floor under Go's figure: one cgo call into the shim and nothing of
# package torch (scripts/bench_percall.py's --go-raw side).
raw = f"; one cgo call alone {pc['ratio_raw']:.2f}" if pc and "ratio_raw" in pc else ""

def yes(ok):
    return "**yes**" if ok else "no"

def memory(key):
    # Every run of a side must agree with itself; one figure per side then.
    g = sorted({r[key] for r in rows if r["side"] == "go" and r["what"] == "step" and key in r})
    p = sorted({r[key] for r in rows if r["side"] == "python" and r["what"] == "step" and key in r})
    show = lambda v: "/".join(str(x) for x in v) or "missing"
    diff = f"Go − Python {g[0] - p[0]:+d}" if len(g) == 1 and len(p) == 1 else "runs disagree or missing"
    return show(g), show(p), diff, len(g) == 1 and g == p

if cuda:
    mem_b, mem_s = memory("memory_after_setup"), memory("memory_after_step")
    table = [
        "| measure | Go | Python | C++ | ratio | target | met |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        f"| 1. epoch + test on the GPU, s (accuracy; best num_workers) | {ep_g:.2f} ({100 * acc_g:.2f}%; {gebest}) | {ep_p:.2f} ({100 * acc_p:.2f}%; {pebest}) | | Go/Python {ep_g / ep_p:.2f} | ≤ 0.5, accuracy ±0.5 | {yes(ep_g / ep_p <= 0.5 and abs(acc_g - acc_p) <= 0.005)} |",
        f"| 2. loader pass (CPU work), s (best num_workers) | {gw[gbest]:.3f} ({gbest}) | {pw[pbest]:.2f} ({pbest}) | | Python/Go {pw[pbest] / gw[gbest]:.0f}x | ≥ 20x | {yes(pw[pbest] / gw[gbest] >= 20)} |",
        f"| 3. training step on the GPU, ms | {st_g:.3f} | {st_p:.3f} | | Go/Python {st_gp:.2f} (paired by run) | | |",
        f"| memory after model + optimizer, bytes (cuda.MemoryAllocated) | {mem_b[0]} | {mem_b[1]} | | {mem_b[2]} | equal to the byte | {yes(mem_b[3])} |",
        f"| memory after one training step, bytes | {mem_s[0]} | {mem_s[1]} | | {mem_s[2]} | equal to the byte | {yes(mem_s[3])} |",
    ]
else:
    table = [
        "| measure | Go | Python | C++ | ratio | target | met |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        f"| 1. epoch + test, s (accuracy; best num_workers) | {ep_g:.2f} ({100 * acc_g:.2f}%; {gebest}) | {ep_p:.2f} ({100 * acc_p:.2f}%; {pebest}) | | Go/Python {ep_g / ep_p:.2f} | ≤ 0.35, accuracy ±0.5 | {yes(ep_g / ep_p <= 0.35 and abs(acc_g - acc_p) <= 0.005)} |",
        f"| 2. loader pass, s (best num_workers) | {gw[gbest]:.3f} ({gbest}) | {pw[pbest]:.2f} ({pbest}) | | Python/Go {pw[pbest] / gw[gbest]:.0f}x | ≥ 20x | {yes(pw[pbest] / gw[gbest] >= 20)} |",
        f"| 3. training step, ms | {st_g:.3f} | {st_p:.3f} | {st_c:.3f} | Go/C++ {st_gc:.2f}, Go/Python {st_gp:.2f} (paired by run) | Go/C++ ≤ 1.1 | {yes(st_gc <= 1.1)} |",
        f"| 4. a + b per call, ns (Go: Free / GC; {pc['rounds']} interleaved rounds) | {pc['go_free_ns']:.0f} / {pc['go_gc_ns']:.0f} | {pc['python_ns']:.0f} | {pc['cpp_ns']:.0f} | binding cost (− C++, paired by round) Go {pc['go_free_cost_ns']:.0f} / {pc['go_gc_cost_ns']:.0f}, Python {pc['python_cost_ns']:.0f}: {pc['ratio_free']:.2f} / {pc['ratio_gc']:.2f}{raw} | ≤ 0.3 | {yes(pc['ratio_free'] <= 0.3)} |",
    ]
head = (f"{runs} runs each, medians; {threads} intra-op threads for 1-3 on every side; num_workers 0, 1, 2 "
        f"tried for the loader (Go {', '.join(f'{w}: {gw[w]:.3f}' for w in gw)} s; Python {', '.join(f'{w}: {pw[w]:.2f}' for w in pw)} s) "
        f"and for the epoch (Go {', '.join(f'{w}: {ge[w]:.2f}' for w in ge)} s; Python {', '.join(f'{w}: {pe[w]:.2f}' for w in pe)} s)")
print("\n" + head + "\n")
print("\n".join(table))
with open(out, "w") as f:
    title = "on the GPU" if cuda else f"{threads} intra-op threads"
    f.write(f"### The tutorial's MLP: epoch, loader, training step, per call ({title})\n\n")
    if cuda:
        f.write(gpu + "\n\n")
    f.write(head + "\n\n" + "\n".join(table) + "\n\n")
PY
programs_and_doc
