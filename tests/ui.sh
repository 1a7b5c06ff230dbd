#!/bin/sh
# Terminal tests of the full-screen interface: guichet runs inside a
# private tmux server, keys are typed with send-keys and the screen is read
# with capture-pane. Sealed by tests/lib.sh (a temporary folder, a fixed
# clock), a private socket; bounded polling instead of sleeps.
. "${top_srcdir:=$(dirname "$0")/..}/tests/lib.sh"

unset NO_COLOR
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux not found"; exit 77; }
# tmux refuses to start without a usable TERM (make check may have none).
case "${TERM:-dumb}" in
dumb|unknown) TERM=xterm ;;
esac
export TERM
dir=$T
db=$DB
# How guichet is started: the standalone database, or a desk's files.
gargs="-d $db"
starts=0

# A text that the background sync brings, at most 30 s: the worker
# backs off (1, 2, 4... s) while the backend is away.
wait_sync() { tmux_wait "$1" 300; }

# Start guichet in a new tmux server: TERM inside, width, height, and the
# text to wait for (the login screen's by default).
start() {
	starts=$((starts + 1))
	TMUX_TERM=${1:-screen} tmux_start "guichet-ui-$$-$starts" "${2:-80}" \
	    "${3:-24}" "$GUICHET $gargs; echo EXITED \$?; sleep 60" &&
	    tmux_wait "${4:-Account:}"
}

login() {
	tmux_keys -l "$1"
	tmux_keys Enter
	tmux_keys -l demo
	tmux_keys Enter
	tmux_wait "$1"
}

"$GUICHET" -d "$db" init --demo >/dev/null || { echo "init failed"; exit 99; }
# A standalone interface sweeps (R5, R6) while it is open: the late and
# unconfirmed bookings the tests below handle by hand are kept by turning
# expiry and auto-release down here; the sweep itself is tested at the end.
sqlite3 "$db" "INSERT INTO setting VALUES ('auto_release', '0')
    ON CONFLICT DO UPDATE SET value = '0';
    INSERT INTO setting VALUES ('confirm_hours', '168')
    ON CONFLICT DO UPDATE SET value = '168';" ||
	{ echo "settings failed"; exit 99; }

# Login, good and bad.
start
tmux_keys -l desk.mirail; tmux_keys Enter; tmux_keys -l wrong; tmux_keys Enter
test_expect "bad password refused" 'tmux_wait "Login refused"'
tmux_keys -l demo; tmux_keys Enter
test_expect "good password opens the grid" 'tmux_wait "BUC-C1"'
test_expect "header: library, clock, backend" 'tmux_wait "BUC Thu 2026-11-26 10:16:00  standalone"'
test_expect "header: occupancy against the jauge" 'tmux_wait "occupancy 4% (16/400)"'

# Help overlay, from the grid's key table.
tmux_keys '?'
test_expect "help lists the grid's keys" 'tmux_wait "find a patron by part of the e-mail"'
tmux_keys Escape
test_expect "help closes" 'tmux_gone "Keys of Day grid"'

# Moving: the header follows the library under the cursor.
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l CROG-G1; tmux_keys Enter
test_expect "moving to another library's row" 'tmux_wait "CROG Thu 2026-11-26"'
tmux_keys k j h l
# Arrows as ESC [ B (a terminal that ignores keypad mode): they move too.
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l BUC-AT-ZOTERO; tmux_keys Enter
tmux_wait "BUC Thu 2026-11-26"
tmux -L "$TMUX_SOCK" send-keys -t ui -H 1b 5b 42
test_expect "arrows sent as ESC [ B move the cursor" 'tmux_wait "CLAP Thu 2026-11-26"'
tmux -L "$TMUX_SOCK" send-keys -t ui -H 1b 5b 41
test_expect "arrows sent as ESC [ A move it back" 'tmux_wait "BUC Thu 2026-11-26"'

# Rights: desk.mirail may not plan CROG-FORM1 (R8).
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l CROG-FORM1; tmux_keys Enter
tmux_wait "CROG-FORM1*"
tmux_keys Home l Enter
test_expect "desk.mirail refused on CROG-FORM1 with the reason" 'tmux_wait "read-only: CROG-FORM1 is a training room"'

tmux_gone "read-only:"
# Booking a free slot: BUC-G4 at 12:00 (the axis starts at 08:00).
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l BUC-G4; tmux_keys Enter
tmux_keys Home; tmux_keys -l llllllll; tmux_keys Enter
test_expect "the form opens on a free cell" 'tmux_wait "New booking"'
test_expect "the form says what is missing" \
    "tmux_wait \"Type the patron's e-mail\""
