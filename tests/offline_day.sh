#!/bin/sh
# Issue 7's offline day, on both backends: desk A is offline from opening
# (08:00) to the evening and does a day's work (about 150 operations:
# bookings, changes, cancels, check-ins, free-late) while desk B books
# online, some of the same slots, and the backend's sweep runs; guichetd is
# killed (-9) and restarted at each of B's hours. At 19:00 A reconnects.
# Every operation lands or is a genuine conflict (R7 overlaps: the ten
# slots B took), the count is exact, every check-in A made in time is
# present on the backend (R15), and both replicas equal the backend.
#
# The clock is GUICHET_NOW throughout. The sweep is the one operation the
# server's sweeper applies ("guichet sweep" on the central database), run at
# fixed times (10, 12, 14, 16 h and 18:45) with guichetd's own sweeper off,
# so that each run is the same.
. "${top_srcdir:-.}/tests/lib.sh"

: "${GUICHETD:=$(dirname "$GUICHET")/guichetd}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
SERVER=
stop_server() {
	[ -n "$SERVER" ] && kill -9 "$SERVER" 2>/dev/null &&
	    wait "$SERVER" 2>/dev/null
	SERVER=
}
trap 'stop_server; cleanup' EXIT
export GUICHET_PASSWORD=demo
DAY=2026-12-07		# a Monday, BUC open 08:00-20:00; Paris is UTC+1
NOW0=$GUICHET_NOW
# The evening slots B takes online while A, offline, took them too (the
# day's genuine conflicts, R7), two at each of B's hours.
EVENING="BUC-G4 BUC-G5 BUC-G6 BUC-C1 BUC-C2 BUC-C3 BUC-C4 BUC-VP1 BUC-G1 BUC-G2"

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

at() { GUICHET_NOW="${DAY}T$1:00+01:00"; export GUICHET_NOW; }
hh() { printf %02d "$1"; }

# guichetd with its clock at the current GUICHET_NOW; the one before is
# killed -9 (an outage in the middle of the day).
server_now() {
	[ "$KIND" = http ] || return 0
	stop_server
	"$GUICHETD" -c "$W/guichetd.ini" --db "$CENTRAL" \
	    --listen "127.0.0.1:$PORT" 2>>"$W/server.log" &
	SERVER=$!
	wait_for 50 curl -s -o /dev/null "$URL/api/v1/resources"
}

A() { ops=$((ops + 1)); "$GUICHET" -c "$W/a.ini" -d "$W/a.db" -u desk.mirail "$@" 2>>"$W/a.err" || refusedA=$((refusedA + 1)); }
B() { "$GUICHET" -c "$W/b.ini" -d "$W/b.db" -u desk.crl "$@" 2>>"$W/b.err"; }
Bbook() {	# Bbook FILE RESOURCE FROM TO EMAIL: B books, the id into FILE
	opsB=$((opsB + 1))
	B book "$2" --date "$DAY" --from "$3" --to "$4" --email "$5" \
	    --origin phone >>"$1" || refusedB=$((refusedB + 1))
}
Abook() {	# like Bbook, for A (offline)
	ops=$((ops + 1))
	"$GUICHET" -c "$W/a.ini" -d "$W/a.db" -u desk.mirail book "$2" \
	    --date "$DAY" --from "$3" --to "$4" --email "$5" --origin phone \
	    >>"$1" 2>>"$W/a.err" || refusedA=$((refusedA + 1))
}
sweep() { "$GUICHET" -d "$CENTRAL" sweep >/dev/null; }
line() { sed -n "${2}p" "$1"; }
# A day's bookings, as "id status start end resource", sorted.
day_bookings() {
	sqlite3 "$1" "SELECT b.id, b.status, b.start, b.end, r.code FROM
	    booking b JOIN resource r ON r.id = b.resource_id WHERE
	    b.start >= strftime('%s', '$DAY 00:00') AND
	    b.start < strftime('%s', '$DAY 23:59') ORDER BY b.id"
}

