#!/bin/sh
# The desk interface, round two (issue 13) and its base layer (issue 9,
# item 5): guichet in a private tmux server, keys typed with send-keys,
# the screen read with capture-pane. Sealed by tests/lib.sh (a temporary
# folder, a fixed clock); a private tmux socket; bounded polling.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux not found"; exit 77; }
case "${TERM:-dumb}" in
dumb|unknown) TERM=xterm ;;
esac
export TERM
unset NO_COLOR
sock="guichet-desk-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
gargs="-d $DB"

screen() { tmux -L "$sock" capture-pane -p -t ui 2>/dev/null; }
keys() { tmux -L "$sock" send-keys -t ui "$@"; }
# Wait for a text (5 s at most); the words may be wrapped over lines.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		screen | tr -s ' \n' '  ' | grep -qF -- "$1" && return 0
		i=$((i + 1)); sleep 0.05
	done
	return 1
}
wait_gone() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -qF -- "$1" || return 0
		i=$((i + 1)); sleep 0.05
	done
	return 1
}
# check SENTENCE COMMAND...: one TAP line; the screen when it fails.
check() {
	what=$1; shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		screen | sed 's/^/#   | /'
		failures=$((failures + 1))
	fi
}
start() {	# WIDTH HEIGHT [TEXT]: a new session, guichet in it
	tmux -L "$sock" kill-server 2>/dev/null
	sock="guichet-desk-$$-$n"
	tmux -L "$sock" -f /dev/null new-session -d -s ui -x "$1" -y "$2" \
	    -e GUICHET_NOW="$GUICHET_NOW" -e LANG="$LANG" -e LC_ALL="$LC_ALL" \
	    -e TERM=screen -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
	    -e HOME="$HOME" "$GUICHET $gargs; echo EXITED \$?; sleep 60" &&
	    wait_for "${3:-Account:}"
}
login() {	# ACCOUNT
	keys -l "$1"; keys Enter; keys -l demo; keys Enter
	wait_for "Logged in as $1"
}
row_of() {	# RESOURCE: its line of the grid
	screen | grep "^$1 "
}
is_status() {	# RESOURCE HH:MM STATUS: that day's booking has it
	[ "$(g bookings --resource "$1" --date 2026-11-26 | grep " $2-" |
	    awk '{ print $5 }')" = "$3" ]
}
# line_is LINE PATTERN: that line of the screen matches (polled, 5 s at
# most, not slept on: a loaded machine redraws late).
line_is() {
	i=0
	while [ $i -lt 100 ]; do
		screen | sed -n "$1p" | grep -q -- "$2" && return 0
		i=$((i + 1)); sleep 0.05
	done
	return 1
}
has_line() {	# TEXT: some line of the screen has it
	screen | grep -qF -- "$1"
}

g init --demo >/dev/null || { echo "Bail out! init failed"; exit 99; }
# The interface of a standalone desk sweeps (R5, R6) while open: the late
# and unconfirmed bookings handled by hand below are kept.
command -v sqlite3 >/dev/null 2>&1 || { echo "1..0 # SKIP no sqlite3"; exit 77; }
sqlite3 "$DB" "INSERT INTO setting VALUES ('auto_release', '0')
    ON CONFLICT DO UPDATE SET value = '0';
    INSERT INTO setting VALUES ('confirm_hours', '168')
    ON CONFLICT DO UPDATE SET value = '168';" ||
    { echo "Bail out! settings"; exit 99; }
# A patron the desk has seen: a carrel tomorrow, name and phone given.
GUICHET_PASSWORD=demo g -u desk.mirail book BUC-C4 --date 2026-11-28 \
    --from 14:00 --to 15:00 --email known.patron@etu.univ-tlse2.fr \
    --name "Known Patron" --phone "05 61 00 00 00" >/dev/null ||
    { echo "Bail out! booking failed"; exit 99; }

# --- The account's own library, and the base layer's keys. ---
start 80 24
login desk.espe
check "desk.espe opens on its own library (ESPE), not BUC" \
    wait_for "ESPE Thu 2026-11-26"
keys q
check "q asks before quitting" wait_for "Quit guichet?"
keys n
check "n keeps the desk open" wait_gone "Quit guichet?"
keys C-c
check "Ctrl-C asks too" wait_for "Quit guichet?"
keys y
check "y quits" wait_for "EXITED 0"

start 80 24
login desk.mirail
keys Right Left
wait_gone "Logged in as"
check "the hint line starts with f L / r g" \
    sh -c "tmux -L $sock capture-pane -p -t ui | tail -1 | grep -q '^f free now  L late  / patron  r room  g date'"
