#!/bin/sh
# guichetd over HTTP: the real server on a free loopback port, driven with
# curl (and python3 for the raw requests curl will not send). Sealed: a
# private temporary directory, removed on exit with the server stopped
# (tests/lib.sh: check, test_expect, wait_for, free_port).
. "${top_srcdir:-.}/tests/lib.sh"

GUICHETD=${GUICHETD:-$(dirname "$GUICHET")/guichetd}
command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP no curl"; exit 77; }
PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "1..0 # SKIP no python3"; exit 77; }

PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID"
	rm -rf "$T"
}
trap 'exit 1' INT TERM

PORT=$(free_port)
B=http://127.0.0.1:$PORT/api/v1

# req METHOD PATH [BODY] [TOKEN]: status in $CODE, body in $T/body.
req() {
	set -- "$1" "$2" "${3-}" "${4-}"
	if [ -n "$4" ]; then
		CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X "$1" \
		    -H "Authorization: Bearer $4" \
		    -H 'Content-Type: application/json' \
		    ${3:+--data-binary "$3"} "$B$2")
	else
		CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X "$1" \
		    -H 'Content-Type: application/json' \
		    ${3:+--data-binary "$3"} "$B$2")
	fi
}
# A field of the JSON body: jget 'expression on v'.
jget() {
	"$PY" -c "import json, sys; v = json.load(open(sys.argv[1])); print($1)" "$T/body"
}
errcode() { jget 'v["error"]["code"]'; }
# login ACCOUNT: the token in $TOK.
login() {
	TOK=none
	req POST /sessions "{\"login\":\"$1\",\"password\":\"demo\"}"
	[ "$CODE" = 201 ] && TOK=$(jget 'v["token"]')
}
# A raw request: prints the status code of the answer.
raw() {
	"$PY" - "$PORT" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode())
data = b""
while b"\r\n" not in data:
	chunk = s.recv(4096)
	if not chunk:
		break
	data += chunk
print(data.split(b" ")[1].decode() if data else "none")
EOF
}

"$GUICHETD" --db "$T/db" --init --demo >"$T/init.log" 2>&1 ||
	{ cat "$T/init.log"; exit 99; }
# The sweeper runs at start, then not again during the test (R6 cases
# below need a late booking that stays late).
printf '[server]\nsweep_seconds = 3600\n' >"$T/guichetd.ini"
"$GUICHETD" -c "$T/guichetd.ini" --db "$T/db" --listen "127.0.0.1:$PORT" \
    2>"$T/log" &
PID=$!
up() { curl -s -o /dev/null "$B/resources"; }
wait_for 100 up || { echo "Bail out! guichetd did not start"; cat "$T/log"; exit 99; }
test_expect "guichetd listens on 127.0.0.1:$PORT" up

# The sweeper runs at start: the demo's unconfirmed bookings made more
# than two hours ago expire (R5), late ones become no-shows (R6).
NOW=$("$PY" -c 'import datetime; print(int(datetime.datetime.fromisoformat("2026-11-26T10:16:00+01:00").timestamp()))')
# R6 frees exclusive public resources only, G minutes after the start or
# after the booking was made if later; sessions and internal rooms stay.
stale() { [ "$(sqlite3 -cmd ".timeout 5000" "$T/db" "SELECT count(*) FROM booking b
	JOIN resource r ON r.id = b.resource_id WHERE
	(b.status = 'pending_confirmation' AND b.created_at <= $NOW - 7200) OR
	(b.status IN ('pending_confirmation', 'confirmed') AND
	max(b.start, b.created_at) < $NOW - 900 AND r.public = 1 AND
	r.type IN ('group_room', 'carrel', 'seat', 'equipment'))")" = 0 ]; }
