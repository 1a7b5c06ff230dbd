#!/bin/sh
# Issue 8's staff routes over HTTP, on the real guichetd at a free
# loopback port: a new resource (P9), sessions changed and cancelled (P9,
# R11, R13), a library's information and establishment code (P5, R6),
# accounts disabled and listed (P7), a closure of CAMPUS (R13) and the
# statistics (P6). One example of each route, with its refusals.
# Sealed: a private temporary directory, removed on exit with the server
# stopped (tests/lib.sh: check, test_expect, wait_for, free_port).
. "${top_srcdir:-.}/tests/lib.sh"

GUICHETD=${GUICHETD:-$(dirname "$GUICHET")/guichetd}
command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP no curl"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID"
	rm -rf "$T"
}

PORT=$(free_port)
B=http://127.0.0.1:$PORT/api/v1

# req METHOD PATH BODY TOKEN: the status in $CODE, the body in $T/body.
req() {
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X "$1" \
	    ${4:+-H "Authorization: Bearer $4"} \
	    -H 'Content-Type: application/json' \
	    ${3:+--data-binary "$3"} "$B$2")
}
jget() {
	"$PY" -c "import json, sys; v = json.load(open(sys.argv[1])); print($1)" "$T/body"
}
login() {
	req POST /sessions "{\"login\":\"$1\",\"password\":\"demo\"}" ""
	TOK=$(jget 'v["token"]' 2>/dev/null || echo none)
}
sql() { sqlite3 -cmd ".timeout 5000" "$T/db" "$1"; }
up() { curl -s -o /dev/null "$B/resources"; }

"$GUICHETD" --db "$T/db" --init --demo >"$T/init.log" 2>&1 ||
	{ cat "$T/init.log"; exit 99; }
printf '[server]\nsweep_seconds = 3600\n' >"$T/guichetd.ini"
"$GUICHETD" -c "$T/guichetd.ini" --db "$T/db" --listen "127.0.0.1:$PORT" \
    2>"$T/log" &
PID=$!
wait_for 100 up || { echo "Bail out! guichetd did not start"; cat "$T/log"; exit 99; }

login admin; ADMIN=$TOK
login ref.buc; REF=$TOK
login ref.ateliers; ATELIERS=$TOK
login desk.mirail; DESK=$TOK
login desk.crog; CROG=$TOK

# P9: a new group room with its policy; another library's is refused.
req POST /resources '{"code":"BUC-G9","name":"Salle 9","type":"group_room",
    "establishment":"UJJ","library":"BUC","granularity":60,"max_duration":180}' "$REF"
check "POST /resources makes a resource (201)" 201 "$CODE"
check "with its policy" 60 "$(jget 'v["granularity"]')"
req POST /resources '{"code":"CROG-G9","name":"Salle 9","type":"group_room",
    "establishment":"UJJ","library":"CROG"}' "$REF"
check "another library's room is refused (403)" "403 forbidden" \
    "$CODE $(jget 'v["error"]["code"]')"
req POST /resources '{"code":"BUC-G9","name":"Salle 9","type":"group_room",
    "establishment":"UJJ","library":"BUC"}' "$REF"
check "a code taken is refused" 409 "$CODE"
req POST /resources '{"code":"BUC-G8","name":"Salle 8","type":"group_room",
    "establishment":"UJJ","library":"BUC"}' ""
check "no token, no resource (401)" 401 "$CODE"

# P9 on sessions: the Zotero workshop's next session.
req POST /resources/BUC-AT-ZOTERO/sessions '{"start":"2026-12-10T10:00",
    "end":"2026-12-10T12:00","places":12}' "$ATELIERS"
check "POST /resources/{code}/sessions adds one (201)" 201 "$CODE"
req POST /bookings '{"resource":"BUC-AT-ZOTERO","start":"2026-12-10T10:00",
    "end":"2026-12-10T12:00","email":"nora.petit@etu.univ-tlse2.fr","origin":"phone"}' "$DESK"
check "a place is booked in it" 201 "$CODE"
ID=$(jget 'v["id"]')
req GET '/resources/BUC-AT-ZOTERO/sessions?date=2026-12-10&days=1' '' ""
check "GET /resources/{code}/sessions lists them with places taken" "200 1" \
    "$CODE $(jget '[s["taken"] for s in v if s["start"].startswith("2026-12-10T10:00")][0]')"
req GET '/resources/CROG-FORM1/sessions' '' ""
check "not an internal resource's to a patron (R8)" 404 "$CODE"
req POST /resources/BUC-AT-ZOTERO/sessions/change '{"start":"2026-12-10T10:00",
    "places":0}' "$ATELIERS"
check "places must be 1 or more (400)" 400 "$CODE"
req POST /resources/BUC-AT-ZOTERO/sessions/change '{"start":"2026-12-10T10:00",
    "places":8}' "$ATELIERS"
check "POST .../sessions/change sets its places" "200 8 1" \
    "$CODE $(jget 'v["places"]') $(jget 'v["taken"]')"
req POST /resources/BUC-AT-ZOTERO/sessions/cancel '{"start":"2026-12-10T10:00"}' "$ATELIERS"
check "cancelling without a reason (422, R11)" "422 reason_required" \
    "$CODE $(jget 'v["error"]["code"]')"
req POST /resources/BUC-AT-ZOTERO/sessions/cancel '{"start":"2026-12-10T10:00",
    "reason":"intervenant malade"}' "$DESK"
