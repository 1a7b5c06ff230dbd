# Shared helpers of the shell tests: sourced, not run.
# Each test is sealed: its own folder, removed on exit, a fixed clock.

set -u
: "${GUICHET:=$(pwd)/guichet}"
if [ ! -x "$GUICHET" ]; then
	echo "Bail out! no guichet program at $GUICHET"
	exit 99
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/guichet-test.XXXXXX")
cleanup() { tmux_stop; unlock_db; rm -rf "$T"; }
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

# check DESCRIPTION WANTED GOT: the two strings are the same (on failure,
# the start of the last HTTP answer, $T/body, if there is one).
check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1: wanted '$2', got '$3'"
		[ -f "$T/body" ] && sed 's/^/#   /' "$T/body" | head -5
		failures=$((failures + 1))
	fi
}

# test_expect 'SENTENCE' 'SHELL CODE': git-style, the sentence says what
# the code proves; it passes when the code exits 0 (its output is shown
# only on failure).
test_expect() {
	n=$((n + 1))
	if (eval "$2") >"$T/expect.log" 2>&1; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/#   /' "$T/expect.log"
		# A terminal test: the screen as it was.
		[ -n "$TMUX_SOCK" ] && tmux_screen | sed 's/^/#   | /'
		failures=$((failures + 1))
	fi
}

# skip 'SENTENCE' 'WHY': a check that cannot run here.
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# wait_for TENTHS COMMAND...: poll COMMAND every tenth of a second until
# it succeeds, TENTHS times at most; 1 if it never did.
wait_for() {
	_tries=$1
	shift
	while [ "$_tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_tries=$((_tries - 1))
	done
	return 1
}

# free_port [6]: a TCP port of the loopback (IPv6's with 6) free right now.
free_port() {
	/usr/bin/python3 -c 'import socket, sys
v6 = sys.argv[1:] == ["6"]
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET)
s.bind(("::1" if v6 else "127.0.0.1", 0))
print(s.getsockname()[1])' "$@"
}

# port_open PORT: something listens on the loopback at PORT.
port_open() {
	/usr/bin/python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1" \
	    2>/dev/null
}

# db_locked FILE: another writer holds FILE's write lock right now.
db_locked() {
	! sqlite3 -cmd ".timeout 10" "$1" "BEGIN IMMEDIATE; ROLLBACK;" \
	    >/dev/null 2>&1
}

# lock_db FILE: another program (sqlite3) takes FILE's write lock and
# holds it until unlock_db, however slow the machine: it reads its
# statements from a FIFO this shell keeps open on descriptor 8, so no
# sleep decides when the lock ends. 1 if the lock was not taken within
# 10 s.
LOCKER=
lock_db() {
	rm -f "$T/lock.fifo"
	mkfifo "$T/lock.fifo" || return 1
	sqlite3 "$1" <"$T/lock.fifo" >"$T/lock.out" 2>&1 &
	LOCKER=$!
	exec 8>"$T/lock.fifo"
	# Waits for a writer that holds the lock at that instant (the
	# server's) instead of failing at once and never holding it.
	echo ".timeout 10000" >&8
	echo "BEGIN IMMEDIATE; DELETE FROM patron WHERE 0;" >&8
	wait_for 100 db_locked "$1"
}
# unlock_db: roll the lock's transaction back and wait for its sqlite3
# to end (.quit: a child that inherited descriptor 8 keeps the FIFO open).
unlock_db() {
	[ -n "$LOCKER" ] || return 0
	printf 'ROLLBACK;\n.quit\n' >&8
	exec 8>&-
	wait "$LOCKER" 2>/dev/null
	LOCKER=
}

# A private tmux server for a terminal test. tmux_start NAME WIDTH HEIGHT
# COMMAND starts COMMAND in session "ui" on socket NAME, with TERM set to
# $TMUX_TERM inside (screen by default), after stopping the last one
# (tmux_stop, which cleanup calls, kills it); tmux sometimes fails to
# start ("server exited unexpectedly"), so it tries three times.
# tmux_screen prints the pane, tmux_keys types keys (send-keys arguments).
# Bounded polling, 5 s by default (TENTHS): tmux_wait TEXT [TENTHS] until
# the pane shows a fixed string, tmux_words TEXT [TENTHS] the same words
# wrapped over lines maybe, tmux_gone TEXT [TENTHS] until it is gone.
TMUX_SOCK=
tmux_start() {
	_tries=0
	while [ "$_tries" -lt 3 ]; do
		tmux_stop
		TMUX_SOCK=$1-$_tries
		tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s ui \
		    -x "$2" -y "$3" -e GUICHET_NOW="$GUICHET_NOW" \
		    -e LANG="$LANG" -e LC_ALL="$LC_ALL" \
		    -e TERM="${TMUX_TERM:-screen}" \
		    -e GUICHET_LOCALEDIR="${GUICHET_LOCALEDIR:-}" \
		    -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" -e HOME="$HOME" \
		    "$4" 2>"$T/tmux.err" && return 0
		_tries=$((_tries + 1))
		sleep 0.2
	done
	echo "# tmux would not start: $(cat "$T/tmux.err")"
	return 1
}
tmux_stop() {
	[ -n "$TMUX_SOCK" ] && tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	TMUX_SOCK=
}
tmux_screen() { tmux -L "$TMUX_SOCK" capture-pane -p -t ui 2>/dev/null; }
tmux_keys() { tmux -L "$TMUX_SOCK" send-keys -t ui "$@"; }
tmux_has() { tmux_screen | grep -qF -- "$1"; }
tmux_has_words() { tmux_screen | tr -s ' \n' '  ' | grep -qF -- "$1"; }
tmux_lacks() { ! tmux_has "$1"; }
tmux_wait() { wait_for "${2:-50}" tmux_has "$1"; }
tmux_words() { wait_for "${2:-50}" tmux_has_words "$1"; }
tmux_gone() { wait_for "${2:-50}" tmux_lacks "$1"; }

finish() {
	echo "1..$n"
	[ "$failures" -eq 0 ]
}