tmux_keys -l test.patron@etu.univ-tlse2.fr
test_expect "the form checks as the agent types" 'tmux_wait "Can be booked"'
tmux_keys Tab; tmux_keys -l "Test Patron"
tmux_keys Enter
test_expect "booked, on the status line" 'tmux_wait "Booked BUC-G4"'
test_expect "booked, in the grid" 'tmux_wait "TP "'
test_expect "booked, in guichet bookings" '"$GUICHET" -d "$db" bookings \
    --date 2026-11-26 | grep BUC-G4 | grep -q test.patron@etu.univ-tlse2.fr'

# A refused booking, with its reason: the e-mail domain (R2).
tmux_keys k; tmux_keys Enter
tmux_wait "New booking"
tmux_keys -l someone@example.org
test_expect "refused booking shows the rule" 'tmux_wait "(R2)"'
tmux_keys Enter
test_expect "Enter does not book a refused form" 'tmux_wait "not booked:"'

# Resizes while the form is open keep the form and what is typed.
# Regression: the form was cut at the old width, and shrinking left the
# grid blank (get_wch refreshed the resized stdscr over everything).
# One capture must show it all, polled until the last resize is drawn:
# a text, the form's e-mail line whole, its bottom border, and the pane's
# width (two quick resizes: the first one's screen may still show).
form_drawn() {	# TEXT WIDTH
	_pane=$(tmux_screen)
	printf '%s\n' "$_pane" | grep -qF -- "$1" &&
	    printf '%s\n' "$_pane" | grep -q 'E-mail    someone@example.org  *│ *$' &&
	    printf '%s\n' "$_pane" | grep -q '└─────*┘' &&
	    [ "$(tmux -L "$TMUX_SOCK" display-message -p -t ui '#{pane_width}')" = "$2" ]
}
form_whole() { wait_for 100 form_drawn "$@"; }
tmux -L "$TMUX_SOCK" resize-window -t ui -x 200 -y 60
tmux_wait "CROG-FORM1"
test_expect "resize to 200x60 inside a form" 'form_whole "someone@example.org" 200'
test_expect "resize to 200x60: the grid is drawn" 'tmux_wait "ESPE-G2"'
tmux -L "$TMUX_SOCK" resize-window -t ui -x 80 -y 24
test_expect "resize to 80x24 inside a form" 'form_whole "someone@example.org" 80'
test_expect "resize to 80x24: the grid is drawn" 'tmux_wait "2026-11-26     08h"'
tmux -L "$TMUX_SOCK" resize-window -t ui -x 100 -y 30
tmux -L "$TMUX_SOCK" resize-window -t ui -x 80 -y 24
test_expect "two quick resizes: form and grid" 'form_whole "2026-11-26     08h" 80'
tmux_keys Escape
test_expect "Esc on a half-filled form asks" 'tmux_wait "Drop this half-filled booking?"'
tmux_keys y
tmux_wait "nothing booked"

# 09:05, a phone call: this patron already has 1 h today, two more would
# be 3 h (R3: 2 h a day); the form offers 14:00-15:00 and one key takes it.
tmux_gone "nothing booked"
GUICHET_PASSWORD=demo "$GUICHET" -d "$db" -u desk.mirail book BUC-G1 \
    --date 2026-11-26 --from 16:00 --to 17:00 \
    --email phone.patron@etu.univ-tlse2.fr >/dev/null ||
    test_expect "the patron's first hour" false
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l BUC-G3; tmux_keys Enter
tmux_keys Home; tmux_keys -l llllllllllll; tmux_keys Enter
tmux_wait "2026-11-26 from 14:00"
tmux_wait "New booking"
tmux_keys -l phone.patron@etu.univ-tlse2.fr
tmux_keys Tab Tab Tab Tab BSpace BSpace BSpace BSpace BSpace; tmux_keys -l 16:00
test_expect "the form says the day's quota, with its figures (R3)" 'tmux_words "this patron has 1 h"'
test_expect "the refusal cites R3" 'tmux_words "2 h max a day (R3)"'
test_expect "the form offers what fits from the same start" 'tmux_words "14:00-15:00 is possible: ^O"'
tmux_keys C-o
test_expect "one key takes the offer" 'tmux_wait "Can be booked"'
test_expect "the end is the offer's" 'tmux_wait "Ends at   15:00"'
tmux_keys Enter
test_expect "booked: local HH:MM on the status line" 'tmux_wait "Booked BUC-G3 14:00-15:00 for phone.patron"'
test_expect "booked what was offered" '"$GUICHET" -d "$db" bookings \
    --date 2026-11-26 --email phone.patron@etu.univ-tlse2.fr | grep BUC-G3 |
    grep -q "14:00-15:00  confirmed"'
