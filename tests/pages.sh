#!/bin/sh
# The patrons' pages in a real browser: tests/pages.py drives Debian's
# chromium (headless, through chromium-driver and python3-selenium) against
# the real guichetd, with its e-mails at a real SMTP sink (aiosmtpd) and
# the QR code read out of the poster with zbarimg. Skipped, with the
# reason, when one of them is missing or the browser cannot start.
. "${top_srcdir:-.}/tests/lib.sh"

: "${GUICHETD:=$(dirname "$GUICHET")/guichetd}"
PY=/usr/bin/python3
skip() { echo "1..0 # SKIP $1"; exit 77; }
[ -x "$PY" ] || skip "no /usr/bin/python3"
"$PY" -c 'import aiosmtpd' 2>/dev/null ||
    skip "python3-aiosmtpd is not installed"
"$PY" -c 'import selenium' 2>/dev/null ||
    skip "python3-selenium is not installed"
[ -x /usr/bin/chromium ] || skip "chromium is not installed"
[ -x /usr/bin/chromedriver ] || skip "chromium-driver is not installed"
command -v zbarimg >/dev/null || skip "zbarimg (zbar-tools) is not installed"
[ -x "$GUICHETD" ] || skip "no guichetd at $GUICHETD"
export T GUICHET GUICHETD
unset GUICHET_NOW
# Bounded: a hung browser must not hold make check.
timeout 240 "$PY" "${top_srcdir:-.}/tests/pages.py"
rc=$?
[ "$rc" = 124 ] && echo "not ok - tests/pages.py timed out"
exit "$rc"
