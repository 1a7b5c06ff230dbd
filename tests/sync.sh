#!/bin/sh
# Desk sync with both backends (SPEC.md section 6): the central SQLite
# database and guichetd over HTTP, each on a fresh central database.
# Bookings taken offline land once; a desk killed mid-push loses nothing and
# duplicates nothing; a booking that became impossible meanwhile turns into
# a conflict; a replayed outbox changes nothing; offline logins only for
# accounts that logged in on this desk before. Issue 7, one check each: a
# malformed URL or a missing central file, a replica without its
# configuration, a damaged outbox, batches bounded in bytes, a hanging
# backend, a locked database, one account's ended session.
. "${top_srcdir:-.}/tests/lib.sh"

: "${GUICHETD:=$(dirname "$GUICHET")/guichetd}"
PY=$(command -v python3 || true)
SERVER=
stop_server() {
	[ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null &&
	    wait "$SERVER" 2>/dev/null
	SERVER=
}
trap 'stop_server; cleanup' EXIT
export GUICHET_PASSWORD=demo
DAY=2026-12-07		# a Monday past the demo's bookings, BUC 08:00-20:00


json() {	# json FILE EXPRESSION-ON-v
	/usr/bin/python3 -c "import json, sys; v = json.load(open(sys.argv[1])); print($2)" "$1"
}

start_server() {
	"$GUICHETD" --db "$CENTRAL" --listen "127.0.0.1:$PORT" \
	    2>>"$W/server.log" &
	SERVER=$!
	wait_for 50 curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/resources"
}

# Take the backend away and bring it back.
offline() {
	if [ "$KIND" = http ]; then stop_server
	else mv "$CENTRAL" "$CENTRAL.away"; fi
}
online() {
	if [ "$KIND" = http ]; then start_server
	else mv "$CENTRAL.away" "$CENTRAL"; fi
}

d() { "$GUICHET" -c "$W/desk.ini" -d "$W/desk.db" "$@"; }
central() { sqlite3 -cmd ".timeout 5000" "$CENTRAL" "$1"; }

suite() {
	KIND=$1
	W=$T/$KIND
	mkdir -p "$W"
	CENTRAL=$W/central.db
	if [ "$KIND" = http ]; then
		PORT=$(free_port)
		"$GUICHETD" --db "$CENTRAL" --init --demo >/dev/null
		start_server
		URL=http://127.0.0.1:$PORT
	else
		"$GUICHET" -d "$CENTRAL" init --demo >/dev/null
		URL=sqlite:$CENTRAL
	fi
	printf '[backend]\nurl = %s\n' "$URL" >"$W/desk.ini"

	expect 0 "$KIND: a new desk replica" -- d -u desk.mirail init
	expect 0 "$KIND: the replica has the grid" -- d grid --library BUC
	has "BUC-G3" out "$KIND: replica lists BUC's rooms"
	# A desk with a backend leaves the sweep to it (R5, R6).
	before=$(sqlite3 "$W/desk.db" "SELECT count(*) FROM change_log")
	expect 0 "$KIND: sweep on a desk with a backend does nothing" -- d sweep
	has "backend, which runs the sweep" err "$KIND: and says the backend sweeps"
	n=$((n + 1))
	if [ "$(sqlite3 "$W/desk.db" "SELECT count(*) FROM change_log")" = "$before" ]
	then echo "ok $n - $KIND: the replica is unchanged"
	else echo "not ok $n - $KIND: the sweep changed the replica"
		failures=$((failures + 1)); fi

	expect 0 "$KIND: online booking" -- d -u desk.mirail book BUC-G6 \
	    --date "$DAY" --from 18:00 --to 19:00 --email on@univ-tlse2.fr
	check "$KIND: online booking is on the backend" 1 \
	    "$(central "SELECT count(*) FROM booking WHERE email = 'on@univ-tlse2.fr'")"

	# Offline: fifty bookings at the counter, all queued.
	offline
	ok=0
	for i in $(seq 1 50); do
		r=$(( (i - 1) % 5 + 1 )); h=$(( 8 + (i - 1) / 5 ))
		d -u desk.mirail book "BUC-G$r" --date "$DAY" \
		    --from "$(printf %02d $h):00" --to "$(printf %02d $((h+1))):00" \
		    --email "off$i@univ-tlse2.fr" --phone "06 00 00 00 $i" \
		    --origin phone >"$T/out" 2>"$T/err" && ok=$((ok + 1))
	done
	check "$KIND: fifty offline bookings accepted" 50 "$ok"
	has "queued" err "$KIND: the desk says the booking is queued"
	d --json status >"$T/status"
	check "$KIND: fifty pending" 50 "$(json "$T/status" 'v["pending"]')"
	check "$KIND: offline on status" offline \
	    "$(json "$T/status" 'v["state"]')"
	expect 3 "$KIND: offline login of an account new to this desk" -- \
	    d -u ref.buc sync
	has "has not logged in on this desk" err "$KIND: says why"

	# Back online; meanwhile another desk took the first slot.
	online
	"$GUICHET" -d "$CENTRAL" -u desk.crl book BUC-G1 --date "$DAY" \
	    --from 08:00 --to 09:00 --email other@univ-tlse2.fr >/dev/null
	# Killed in the middle of a push, then run again: nothing lost,
	# nothing twice.
	d sync >/dev/null 2>&1 &
	victim=$!
	sleep 0.05
	kill -9 "$victim" 2>/dev/null
	wait "$victim" 2>/dev/null
	echo "# $KIND: killed with $(central "SELECT count(*) FROM booking WHERE
	    email LIKE 'off%'") of 49 on the backend"
	d --json sync >"$T/sync" 2>/dev/null
	d --json status >"$T/status"
	check "$KIND: outbox empty after sync" 0 \
	    "$(json "$T/status" 'v["pending"]')"
	check "$KIND: each offline booking on the backend once" "49 49" \
	    "$(central "SELECT count(*), count(DISTINCT email) FROM booking WHERE email LIKE 'off%'" | tr '|' ' ')"
	check "$KIND: the impossible one is a conflict" 1 \
	    "$(json "$T/status" 'v["conflicts"]')"
	expect 0 "$KIND: conflicts listed" -- d conflicts
	has "slot_taken" out "$KIND: conflict says slot_taken"
	has "off1@univ-tlse2.fr.*06 00 00 00 1" out \
	    "$KIND: conflict gives the patron's contact"
	expect 0 "$KIND: replica after the conflict" -- d bookings \
	    --resource BUC-G1 --date "$DAY"
	has "other@univ-tlse2.fr" out "$KIND: replica has the backend's booking"
	n=$((n + 1))
	if grep -q "off1@" "$T/out"; then
		echo "not ok $n - $KIND: refused booking still in the replica"
		failures=$((failures + 1))
	else echo "ok $n - $KIND: refused booking undone in the replica"; fi
	op=$(d --json conflicts | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["op"])')
	expect 0 "$KIND: acknowledge the conflict" -- d -u desk.mirail \
	    conflicts --ack "$op"
	d --json status >"$T/status"
	check "$KIND: no open conflict" 0 "$(json "$T/status" 'v["conflicts"]')"

	# A replayed outbox changes nothing.
	offline
	for i in 1 2 3 4 5; do
		d -u desk.mirail book BUC-G6 --date "$DAY" --from \
		    "$(printf %02d $((i + 7))):00" \
		    --to "$(printf %02d $((i + 8))):00" \
		    --email "rep$i@univ-tlse2.fr" >/dev/null 2>&1
	done
	cp "$W/desk.db" "$W/desk.copy"
	online
	d sync >/dev/null 2>&1
	cp "$W/desk.copy" "$W/desk.db"
	rm -f "$W/desk.db-wal" "$W/desk.db-shm"
	d --json sync >"$T/sync" 2>/dev/null
	check "$KIND: the replay is answered" 5 "$(json "$T/sync" 'v["pushed"]')"
	check "$KIND: a replayed outbox adds nothing" "5 5" \
	    "$(central "SELECT count(*), count(DISTINCT email) FROM booking WHERE email LIKE 'rep%'" | tr '|' ' ')"
	check "$KIND: a replay makes no conflict" 0 \
	    "$(json "$T/sync" 'v["conflicts"]')"
	held
	issue7
	stop_server
}

# A refusal whose outcome holds on the backend all the same (the desk
# cancelled offline what another desk cancelled meanwhile) leaves nobody
# anything to do: acknowledged by itself, it is no failure of the sync.
held() {
	id=$(d -u desk.mirail book BUC-G2 --date "$DAY" --from 19:00 \
	    --to 20:00 --email held.twice@univ-tlse2.fr 2>/dev/null)
	offline
	d -u desk.mirail cancel "$id" --reason "patron called" >/dev/null 2>&1
	online
	"$GUICHET" -d "$CENTRAL" -u desk.crl cancel "$id" \
	    --reason "patron called the other desk" >/dev/null 2>&1
	expect 0 "$KIND: a sync whose only refusal held already exits 0" -- \
	    d --json sync
	check "$KIND: refused 1, of which held 1, no conflict left" "1 1 0" \
	    "$(json "$T/out" 'v["rejected"], v["held"], v["conflicts"]' |
	    tr -d '(),')"
	check "$KIND: acknowledged by itself" "1 (sync)" \
	    "$(sqlite3 "$W/desk.db" "SELECT count(*), acknowledged_by FROM
	    conflict WHERE acknowledged_by = '(sync)'" | tr '|' ' ')"
	# Beside a genuine conflict (R7), the sync still fails: that one is
	# left for staff.
	id=$(d -u desk.mirail book BUC-G3 --date "$DAY" --from 19:00 \
	    --to 20:00 --email held.again@univ-tlse2.fr 2>/dev/null)
	offline
	d -u desk.mirail cancel "$id" --reason "patron called" >/dev/null 2>&1
	d -u desk.mirail book BUC-G4 --date "$DAY" --from 19:00 --to 20:00 \
	    --email lost@univ-tlse2.fr >/dev/null 2>&1
	online
	"$GUICHET" -d "$CENTRAL" -u desk.crl cancel "$id" \
	    --reason "patron called the other desk" >/dev/null 2>&1
	"$GUICHET" -d "$CENTRAL" -u desk.crl book BUC-G4 --date "$DAY" \
	    --from 19:00 --to 20:00 --email first@univ-tlse2.fr >/dev/null 2>&1
	expect 1 "$KIND: a held refusal beside a conflict: the sync exits 1" -- \
	    d --json sync
	check "$KIND: refused 2, of which held 1, one conflict" "2 1 1" \
	    "$(json "$T/out" 'v["rejected"], v["held"], v["conflicts"]' |
	    tr -d '(),')"
	d -u desk.mirail conflicts --ack "$(d --json conflicts | "$PY" -c \
	    'import json, sys; print(json.load(sys.stdin)[0]["op"])')" >/dev/null
}