left() { sqlite3 -cmd ".timeout 5000" "$T/db" "SELECT count(*) FROM booking b
	JOIN resource r ON r.id = b.resource_id WHERE b.status = 'confirmed' AND
	b.start < $NOW - 900 AND (r.public = 0 OR r.type IN ('workshop', 'visit',
	'training', 'training_room', 'meeting_room'))"; }
test_expect 'the sweeper expired and freed (R5, R6)' 'wait_for 50 stale'
test_expect "sessions' places and internal rooms are never freed (R6)" \
    '[ "$(left)" -gt 0 ]'
# The demo obeys R5 (nothing unconfirmed past its delay) but has late
# bookings: the sweep's no-shows are in the change log.
check "the sweep is in the change log" 1 "$(sqlite3 -cmd ".timeout 5000" "$T/db" "SELECT
	count(*) > 0 FROM change_log WHERE data LIKE '%\"no_show\"%'")"

login desk.mirail; DESK=$TOK; check "desk.mirail logs in" 201 "$CODE"
login desk.crog; CROG=$TOK; check "desk.crog logs in" 201 "$CODE"
login ref.crl; REFCRL=$TOK; check "ref.crl logs in" 201 "$CODE"

# 400: malformed JSON, duplicate keys, ambiguous framing.
req POST /bookings '{"resource":' "$DESK"
check "malformed JSON is 400" 400 "$CODE"
check "malformed JSON is bad_request" bad_request "$(errcode)"
req POST /bookings '{"resource":"BUC-G1","resource":"BUC-G2"}' "$DESK"
check "duplicate keys are 400" 400 "$CODE"
req GET '/changes?after=x' '' "$DESK"
check "a bad query argument is 400" 400 "$CODE"
check "two Content-Length are 400" 400 "$(raw "POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")"
check "Content-Length with chunks is 400" 400 "$(raw "POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")"
check "HTTP/1.1 without Host is 400" 400 "$(raw "GET /api/v1/resources HTTP/1.1\r\n\r\n")"
check "a sound raw request is 200" 200 "$(raw "GET /api/v1/resources HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")"
# A connection's memory is 16 KiB (guichetd.c): a head of 12 KB passes,
# one of 20 KB is refused with 431 (it passed when it was 64 KiB).
HEAD12=$(head -c 12000 /dev/zero | tr '\0' a)
HEAD20=$(head -c 20000 /dev/zero | tr '\0' a)
check "a 12 KB request head is read" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Pad: $HEAD12" "$B/resources")"
check "a 20 KB request head is 431" 431 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Pad: $HEAD20" "$B/resources")"

# 401: the same answer for an unknown account and a wrong password.
req POST /sessions '{"login":"desk.clap","password":"wrong"}'
check "a wrong password is 401" 401 "$CODE"
cp "$T/body" "$T/wrong"
req POST /sessions '{"login":"nobody.here","password":"wrong"}'
check "an unknown account is 401" 401 "$CODE"
test_expect 'both 401 bodies are the same' 'cmp "$T/body" "$T/wrong"'
req GET /bookings
check "no token is 401" 401 "$CODE"
req GET /bookings '' not-a-token
check "a bad token is 401" 401 "$CODE"

# 403: rights (P8 scope, P4, P9) and R8.
req POST /bookings '{"resource":"CROG-FORM1","start":"2026-11-27T10:00+01:00","end":"2026-11-27T11:00+01:00","email":"x.y@univ-tlse2.fr"}' "$CROG"
check "a desk token cannot book CROG-FORM1" 403 "$CODE"
req POST /establishments/BUC/hours '{"weekday":6,"open":"10:00","close":"12:00"}' "$DESK"
check "a desk token cannot change hours" 403 "$CODE"
check "... forbidden" forbidden "$(errcode)"
req POST /resources/BUC-G1 '{"max_duration":240}' "$REFCRL"
check "ref.crl cannot set BUC-G1" 403 "$CODE"
req POST /ops '{"ops":[{"id":"0b8f6c3e-3f3c-4b8e-9a51-2f6d1c1e0a01","kind":"resource_set","payload":{"resource":"BUC-G1","max_duration":240}}]}' "$REFCRL"
check "... nor through /ops" forbidden "$(jget 'v["results"][0]["error"]["code"]')"

# 404
req GET /nowhere '' "$DESK"
check "an unknown route is 404" 404 "$CODE"
req POST /bookings/1c7e3b5a-0c1d-4b7e-8f00-000000000000/cancel '{"reason":"test"}' "$DESK"
check "an unknown booking is 404" 404 "$CODE"
req GET '/bookings?resource=NOPE-1' '' "$DESK"
check "an unknown resource is 404" 404 "$CODE"

# 201 and 409 (R7).
req POST /bookings '{"resource":"BUC-G2","start":"2026-11-27T14:00+01:00","end":"2026-11-27T15:00+01:00","email":"q.one@univ-tlse2.fr"}' "$DESK"
check "a desk booking is 201" 201 "$CODE"
check "... confirmed at once (R5)" confirmed "$(jget 'v["status"]')"
ID=$(jget 'v["id"]')
req POST /bookings '{"resource":"BUC-G2","start":"2026-11-27T14:30+01:00","end":"2026-11-27T15:30+01:00","email":"q.two@univ-tlse2.fr"}' "$DESK"
check "an overlapping booking is 409" 409 "$CODE"
check "... slot_taken" slot_taken "$(errcode)"
check "... citing R7" R7 "$(jget 'v["error"]["rule"]')"

# 422: R3 quota, R11.
req POST /bookings '{"resource":"BUC-G3","start":"2026-11-27T09:00+01:00","end":"2026-11-27T10:00+01:00","email":"q.one@univ-tlse2.fr"}' "$DESK"
check "a second hour the same day is 201" 201 "$CODE"
req POST /bookings '{"resource":"BUC-G4","start":"2026-11-27T16:00+01:00","end":"2026-11-27T16:30+01:00","email":"q.one@univ-tlse2.fr"}' "$DESK"
check "over the day's quota is 422" 422 "$CODE"
check "... quota_day" quota_day "$(errcode)"
req POST "/bookings/$ID/cancel" '{}' "$DESK"
check "staff cancel without a reason is 422 (R11)" 422 "$CODE"
req POST "/bookings/$ID/cancel" '{"reason":"test"}' "$DESK"
check "cancel with a reason is 200" 200 "$CODE"
check "... cancelled" cancelled "$(jget 'v["status"]')"

# A patron books without a token: pending until confirmed (R5).
req POST /bookings '{"resource":"BUC-G5","start":"2026-11-28T10:00+01:00","end":"2026-11-28T11:00+01:00","email":"new.patron@univ-tlse2.fr"}'
check "a patron booking is 201" 201 "$CODE"
check "... pending_confirmation" pending_confirmation "$(jget 'v["status"]')"
req GET /resources
check "patrons see no internal resource (R8)" 0 "$(jget 'sum(1 for r in v if r["type"] in ("training_room", "meeting_room"))')"

# 413
"$PY" -c 'import sys; sys.stdout.write("{\"x\":\"" + "a" * 300000 + "\"}")' >"$T/big"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $DESK" --data-binary "@$T/big" "$B/bookings")
check "a body over 256 KiB is 413" 413 "$CODE"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $DESK" -H 'Transfer-Encoding: chunked' --data-binary "@$T/big" "$B/bookings")
check "a chunked body over 256 KiB is 413" 413 "$CODE"

# Twenty clients race for one slot: exactly one wins (R7).
i=0
while [ $i -lt 20 ]; do
	curl -s -o /dev/null -w '%{http_code}\n' -X POST \
	    -H "Authorization: Bearer $DESK" \
	    -H 'Content-Type: application/json' --data-binary \
	    "{\"resource\":\"BUC-G6\",\"start\":\"2026-11-30T10:00+01:00\",\"end\":\"2026-11-30T11:00+01:00\",\"email\":\"racer.$i@univ-tlse2.fr\"}" \
	    "$B/bookings" >"$T/race.$i" &
	i=$((i + 1))
done
test_expect 'the twenty racers all finish' \
    'wait_for 300 sh -c "[ \$(cat $T/race.* | wc -l) -eq 20 ]"'
check "one racer wins" 1 "$(cat "$T"/race.* | grep -c '^201$')"
check "nineteen get 409" 19 "$(cat "$T"/race.* | grep -c '^409$')"
req GET '/bookings?date=2026-11-30&resource=BUC-G6' '' "$DESK"
check "one live booking on the slot" 1 "$(jget 'sum(1 for b in v if b["status"] == "confirmed")')"

# An /ops batch, then its replay: same results, no new change.
BATCH='{"ops":[
 {"id":"5f0e2a4c-8d6b-4c1a-9e3f-7a2b1c0d9e01","kind":"book","payload":{"id":"7d1f0c2b-3a4e-4f5a-8b6c-9d0e1f2a3b01","resource":"CRL-G1","start":"2026-11-27T10:00+01:00","end":"2026-11-27T11:00+01:00","email":"batch.one@univ-tlse2.fr"}},
 {"id":"5f0e2a4c-8d6b-4c1a-9e3f-7a2b1c0d9e02","kind":"book","payload":{"resource":"CRL-G1","start":"2026-11-27T10:30+01:00","end":"2026-11-27T11:30+01:00","email":"batch.two@univ-tlse2.fr"}},
 {"id":"5f0e2a4c-8d6b-4c1a-9e3f-7a2b1c0d9e03","kind":"cancel","payload":{"id":"7d1f0c2b-3a4e-4f5a-8b6c-9d0e1f2a3b01","reason":"batch test"}},
 {"id":"bad","kind":"book","payload":{}}]}'
