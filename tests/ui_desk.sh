#!/bin/sh
# The desk interface, round two (issue 13) and its base layer (issue 9,
# item 5): guichet in a private tmux server, keys typed with send-keys,
# the screen read with capture-pane. Sealed by tests/lib.sh (a temporary
# folder, a fixed clock, a private tmux server stopped on exit); bounded
# polling (tmux_words, tmux_gone, wait_for), each check a test_expect.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux not found"; exit 77; }
case "${TERM:-dumb}" in
dumb|unknown) TERM=xterm ;;
esac
export TERM
unset NO_COLOR
gargs="-d $DB"

start() {	# WIDTH HEIGHT [TEXT]: a new tmux server, guichet in it
	tmux_start "guichet-desk-$$-$n" "$1" "$2" \
	    "$GUICHET $gargs; echo EXITED \$?; sleep 60" &&
	    tmux_words "${3:-Account:}"
}
login() {	# ACCOUNT
	tmux_keys -l "$1"; tmux_keys Enter; tmux_keys -l demo; tmux_keys Enter
	tmux_words "Logged in as $1"
}
row_shows() {	# RESOURCE TEXT: its line of the grid has TEXT
	tmux_screen | grep "^$1 " | grep -qF -- "$2"
}
is_status() {	# RESOURCE HH:MM STATUS: that day's booking has it
	[ "$(g bookings --resource "$1" --date 2026-11-26 | grep " $2-" |
	    awk '{ print $5 }')" = "$3" ]
}
# line_is LINE PATTERN: that line of the screen matches (polled, 5 s at
# most, not slept on: a loaded machine redraws late).
line_matches() { tmux_screen | sed -n "$1p" | grep -q -- "$2"; }
line_is() { wait_for 50 line_matches "$1" "$2"; }

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
test_expect "desk.espe opens on its own library (ESPE), not BUC" \
    'tmux_words "ESPE Thu 2026-11-26"'
tmux_keys q
test_expect "q asks before quitting" 'tmux_words "Quit guichet?"'
tmux_keys n
test_expect "n keeps the desk open" 'tmux_gone "Quit guichet?"'
tmux_keys C-c
test_expect "Ctrl-C asks too" 'tmux_words "Quit guichet?"'
tmux_keys y
test_expect "y quits" 'tmux_words "EXITED 0"'

start 80 24
login desk.mirail
tmux_keys Right Left
tmux_gone "Logged in as"
test_expect "the hint line starts with f L / r g" \
    'tmux_screen | tail -1 |
    grep -q "^f free now  L late  / patron  r room  g date"'
test_expect "the header shows today's hours" 'tmux_words "open 08:00–20:00"'
test_expect "the header counts its pop-ups" \
    'tmux_screen | sed -n 2p | grep -q "▲ [12]/2 "'
tmux_keys m
test_expect "m opens the pop-ups in full" \
    'tmux_words "horaires habituels, salles de groupe"'
test_expect "m: every pop-up" 'tmux_words "CLAP fermé dans trois jours"'
tmux_keys Escape
tmux_gone "Pop-up messages"

# The cursor line, and the hours hidden at 80 columns.
test_expect "a line for the cell under the cursor: time, resource, status, patron" \
    'tmux_words "10:00-11:00 BUC-C1 confirmed, LATE Tom Girard"'
tmux_keys Down
test_expect "the cursor line follows the cursor" \
    'tmux_words "10:00-11:00 BUC-C2 confirmed, LATE Julie Faure"'
test_expect "hours hidden on the right are marked" 'tmux_words "18▶"'
tmux_keys End
test_expect "End: the last slot, hours hidden on the left marked" \
    'tmux_words "◀"'
test_expect "End: the last slot's time on the cursor line" \
    'tmux_words "19:30-20:00 BUC-C2 free"'
tmux_keys t

# x asks before freeing a late booking.
tmux_keys Enter
test_expect "a late booking's detail" 'tmux_words "LATE: not present"'
test_expect "its reference is short, not the full id" \
    'tmux_screen | grep -q "Ref  *[0-9a-f]\{8\} "'