tmux_keys '?'; tmux_wait "Keys of Day grid"
tmux_keys j j j j j j j j j j j j j j
test_expect "the grid's help lists the sync key" 'tmux_wait "sync now with the backend"'
tmux_keys Escape
tmux_gone "Keys of Day grid"

# 09:20, walk-in: free from now for an hour, for four people: rooms with
# enough seats only (a carrel has one), Enter books it as walk-in. A
# carrel is freed first, so that one person would get it.
c2=$("$GUICHET" -d "$db" bookings --date 2026-11-26 --resource BUC-C2 |
    grep '10:00-11:00  confirmed' | cut -d' ' -f1)
GUICHET_PASSWORD=demo "$GUICHET" -d "$db" -u desk.mirail cancel "$c2" \
    --reason "patron called" >/dev/null ||
    test_expect "freeing BUC-C2" false
tmux_keys f; tmux_wait "For how many minutes?"; tmux_keys Enter
test_expect "free now asks how many people" 'tmux_wait "For how many people?"'
tmux_keys BSpace; tmux_keys -l 4; tmux_keys Enter
test_expect "free now lists for the duration and the people" 'tmux_wait "Free from now for 60 min, 4 people"'
test_expect "free now lists a group room with its seats" 'tmux_wait "10:00-11:00  6 seats"'
test_expect "free now leaves out what has too few seats" \
    '! tmux_screen | grep -q "BUC-C2 *10:00-11:00"'
tmux_keys Enter
test_expect "Enter on a free room opens the form" 'tmux_wait "New booking"'
test_expect "the form is a walk-in" 'tmux_wait "( ) phone   (*) walk-in"'
tmux_keys -l walkin.group@etu.univ-tlse2.fr; tmux_wait "Can be booked"
tmux_keys Enter
test_expect "walk-in booked" 'tmux_wait "-11:00 for walkin.group"'
# R6: the patron is at the counter: present from its creation.
test_expect "booked as walk-in, present (R6)" '[ "$(sqlite3 "$db" \
    ".timeout 5000" "SELECT origin || '\'' '\'' || status FROM booking
    WHERE email = '\''walkin.group@etu.univ-tlse2.fr'\''")" = "walk-in present" ]'
tmux_keys f; tmux_wait "For how many minutes?"; tmux_keys Enter
tmux_wait "For how many people?"
tmux_keys BSpace; tmux_keys -l 1; tmux_keys Enter
tmux_wait "Free from now for 60 min, 1 person"
test_expect "one person: the free carrel too" \
    'tmux_screen | grep -q "BUC-C2 *10:00-11:00  1 seat "'
tmux_keys Escape
tmux_keys f; tmux_wait "For how many minutes?"; tmux_keys Enter
tmux_wait "For how many people?"
tmux_keys BSpace; tmux_keys -l 30; tmux_keys Enter
test_expect "thirty people: nothing is free" 'tmux_wait "Nothing is free from now for 60 min with 30 seats."'
tmux_keys f; tmux_wait "For how many minutes?"; tmux_keys Enter
tmux_wait "For how many people?"
tmux_keys BSpace; tmux_keys -l four; tmux_keys Enter
test_expect "people must be a number" 'tmux_wait "type a number of people"'
test_expect "a refused answer stays, to be corrected" 'tmux_wait "people? four"'
tmux_keys Escape
test_expect "Esc on typed text asks before dropping it" 'tmux_wait "Drop the text typed?"'
tmux_keys y

# Sync now on a standalone desk: it says there is no backend.
tmux_keys s
test_expect "sync now without a backend says so" 'tmux_wait "no backend: this desk is standalone"'

# 16:30, workshops: the Zotero session shows 11/12; Enter on it adds one
# participant who came to the desk, and the session is then full (R7).
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l BUC-AT-ZOTERO; tmux_keys Enter
tmux_keys Home; tmux_keys -l llllllllllll; tmux_keys Enter
test_expect "Enter on a session opens a booking of a place" 'tmux_wait "New booking"'
tmux_keys -l at.the.desk@etu.univ-tlse2.fr
tmux_keys Enter
test_expect "the participant is booked" 'tmux_wait "Booked BUC-AT-ZOTERO"'
test_expect "the session shows it full" 'tmux_wait "12/12"'
test_expect "the place is in guichet bookings" \
    '"$GUICHET" -d "$db" bookings --resource BUC-AT-ZOTERO | grep -q at.the.desk@'

# Validating presence on a late booking (BUC-G5 at 10:00).
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l BUC-G5; tmux_keys Enter
tmux_keys t
tmux_wait "!H"
tmux_keys Enter
test_expect "a late booking says so" 'tmux_wait "LATE"'
tmux_keys v
test_expect "presence validated" 'tmux_wait "presence validated"'
tmux_keys Escape

