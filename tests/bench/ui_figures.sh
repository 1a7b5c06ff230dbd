#!/bin/sh
# The interface's figures over a pseudo-terminal (issue "The desk's
# full-screen interface"): with 20,000 bookings in the database, the time
# to the first full screen, the bytes written per cursor move and per day
# change at 80x24, and the resident memory. Not a test: it prints figures.
#
#   tests/bench/ui_figures.sh [GUICHET] [TTYMETER] [TERM]
#
# GUICHET defaults to ./guichet, TTYMETER to ../shared/tools/ttymeter
# beside the source tree, TERM to xterm-256color (try vt100 too). Needs
# sqlite3, python3 and tmux. The header turns its pop-ups every 4 s of
# the wall clock: a move that caught the turn costs some 70 bytes more
# (the per-move list shows it).
set -eu
G=$(realpath "${1:-./guichet}")
here=$(cd "$(dirname "$0")/../.." && pwd)
M=${2:-$here/../shared/tools/ttymeter}
TT=${3:-xterm-256color}
T=$(mktemp -d "${TMPDIR:-/tmp}/guichet-ui-figures.XXXXXX")
trap 'tmux -L "uifig$$" kill-server 2>/dev/null; rm -rf "$T"' EXIT
export GUICHET_NOW=2026-11-26T10:16:00+01:00 LANG=C.UTF-8
export XDG_CONFIG_HOME="$T" HOME="$T"
DB=$T/g.db

"$G" -d "$DB" init --demo >/dev/null
# 20,000 more bookings: every exclusive resource, one hour each from 08:00
# (07:00 UTC), over the days around today; confirmed, at the desk.
sqlite3 "$DB" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < 19999),
r AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k,
    count(*) OVER () AS c FROM resource WHERE type NOT IN ('workshop',
    'visit', 'training')),
t(b) AS (SELECT CAST(strftime('%s', '2026-10-01 07:00:00') AS INTEGER))
INSERT OR IGNORE INTO booking (id, resource_id, start, end, email, name,
    origin, status, created_at, changed_at)
SELECT printf('f20k-%05d', i), r.id,
    t.b + (i / (r.c * 12)) * 86400 + ((i / r.c) % 12) * 3600 + 3600000,
    t.b + (i / (r.c * 12)) * 86400 + ((i / r.c) % 12) * 3600 + 3603600,
    printf('p%05d@etu.univ-tlse2.fr', i), 'Patron', 'desk', 'confirmed',
    t.b, t.b
FROM n, r, t WHERE r.k = i % r.c;
SQL
echo "# $(sqlite3 "$DB" 'SELECT count(*) FROM booking') bookings in the database"

# The keys: the account, Enter, the password, Enter (the grid), then
# eight cursor moves and four day changes (n next, p previous).
KEYS=d,e,s,k,.,m,i,r,a,i,l,enter,d,e,m,o,enter
KEYS=$KEYS,right,right,right,right,down,down,left,up,n,n,p,p
# Three runs: the figure of each move is its median over the runs, so
# that a pop-up's turn in the header (every 4 s of the wall clock, whatever
# the keys) does not count as the cost of the move it fell on.
for run in 1 2 3; do
	python3 "$M" --json --size 80x24 --term "$TT" --keys "$KEYS" -- \
	    "$G" -d "$DB" >"$T/meter$run.json"
done
python3 - "$T"/meter1.json "$T"/meter2.json "$T"/meter3.json <<'PY'
import json, sys
runs = [json.load(open(f)) for f in sys.argv[1:]]
med = lambda v: sorted(v)[len(v) // 2]
m = runs[0]
grid = m["keys"][16]    # the Enter after the password
lists = [[x["bytes"] for x in r["keys"][17:25]] for r in runs]
moves = [med(col) for col in zip(*lists)]
days = [med(col) for col in zip(*[[x["bytes"] for x in r["keys"][25:29]]
                                   for r in runs])]
print(f"first screen (login): {m['first_paint_bytes']} bytes in "
      f"{m['first_paint_ms']} ms")
print(f"login to the full grid: {grid['bytes']} bytes in {grid['ms']} ms "
      f"(argon2id check included)")
for i, l in enumerate(lists):
    print(f"cursor moves, run {i + 1}: {', '.join(str(x) for x in l)} "
          f"(median {med(l)})")
print(f"cursor move: median {med(moves)} bytes (min {min(moves)}, "
      f"max {max(moves)}) over {len(moves)} moves: "
      f"{', '.join(str(x) for x in moves)}")
print(f"day change: median {med(days)} bytes (min {min(days)}, "
      f"max {max(days)}) over {len(days)} changes")
PY

# Resident memory of the grid, in tmux: after the login, and the peak.
tmux -L "uifig$$" -f /dev/null new-session -d -x 80 -y 24 \
    "GUICHET_NOW=$GUICHET_NOW '$G' -d '$DB'"
sleep 0.5
tmux -L "uifig$$" send-keys desk.mirail Enter
sleep 0.3
tmux -L "uifig$$" send-keys demo Enter
sleep 1
for d in 1 2 3 4 5; do tmux -L "uifig$$" send-keys n; sleep 0.2; done
pid=$(tmux -L "uifig$$" list-panes -F '#{pane_pid}')
child=$(pgrep -P "$pid" guichet || echo "$pid")
grep -E 'VmRSS|VmHWM' "/proc/$child/status" | tr -s ' \t' ' ' |
    sed 's/^/resident memory: /'
echo "# command: $0 $G $M $TT"
