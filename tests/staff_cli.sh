#!/bin/sh
# Issue 8's staff commands: resources add (P9), sessions list, add,
# change, cancel (P9, R11, R13), establishment (P5, R6), users disable,
# enable and the table of grants (P7), a closure of CAMPUS (R13). Each
# refusal exits with its status and changes nothing.
. "${top_srcdir:-.}/tests/lib.sh"

export GUICHET_PASSWORD=demo
sql() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
# same DESCRIPTION WANT GOT
same() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else
		echo "not ok $n - $1: wanted '$2', got '$3'"
		failures=$((failures + 1))
	fi
}

expect 0 "a demo database" -- g init --demo

# P9: a new resource, held as its library's others; its policy holds.
expect 0 "a referent adds a group room to its library" -- \
	g -u ref.buc resources add BUC-G9 --type group_room --name "Salle 9" \
	--library BUC granularity=60 max_duration=180 "place=2e étage"
has "resource BUC-G9 added" out "it says so"
same "held by UJJ, with its policy" "UJJ|60|180|2e étage" \
    "$(sql "SELECT e.code, r.granularity, r.max_duration, r.place FROM resource r JOIN establishment e ON e.id = r.establishment_id WHERE r.code = 'BUC-G9'")"
expect 3 "not in another library (P9)" -- \
	g -u ref.buc resources add CROG-G9 --type group_room --name "Salle 9" \
	--library CROG
has "(P9" err "the refusal cites P9"
expect 2 "a carrel of capacity 2 is refused (R7)" -- \
	g -u admin resources add BUC-C9 --type carrel --name "Box" \
	--library BUC capacity=2
expect 2 "a setting without a value is a usage error" -- \
	g -u admin resources add BUC-C9 --type carrel --name "Box" \
	--library BUC capacity
same "nothing was made by the refusals" 0 \
    "$(sql "SELECT count(*) FROM resource WHERE code IN ('CROG-G9', 'BUC-C9')")"
expect 0 "the new room is listed" -- g resources --library BUC
has "BUC-G9" out "in the list"

# Sessions (P9): add, list, places never below booked (R13), cancel (R11).
expect 0 "the workshops' referent adds a session" -- \
	g -u ref.ateliers sessions add BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --to 12:00 --places 10
expect 0 "two places are booked" -- \
	g -u desk.mirail book BUC-AT-ZOTERO --date 2026-12-10 --from 10:00 \
	--to 12:00 --email nora.petit@etu.univ-tlse2.fr --origin phone
ID=$(cat "$T/out")
expect 0 "" -- g -u desk.mirail book BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --to 12:00 --email yanis.moreau@etu.univ-tlse2.fr \
	--origin phone
expect 0 "sessions list" -- g sessions list BUC-AT-ZOTERO --date 2026-12-10 \
	--days 1
has "2026-12-10 10:00-12:00  2/10 places taken" out "with its places taken"
expect 1 "places below those booked are refused (R13)" -- \
	g -u ref.ateliers sessions change BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --places 1
has "capacity_below_booked.*(R13)" err "the refusal cites R13"
has "2/10 places taken" out "and shows the session"
expect 1 "its times stay while places are booked" -- \
	g -u ref.ateliers sessions change BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --new-from 11:00
expect 0 "its places change" -- \
	g -u ref.ateliers sessions change BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --places 4
has "2/4 places taken" out "and show"
expect 3 "the desk may not change a session (P9)" -- \
	g -u desk.mirail sessions change BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --places 5
expect 1 "cancelling needs a reason (R11)" -- \
	g -u ref.ateliers sessions cancel BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --yes
has "reason_required" err "the refusal's code"
expect 2 "without a terminal nor --yes, nothing is cancelled" -- \
	g -u ref.ateliers sessions cancel BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --reason "intervenant malade"
same "the places are still booked" confirmed \
    "$(sql "SELECT status FROM booking WHERE id = '$ID'")"
expect 0 "sessions cancel" -- \
	g -u ref.ateliers sessions cancel BUC-AT-ZOTERO --date 2026-12-10 \
	--from 10:00 --reason "intervenant malade" --yes
has "2 places cancelled" out "it says how many places"
same "each place cancelled with the reason, its patron e-mailed" "2|2" \
    "$(sql "SELECT count(*), (SELECT count(*) FROM mail WHERE body LIKE '%intervenant malade%') FROM booking WHERE cancel_reason LIKE '%intervenant malade'")"
