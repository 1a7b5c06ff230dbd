#!/bin/sh
# The staff screen (key A of the grid) in a private tmux server: a
# session added, its places refused below those booked (R13) then
# changed, the session cancelled with a reason (R11); the library's jauge
# and establishment code (P5, R6); a new resource (P9); an account
# disabled from the table of accounts (P7); the campus closed (R13).
# Sealed by tests/lib.sh (a temporary folder, a fixed clock), a private
# socket; bounded polling.
. "${top_srcdir:=$(dirname "$0")/..}/tests/lib.sh"

unset NO_COLOR
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP no tmux"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "1..0 # SKIP no sqlite3"; exit 77; }
case "${TERM:-dumb}" in
dumb|unknown) TERM=xterm ;;
esac
export TERM
db=$DB
starts=0

sql() { sqlite3 -cmd ".timeout 5000" "$db" "$1"; }
# Until the database answers a query with a value, at most 5 s.
sql_is() { [ "$(sql "$2")" = "$1" ]; }
wait_sql() { wait_for 50 sql_is "$1" "$2"; }
start() {
	starts=$((starts + 1))
	tmux_start "guichet-staff-ui-$$-$starts" 100 30 \
	    "$GUICHET -d $db; echo EXITED \$?; sleep 60" && tmux_wait "Account:"
}
login() {
	tmux_keys -l "$1"; tmux_keys Enter; tmux_keys -l demo; tmux_keys Enter
	tmux_wait "$1"
}
prompt() {	# prompt LABEL TEXT: answer a one-line question
	tmux_wait "$1" && tmux_keys BSpace BSpace BSpace BSpace BSpace &&
	    tmux_keys -l "$2" && tmux_keys Enter
}

"$GUICHET" -d "$db" init --demo >/dev/null || { echo "Bail out! init"; exit 99; }
# A second booking in the workshop session used below.
GUICHET_PASSWORD=demo "$GUICHET" -d "$db" -u desk.mirail book BUC-AT-ZOTERO \
    --date 2026-12-10 --from 14:00 --to 15:30 \
    --email test.patron@etu.univ-tlse2.fr --origin phone >/dev/null 2>&1

start || { echo "Bail out! tmux would not start"; exit 99; }
login ref.ateliers
tmux_keys A
test_expect "A opens the staff screen of the library under the cursor" \
    'tmux_wait "Sessions of the next 31 days"'
tmux_keys '?'
test_expect "its help lists its keys" \
    'tmux_wait "cancel the session: its places"'
tmux_keys Escape
tmux_keys n
prompt "Resource, date, from, to" "BUC-AT-ZOTERO 2026-12-11 10:00 12:00 6"
test_expect "a new session is listed" \
    'tmux_wait "2026-12-11 10:00-12:00  0/6 places"'
test_expect "and stored" \
    'wait_sql 6 "SELECT places FROM session s JOIN resource r ON r.id = s.resource_id WHERE r.code = '\''BUC-AT-ZOTERO'\'' AND s.start = strftime('\''%s'\'', '\''2026-12-11T09:00:00'\'')"'
# The cursor onto a line: down until the highlighted line has a text.
highlighted() {	# TEXT: the reverse video starts before it and holds to it
	tmux -L "$TMUX_SOCK" capture-pane -e -p -t ui |
	    grep -q "$(printf '\033')\[7m[^$(printf '\033')]*$1"
}
highlight() {
	_moves=0
	while [ "$_moves" -lt 40 ]; do
		wait_for 2 highlighted "$1" && return 0
		tmux_keys j
		_moves=$((_moves + 1))
	done
	return 1
}
taken=$(sql "SELECT count(*) FROM booking b JOIN resource r ON r.id = b.resource_id WHERE r.code = 'BUC-AT-ZOTERO' AND b.start = strftime('%s', '2026-12-10T13:00:00') AND b.status IN ('confirmed', 'pending_confirmation', 'present')")
test_expect "the cursor reaches the 2026-12-10 session" \
    'highlight "2026-12-10 14:00"'
# The shared list keys (keys_nav): End then Home, back on the first
# session; then down to the 2026-12-10 one again.
first_session() {
	tmux_screen | sed -n '/Sessions of the next 31 days/{n;p;q;}' |
	    cut -c3-34
}
not_first() { ! highlighted "$(first_session)"; }
tmux_keys End
test_expect "End leaves the first line (the shared list keys)" \
    'wait_for 20 not_first'
