#!/bin/sh
# Durable answers from guichetd (group commit, server/writer.c): the real
# server on a free loopback port. Sealed: a private temporary directory,
# removed on exit with the servers stopped.
#
# 1. Under strace, eight clients book at once while a desk pulls the
#    change log, with every fdatasync slowed to 20 ms; for every 201, the
#    trace must show the commit holding the booking written to the WAL
#    (up to its commit frame), then an fsync of the WAL begun after it,
#    and only after that fsync returned, the response carrying the booking
#    sent, and any pull that carries it. Without synchronous = FULL there
#    is no fsync before the answer; with a commit made visible before its
#    fsync (a writer that syncs later without holding the readers back),
#    a pull carries a booking before it is on disk: both fail here.
# 2. kill -9 while clients book, three times: after each restart, every
#    booking that got a 201 is in the database.
set -u

GUICHETD=${GUICHETD:-./guichetd}
GUICHET_NOW=2026-11-26T10:16:00+01:00
export GUICHET_NOW

command -v curl >/dev/null 2>&1 || { echo "SKIP: no curl"; exit 77; }
command -v strace >/dev/null 2>&1 || { echo "SKIP: no strace"; exit 77; }
strace -f -qq -o /dev/null true 2>/dev/null ||
	{ echo "SKIP: strace cannot trace here (ptrace refused)"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: no sqlite3"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/guichetd-durable.XXXXXX") || exit 99
PID=
# Stop guichetd: under strace, the server is strace's child.
stop() {
	[ -n "$PID" ] || return 0
	pkill -TERM -P "$PID" 2>/dev/null || kill -TERM "$PID" 2>/dev/null
	wait "$PID"
	PID=
}
cleanup() { stop; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

FAIL=0
N=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); FAIL=$((FAIL + 1)); echo "not ok $N - $1"; }