expect 0 "" -- g sessions list BUC-AT-ZOTERO --date 2026-12-10 --days 1
n=$((n + 1))
if grep -q "10:00-12:00" "$T/out"; then
	echo "not ok $n - the session is gone"; failures=$((failures + 1))
else echo "ok $n - the session is gone"; fi

# P5: information and the establishment code (R6).
expect 0 "a referent changes its library's code" -- \
	g -u ref.buc establishment BUC checkin_code=buc-9034 jauge=420 \
	"info=Entrée rue du Mirail"
has "BUC-9034" out "the new code, as patrons type it"
has "no longer validate" out "the old posters are said invalid"
same "stored at once" "BUC-9034|420" \
    "$(sql "SELECT checkin_code, jauge FROM establishment WHERE code = 'BUC'")"
expect 3 "not another library's (P5)" -- g -u ref.buc establishment CROG jauge=3
expect 2 "not a code patrons could not type (R6)" -- \
	g -u ref.buc establishment BUC "checkin_code=B!"
expect 0 "the information shows" -- g establishment BUC
has "Entrée rue du Mirail" out "the information text"
n=$((n + 1))
if grep -q BUC-9034 "$T/out"; then
	echo "not ok $n - the code shows only to P5"; failures=$((failures + 1))
else echo "ok $n - the code shows only to P5"; fi
expect 0 "" -- g -u ref.buc establishment BUC
has "establishment code: BUC-9034" out "the code shows to its referent"

# P7: disable and enable; the table of grants.
expect 3 "a referent may not disable another library's desk (P7)" -- \
	g -u ref.buc users disable desk.crog
expect 0 "the super-administrator disables it" -- \
	g -u admin users disable desk.crog
has "sessions are ended" out "it says its sessions end"
expect 3 "a disabled account cannot log in" -- \
	g -u desk.crog book CROG-G1 --date 2026-12-10 --from 10:00 --to 11:00 \
	--email nora.petit@etu.univ-tlse2.fr
expect 0 "the table of accounts" -- g users
has "^ACCOUNT  *STATE  *WHERE  *P1 P2 P3 P4 P5 P6 P7 P8 P9" out "its columns"
has "desk.crog  *disabled  *UJJ  *\.  \.  \.  \.  \.  \.  \.  x  \." out \
    "desk.crog is disabled, P8 on UJJ"
expect 0 "enabled again" -- g -u admin users enable desk.crog
expect 0 "it books again" -- \
	g -u desk.crog book CROG-G1 --date 2026-12-10 --from 10:00 --to 11:00 \
	--email test.patron@etu.univ-tlse2.fr --origin phone

# R13 on CAMPUS: every library that day, confirmed.
expect 3 "the desk may not close the campus (P4)" -- \
	g -u desk.mirail hours close CAMPUS --date 2026-12-10 --reason grève
expect 1 "unconfirmed, nothing is cancelled" -- \
	g -u ref.buc hours close CAMPUS --date 2026-12-10 --reason grève
has "needs_confirmation" err "the refusal asks for confirmation"
same "the CROG booking is still live" 1 \
    "$(sql "SELECT count(*) FROM booking b JOIN resource r ON r.id = b.resource_id WHERE r.code = 'CROG-G1' AND b.status = 'confirmed' AND b.start >= strftime('%s', '2026-12-10T09:00:00')")"
expect 0 "confirmed with --yes" -- \
	g -u ref.buc hours close CAMPUS --date 2026-12-10 --reason grève --yes
same "every library and the campus closed" \
    "$(sql "SELECT count(*) FROM establishment WHERE kind IN ('library', 'campus')")" \
    "$(sql "SELECT count(*) FROM hours_date WHERE closed = 1 AND reason = 'grève'")"
same "no live booking left that day" 0 \
    "$(sql "SELECT count(*) FROM booking WHERE status IN ('confirmed', 'pending_confirmation', 'present') AND start >= strftime('%s', '2026-12-09T23:00:00') AND start < strftime('%s', '2026-12-10T23:00:00')")"

# P6 with --json, as the API has it.
expect 0 "stats --json" -- g -u ref.buc --json stats --library BUC \
	--from 2026-11-01 --to 2026-11-30
has '"occupancy"' out "the hourly occupancy"
finish