# Free all late bookings: listed, asked once, freed.
tmux_keys L
test_expect "late bookings of the library on screen, ticked" 'tmux_wait "Late bookings of BUC"'
# One of the demo's late bookings (R6: an exclusive public room, not
# validated 15 min after its start).
late_id=$(sqlite3 "$db" "SELECT b.id FROM booking b JOIN resource r ON
    r.id = b.resource_id WHERE b.status = 'confirmed' AND r.public = 1 AND
    r.type IN ('group_room', 'carrel', 'equipment') AND max(b.start,
    b.created_at) < unixepoch('2026-11-26 09:01:00') AND b.end >
    unixepoch('2026-11-26 09:16:00') ORDER BY b.start, b.id LIMIT 1")
late_email=$(sqlite3 "$db" "SELECT email FROM booking WHERE id = '$late_id'")
tmux_keys a
test_expect "every library's, on request" 'tmux_wait "Late bookings of every library"'
test_expect "the list shows late ones, ticked" 'tmux_wait "[x] "'
tmux_keys Enter
test_expect "late bookings listed before freeing" 'tmux_wait "late bookings?"'
tmux_keys y
test_expect "late bookings freed" 'tmux_wait "Freed"'
test_expect "freed are no-shows on record" '[ "$(sqlite3 "$db" \
    "SELECT status FROM booking WHERE id = '\''$late_id'\''")" = no_show ]'

# Quit: asks first (a q meant for a popup must not close the desk).
tmux_keys q; tmux_keys y
test_expect "q quits" 'tmux_wait "EXITED 0"'

# Other terminals, ASCII and no colors: the grid still draws.
for term in vt100 linux xterm-256color; do
	start "$term"
	login desk.mirail
	test_expect "TERM=$term draws the grid" 'tmux_wait "BUC-G1"'
	tmux_keys q; tmux_keys y
done
LANG=C LC_ALL=C start vt100
login desk.mirail
test_expect "ASCII fallback (C locale)" 'tmux_wait ". "'
test_expect "ASCII fallback: no box drawing" '! tmux_screen | grep -q "▸"'
# UTF-8 data the C locale cannot show: marked, never cut there.
test_expect "ASCII fallback: an accent shows as ?, the rest follows" 'tmux_wait "Biblioth?que universitai"'
tmux_keys q; tmux_keys y

# 15:00 over SSH: the CROG referent closes CROG tomorrow from the hours
# screen (R13): the bookings it would cancel are listed, asked once, then
# cancelled with the reason; the grid shows the day closed.
row_shows() {	# RESOURCE TEXT: the resource's row shows the text
	tmux_screen | grep "^$1 " | grep -qF -- "$2"
}
row_has() { wait_for 50 row_shows "$@"; }
start screen 200 50
login ref.crog
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l CROG-G1; tmux_keys Enter
tmux_wait "CROG Thu 2026-11-26"
tmux_keys H
test_expect "hours screen: the library's next 14 days" 'tmux_wait "Hours of CROG (Centre de ressources Olympe de Gouges)"'
test_expect "hours screen: weekly closures" 'tmux_wait "2026-11-28 Sat  closed"'
test_expect "hours screen: the last of the 14 days" 'tmux_wait "2026-12-09 Wed  08:30-18:30"'
tmux_keys '?'
test_expect "hours screen: help from its key table" 'tmux_wait "close the day (asks the reason"'
tmux_keys Escape
tmux_gone "Keys of Hours"
tmux_keys j c
test_expect "closing asks the reason" 'tmux_wait "Close CROG on 2026-11-27, reason:"'
tmux_keys -l "Staff meeting"; tmux_keys Enter
test_expect "the closure lists what it would cancel, asks once" 'tmux_wait "Close CROG on 2026-11-27 and cancel these 4 bookings with the reason?"'
# The first live booking of the day, as the list shows it.
first=$(sqlite3 "$db" "SELECT r.code || ' ' || strftime('%H:%M', b.start,
    'unixepoch', '+1 hour') || '-' || strftime('%H:%M', b.end, 'unixepoch',
    '+1 hour') || '  ' || b.name || '  ' || b.email FROM booking b JOIN
    resource r ON r.id = b.resource_id JOIN establishment l ON l.id =
    r.library_id WHERE l.code = 'CROG' AND b.status IN
    ('pending_confirmation', 'confirmed', 'present') AND b.start >=
    unixepoch('2026-11-26 23:00:00') AND b.start < unixepoch('2026-11-27
    23:00:00') ORDER BY b.start, r.code, b.id LIMIT 1")
first_code=${first%% *}
first_rest=${first#* }
test_expect "the list: room, time, patron" \
    'tmux_wait "$(printf "%-12s %s" "$first_code" "$first_rest")"'
tmux_keys y
test_expect "closed, and said so" 'tmux_wait "CROG closed on 2026-11-27: 4 bookings cancelled with the reason."'
test_expect "the hours screen shows the day closed, with the reason" 'tmux_wait "2026-11-27 Fri  closed: Staff meeting"'
test_expect "guichet bookings lists them cancelled" '[ $("$GUICHET" -d "$db" \
    bookings --library CROG --date 2026-11-27 --status cancelled |
    grep -c " cancelled ") -eq 4 ]'