day() {
	KIND=$1
	W=$T/$KIND
	mkdir -p "$W"
	CENTRAL=$W/central.db
	ops=0 opsB=0 refusedA=0 refusedB=0
	GUICHET_NOW=$NOW0	# the demo's dates, as every test has them
	printf '[server]\nsweep_seconds = 0\n' >"$W/guichetd.ini"
	if [ "$KIND" = http ]; then
		PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		URL=http://127.0.0.1:$PORT
		"$GUICHETD" --db "$CENTRAL" --init --demo >/dev/null
		OFF=http://127.0.0.1:1
	else
		"$GUICHET" -d "$CENTRAL" init --demo >/dev/null
		URL=sqlite:$CENTRAL
		OFF=sqlite:$W/unmounted/central.db
	fi
	printf '[backend]\nurl = %s\n' "$URL" >"$W/b.ini"
	printf '[backend]\nurl = %s\n' "$URL" >"$W/a.ini"

	# 07:00, everyone online: B books the day's first bookings.
	at 07:00
	server_now
	B init >/dev/null
	for h in $(seq 8 17); do
		Bbook "$W/g6" BUC-G6 "$(hh $h):00" "$(hh $((h + 1))):00" "p6.$h@univ-tlse2.fr"
		Bbook "$W/g5" BUC-G5 "$(hh $h):00" "$(hh $((h + 1))):00" "p5.$h@univ-tlse2.fr"
		Bbook "$W/c1" BUC-C1 "$(hh $h):00" "$(hh $((h + 1))):00" "pc.$h@univ-tlse2.fr"
	done
	# 07:50: A takes its replica, then the network goes.
	at 07:50
	"$GUICHET" -c "$W/a.ini" -d "$W/a.db" -u desk.mirail init >/dev/null
	printf '[backend]\nurl = %s\n' "$OFF" >"$W/a.ini"

	at 08:05	# C1's bookings from 10 h move to C2, two to the evening
	for h in $(seq 10 17); do
		A change "$(line "$W/c1" $((h - 7)))" --resource BUC-C2 >/dev/null
	done
	A change "$(line "$W/c1" 1)" --resource BUC-C3 --date "$DAY" \
	    --from 19:00 --to 20:00 >/dev/null
	A change "$(line "$W/c1" 2)" --resource BUC-C4 --date "$DAY" \
	    --from 19:00 --to 20:00 >/dev/null
	at 08:10	# G5's odd hours are cancelled
	for h in 9 11 13 15 17; do
		A cancel "$(line "$W/g5" $((h - 7)))" --reason "le groupe annule" \
		    >/dev/null
	done
	at 08:15	# G4 for the whole day, on the phone
	for h in $(seq 9 17); do
		Abook "$W/g4" BUC-G4 "$(hh $h):00" "$(hh $((h + 1))):00" "a4.$h@univ-tlse2.fr"
	done
	for r in $EVENING; do
		case $r in BUC-C3|BUC-C4) continue ;; esac
		Abook "$W/a19" "$r" 19:00 20:00 "a19.$r@univ-tlse2.fr"
	done
	: >"$W/checked"
	for h in $(seq 8 17); do
		at "$(hh $h):00"
		# B's hours (guichetd killed and restarted), the sweeps.
		if [ $((h % 2)) = 1 ]; then
			server_now
			set -- $EVENING
			shift $((h - 9))
			Bbook "$W/b" "$1" 19:00 20:00 "b19.$1@univ-tlse2.fr"
			Bbook "$W/b" "$2" 19:00 20:00 "b19.$2@univ-tlse2.fr"
		elif [ "$h" -ge 10 ]; then
			sweep
		fi
		# Check-ins of the bookings made at the hour before.
		at "$(hh $h):02"
		if [ "$h" -ge 9 ]; then
			for f in vp c3 c4; do
				id=$(line "$W/$f" $((h - 8)))
				[ "$f" = vp ] && [ $((h % 2)) = 0 ] && continue
				A checkin "$id" >/dev/null && echo "$id" >>"$W/checked"
			done
		fi
		at "$(hh $h):05"	# G6: most patrons come
		if [ $((h % 3)) != 2 ]; then
			id=$(line "$W/g6" $((h - 7)))
			A checkin "$id" >/dev/null && echo "$id" >>"$W/checked"
		fi
		at "$(hh $h):20"	# walk-ins by phone, and the late freed
		for r in 1 2 3; do
			Abook "$W/g$r.a" "BUC-G$r" "$(hh $h):30" "$(hh $((h + 1))):30" "a$r.$h@univ-tlse2.fr"
		done
		A free-late --establishment BUC >/dev/null
		at "$(hh $h):35"
		for r in 1 2 3; do
			id=$(line "$W/g$r.a" $((h - 7)))
			A checkin "$id" >/dev/null && echo "$id" >>"$W/checked"
		done
		[ "$h" -le 16 ] || continue
		at "$(hh $h):40"	# the next hour's equipment and carrels
		Abook "$W/vp" BUC-VP1 "$(hh $((h + 1))):00" "$(hh $((h + 2))):00" "av.$h@univ-tlse2.fr"
		Abook "$W/c3" BUC-C3 "$(hh $((h + 1))):00" "$(hh $((h + 2))):00" "a3c.$h@univ-tlse2.fr"
		Abook "$W/c4" BUC-C4 "$(hh $((h + 1))):00" "$(hh $((h + 2))):00" "a4c.$h@univ-tlse2.fr"
		if [ $((h % 2)) = 1 ]; then
			at "$(hh $h):55"
			A cancel "$(line "$W/vp" $((h - 7)))" --reason "plus besoin" \
			    >/dev/null
		fi
	done
	at 18:45
	sweep

	# 19:00: A is back.
	at 19:00
	server_now
	printf '[backend]\nurl = %s\n' "$URL" >"$W/a.ini"
	t0=$("$PY" -c 'import time; print(time.time())')
	"$GUICHET" -c "$W/a.ini" -d "$W/a.db" -u desk.mirail --json sync \
	    >"$W/sync.json" 2>>"$W/a.err"
	secs=$("$PY" -c "import time; print('%.1f' % (time.time() - $t0))")
	B sync >/dev/null 2>&1

	check "$KIND: every operation of A accepted at the desk" 0 "$refusedA"
	check "$KIND: every operation of B taken online" 0 "$refusedB"
	check "$KIND: A's outbox empty" 0 \
	    "$(sqlite3 "$W/a.db" "SELECT count(*) FROM outbox")"
	check "$KIND: the genuine conflicts, and only them" "10 slot_taken" \
	    "$(sqlite3 "$W/a.db" "SELECT count(*), group_concat(DISTINCT error) FROM conflict WHERE acknowledged_at = 0" | tr '|' ' ')"
	check "$KIND: every check-in made in time is present on the backend" \
	    "$(wc -l <"$W/checked" | tr -d ' ')" \
	    "$(for id in $(cat "$W/checked"); do echo "'$id'"; done |
	    paste -sd, - | sed 's/.*/SELECT count(*) FROM booking WHERE status = '"'present'"' AND id IN (&)/' |
	    sqlite3 "$CENTRAL")"
	day_bookings "$CENTRAL" >"$W/central.day"
	day_bookings "$W/a.db" >"$W/a.day"
	day_bookings "$W/b.db" >"$W/b.day"
	check "$KIND: desk A's replica equals the backend" "" \
	    "$(diff "$W/central.day" "$W/a.day" | head -3)"
	check "$KIND: desk B's replica equals the backend" "" \
	    "$(diff "$W/central.day" "$W/b.day" | head -3)"
	echo "# $KIND offline day: $ops operations at desk A offline" \
	    "(+$opsB at desk B online); sync at 19:00 in $secs s:" \
	    "$("$PY" -c 'import json, sys; v = json.load(open(sys.argv[1])); print("pushed %d, applied %d, refused %d, of which held %d (conflicts open %d)" % (v["pushed"], v["pushed"] - v["rejected"], v["rejected"], v["held"], v["conflicts"]))' "$W/sync.json")"
	echo "# $KIND conflicts by code: $(sqlite3 "$W/a.db" "SELECT error || ' ' || count(*) || CASE WHEN acknowledged_by = '(sync)' THEN ' (held anyway: self-acknowledged)' ELSE '' END FROM conflict GROUP BY error, acknowledged_by = '(sync)'" | paste -sd';' -)"
	echo "# $KIND on the backend: $(sqlite3 "$CENTRAL" "SELECT status || ' ' || count(*) FROM booking WHERE start >= strftime('%s', '$DAY 00:00') AND start < strftime('%s', '$DAY 23:59') GROUP BY status" | paste -sd';' -)"
	[ "$refusedA$refusedB" = 00 ] || cat "$W/b.err" "$W/server.log" | sed "s/^/# /" | sort | uniq -c | head -20
	stop_server
}

day sqlite
if [ -x "$GUICHETD" ] && [ -n "$PY" ] && command -v curl >/dev/null; then
	day http
else
	echo "# SKIP http: no guichetd, python3 or curl"
fi
finish
