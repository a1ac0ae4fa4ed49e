#!/usr/bin/env bash
# bench_overhead.sh: per-call overhead of `a + b` on 1-element float32 tensors,
# in C++ (libtorch's ATen directly), Python (torch) and Go (gotorch), with one
# intra-op thread, and the binding's own cost (language minus C++) for Go and
# Python, with Go's split into its layers (the shim, the cgo crossing, package
# torch: the same loop in C through libcgotorch and in Go through the raw cgo
# layer run as two more sides). All sides run in interleaved rounds (scripts/bench_percall.py;
# --cpu N pins them all to one CPU); about a minute after the first build.
#
#   scripts/bench_overhead.sh [--rounds N] [--json FILE] [--go-base BIN] [--cpu N] [--doc docs/performance.md]
#   (after scripts/install_libtorch.sh --with-python)
#
# --doc: write the tables, with the date, commit, machine and versions, into
#   that file's generated section "percall" (scripts/lib/perfdoc.py).
#
# --go-base: a benchmnist built from another commit, timed in the same rounds (a change's
# before and after; see scripts/bench_percall.py).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh

DOC=''
args=()
while (($#)); do
	case $1 in
	--doc) [[ $# -ge 2 ]] || { echo "bench_overhead.sh: --doc needs a file" >&2; exit 2; }; DOC=$2; shift 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
doc_check bench_overhead.sh "$DOC"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
need_python_torch bench_overhead.sh
cpp_setup "$PY"
cpp=$(build_cpp overhead scripts/bench_overhead.cpp -ltorch_cpu -lc10)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/benchmnist" ./internal/cmd/benchmnist
layers=$(percall_layers "$tmp")
# shellcheck disable=SC2086
"$PY" scripts/bench_percall.py --cpp "$cpp" --go "$tmp/benchmnist" --python "$PY" $layers --markdown "$tmp/percall.md" "${args[@]}"
doc_section "$DOC" percall "$tmp/percall.md" "$load_before" "scripts/bench_overhead.sh${args[*]:+ ${args[*]}}"
