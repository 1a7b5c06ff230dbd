#!/bin/sh
# The staff screen (key A of the grid) in a private tmux server: a
# session added, its places refused below those booked (R13) then
# changed, the session cancelled with a reason (R11); the library's jauge
# and establishment code (P5, R6); a new resource (P9); an account
# disabled from the table of accounts (P7); the campus closed (R13).
# Sealed: a temporary directory, a private socket, a fixed clock, bounded
# polling.
set -u

GUICHET=${GUICHET:-$(pwd)/guichet}
export GUICHET_NOW=2026-11-26T10:16:00+01:00
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE NO_COLOR
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP no tmux"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "1..0 # SKIP no sqlite3"; exit 77; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/guichet-staff-ui.XXXXXX")
sock="guichet-staff-ui-$$"
db="$dir/demo.db"
fails=0
n=0
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
case "${TERM:-dumb}" in
dumb|unknown) TERM=xterm ;;
esac
export TERM

screen() { tmux -L "$sock" capture-pane -p -t ui 2>/dev/null; }
keys() { tmux -L "$sock" send-keys -t ui "$@"; }
sql() { sqlite3 -cmd ".timeout 5000" "$db" "$1"; }
# Wait until the screen shows a fixed text, at most 5 s.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -qF -- "$1" && return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}
# Wait until the database answers a query with a value, at most 5 s.
wait_sql() {
	i=0
	while [ $i -lt 100 ]; do
		[ "$(sql "$2")" = "$1" ] && return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}
check() {
	name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		screen | sed 's/^/#   | /'
		fails=$((fails + 1))
	fi
}
starts=0
start() {
	tmux -L "$sock" kill-server 2>/dev/null
	starts=$((starts + 1))
	sock="guichet-staff-ui-$$-$starts"
	tmux -L "$sock" -f /dev/null new-session -d -s ui -x 100 -y 30 \
	    -e GUICHET_NOW="$GUICHET_NOW" -e LANG="$LANG" -e LC_ALL="$LC_ALL" \
	    -e TERM=screen "$GUICHET -d $db; echo EXITED \$?; sleep 60" &&
	    wait_for "Account:"
}
login() {
	keys -l "$1"; keys Enter; keys -l demo; keys Enter
	wait_for "$1"
}
prompt() {	# prompt LABEL TEXT: answer a one-line question
	wait_for "$1" && keys BSpace BSpace BSpace BSpace BSpace &&
	    keys -l "$2" && keys Enter
}

"$GUICHET" -d "$db" init --demo >/dev/null || { echo "Bail out! init"; exit 99; }
# A second booking in the workshop session used below.
GUICHET_PASSWORD=demo "$GUICHET" -d "$db" -u desk.mirail book BUC-AT-ZOTERO \
    --date 2026-12-10 --from 14:00 --to 15:30 \
    --email test.patron@etu.univ-tlse2.fr --origin phone >/dev/null 2>&1

start || { echo "Bail out! tmux would not start"; exit 99; }
login ref.ateliers
keys A
check "A opens the staff screen of the library under the cursor" \
    wait_for "Sessions of the next 31 days"
