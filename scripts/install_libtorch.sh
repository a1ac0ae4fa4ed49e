#!/usr/bin/env bash
# Makes this machine ready for gotorch: finds (or installs) libtorch, builds the C ABI
# shim in cgo/ into libcgotorch.so, and installs it with cgotorch.h and cgotorch.pc
# where the Go packages' `#cgo pkg-config: cgotorch` finds them. Safe to re-run: a
# second run takes seconds and rebuilds the shim only when its sources changed.
#
# libtorch is looked for in this order:
#   1. $LIBTORCH            a libtorch folder (include/ and lib/), e.g. an unzipped official one
#   2. a python with torch  $PYTHON, then python3 on PATH, then /usr/bin/python3: the first
#                           whose `import torch` works; its libtorch is used (CUDA included
#                           when it has libtorch_cuda.so, with its _GLIBCXX_USE_CXX11_ABI)
#   3. Debian/Ubuntu apt    libtorch-dev (CPU) with libopenblas0-openmp; libblas.so.3 and
#                           liblapack.so.3 are pointed at OpenBLAS' OpenMP build (Debian's
#                           reference BLAS makes libtorch ~9x slower on matmuls)
#   4. download             the official libtorch zip (cxx11 ABI, shared-with-deps) from
#                           download.pytorch.org into ~/.cache/gotorch/
# Debian's own python3-torch counts as 3 (it is the same libtorch as libtorch-dev).
# `--cuda VER` skips 2 and 3 and downloads the official zip for that CUDA (or cpu).
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/install_libtorch.sh [--with-python] [--prefix DIR] [--cuda VER] [--shim-only]

Finds libtorch, builds cgo/ into libcgotorch.so and installs it, with cgotorch.h
and lib/pkgconfig/cgotorch.pc, into a prefix that pkg-config searches.

Options:
  --with-python  also install the reference Python (apt: python3-torch,
                 python3-torchvision) that the parity tests compare against
  --prefix DIR   where to install (default: /usr/local as root, else ~/.local;
                 a prefix pkg-config does not search prints the PKG_CONFIG_PATH
                 line to add to your shell profile)
  --cuda VER     download the official libtorch for CUDA VER (11.8, 12.6, 12.8)
                 or "cpu" instead of using a python's or Debian's libtorch
  --shim-only    for Go binaries built elsewhere (scripts/gpu_check.sh): no
                 pkg-config needed; the check program links with plain flags
  -h, --help     this text

Environment:
  LIBTORCH=DIR           use this libtorch folder (has include/ and lib/)
  PYTHON=EXE             try this python's torch first
  LIBTORCH_VERSION=X.Y.Z version the download fetches (default 2.7.1)
EOF
}

say() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
# die MESSAGE [FIX...]: prints the problem and how to fix it, then exits.
die() {
	printf '\nerror: %s\n' "$1" >&2
	shift
	local fix
	for fix in "$@"; do printf '  fix: %s\n' "$fix" >&2; done
	exit 1
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WITH_PYTHON=0
SHIM_ONLY=0
PREFIX=
CUDA_OPT=
DEFAULT_LIBTORCH_VERSION=2.7.1

while (($#)); do
	case $1 in
	--with-python) WITH_PYTHON=1 ;;
	--shim-only) SHIM_ONLY=1 ;;
	--prefix) (($# > 1)) || die "--prefix needs a folder" "scripts/install_libtorch.sh --prefix \$HOME/.local"
		PREFIX=$2; shift ;;
	--prefix=*) PREFIX=${1#*=} ;;
	--cuda) (($# > 1)) || die "--cuda needs a version" "scripts/install_libtorch.sh --cuda 12.8 (or --cuda cpu)"
		CUDA_OPT=$2; shift ;;
	--cuda=*) CUDA_OPT=${1#*=} ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" "see scripts/install_libtorch.sh --help" ;;
	esac
	shift
done

is_root() { [[ $(id -u) -eq 0 ]]; }

if [[ -z $PREFIX ]]; then
	if is_root; then PREFIX=/usr/local; else PREFIX=$HOME/.local; fi
fi
mkdir -p "$PREFIX" 2>/dev/null || die "cannot create prefix $PREFIX" "pick a writable one: --prefix \$HOME/.local, or run as root"
PREFIX=$(cd "$PREFIX" && pwd -P)

# --- packages -------------------------------------------------------------------------

APT_UPDATED=0
APT_LOG=$(mktemp "${TMPDIR:-/tmp}/gotorch-apt.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotorch-setup.XXXXXX")
trap 'rm -rf "$WORK" "$APT_LOG"' EXIT

have() { command -v "$1" >/dev/null 2>&1; }

pkg_installed() {
	have dpkg-query || return 1
	# shellcheck disable=SC2016 # ${...} is dpkg-query's format, not a shell expansion
	[[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

apt_update() {
	((APT_UPDATED)) && return 0
	say "apt-get update"
	apt-get update -q >>"$APT_LOG" 2>&1 || { tail -n 20 "$APT_LOG" >&2; die "apt-get update failed" "check the network and /etc/apt/sources.list, then re-run"; }
	APT_UPDATED=1
}

# apt_install PKG...: installs those not installed yet; nothing to do costs no apt call.
apt_install() {
	local missing=() p
	for p; do pkg_installed "$p" || missing+=("$p"); done
	((${#missing[@]})) || return 0
	have apt-get || die "missing packages: ${missing[*]}, and no apt-get here" "install the equivalents of: ${missing[*]}"
	is_root || die "missing packages: ${missing[*]}" "sudo apt-get install -y ${missing[*]}   (or run this script with sudo)"
	apt_update
	say "apt-get install ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$APT_LOG" 2>&1 ||
		{ tail -n 20 "$APT_LOG" >&2; die "apt-get install ${missing[*]} failed" "see the apt output above; fix apt, then re-run"; }
}

# need_tools CMD:PKG...: makes sure each command exists, installing its package if needed.
need_tools() {
	local pair pkgs=()
	for pair; do have "${pair%%:*}" || pkgs+=("${pair#*:}"); done
	((${#pkgs[@]})) || return 0
	apt_install "${pkgs[@]}"
}

need_tools g++:g++ make:make nm:binutils ldd:libc-bin
# The check program is C; g++ compiles it where there is no cc.
CC_CMD=(cc)
have cc || CC_CMD=(g++ -x c)
((SHIM_ONLY)) || need_tools pkg-config:pkg-config

if ((WITH_PYTHON)); then
	apt_install python3-torch python3-torchvision
	REF_PY_VERSION=$(/usr/bin/python3 -c 'import torch, torchvision; print(torch.__version__)' 2>/dev/null) ||
		die "/usr/bin/python3 cannot import torch and torchvision" "sudo apt-get install --reinstall python3-torch python3-torchvision"
fi

# --- finding libtorch -----------------------------------------------------------------
# Each finder sets these and returns 0, or returns 1 to fall through to the next one.
SOURCE='' TORCH_VERSION='' TORCH_HOME='' TORCH_INCLUDE='' TORCH_LIBDIR='' CXX11_ABI='' WITH_CUDA=0 CUDA_INCLUDE='' CUDA_VERSION=''

no_spaces() {
	[[ $1 != *[[:space:]]* ]] || die "path with spaces: '$1' (the shim's Makefile cannot take it)" "move or link libtorch to a path without spaces and set LIBTORCH to it"
}

# has_header DIRS FILE: whether FILE exists under one of the space-separated DIRS.
has_header() {
	local d
	for d in $1; do [[ -f $d/$2 ]] && return 0; done
	return 1
}

# header_version DIRS: "X.Y.Z" from torch/version.h.
header_version() {
	local d f
	for d in $1; do
		f=$d/torch/version.h
		[[ -f $f ]] || continue
		awk '/#define TORCH_VERSION_(MAJOR|MINOR|PATCH) /{v[$2]=$3}
			END{if (v["TORCH_VERSION_MAJOR"] != "") printf "%s.%s.%s\n", v["TORCH_VERSION_MAJOR"], v["TORCH_VERSION_MINOR"], v["TORCH_VERSION_PATCH"]}' "$f"
		return 0
	done
}

# abi_of LIBDIR: 1 when libc10.so was built with the C++11 std::string ABI, else 0.
abi_of() {
	if nm -DC --defined-only "$1/libc10.so" 2>/dev/null | grep __cxx11 >/dev/null; then echo 1; else echo 0; fi
}

# cuda_includes [SITE]: the folders with cuda_runtime_api.h and friends a CUDA build of the
# shim compiles against: pip's nvidia/*/include wheels under SITE, then the CUDA toolkit's.
cuda_includes() {
	local dirs=() d
	if [[ -n ${1:-} ]]; then
		for d in "$1"/nvidia/*/include; do [[ -d $d ]] && dirs+=("$d"); done
	fi
	for d in "${CUDA_HOME:-}" "${CUDA_PATH:-}" /usr/local/cuda; do
		[[ -n $d && -d $d/include ]] && dirs+=("$(cd "$d/include" && pwd -P)")
	done
	((${#dirs[@]})) || return 0
	printf '%s\n' "${dirs[@]}" | awk '!seen[$0]++' | paste -sd' ' -
}

check_cuda_headers() {
	((WITH_CUDA)) || return 0
	has_header "$TORCH_INCLUDE $CUDA_INCLUDE" cuda_runtime_api.h ||
		warn "libtorch has CUDA but no cuda_runtime_api.h was found; install the CUDA toolkit (or pip's nvidia-cuda-runtime-cu12) or set CUDA_HOME"
}

# from_libtorch_dir DIR: a libtorch folder laid out like the official zip.
from_libtorch_dir() {
	local d
	[[ -d $1 ]] || die "LIBTORCH=$1 is not a folder" "point LIBTORCH at an unzipped libtorch (the folder holding include/ and lib/), or unset it"
	d=$(cd "$1" && pwd -P)
	no_spaces "$d"
	[[ -f $d/include/ATen/ATen.h && -f $d/include/torch/csrc/api/include/torch/torch.h ]] ||
		die "no libtorch headers in $d/include (ATen/ATen.h, torch/csrc/api/include/torch/torch.h)" "point LIBTORCH at the libtorch folder itself (it holds include/ and lib/), or unset it"
	[[ -e $d/lib/libtorch.so && -e $d/lib/libc10.so ]] ||
		die "no libtorch.so/libc10.so in $d/lib" "point LIBTORCH at a shared libtorch build (the 'shared-with-deps' zip), or unset it"
	TORCH_HOME=$d
	TORCH_INCLUDE="$d/include $d/include/torch/csrc/api/include"
	TORCH_LIBDIR=$d/lib
	CXX11_ABI=$(abi_of "$d/lib")
	TORCH_VERSION=$(header_version "$TORCH_INCLUDE")
	[[ -f $d/build-version ]] && TORCH_VERSION=$(<"$d/build-version")
	if [[ -e $d/lib/libtorch_cuda.so ]]; then
		WITH_CUDA=1
		CUDA_INCLUDE=$(cuda_includes)
		[[ $TORCH_VERSION == *+* ]] && CUDA_VERSION=${TORCH_VERSION#*+}
	fi
}

# from_python: the libtorch inside the first python whose `import torch` works.
from_python() {
	local cands=() py out key val inc=() lib='' site='' torchdir='' abi='' cuda=''
	[[ -n ${PYTHON:-} ]] && cands+=("$PYTHON")
	for py in python3 /usr/bin/python3; do [[ $py == "${PYTHON:-}" ]] || cands+=("$py"); done
	for py in "${cands[@]}"; do
		if ! have "$py"; then
			[[ $py == "${PYTHON:-}" ]] && warn "PYTHON=$PYTHON is not a command; trying the next python"
			continue
		fi
		if ! out=$("$py" - 2>/dev/null <<'EOF'
import os, torch
d = os.path.dirname(os.path.realpath(torch.__file__))
try:
    from torch.utils import cpp_extension as ce
    inc, lib = ce.include_paths(), ce.library_paths()
except Exception:  # cpp_extension needs setuptools; its answer is this:
    inc = [os.path.join(d, "include"), os.path.join(d, "include", "torch", "csrc", "api", "include")]
    lib = [os.path.join(d, "lib")]
print("gt:version=" + torch.__version__)
print("gt:torchdir=" + d)
print("gt:site=" + os.path.dirname(d))
print("gt:abi=%d" % int(torch._C._GLIBCXX_USE_CXX11_ABI))
print("gt:cuda=" + (torch.version.cuda or ""))
for p in inc: print("gt:inc=" + p)
for p in lib: print("gt:lib=" + p)
EOF
		); then
			[[ $py == "${PYTHON:-}" ]] && warn "PYTHON=$PYTHON cannot import torch; trying the next python"
			continue
		fi
		inc=() lib='' TORCH_VERSION=''
		while IFS='=' read -r key val; do
			case $key in
			gt:version) TORCH_VERSION=$val ;;
			gt:torchdir) torchdir=$val ;;
			gt:site) site=$val ;;
			gt:abi) abi=$val ;;
			gt:cuda) cuda=$val ;;
			gt:inc) [[ -d $val ]] && inc+=("$val") ;;
			gt:lib) [[ -z $lib && -e $val/libtorch.so ]] && lib=$val ;;
			esac
		done <<<"$out"
		py=$(command -v "$py")
		if [[ $torchdir == /usr/lib/python3/* ]]; then
			note "$py has Debian's python3-torch $TORCH_VERSION: using the same libtorch from apt (libtorch-dev)"
			return 1
		fi
		if [[ -z $lib ]] || ! has_header "${inc[*]}" ATen/ATen.h; then
			note "$py has torch $TORCH_VERSION at $torchdir, but without C++ headers or libtorch.so; skipping it"
			continue
		fi
		for val in "${inc[@]}" "$lib"; do no_spaces "$val"; done
		SOURCE="python: $py (torch $TORCH_VERSION)"
		TORCH_HOME=$torchdir
		TORCH_INCLUDE="${inc[*]}"
		TORCH_LIBDIR=$lib
		CXX11_ABI=$abi
		if [[ -e $lib/libtorch_cuda.so ]]; then
			WITH_CUDA=1
			CUDA_VERSION=$cuda
			CUDA_INCLUDE=$(cuda_includes "$site")
		fi
		return 0
	done
	return 1
}

# use_openblas_openmp MULTIARCH: points libblas.so.3/liblapack.so.3 at OpenBLAS' OpenMP build.
use_openblas_openmp() {
	local ma=$1 name want cur
	have update-alternatives || return 0
	for name in libblas.so.3 liblapack.so.3; do
		want=/usr/lib/$ma/openblas-openmp/$name
		[[ -e $want ]] || { warn "$want is missing; libtorch will use whatever $name is"; continue; }
		cur=$(update-alternatives --query "$name-$ma" 2>/dev/null | sed -n 's/^Value: //p' || true)
		[[ $cur == "$want" ]] && continue
		if is_root; then
			say "changing the system BLAS: $name now points at $want (was ${cur:-unset}); Debian's reference BLAS makes libtorch ~9x slower on matmuls"
			update-alternatives --set "$name-$ma" "$want" >/dev/null
		else
			warn "$name points at ${cur:-nothing}, which makes libtorch slow; fix: sudo update-alternatives --set $name-$ma $want"
		fi
	done
}

# from_apt: Debian's/Ubuntu's libtorch-dev (CPU).
from_apt() {
	have dpkg-query || return 1
	if ! pkg_installed libtorch-dev; then
		have apt-get || return 1
		if ! is_root; then
			note "Debian's libtorch-dev is not installed and installing it needs root (sudo scripts/install_libtorch.sh)"
			return 1
		fi
		apt_update
		if ! apt-cache policy libtorch-dev 2>/dev/null | grep 'Candidate:' | grep -v '(none)' >/dev/null; then
			note "apt has no libtorch-dev package in this release"
			return 1
		fi
	fi
	# libgloo-dev: the Gloo headers libtorch's c10d headers include (torch.distributed).
	apt_install libtorch-dev libopenblas0-openmp libgloo-dev
	local so
	so=$(dpkg-query -L libtorch-dev | grep '/libtorch\.so$' | head -n 1 || true)
	[[ -n $so ]] || die "libtorch-dev is installed but has no libtorch.so" "sudo apt-get install --reinstall libtorch-dev"
	TORCH_LIBDIR=$(dirname "$so")
	TORCH_HOME=$TORCH_LIBDIR
	TORCH_INCLUDE="/usr/include /usr/include/torch/csrc/api/include"
	has_header "$TORCH_INCLUDE" ATen/ATen.h || die "libtorch-dev's headers are missing (/usr/include/ATen/ATen.h)" "sudo apt-get install --reinstall libtorch-dev"
	CXX11_ABI=$(abi_of "$TORCH_LIBDIR")
	TORCH_VERSION=$(header_version "$TORCH_INCLUDE")
	SOURCE="apt: libtorch-dev $(dpkg-query -W -f='${Version}' libtorch-dev)"
	[[ -e $TORCH_LIBDIR/libtorch_cuda.so ]] && WITH_CUDA=1
	use_openblas_openmp "$(basename "$TORCH_LIBDIR")"
	return 0
}

# from_download: the official libtorch zip, unzipped once into ~/.cache/gotorch.
from_download() {
	local ver=${LIBTORCH_VERSION:-$DEFAULT_LIBTORCH_VERSION} tag dest url zip
	case ${CUDA_OPT:-cpu} in
	cpu) tag=cpu ;;
	cu[0-9]*) tag=$CUDA_OPT ;;
	[0-9]*.[0-9]*) tag=cu${CUDA_OPT//./} ;;
	*) die "--cuda $CUDA_OPT: want a CUDA version like 12.8, or cpu" "scripts/install_libtorch.sh --cuda 12.8" ;;
	esac
	dest=${XDG_CACHE_HOME:-$HOME/.cache}/gotorch/libtorch-$ver+$tag
	if [[ ! -e $dest/libtorch/lib/libtorch.so ]]; then
		need_tools unzip:unzip curl:curl
		url=https://download.pytorch.org/libtorch/$tag/libtorch-cxx11-abi-shared-with-deps-$ver%2B$tag.zip
		zip=$dest.zip
		mkdir -p "$(dirname "$dest")"
		say "downloading libtorch $ver+$tag: $url"
		local progress=--progress-bar
		[[ -n ${CI:-} ]] && progress=--silent
		if ! curl -fL --retry 3 "$progress" --show-error -o "$zip" "$url"; then
			rm -f "$zip"
			die "could not download $url" \
				"check that libtorch $ver exists for $tag at https://pytorch.org/get-started/locally/ and pick it with LIBTORCH_VERSION=... and --cuda ..." \
				"or unzip a libtorch yourself and set LIBTORCH=/path/to/libtorch"
		fi
		rm -rf "$dest.tmp"
		unzip -q "$zip" -d "$dest.tmp" || die "could not unzip $zip" "delete it and re-run"
		rm -rf "$dest"
		mv "$dest.tmp" "$dest"
		rm -f "$zip"
	fi
	from_libtorch_dir "$dest/libtorch"
	SOURCE="download: $dest/libtorch"
}

say "looking for libtorch"
if [[ -n ${LIBTORCH:-} ]]; then
	from_libtorch_dir "$LIBTORCH"
	SOURCE="LIBTORCH=$LIBTORCH"
elif [[ -n $CUDA_OPT ]]; then
	from_download
elif from_python || from_apt; then
	:
else
	note "no libtorch from \$LIBTORCH, a python with torch, or apt: downloading the official CPU build"
	from_download
fi
check_cuda_headers

[[ -n $TORCH_VERSION ]] || TORCH_VERSION=unknown
[[ $CXX11_ABI == [01] ]] || die "could not tell the C++ ABI of $TORCH_LIBDIR/libc10.so" "make sure nm (binutils) works, then re-run"
if ((WITH_CUDA)); then DEVICE="CUDA ${CUDA_VERSION:-?}"; else DEVICE=CPU; fi
say "using libtorch $TORCH_VERSION ($DEVICE, _GLIBCXX_USE_CXX11_ABI=$CXX11_ABI) from $SOURCE"
((WITH_CUDA)) && note "CUDA headers: ${CUDA_INCLUDE:-none found}"
if ! has_header "$TORCH_INCLUDE /usr/include" gloo/config.h; then
	note "no Gloo headers (gloo/config.h) beside this libtorch's or in /usr/include: the shim is built without torch.distributed (Debian: apt-get install libgloo-dev, then re-run)"
fi

# --- building and installing the shim -------------------------------------------------

BUILD=$ROOT/cgo/build
CONFIG="TORCH_INCLUDE=$TORCH_INCLUDE
TORCH_LIBDIR=$TORCH_LIBDIR
CXX11_ABI=$CXX11_ABI
WITH_CUDA=$WITH_CUDA
CUDA_INCLUDE=$CUDA_INCLUDE
CXX=$(g++ -dumpfullversion 2>/dev/null || g++ -dumpversion)"
if [[ -f $BUILD/config ]]; then
	if [[ $(grep -v '^PREFIX=' "$BUILD/config") != "$CONFIG" ]]; then
		say "libtorch or build flags changed since the last build: cleaning cgo/build"
		make -s -C "$ROOT/cgo" clean
	elif [[ $(grep '^PREFIX=' "$BUILD/config") != "PREFIX=$PREFIX" ]]; then
		rm -f "$BUILD/cgotorch.pc" # it names the prefix; make writes it again
	fi
elif [[ -d $BUILD ]]; then
	say "cgo/build has no record of how it was built: cleaning it"
	make -s -C "$ROOT/cgo" clean
fi

say "building and installing libcgotorch.so into $PREFIX"
MAKE_ARGS=(
	--no-print-directory -C "$ROOT/cgo" -j"$(nproc 2>/dev/null || echo 2)"
	"TORCH_INCLUDE=$TORCH_INCLUDE" "TORCH_LIBDIR=$TORCH_LIBDIR" "CXX11_ABI=$CXX11_ABI"
	"WITH_CUDA=$WITH_CUDA" "CUDA_INCLUDE=$CUDA_INCLUDE" "PREFIX=$PREFIX"
)
mkdir -p "$BUILD"
printf '%s\nPREFIX=%s\n' "$CONFIG" "$PREFIX" >"$BUILD/config"
make "${MAKE_ARGS[@]}" install ||
	die "building the shim against $TORCH_HOME failed (compiler output above)" \
		"if libtorch changed, re-run after: make -C cgo clean" \
		"or point at another libtorch: LIBTORCH=/path/to/libtorch scripts/install_libtorch.sh"
# Under sudo, leave cgo/build owned by the user so that a later run without sudo works.
if [[ -n ${SUDO_UID:-} && -n ${SUDO_GID:-} ]]; then
	chown -R "$SUDO_UID:$SUDO_GID" "$BUILD" || true
fi

# --- checking the result end to end ---------------------------------------------------

PC_DIR=$PREFIX/lib/pkgconfig
EXPORT_LINE=
if ((SHIM_ONLY)); then
	# Go binaries built elsewhere find the library through LD_LIBRARY_PATH or RUNPATH.
	# shellcheck disable=SC2054 # the commas are the linker's (-Wl,-rpath,DIR), not separators
	PC_FLAGS=(-I"$PREFIX/include" -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" -Wl,-rpath,"$TORCH_LIBDIR" -lcgotorch)
else
	case ":${PKG_CONFIG_PATH:-}:$(pkg-config --variable pc_path pkg-config 2>/dev/null):" in
	*":$PC_DIR:"*) ;;
	*)
		EXPORT_LINE="export PKG_CONFIG_PATH=$PC_DIR\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}"
		export PKG_CONFIG_PATH=$PC_DIR${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
		;;
	esac
	FOUND_PREFIX=$(pkg-config --variable=prefix cgotorch 2>/dev/null) ||
		die "pkg-config cannot find cgotorch after installing $PC_DIR/cgotorch.pc" "check $PC_DIR/cgotorch.pc exists and PKG_CONFIG_PATH includes $PC_DIR"
	[[ $FOUND_PREFIX == "$PREFIX" ]] ||
		die "pkg-config finds another cgotorch first, in $FOUND_PREFIX (Go would link that one)" \
			"remove $FOUND_PREFIX/lib/pkgconfig/cgotorch.pc, or re-run with --prefix $FOUND_PREFIX"
	read -ra PC_FLAGS <<<"$(pkg-config --cflags --libs cgotorch)"
fi

cat >"$WORK/check.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <cgotorch.h>

int main(void) {
	char *v;
	if (gt_abi_version() != CGOTORCH_ABI_VERSION) {
		fprintf(stderr, "libcgotorch.so has ABI %d, cgotorch.h has %d\n", gt_abi_version(), CGOTORCH_ABI_VERSION);
		return 1;
	}
	v = gt_torch_version();
	printf("%d %s %d\n", gt_abi_version(), v ? v : "?", gt_cuda_compiled());
	free(v);
	return 0;
}
EOF
"${CC_CMD[@]}" -o "$WORK/check" "$WORK/check.c" "${PC_FLAGS[@]}" ||
	die "a C program cannot compile and link against the installed cgotorch (${PC_FLAGS[*]})" \
		"re-run scripts/install_libtorch.sh; if it persists: make -C cgo clean, then re-run"
CHECK=$("$WORK/check") ||
	die "a C program linked against $PREFIX/lib/libcgotorch.so does not run (output above)" \
		"make sure $TORCH_LIBDIR still holds libtorch, then: make -C cgo clean && scripts/install_libtorch.sh"
read -r SHIM_ABI SHIM_TORCH SHIM_CUDA <<<"$CHECK"

# --- report ---------------------------------------------------------------------------

BLAS=$(ldd "$TORCH_LIBDIR/libtorch_cpu.so" 2>/dev/null | awk '/libblas|libopenblas|libmkl/ {print $3; exit}' || true)
if [[ -n $BLAS ]]; then BLAS=$(readlink -f "$BLAS"); else BLAS="linked into libtorch_cpu.so (no shared BLAS)"; fi
((WITH_CUDA)) && DEVICE="$DEVICE (shim built with CUDA: $SHIM_CUDA; CUDA headers: ${CUDA_INCLUDE:-none})"

echo
say "gotorch is set up"
note "libtorch   $TORCH_VERSION ($SHIM_TORCH per the shim)"
note "found by   $SOURCE"
note "headers    $TORCH_INCLUDE"
note "libs       $TORCH_LIBDIR"
note "device     $DEVICE"
note "C++ ABI    _GLIBCXX_USE_CXX11_ABI=$CXX11_ABI"
note "BLAS       $BLAS"
note "prefix     $PREFIX (lib/libcgotorch.so, include/cgotorch.h, lib/pkgconfig/cgotorch.pc)"
note "check      gt_abi_version()=$SHIM_ABI gt_torch_version()=$SHIM_TORCH: ok"
if ((WITH_PYTHON)); then note "reference  /usr/bin/python3 with torch $REF_PY_VERSION"; fi
if [[ -n $EXPORT_LINE ]]; then
	echo
	say "$PC_DIR is not on pkg-config's default path; add this to your shell profile:"
	echo "    $EXPORT_LINE"
fi
echo
note "next: go test ./..."
