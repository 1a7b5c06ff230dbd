#!/bin/sh
# Patrons' e-mails over real SMTP (aiosmtpd keeps each message in a
# Maildir): a desk booking's confirmation, R11's cancellation with its
# reason, R13's closure, a patron's first booking asking to confirm (R5)
# from guichetd; an SMTP server that is down leaves the e-mails queued.
. "${top_srcdir:-.}/tests/lib.sh"

: "${GUICHETD:=$(dirname "$GUICHET")/guichetd}"
PY=/usr/bin/python3
if ! "$PY" -c 'import aiosmtpd' 2>/dev/null; then
	echo "1..0 # SKIP python3-aiosmtpd is not installed"
	exit 77
fi
SMTP= SERVER=
stop() {
	[ -n "$SMTP" ] && kill "$SMTP" 2>/dev/null && wait "$SMTP" 2>/dev/null
	[ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null &&
	    wait "$SERVER" 2>/dev/null
	SMTP= SERVER=
}
trap 'stop; cleanup' EXIT
export GUICHET_PASSWORD=demo

MAILS=$T/maildir
PSMTP=$(free_port)
"$PY" -m aiosmtpd -n -l "127.0.0.1:$PSMTP" -c aiosmtpd.handlers.Mailbox \
    "$MAILS" 2>"$T/smtp.log" &
SMTP=$!
wait_for 50 port_open "$PSMTP"
printf '[mail]\nsmtp_url = smtp://127.0.0.1:%s\nfrom = accueil@univ-tlse2.fr\n' \
    "$PSMTP" >"$T/guichet.ini"

m() { g -c "$T/guichet.ini" "$@"; }
# The delivered messages as text: in $T/dec, each one's raw headers, then
# its plain-text part decoded (the bodies are quoted-printable).
decode() {
	mkdir -p "$T/dec"
	"$PY" - "$MAILS" "$T/dec" <<'EOF'
import email, email.policy, glob, os, sys
for f in glob.glob(os.path.join(sys.argv[1], "new", "*")):
    raw = open(f, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    head = raw.split(b"\n\n", 1)[0].decode("ascii", "replace")
    part = m.get_body(preferencelist=("plain",))
    text = part.get_content() if part is not None else ""
    with open(os.path.join(sys.argv[2], os.path.basename(f)), "w") as o:
        o.write(head + "\n\n" + text)
EOF
}
# mails_with TEXT: how many delivered messages contain TEXT.
mails_with() { decode; grep -l -- "$1" "$T/dec"/* 2>/dev/null | wc -l; }

expect 0 "init" -- g init --demo
expect 0 "a desk booking" -- m -u desk.mirail book BUC-G3 --date 2026-11-27 \
    --from 18:00 --to 19:00 --email zoe.test@univ-tlse2.fr --name "Zoé Test"
id=$(cat "$T/out")
check "its confirmation is delivered" 1 "$(mails_with "Référence : $id")"
f=$(grep -l -- "$id" "$T/dec"/*)
has "^To: zoe.test@univ-tlse2.fr" "${f#$T/}" "to the patron"
has "^From: accueil@univ-tlse2.fr" "${f#$T/}" "from the configured address"
has "^Subject: =?UTF-8?B?" "${f#$T/}" "the subject is encoded (RFC 2047)"
has "Bonjour Zoé Test" "${f#$T/}" "in UTF-8, with the patron's name"
has "est confirmée" "${f#$T/}" "says it is confirmed"
has "Au-delà de 15 minutes de retard" "${f#$T/}" "says the 15 minutes (R6)"
check "the subject decodes whole (RFC 2047 words of 75 at most)" \
    "Réservation confirmée : Salle de groupe 3, vendredi 27 novembre 2026, de 18 h 00 à 19 h 00" \
    "$("$PY" -c 'import sys, email, email.header as h
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(str(h.make_header(h.decode_header(m["Subject"]))))' "$f")"
n=$((n + 1))
if grep -q '=?UTF-8?B?[^ ]\{76,\}' "$f"; then
	echo "not ok $n - an encoded word longer than 75"
	failures=$((failures + 1))
else echo "ok $n - encoded words of 75 characters at most"; fi
# A name is one line (R16); a confirmation text may have several, and one
# starting with a dot arrives with one dot (libcurl stuffs it).
expect 1 "a name with a line break is refused (R16)" -- m -u desk.mirail \
    book BUC-G5 --date 2026-11-27 --from 19:00 --to 20:00 \
    --email dot.line@univ-tlse2.fr --name "$(printf 'Dot\n.line')"
"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE resource SET confirm_message = ? WHERE code = ?", ("Merci\n.line, a dot", "BUC-G5"))
db.commit()' "$DB"
expect 0 "a confirmation text with a line starting with a dot" -- m \
    -u desk.mirail book BUC-G5 --date 2026-11-27 --from 19:00 --to 20:00 \
    --email dot.line@univ-tlse2.fr --name "Dot Line"
decode
check "the dot line is not doubled" 1 "$(grep -l '^\.line,' \
    "$T/dec"/* 2>/dev/null | xargs grep -l 'dot.line@' | wc -l)"
expect 0 "a cancellation with a reason (R11)" -- m -u desk.mirail cancel \
    "$id" --reason "Salle indisponible (travaux)"
check "it reaches the patron with the reason" 1 \
    "$(mails_with "Motif : Salle indisponible (travaux)")"
expect 0 "a closure (R13)" -- m -u ref.buc hours close BUC --date 2026-11-28 \
    --reason "Inventaire annuel" --yes
check "each cancelled patron hears why" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM booking b JOIN resource r ON r.id = b.resource_id JOIN establishment l ON l.id = r.library_id WHERE l.code = 'BUC' AND b.cancel_reason LIKE '%Inventaire annuel'")" \
    "$(mails_with "Motif : Inventaire annuel")"
expect 0 "nothing left to send" -- m mail
has "no e-mail waiting" out "the queue is empty"

# The SMTP server goes away: the booking stands, its e-mail waits.
stop
expect 0 "a booking with SMTP down" -- m -u desk.mirail book BUC-G4 \
    --date 2026-12-07 --from 18:00 --to 19:00 --email down@univ-tlse2.fr
has "e-mail queued" err "the desk says the e-mail waits"
expect 0 "the queue" -- m mail
has "down@univ-tlse2.fr.*not sent" out "the e-mail is listed, not sent"
"$PY" -m aiosmtpd -n -l "127.0.0.1:$PSMTP" -c aiosmtpd.handlers.Mailbox \
    "$MAILS" 2>>"$T/smtp.log" &
SMTP=$!
wait_for 50 port_open "$PSMTP"
expect 0 "send the queue" -- m mail --send
check "the waiting e-mail is delivered" 1 "$(mails_with "down@univ-tlse2.fr")"

# guichetd sends what it queues: a patron's first booking (R5).
if [ -x "$GUICHETD" ]; then
	PHTTP=$(free_port)
	printf '[server]\nsweep_seconds = 3600\n[mail]\nsmtp_url = smtp://127.0.0.1:%s\nfrom = accueil@univ-tlse2.fr\nlink_base = http://127.0.0.1:%s\n' \
	    "$PSMTP" "$PHTTP" >"$T/guichetd.ini"
	"$GUICHETD" --db "$T/central.db" --init --demo >/dev/null
	"$GUICHETD" -c "$T/guichetd.ini" --db "$T/central.db" \
	    --listen "127.0.0.1:$PHTTP" 2>"$T/server.log" &
	SERVER=$!
	wait_for 50 curl -s -o /dev/null "http://127.0.0.1:$PHTTP/api/v1/resources"
	curl -s -o "$T/out" -X POST -H 'Content-Type: application/json' \
	    -d '{"resource":"CRL-G3","start":"2026-11-27T15:00+01:00","end":"2026-11-27T16:00+01:00","email":"first.time@univ-tlse2.fr"}' \
	    "http://127.0.0.1:$PHTTP/api/v1/bookings"
	has '"pending_confirmation"' out "a patron's first booking waits (R5)"
	delivered() { [ "$(mails_with "first.time@univ-tlse2.fr")" -ge 1 ]; }
	wait_for 100 delivered
	check "guichetd sends the request to confirm" 1 \
	    "$(grep -l "first.time@" "$T/dec"/* | xargs grep -l "dans les 2 heures" | wc -l)"
	# The patron follows the link of the e-mail to the booking's page,
	# which changes nothing by itself (R5).
	url=$(grep -h "/booking/" $(grep -l "first.time@" "$T/dec"/*) | head -1)
	case $url in
	http://127.0.0.1:$PHTTP/booking/*\?key=*)
		echo "ok $((n = n + 1)) - the e-mail links to the booking's page" ;;
	*)	echo "not ok $((n = n + 1)) - no booking link: '$url'"
		failures=$((failures + 1)) ;;
	esac
	curl -s -o "$T/out" "${url%%\?*}?key=0000"
	has "Ce lien n&#39;est pas valable" out "a link with another key is refused"
	curl -s -o "$T/out" "$url"
	has "en attente de confirmation" out "the page shows the booking waiting"
	token=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' "$T/out" |
	    head -1)
	curl -s -o "$T/out" --data-urlencode "token=$token" \
	    --data-urlencode "key=${url##*key=}" --data-urlencode action=confirm \
	    "${url%%\?*}"
	has "Votre réservation est confirmée" out "its button confirms (R5)"
fi
finish