test_expect "cancelled with the closure's reason" '[ $("$GUICHET" -d "$db" \
    --json bookings --library CROG --date 2026-11-27 --status cancelled |
    grep -o "closed: Staff meeting" | wc -l) -eq 4 ]'
tmux_keys Escape
tmux_gone "Hours of CROG"
tmux_keys n
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l CROG-G1; tmux_keys Enter
test_expect "the grid shows CROG closed that day" 'row_has CROG-G1 "░░ ░░ ░░ ░░"'
tmux_keys Enter
test_expect "the grid says why it is closed" 'tmux_wait "CROG is closed at this time: Staff meeting (R4)"'

# ... and a pop-up on the campus instance for one day (R10: a week at
# most), which the header shows at once.
tmux_keys M
test_expect "messages screen: the library's and the campus's" 'tmux_wait "Messages of CROG and CAMPUS, now and coming"'
test_expect "messages screen: a campus pop-up shown now" 'tmux_wait "now    CAMPUS popup 2026-11-26 00:00 .. 2026-11-29 00:00"'
tmux_keys a
test_expect "adding asks where, the library by default" 'tmux_wait "Where (CROG, or CAMPUS for every library): CROG"'
tmux_keys BSpace BSpace BSpace BSpace; tmux_keys -l CAMPUS; tmux_keys Enter
tmux_wait "Kind (popup or event): popup"; tmux_keys Enter
tmux_wait "Text:"; tmux_keys -l "CROG ferme demain (reunion)"; tmux_keys Enter
tmux_wait "From (YYYY-MM-DD, empty: today)"; tmux_keys Enter
tmux_wait "For how many days (1-7, R10)?"; tmux_keys Enter
test_expect "a one-day pop-up added" 'tmux_wait "Message added on CAMPUS for 1 day."'
# The header shows its pop-ups in turn, every 4 s: within a round.
header_shows() { tmux_screen | sed -n 2p | grep -qF -- "$1"; }
header_has() { wait_for 150 header_shows "$1"; }
test_expect "the header shows the new pop-up, counted with the others" 'header_has "/2 CAMPUS: CROG ferme demain (reunion)"'
test_expect "listed, for one day" 'tmux_wait "CAMPUS popup 2026-11-26 00:00 .. 2026-11-27 00:00  CROG ferme demain"'
tmux_keys a; tmux_wait "Where ("
tmux_keys BSpace BSpace BSpace BSpace; tmux_keys -l CAMPUS; tmux_keys Enter
tmux_wait "Kind (popup"; tmux_keys Enter
tmux_wait "Text:"; tmux_keys -l "Too long"; tmux_keys Enter
tmux_wait "From (2026"; tmux_keys Enter
tmux_wait "For how many days"; tmux_keys -l 8; tmux_keys Enter
test_expect "an 8-day message is refused as typed, with the rule (R10)" \
    "tmux_words \"'8': type a number of days, 1 to 7 (R10)\""
test_expect "the question stays open with the answer" 'tmux_wait "R10)? 8"'
tmux_keys Escape; tmux_wait "Drop the text typed?"; tmux_keys y
test_expect "nothing added" \
    '! "$GUICHET" -d "$db" messages --library CROG | grep -q "Too long"'
tmux_keys j
tmux_keys d
test_expect "removing asks first" 'tmux_wait "Remove this message?"'
tmux_keys y
test_expect "removed" 'tmux_wait "Message removed."'
test_expect "the header drops it" 'tmux_gone "CROG ferme demain"'
tmux_keys Escape
tmux_gone "Messages of CROG"
tmux_keys q; tmux_keys y
tmux_wait "EXITED 0"

