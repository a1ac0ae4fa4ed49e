#!/usr/bin/env bash
# bench_mnist_cnn.sh: pytorch/examples' MNIST CNN in Go (cmd/mnist-cnn) and in
# Python (scripts/reference/mnist_cnn.py, the same main.py), side by side in
# one run: each run trains --epochs epochs on both sides with the same seed,
# batch size, thread count and libtorch/BLAS, alternating Go and Python so
# that both see the same load. Prints every epoch's training time and test
# accuracy, then the medians per epoch and the Go/Python ratio.
#
#   scripts/bench_mnist_cnn.sh [--epochs E] [--runs R] [--threads T] [--data DIR] [--out FILE]
#
# Defaults: 1 epoch, 1 run, threads = the number of cores, data =
# $GOTORCH_DATA or ~/.cache/gotorch/data (fetch it with go run ./cmd/getdata).
# --out also writes the result table (markdown) to FILE.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EPOCHS=1 RUNS=1 THREADS=$(nproc) DATA=${GOTORCH_DATA:-$HOME/.cache/gotorch/data} OUT=""
while [[ $# -gt 0 ]]; do
	case $1 in
	--epochs) EPOCHS=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--threads) THREADS=$2; shift 2 ;;
	--data) DATA=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	-h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench_mnist_cnn.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
PY=${PYTHON:-/usr/bin/python3}
"$PY" -c 'import torch, torchvision' 2>/dev/null || { echo "bench_mnist_cnn.sh: $PY has no torch/torchvision (scripts/install_libtorch.sh --with-python)" >&2; exit 1; }
[[ -e $DATA/MNIST/raw/train-images-idx3-ubyte || -e $DATA/MNIST/raw/train-images-idx3-ubyte.gz ]] ||
	{ echo "bench_mnist_cnn.sh: no MNIST in $DATA/MNIST/raw: run go run ./cmd/getdata" >&2; exit 1; }
# torchvision's MNIST(download=False) reads the un-gzipped files.
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
	[[ -e $DATA/MNIST/raw/$f ]] || gunzip -k "$DATA/MNIST/raw/$f.gz"
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$ROOT" && go build -o "$TMP/mnist-cnn" ./cmd/mnist-cnn)
ARGS=(--epochs "$EPOCHS" --threads "$THREADS" --data "$DATA")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "go: $(go version | cut -d' ' -f3); python: $("$PY" -c 'import torch, torchvision; print(torch.__version__, "torchvision", torchvision.__version__)')"
echo "threads: $THREADS on both sides; epochs per run: $EPOCHS; runs: $RUNS"
for r in $(seq 1 "$RUNS"); do
	"$TMP/mnist-cnn" "${ARGS[@]}" >"$TMP/go-$r.log"
	(cd "$ROOT/scripts/reference" && "$PY" mnist_cnn.py "${ARGS[@]}") >"$TMP/py-$r.log"
	for side in go py; do
		grep '^epoch ' "$TMP/$side-$r.log" | sed "s/^/run $r $side: /"
	done
done

# The median training time and the accuracy of each epoch, per side.
table=$(for side in go py; do
	cat "$TMP"/$side-*.log | sed -n "s/^epoch \([0-9]*\): train \([0-9.]*\)s, test accuracy \([0-9.]*\)%.*/$side \1 \2 \3/p"
done | sort -k1,1 -k2,2n -k3,3n | awk '
{ key = $1 " " $2; t[key, ++n[key]] = $3; acc[key] = $4; epochs[$2] = 1 }
function median(key,   m) { m = n[key]; return (m % 2) ? t[key, (m + 1) / 2] : (t[key, m / 2] + t[key, m / 2 + 1]) / 2 }
END {
	print "| epoch | Go train (s) | Python train (s) | Go/Python | Go accuracy | Python accuracy |"
	print "| --- | --- | --- | --- | --- | --- |"
	for (e = 1; e in epochs; e++) {
		g = median("go " e); p = median("py " e)
		printf "| %d | %.1f | %.1f | %.2f | %s%% | %s%% |\n", e, g, p, g / p, acc["go " e], acc["py " e]
	}
}')
echo
echo "$table"
[[ -z $OUT ]] || echo "$table" >"$OUT"
