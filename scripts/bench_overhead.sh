#!/usr/bin/env bash
# bench_overhead.sh: per-call overhead of `a + b` on 1-element float32 tensors,
# in C++ (libtorch's ATen directly), Python (torch) and Go (gotorch), with one
# intra-op thread, and the binding's own cost (language minus C++) for Go and
# Python. The three run side by side in interleaved rounds (scripts/bench_percall.py;
# --cpu N pins them all to one CPU); about a minute after the first build.
#
#   scripts/bench_overhead.sh [--rounds N] [--json FILE] [--go-base BIN]   # after scripts/install_libtorch.sh --with-python
#
# --go-base: a benchmnist built from another commit, timed in the same rounds (a change's
# before and after; see scripts/bench_percall.py).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh

need_python_torch bench_overhead.sh
cpp_setup "$PY"
cpp=$(build_cpp overhead scripts/bench_overhead.cpp -ltorch_cpu -lc10)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/benchmnist" ./internal/cmd/benchmnist
"$PY" scripts/bench_percall.py --cpp "$cpp" --go "$tmp/benchmnist" --python "$PY" "$@"