# Rights are visible: desk.mirail has no P4, P2 nor P6 (SPEC.md 4).
start screen 120 30
login desk.mirail
tmux_keys H
test_expect "desk.mirail: the hours, read-only with the reason (P4)" 'tmux_words "read-only: desk.mirail may not modify hours on BUC (P4)"'
tmux_keys c
test_expect "desk.mirail: closing refused with the reason" 'tmux_words "! read-only: desk.mirail may not modify hours"'
tmux_keys Escape
tmux_keys M
test_expect "desk.mirail: messages read-only with the reason (P2)" 'tmux_words "(P2): ask a referent"'
tmux_keys Escape
tmux_keys S
test_expect "desk.mirail: no statistics, with the reason (P6)" 'tmux_words "no statistics: desk.mirail may not view statistics on BUC (P6)"'
tmux_keys q; tmux_keys y
tmux_wait "EXITED 0"

# Month's end: the BUC referent's statistics, bars of the hourly head
# counts, and the CSV for the annual report.
# Head counts on a copy, so that the header's occupancy stays as it was.
cp "$db" "$dir/stats.db"
gargs="-d $dir/stats.db"
for c in 2026-11-20T09:10:00+01:00=60 2026-11-20T11:10:00+01:00=200 \
    2026-11-24T15:05:00+01:00=120; do
	GUICHET_NOW=${c%=*} GUICHET_PASSWORD=demo "$GUICHET" -d "$dir/stats.db" \
	    -u ref.buc occupancy BUC "${c#*=}" >/dev/null ||
	    test_expect "a head count" false
done
start screen 120 60
login ref.buc
tmux_keys S
test_expect "statistics: the month so far" 'tmux_wait "Statistics of BUC from 2026-11-01 to 2026-11-26"'
test_expect "statistics: by room" 'tmux_words "BUC-G1 "'
test_expect "statistics: by week" 'tmux_wait "2026-W47"'
test_expect "statistics: occupancy as a bar" 'tmux_wait "11h █"'
tmux_keys x
test_expect "export asks for a file" 'tmux_wait "CSV file (empty: guichet-stats-BUC-2026-11.csv)"'
tmux_keys -l "$dir/stats.csv"; tmux_keys Enter
test_expect "export says where it wrote" 'tmux_words "lines of statistics to $dir/stats.csv."'
test_expect "the CSV file has the header line" 'head -1 "$dir/stats.csv" |
    tr -d "\r" | grep -qx resource,week,bookings,minutes,present,no_show,cancelled,expired'
test_expect "the CSV file has BUC-G1's total" \
    'grep -q "^BUC-G1,total," "$dir/stats.csv"'
tmux_keys p
test_expect "the previous month, whole" 'tmux_wait "Statistics of BUC from 2026-10-01 to 2026-10-31"'
tmux_keys q; tmux_keys q; tmux_keys y
tmux_wait "EXITED 0"
LANG=C LC_ALL=C start vt100 120 60
login ref.buc
tmux_keys S
test_expect "statistics: ASCII bars without UTF-8" 'tmux_wait "11h #"'
tmux_keys q; tmux_keys q; tmux_keys y
tmux_wait "EXITED 0"
gargs="-d $db"


# A desk with a central SQLite backend (SPEC.md section 6): the header
# says where the backend stands, bookings taken offline sync by
# themselves, and a refused one is listed to call the patron back.
central="$dir/central.db"
"$GUICHET" -d "$central" init --demo >/dev/null || { echo "init failed"; exit 99; }
printf '[backend]\nurl = sqlite:%s\n[desk]\nsync_seconds = 1\n' "$central" \
    >"$dir/desk.ini"
GUICHET_PASSWORD=demo "$GUICHET" -c "$dir/desk.ini" -d "$dir/desk.db" \
    -u desk.mirail init >/dev/null || { echo "desk init failed"; exit 99; }
gargs="-c $dir/desk.ini -d $dir/desk.db"
central_book() {	# EMAIL, on the central database file $1
	GUICHET_PASSWORD=demo "$GUICHET" -d "$1" -u desk.crl book BUC-G4 \
	    --date 2026-11-26 --from 12:30 --to 13:00 --email "$2" >/dev/null
}
in_central() {
	[ "$(sqlite3 "$central" "SELECT count(*) FROM booking WHERE email = '$1'")" = 1 ]
}

# Offline, an account that never logged in on this desk is refused.
mv "$central" "$dir/central.off"
start
login ref.buc
test_expect "offline login of an account new to this desk is refused" 'tmux_wait "Login refused"'
test_expect "the refusal says why" 'tmux_words "has not logged in on this desk with this password before"'
mv "$dir/central.off" "$central"
tmux_keys Up; for i in 1 2 3 4 5 6 7; do tmux_keys BSpace; done
tmux_keys -l desk.mirail; tmux_keys Enter; tmux_keys -l demo; tmux_keys Enter
test_expect "online login opens the grid" 'tmux_wait "BUC-C1"'
test_expect "header: online" 'wait_sync "10:16:00  online  desk.mirail"'
test_expect "header: the last good sync" 'tmux_wait "last sync 10:16"'
tmux_keys '?'; tmux_wait "Keys of Day grid"
tmux_keys j j j j j j j j j j j j
test_expect "the grid's help lists the conflicts key" 'tmux_wait "conflicts: refused by the backend"'
tmux_keys Escape
tmux_gone "Keys of Day grid"