tmux_keys x
test_expect "x asks before freeing" 'tmux_words "(a no-show, on record)?"'
tmux_keys n
test_expect "n frees nothing" 'is_status BUC-C2 10:00 confirmed'
tmux_keys x; tmux_words "on record)?"; tmux_keys y
test_expect "y frees it" 'tmux_words "freed (no-show)"'
test_expect "freed on record" 'is_status BUC-C2 10:00 no_show'
test_expect "a no-show's detail offers only Esc" 'tmux_words "Esc close"'
test_expect "a no-show's detail offers no v + - c x" 'tmux_gone "v validate"'
tmux_keys c
test_expect "c on a no-show says why, in words" \
    'tmux_words "this booking is no-show: nothing more to do on it"'
test_expect "no raw status code in the message" 'tmux_gone no_show'
tmux_keys Escape

# L: the library on screen only, scrolled, unticked, then all.
tmux_keys L
test_expect "L lists the late bookings of the library on screen" \
    'tmux_words "Late bookings of BUC"'
test_expect "L: BUC's late ones, ticked" 'tmux_words "[x] BUC-C1"'
test_expect "L: not another library's" 'tmux_gone CLAP-G2'
tmux_keys Down Space
test_expect "Space unticks one" 'tmux_words "5 of 6 ticked"'
tmux_keys End
test_expect "End in the list" 'tmux_words "[x] BUC-VP2"'
tmux_keys a
test_expect "a: every library, on request" \
    'tmux_words "Late bookings of every library"'
test_expect "a: CLAP's late ones too" 'tmux_words CLAP-G2'
tmux_keys a
tmux_words "Late bookings of BUC"
tmux_keys Down Space Enter
test_expect "Enter asks once, for the ticked ones" \
    'tmux_words "Free these 5 late bookings?"'
tmux_keys y
test_expect "freed what was ticked" \
    'tmux_words "Freed 5 late bookings (no-shows)."'
test_expect "the unticked one is kept" 'is_status BUC-G1 10:00 confirmed'
test_expect "CLAP's untouched" 'is_status CLAP-G2 10:00 confirmed'

# Prompts: the default is replaced by the first key; fields edit.
tmux_keys f
tmux_words "For how many minutes? 60"
tmux_keys -l 90; tmux_keys Enter
test_expect "the first key replaces a pre-filled answer (90, not 6090)" \
    'tmux_words "For how many people? 1"'
tmux_keys -l 4
test_expect "and again (4, not 14)" 'tmux_words "people? 4 "'
tmux_keys Escape; tmux_words "Drop the text typed?"; tmux_keys y
tmux_keys g; tmux_words "Date ("
tmux_keys -l abcd; tmux_keys Left Left; tmux_keys -l X
test_expect "Left moves in the field, typing inserts there" \
    'tmux_words "tomorrow): abXcd"'
tmux_keys C-w
test_expect "^W erases the word before the cursor" 'tmux_words "tomorrow): cd"'
tmux_keys End; tmux_keys -l " ef"; tmux_keys C-w
test_expect "^W after End" 'tmux_words "tomorrow): cd "'
tmux_keys C-u; tmux_keys -l demain; tmux_keys Enter
test_expect "dates: demain" 'tmux_words 2026-11-27'
tmux_keys g; tmux_words "Date ("; tmux_keys -l 20/12; tmux_keys Enter
test_expect "dates: 20/12 is this December" 'tmux_words 2026-12-20'
tmux_keys g; tmux_words "Date ("; tmux_keys -l +1; tmux_keys Enter
test_expect "dates: +1 from today" 'tmux_words 2026-11-27'
tmux_keys g; tmux_words "Date ("; tmux_keys -l 31/02; tmux_keys Enter
test_expect "a date that is none is refused, the prompt kept" \
    'tmux_words "'\''31/02'\'' is not a date"'
tmux_keys C-u; tmux_keys -l tomorrow; tmux_keys Enter
tmux_words "2026-11-27"

# Checks before the form: beyond the window, a slot over.
tmux_keys g; tmux_words "Date ("; tmux_keys -l +40; tmux_keys Enter
tmux_words "2027-01-05"
tmux_keys Enter
test_expect "a day beyond the window is refused before the form opens (R1)" \
    'tmux_words "bookings open 31 days ahead at most (R1)"'
test_expect "no form for it" 'tmux_gone "New booking"'
tmux_keys t; tmux_keys Home; tmux_keys Enter
test_expect "a slot over is refused before the form opens (R1)" \
    'tmux_words "the booking ends in the past (R1)"'
