#!/usr/bin/env bash
# mutation_campaign.sh: feeds damaged checkpoints to torch.Load and damaged
# TorchScript files to jit.Load, each in its own process, and counts how
# each ended. scripts/reference/mutate.py makes a real state_dict
# (torch.save) and a real scripted module (torch.jit.save) in the
# reference torch, then N mutants of each (half with 1-4 bytes of the file
# changed, half with 1-4 bytes of one record changed inside a zip rebuilt
# with right checksums). internal/cmd/loadpeak loads each under a timeout
# and /usr/bin/time: exit 0 is "loaded", 1 "a clean error"; a signal, a Go
# panic (exit 2) or any other status is a crash, the timeout a hang, and a
# peak RSS above 4x the file + 64 MiB over the process's own baseline a
# memory blow-up. Prints the counts per kind and the first few of every
# bad outcome, and exits 1 when there is any.
#
#   scripts/mutation_campaign.sh [--n N] [--timeout SECS]   # default 500 mutants of each, 20 s
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=500 TIMEOUT=20
while [[ $# -gt 0 ]]; do
	case $1 in
	--n) N=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	-h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "mutation_campaign.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[[ $N =~ ^[1-9][0-9]*$ && $TIMEOUT =~ ^[1-9][0-9]*$ ]] || { echo "mutation_campaign.sh: --n and --timeout must be positive integers" >&2; exit 2; }
PY=${PYTHON:-/usr/bin/python3}
"$PY" -c 'import torch' 2>/dev/null || { echo "mutation_campaign.sh: $PY has no torch (scripts/install_libtorch.sh --with-python)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "mutation_campaign.sh: needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$ROOT" && go build -o "$TMP/loadpeak" ./internal/cmd/loadpeak)
"$PY" "$ROOT/scripts/reference/mutate.py" "$TMP/m" "$N"

peak_kb() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
bad=0
for kind in sd ts; do
	flag=()
	[[ $kind == ts ]] && flag=(--jit)
	/usr/bin/time -v "$TMP/loadpeak" "${flag[@]}" "$TMP/m/$kind.pt" >/dev/null 2>"$TMP/time"
	base=$(peak_kb "$TMP/time")
	declare -A count=()
	: >"$TMP/bad-$kind"
	for f in "$TMP/m/$kind"-*.pt; do
		set +e
		timeout -s KILL "$TIMEOUT" /usr/bin/time -v "$TMP/loadpeak" "${flag[@]}" "$f" >/dev/null 2>"$TMP/time"
		rc=$?
		set -e
		size_kb=$(($(stat -c %s "$f") / 1024))
		kb=$(peak_kb "$TMP/time")
		case $rc in
		0) what=loaded ;;
		1) what=error ;;
		137) what=hang ;;
		*) what="crash($rc)" ;;
		esac
		if [[ $what == loaded || $what == error ]] && [[ -n $kb ]] && ((kb - base > 4 * size_kb + 65536)); then
			what=memory
		fi
		count[$what]=$((${count[$what]:-0} + 1))
		if [[ $what != loaded && $what != error ]]; then
			bad=$((bad + 1))
			echo "$what $(basename "$f") peak $((kb / 1024)) MiB: $(grep -v '^\s' "$TMP/time" | grep -v 'Command being timed' | head -3 | tr '\n' ' ')" >>"$TMP/bad-$kind"
		fi
	done
	line="$kind ($([[ $kind == sd ]] && echo torch.Load || echo jit.Load), $N mutants, baseline $((base / 1024)) MiB):"
	for k in "${!count[@]}"; do line+=" $k ${count[$k]}"; done
	echo "$line"
	head -5 "$TMP/bad-$kind"
	unset count
done
echo "bad outcomes: $bad"
((bad == 0))