req POST /ops "$BATCH" "$DESK"
check "a batch is 200" 200 "$CODE"
check "... applied, rejected, applied, rejected" "applied rejected applied rejected" "$(jget '" ".join(r["status"] for r in v["results"])')"
check "... the second is slot_taken" slot_taken "$(jget 'v["results"][1]["error"]["code"]')"
# A replay gets the first results, refusals with their code and message.
SHAPE='json.dumps([[r["id"], r["status"], r.get("error", {}).get("code"), r.get("result")] for r in v["results"]], sort_keys=True)'
jget "$SHAPE" >"$T/first"
req GET '/changes?after=0&limit=1000' '' "$DESK"
LAST=$(jget 'v["last"]')
req POST /ops "$BATCH" "$DESK"
check "the replay is 200" 200 "$CODE"
jget "$SHAPE" >"$T/second"
test_expect 'the replay gets the first results' 'diff "$T/first" "$T/second"'
req GET "/changes?after=$LAST" '' "$DESK"
check "the replay changes nothing" 0 "$(jget 'len(v["changes"])')"
req GET '/bookings?date=2026-11-27&resource=CRL-G1' '' "$DESK"
check "CRL-G1 holds one cancelled batch booking" "cancelled" "$(jget '" ".join(b["status"] for b in v if b["email"].startswith("batch."))')"

