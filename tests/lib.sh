# Shared helpers of the shell tests: sourced, not run.
# Each test is sealed: its own folder, removed on exit, a fixed clock.

set -u
: "${GUICHET:=$(pwd)/guichet}"
if [ ! -x "$GUICHET" ]; then
	echo "Bail out! no guichet program at $GUICHET"
	exit 99
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/guichet-test.XXXXXX")
cleanup() { rm -rf "$T"; }
trap cleanup EXIT
export GUICHET_NOW="${GUICHET_NOW:-2026-11-26T10:16:00+01:00}"
# Messages in English whatever the caller's language (a test that wants
# French says so).
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE
export XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" HOME="$T"
unset GUICHET_PASSWORD
DB="$T/g.db"
failures=0
n=0

g() { "$GUICHET" -d "$DB" "$@"; }

# expect STATUS DESCRIPTION -- COMMAND...: run, check the exit status.
expect() {
	want=$1; what=$2; shift 3
	n=$((n + 1))
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "not ok $n - $what: exit $got, wanted $want"
		sed 's/^/#   /' "$T/out" "$T/err"
		failures=$((failures + 1))
		return 1
	fi
	echo "ok $n - $what"
}

# grep_out PATTERN FILE DESCRIPTION: the last output must match.
has() {
	n=$((n + 1))
	if grep -q -- "$1" "$T/$2"; then
		echo "ok $n - $3"
	else
		echo "not ok $n - $3: no '$1' in $2"
		sed 's/^/#   /' "$T/$2"
		failures=$((failures + 1))
	fi
}

# One line on standard error, nothing on standard output.
one_line_err() {
	n=$((n + 1))
	if [ "$(wc -l <"$T/err")" -eq 1 ] && [ ! -s "$T/out" ]; then
		echo "ok $n - $1: one line on stderr"
	else
		echo "not ok $n - $1: wanted one line on stderr"
		sed 's/^/#   /' "$T/out" "$T/err"
		failures=$((failures + 1))
	fi
}

finish() {
	echo "1..$n"
	[ "$failures" -eq 0 ]
}
