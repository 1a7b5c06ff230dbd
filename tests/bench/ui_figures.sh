#!/bin/sh
# The interface's figures over a pseudo-terminal (issue "The desk's
# full-screen interface"): with 20,000 bookings in the database, the time
# to the first full screen, the bytes written per cursor move and per day
# change at 80x24, and the resident memory. Not a test: it prints figures.
#
#   tests/bench/ui_figures.sh [GUICHET] [TTYMETER]
#
# GUICHET defaults to ./guichet, TTYMETER to ../shared/tools/ttymeter
# beside the source tree. Needs sqlite3, python3 and tmux.
set -eu
G=$(realpath "${1:-./guichet}")
here=$(cd "$(dirname "$0")/../.." && pwd)
M=${2:-$here/../shared/tools/ttymeter}
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
python3 "$M" --json --size 80x24 --keys "$KEYS" -- "$G" -d "$DB" \
    >"$T/meter.json"
python3 - "$T/meter.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
k = m["keys"]
grid = k[16]            # the Enter after the password
moves = [x["bytes"] for x in k[17:25]]
days = [x["bytes"] for x in k[25:29]]
med = lambda v: sorted(v)[len(v) // 2]
print(f"first screen (login): {m['first_paint_bytes']} bytes in "
      f"{m['first_paint_ms']} ms")
print(f"login to the full grid: {grid['bytes']} bytes in {grid['ms']} ms "
      f"(argon2id check included)")
print(f"cursor move: median {med(moves)} bytes (min {min(moves)}, "
      f"max {max(moves)}) over {len(moves)} moves")
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
echo "# command: $0 $G $M"