tmux_keys Home
test_expect "Home goes back to the first session" \
    'wait_for 20 highlighted "$(first_session)"'
highlight "2026-12-10 14:00"
tmux_keys p
prompt "Places (" "1"
test_expect "places below those booked are refused (R13)" \
    'tmux_wait "places booked: it"'
tmux_keys p
prompt "Places (" "14"
test_expect "places above the capacity are refused" 'tmux_wait "not changed"'
tmux_keys x
prompt "Reason, for the patrons:" "intervenant absent"
test_expect "the cancellation asks first" \
    'tmux_wait "Cancel the session of BUC-AT-ZOTERO"'
tmux_keys y
test_expect "the session is cancelled, its patrons e-mailed" \
    'tmux_wait "Session cancelled: $taken places cancelled"'
test_expect "each place cancelled with the reason" \
    'wait_sql "$taken" \
    "SELECT count(*) FROM booking WHERE cancel_reason LIKE '\''%intervenant absent'\''"'
tmux_keys J
prompt "Jauge of BUC:" 450
test_expect "ref.ateliers may not change the jauge (P5)" 'tmux_wait "(P5)"'
tmux_keys q
tmux_keys q; tmux_keys y
tmux_wait "EXITED 0" || true

start || { echo "Bail out! tmux would not start"; exit 99; }
login ref.buc
tmux_keys A
tmux_wait "Sessions of the next 31 days"
tmux_keys J
prompt "Jauge of BUC:" 450
test_expect "the jauge changes (P5)" \
    'wait_sql 450 "SELECT jauge FROM establishment WHERE code = '\''BUC'\''"'
tmux_keys c
prompt "New establishment code of BUC:" "buc-8080"
test_expect "a new code asks first, saying the posters stop working" \
    'tmux_wait "Old QR posters stop working at once (R6)"'
tmux_keys y
test_expect "then says the posters are invalid" \
    "tmux_wait \"BUC's code is now BUC-8080: old QR posters no longer work\""
test_expect "the code is stored as patrons type it" \
    'wait_sql BUC-8080 \
    "SELECT checkin_code FROM establishment WHERE code = '\''BUC'\''"'
test_expect "the code shows to its referent" \
    'tmux_wait "establishment code: BUC-8080"'
test_expect "the library keeps its name" \
    'tmux_wait "BUC (Bibliothèque universitaire centrale): jauge 450"'
tmux_keys a
prompt "New resource in BUC" "BUC-G9 group_room Salle 9"
test_expect "a new room of this library (P9)" \
    'tmux_wait "Resource BUC-G9 added"'
tmux_keys P
prompt "Resource and settings" "BUC-G9 granularity=60 max_duration=180 enabled=no"
test_expect "its policy is set from the screen (P9)" \
    'wait_sql "60|180|0" \
    "SELECT granularity, max_duration, enabled FROM resource WHERE code = '\''BUC-G9'\''"'
tmux_keys P
prompt "Resource and settings" "CROG-G1 granularity=60"
test_expect "not another library's room (P9)" \
    'tmux_wait "not changed: ref.buc may"'
test_expect "held as the library's others" \
    'wait_sql UJJ "SELECT e.code FROM resource r JOIN establishment e ON e.id = r.establishment_id WHERE r.code = '\''BUC-G9'\''"'
tmux_keys u
test_expect "the accounts as a table" 'tmux_wait "Accounts (P1..P9)"'
test_expect "the cursor reaches desk.crog" 'highlight "desk.crog"'
tmux_keys Enter
test_expect "disabling asks first" 'tmux_wait "Disable desk.crog?"'
tmux_keys y
test_expect "a referent may not disable another library's desk (P7)" \
    'tmux_wait "whose grants on UJJ"'
tmux_keys K
prompt "Close every library" "2026-12-15 grève"
test_expect "the campus closure lists the bookings first (R13)" \
    'tmux_wait "Close every library on 2026-12-15"'
tmux_keys y
test_expect "every library closes that day" \
    'wait_sql \
    "$(sql "SELECT count(*) FROM establishment WHERE kind IN ('\''library'\'', '\''campus'\'')")" \
    "SELECT count(*) FROM hours_date WHERE closed = 1 AND reason = '\''grève'\''"'
tmux_keys q q y
tmux_wait "EXITED 0" || true

finish
