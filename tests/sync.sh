#!/bin/sh
# Desk sync with both backends (SPEC.md section 6): the central SQLite
# database and guichetd over HTTP, each on a fresh central database.
# Bookings taken offline land once; a desk killed mid-push loses nothing and
# duplicates nothing; a booking that became impossible meanwhile turns into
# a conflict; a replayed outbox changes nothing; offline logins only for
# accounts that logged in on this desk before.
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

wait_for() {
	i=$1; shift
	while [ "$i" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i - 1))
	done
	return 1
}

check() {	# check DESCRIPTION WANTED GOT
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"
	else echo "not ok $n - $1: wanted '$2', got '$3'"
		failures=$((failures + 1)); fi
}

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
		PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
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
	stop_server
}

suite sqlite
if [ -x "$GUICHETD" ] && [ -n "$PY" ] && command -v curl >/dev/null; then
	suite http
else
	echo "# SKIP http: no guichetd, python3 or curl"
fi
finish
