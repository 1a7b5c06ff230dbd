#!/bin/sh
# Durable answers from guichetd (group commit, server/writer.c): the real
# server on a free loopback port. Sealed: a private temporary directory,
# removed on exit with the servers stopped.
#
# 1. Under strace, eight clients book at once; for every 201, the trace
#    must show the WAL pages holding the booking written, then an fsync of
#    the WAL by the thread that wrote them (the commit), and only after
#    that fsync returned, the response carrying the booking sent. Without
#    synchronous = FULL there is no fsync before the answer and this fails.
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

# Check a strace -f -y log: each 201's booking id, its WAL write, the
# writer's next fsync of the WAL and the response, in that order.
cat >"$T/order.py" <<'EOF'
import re, sys
lines = open(sys.argv[1], errors="replace").read().splitlines()
ids = [l.split()[1] for l in open(sys.argv[2]) if l.startswith("201 ")]
call = re.compile(r"^(\d+) +(?:<\.\.\. (\w+) resumed>|(\w+)\()")
pending = {}		# tid -> (syscall, line) of an unfinished call
events = []		# (index, tid, kind, text)
for i, l in enumerate(lines):
    m = call.match(l)
    if not m:
        continue
    tid = m.group(1)
    if m.group(2):		# the end of an unfinished call
        name, text = pending.pop(tid, (m.group(2), l))
        if name in ("fsync", "fdatasync"):
            events.append((i, tid, "sync", text))
        continue
    name = m.group(3)
    if l.endswith("<unfinished ...>"):
        pending[tid] = (name, l)
        if name in ("fsync", "fdatasync"):
            continue		# counts when it returns
    if name in ("fsync", "fdatasync"):
        events.append((i, tid, "sync", l))
    elif name == "pwrite64":
        events.append((i, tid, "wal", l))
    elif name in ("sendto", "sendmsg", "writev", "write", "send"):
        events.append((i, tid, "send", l))
bad = 0
for bid in ids:
    w = next((e for e in events if e[2] == "wal" and "-wal>" in e[3]
        and bid in e[3]), None)
    s = next((e for e in events if e[2] == "send" and bid in e[3]), None)
    if w is None or s is None:
        print("# %s: %s" % (bid, "no WAL write" if w is None else
            "no response"))
        bad += 1
        continue
    f = next((e for e in events if e[0] > w[0] and e[1] == w[1] and
        e[2] == "sync" and "-wal>" in e[3]), None)
    if f is None or f[0] > s[0]:
        print("# %s: answered at line %d before the WAL's fsync (%s)" %
            (bid, s[0] + 1, "none" if f is None else "line %d" %
            (f[0] + 1)))
        bad += 1
print("%d %d" % (len(ids), bad))
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

# 1. Each answer after the fsync of its commit.
start strace -f -qq -y -s 4200 -o "$T/trace" \
    -e trace=pwrite64,fsync,fdatasync,sendto,sendmsg,writev,write
TOK=$(token)
"$PY" "$T/book.py" "$P" "$TOK" 0 40 8 >"$T/answers"
stop
got=$(grep -c '^201 ' "$T/answers")
if [ "$got" -ge 35 ]; then ok "eight clients at once: $got bookings of 40 answered 201"
else not_ok "eight clients at once: $got bookings of 40 answered 201"
	sed 's/^/#   /' "$T/answers" | head -5; fi
set -- $("$PY" "$T/order.py" "$T/trace" "$T/answers" | tee "$T/order" |
    tail -n 1)
grep '^#' "$T/order" | head -5
if [ "${2-x}" = 0 ] && [ "${1-0}" = "$got" ] && [ "$got" -gt 0 ]; then
	ok "each of the $got answers sent after the WAL's fsync of its commit"
else not_ok "answers before their fsync: ${2-?} of ${1-?}"; fi

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
