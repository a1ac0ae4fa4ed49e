#!/usr/bin/env bash
# test_matrix.sh: runs gotorch's set-up and tests against other libtorch versions, each
# in a Debian chroot that is made once and cached.
#
#   trixie   Debian 13: libtorch 2.6, python3-torch 2.6 and python3-torchvision 0.21 as the
#            parity reference. Runs README's set-up (scripts/install_libtorch.sh
#            --with-python) and `go test ./...` there, as CI does on Debian 12's 1.13.
#   sid      Debian sid: libtorch 2.14, whose headers need C++20. Runs README's set-up
#            (scripts/install_libtorch.sh: builds the shim, installs it, and compiles and
#            runs its check program) and builds every Go package and test binary against it.
#   sid-suite  the whole suite on sid: libtorch 2.14 with python3-torch 2.14 and
#            torchvision 0.27 (Pillow 13) as the reference. Not yet green: Pillow 13 resizes
#            RGB images a byte apart from what the PIL-path Resize reproduces.
#   dryrun   the GPU check's bundle (scripts/gpu_check.sh --prepare, made here) unpacked in
#            the trixie chroot, which has no Go, and run there with --cpu-dry-run: the
#            closest stand-in for the GPU machine's pip torch 2.x.
#
# The host's Go toolchain and module cache are copied and bound into the chroot, and the
# dataset cache ($GOTORCH_DATA, default ~/.cache/gotorch/data) is bound in, so the runs
# need the network only to make a chroot and for apt. Needs root (debootstrap, chroot,
# mount). The source is the working tree (tracked and new files), copied afresh each run.
#
#   sudo scripts/test_matrix.sh                   # both targets
#   sudo scripts/test_matrix.sh trixie -- -run TestSave ./torch/   # arguments for go test
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/test_matrix.sh [TARGET...] [-- GO_TEST_ARGS...]

Targets: trixie (libtorch 2.6: set-up and go test ./...), sid (libtorch 2.14:
set-up and go test -run XXX ./..., which builds every package and test binary),
sid-suite (libtorch 2.14 with python3-torch 2.14 and torchvision 0.27 as the
reference: set-up and go test ./..., not yet green), dryrun (scripts/gpu_check.sh's
bundle with --cpu-dry-run in the trixie chroot), all (the default: trixie, sid
and dryrun).

Options:
  --cache DIR   where the chroots live (default: $GOTORCH_MATRIX or
                ~/.cache/gotorch/matrix); delete a chroot's folder to remake it
  --log DIR     where each target's log goes (default: CACHE/logs)
  -h, --help    this text

Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian), GOTORCH_DATA.
EOF
}