# Issue 7: what an offline day found, one check each.
issue7() {
	# 11: a malformed URL is a configuration error; a missing sqlite:
	# file is offline and never suggests creating one.
	printf '[backend]\nurl = http//x\n' >"$W/bad.ini"
	expect 2 "$KIND: a malformed backend URL is a configuration error" -- \
	    "$GUICHET" -c "$W/bad.ini" -d "$W/desk.db" -u desk.mirail book \
	    BUC-G6 --date "$DAY" --from 12:00 --to 13:00 --email u@univ-tlse2.fr
	has "expected sqlite:PATH" err "$KIND: says what a URL must be"
	printf '[backend]\nurl = http://127.0.0.1:99999\n' >"$W/bad.ini"
	expect 2 "$KIND: a port out of range is a configuration error" -- \
	    "$GUICHET" -c "$W/bad.ini" -d "$W/desk.db" sync
	check "$KIND: nothing queued by a bad configuration" 0 \
	    "$(sqlite3 "$W/desk.db" "SELECT count(*) FROM outbox")"
	printf '[backend]\nurl = sqlite:%s/gone/central.db\n' "$W" >"$W/gone.ini"
	expect 0 "$KIND: a missing central file is offline" -- \
	    "$GUICHET" -c "$W/gone.ini" -d "$W/desk.db" status
	"$GUICHET" -c "$W/gone.ini" -d "$W/desk.db" sync >"$T/out" 2>"$T/err"
	check "$KIND: offline sync exits 5" 5 "$?"
	n=$((n + 1))
	if grep -q "init" "$T/err"; then
		echo "not ok $n - $KIND: a missing central file suggests init"
		failures=$((failures + 1))
	else echo "ok $n - $KIND: a missing central file does not suggest init"; fi

	# 4: the replica without its configuration refuses to act standalone.
	expect 2 "$KIND: a replica without its configuration refuses work" -- \
	    "$GUICHET" -c /dev/null -d "$W/desk.db" -u desk.mirail book \
	    BUC-G6 --date "$DAY" --from 12:00 --to 13:00 --email u@univ-tlse2.fr
	has "replica of a desk" err "$KIND: says it is a replica"
	"$GUICHET" -c /dev/null -d "$W/desk.db" status >"$T/out" 2>&1
	has "replica of a desk synced with" out "$KIND: status explains"

	# 7: a damaged outbox is an error (exit 6), and status shows it.
	offline
	d -u desk.mirail book BUC-C1 --date "$DAY" --from 12:00 --to 13:00 \
	    --email dmg@univ-tlse2.fr >/dev/null 2>&1
	online
	check "$KIND: one queued to damage" 1 \
	    "$(sqlite3 "$W/desk.db" "SELECT count(*) FROM outbox")"
	sqlite3 "$W/desk.db" "UPDATE outbox SET payload = '{\"resource'"
	expect 6 "$KIND: a damaged outbox is a storage error" -- d sync
	has "damaged" err "$KIND: says the outbox is damaged"
	d status >"$T/out" 2>&1
	has "last error: .*damaged" out "$KIND: status shows the damage"
	sqlite3 "$W/desk.db" "DELETE FROM outbox"

	# 8: seventy long messages (4 KB each, over the 256 KiB body
	# limit in all) go in batches bounded in bytes.
	expect 0 "$KIND: ref.buc logs in on the desk" -- d -u ref.buc sync
	offline
	long=$("$PY" -c 'print("\U0001D11E" * 990)')
	d -u ref.buc messages add BUC --kind popup --from "$DAY" --to "$DAY" \
	    --text "$long" >/dev/null 2>&1
	# Sixty-nine more like it, as the desk queues them (new ids).
	sqlite3 "$W/desk.db" "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL
	    SELECT i + 1 FROM k WHERE i < 69) INSERT INTO outbox (op_id, kind,
	    account, payload, created_at) SELECT printf('7d1c9a52-0b7e-4c1e-'
	    || '9d55-%012d', i), kind, account, replace(payload,
	    json_extract(payload, '\$.uid'), printf('5e0c1d2a-0b7e-4c1e-'
	    || '9d55-%012d', i)), created_at FROM outbox, k"
	online
	d --json sync >"$T/sync" 2>/dev/null
	check "$KIND: seventy long messages pushed" "70 0 0" \
	    "$(json "$T/sync" 'v["pushed"], v["pending"], v["rejected"]' | tr -d '(),')"

	# 10: a backend that accepts and never answers holds a command
	# five seconds at most; the work is queued.
	HANG=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$PY" -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