# One case for each error code of SPEC.md section 3 (and the codes this
# project adds), with its HTTP status: api STATUS CODE TOKEN METHOD PATH
# [BODY]. An empty token is a patron.
api() {
	want=$1; code=$2; tok=$3; shift 3
	req "$1" "$2" "${3-}" "$tok"
	check "$code is $want" "$want $code" "$CODE $(errcode 2>/dev/null)"
}
bk() {	# bk RESOURCE START END EMAIL [EXTRA]: a booking body, Paris time
	printf '{"resource":"%s","start":"%s+01:00","end":"%s+01:00","email":"%s"%s}' \
	    "$1" "$2" "$3" "$4" "${5-}"
}
login admin; ADMIN=$TOK
api 422 too_far_ahead "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-12-28T10:00 2026-12-28T11:00 c1@univ-tlse2.fr)"
api 422 in_past "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-11-25T10:00 2026-11-25T11:00 c1@univ-tlse2.fr)"
api 422 bad_email "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-11-27T10:00 2026-11-27T11:00 'not an address')"
api 422 domain_not_allowed "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-11-27T10:00 2026-11-27T11:00 c1@gmail.com)"
api 422 bad_granularity "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-11-27T10:15 2026-11-27T11:00 c1@univ-tlse2.fr)"
api 422 too_short "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-11-27T10:00 2026-11-27T10:00 c1@univ-tlse2.fr)"
api 422 too_long "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-11-27T10:00 2026-11-27T12:30 c1@univ-tlse2.fr)"
api 422 outside_hours "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-11-27T07:00 2026-11-27T08:00 c1@univ-tlse2.fr)"
api 422 closed "$DESK" POST /bookings \
    "$(bk BUC-G1 2026-11-29T10:00 2026-11-29T11:00 c1@univ-tlse2.fr)"