# 12:10, the network drops: the desk keeps booking, the queue shows.
mv "$central" "$dir/central.off"
test_expect "header: offline when the backend is away" 'wait_sync "OFFLINE — 0 pending"'
tmux_keys r; tmux_wait "Resource code:"; tmux_keys -l BUC-G4; tmux_keys Enter
tmux_keys Home; tmux_keys -l llllllll; tmux_keys Enter
tmux_wait "New booking"
tmux_keys -l offline.patron@etu.univ-tlse2.fr; tmux_wait "Can be booked"
tmux_keys Enter
test_expect "booked offline" 'tmux_wait "Booked BUC-G4"'
test_expect "header: offline, 1 pending" 'tmux_wait "OFFLINE — 1 pending"'
test_expect "offline is said in words (no color needed)" \
    'tmux_screen | head -1 | grep -q OFFLINE'

# 12:40, back online: the booking syncs by itself.
mv "$dir/central.off" "$central"
test_expect "header: online again" 'wait_sync "10:16:00  online  desk.mirail"'
test_expect "header: nothing pending" 'tmux_gone "pending"'
test_expect "the offline booking is on the central database" 'in_central offline.patron@etu.univ-tlse2.fr'

# A conflict: booked here offline, and meanwhile on the central.
mv "$central" "$dir/central.off"
wait_sync "OFFLINE — 0 pending"
tmux_keys Right Enter
tmux_wait "New booking"
tmux_keys -l conflict.patron@etu.univ-tlse2.fr; tmux_keys Tab; tmux_keys -l "Conflict Patron"
tmux_keys Tab; tmux_keys -l "06 12 34 56 78"; tmux_wait "Can be booked"
tmux_keys Enter
test_expect "booked offline, second" 'tmux_wait "OFFLINE — 1 pending"'
# On the file moved away: the worker cannot push first.
test_expect "the same slot booked on the central" 'central_book "$dir/central.off" other@univ-tlse2.fr'
mv "$dir/central.off" "$central"
test_expect "header: 1 conflict" 'wait_sync "! 1 conflict (C)"'
test_expect "the desk says so on the status line" 'tmux_wait "the backend refused"'
test_expect "the refused booking is undone in the grid" 'row_has BUC-G4 "OU"'
tmux_keys C
test_expect "conflicts screen: the reason" 'tmux_wait "slot_taken"'
test_expect "conflicts screen: whom to call back" 'tmux_wait "call: 06 12 34 56 78  Conflict Patron  conflict.patron@etu.univ-tlse2.fr"'
test_expect "conflicts screen: when the work was done (R15)" 'tmux_wait "by desk.mirail, done at 10:16"'
test_expect "conflicts screen: what the backend has instead" 'tmux_wait "the backend has no such booking"'
tmux_keys '?'
test_expect "conflicts screen: help from its key table" 'tmux_wait "acknowledge: the patron has been called back"'
tmux_keys Escape
tmux_gone "Keys of Conflicts"
tmux_keys a
test_expect "acknowledging asks first" 'tmux_wait "Acknowledge this conflict?"'
tmux_keys y
test_expect "acknowledged" 'tmux_wait "Conflict acknowledged."'
test_expect "header: no conflict left" 'tmux_gone "conflict (C)"'
test_expect "acknowledged in the replica" '[ "$(sqlite3 "$dir/desk.db" \
    "SELECT count(*) FROM conflict WHERE acknowledged_at = 0")" = 0 ]'
tmux_keys q; tmux_keys y
test_expect "q quits, the worker stopped" 'tmux_wait "EXITED 0"'

# Sync now (s): with a sync an hour apart, only the key brings the header
# back online within seconds of the network's return.
printf '[backend]\nurl = sqlite:%s\n[desk]\nsync_seconds = 3600\n' \
    "$central" >"$dir/slow.ini"
gargs="-c $dir/slow.ini -d $dir/desk.db"
start
login desk.mirail
test_expect "slow desk: online after login" 'wait_sync "10:16:00  online  desk.mirail"'
mv "$central" "$dir/central.off"
tmux_keys s
test_expect "sync now says so" 'tmux_wait "syncing…"'
test_expect "sync now: offline at once" 'tmux_wait "OFFLINE — 0 pending"'
mv "$dir/central.off" "$central"
tmux_keys s
test_expect "sync now: online again within seconds" 'tmux_wait "10:16:00  online  desk.mirail"'
tmux_keys q; tmux_keys y
tmux_wait "EXITED 0"
gargs="-d $db"

