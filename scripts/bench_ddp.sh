#!/usr/bin/env bash
# bench_ddp.sh: data-parallel throughput of cmd/mnist, 1 process against 2,
# side by side in one run. Both train --epochs epochs (default 1) on the same
# MNIST with the same global batch (64: one process of 64, or two ranks of 32
# under cmd/torchrun) and the same number of threads in all (one process of
# 2 intra-op threads, or two ranks of 1, as torchrun sets OMP_NUM_THREADS=1);
# each runs --runs times, alternating. The script prints each run's epoch
# time and samples/s (rank 0's line; samples/s counts all ranks) and the
# ratio of the medians. Then the step alone, Go against Python's own
# DistributedDataParallel on the same libtorch (internal/cmd/ddpstep,
# scripts/reference/ddp_step.py: MNISTModel, Adam, global batch 64), for 1
# and 2 processes, started by cmd/torchrun alike.
#
#   scripts/bench_ddp.sh [--epochs N] [--runs R] [--data DIR] [--doc docs/performance.md]
#
# --doc: write the table (epoch and step, 1 process against 2), with the
#   date, commit, machine and versions, into that file's generated section
#   "ddp" (scripts/lib/perfdoc.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EPOCHS=1 RUNS=3 DATA=${GOTORCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/gotorch/data} DOC=""
given="$*"
while [[ $# -gt 0 ]]; do
	case $1 in
	--epochs) EPOCHS=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--data) DATA=$2; shift 2 ;;
	--doc) DOC=$2; shift 2 ;;
	-h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench_ddp.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
for v in "$EPOCHS" "$RUNS"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench_ddp.sh: --epochs and --runs must be positive integers (got $v)" >&2; exit 2; }
done
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh"
doc_check bench_ddp.sh "$DOC"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$ROOT" && go build -o "$TMP/mnist" ./cmd/mnist && go build -o "$TMP/torchrun" ./cmd/torchrun && go build -o "$TMP/ddpstep" ./internal/cmd/ddpstep)
need_python_torch bench_ddp.sh
echo "cmd/mnist, $EPOCHS epoch(s), global batch 64, data $DATA, $(nproc) cores, load $load_before"

# run NPROC BATCH THREADS: rank 0's last epoch line, "seconds samples/s".
run() {
	local out
	out=$(OMP_NUM_THREADS=$3 "$TMP/torchrun" --nproc-per-node "$1" "$TMP/mnist" --data "$DATA" --epochs "$EPOCHS" \
		--batch-size "$2" --num-workers 0 --device cpu 2>&1) || { echo "$out" >&2; exit 1; }
	echo "$out" | grep '^\[rank 0\] epoch ' | tail -n 1 |
		sed -E 's/.* ([0-9.]+)s train \+ .*, ([0-9]+) samples\/s/\1 \2/'
}
one_t=() two_t=() one_s=() two_s=()
for r in $(seq 1 "$RUNS"); do
	read -r t1 s1 < <(run 1 64 2)
	read -r t2 s2 < <(run 2 32 1)
	# run's exit stays inside the process substitution: check what came out.
	[[ -n $t1 && -n $s1 && -n $t2 && -n $s2 ]] || { echo "bench_ddp.sh: run $r: cmd/mnist gave no epoch line (above)" >&2; exit 1; }
	echo "run $r: 1 process ${t1}s (${s1} samples/s), 2 processes ${t2}s (${s2} samples/s)"
	one_t+=("$t1") two_t+=("$t2") one_s+=("$s1") two_s+=("$s2")
done
a=$(median "${one_t[@]}") b=$(median "${two_t[@]}") sa=$(median "${one_s[@]}") sb=$(median "${two_s[@]}")
awk -v a="$a" -v b="$b" -v sa="$sa" -v sb="$sb" 'BEGIN {
	printf "median epoch: 1 process %.2fs (%.0f samples/s), 2 processes %.2fs (%.0f samples/s): 2/1 time %.2f, speed-up %.2fx\n", a, sa, b, sb, b / a, sb / sa
}'

# step N LANG: the mean step time (ms) of N ranks, global batch 64.
step() {
	local b=$((64 / $1)) out
	if [[ $2 == go ]]; then
		out=$(OMP_NUM_THREADS=$((2 / $1)) "$TMP/torchrun" --nproc-per-node "$1" "$TMP/ddpstep" --batch "$b" 2>&1) || { echo "$out" >&2; exit 1; }
	else
		out=$(OMP_NUM_THREADS=$((2 / $1)) "$TMP/torchrun" --nproc-per-node "$1" "$PY" "$ROOT/scripts/reference/ddp_step.py" "$b" 200 2>&1) || { echo "$out" >&2; exit 1; }
	fi
	echo "$out" | sed -n 's/^\[rank 0\] step_ms \([0-9.]*\).*/\1/p'
}
step_go=() step_py=() # the medians, for 1 and 2 processes
for n in 1 2; do
	g=() p=()
	for _ in $(seq 1 "$RUNS"); do
		g+=("$(step "$n" go)") p+=("$(step "$n" py)")
	done
	step_go+=("$(median "${g[@]}")") step_py+=("$(median "${p[@]}")")
	awk -v n="$n" -v g="${step_go[-1]}" -v p="${step_py[-1]}" 'BEGIN {
		printf "DDP step, %d process(es) of batch %d: Go %.3f ms, Python %.3f ms, Go/Python %.2f\n", n, 64 / n, g, p, g / p
	}'
done

awk -v a="$a" -v b="$b" -v sa="$sa" -v sb="$sb" -v g1="${step_go[0]}" -v g2="${step_go[1]}" \
	-v p1="${step_py[0]}" -v p2="${step_py[1]}" -v runs="$RUNS" -v epochs="$EPOCHS" '
# thousands N: N rounded, with a comma every three digits (40,528).
function thousands(n, s) {
	s = sprintf("%.0f", n)
	while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]([,]|$)/, ",&", s)
	return s
}
BEGIN {
	printf "cmd/mnist, %d epoch(s), and the DDP training step alone; global batch 64 (1 process of 64, or 2 ranks of 32 under cmd/torchrun), 2 threads in all (2 intra-op threads, or 1 per rank); samples/s counts all ranks; medians of %d run(s) each, alternating:\n\n", epochs, runs
	print "| | 1 process | 2 processes |"
	print "| --- | ---: | ---: |"
	printf "| cmd/mnist epoch (median of %d) | %.2f s, %s samples/s | %.2f s, %s samples/s |\n", runs, a, thousands(sa), b, thousands(sb)
	printf "| DDP step, Go | %.2f ms | %.2f ms |\n", g1, g2
	printf "| DDP step, Python | %.2f ms | %.2f ms |\n", p1, p2
	printf "| Go/Python | %.2f | **%.2f** |\n", g1 / p1, g2 / p2
}' >"$TMP/ddp.md"
doc_section "$DOC" ddp "$TMP/ddp.md" "$load_before" "scripts/bench_ddp.sh${given:+ $given}"
