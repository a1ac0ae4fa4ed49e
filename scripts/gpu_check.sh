#!/usr/bin/env bash
# gpu_check.sh: proves gotorch on an NVIDIA GPU end to end, in one run with one log.
#
# On a Linux machine with an NVIDIA GPU and a CUDA libtorch (a pip `torch` with CUDA,
# or an unzipped official libtorch in $LIBTORCH), it
#   1. builds libcgotorch.so against that libtorch with CUDA (scripts/install_libtorch.sh,
#      which links libtorch_cuda with --no-as-needed) and checks with ldd that the Go
#      binaries load that very library, and that it links libtorch_cuda;
#   2. the CUDA part first: every package's CUDA tests (-test.run CUDA, with
#      GOTORCH_REQUIRE_CUDA=1: a CUDA test that would skip fails instead); the tutorial's
#      model, Adam and one batch in Python's torch and in Go (internal/cmd/cudamem) on the same
#      GPU, comparing memory_allocated, max_memory_allocated and memory_reserved after
#      each stage to the byte (scripts/gpu_memory.py); and cmd/mnist --device cuda for 3
#      epochs, whose test accuracy must reach 97%;
#   3. then the rest of every package's tests (-test.skip CUDA), --jobs binaries at a
#      time (the slowest first), cmd/memtable and cmd/gpustat;
#   4. all within a time budget (--budget, default 480 s): a step that would start after
#      it is NOT RUN, one that runs past it is stopped and FAILs;
#   5. writes a log per step, the whole log and a summary table (summary.txt) into one
#      folder (--out), and exits non-zero when any step failed.
#
# Go may be missing on the GPU machine: `--prepare DIR` (on a machine with Go) builds the
# test binaries and programs into DIR/bin and copies the sources, the scripts and the
# MNIST files (from the dataset root, $GOTORCH_DATA or ~/.cache/gotorch/data) into DIR,
# and packs DIR into DIR.tar.xz (at most 60 MiB); carry that over, unpack it and run
# DIR/gpu_check.sh there: it needs bash, g++, make and a pip torch with CUDA, and no Go,
# pkg-config or network. The Go side only sees the C ABI in cgo/cgotorch.h, so binaries
# built against the CPU shim run against the CUDA one.
#
# `--cpu-dry-run` runs the same steps on a machine without a GPU, with a CPU build of the
# shim installed into a private prefix, to check the plumbing; what needs CUDA is SKIP.
set -uo pipefail