check "the header shows today's hours" wait_for "open 08:00–20:00"
check "the header counts its pop-ups" sh -c \
    "tmux -L $sock capture-pane -p -t ui | sed -n 2p | grep -q '▲ [12]/2 '"
keys m
check "m opens the pop-ups in full" wait_for "horaires habituels, salles de groupe"
check "m: every pop-up" wait_for "CLAP fermé dans trois jours"
keys Escape
wait_gone "Pop-up messages"

# The cursor line, and the hours hidden at 80 columns.
check "a line for the cell under the cursor: time, resource, status, patron" \
    wait_for "10:00-11:00 BUC-C1 confirmed, LATE Tom Girard"
keys Down
check "the cursor line follows the cursor" \
    wait_for "10:00-11:00 BUC-C2 confirmed, LATE Julie Faure"
check "hours hidden on the right are marked" wait_for "18▶"
keys End
check "End: the last slot, hours hidden on the left marked" wait_for "◀"
check "End: the last slot's time on the cursor line" wait_for "19:30-20:00 BUC-C2 free"
keys t

# x asks before freeing a late booking.
keys Enter
check "a late booking's detail" wait_for "LATE: not present"
check "its reference is short, not the full id" sh -c \
    "tmux -L $sock capture-pane -p -t ui | grep -q 'Ref  *[0-9a-f]\{8\} '"
keys x
check "x asks before freeing" wait_for "(a no-show, on record)?"
keys n
check "n frees nothing" is_status BUC-C2 10:00 confirmed
keys x; wait_for "on record)?"; keys y
check "y frees it" wait_for "freed (no-show)"
check "freed on record" is_status BUC-C2 10:00 no_show
check "a no-show's detail offers only Esc" wait_for "Esc close"
check "a no-show's detail offers no v + - c x" wait_gone "v validate"
keys c
check "c on a no-show says why, in words" \
    wait_for "this booking is no-show: nothing more to do on it"
check "no raw status code in the message" wait_gone "no_show"
keys Escape

# L: the library on screen only, scrolled, unticked, then all.
keys L
check "L lists the late bookings of the library on screen" \
    wait_for "Late bookings of BUC"
check "L: BUC's late ones, ticked" wait_for "[x] BUC-C1"
check "L: not another library's" wait_gone "CLAP-G2"
keys Down Space
check "Space unticks one" wait_for "5 of 6 ticked"
keys End
check "End in the list" wait_for "[x] BUC-VP2"
keys a
check "a: every library, on request" wait_for "Late bookings of every library"
check "a: CLAP's late ones too" wait_for "CLAP-G2"
keys a
wait_for "Late bookings of BUC"
keys Down Space Enter
check "Enter asks once, for the ticked ones" wait_for "Free these 5 late bookings?"
keys y
check "freed what was ticked" wait_for "Freed 5 late bookings (no-shows)."
check "the unticked one is kept" is_status BUC-G1 10:00 confirmed
check "CLAP's untouched" is_status CLAP-G2 10:00 confirmed

# Prompts: the default is replaced by the first key; fields edit.
keys f
wait_for "For how many minutes? 60"
keys -l 90; keys Enter
check "the first key replaces a pre-filled answer (90, not 6090)" \
    wait_for "For how many people? 1"
keys -l 4
check "and again (4, not 14)" wait_for "people? 4 "
keys Escape; wait_for "Drop the text typed?"; keys y
keys g; wait_for "Date ("
keys -l abcd; keys Left Left; keys -l X
check "Left moves in the field, typing inserts there" wait_for "tomorrow): abXcd"
keys C-w
check "^W erases the word before the cursor" wait_for "tomorrow): cd"
keys End; keys -l " ef"; keys C-w
check "^W after End" wait_for "tomorrow): cd "
keys C-u; keys -l demain; keys Enter
check "dates: demain" wait_for "2026-11-27"
keys g; wait_for "Date ("; keys -l 20/12; keys Enter
check "dates: 20/12 is this December" wait_for "2026-12-20"
keys g; wait_for "Date ("; keys -l +1; keys Enter
check "dates: +1 from today" wait_for "2026-11-27"
keys g; wait_for "Date ("; keys -l 31/02; keys Enter
check "a date that is none is refused, the prompt kept" \
    wait_for "'31/02' is not a date"
keys C-u; keys -l tomorrow; keys Enter
wait_for "2026-11-27"

# Checks before the form: beyond the window, a slot over.
keys g; wait_for "Date ("; keys -l +40; keys Enter
wait_for "2027-01-05"
keys Enter
check "a day beyond the window is refused before the form opens (R1)" \
    wait_for "bookings open 31 days ahead at most (R1)"
check "no form for it" wait_gone "New booking"
keys t; keys Home; keys Enter
check "a slot over is refused before the form opens (R1)" \
    wait_for "the booking ends in the past (R1)"
