# shellcheck shell=bash
# Helpers shared by the side-by-side memory benchmarks (bench_load.sh,
# bench_memory.sh); source it after `set -euo pipefail`.

# need_python_torch NAME: PY is set to the reference Python, which must have torch.
need_python_torch() {
	PY=${PYTHON:-/usr/bin/python3}
	"$PY" -c 'import torch' 2>/dev/null || { echo "$1: $PY has no torch (scripts/install_libtorch.sh --with-python)" >&2; exit 1; }
	[[ -x /usr/bin/time ]] || { echo "$1: needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
}

# peak CMD...: the command's maximum resident set size in KiB (its stdout dropped).
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'; }

# median N...: the median of the numbers given.
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