say() { printf '\n==> %s\n' "$*"; }
die() {
	printf '\ntest_matrix: error: %s\n' "$1" >&2
	shift
	local fix
	for fix in "$@"; do printf '  fix: %s\n' "$fix" >&2; done
	exit 2
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
CACHE=${GOTORCH_MATRIX:-${XDG_CACHE_HOME:-$HOME/.cache}/gotorch/matrix}
LOGDIR=''
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DATA=${GOTORCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/gotorch/data}
TARGETS=()
GOTEST=()
while (($#)); do
	case $1 in
	trixie | sid | sid-suite | dryrun) TARGETS+=("$1") ;;
	all) TARGETS+=(trixie sid dryrun) ;;
	--cache) (($# > 1)) || die "--cache needs a folder"; CACHE=$2; shift ;;
	--log) (($# > 1)) || die "--log needs a folder"; LOGDIR=$2; shift ;;
	--) shift; GOTEST=("$@"); break ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
	shift
done
((${#TARGETS[@]})) || TARGETS=(trixie sid dryrun)
LOGDIR=${LOGDIR:-$CACHE/logs}

[[ $(id -u) -eq 0 ]] || die "chroots need root" "sudo $0 ${TARGETS[*]}"
command -v go >/dev/null || die "no go on PATH: the chroots get a copy of the host's Go"
command -v debootstrap >/dev/null || apt-get install -y debootstrap >/dev/null ||
	die "debootstrap is missing and apt-get could not install it" "apt-get install debootstrap"
GOROOT_HOST=$(go env GOROOT)
GOMODCACHE_HOST=$(go env GOMODCACHE)
# Every module the suite needs, so that the chroot needs no proxy.
(cd "$ROOT" && go mod download)
mkdir -p "$CACHE" "$LOGDIR" "$DATA"

MOUNTED=()
cleanup() {
	local i
	for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
		umount -R "${MOUNTED[i]}" 2>/dev/null || umount -l "${MOUNTED[i]}" 2>/dev/null || true
	done
	MOUNTED=()
}
trap cleanup EXIT

# bind SRC DST [ro]
bind() {
	mkdir -p "$2"
	mount --rbind "$1" "$2"
	MOUNTED+=("$2")
	[[ ${3:-} != ro ]] || mount -o remount,bind,ro "$2"
}

# chroot_ready SUITE: makes (once) and mounts the chroot.
chroot_ready() {
	local suite=$1 dir=$CACHE/$1
	if [[ ! -x $dir/usr/bin/apt-get ]]; then
		say "debootstrap $suite into $dir (once; about a minute)"
		rm -rf "$dir.tmp"
		debootstrap --variant=minbase "$suite" "$dir.tmp" "$MIRROR" >"$LOGDIR/debootstrap-$suite.log" 2>&1 ||
			die "debootstrap $suite failed: see $LOGDIR/debootstrap-$suite.log"
		mv "$dir.tmp" "$dir"
	fi
	# Mounts that a killed run left behind (the EXIT trap never ran).
	findmnt -rn -o TARGET | grep "^$dir/" | sort -r | while IFS= read -r m; do umount -l "$m" 2>/dev/null || true; done
	cp /etc/resolv.conf "$dir/etc/resolv.conf"
	# Debian's mirror here may serve a frozen sid whose Release file has expired.
	echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99gotorch-no-valid-until"
	mount -t proc proc "$dir/proc" && MOUNTED+=("$dir/proc")
	bind /dev "$dir/dev"
	bind /sys "$dir/sys"
	mkdir -p "$dir/tmp" && chmod 1777 "$dir/tmp"
	# The host's Go, copied when its version changed.
	if ! cmp -s "$GOROOT_HOST/VERSION" "$dir/usr/local/go/VERSION"; then
		say "copying Go ($(head -1 "$GOROOT_HOST/VERSION")) into the chroot"
		rm -rf "$dir/usr/local/go" && mkdir -p "$dir/usr/local/go"
		cp -a "$GOROOT_HOST/." "$dir/usr/local/go/"
	fi
	bind "$GOMODCACHE_HOST" "$dir/root/go/pkg/mod"
	bind "$DATA" "$dir/root/gotorch-data"
	# The working tree, fresh.
	rm -rf "$dir/src" && mkdir -p "$dir/src"
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -C "$dir/src" -xf -
}

# in_chroot SUITE SCRIPT: runs a bash script in the chroot, in /src, as root, with a
# clean environment.
in_chroot() {
	chroot "$CACHE/$1" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 CI=true \
		PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOTORCH_DATA=/root/gotorch-data \
		DEBIAN_FRONTEND=noninteractive \
		bash -euo pipefail -c "cd /src; $2"
}

declare -A RESULT SECONDS_TAKEN
run_target() {
	local target=$1 log start=$SECONDS status=0
	log=$LOGDIR/$1-$(date +%Y%m%d-%H%M%S).log
	# Quoted for the chroot's shell: -run 'A|B' must stay one argument.
	local gotest=""
	[[ ${#GOTEST[@]} -eq 0 ]] || gotest=$(printf '%q ' "${GOTEST[@]}")
	say "$target: log in $log"
	{
		case $target in
		trixie | sid-suite)
			suite=${target%-suite}
			chroot_ready "$suite"
			in_chroot "$suite" "
				echo '--- set-up: scripts/install_libtorch.sh --with-python'
				time scripts/install_libtorch.sh --with-python
				echo '--- go test ${gotest:-./...}'
				time go test -timeout 40m ${gotest:-./...}"
			;;
		sid)
			chroot_ready sid
			in_chroot sid "
				echo '--- set-up: scripts/install_libtorch.sh'
				time scripts/install_libtorch.sh
				echo '--- go vet ./... (builds every package and test against libtorch 2.14)'
				time go vet ./...
				echo '--- go test -run XXX ./... (links every test binary and loads the shim)'
				time go test -count=1 -run '^XXX\$' ./..."
			;;
		dryrun)
			# The bundle is made here, where Go is, as for the GPU machine.
			rm -rf "$CACHE/gpubundle" "$CACHE/gpubundle.tar.xz"
			"$ROOT/scripts/gpu_check.sh" --prepare "$CACHE/gpubundle"
			chroot_ready trixie
			rm -rf "$CACHE/trixie/tmp/gpubundle" "$CACHE/trixie/tmp/gpu-dry-run"
			tar -C "$CACHE/trixie/tmp" -xJf "$CACHE/gpubundle.tar.xz"
			# The budget: gpu_check's default 480 s is the GPU machine's (16 cores, 8
			# test binaries at a time); here, on 2 cores with the shim built first, the
			# same steps take 480-520 s, so the dry run, which checks that every step
			# works without Go, gives them 900 s.
			DRYRUN_BUDGET=900
			# Without Go: PATH leaves out /usr/local/go/bin, where the chroot has it.
			drc=0
			in_chroot trixie "
				PATH=/usr/sbin:/usr/bin:/sbin:/bin
				if command -v go; then echo 'go is on PATH: the dry run would not prove it needs none'; exit 1; fi
				time /tmp/gpubundle/gpu_check.sh --cpu-dry-run --budget $DRYRUN_BUDGET --out /tmp/gpu-dry-run" || drc=$?
			mkdir -p "$LOGDIR/gpu-dry-run" && cp -r "$CACHE/trixie/tmp/gpu-dry-run/." "$LOGDIR/gpu-dry-run/"
			# the leg fails when the check does (the copy above must not hide it)
			exit "$drc"
			;;
		esac
	} 2>&1 | tee "$log" || status=$?
	cleanup
	RESULT[$target]=$([[ $status -eq 0 ]] && echo ok || echo "FAIL ($status)")
	SECONDS_TAKEN[$target]=$((SECONDS - start))
	return 0
}

for t in "${TARGETS[@]}"; do run_target "$t"; done

say "summary"
failed=0
for t in "${TARGETS[@]}"; do
	printf '  %-8s %-10s %5ds\n' "$t" "${RESULT[$t]}" "${SECONDS_TAKEN[$t]}"
	[[ ${RESULT[$t]} == ok ]] || failed=1
done
exit $failed
