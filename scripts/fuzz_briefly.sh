#!/usr/bin/env bash
# fuzz_briefly.sh: runs every Go fuzzer of the repo for a short while (the
# committed seeds under testdata/fuzz run with plain `go test` already).
#
#   scripts/fuzz_briefly.sh [SECONDS]     # default 10 per fuzzer
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
status=0
while IFS= read -r line; do
	file=${line%%:*}
	name=$(sed -E 's/^.*func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"$line")
	pkg=./$(dirname "$file")
	echo "--- $name ($pkg, ${secs}s)"
	# A short minimising budget: the default (60 s) would stall a brief run.
	if ! go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "${secs}s" -fuzzminimizetime 100x; then
		status=1
	fi
done < <(grep -rn --include='*_test.go' '^func Fuzz' . | sed 's|^\./||')
exit $status
