#!/usr/bin/env bash
# One training step of MNISTModel (batch 64, Adam: zero_grad, forward, loss,
# backward, step) in Go (models.BenchmarkTrainStep), Python
# (bench_train_step.py, Debian's python3-torch) and C++ (bench_train_step.cpp,
# libtorch), all on the same libtorch with the same intra-op thread count;
# prints each time per step and the ratios.
#
#   scripts/bench_train_step.sh [THREADS]   (default 1)
#
# Needs g++ and libtorch's headers (scripts/install_libtorch.sh), and
# /usr/bin/python3 with torch (install_libtorch.sh --with-python).
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
steps=${STEPS:-2000}
repeats=${REPEATS:-5}
python=${GOTORCH_PYTHON:-/usr/bin/python3}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

echo "building the C++ baseline (about 40 s)..." >&2
g++ -O2 -std=c++17 scripts/bench_train_step.cpp -o "$build/bench_train_step" \
	-I/usr/include -I/usr/include/torch/csrc/api/include \
	-ltorch -ltorch_cpu -lc10

cpp=$("$build/bench_train_step" "$threads" "$steps" "$repeats" | awk '/^ns_per_step/ {print $2}')
py=$("$python" scripts/bench_train_step.py --threads "$threads" --steps "$steps" --repeats "$repeats" | awk '/^ns_per_step/ {print $2}')
# go test prints "BenchmarkTrainStep-N  iterations  T ns/op"; the median of
# the -count runs is taken as for the others.
go=$(GOTORCH_BENCH_THREADS=$threads go test ./models/ -run '^$' -bench '^BenchmarkTrainStep$' \
	-benchtime "${steps}x" -count "$repeats" |
	awk '/^BenchmarkTrainStep/ {print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

awk -v t="$threads" -v n="$steps" -v r="$repeats" -v c="$cpp" -v g="$go" -v p="$py" 'BEGIN {
	printf "threads: %s, steps per run: %s, runs: %s (median)\n", t, n, r
	printf "C++     %8.1f us/step\n", c / 1000
	printf "Go      %8.1f us/step\n", g / 1000
	printf "Python  %8.1f us/step\n", p / 1000
	printf "Go / C++:     %.2f\n", g / c
	printf "Go / Python:  %.2f\n", g / p
	printf "Python / C++: %.2f\n", p / c
}'
