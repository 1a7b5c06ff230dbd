#!/bin/sh
# The Debian packages (issue 14): build guichet and guichetd from the
# release tarball with dpkg-buildpackage, check them with lintian (no error,
# no warning), and, as root, install them and use what they installed: the
# versions, the demo, the unit's own command line without systemctl.
# Usage: tests/deb.sh TARBALL [OUTDIR]   (run by .ci/run after the tests)
set -eu
tarball=$(realpath "$1")
out=$(realpath -m "${2:-build-deb}")
rm -rf "$out" && mkdir -p "$out"
tar -C "$out" -xzf "$tarball"
src=$(ls -d "$out"/guichet-*/)
# The suite has just run on this tree: the package build skips it.
(cd "$src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b \
    >"$out/build.log" 2>&1) || { tail -40 "$out/build.log"; exit 1; }
echo "ok - dpkg-buildpackage built $(cd "$out" && ls *.deb | tr '\n' ' ')"
lintian --fail-on error,warning --tag-display-limit 0 "$out"/*.changes \
    >"$out/lintian.log" 2>&1 || { cat "$out/lintian.log"; echo \
    "not ok - lintian"; exit 1; }
echo "ok - lintian: no error, no warning"; sed 's/^/#   /' "$out/lintian.log"
[ "$(id -u)" -eq 0 ] || { echo "ok - install # SKIP not root"; exit 0; }

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$out"/guichet_*.deb \
    "$out"/guichetd_*.deb >"$out/install.log" 2>&1 || { cat \
    "$out/install.log"; exit 1; }
fail() { echo "not ok - $*"; exit 1; }
/usr/bin/guichet --version | grep -q '^guichet ' || fail "guichet --version"
/usr/sbin/guichetd --version | grep -q '^guichetd ' ||
    fail "guichetd --version"
echo "ok - installed: $(/usr/bin/guichet --version | head -1)," \
    "$(/usr/sbin/guichetd --version | head -1)"
[ -f /etc/guichet/guichetd.ini ] || fail "no /etc/guichet/guichetd.ini"
for f in /usr/share/man/man1/guichet.1.gz /usr/share/man/man8/guichetd.8.gz \
    /usr/share/locale/fr/LC_MESSAGES/guichet.mo \
    /lib/systemd/system/guichetd.service \
    /usr/lib/systemd/user/guichet-sweep.timer; do
	[ -f "$f" ] || fail "not installed: $f"
done
echo "ok - manual pages, French catalog, units and example installed"
t=$(mktemp -d)
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$t"' EXIT
pid=
guichet -d "$t/demo.db" init --demo >/dev/null || fail "guichet init --demo"
guichet -d "$t/demo.db" resources | grep -q BUC-G1 || fail "demo resources"
echo "ok - the installed guichet opens the demo"
rc=0; guichet -d "$t/demo.db" </dev/null >"$t/out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "guichet without a terminal: exit $rc, wanted 2"
echo "ok - guichet without a terminal exits 2: $(head -1 "$t/out")"
# The unit's command lines, as systemd would run them, with its paths
# moved into the test folder.
unit=/lib/systemd/system/guichetd.service
pre=$(sed -n 's/^ExecStartPre=//p' "$unit" | sed "s|/var/lib/guichet|$t|g")
start=$(sed -n 's/^ExecStart=//p' "$unit" | sed "s|/var/lib/guichet|$t|g")
sh -c "$(echo "$pre" | sed -e "s|^/bin/sh -c '||" -e "s|'\$||")" ||
    fail "ExecStartPre"
[ -f "$t/central.db" ] || fail "ExecStartPre created no database"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$start --listen "127.0.0.1:$port" >"$t/log" 2>&1 &
pid=$!
i=0
until curl -sf "http://127.0.0.1:$port/api/v1/resources" >/dev/null; do
	i=$((i + 1)); [ "$i" -lt 50 ] || { cat "$t/log"; fail "unit start"; }
	sleep 0.1
done
kill -TERM "$pid"; wait "$pid" || fail "guichetd did not stop cleanly"
pid=
echo "ok - the unit's command line starts without a config file and stops on SIGTERM"