check "the desk may not cancel a session (403, P9)" 403 "$CODE"
req POST /resources/BUC-AT-ZOTERO/sessions/cancel '{"start":"2026-12-10T10:00",
    "reason":"intervenant malade"}' "$ATELIERS"
check "POST .../sessions/cancel cancels its places" "200 1" \
    "$CODE $(jget 'len(v["cancelled"])')"
check "the place is cancelled with the reason" "cancelled" \
    "$(sql "SELECT status FROM booking WHERE id = '$ID'")"
# The server queues the e-mail; its text is written when the e-mails are
# listed or sent (mail_compose), here by an administrator's listing.
check "its patron's e-mail is queued with the reason" "1 1" \
    "$("$GUICHET" -d "$T/db" -u admin mail | grep -c 'nora.petit@etu.univ-tlse2.fr  Réservation annulée') $(sql "SELECT count(*) FROM mail WHERE booking_id = '$ID' AND body LIKE '%intervenant malade%'")"

# P5: information and the establishment code.
req POST /establishments/BUC '{"info":"Entrée rue du Mirail","jauge":420,
    "checkin_code":"buc-7777"}' "$REF"
check "POST /establishments/{code} changes the code" "200 BUC-7777 True" \
    "$CODE $(jget 'v["checkin_code"]') $(jget 'v["posters_invalid"]')"
req POST /establishments/CROG '{"jauge":10}' "$REF"
check "another library's information is refused (403, P5)" 403 "$CODE"
req GET /establishments '' ""
check "the new jauge is public" 420 \
    "$(jget '[e["jauge"] for e in v if e["code"] == "BUC"][0]')"

# P7: accounts as a table, disabled and enabled; the session ends.
req GET /accounts '' "$DESK"
check "GET /accounts needs P7 (403)" 403 "$CODE"
req GET /accounts '' "$REF"
check "GET /accounts lists accounts with their grants" "200 1" \
    "$CODE $(jget '[len(a["grants"]) for a in v if a["login"] == "desk.crog"][0]')"
req POST /accounts/desk.crog/disable '' "$REF"
check "a referent may not disable another library's desk (403, P7)" 403 "$CODE"
req GET /bookings '' "$CROG"
check "desk.crog's token works before" 200 "$CODE"
req POST /accounts/desk.crog/disable '' "$ADMIN"
check "POST /accounts/{login}/disable" "200 False" \
    "$CODE $(jget 'v["enabled"]')"
req GET /bookings '' "$CROG"
check "its session ended at once (401)" 401 "$CODE"
login desk.crog
check "it cannot log in" none "$TOK"
req POST /accounts/desk.crog/enable '' "$ADMIN"
check "POST /accounts/{login}/enable" "200 True" \
    "$CODE $(jget 'v["enabled"]')"
login desk.crog
test_expect "it logs in again" '[ "$TOK" != none ]'

# R13 on CAMPUS: listed, then confirmed for the list shown.
req POST /bookings '{"resource":"CRL-G1","start":"2026-12-04T10:00",
    "end":"2026-12-04T11:00","email":"campus.closure@etu.univ-tlse2.fr","origin":"phone"}' "$DESK"
B1=$(jget 'v["id"]')
req POST /establishments/CAMPUS/close '{"date":"2026-12-04","reason":"grève"}' "$DESK"
check "the desk may not close the campus (403, P4)" 403 "$CODE"
req POST /establishments/CAMPUS/close '{"date":"2026-12-04","reason":"grève"}' "$REF"
check "POST /establishments/CAMPUS/close lists first (409/422)" "needs_confirmation" \
    "$(jget 'v["error"]["code"]')"
IDS=$(jget 'json.dumps([b["id"] for b in v["result"]["to_cancel"]])')
check "the list has the CRL booking" 1 "$(jget "int('$B1' in [b['id'] for b in v['result']['to_cancel']])")"
check "nothing cancelled yet" confirmed "$(sql "SELECT status FROM booking WHERE id = '$B1'")"
req POST /establishments/CAMPUS/close "{\"date\":\"2026-12-04\",\"reason\":\"grève\",
    \"confirm\":true,\"ids\":$IDS}" "$REF"
check "confirmed: every library closes" "200 cancelled" \
    "$CODE $(sql "SELECT status FROM booking WHERE id = '$B1'")"
check "all libraries and the campus are closed that day" \
    "$(sql "SELECT count(*) FROM establishment WHERE kind IN ('library','campus')")" \
    "$(sql "SELECT count(*) FROM hours_date WHERE closed = 1 AND reason = 'grève'")"

# P6: statistics as the CLI has them.
req GET '/stats?library=BUC&from=2026-11-01&to=2026-11-30' '' "$REF"
check "GET /stats gives rows and hours" "200 BUC True" \
    "$CODE $(jget 'v["library"]') $(jget 'len(v["rows"]) > 0 and "occupancy" in v')"
req GET '/stats?library=BUC' '' "$DESK"
check "GET /stats needs P6 (403)" 403 "$CODE"
req GET '/stats?library=BUC&from=2026-11-30&to=2026-11-01' '' "$REF"
check "a window the wrong way round (400)" 400 "$CODE"

test_expect "no 5xx in the log" '! grep " 5[0-9][0-9] [0-9.]* ms$" "$T/log"'
finish
