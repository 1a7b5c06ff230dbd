#!/bin/sh
# Run each libFuzzer target that was built (configure --enable-fuzzing)
# for FUZZ_SECONDS seconds (default 10) over a copy of its seed corpus, so
# the corpus in the source tree is never written. Builds nothing; fails if
# any target finds a crash, a leak or a broken invariant, and prints the
# input that did it.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
: "${FUZZ_SECONDS:=10}"
T=$(mktemp -d "${TMPDIR:-/tmp}/guichet-fuzz.XXXXXX")
trap 'rm -rf "$T"' EXIT
status=0
ran=0

for target in fuzz_time fuzz_conf fuzz_ops fuzz_replica; do
	bin=$top_builddir/tests/fuzz/$target
	if [ ! -x "$bin" ]; then
		echo "# $target: not built, skipped"
		continue
	fi
	ran=$((ran + 1))
	mkdir -p "$T/$target/corpus" "$T/$target/artifacts"
	cp "$top_srcdir/tests/fuzz/corpus/$target"/* "$T/$target/corpus/"
	dict=$top_srcdir/tests/fuzz/$target.dict
	if [ -f "$dict" ]; then set -- -dict="$dict"; else set --; fi
	echo "# $target: fuzzing for $FUZZ_SECONDS s"
	if "$bin" "$@" -max_total_time="$FUZZ_SECONDS" -timeout=25 \
	    -print_final_stats=1 \
	    -artifact_prefix="$T/$target/artifacts/" \
	    "$T/$target/corpus" >"$T/$target/log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "$T/$target/log")
		echo "ok $ran - $target: ${runs:-?} inputs run," \
		    "$(ls "$T/$target/corpus" | wc -l) in the corpus"
	else
		echo "not ok $ran - $target found a problem:"
		grep -v '^#[0-9]\|^INFO:' "$T/$target/log" | tail -n 60 |
		    sed 's/^/#   /'
		for a in "$T/$target/artifacts"/*; do
			[ -f "$a" ] || continue
			echo "#   input $(basename "$a") (base64):"
			base64 "$a" | sed 's/^/#     /'
		done
		status=1
	fi
done
echo "1..$ran"
exit "$status"