test_expect "no form for a slot over" 'tmux_gone "New booking"'

# Known patrons, times as typed at a counter.
tmux_keys r; tmux_words "Resource code:"; tmux_keys -l BUC-G4; tmux_keys Enter
tmux_keys t; tmux_keys Right Right Right Right; tmux_keys Enter
tmux_words "New booking"
tmux_keys -l known.patron@etu.univ-tlse2.fr
test_expect "a known patron's name is filled from the last booking" \
    'tmux_words "Name Known Patron"'
test_expect "and the phone" 'tmux_words "Phone 05 61 00 00 00"'
tmux_keys Down Down Down Down
tmux_keys -l 13h
test_expect "times: 13h" 'tmux_words "Can be booked"'
tmux_keys C-u; tmux_keys -l 1230
test_expect "times: 1230" 'tmux_words "Can be booked"'
tmux_keys Enter
test_expect "booked until 12:30" 'tmux_words "Booked BUC-G4 12:00-12:30"'
test_expect "with the name filled" \
    'g bookings --resource BUC-G4 --date 2026-11-26 | grep 12:00-12:30 |
    grep -q "Known Patron"'

# A long status message: wrapped above the status line; longer still,
# its end is one key away.
tmux_keys /; tmux_words "Part of the e-mail"
tmux_keys -l zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz; tmux_keys Enter
test_expect "a message longer than the line is wrapped, whole" \
    'tmux_words "zzzzz'\''."'
tmux_keys /; tmux_words "Part of the e-mail"
tmux_keys -l yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; tmux_keys Enter
test_expect "a message longer than three lines says ^G" 'tmux_words "^G: all"'
tmux_keys C-g
test_expect "^G shows it whole" 'tmux_words "Last message"'
test_expect "^G: its end too" 'tmux_words "yyyyyyyy'\''."'
tmux_keys Escape

# Patron lookup by part of the name, today and the future first, paged.
tmux_keys /; tmux_words "Part of the e-mail"; tmux_keys -l mercier; tmux_keys Enter
test_expect "by part of the name" \
    'tmux_words "Bookings matching '\''mercier'\''"'
test_expect "today first" \
    'tmux_screen | grep "Camille Mercier" | head -1 |
    grep -q "2026-11-26 [0-9]"'
tmux_keys End
test_expect "End: the last line of the list" 'tmux_words " 35/35 "'
test_expect "then the past, the latest first" \
    'tmux_screen | grep -A1 2026-12-16 | grep -q 2026-11-25'
tmux_keys PageUp
test_expect "PgUp: a page up" 'tmux_gone " 35/35 "'
tmux_keys Home
test_expect "Home: back to the first" 'tmux_words " 1/35 "'
tmux_keys Escape

# Help and statistics stop at their end.
tmux_keys '?'
tmux_words "Keys of Day grid"
for i in 1 2 3 4 5 6; do tmux_keys PageDown; done
test_expect "help: PgDn stops with the last page full" 'tmux_words Everywhere:'
tmux_keys Escape

# Ctrl-L reads the data again on a standalone desk.
GUICHET_PASSWORD=demo g -u desk.mirail book BUC-G6 --date 2026-11-26 --from 16:00 --to 17:00 \
    --email other.process@etu.univ-tlse2.fr >/dev/null
tmux_keys C-l
test_expect "Ctrl-L shows another process's booking" \
    'wait_for 50 row_shows BUC-G6 OP'
tmux_keys q; tmux_keys y; tmux_words "EXITED 0"

# [desk] account and library from guichet.ini.
mkdir -p "$XDG_CONFIG_HOME/guichet"
printf '[desk]\naccount = desk.crl\nlibrary = CRL\n' \
    >"$XDG_CONFIG_HOME/guichet/guichet.ini"
start 80 24 "Password:"
test_expect "[desk] account fills the login" 'tmux_words "Account: desk.crl"'
tmux_keys -l demo; tmux_keys Enter
test_expect "[desk] library opens the grid there" \
    'tmux_words "CRL Thu 2026-11-26"'
tmux_keys q; tmux_keys y; tmux_words "EXITED 0"
rm "$XDG_CONFIG_HOME/guichet/guichet.ini"