req POST /bookings "$(bk CRL-G2 2026-12-07T10:00 2026-12-07T12:00 m@univ-tlse2.fr)" "$DESK"
req POST /bookings "$(bk CRL-G2 2026-12-08T10:00 2026-12-08T12:00 m@univ-tlse2.fr)" "$DESK"
api 422 quota_month "$DESK" POST /bookings \
    "$(bk CRL-G2 2026-12-09T10:00 2026-12-09T10:30 m@univ-tlse2.fr)"
api 403 resource_internal "" POST /bookings \
    "$(bk CROG-FORM1 2026-11-27T10:00 2026-11-27T11:00 c1@univ-tlse2.fr)"
req POST /resources/BUC-VP2 '{"enabled":false}' "$ADMIN"
api 422 resource_disabled "$DESK" POST /bookings \
    "$(bk BUC-VP2 2026-11-27T10:00 2026-11-27T11:00 c1@univ-tlse2.fr)"
# Sessions: today's Zotero workshop has 11 of its 12 places taken.
req POST /bookings "$(bk BUC-AT-ZOTERO 2026-11-26T14:00 2026-11-26T15:30 s1@univ-tlse2.fr)" "$DESK"
check "the last place of a session is 201" 201 "$CODE"
api 409 capacity_full "$DESK" POST /bookings \
    "$(bk BUC-AT-ZOTERO 2026-11-26T14:00 2026-11-26T15:30 s2@univ-tlse2.fr)"
api 422 places_max "$DESK" POST /bookings \
    "$(bk BUC-AT-ZOTERO 2026-12-01T14:00 2026-12-01T15:30 s2@univ-tlse2.fr ',"places":2')"
# Presence (R6): a patron's code, too late, not confirmed; the desk too
# early; freeing what is not late; a state that does not allow it.
req POST /bookings "$(bk CRL-G3 2026-11-26T10:00 2026-11-26T11:00 late@univ-tlse2.fr)" "$DESK"
LATE=$(jget 'v["id"]')
api 422 bad_code "" POST "/bookings/$LATE/checkin" '{"code":"0000"}'
api 422 too_late "" POST "/bookings/$LATE/checkin" '{"code":"CRL-5560"}'
req POST /bookings "$(bk CRPLM-G1 2026-11-26T10:00 2026-11-26T11:00 fresh.patron@univ-tlse2.fr)"
api 422 not_confirmed "" POST "/bookings/$(jget 'v["id"]')/checkin" \
    '{"code":"CRPLM-2648"}'
req POST /bookings "$(bk CROG-G2 2026-11-27T10:00 2026-11-27T11:00 soon@univ-tlse2.fr)" "$DESK"
SOON=$(jget 'v["id"]')
api 422 too_early "$DESK" POST "/bookings/$SOON/checkin" '{}'
api 422 not_late "$DESK" POST /free-late "{\"ids\":[\"$SOON\"]}"
# A patron acts on a booking with its e-mail's key only, never its id alone.
api 403 forbidden "" POST "/bookings/$SOON/cancel" '{}'
# An e-mail's old link, opened (GET): a page that refuses, nothing done.
req GET "/bookings/$SOON/confirm?key=00000000"
check "an old link with another key is refused, as a page" \
    "403 html" "$CODE $(grep -c '<!DOCTYPE html>' "$T/body" | sed 's/1/html/')"
req POST "/bookings/$SOON/cancel" '{"reason":"test"}' "$DESK"
api 409 bad_state "$DESK" POST "/bookings/$SOON/cancel" '{"reason":"again"}'
# Through /ops: R10 and R13 have no route of their own.
req POST /ops '{"ops":[{"id":"6a0e2a4c-8d6b-4c1a-9e3f-7a2b1c0d9e01","kind":"message_add","payload":{"establishment":"CRL","kind":"popup","text":"Travaux","from":"2026-11-26T00:00+01:00","to":"2026-12-04T00:00+01:00"}},{"id":"6a0e2a4c-8d6b-4c1a-9e3f-7a2b1c0d9e02","kind":"close","payload":{"establishment":"BUC","date":"2026-11-27","reason":"Inventaire"}}]}' "$REFCRL"
check "message_too_long (R10) in a batch" message_too_long \
    "$(jget 'v["results"][0]["error"]["code"]')"