held = []
while True:
    c, _ = s.accept(); held.append(c)' "$HANG" &
	hang=$!
	wait_for 50 port_open "$HANG"
	printf '[backend]\nurl = http://127.0.0.1:%s\n' "$HANG" >"$W/hang.ini"
	start=$(date +%s)
	expect 0 "$KIND: a hanging backend: the booking is queued" -- \
	    "$GUICHET" -c "$W/hang.ini" -d "$W/desk.db" -u desk.mirail book \
	    BUC-C2 --date "$DAY" --from 12:00 --to 13:00 \
	    --email hang@univ-tlse2.fr
	took=$(( $(date +%s) - start ))
	check "$KIND: held 5 s at most (one bound a command)" yes \
	    "$([ "$took" -le 7 ] && [ "$took" -ge 4 ] && echo yes ||
	    echo "no: $took s")"
	kill "$hang" 2>/dev/null; wait "$hang" 2>/dev/null
	d sync >/dev/null 2>&1
	check "$KIND: the queued booking lands after" 1 \
	    "$(central "SELECT count(*) FROM booking WHERE email = 'hang@univ-tlse2.fr'")"

	# 3: a locked backend database is no conflict: the operation
	# stays queued and lands when the lock is gone.
	# The lock is held until the checks below are done (unlock_db),
	# not for a fixed time that a loaded machine can outlast.
	lock_db "$CENTRAL"
	check "$KIND: the central database is locked" 0 "$?"
	if [ "$KIND" = http ]; then
		curl -s -o "$T/ops" -w '%{http_code}' -m 60 -X POST \
		    -H 'Content-Type: application/json' -H "Authorization: Bearer $(sqlite3 "$W/desk.db" "SELECT value FROM sync_state WHERE key = 'token:desk.mirail'")" \
		    "$URL/api/v1/ops" -d '{"ops":[{"id":"7d1c9a52-0b7e-4c1e-9d55-000000000007","kind":"book","payload":{"resource":"BUC-C4","start":"'"$DAY"'T16:00","end":"'"$DAY"'T17:00","email":"lock0@univ-tlse2.fr"}}]}' >"$T/code" &
		poster=$!
	fi
	d -u desk.mirail book BUC-C3 --date "$DAY" --from 15:00 --to 16:00 \
	    --email lock@univ-tlse2.fr >/dev/null 2>"$T/err"
	if [ "$KIND" = http ]; then
		wait "$poster"
		check "$KIND: a locked database answers 503, not a refusal" \
		    503 "$(cat "$T/code")"
	fi
	d --json status >"$T/status"
	check "$KIND: locked: queued, no conflict" "1 0" \
	    "$(json "$T/status" 'v["pending"], v["conflicts"]' | tr -d '(),')"
	unlock_db
	d --json sync >"$T/sync" 2>/dev/null
	check "$KIND: after the lock, it lands" "1 0 0" \
	    "$(json "$T/sync" 'v["pushed"], v["rejected"], v["conflicts"]' | tr -d '(),')"

	# 6: one account's ended session holds only its operations.
	if [ "$KIND" = http ]; then
		offline
		d -u desk.mirail book BUC-C4 --date "$DAY" --from 09:00 \
		    --to 10:00 --email held@univ-tlse2.fr >/dev/null 2>&1
		expect 0 "$KIND: another account books offline" -- \
		    d -u ref.buc book BUC-G6 --date "$DAY" --from 14:00 \
		    --to 15:00 --email goes@univ-tlse2.fr
		online
		curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $(sqlite3 "$W/desk.db" "SELECT value FROM sync_state WHERE key = 'token:desk.mirail'")" "$URL/api/v1/sessions/current"
		"$GUICHET" -d "$CENTRAL" -u desk.crl book BUC-C4 --date "$DAY" \
		    --from 11:00 --to 12:00 --email pulled@univ-tlse2.fr \
		    >/dev/null 2>&1
		d --json sync >"$T/sync" 2>/dev/null
		check "$KIND: the other account's work is pushed" 1 \
		    "$(central "SELECT count(*) FROM booking WHERE email = 'goes@univ-tlse2.fr'")"
		check "$KIND: the ended session's work waits" "1 desk.mirail" \
		    "$(json "$T/sync" 'v["pending"], v["waiting"]' | tr -d "(),'")"
		d bookings --resource BUC-C4 --date "$DAY" >"$T/out" 2>&1
		# Pulled with ref.buc's session, which does not plan BUC-C4:
		# the booking comes without its patron's contact (issue 11).
		has "11:00-12:00" out "$KIND: the pull ran all the same"
		d status >"$T/out" 2>&1
		has "desk.mirail wait until it logs in again" out \
		    "$KIND: status says who must log in"
		d -u desk.mirail sync >/dev/null 2>&1
		check "$KIND: after the login, it lands" 1 \
		    "$(central "SELECT count(*) FROM booking WHERE email = 'held@univ-tlse2.fr'")"
	fi
}

suite sqlite
if [ -x "$GUICHETD" ] && [ -n "$PY" ] && command -v curl >/dev/null; then
	suite http
else
	echo "# SKIP http: no guichetd, python3 or curl"
fi
finish