# Hours: each answer checked as given.
start 80 24
login ref.crog
tmux_keys H; tmux_words "Hours of CROG"
tmux_keys j e; tmux_words "(10:00-18:00):"
tmux_keys -l 18:00-10:00; tmux_keys Enter
test_expect "18:00-10:00 refused at once, before the reason" \
    'tmux_words "the closing comes before the opening"'
test_expect "the answer is kept to correct" \
    'tmux_words "(10:00-18:00): 18:00-10:00"'
tmux_keys C-u; tmux_keys -l 8h-19h; tmux_keys Enter
test_expect "8h-19h accepted, then the reason" \
    'tmux_words "Reason (may be empty)"'
tmux_keys Enter
test_expect "exceptional hours set" \
    'tmux_words "CROG open 08:00-19:00 on 2026-11-27."'
tmux_keys Escape; tmux_gone "Hours of CROG"
tmux_keys q; tmux_keys y; tmux_words "EXITED 0"

# Statistics longer than the screen stop at their end.
start 80 12
login ref.crog
tmux_keys S
tmux_words "Statistics of CROG"
for i in 1 2 3 4 5 6 7 8 9 10; do tmux_keys PageDown; done
test_expect "statistics: PgDn stops with the last line at the bottom" \
    'line_is 11 "^ 18h "'
tmux_keys Up
test_expect "statistics: and scrolls back" 'tmux_words " 10h █"'
tmux_keys End
test_expect "statistics: End shows the last page full" 'line_is 11 "^ 18h "'
tmux_keys q

# 40x10: the form scrolls to the field under the cursor.
start 40 10
login desk.mirail
tmux_keys r; tmux_words "Resource code:"; tmux_keys -l BUC-G4; tmux_keys Enter
tmux_keys t; tmux_keys Right Right Right Right Right Right; tmux_keys Enter
tmux_words "New booking"
tmux_keys Tab Tab Tab Tab
test_expect "40x10: the end field shows when the cursor is on it" \
    'tmux_words "Ends at"'
tmux_keys Escape
tmux_keys q; tmux_keys y


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
tmux_keys r; tmux_words "Resource code:"; tmux_keys -l BUC-G2; tmux_keys Enter
tmux_keys t; tmux_keys n
test_expect "the cursor on tomorrow's 10:00-11:30 booking" \
    'tmux_words "10:00-11:30 BUC-G2 confirmed Short Patron"'
tmux_keys Enter
tmux_words "Short Patron"
tmux_keys +
test_expect "+ over the lowered quota: refused (R3)" \
    'tmux_words "max a day (R3)"'
tmux_keys -
test_expect "- shortens it by a slot though the patron is over the quota (R14)" \
    'tmux_words shortened'
test_expect "the booking ends at 11:00" \
    'g bookings --resource BUC-G2 --date 2026-11-27 |
    grep -q "10:00-11:00  confirmed"'
tmux_keys Escape
test_expect "the grid shows it shorter" \
    'tmux_words "10:00-11:00 BUC-G2 confirmed Short Patron"'
tmux_keys Right Right
test_expect "its last half hour is free again" \
    'tmux_words "11:00-11:30 BUC-G2 free"'

# The patron list: today's first by start, then the coming ones, then the
# past; one slot's bookings by id. A total order, the same every time.
tmux_keys /; tmux_words "Part of the e-mail"
tmux_keys -l order.patron; tmux_keys Enter
tmux_words "Bookings matching"
tmux_screen | grep -o '2026-11-2[0-9] [0-9:]* BUC-G3 *[a-z]*' |
    tr -s ' ' >"$T/order"
printf '%s\n' "2026-11-26 10:00 BUC-G3 confirmed" \
    "2026-11-26 14:00 BUC-G3 confirmed" "2026-11-27 09:00 BUC-G3 confirmed" \
    "2026-11-27 15:00 BUC-G3 confirmed" "2026-11-27 15:00 BUC-G3 cancelled" \
    "2026-11-25 10:00 BUC-G3 confirmed" >"$T/order.want"
test_expect "the patron list: today by start, the coming days, the past; then id" \
    'cmp -s "$T/order" "$T/order.want"'
tmux_keys Escape
tmux_keys q; tmux_keys y

finish