# A standalone desk's interface runs the sweep itself while open (R5, R6):
# a fresh demo, a booking unconfirmed for three hours and one late by 20
# minutes; both are handled once the interface is up, without a command.
sdb="$dir/sweep.db"
"$GUICHET" -d "$sdb" init --demo >/dev/null || { echo "init failed"; exit 99; }
sqlite3 "$sdb" "UPDATE booking SET status = 'pending_confirmation',
    created_at = unixepoch('2026-11-26 06:00:00') WHERE id = (SELECT id FROM
    booking WHERE status = 'confirmed' AND start > unixepoch('2026-11-27')
    ORDER BY id LIMIT 1)"
stale_sweep() { sqlite3 "$sdb" ".timeout 2000" "SELECT count(*) FROM booking b
    JOIN resource r ON r.id = b.resource_id WHERE (b.status =
    'pending_confirmation' AND b.created_at <= unixepoch('2026-11-26 07:16:00'))
    OR (b.status IN ('pending_confirmation', 'confirmed') AND
    max(b.start, b.created_at) < unixepoch('2026-11-26 09:01:00') AND
    r.public = 1 AND r.type IN ('group_room', 'carrel', 'seat', 'equipment'))"; }
test_expect "before: the demo has stale bookings" '[ "$(stale_sweep)" -gt 0 ]'
gargs="-d $sdb"
start
login desk.mirail
no_stale() { [ "$(stale_sweep)" = 0 ]; }
test_expect "the open interface swept: expired and freed (R5, R6)" \
    'wait_for 50 no_stale'
tmux_keys q
tmux_wait "EXITED 0"
gargs="-d $db"

# Every string marked in the sources has its French translation.
if command -v xgettext >/dev/null 2>&1 && command -v msgcmp >/dev/null 2>&1
then
	(cd "$top_srcdir" && xgettext --keyword=_ --keyword=N_ \
	    --from-code=UTF-8 -o "$dir/guichet.pot" \
	    $(grep -v '^#' po/POTFILES.in))
	test_expect "po/fr.po translates every string of the interface" 'msgcmp "$top_srcdir/po/fr.po" "$dir/guichet.pot"'
fi

# French: LANG decides (gettext), with the catalog built from po/fr.po.
if ! locale -a 2>/dev/null | grep -qi 'fr_FR.utf8'; then
	skip "French screen" "no fr_FR.UTF-8 locale: as root, uncomment it in \
/etc/locale.gen and run locale-gen (tests/run-all does)"
elif ! command -v msgfmt >/dev/null 2>&1; then
	skip "French screen" "no msgfmt to build the catalog"
else
	mkdir -p "$dir/locale/fr/LC_MESSAGES"
	msgfmt -o "$dir/locale/fr/LC_MESSAGES/guichet.mo" "$top_srcdir/po/fr.po"
	GUICHET_LOCALEDIR="$dir/locale" LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 \
	    start screen 80 24 "Compte :"
	test_expect "French login screen" 'tmux_wait "Mot de passe :"'
	login desk.mirail
	test_expect "French header" 'tmux_wait "BUC jeu. 2026-11-26 10:16:00  autonome"'
	test_expect "French occupancy" 'tmux_wait "occupation 4 % (16/400)"'
	test_expect "French grid headings" 'tmux_wait "BUC - salle de groupe"'
	tmux_keys '?'
	test_expect "French help, from the key table" 'tmux_wait "trouver un usager par une partie du courriel"'
	tmux_keys Escape
	# A refusal of the core (R3) in French, with its rule and figures:
	# phone.patron has 2 h of group room today (above).
	tmux_keys r; tmux_wait "Code de la ressource"; tmux_keys -l BUC-G4; tmux_keys Enter
	tmux_keys Home; tmux_keys -l llllllllllllllll; tmux_keys Enter
	tmux_wait "Nouvelle réservation"
	tmux_keys -l phone.patron@etu.univ-tlse2.fr
	test_expect "French refusal of the core, with its figures" 'tmux_words "cet usager a 2 h de salle de groupe réservée le 2026-11-26"'
	test_expect "French refusal still cites its rule (R3)" 'tmux_words "2 h max par jour (R3)"'
	tmux_keys Escape; tmux_keys y
	tmux_gone "Nouvelle réservation"
	tmux_keys q; tmux_keys y
fi

finish