keys '?'
check "its help lists its keys" wait_for "cancel the session: its places"
keys Escape
keys n
prompt "Resource, date, from, to" "BUC-AT-ZOTERO 2026-12-11 10:00 12:00 6"
check "a new session is listed" wait_for "2026-12-11 10:00-12:00  0/6 places"
check "and stored" wait_sql 6 "SELECT places FROM session s JOIN resource r ON r.id = s.resource_id WHERE r.code = 'BUC-AT-ZOTERO' AND s.start = strftime('%s', '2026-12-11T09:00:00')"
# The cursor onto a line: down until the highlighted line has a text.
highlight() {
	i=0
	while [ $i -lt 40 ]; do
		# The reverse video starts before the text, and holds to it.
		tmux -L "$sock" capture-pane -e -p -t ui |
		    grep -q "$(printf '\033')\[7m[^$(printf '\033')]*$1" &&
		    return 0
		keys j
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
taken=$(sql "SELECT count(*) FROM booking b JOIN resource r ON r.id = b.resource_id WHERE r.code = 'BUC-AT-ZOTERO' AND b.start = strftime('%s', '2026-12-10T13:00:00') AND b.status IN ('confirmed', 'pending_confirmation', 'present')")
check "the cursor reaches the 2026-12-10 session" highlight "2026-12-10 14:00"
keys p
prompt "Places (" "1"
check "places below those booked are refused (R13)" \
    wait_for "places booked: it"
keys p
prompt "Places (" "14"
check "places above the capacity are refused" wait_for "not changed"
keys x
prompt "Reason, for the patrons:" "intervenant absent"
check "the cancellation asks first" wait_for "Cancel the session of BUC-AT-ZOTERO"
keys y
check "the session is cancelled, its patrons e-mailed" \
    wait_for "Session cancelled: $taken places cancelled"
check "each place cancelled with the reason" wait_sql "$taken" \
    "SELECT count(*) FROM booking WHERE cancel_reason LIKE '%intervenant absent'"
keys J
prompt "Jauge of BUC:" 450
check "ref.ateliers may not change the jauge (P5)" wait_for "(P5)"
keys q
keys q; keys y
wait_for "EXITED 0" || true

start || { echo "Bail out! tmux would not start"; exit 99; }
login ref.buc
keys A
wait_for "Sessions of the next 31 days"
keys J
prompt "Jauge of BUC:" 450
check "the jauge changes (P5)" wait_sql 450 "SELECT jauge FROM establishment WHERE code = 'BUC'"
keys c
prompt "New establishment code of BUC:" "buc-8080"
check "a new code asks first, saying the posters stop working" \
    wait_for "Old QR posters stop working at once (R6)"
keys y
check "then says the posters are invalid" \
    wait_for "BUC's code is now BUC-8080: old QR posters no longer work"
check "the code is stored as patrons type it" wait_sql BUC-8080 \
    "SELECT checkin_code FROM establishment WHERE code = 'BUC'"
check "the code shows to its referent" wait_for "establishment code: BUC-8080"
check "the library keeps its name" wait_for "BUC (Bibliothèque universitaire centrale): jauge 450"
keys a
prompt "New resource in BUC" "BUC-G9 group_room Salle 9"
check "a new room of this library (P9)" wait_for "Resource BUC-G9 added"
keys P
prompt "Resource and settings" "BUC-G9 granularity=60 max_duration=180 enabled=no"
check "its policy is set from the screen (P9)" wait_sql "60|180|0" \
    "SELECT granularity, max_duration, enabled FROM resource WHERE code = 'BUC-G9'"
keys P
prompt "Resource and settings" "CROG-G1 granularity=60"
check "not another library's room (P9)" wait_for "not changed: ref.buc may"
check "held as the library's others" wait_sql UJJ "SELECT e.code FROM resource r JOIN establishment e ON e.id = r.establishment_id WHERE r.code = 'BUC-G9'"
keys u
check "the accounts as a table" wait_for "Accounts (P1..P9)"
check "the cursor reaches desk.crog" highlight "desk.crog"
keys Enter
check "disabling asks first" wait_for "Disable desk.crog?"
keys y
check "a referent may not disable another library's desk (P7)" wait_for "whose grants on UJJ"
keys K
prompt "Close every library" "2026-12-15 grève"
check "the campus closure lists the bookings first (R13)" \
    wait_for "Close every library on 2026-12-15"
keys y
check "every library closes that day" wait_sql \
    "$(sql "SELECT count(*) FROM establishment WHERE kind IN ('library', 'campus')")" \
    "SELECT count(*) FROM hours_date WHERE closed = 1 AND reason = 'grève'"
keys q q y
wait_for "EXITED 0" || true

echo "1..$n"
[ "$fails" -eq 0 ]
