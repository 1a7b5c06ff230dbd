#!/bin/sh
# guichet qr: the QR code of a library's validation page in the terminal
# (half blocks, ASCII without UTF-8) and its poster (PNG that zbarimg
# reads back, SVG, A4 and A5); P5 to see the code; a new establishment
# code makes a new QR code at once.
. "${top_srcdir:-.}/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export GUICHET_PASSWORD=demo
U=https://reservation.example.org
URL="$U/validate?l=BUC&c=BUC-4821"

expect 0 "init" -- g init --demo
expect 3 "the code needs a login" -- g qr BUC --url "$U"
expect 3 "a desk account has no P5 on BUC" -- g -u desk.mirail qr BUC \
    --url "$U"
has "(P5)" err "the refusal names P5"
expect 2 "no public URL" -- g -u ref.buc qr BUC
has "link_base" err "it says where to set one"
expect 2 "a URL that is not http(s)" -- g -u ref.buc qr BUC --url ftp://x
expect 2 "a poster that is neither PNG nor SVG" -- g -u ref.buc qr BUC \
    --url "$U" --output "$T/p.pdf"
expect 2 "a paper that is neither A4 nor A5" -- g -u ref.buc qr BUC \
    --url "$U" --paper a3
expect 4 "an unknown library" -- g -u ref.buc qr NOPE --url "$U"
[ -e "$T/p.pdf" ] && echo "not ok - a refused command wrote a file" &&
    failures=$((failures + 1))

expect 0 "the QR code in a UTF-8 terminal" -- g -u ref.buc qr BUC \
    --url "$U/"
has "$URL" out "the URL, one slash, the library and its code"
has "Code: BUC-4821" out "the code printed under it"
has "Bibliothèque universitaire centrale" out "the library's name"
has "▄" out "drawn with half blocks"
n=$((n + 1))
lines=$(grep -c '[█▀▄]' "$T/out")
if [ "$lines" -le 21 ]; then echo "ok $n - $lines lines: fits 80x24"
else echo "not ok $n - $lines lines"; failures=$((failures + 1)); fi
expect 0 "in a terminal without UTF-8" -- env LC_ALL=C "$GUICHET" -d "$DB" \
    -u ref.buc qr BUC \
    --url "$U"
has "^####" out "drawn with ## a module"
n=$((n + 1))
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$T/out" &&
    ! grep -q "Biblioth" "$T/out"; then
	echo "not ok $n - bytes that are not ASCII"; failures=$((failures + 1))
else echo "ok $n - ASCII only in the code"; fi

expect 0 "an A4 PNG poster" -- g -u ref.buc qr BUC --url "$U" \
    --output "$T/a4.png"
has "poster written to .*a4.png (A4)" out "it says where"
size() { "$PY" -c 'import struct, sys
d = open(sys.argv[1], "rb").read(33)
assert d[:8] == b"\x89PNG\r\n\x1a\n" and d[12:16] == b"IHDR"
print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }
n=$((n + 1))
if [ "$(size "$T/a4.png")" = 1240x1754 ]; then
	echo "ok $n - a PNG of A4 at 150 dpi"
else echo "not ok $n - $(size "$T/a4.png")"; failures=$((failures + 1)); fi
n=$((n + 1))
if ! command -v zbarimg >/dev/null; then
	echo "ok $n - the poster scans # SKIP no zbarimg (zbar-tools)"
elif [ "$(zbarimg --raw -q "$T/a4.png" 2>/dev/null)" = "$URL" ]; then
	echo "ok $n - the poster scans (zbarimg): $URL"
else echo "not ok $n - zbarimg read '$(zbarimg --raw -q "$T/a4.png" 2>&1)'"
	failures=$((failures + 1)); fi
expect 0 "an A5 PNG poster" -- g -u ref.buc qr BUC --url "$U" --paper a5 \
    --output "$T/a5.png"
n=$((n + 1))
if [ "$(size "$T/a5.png")" = 874x1240 ]; then echo "ok $n - A5 at 150 dpi"
else echo "not ok $n - $(size "$T/a5.png")"; failures=$((failures + 1)); fi
expect 0 "an SVG poster" -- g -u ref.buc qr BUC --url "$U" \
    --output "$T/p.svg"
n=$((n + 1))
if "$PY" -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1]).documentElement
t = " ".join(x.firstChild.data for x in d.getElementsByTagName("text"))
assert d.getAttribute("width") == "210mm", d.getAttribute("width")
assert "BUC-4821" in t and "Bibliothèque universitaire centrale" in t, t
assert "Validez votre présence" in t and d.getElementsByTagName("path")' \
    "$T/p.svg"; then echo "ok $n - the SVG is well formed, with the code"
else echo "not ok $n - the SVG"; failures=$((failures + 1)); fi
expect 0 "--json" -- g -u ref.buc --json qr BUC --url "$U"
has '"code": "BUC-4821"' out "the code in JSON"
has '"url": "https://reservation.example.org/validate?l=BUC&c=BUC-4821"' out \
    "the URL in JSON"

# A new establishment code (P5): the next QR code carries it.
expect 0 "ref.buc changes BUC's code" -- g -u ref.buc establishment BUC \
    checkin_code=BUC-7777
expect 0 "the QR code follows" -- g -u ref.buc qr BUC --url "$U"
has "Code: BUC-7777" out "the new code"
has "c=BUC-7777" out "in the URL"

# The interface shows it on Q, in 80x24, to an account with P5 (a
# private tmux server, tests/lib.sh's; polled, never slept on).
if command -v tmux >/dev/null 2>&1; then
	printf '[mail]\nlink_base = %s\n[desk]\nlibrary = BUC\n' "$U" \
	    >"$T/ui.ini"
	starts=0
	ui() {	# ui ACCOUNT: log in, the grid of BUC (a new tmux server)
		starts=$((starts + 1))
		tmux_start "guichet-qr-$$-$starts" 80 24 \
		    "$GUICHET -c $T/ui.ini -d $DB; sleep 60"
		tmux_wait "Account:" 100
		tmux_keys -l "$1"; tmux_keys Enter
		tmux_keys -l demo; tmux_keys Enter
		tmux_wait "$1" 100
	}
	# The QR code's lines: the header above changes by itself (its
	# pop-ups take turns), so i is judged on these alone.
	qr_lines() { tmux_screen | grep "[▀▄█]"; }
	changed() { ! qr_lines | cmp -s - "$T/before"; }
	ui ref.buc
	tmux_keys Q
	test_expect "Q draws the QR code with the code under it" \
	    'tmux_wait "Code: BUC-7777" 100'
	test_expect "in half blocks, within 80x24" \
	    '[ "$(tmux_screen | grep -c "[▀▄█]")" -ge 17 ]'
	qr_lines >"$T/before"
	tmux_keys i
	test_expect "i inverts it" 'wait_for 50 changed'
	tmux_keys Escape
	test_expect "Esc closes it" 'tmux_gone "Code: BUC-7777"'
	ui desk.mirail
	tmux_keys Q
	test_expect "without P5 it says why" 'tmux_wait "no QR code:" 100'
	tmux_stop
fi
finish
