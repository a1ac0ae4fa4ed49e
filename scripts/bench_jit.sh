#!/usr/bin/env bash
# bench_jit.sh: the latency of a TorchScript model's forward pass called from
# Go (cmd/jitserve --bench, through torch/jit) and from Python
# (scripts/reference/bench_jit.py bench, torch.jit.load), side by side in one
# run. The models are made by bench_jit.py make in the reference torch:
# pytorch/examples' MNIST CNN (scripted, input 1x28x28) and torchvision's
# resnet18 (traced, input 3x224x224), random weights, and nn.Linear(4, 2)
# (scripted, "tiny": its latency is the cost of a call). For each model and
# batch size 1 and 32, Go then Python (the order flips every round) run 20
# warm-up calls and N timed calls on one random batch, in-process, with the
# same thread count. Prints the median latency per call on each side and
# the Go/Python ratio (below 1: Go is faster), and the p90s.
#
#   scripts/bench_jit.sh [--threads T] [--rounds R] [--out FILE] [--doc docs/performance.md]
#
# Defaults: 1 thread, 1 round (about 2 minutes on 2 cores; resnet18 at batch
# 32 takes 2 s a call on one thread, so it gets 5 timed calls). With R
# rounds a side's figure is the median of its R medians. --out also writes
# the table (markdown) to FILE with the date, commit, machine and versions.
# --doc: write the table, with the date, commit, machine and versions, into
#   that file's generated section "jit" (scripts/lib/perfdoc.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
THREADS=1 ROUNDS=1 OUT="" DOC=""
given="$*"
while [[ $# -gt 0 ]]; do
	case $1 in
	--threads) THREADS=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--doc) DOC=$2; shift 2 ;;
	-h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench_jit.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[[ $THREADS =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench_jit.sh: --threads and --rounds must be positive integers" >&2; exit 2; }
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh"
doc_check bench_jit.sh "$DOC"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
PY=${PYTHON:-/usr/bin/python3}
"$PY" -c 'import torch, torchvision' 2>/dev/null || { echo "bench_jit.sh: $PY has no torch/torchvision (scripts/install_libtorch.sh --with-python)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$ROOT" && go build -o "$TMP/jitserve" ./cmd/jitserve)
"$PY" "$ROOT/scripts/reference/bench_jit.py" make "$TMP" >/dev/null
# Before OMP_NUM_THREADS is set: nproc obeys it.
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
# Both sides get the same OpenMP/MKL thread count from the start, too.
export OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS

# model file, input shape, timed calls at batch 1 and at batch 32
CASES=(
	"tiny 4 5000 5000"
	"mnist_cnn 1,28,28 500 100"
	"resnet18 3,224,224 50 5"
)
echo "machine: $machine"
echo "go: $(go version | cut -d' ' -f3); python: $("$PY" -c 'import torch; print("torch", torch.__version__)')"
echo "threads: $THREADS on both sides; rounds: $ROUNDS"
: >"$TMP/results"
for r in $(seq 1 "$ROUNDS"); do
	for c in "${CASES[@]}"; do
		read -r model shape n1 n32 <<<"$c"
		for b in 1 32; do
			n=$n1
			[[ $b == 32 ]] && n=$n32
			sides=(go py)
			((r % 2)) || sides=(py go)
			for side in "${sides[@]}"; do
				if [[ $side == go ]]; then
					"$TMP/jitserve" --model "$TMP/$model.pt" --input-shape "$shape" --device cpu \
						--threads "$THREADS" --bench "$n" --batch-sizes "$b" >"$TMP/out"
				else
					"$PY" "$ROOT/scripts/reference/bench_jit.py" bench "$TMP/$model.pt" --shape "$shape" \
						--threads "$THREADS" -n "$n" --batch-sizes "$b" >"$TMP/out"
				fi
				[[ $side == go && ! -e $TMP/libtorch ]] && sed -n 's/.*, libtorch \([^,]*\),.*/\1/p' "$TMP/out" >"$TMP/libtorch"
				line=$(grep '^bench ' "$TMP/out")
				echo "round $r $side $model: $line"
				echo "$model $side $line" >>"$TMP/results"
			done
		done
	done
done

# model side "bench" batch=B n=N median_ms=M p90_ms=P ... -> the median per
# model, batch and side of the rounds' medians and p90s.
table=$(sed 's/[a-z_0-9]*=//g' "$TMP/results" | awk '
{ key = $1 " " $4; k = key " " $2; med[k, ++cnt[k]] = $6; p90[k, cnt[k]] = $7; n[key] = $5
  if (!(key in seen)) { seen[key] = 1; order[++nkeys] = key } }
function median(arr, k,   m, i, j, v, tmp) {
	m = cnt[k]
	for (i = 1; i <= m; i++) v[i] = arr[k, i]
	for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { tmp = v[j]; v[j] = v[j-1]; v[j-1] = tmp }
	return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}
END {
	print "| model | batch | timed calls | Go median (ms) | Python median (ms) | Go/Python | Go p90 (ms) | Python p90 (ms) |"
	print "| --- | --- | --- | --- | --- | --- | --- | --- |"
	for (i = 1; i <= nkeys; i++) {
		key = order[i]; split(key, f, " ")
		g = median(med, key " go"); p = median(med, key " py")
		printf "| %s | %s | %s | %.4f | %.4f | %.2f | %.4f | %.4f |\n", f[1], f[2], n[key], g, p, g / p, median(p90, key " go"), median(p90, key " py")
	}
}')
echo
echo "$table"
if [[ -n $OUT ]]; then
	commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
	[[ -z $(cd "$ROOT" && git status --porcelain 2>/dev/null) ]] || commit="$commit (with uncommitted changes)"
	{
		echo "TorchScript forward latency, Go (cmd/jitserve --bench) vs Python (torch.jit.load), scripts/bench_jit.sh --threads $THREADS --rounds $ROUNDS"
		echo
		echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "- commit: $commit"
		echo "- machine: $machine"
		echo "- libtorch $(cat "$TMP/libtorch") (Go); Python torch $("$PY" -c 'import torch; print(torch.__version__)'); $(go version | cut -d' ' -f3)"
		echo "- threads: $THREADS on both sides; 20 warm-up calls, then the timed calls, on one random batch"
		echo
		echo "$table"
	} >"$OUT"
fi
{
	echo "TorchScript forward latency, Go (cmd/jitserve --bench) against Python (torch.jit.load): $THREADS thread(s) on both sides; per model and batch, 20 warm-up calls, then the timed calls, on one random batch; each figure is the median of $ROUNDS round(s)' medians, alternating which side goes first:"
	echo
	echo "$table"
} >"$TMP/jit.md"
doc_section "$DOC" jit "$TMP/jit.md" "$load_before" "scripts/bench_jit.sh${given:+ $given}"