usage() {
	cat <<'EOF'
Usage:
  scripts/gpu_check.sh --prepare DIR       build the Go binaries and copy what the GPU
                                           machine needs into DIR, packed as DIR.tar.xz
                                           (needs Go, git, xz and MNIST in the dataset root)
  DIR/gpu_check.sh [options]               on the GPU machine, from a prepared DIR
  scripts/gpu_check.sh [options]           on a GPU machine with Go: builds, then runs

Options:
  --bin DIR        use the prepared DIR (default: the folder this script is in, when it
                   is a prepared one; otherwise build one into .gpu_bundle/ with Go)
  --out DIR        where the logs and summary.txt go (default: DIR/logs/DATE)
  --log FILE       the whole log (default: OUT/gpu_check.log)
  --budget SECS    the time budget for all steps (default 480); a step that would
                   start after it is NOT RUN, one running past it is stopped
  --prefix DIR     where to install libcgotorch.so (default: /usr/local as root, else
                   ~/.local; with --cpu-dry-run: DIR/prefix); binaries are pointed at
                   it with LD_LIBRARY_PATH, and ldd checks that they load it
  --jobs N         test binaries run at once in step 3 (default: the cores, at most 8),
                   each with OMP_NUM_THREADS = cores / N when N > 1
  --run REGEX      passed to every test binary as -test.run
  --packages REGEX only the test binaries whose name matches (torch, torch_nn, ...)
  --cpu-dry-run    no GPU needed: CPU shim, CPU devices, CUDA comparisons SKIP
  -h, --help       this text

Environment:
  PYTHON=EXE       the python whose torch (with CUDA) to build against and compare with
  LIBTORCH=DIR     build against this libtorch folder instead (the comparison then needs
                   a python with the same torch version on PATH or in PYTHON)
EOF
}

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
# die MESSAGE [FIX...]: for usage and set-up errors before any step runs.
die() {
	printf '\ngpu_check: error: %s\n' "$1" >&2
	shift
	local fix
	for fix in "$@"; do printf '  fix: %s\n' "$fix" >&2; done
	exit 2
}

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
PREPARE_DIR='' BUNDLE='' LOG='' PREFIX='' DRY=0 RUN_RE='' PKG_RE='' OUT_DIR='' BUDGET=480 JOBS=''
while (($#)); do
	case $1 in
	--prepare) (($# > 1)) || die "--prepare needs a folder" "scripts/gpu_check.sh --prepare /tmp/gpubundle"
		PREPARE_DIR=$2; shift ;;
	--prepare=*) PREPARE_DIR=${1#*=} ;;
	--bin) (($# > 1)) || die "--bin needs the prepared folder" "scripts/gpu_check.sh --bin /tmp/gpubundle"
		BUNDLE=$2; shift ;;
	--bin=*) BUNDLE=${1#*=} ;;
	--log) (($# > 1)) || die "--log needs a file name"; LOG=$2; shift ;;
	--out) (($# > 1)) || die "--out needs a folder"; OUT_DIR=$2; shift ;;
	--out=*) OUT_DIR=${1#*=} ;;
	--budget) (($# > 1)) || die "--budget needs seconds"; BUDGET=$2; shift ;;
	--budget=*) BUDGET=${1#*=} ;;
	--log=*) LOG=${1#*=} ;;
	--prefix) (($# > 1)) || die "--prefix needs a folder"; PREFIX=$2; shift ;;
	--prefix=*) PREFIX=${1#*=} ;;
	--run) (($# > 1)) || die "--run needs a regular expression"; RUN_RE=$2; shift ;;
	--run=*) RUN_RE=${1#*=} ;;
	--packages) (($# > 1)) || die "--packages needs a regular expression"; PKG_RE=$2; shift ;;
	--packages=*) PKG_RE=${1#*=} ;;
	--jobs) (($# > 1)) || die "--jobs needs a number"; JOBS=$2; shift ;;
	--jobs=*) JOBS=${1#*=} ;;
	--cpu-dry-run) DRY=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" "see scripts/gpu_check.sh --help" ;;
	esac
	shift
done
[[ $BUDGET =~ ^[0-9]+$ && $BUDGET -gt 0 ]] || die "--budget wants a positive number of seconds, got '$BUDGET'"
CORES=$(nproc 2>/dev/null || echo 1)
[[ -n $JOBS ]] || JOBS=$((CORES < 8 ? CORES : 8))
[[ $JOBS =~ ^[0-9]+$ && $JOBS -gt 0 ]] || die "--jobs wants a positive number, got '$JOBS'"
# The largest bundle the device tool carries is 64 MiB; leave room for the rest.
MAX_ARCHIVE_BYTES=$((60 * 1024 * 1024))

# A prepared folder: MANIFEST, bin/ (tests.txt lists the test binaries), and src/ unless
# it is used from a checkout (scripts/gpu_check.sh --bin DIR), whose sources then serve.
is_bundle() { [[ -f $1/MANIFEST && -f $1/tests.txt && -d $1/bin ]]; }

# The programs the run uses when they exist, as package folders; each is built into
# bin/ under its last element (cmd/mnist -> bin/mnist).
PROGRAMS=(cmd/mnist cmd/memtable cmd/gpustat internal/cmd/cudamem)

# ---------------------------------------------------------------------------------------
# --prepare DIR
# ---------------------------------------------------------------------------------------

# prepare ROOT DIR: builds the binaries of the checkout at ROOT into DIR/bin and copies
# the rest. Returns non-zero (with the reason printed) on any failure.
prepare() {
	local root=$1 dir=$2 module pkg rel name line f
	have go || { echo "prepare: no go on PATH: build the folder on a machine with Go (go.dev/dl)" >&2; return 1; }
	have git || { echo "prepare: no git on PATH: it lists the files to copy (git ls-files)" >&2; return 1; }
	git -C "$root" rev-parse --git-dir >/dev/null 2>&1 || { echo "prepare: $root is not a git checkout" >&2; return 1; }
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd -P)
	case $dir/ in
	"$root/.gpu_bundle/") ;;
	"$root"/*) echo "prepare: $dir is inside the checkout; pick a folder outside it (or $root/.gpu_bundle, which git ignores)" >&2; return 1 ;;
	esac
	# Never clear a folder this script did not make.
	if [[ ! -e $dir/.gpu_check_bundle && -n $(ls -A "$dir") ]] && ! is_bundle "$dir"; then
		echo "prepare: $dir is not empty and was not made by gpu_check.sh --prepare; pick a new or empty folder" >&2
		return 1
	fi
	: >"$dir/.gpu_check_bundle"
	# Only what this script made is replaced (data/, logs/ and prefix/ are kept).
	rm -rf "${dir:?}/bin" "${dir:?}/src" "$dir/MANIFEST" "$dir/tests.txt" "$dir/gpu_check.sh"
	mkdir -p "$dir/bin" "$dir/src"

	say "copying the sources (git ls-files: tracked and new, not ignored) into $dir/src"
	local n=0
	while IFS= read -r -d '' f; do
		[[ -f $root/$f ]] || continue # deleted in the working tree
		mkdir -p "$dir/src/$(dirname "$f")" && cp -p "$root/$f" "$dir/src/$f" || return 1
		n=$((n + 1))
	done < <(git -C "$root" ls-files -z --cached --others --exclude-standard)
	note "$n files"
	# gpu_memory.py and the parity tests import the tutorial's models from here.
	[[ -f $dir/src/scripts/reference/tutorial.py ]] ||
		{ echo "prepare: scripts/reference/tutorial.py was not copied (is it ignored by git?)" >&2; return 1; }
	cp -p "$root/scripts/gpu_check.sh" "$dir/gpu_check.sh" || return 1

	# MNIST from the dataset root that `go run ./cmd/getdata` fills; the .gz files are
	# enough (the reader unpacks them) and a fifth of the size.
	local data=${GOTORCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/gotorch/data}
	say "copying MNIST ($data/MNIST/raw) so that the tests and cmd/mnist run offline"
	mkdir -p "$dir/data/MNIST/raw" || return 1
	for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
		if [[ -f $data/MNIST/raw/$f.gz ]]; then
			cp -p "$data/MNIST/raw/$f.gz" "$dir/data/MNIST/raw/" || return 1
		else
			echo "prepare: $data/MNIST/raw/$f.gz is missing: run go run ./cmd/getdata (or set GOTORCH_DATA)" >&2
			return 1
		fi
	done

	# A package that does not build is recorded (tests.txt marks it, the run reports it
	# as a failed step) and the others are still built.
	# Go links against the installed shim: one older than the checkout's cgo/ lacks its
	# newest functions, and the link fails with "undefined reference to gt_...".
	local inc
	inc=$(pkg-config --variable=includedir cgotorch 2>/dev/null)
	if [[ -z $inc ]]; then
		echo "prepare: pkg-config finds no cgotorch: run scripts/install_libtorch.sh first (README.md)" >&2
		return 1
	elif ! cmp -s "$inc/cgotorch.h" "$root/cgo/cgotorch.h"; then
		echo "warning: $inc/cgotorch.h differs from $root/cgo/cgotorch.h: the installed libcgotorch.so is older than the checkout; if a link fails below, run scripts/install_libtorch.sh and prepare again" >&2
	fi

	say "building the test binaries (go test -c)"
	module=$(cd "$root" && go list -m) || return 1
	local -a broken=()
	: >"$dir/tests.txt"
	while IFS='|' read -r pkg line; do
		[[ $line == 1 ]] || continue
		rel=${pkg#"$module"}
		rel=${rel#/}
		name=${rel//\//_}
		[[ -n $name ]] || name=root
		note "$pkg -> bin/$name.test"
		if (cd "$root" && go test -c -trimpath -ldflags='-s -w' -o "$dir/bin/$name.test" "$pkg"); then
			printf '%s\t%s\n' "$name" "${rel:-.}" >>"$dir/tests.txt"
		else
			printf '%s\t%s\tbuild failed\n' "$name" "${rel:-.}" >>"$dir/tests.txt"
			broken+=("$pkg")
		fi
	done < <(cd "$root" && go list -f '{{.ImportPath}}|{{if or .TestGoFiles .XTestGoFiles}}1{{end}}' ./...)

	say "building the programs"
	for rel in "${PROGRAMS[@]}"; do
		name=${rel##*/}
		if compgen -G "$root/$rel/*.go" >/dev/null; then
			note "$rel -> bin/$name"
			(cd "$root" && go build -trimpath -ldflags='-s -w' -o "$dir/bin/$name" "./$rel") || broken+=("$rel")
		else
			note "$rel: not in this checkout; skipped (the run will say so)"
		fi
	done

	{
		echo "prepared: $(date -u '+%Y-%m-%d %H:%M:%S UTC') on $(uname -srm)"
		echo "commit:   $(git -C "$root" rev-parse HEAD 2>/dev/null)$([[ -z $(git -C "$root" status --porcelain 2>/dev/null) ]] || echo ' + uncommitted changes (copied as they are)')"
		echo "go:       $(go version)"
		echo "cgotorch: built against $(pkg-config --variable=prefix cgotorch 2>/dev/null || echo '?')/lib/libcgotorch.so"
		f=$(find "$dir/bin" -name '*.test' | head -n 1)
		[[ -n $f ]] && echo "runpath:  $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')"
		echo "tests:    $(cut -f1 "$dir/tests.txt" | paste -sd' ' -)"
		echo "programs: $(cd "$dir/bin" && find . -maxdepth 1 -type f ! -name '*.test' -printf '%f\n' | sort | paste -sd' ' -)"
	} >"$dir/MANIFEST"
	((${#broken[@]})) && echo "build failed: ${broken[*]} " >>"$dir/MANIFEST"
	say "prepared $dir ($(du -sh "$dir" | cut -f1))"
	sed 's/^/    /' "$dir/MANIFEST"

	# One file for the GPU machine, without this machine's logs and prefix.
	local archive=$dir.tar.xz bytes
	say "packing $archive (xz -9)"
	have xz || { echo "prepare: no xz here: apt-get install xz-utils" >&2; return 1; }
	tar -C "$(dirname "$dir")" --exclude="$(basename "$dir")/logs" --exclude="$(basename "$dir")/prefix" \
		-cf - "$(basename "$dir")" | xz -9 -T0 >"$archive.tmp" && mv "$archive.tmp" "$archive" || return 1
	bytes=$(stat -c %s "$archive")
	note "$archive: $((bytes / 1024 / 1024)) MiB ($bytes bytes); unpacked $(du -sm --exclude=logs --exclude=prefix "$dir" | cut -f1) MiB"
	if ((bytes > MAX_ARCHIVE_BYTES)); then
		echo "prepare: $archive is $bytes bytes, more than the $MAX_ARCHIVE_BYTES the GPU machine's transfer allows" >&2
		return 1
	fi
	if ((${#broken[@]})); then
		echo "prepare: these did not build (errors above): ${broken[*]}; the rest is ready, and the run reports them as failed" >&2
		return 1
	fi
	return 0
}

if [[ -n $PREPARE_DIR ]]; then
	[[ -z $BUNDLE && $DRY == 0 && -z $PREFIX ]] || die "--prepare takes no other option"
	ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
	is_bundle "$SCRIPT_DIR" && die "this is a prepared folder's copy of the script; run --prepare from a checkout"
	if ! prepare "$ROOT" "$PREPARE_DIR"; then
		is_bundle "$PREPARE_DIR" || die "--prepare $PREPARE_DIR failed (see above)"
		echo
		note "$PREPARE_DIR is usable, but not everything built (above)"
		exit 1
	fi
	echo
	note "next, on the GPU machine: copy $PREPARE_DIR.tar.xz there, then:"
	note "  tar -xJf $(basename "$PREPARE_DIR").tar.xz && $(basename "$PREPARE_DIR")/gpu_check.sh --out OUTDIR"
	note "(as root it installs libcgotorch.so into /usr/local; see docs/gpu.md)"
	exit 0
fi

# ---------------------------------------------------------------------------------------
# the run: steps, each with its own status, so that one failure hides nothing else
# ---------------------------------------------------------------------------------------

STEP_NAMES=() STEP_STATUS=() STEP_SECS=() STEP_NOTES=()
CUR='' CUR_START=0
begin() {
	CUR=$1
	CUR_START=$SECONDS
	printf '\n============================================================\n'
	printf '=== %s\n' "$CUR"
	printf '============================================================\n'
}
# end STATUS NOTE: STATUS is PASS, FAIL, SKIP or NOT RUN.
end() {
	STEP_NAMES+=("$CUR") STEP_STATUS+=("$1") STEP_SECS+=($((SECONDS - CUR_START))) STEP_NOTES+=("${2:-}")
	printf '>>> %s: %s%s\n' "$CUR" "$1" "${2:+ ($2)}"
	CUR=''
}
# not_run NAME WHY: a step that could not start because an earlier one failed.
not_run() {
	STEP_NAMES+=("$1") STEP_STATUS+=("NOT RUN") STEP_SECS+=(0) STEP_NOTES+=("$2")
	printf '\n>>> %s: NOT RUN (%s)\n' "$1" "$2"
}
summary() {
	summary_table | tee "$OUT/summary.txt"
	return "${PIPESTATUS[0]}"
}
summary_table() {
	local i failed=0 skipped=0
	printf '\n============================================================\n'
	printf '=== summary%s\n' "$( ((DRY)) && echo ' (--cpu-dry-run: no GPU used)')"
	printf '============================================================\n'
	printf '%-40s %-8s %6s  %s\n' step status secs note
	for i in "${!STEP_NAMES[@]}"; do
		printf '%-40s %-8s %6s  %s\n' "${STEP_NAMES[$i]}" "${STEP_STATUS[$i]}" "${STEP_SECS[$i]}" "${STEP_NOTES[$i]}"
		case ${STEP_STATUS[$i]} in FAIL | "NOT RUN" | INTERRUPTED) failed=$((failed + 1)) ;; SKIP) skipped=$((skipped + 1)) ;; esac
	done
	echo
	if ((failed)); then
		echo "gpu_check: FAILED: $failed of ${#STEP_NAMES[@]} steps failed or did not run; $skipped skipped. Log: $LOG"
	else
		echo "gpu_check: OK: ${#STEP_NAMES[@]} steps, $skipped skipped. Log: $LOG"
	fi
	echo "time: $((SECONDS - START))s of the ${BUDGET}s budget"
	return $((failed > 0))
}
finish() {
	local rc=0
	summary || rc=1
	# let tee write the last lines before the shell goes
	exec >&- 2>&-
	wait "$TEE_PID" 2>/dev/null
	exit "$rc"
}
# shellcheck disable=SC2317 # called by the trap below
interrupted() {
	[[ -n $CUR ]] && end INTERRUPTED "stopped by a signal"
	finish
}

# --- where things are -----------------------------------------------------------------

if [[ -z $BUNDLE ]] && is_bundle "$SCRIPT_DIR"; then BUNDLE=$SCRIPT_DIR; fi
BUILD_BUNDLE=0
if [[ -n $BUNDLE ]]; then
	[[ -d $BUNDLE ]] || die "--bin $BUNDLE: no such folder" "make it with scripts/gpu_check.sh --prepare $BUNDLE on a machine with Go"
	BUNDLE=$(cd "$BUNDLE" && pwd -P)
	is_bundle "$BUNDLE" || die "$BUNDLE is not a prepared folder (it lacks MANIFEST, tests.txt or bin/)" "make it with scripts/gpu_check.sh --prepare $BUNDLE"
	if [[ -d $BUNDLE/src ]]; then
		SRC=$BUNDLE/src
	elif [[ -f $SCRIPT_DIR/../cgo/cgotorch.h ]]; then
		SRC=$(cd "$SCRIPT_DIR/.." && pwd -P) # a folder without src/, used from a checkout
	else
		die "$BUNDLE has no src/ and this script is not in a checkout" "carry the whole prepared folder, src/ included"
	fi
else
	# In a checkout: build the shim here, then the binaries with Go into .gpu_bundle/.
	SRC=$(cd "$SCRIPT_DIR/.." && pwd -P)
	[[ -f $SRC/cgo/cgotorch.h && -f $SCRIPT_DIR/install_libtorch.sh ]] ||
		die "$SCRIPT_DIR/gpu_check.sh is neither in a checkout's scripts/ nor in a prepared folder (MANIFEST, tests.txt, bin/ and src/ beside it)" \
			"if --prepare was interrupted, run it again; or pass the prepared folder with --bin DIR"
	have go || die "no Go here and no prepared folder" "on a machine with Go: scripts/gpu_check.sh --prepare DIR, carry DIR here, then DIR/gpu_check.sh"
	BUNDLE=$SRC/.gpu_bundle
	BUILD_BUNDLE=1
	{ mkdir -p "$BUNDLE" && : >"$BUNDLE/.gpu_check_bundle"; } || die "cannot create $BUNDLE"
fi
BIN=$BUNDLE/bin
if [[ -z $PREFIX ]]; then
	if ((DRY)); then
		PREFIX=$BUNDLE/prefix # never touch the system's libcgotorch.so in a dry run
	elif [[ $(id -u) -eq 0 ]]; then
		PREFIX=/usr/local
	else
		PREFIX=$HOME/.local
	fi
fi
mkdir -p "$PREFIX" || die "cannot create --prefix $PREFIX"
PREFIX=$(cd "$PREFIX" && pwd -P)
STAMP=$(date '+%Y%m%d-%H%M%S')
OUT=${OUT_DIR:-$BUNDLE/logs/$STAMP} # per-step outputs, the log and summary.txt
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd -P)
[[ -n $LOG ]] || LOG=$OUT/gpu_check.log
mkdir -p "$(dirname "$LOG")" || die "cannot create the folder of --log $LOG"
: >"$LOG" || die "cannot write --log $LOG"

# Everything from here on goes to the terminal and to the log.
exec > >(tee -a "$LOG") 2>&1
TEE_PID=$!
trap interrupted INT TERM

if ((DRY)); then DEVICE=cpu; else DEVICE=cuda; fi
echo "gpu_check $(date -u '+%Y-%m-%d %H:%M:%S UTC')$( ((DRY)) && echo ' --cpu-dry-run')"
echo "sources: $SRC"
echo "bundle:  $BUNDLE"
echo "prefix:  $PREFIX"
echo "log:     $LOG"
echo "out:     $OUT"
echo "budget:  ${BUDGET}s for all steps"
START=$SECONDS DEADLINE=$((SECONDS + BUDGET))
# The real-MNIST tests and cmd/mnist read the bundle's copy: nothing is downloaded.
export GOTORCH_DATA=$BUNDLE/data
# left: seconds of the budget left.
left() { echo $((DEADLINE - SECONDS)); }
# budgeted CMD...: runs CMD stopped (exit 124) when the budget runs out.
budgeted() {
	local l
	l=$(left)
	((l > 0)) || return 124
	timeout --kill-after=10s "${l}s" "$@"
}
# over_budget STEP: records STEP as not run when the budget is spent; true then.
over_budget() {
	(($(left) > 5)) && return 1
	not_run "$1" "the ${BUDGET}s time budget is spent"
	return 0
}

# --- step: the machine -----------------------------------------------------------------

# probe_python EXE: one line "version|torch lib dir|libtorch_cuda.so 0/1|torch.version.cuda|
# cuda available 0/1|device count|torchvision 0/1", or nothing when torch does not import.
probe_python() {
	"$1" - 2>/dev/null <<'EOF'
import os, torch
lib = os.path.join(os.path.dirname(os.path.realpath(torch.__file__)), "lib")
try:
    import torchvision  # noqa: F401
    tv = 1
except Exception:
    tv = 0
ok = torch.cuda.is_available()
print("|".join(str(v) for v in [torch.__version__, os.path.realpath(lib), int(os.path.exists(os.path.join(lib, "libtorch_cuda.so"))),
      torch.version.cuda or "", int(ok), torch.cuda.device_count() if ok else 0, tv]))
EOF
}

REF_PY='' REF_PY_LIB='' REF_PY_INFO='' REF_PY_WARN=()
begin "machine"
uname -a
[[ -r /etc/os-release ]] && sed -n 's/^PRETTY_NAME=//p' /etc/os-release
echo "id: $(id -un 2>/dev/null || id -u) (uid $(id -u))"
echo "bundle manifest:"
if [[ -f $BUNDLE/MANIFEST ]]; then sed 's/^/    /' "$BUNDLE/MANIFEST"; else echo "    (built by this run)"; fi
GPU_NOTE=''
if have nvidia-smi; then
	nvidia-smi || true
	GPU_NOTE=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -n 1)
elif compgen -G '/dev/nvidia[0-9]*' >/dev/null; then
	GPU_NOTE="$(compgen -G '/dev/nvidia[0-9]*' | paste -sd' ' -) (no nvidia-smi)"
fi
echo "NVIDIA GPU: ${GPU_NOTE:-none found (no nvidia-smi, no /dev/nvidia*)}"
declare -A SEEN=()
for py in "${PYTHON:-}" python3 /usr/bin/python3; do
	if [[ -z $py ]] || ! have "$py"; then continue; fi
	exe=$(command -v "$py")
	[[ -n ${SEEN[$exe]:-} ]] && continue
	SEEN[$exe]=1
	info=$(probe_python "$exe")
	if [[ -z $info ]]; then
		echo "python $exe: no torch"
		continue
	fi
	IFS='|' read -r v lib hascuda cu avail count tv <<<"$info"
	echo "python $exe: torch $v, lib $lib, libtorch_cuda.so: $hascuda, CUDA ${cu:-none}, available: $avail, devices: $count, torchvision: $tv"
	# The reference is the first python with a CUDA torch (or, in a dry run, any torch).
	if [[ -z $REF_PY ]] && { ((DRY)) || [[ $hascuda == 1 ]]; }; then
		REF_PY=$exe REF_PY_LIB=$lib REF_PY_INFO="torch $v${cu:+ CUDA $cu}"
		((tv)) || REF_PY_WARN+=("$exe has no torchvision: the Go parity tests will skip instead of comparing with it (pip install torchvision)")
		((DRY || avail)) || REF_PY_WARN+=("$exe's torch has CUDA but sees no GPU (torch.cuda.is_available() is False): check the driver")
	fi
done
have go && go version
g++ --version 2>/dev/null | head -n 1
MACHINE_OK=1 MACHINE_WHY=''
if ((!DRY)); then
	if [[ -z $GPU_NOTE ]]; then
		MACHINE_OK=0 MACHINE_WHY="no NVIDIA GPU visible (no nvidia-smi, no /dev/nvidia*); on a machine without one use --cpu-dry-run"
	elif [[ -n ${LIBTORCH:-} ]]; then
		[[ -e $LIBTORCH/lib/libtorch_cuda.so ]] || { MACHINE_OK=0 MACHINE_WHY="LIBTORCH=$LIBTORCH has no lib/libtorch_cuda.so: a CPU libtorch"; }
	elif [[ -z $REF_PY ]]; then
		MACHINE_OK=0 MACHINE_WHY="no CUDA libtorch: no python here has a torch with libtorch_cuda.so (tried \$PYTHON, python3, /usr/bin/python3); pip install torch (a CUDA build), or set PYTHON=/path/to/python or LIBTORCH=/path/to/libtorch"
	fi
fi
for w in "${REF_PY_WARN[@]}"; do echo "warning: $w"; done
if ((MACHINE_OK)); then
	end PASS "${GPU_NOTE:-no GPU (dry run)}; python: ${REF_PY:-none} ${REF_PY_INFO}"
else
	echo "error: $MACHINE_WHY"
	end FAIL "$MACHINE_WHY"
fi

# --- step: the shim ---------------------------------------------------------------------

SHIM_OK=0 TORCH_LIBDIR='' WITH_CUDA=0
if ((!MACHINE_OK)); then
	not_run "build libcgotorch.so (CUDA)" "the machine step failed"
else
	if ((DRY)); then begin "build libcgotorch.so (CPU, dry run)"; else begin "build libcgotorch.so (CUDA)"; fi
	# install_libtorch.sh tries $PYTHON's torch first: the reference python found above.
	if [[ -z ${LIBTORCH:-} && -n $REF_PY ]] && ((!DRY)); then export PYTHON=$REF_PY; fi
	export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
	bash "$SRC/scripts/install_libtorch.sh" --shim-only --prefix "$PREFIX"
	rc=$?
	why=''
	if ((rc != 0)); then
		why="scripts/install_libtorch.sh exited $rc (its message is above)"
	elif [[ ! -f $SRC/cgo/build/config || ! -e $PREFIX/lib/libcgotorch.so ]]; then
		why="no $PREFIX/lib/libcgotorch.so or $SRC/cgo/build/config after the build"
	else
		TORCH_LIBDIR=$(sed -n 's/^TORCH_LIBDIR=//p' "$SRC/cgo/build/config")
		WITH_CUDA=$(sed -n 's/^WITH_CUDA=//p' "$SRC/cgo/build/config")
		echo "ldd $PREFIX/lib/libcgotorch.so:"
		ldd "$PREFIX/lib/libcgotorch.so" | sed 's/^/    /'
		if ldd "$PREFIX/lib/libcgotorch.so" | grep -q 'not found'; then
			why="libcgotorch.so has unresolved libraries (ldd above)"
		elif ((!DRY)) && [[ $WITH_CUDA != 1 ]]; then
			why="the shim was built against a CPU-only libtorch ($TORCH_LIBDIR): set PYTHON to a python whose torch has CUDA, or LIBTORCH"
		elif ((!DRY)) && ! ldd "$PREFIX/lib/libcgotorch.so" | grep -q 'libtorch_cuda\.so'; then
			why="libcgotorch.so does not load libtorch_cuda.so (the --no-as-needed link is missing): CUDA kernels would not register"
		fi
	fi
	if [[ -n $why ]]; then
		echo "error: $why"
		end FAIL "$why"
	else
		SHIM_OK=1
		end PASS "libtorch $TORCH_LIBDIR, WITH_CUDA=$WITH_CUDA, into $PREFIX/lib"
	fi
fi
# The binaries carry the build machine's RUNPATH; LD_LIBRARY_PATH comes first, so
# they load the library just built whatever prefix it went to.
export LD_LIBRARY_PATH=$PREFIX/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# --- step: building the Go binaries here (checkout mode only) ---------------------------

BINS_OK=1
if ((BUILD_BUNDLE)); then
	if ((!SHIM_OK)); then
		not_run "go: build binaries" "needs the shim"
		BINS_OK=0
	else
		begin "go: build binaries"
		if prepare "$SRC" "$BUNDLE"; then end PASS "into $BUNDLE"; else
			end FAIL "go test -c / go build failed (above)"
			BINS_OK=0
		fi
	fi
fi

# --- step: which libcgotorch.so the binaries load ----------------------------------------

READY=0
if ((!SHIM_OK || !BINS_OK)); then
	not_run "ldd: binaries load the new shim" "needs the shim and the binaries"
else
	begin "ldd: binaries load the new shim"
	want=$(readlink -f "$PREFIX/lib/libcgotorch.so")
	bad=() n=0
	for f in "$BIN"/*; do
		[[ -f $f && -x $f ]] || continue
		# Pure-Go test binaries (docs, the generator) link no libcgotorch.so.
		ldd "$f" 2>/dev/null | grep -q 'libcgotorch\.so' || { printf '    %-28s -> (no cgo)\n' "$(basename "$f")"; continue; }
		n=$((n + 1))
		got=$(ldd "$f" 2>/dev/null | awk '$1 == "libcgotorch.so" {print $3; exit}')
		got=$(readlink -f "${got:-/nonexistent}" 2>/dev/null || echo "$got")
		printf '    %-28s -> %s\n' "$(basename "$f")" "${got:-not found}"
		[[ $got == "$want" ]] || bad+=("$(basename "$f")")
	done
	if ! cmp -s "$want" "$SRC/cgo/build/libcgotorch.so"; then
		echo "error: $want is not the library just built ($SRC/cgo/build/libcgotorch.so)"
		end FAIL "$want differs from the fresh build"
	elif ((${#bad[@]})); then
		echo "error: these do not load $want: ${bad[*]}"
		end FAIL "${#bad[@]} of $n binaries load another libcgotorch.so"
	elif ((n == 0)); then
		end FAIL "no binaries in $BIN"
	else
		READY=1
		end PASS "$n binaries load $want"
	fi
fi

# --- the Go tests ----------------------------------------------------------------------

if ((!DRY)); then export GOTORCH_REQUIRE_CUDA=1; fi
[[ -n $REF_PY ]] && export GOTORCH_PYTHON=$REF_PY
if [[ -n $REF_PY && -n $TORCH_LIBDIR && $(readlink -f "$TORCH_LIBDIR") != "$REF_PY_LIB" ]]; then
	echo "note: the reference python's torch ($REF_PY_LIB) is not the libtorch the shim uses ($TORCH_LIBDIR)"
fi

# run_tests NAME REL FILTER...: runs bin/NAME.test in src/REL with -test.v and the
# filter flags; prints the counts line and returns the binary's status.
COUNTS=''
run_tests() {
	local name=$1 rel=$2 out=$OUT/test-$1$3.txt rc pass fail skip cudaskip
	shift 3
	local args=(-test.v -test.timeout 9m "$@")
	[[ -n $RUN_RE ]] && args+=(-test.run "$RUN_RE")
	echo "\$ (cd src/$rel && bin/$name.test ${args[*]})"
	(cd "$SRC/$rel" && budgeted "$BIN/$name.test" "${args[@]}") >"$out" 2>&1
	rc=$?
	grep -E '^(=== RUN|\s*--- (PASS|FAIL|SKIP)|(PASS|FAIL|ok)$|panic:)' "$out" | grep -v '^=== RUN' | tail -n 200
	((rc == 0)) || tail -n 60 "$out"
	pass=$(grep -cE '^\s*--- PASS' "$out")
	fail=$(grep -cE '^\s*--- FAIL' "$out")
	skip=$(grep -cE '^\s*--- SKIP' "$out")
	cudaskip=$(grep -c 'CUDA not available' "$out")
	COUNTS="$pass passed, $fail failed, $skip skipped"
	((cudaskip)) && COUNTS+=" ($cudaskip for lack of CUDA)"
	((rc == 124)) && COUNTS+="; stopped: the time budget ran out"
	return $rc
}

# test_binaries: the lines of tests.txt that --packages selects.
test_binaries() {
	local name rel broken
	while IFS=$'\t' read -r name rel broken; do
		[[ -n $name ]] || continue
		[[ -z $PKG_RE || $name =~ $PKG_RE ]] || continue
		printf '%s\t%s\t%s\n' "$name" "$rel" "$broken"
	done <"$BUNDLE/tests.txt"
}

# The CUDA tests of every package, as one step.
step="tests: CUDA (-test.run CUDA, all packages)"
if ((!READY)); then
	not_run "$step" "needs the shim and the binaries"
elif ! over_budget "$step"; then
	begin "$step"
	total_fail=0 notes=() sum_pass=0 sum_skip=0
	while IFS=$'\t' read -r name rel broken; do
		if [[ -n $broken ]]; then
			total_fail=$((total_fail + 1)) notes+=("$name: go test -c failed")
			continue
		fi
		run_tests "$name" "$rel" -cuda -test.run CUDA
		rc=$?
		echo "    $name: $COUNTS"
		sum_pass=$((sum_pass + $(grep -cE '^\s*--- PASS' "$OUT/test-$name-cuda.txt")))
		sum_skip=$((sum_skip + $(grep -cE '^\s*--- SKIP' "$OUT/test-$name-cuda.txt")))
		if ((rc != 0)); then total_fail=$((total_fail + 1)) notes+=("$name: exit $rc"); fi
	done < <(test_binaries)
	if ((total_fail)); then
		end FAIL "${notes[*]}"
	else
		end PASS "$sum_pass passed, $sum_skip skipped$( ((DRY)) && echo ' (no CUDA in a dry run)')"
	fi
fi

# --- the programs -------------------------------------------------------------------------

# program NAME STEP ARGS...: runs bin/NAME as a step, or says why it cannot.
program() {
	local name=$1 step=$2 rc
	shift 2
	if [[ ! -x $BIN/$name ]] && grep -q "^build failed:.* cmd/$name\b" "$BUNDLE/MANIFEST" 2>/dev/null; then
		STEP_NAMES+=("$step") STEP_STATUS+=(FAIL) STEP_SECS+=(0) STEP_NOTES+=("go build ./cmd/$name failed on the prepare machine")
		printf '\n>>> %s: FAIL (go build ./cmd/%s failed on the prepare machine)\n' "$step" "$name"
		return 1
	fi
	if [[ ! -x $BIN/$name ]]; then
		STEP_NAMES+=("$step") STEP_STATUS+=(SKIP) STEP_SECS+=(0) STEP_NOTES+=("no bin/$name: cmd/$name was not in the checkout")
		printf '\n>>> %s: SKIP (no bin/%s: cmd/%s was not in the checkout)\n' "$step" "$name" "$name"
		return 1
	fi
	if ((!READY)); then
		not_run "$step" "needs the shim and the binaries"
		return 1
	fi
	over_budget "$step" && return 1
	begin "$step"
	echo "\$ $name $*"
	(cd "$BUNDLE" && budgeted "$BIN/$name" "$@") 2>&1 | tee "$OUT/$name.txt"
	rc=${PIPESTATUS[0]}
	PROGRAM_RC=$rc
	return 0
}

# --- step: Python and Go memory figures, side by side ------------------------------------

step="memory: python vs go, to the byte"
if [[ ! -x $BIN/cudamem ]]; then
	STEP_NAMES+=("$step") STEP_STATUS+=(FAIL) STEP_SECS+=(0) STEP_NOTES+=("no bin/cudamem")
	printf '\n>>> %s: FAIL (no bin/cudamem)\n' "$step"
elif ((!READY)); then
	not_run "$step" "needs the shim and the binaries"
elif [[ -z $REF_PY ]]; then
	STEP_NAMES+=("$step") STEP_STATUS+=(FAIL) STEP_SECS+=(0) STEP_NOTES+=("no python with torch to compare with")
	printf '\n>>> %s: FAIL (no python with torch)\n' "$step"
elif ! over_budget "$step"; then
	begin "$step"
	pyjson=$OUT/memory-python.json gojson=$OUT/memory-go.json
	echo "\$ $REF_PY $SRC/scripts/gpu_memory.py measure --device $DEVICE"
	budgeted "$REF_PY" "$SRC/scripts/gpu_memory.py" measure --device "$DEVICE" >"$pyjson"
	pyrc=$?
	cat "$pyjson"
	echo "\$ cudamem --device $DEVICE"
	budgeted "$BIN/cudamem" --device "$DEVICE" >"$gojson"
	gorc=$?
	cat "$gojson"
	if ((pyrc != 0 || gorc != 0)); then
		end FAIL "measuring failed: python exit $pyrc, go exit $gorc"
	else
		cmp_args=(compare "$pyjson" "$gojson")
		((DRY)) && cmp_args+=(--structure-only)
		"$REF_PY" "$SRC/scripts/gpu_memory.py" "${cmp_args[@]}"
		rc=$?
		if ((rc != 0)); then
			end FAIL "the figures differ (table above)"
		elif ((DRY)); then
			end SKIP "no CUDA: both sides ran, figures not compared"
		else
			end PASS "12 figures equal"
		fi
	fi
fi

# --- step: the tutorial trained on the device, its accuracy checked ----------------------

MIN_ACCURACY=97
MNIST_ARGS=(--device "$DEVICE" --epochs 3 --data "$BUNDLE/data")
((DRY)) || MNIST_ARGS+=(--monitor)
PROGRAM_RC=''
if program mnist "mnist --device $DEVICE --epochs 3" "${MNIST_ARGS[@]}"; then
	acc=$(sed -n 's/^summary: .*test accuracy \([0-9.]*\)%.*/\1/p' "$OUT/mnist.txt" | tail -n 1)
	if ((PROGRAM_RC != 0)); then
		end FAIL "exit $PROGRAM_RC$([[ $PROGRAM_RC == 124 ]] && echo ': the time budget ran out')"
	elif [[ -z $acc ]]; then
		end FAIL "no 'summary: ... test accuracy N%' line in its output"
	elif awk -v a="$acc" -v m="$MIN_ACCURACY" 'BEGIN { exit !(a >= m) }'; then
		end PASS "test accuracy $acc% (>= $MIN_ACCURACY%)"
	else
		end FAIL "test accuracy $acc% < $MIN_ACCURACY%"
	fi
fi

# --- the rest of the suite ---------------------------------------------------------------

# The binaries run JOBS at a time, the slowest first (as measured on a 2-core dry run:
# cmd/mnist-cnn ~110 s, torch/nn ~100 s, torch ~75 s), each into its own log; their
# output and results are then reported in the usual order. With more than one job, each
# binary gets an equal share of the cores for libtorch's threads.
REST_NAMES=() REST_RELS=()
while IFS=$'\t' read -r name rel broken; do
	step="tests: ${rel} (-test.skip CUDA)"
	if [[ -n $broken ]]; then
		STEP_NAMES+=("$step") STEP_STATUS+=(FAIL) STEP_SECS+=(0) STEP_NOTES+=("go test -c failed on the prepare machine")
		printf '\n>>> %s: FAIL (go test -c failed on the prepare machine)\n' "$step"
	elif ((!READY)); then
		not_run "$step" "needs the shim and the binaries"
	else
		REST_NAMES+=("$name") REST_RELS+=("$rel")
	fi
done < <(test_binaries)

# rest_order: the indexes of REST_NAMES, the known slow binaries first.
rest_order() {
	local slow i
	for slow in cmd_mnist-cnn torch_nn torch models torch_data vision_datasets; do
		for i in "${!REST_NAMES[@]}"; do [[ ${REST_NAMES[i]} == "$slow" ]] && echo "$i"; done
	done
	for i in "${!REST_NAMES[@]}"; do
		[[ " cmd_mnist-cnn torch_nn torch models torch_data vision_datasets " == *" ${REST_NAMES[i]} "* ]] || echo "$i"
	done
}
if ((${#REST_NAMES[@]})); then
	threads=$((JOBS > 1 ? (CORES / JOBS > 0 ? CORES / JOBS : 1) : 0))
	printf '\n=== the rest of the suite: %d test binaries, %d at a time%s\n' "${#REST_NAMES[@]}" "$JOBS" \
		"$( ((threads)) && echo ", OMP_NUM_THREADS=$threads each")"
	pids=()
	for i in $(rest_order); do
		while :; do # wait for a free slot
			running=0
			for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=$((running + 1)); done
			((running < JOBS)) && break
			sleep 1
		done
		(($(left) > 5)) || break
		(
			((threads)) && export OMP_NUM_THREADS=$threads
			s=$SECONDS
			run_tests "${REST_NAMES[i]}" "${REST_RELS[i]}" "" -test.skip CUDA >"$OUT/rest-$i.txt" 2>&1
			printf '%s %s\n%s\n' "$?" $((SECONDS - s)) "$COUNTS" >"$OUT/rest-$i.rc"
		) &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid"; done
	for i in "${!REST_NAMES[@]}"; do
		step="tests: ${REST_RELS[i]} (-test.skip CUDA)"
		if [[ ! -e $OUT/rest-$i.rc ]]; then
			not_run "$step" "the ${BUDGET}s time budget is spent"
			continue
		fi
		{ read -r rc secs; read -r counts; } <"$OUT/rest-$i.rc"
		begin "$step"
		cat "$OUT/rest-$i.txt"
		if ((rc == 0)); then end PASS "$counts"; else end FAIL "exit $rc: $counts"; fi
		STEP_SECS[-1]=$secs # its own time, not the report's
	done
fi

for spec in "memtable|memtable --device $DEVICE|--device $DEVICE" "gpustat|gpustat (NVML)|"; do
	IFS='|' read -r name step args <<<"$spec"
	read -ra argv <<<"$args"
	if program "$name" "$step" "${argv[@]}"; then
		if ((PROGRAM_RC == 0)); then end PASS; else end FAIL "exit $PROGRAM_RC"; fi
	fi
done

finish