check "the closure of BUC by ref.crl is forbidden" forbidden \
    "$(jget 'v["results"][1]["error"]["code"]')"
req POST /ops '{"ops":[{"id":"6a0e2a4c-8d6b-4c1a-9e3f-7a2b1c0d9e03","kind":"close","payload":{"establishment":"BUC","date":"2026-11-27","reason":"Inventaire"}}]}' "$ADMIN"
check "needs_confirmation (R13) lists the bookings first" \
    "needs_confirmation yes" \
    "$(jget 'v["results"][0]["error"]["code"] + (" yes" if len(v["results"][0]["result"]["to_cancel"]) > 0 else " no")')"

# Patrons' data goes to those who plan their bookings only.
login ref.com; REFCOM=$TOK
req GET '/bookings?date=2026-11-27&library=BUC' '' "$REFCOM"
check "ref.com (no P8) reads no booking" 0 "$(jget 'len(v)')"
req GET '/bookings?date=2026-11-27&library=BUC' '' "$REFCRL"
check "ref.crl reads none of BUC's (P8 scope)" 0 "$(jget 'len(v)')"
req GET '/bookings?date=2026-11-27&library=BUC' '' "$DESK"
check "a desk reads BUC's bookings" 1 "$(jget 'int(len(v) > 0)')"
api 403 forbidden "$REFCOM" GET '/changes?after=0'
api 403 forbidden "$REFCOM" GET "/bookings/$SOON"
api 403 forbidden "$REFCOM" GET \
    '/snapshot?from=2026-11-25T00:00:00Z&to=2026-12-01T00:00:00Z'

# A door counter's head count (P5 on the library).
login ref.buc; REFBUC=$TOK
req POST /establishments/BUC/occupancy '{"count":120}' "$REFBUC"
check "a head count is 200" 200 "$CODE"
check "... 30 % of BUC's jauge of 400" 30 "$(jget 'v["percent"]')"
api 403 forbidden "$DESK" POST /establishments/BUC/occupancy '{"count":1}'
api 400 bad_request "$REFBUC" POST /establishments/BUC/occupancy \
    '{"count":-1}'
req GET /establishments
check "... and the establishments say so" 120 \
    "$(jget '[e for e in v if e["code"] == "BUC"][0]["occupancy"]')"

# Other read routes.
req GET /establishments
check "establishments are 200" 200 "$CODE"
check "... with BUC's hours" "08:00" "$(jget '[e for e in v if e["code"] == "BUC"][0]["hours"]["from"]')"
req GET '/messages?establishment=BUC'
check "messages are 200" 200 "$CODE"
req POST /free-late '{"establishment":"UJJ"}' "$DESK"
check "free-late is 200" 200 "$CODE"

# 429: the sixth failure in a row for one account is throttled.
i=0
while [ $i -lt 5 ]; do
	req POST /sessions '{"login":"ref.com","password":"nope"}'
	i=$((i + 1))
done
req POST /sessions '{"login":"ref.com","password":"demo"}'
check "too many failed logins is 429" 429 "$CODE"

# Patrons write without a login: an address gets 60 writes an hour.
i=0
while [ $i -lt 70 ]; do
	curl -s -o /dev/null -w '%{http_code}\n' -X POST -d '{}' \
	    -H 'Content-Type: application/json' "$B/bookings" >>"$T/patron"
	i=$((i + 1))
done
check "an address writing too often is throttled (429)" 1 \
    "$(grep -q '^429$' "$T/patron" && echo 1 || echo 0)"
req POST /bookings '{}' "$DESK"
check "staff are not throttled as patrons" 400 "$CODE"

# Logout kills the token.
req DELETE /sessions/current '' "$REFCRL"
check "logout is 204" 204 "$CODE"
req GET /bookings '' "$REFCRL"
check "the token is dead" 401 "$CODE"

test_expect 'no 5xx in the log' '! grep " 5[0-9][0-9] [0-9.]* ms$" "$T/log"'

kill -TERM "$PID"
wait "$PID"
RC=$?
PID=
check "SIGTERM stops guichetd with 0" 0 "$RC"
test_expect 'it says it stopped' 'grep -q "guichetd: stopped" "$T/log"'
finish
