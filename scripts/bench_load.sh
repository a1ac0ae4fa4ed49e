#!/usr/bin/env bash
# bench_load.sh: the peak memory (RSS) of loading one torch.save checkpoint
# in Go (torch.Load, internal/cmd/loadpeak) and in Python (torch.load), side
# by side in one run. Python's torch.save writes a state_dict of 16 float32
# tensors of 32 MiB (512 MiB in all, --mib to change); each side loads it
# --runs times, alternating, under /usr/bin/time -v; the script prints each
# run's maximum resident set size and the ratio of the medians.
#
#   scripts/bench_load.sh [--mib N] [--runs R] [--doc docs/performance.md]
#
# --doc: write the table, with the date, commit, machine and versions, into
#   that file's generated section "load" (scripts/lib/perfdoc.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIB=512 RUNS=3 DOC=""
given="$*"
while [[ $# -gt 0 ]]; do
	case $1 in
	--mib) MIB=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--doc) DOC=$2; shift 2 ;;
	-h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench_load.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[[ $MIB =~ ^[1-9][0-9]*$ && $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench_load.sh: --mib and --runs must be positive integers" >&2; exit 2; }
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh"
need_python_torch bench_load.sh
need_time bench_load.sh
doc_check bench_load.sh "$DOC"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$ROOT" && go build -o "$TMP/loadpeak" ./internal/cmd/loadpeak)
"$PY" -c "
import sys, torch
n = max(1, $MIB // 32)
torch.save({f'w{i}': torch.randn(1024, 8192) for i in range(n)}, sys.argv[1])
" "$TMP/sd.pt"
echo "checkpoint: $(du -m "$TMP/sd.pt" | cut -f1) MiB, $("$PY" -c 'import torch; print("torch", torch.__version__)')"

go_kb=() py_kb=()
for r in $(seq 1 "$RUNS"); do
	g=$(peak "$TMP/loadpeak" "$TMP/sd.pt")
	p=$(peak "$PY" -c 'import sys, torch; sd = torch.load(sys.argv[1], weights_only=True); print(len(sd))' "$TMP/sd.pt")
	echo "run $r: Go $((g / 1024)) MiB, Python $((p / 1024)) MiB"
	go_kb+=("$g") py_kb+=("$p")
done
g=$(median "${go_kb[@]}") p=$(median "${py_kb[@]}")
awk -v g="$g" -v p="$p" 'BEGIN { printf "median peak RSS: Go %.0f MiB, Python %.0f MiB, Go/Python %.2f\n", g / 1024, p / 1024, g / p }'
size=$(du -m "$TMP/sd.pt" | cut -f1)
awk -v g="$g" -v p="$p" -v runs="$RUNS" -v size="$size" 'BEGIN {
	printf "Peak RSS loading a %d MiB state_dict (medians of %d run(s) each, alternating):\n\n", size, runs
	print "| | Go (torch.Load) | Python (torch.load, weights_only) | Go/Python |"
	print "| --- | ---: | ---: | ---: |"
	printf "| peak RSS | %.0f MiB | %.0f MiB | **%.2f** |\n", g / 1024, p / 1024, g / p
}' >"$TMP/load.md"
doc_section "$DOC" load "$TMP/load.md" "$load_before" "scripts/bench_load.sh${given:+ $given}"