check "no form for a slot over" wait_gone "New booking"

# Known patrons, times as typed at a counter.
keys r; wait_for "Resource code:"; keys -l BUC-G4; keys Enter
keys t; keys Right Right Right Right; keys Enter
wait_for "New booking"
keys -l known.patron@etu.univ-tlse2.fr
check "a known patron's name is filled from the last booking" \
    wait_for "Name Known Patron"
check "and the phone" wait_for "Phone 05 61 00 00 00"
keys Down Down Down Down
keys -l 13h
check "times: 13h" wait_for "Can be booked"
keys C-u; keys -l 1230
check "times: 1230" wait_for "Can be booked"
keys Enter
check "booked until 12:30" wait_for "Booked BUC-G4 12:00-12:30"
check "with the name filled" sh -c \
    "'$GUICHET' -d '$DB' bookings --resource BUC-G4 --date 2026-11-26 | grep 12:00-12:30 | grep -q 'Known Patron'"

# A long status message: wrapped above the status line; longer still,
# its end is one key away.
keys /; wait_for "Part of the e-mail"
keys -l zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz; keys Enter
check "a message longer than the line is wrapped, whole" wait_for "zzzzz'."
keys /; wait_for "Part of the e-mail"
keys -l yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; keys Enter
check "a message longer than three lines says ^G" wait_for "^G: all"
keys C-g
check "^G shows it whole" wait_for "Last message"
check "^G: its end too" wait_for "yyyyyyyy'."
keys Escape

# Patron lookup by part of the name, today and the future first, paged.
keys /; wait_for "Part of the e-mail"; keys -l mercier; keys Enter
check "by part of the name" wait_for "Bookings matching 'mercier'"
check "today first" sh -c \
    "tmux -L $sock capture-pane -p -t ui | grep 'Camille Mercier' | head -1 | grep -q '2026-11-26 [0-9]'"
keys End
check "End: the last line of the list" wait_for " 35/35 "
check "then the past, the latest first" sh -c \
    "tmux -L $sock capture-pane -p -t ui | grep -A1 '2026-12-16' | grep -q '2026-11-25'"
keys PageUp
check "PgUp: a page up" wait_gone " 35/35 "
keys Home
check "Home: back to the first" wait_for " 1/35 "
keys Escape

# Help and statistics stop at their end.
keys '?'
wait_for "Keys of Day grid"
for i in 1 2 3 4 5 6; do keys PageDown; done
check "help: PgDn stops with the last page full" wait_for "Everywhere:"
keys Escape

# Ctrl-L reads the data again on a standalone desk.
GUICHET_PASSWORD=demo g -u desk.mirail book BUC-G6 --date 2026-11-26 --from 16:00 --to 17:00 \
    --email other.process@etu.univ-tlse2.fr >/dev/null
keys C-l
check "Ctrl-L shows another process's booking" sh -c \
    "for i in \$(seq 50); do tmux -L $sock capture-pane -p -t ui | grep '^BUC-G6 ' | grep -q 'OP' && exit 0; sleep 0.1; done; exit 1"
keys q; keys y; wait_for "EXITED 0"

# [desk] account and library from guichet.ini.
mkdir -p "$XDG_CONFIG_HOME/guichet"
printf '[desk]\naccount = desk.crl\nlibrary = CRL\n' \
    >"$XDG_CONFIG_HOME/guichet/guichet.ini"
start 80 24 "Password:"
check "[desk] account fills the login" wait_for "Account: desk.crl"
keys -l demo; keys Enter
check "[desk] library opens the grid there" wait_for "CRL Thu 2026-11-26"
keys q; keys y; wait_for "EXITED 0"
rm "$XDG_CONFIG_HOME/guichet/guichet.ini"

# Hours: each answer checked as given.
start 80 24
login ref.crog
keys H; wait_for "Hours of CROG"
keys j e; wait_for "(10:00-18:00):"
keys -l 18:00-10:00; keys Enter
check "18:00-10:00 refused at once, before the reason" \
    wait_for "the closing comes before the opening"
check "the answer is kept to correct" wait_for "(10:00-18:00): 18:00-10:00"
keys C-u; keys -l 8h-19h; keys Enter
check "8h-19h accepted, then the reason" wait_for "Reason (may be empty)"
keys Enter
check "exceptional hours set" wait_for "CROG open 08:00-19:00 on 2026-11-27."
keys Escape; wait_gone "Hours of CROG"
keys q; keys y; wait_for "EXITED 0"

