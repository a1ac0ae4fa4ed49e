#!/usr/bin/env bash
# bench_memory.sh: the peak memory (RSS) of a loop with big temporaries in
# Go (internal/cmd/memloop) and in Python (scripts/reference/memloop.py),
# side by side in one run: under no_grad, x of --mib MiB of float32, then
# --iters times y = relu(x*2 + 1) and y.sum(). Go runs twice, dropping every
# temporary to the collector and calling Free on y; each of the three runs
# --runs times, alternating, under /usr/bin/time -v; the script prints each
# run's maximum resident set size and the ratios of the medians to Python's.
#
#   scripts/bench_memory.sh [--mib N] [--iters I] [--runs R] [--doc docs/performance.md]
#
# --doc: write the table, with the date, commit, machine and versions, into
#   that file's generated section "memory" (scripts/lib/perfdoc.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIB=64 ITERS=100 RUNS=3 DOC=""
given="$*"
while [[ $# -gt 0 ]]; do
	case $1 in
	--mib) MIB=$2; shift 2 ;;
	--iters) ITERS=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--doc) DOC=$2; shift 2 ;;
	-h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench_memory.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
for v in "$MIB" "$ITERS" "$RUNS"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench_memory.sh: --mib, --iters and --runs must be positive integers (got $v)" >&2; exit 2; }
done
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh"
need_python_torch bench_memory.sh
need_time bench_memory.sh
doc_check bench_memory.sh "$DOC"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$ROOT" && go build -o "$TMP/memloop" ./internal/cmd/memloop)
echo "x and each temporary: $MIB MiB, $ITERS iterations; $("$PY" -c 'import torch; print("torch", torch.__version__)')"

drop_kb=() free_kb=() py_kb=()
for r in $(seq 1 "$RUNS"); do
	d=$(peak "$TMP/memloop" --mib "$MIB" --iters "$ITERS")
	f=$(peak "$TMP/memloop" --mib "$MIB" --iters "$ITERS" --free)
	p=$(peak "$PY" "$ROOT/scripts/reference/memloop.py" "$MIB" "$ITERS")
	echo "run $r: Go (dropped) $((d / 1024)) MiB, Go (Free y) $((f / 1024)) MiB, Python $((p / 1024)) MiB"
	drop_kb+=("$d") free_kb+=("$f") py_kb+=("$p")
done
d=$(median "${drop_kb[@]}") f=$(median "${free_kb[@]}") p=$(median "${py_kb[@]}")
awk -v d="$d" -v f="$f" -v p="$p" 'BEGIN {
	printf "median peak RSS: Go (dropped) %.0f MiB, Go (Free y) %.0f MiB, Python %.0f MiB\n", d / 1024, f / 1024, p / 1024
	printf "Go/Python: dropped %.2f, Free y %.2f\n", d / p, f / p
}'
awk -v d="$d" -v f="$f" -v p="$p" -v runs="$RUNS" -v mib="$MIB" -v iters="$ITERS" 'BEGIN {
	printf "Peak RSS of the loop (x and each temporary %d MiB, %d iterations; medians of %d run(s) each, alternating):\n\n", mib, iters, runs
	print "| | Go, temporaries dropped | Go, Free(y) | Python | Go/Python, dropped | Go/Python, Free(y) |"
	print "| --- | ---: | ---: | ---: | ---: | ---: |"
	printf "| peak RSS | %.0f MiB | %.0f MiB | %.0f MiB | **%.2f** | %.2f |\n", d / 1024, f / 1024, p / 1024, d / p, f / p
}' >"$TMP/memory.md"
doc_section "$DOC" memory "$TMP/memory.md" "$load_before" "scripts/bench_memory.sh${given:+ $given}"