# Poll up to $1 tenths of a second for a command to succeed.
wait_for() {
	n=$1; shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The clients: book COUNT slots from FIRST on with THREADS at once, as
# the token's account; print "STATUS ID" for each answer (000 if none).
cat >"$T/book.py" <<'EOF'
import http.client, json, sys, threading, uuid
port, token, first, count, threads = sys.argv[1], sys.argv[2], \
    int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rooms = ["BUC-G1", "BUC-G2", "BUC-G3", "BUC-G4", "BUC-G5"]
days = ["2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02",
    "2026-12-03", "2026-12-04"]
lock = threading.Lock()
def slot(i):
    room = rooms[i % 5]
    hour = 8 + (i // 5) % 10
    day = days[(i // 50) % len(days)]
    return {"resource": room, "email": "durable%d@univ-tlse2.fr" % i,
        "start": "%sT%02d:00+01:00" % (day, hour),
        "end": "%sT%02d:00+01:00" % (day, hour + 1),
        "id": str(uuid.uuid4())}
def run(k):
    c = None
    for i in range(first + k, first + count, threads):
        b = slot(i)
        status = "000"
        try:
            if c is None:
                c = http.client.HTTPConnection("127.0.0.1", int(port),
                    timeout=20)
            c.request("POST", "/api/v1/bookings", json.dumps(b),
                {"Authorization": "Bearer " + token,
                 "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            status = str(r.status)
        except Exception:
            c = None
        with lock:
            print(status, b["id"], flush=True)
ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
EOF

# The puller: pull the change log (GET /changes, as a desk does) until
# the file STOP exists; a pull that carries a booking is checked like an
# answer: nothing that a crash could take back may leave the server.
cat >"$T/pull.py" <<'EOF'
import http.client, json, os, sys
port, token, stop = sys.argv[1], sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=20)
after = 0
while not os.path.exists(stop):
    c.request("GET", "/api/v1/changes?after=%d&limit=4" % after,
        headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    body = json.loads(r.read())
    after = body.get("last", after)
EOF

# Check a strace -f -y -xx log (every string in hex): for each 201's
# booking id, the commit that wrote it (its WAL frames, up to the frame
# marked as a commit: a 24-byte frame header with a database size), then
# an fsync of the WAL begun after that commit and ended before each piece
# of data carrying the id was sent (its answer, and any pull of it).
cat >"$T/order.py" <<'EOF'
import re, sys
HEX = re.compile(r"\\x([0-9a-f]{2})")
STR = re.compile(r'"((?:\\x[0-9a-f]{2})*)"')
def unhex(s):
    return bytes(int(h, 16) for h in HEX.findall(s))
lines = open(sys.argv[1], errors="replace").read().splitlines()
ids = [l.split()[1] for l in open(sys.argv[2]) if l.startswith("201 ")]
head = re.compile(r"^(\d+) +(?:<\.\.\. (\w+) resumed>|(\w+)\()")
fdpath = re.compile(r"^\d+<([^>]*)>")
calls, unfinished = [], {}
for i, l in enumerate(lines):
    m = head.match(l)
    if not m:
        continue
    tid = m.group(1)
    if m.group(2):			# the end of an unfinished call
        c = unfinished.pop(tid, None)
        if c is not None:
            c["end"] = i
        continue
    rest = l[m.end():]
    f = fdpath.match(rest)
    c = {"tid": tid, "name": m.group(3), "start": i, "end": i,
        "path": unhex(f.group(1)) if f else b"",
        "data": b"".join(unhex(x) for x in STR.findall(rest))}
    if l.endswith("<unfinished ...>"):
        unfinished[tid] = c
    calls.append(c)
wal = [c for c in calls if c["name"] == "pwrite64" and
    c["path"].endswith(b"-wal")]
syncs = [c for c in calls if c["name"] in ("fsync", "fdatasync") and
    c["path"].endswith(b"-wal")]
sends = [c for c in calls if c["name"] in ("sendto", "sendmsg", "writev",
    "write", "send") and c["path"].startswith((b"socket:", b"TCP"))]
# A commit ends with the page written after a commit frame's header.
commit_ends = {}
for k, c in enumerate(wal):
    d = c["data"]
    if len(d) == 24 and int.from_bytes(d[4:8], "big") != 0:
        nxt = next((x for x in wal[k + 1:] if x["tid"] == c["tid"]), None)
        if nxt is not None:
            commit_ends.setdefault(c["tid"], []).append(nxt)
bad = pulls = 0
for bid in ids:
    key = bid.encode()
    w = next((c for c in wal if key in c["data"]), None)
    out = [c for c in sends if key in c["data"]]
    if w is None or not out:
        print("# %s: %s" % (bid, "no WAL write" if w is None else
            "never sent"))
        bad += 1
        continue
    end = next((c for c in commit_ends.get(w["tid"], [])
        if c["start"] >= w["start"]), None)
    if end is None:
        print("# %s: no commit frame after its WAL write" % bid)
        bad += 1
        continue
    pulls += len(out) - 1
    for s in out:
        f = next((y for y in syncs if y["start"] > end["end"] and
            y["end"] < s["start"]), None)
        if f is None:
            print("# %s: sent at line %d before any fsync of the WAL "
                "begun after its commit (line %d)" % (bid, s["start"] + 1,
                end["end"] + 1))
            bad += 1
print("%d %d %d" % (len(ids), bad, pulls))
EOF

DB=$T/db
"$GUICHETD" --db "$DB" --init --demo >"$T/init.log" 2>&1 ||
	{ cat "$T/init.log"; exit 99; }
printf '[server]\nsweep_seconds = 3600\n' >"$T/guichetd.ini"

# start [strace...]: guichetd on a new port, $B and $PID set.
start() {
	P=$(port)
	B=http://127.0.0.1:$P/api/v1
	"$@" "$GUICHETD" -c "$T/guichetd.ini" --db "$DB" \
	    --listen "127.0.0.1:$P" 2>>"$T/log" &
	PID=$!
	wait_for 150 curl -s -o /dev/null "$B/resources" ||
	    { echo "Bail out! guichetd did not start"; cat "$T/log"; exit 99; }
}
token() {
	curl -s -H 'Content-Type: application/json' --data-binary \
	    '{"login":"admin","password":"demo"}' "$B/sessions" |
	    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# 1. Each answer after the fsync of its commit, and each pull too.
start strace -f -qq -y -xx -s 4200 -o "$T/trace" \
    -e trace=pwrite64,fsync,fdatasync,sendto,sendmsg,writev,write \
    -e inject=fdatasync:delay_exit=20000
TOK=$(token)
"$PY" "$T/pull.py" "$P" "$TOK" "$T/stop" &
PULLER=$!
"$PY" "$T/book.py" "$P" "$TOK" 0 40 8 >"$T/answers"
: >"$T/stop"
wait "$PULLER"
stop
got=$(grep -c '^201 ' "$T/answers")
if [ "$got" -ge 35 ]; then ok "eight clients at once: $got bookings of 40 answered 201"
else not_ok "eight clients at once: $got bookings of 40 answered 201"
	sed 's/^/#   /' "$T/answers" | head -5; fi
set -- $("$PY" "$T/order.py" "$T/trace" "$T/answers" | tee "$T/order" |
    tail -n 1)
grep '^#' "$T/order" | head -5
if [ "${2-x}" = 0 ] && [ "${1-0}" = "$got" ] && [ "$got" -gt 0 ]; then
	ok "each of the $got answers and ${3-0} pulls of them sent after an fsync of the WAL begun after their commit"
else not_ok "sent before their fsync: ${2-?} of ${1-?} bookings"; fi
# Without the pulls, the check above says nothing of them.
if [ "${3-0}" -gt 0 ]; then ok "a desk pulled bookings while they were made (${3-0} times)"
else not_ok "the puller saw none of the bookings: nothing checked"; fi

# 2. kill -9 while booking: every 201 is there after the restart.
first=40
for round in 1 2 3; do
	start
	TOK=$(token)
	"$PY" "$T/book.py" "$P" "$TOK" "$first" 60 8 >"$T/answers.$round" &
	CLIENTS=$!
	# Killed once some answers came, with more in flight.
	wait_for 200 sh -c "[ \$(grep -c '^201 ' '$T/answers.$round') -ge 10 ]"
	kill -9 "$PID"
	wait "$PID" 2>/dev/null
	PID=
	wait "$CLIENTS"
	first=$((first + 60))
	start
	answered=$(grep -c '^201 ' "$T/answers.$round")
	missing=0
	for id in $(sed -n 's/^201 //p' "$T/answers.$round"); do
		[ "$(sqlite3 -cmd '.timeout 5000' "$DB" \
		    "SELECT count(*) FROM booking WHERE id = '$id'")" = 1 ] ||
		    missing=$((missing + 1))
	done
	stop
	if [ "$answered" -gt 0 ] && [ "$missing" = 0 ]; then
		ok "kill -9, round $round: all $answered answered bookings there after the restart"
	else not_ok "kill -9, round $round: $missing of $answered answered bookings lost"; fi
done

echo "1..$N"
[ "$FAIL" -eq 0 ]
