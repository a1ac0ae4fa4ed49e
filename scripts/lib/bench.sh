# shellcheck shell=bash
# Helpers shared by the side-by-side benchmarks (bench_ddp.sh, bench_jit.sh, bench_load.sh,
# bench_memory.sh, bench_overhead.sh, bench_vs_pytorch.sh); source it after
# `set -euo pipefail`.

# need_python_torch NAME: PY is set to the reference Python, which must have torch.
need_python_torch() {
	PY=${PYTHON:-/usr/bin/python3}
	"$PY" -c 'import torch' 2>/dev/null || { echo "$1: $PY has no torch (scripts/install_libtorch.sh --with-python)" >&2; exit 1; }
}

# need_time NAME: exits unless /usr/bin/time, which peak needs, is there.
need_time() {
	[[ -x /usr/bin/time ]] || { echo "$1: needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
}

# peak CMD... (after need_time): the command's maximum resident set size in KiB (its stdout dropped).
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'; }

# median N...: the median of the numbers given.
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# cpp_setup PY: the compiler flags of PY's torch (its headers, its libtorch
# and its C++ ABI), for build_cpp. On Debian that is the system libtorch the
# Go side links; with a pip torch, the one the shim was built against.
cpp_setup() {
	local py=$1
	read -r CPP_TORCH CPP_ABI < <("$py" -c 'import torch; print(torch.__version__, int(torch._C._GLIBCXX_USE_CXX11_ABI))')
	CPP_INC=$("$py" -c 'import torch.utils.cpp_extension as c; print(" ".join("-I" + p for p in c.include_paths()))')
	CPP_LIBDIR=$("$py" -c 'import torch.utils.cpp_extension as c; print(c.library_paths()[0])')
	CPP_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/gotorch/bench
	mkdir -p "$CPP_CACHE"
}

# percall_layers DIR: builds the two sides of scripts/bench_percall.py that
# split Go's per-call cost into layers into DIR (the loop in C through
# libcgotorch, scripts/bench_overhead_shim.c; the loop in Go through the raw
# cgo layer, torch/internal/cmd/rawcall) and prints their options. The C side
# links the libcgotorch that pkg-config finds, as the Go build does.
percall_layers() {
	local dir=$1
	# shellcheck disable=SC2046
	cc -O2 -Wall -Icgo scripts/bench_overhead_shim.c -o "$dir/overhead_shim" $(pkg-config --cflags --libs cgotorch)
	go build -o "$dir/rawcall" ./torch/internal/cmd/rawcall
	echo "--c-shim $dir/overhead_shim --go-raw $dir/rawcall"
}

# build_cpp NAME SOURCE LIBS...: compiles a C++ baseline against cpp_setup's
# libtorch once, keeps it in CPP_CACHE keyed by source, libtorch and
# compiler, and prints the binary's path.
build_cpp() {
	local name=$1 src=$2
	shift 2
	local key
	key=$({ cat "$src"; echo "$CPP_TORCH $CPP_ABI $CPP_INC $CPP_LIBDIR $*"; g++ --version | head -1; } | sha256sum | cut -c1-16)
	local bin=$CPP_CACHE/$name-$key
	if [[ ! -x $bin ]]; then
		echo "compiling $src (once; about a minute)..." >&2
		# shellcheck disable=SC2086
		g++ -O2 -std=c++17 -w -D_GLIBCXX_USE_CXX11_ABI="$CPP_ABI" $CPP_INC "$src" -o "$bin.tmp" \
			-L"$CPP_LIBDIR" -Wl,-rpath,"$CPP_LIBDIR" "$@"
		mv "$bin.tmp" "$bin"
	fi
	echo "$bin"
}

# doc_check NAME DOC: exits unless DOC is empty (no --doc) or a writable file.
doc_check() {
	[[ -z $2 || -w $2 ]] || { echo "$1: --doc $2: not a writable file" >&2; exit 2; }
}

# doc_section DOC SECTION MARKDOWN LOAD_BEFORE COMMAND...: writes MARKDOWN (a
# benchmark's tables) into DOC's generated section SECTION, headed by the
# date, commit, machine, versions, the load average before (LOAD_BEFORE, read
# from /proc/loadavg when the benchmark started) and now, and the command
# (scripts/lib/perfdoc.py). Does nothing when DOC is empty.
doc_section() {
	local doc=$1 section=$2 md=$3 load_before=$4
	shift 4
	[[ -n $doc ]] || return 0
	local py=${PY:-/usr/bin/python3}
	PYTHON=$py "$py" "$(dirname "${BASH_SOURCE[0]}")/perfdoc.py" --doc "$doc" --section "$section" --markdown "$md" \
		--command "$*" --load-before "$load_before" --load-after "$(cut -d' ' -f1-3 /proc/loadavg)"
}