# Statistics longer than the screen stop at their end.
start 80 12
login ref.crog
keys S
wait_for "Statistics of CROG"
for i in 1 2 3 4 5 6 7 8 9 10; do keys PageDown; done
check "statistics: PgDn stops with the last line at the bottom" \
    line_is 11 '^ 18h '
keys Up
check "statistics: and scrolls back" wait_for " 10h █"
keys End
check "statistics: End shows the last page full" line_is 11 '^ 18h '
keys q

# 40x10: the form scrolls to the field under the cursor.
start 40 10
login desk.mirail
keys r; wait_for "Resource code:"; keys -l BUC-G4; keys Enter
keys t; keys Right Right Right Right Right Right; keys Enter
wait_for "New booking"
keys Tab Tab Tab Tab
check "40x10: the end field shows when the cursor is on it" wait_for "Ends at"
keys Escape
keys q; keys y


# --- Shortening with '-' (R14), and the patron list's order. ---
# A patron books BUC-G2 tomorrow 10:00-11:30; then the room's daily quota
# is lowered to 30 min: over their maximum, they may still give time back
# (R14), even to 1 h still over it, but not take more (R3).
GUICHET_PASSWORD=demo g -u desk.mirail book BUC-G2 --date 2026-11-27 \
    --from 10:00 --to 11:30 --email short.patron@etu.univ-tlse2.fr \
    --name "Short Patron" >/dev/null ||
    { echo "Bail out! booking failed"; exit 99; }
# Another patron's bookings, written in a shuffled order: yesterday, today
# 14:00 and 10:00, tomorrow 09:00, and tomorrow 15:00 twice on the same
# room (freed and booked again: without the id in the sort, the index
# put the cancelled one first, by status).
ts() { sqlite3 "$DB" "SELECT CAST(strftime('%s', '$1') AS INTEGER)"; }
ins() {	# ID UTC-START STATUS
	sqlite3 "$DB" "INSERT INTO booking (id, resource_id, start, end,
	    email, name, origin, status, created_at, changed_at)
	    SELECT '$1', id, $(ts "$2"), $(ts "$2") + 3600,
	    'order.patron@etu.univ-tlse2.fr', 'Order Patron', 'desk', '$3',
	    0, 0 FROM resource WHERE code = 'BUC-G3'"
}
sqlite3 "$DB" "UPDATE resource SET day_quota = 30 WHERE code = 'BUC-G2'" &&
    ins order-past '2026-11-25 09:00:00' confirmed &&
    ins order-t14 '2026-11-26 13:00:00' confirmed &&
    ins order-t10 '2026-11-26 09:00:00' confirmed &&
    ins order-n09 '2026-11-27 08:00:00' confirmed &&
    ins zz-order-n15 '2026-11-27 14:00:00' cancelled &&
    ins aa-order-n15 '2026-11-27 14:00:00' confirmed ||
    { echo "Bail out! sqlite3"; exit 99; }

start 80 24
login desk.mirail
keys r; wait_for "Resource code:"; keys -l BUC-G2; keys Enter
keys t; keys n
check "the cursor on tomorrow's 10:00-11:30 booking" \
    wait_for "10:00-11:30 BUC-G2 confirmed Short Patron"
keys Enter
wait_for "Short Patron"
keys +
check "+ over the lowered quota: refused (R3)" wait_for "max a day (R3)"
keys -
check "- shortens it by a slot though the patron is over the quota (R14)" \
    wait_for "shortened"
check "the booking ends at 11:00" sh -c "'$GUICHET' -d '$DB' bookings \
    --resource BUC-G2 --date 2026-11-27 | grep -q '10:00-11:00  confirmed'"
keys Escape
check "the grid shows it shorter" \
    wait_for "10:00-11:00 BUC-G2 confirmed Short Patron"
keys Right Right
check "its last half hour is free again" wait_for "11:00-11:30 BUC-G2 free"

# The patron list: today's first by start, then the coming ones, then the
# past; one slot's bookings by id. A total order, the same every time.
keys /; wait_for "Part of the e-mail"
keys -l order.patron; keys Enter
wait_for "Bookings matching"
screen | grep -o '2026-11-2[0-9] [0-9:]* BUC-G3 *[a-z]*' |
    tr -s ' ' >"$T/order"
printf '%s\n' "2026-11-26 10:00 BUC-G3 confirmed" \
    "2026-11-26 14:00 BUC-G3 confirmed" "2026-11-27 09:00 BUC-G3 confirmed" \
    "2026-11-27 15:00 BUC-G3 confirmed" "2026-11-27 15:00 BUC-G3 cancelled" \
    "2026-11-25 10:00 BUC-G3 confirmed" >"$T/order.want"
check "the patron list: today by start, the coming days, the past; then id" \
    cmp -s "$T/order" "$T/order.want"
keys Escape
keys q; keys y

finish
