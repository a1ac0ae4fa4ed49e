#!/usr/bin/env bash
# bench_overhead.sh: per-call overhead of `a + b` on 1-element float32 tensors,
# in C++ (libtorch's ATen directly), Python (torch) and Go (gotorch), in one
# run on one machine with one intra-op thread, and the binding's own cost
# (language minus C++) for Go and Python.
#
#   scripts/bench_overhead.sh            # after scripts/install_libtorch.sh --with-python
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
	local c
	for c in "${PYTHON:-}" /usr/bin/python3 python3; do
		[[ -n "$c" ]] && "$c" -c 'import torch' 2>/dev/null && { echo "$c"; return; }
	done
	echo "bench_overhead.sh: no python3 with torch (run scripts/install_libtorch.sh --with-python)" >&2
	exit 1
}
py=$(find_python)
inc=$("$py" -c 'import torch.utils.cpp_extension as c; print(" ".join("-I" + p for p in c.include_paths()))')
lib=$("$py" -c 'import torch.utils.cpp_extension as c; print(c.library_paths()[0])')
abi=$("$py" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2086
g++ -O2 -std=c++17 -D_GLIBCXX_USE_CXX11_ABI="$abi" $inc scripts/bench_overhead.cpp -o "$tmp/overhead" \
	-L"$lib" -Wl,-rpath,"$lib" -ltorch_cpu -lc10

cpp=$("$tmp/overhead" 2000000)
python=$("$py" - <<'PY'
import time, torch
torch.set_num_threads(1)
a, b = torch.ones(1), torch.ones(1)
for _ in range(10000): a + b
best = None
for _ in range(3):
    n = 500000
    t = time.perf_counter()
    for _ in range(n): a + b
    ns = (time.perf_counter() - t) / n * 1e9
    best = ns if best is None else min(best, ns)
print(f"{best:.1f}")
PY
)
gobench=$(go test ./torch/ -run '^$' -bench 'AddTiny' -benchtime 2000000x -count 3)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
go_free=$(awk '/BenchmarkAddTinyFree/ {print $3}' <<<"$gobench" | median)
go_gc=$(awk '/BenchmarkAddTiny-/ {print $3}' <<<"$gobench" | median)

echo "per-call a+b on 1-element tensors, 1 thread, libtorch $("$py" -c 'import torch; print(torch.__version__)')"
printf '%-34s %9s ns\n' "C++ (ATen)" "$cpp" "Python (torch)" "$python" "Go, Free()" "$go_free" "Go, left to the GC" "$go_gc"
awk -v c="$cpp" -v p="$python" -v g="$go_free" -v gc="$go_gc" 'BEGIN {
	printf "binding cost: Python %.0f ns, Go %.0f ns (Free) / %.0f ns (GC); Go/Python = %.2f / %.2f\n", p-c, g-c, gc-c, (g-c)/(p-c), (gc-c)/(p-c)
}'
