#!/usr/bin/python3
# The patrons' pages in a real browser (tests/pages.sh runs this): Debian's
# chromium through chromium-driver and python3-selenium, headless, against
# the real guichetd on a loopback port, its e-mails delivered to a real
# SMTP sink (aiosmtpd, a Maildir), the QR code read out of the poster's PNG
# with zbarimg. TAP on standard output; exit 77 (skip) with the reason
# when the browser cannot start here.
#
# The clock is GUICHET_NOW: guichetd is restarted to move it. Tuesday
# 1 December 2026, Paris (UTC+1): at 09:00 a patron books BUC-G1 10:00-11:00
# and BUC-G2 09:30-10:00 (the first: waiting for confirmation, R5), opens
# the e-mail's link, confirms; validating at 09:00 is too early (R6). At
# 09:55 (guichetd in the C locale), a wrong code is refused, G2 is past its
# window (too late), and the QR code's page validates G1.
import email
import email.policy
import email.utils
import glob
import html
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

T = os.environ["T"]
GUICHET = os.environ["GUICHET"]
GUICHETD = os.environ["GUICHETD"]
PY = "/usr/bin/python3"
DB = os.path.join(T, "central.db")
MAILDIR = os.path.join(T, "maildir")
PATRON = "lea.martin@univ-tlse2.fr"
form = "application/x-www-form-urlencoded"
CODE = "BUC-4821"
LIBRARY = "Bibliothèque universitaire centrale"
# A confirmation text of 1,400 characters on one line: SMTP's limit is
# 998 a line, quoted-printable must fold it.
LONG = ("Merci de laisser la salle propre et de rendre la clé à l'accueil. "
        * 22)[:1400]

n = 0
failures = 0
procs = {}


def ok(cond, what, detail=""):
    global n, failures
    n += 1
    if cond:
        print("ok %d - %s" % (n, what))
    else:
        failures += 1
        print("not ok %d - %s" % (n, what))
        for line in str(detail).splitlines()[:40]:
            print("#   " + line)
    sys.stdout.flush()
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_until(fn, seconds=10.0):
    end = time.time() + seconds
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    return fn()


def stop(name):
    p = procs.pop(name, None)
    if p is not None:
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


PSMTP = free_port()
PHTTP = free_port()
BASE = "http://127.0.0.1:%d" % PHTTP


def start_smtp():
    procs["smtp"] = subprocess.Popen(
        [PY, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % PSMTP, "-c",
         "aiosmtpd.handlers.Mailbox", MAILDIR],
        stderr=open(os.path.join(T, "smtp.log"), "a"))

    def up():
        try:
            socket.create_connection(("127.0.0.1", PSMTP), 0.2).close()
            return True
        except OSError:
            return False
    wait_until(up)


def start_server(now, lc):
    stop("server")
    env = dict(os.environ, GUICHET_NOW=now, LC_ALL=lc, LANG=lc)
    procs["server"] = subprocess.Popen(
        [GUICHETD, "-c", os.path.join(T, "guichetd.ini"), "--db", DB,
         "--listen", "127.0.0.1:%d" % PHTTP], env=env,
        stderr=open(os.path.join(T, "server.log"), "a"))

    def up():
        try:
            urllib.request.urlopen(BASE + "/api/v1/resources", timeout=1)
            return True
        except (OSError, urllib.error.URLError):
            return False
    return wait_until(up)


def http(method, path, body=None, headers=None):
    """(status, headers, text) of a request; no redirect followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    data = None
    h = dict(headers or {})
    if isinstance(body, dict) and h.get("Content-Type") == \
            "application/x-www-form-urlencoded":
        data = urllib.parse.urlencode(body).encode()
    elif body is not None:
        data = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(BASE + path if path.startswith("/")
                                 else path, data=data, method=method,
                                 headers=h)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def statuses():
    c = sqlite3.connect("file:%s?mode=ro" % DB, uri=True)
    try:
        return dict(c.execute("SELECT id, status FROM booking"))
    finally:
        c.close()


def book(resource, start, end, name=""):
    st, _, text = http("POST", "/api/v1/bookings", {
        "resource": resource, "start": start, "end": end, "email": PATRON,
        "name": name})
    ok(st == 201, "the patron books %s through the API" % resource, text)
    return json.loads(text)["id"] if st == 201 else None


def mails():
    out = []
    for f in sorted(glob.glob(os.path.join(MAILDIR, "new", "*"))):
        with open(f, "rb") as fh:
            raw = fh.read()
        out.append((f, raw, email.message_from_bytes(
            raw, policy=email.policy.default)))
    return out


def text_of(msg):
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def html_of(msg):
    part = msg.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


checked = set()


def check_mails(locale_name):
    """Every new message: no defect, RFC 5322 Date, Message-ID, lines."""
    for f, raw, m in mails():
        if f in checked:
            continue
        checked.add(f)
        what = "%s (%s, %s)" % (m["Subject"], m["To"], locale_name)
        defects = list(m.defects)
        for part in m.walk():
            defects += list(part.defects)
        ok(not defects, "no defect in the e-mail %s" % what, defects)
        try:
            d = email.utils.parsedate_to_datetime(m["Date"])
        except (TypeError, ValueError):
            d = None
        ok(d is not None and re.match(
            r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|"
            r"Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$",
            m["Date"]), "an RFC 5322 Date whatever the locale: %s" %
            m["Date"], m["Date"])
        ok(re.match(r"^<[^<>@\s]+@[^<>@\s]+>$", m["Message-ID"] or ""),
           "a Message-ID", m["Message-ID"])
        longest = max(len(line.rstrip(b"\r")) for line in raw.split(b"\n"))
        ok(longest <= 78, "no line over 78 characters (%d)" % longest)
        ok(m.get_content_type() == "multipart/alternative" and
           text_of(m) != "" and html_of(m) != "",
           "MIME with a plain-text part and its HTML form",
           m.get_content_type())
        ok(all(p.get("Content-Transfer-Encoding") == "quoted-printable"
               for p in m.walk() if not p.is_multipart()),
           "quoted-printable bodies")


def mail_for(booking_id, words, seconds=10):
    """The message about a booking whose text has words."""
    def find():
        for f, raw, m in mails():
            t = text_of(m)
            if booking_id in t and words in t:
                return m
        return None
    return wait_until(find, seconds)


def links_in(msg):
    return re.findall(r"https?://\S+", text_of(msg))


# The browser.
def browser(lang):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ["--headless", "--no-sandbox", "--disable-gpu",
              "--disable-quic", "--no-first-run",
              "--disable-background-networking",
              "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=412,915",
              "--user-data-dir=" + tempfile.mkdtemp(dir=T)]:
        o.add_argument(a)
    o.add_experimental_option("prefs", {"intl.accept_languages": lang})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver",
                                            log_output=os.path.join(
                                                T, "chromedriver.log")),
                            options=o)


def click(d, ident):
    """Press a form's button and wait for the page it brings."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import (StaleElementReferenceException,
                                            WebDriverException)
    button = d.find_element(By.ID, ident)
    old = d.find_element(By.TAG_NAME, "html")
    button.click()

    def gone(_):
        # Chromium may say the node "does not belong to the document"
        # instead of stale while the new page replaces it: both mean gone.
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise
    WebDriverWait(d, 15).until(gone)
    WebDriverWait(d, 15).until(lambda x: x.execute_script(
        "return document.readyState") == "complete")


def notice(d):
    from selenium.webdriver.common.by import By
    els = d.find_elements(By.ID, "notice")
    return els[0].text if els else ""


def main():
    from selenium.webdriver.common.by import By

    subprocess.run([GUICHETD, "--db", DB, "--init", "--demo"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ,
                            GUICHET_NOW="2026-12-01T08:00:00+01:00"))
    c = sqlite3.connect(DB)
    # The sweeper runs every second for the e-mails: it must not free G2
    # before the test says it is too late (R6 auto-release off).
    c.execute("UPDATE setting SET value = '0' WHERE key = 'auto_release'")
    c.execute("UPDATE resource SET confirm_message = ? WHERE code = "
              "'BUC-G1'", (LONG,))
    c.commit()
    c.close()
    with open(os.path.join(T, "guichetd.ini"), "w") as f:
        f.write("[server]\nsweep_seconds = 1\n[mail]\n"
                "smtp_url = smtp://127.0.0.1:%d\nfrom = "
                "accueil@univ-tlse2.fr\nlink_base = %s\n" % (PSMTP, BASE))
    start_smtp()

    # 09:00, guichetd in French.
    ok(start_server("2026-12-01T09:00:00+01:00", "fr_FR.UTF-8"),
       "guichetd starts (fr_FR.UTF-8, 09:00)")
    g1 = book("BUC-G1", "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00",
              "Léa <b>Martin</b>")
    g2 = book("BUC-G2", "2026-12-01T09:30+01:00", "2026-12-01T10:00+01:00")
    m1 = mail_for(g1, "confirmez-la")
    ok(m1 is not None, "the request to confirm reaches the SMTP sink")
    if m1 is None:
        return
    m2 = mail_for(g2, "confirmez-la")
    check_mails("fr_FR.UTF-8")
    t1 = text_of(m1)
    ok("Bibliothèque universitaire centrale" in t1 and
       "mardi 1er décembre 2026, de 10 h 00 à 11 h 00" in t1,
       "the e-mail names the library and the time in words", t1)
    ok("%s/validate?l=BUC" % BASE in t1 and "QR code" in t1 and
       "entre 9 h 50 et 10 h 15" in t1,
       "it says how to validate presence, and when (R6)", t1)
    ok(CODE not in t1, "it does not carry the code of the entrance")
    ok("Léa &lt;b&gt;Martin&lt;/b&gt;" in html_of(m1),
       "its HTML part escapes the patron's name", html_of(m1))
    link1 = [u for u in links_in(m1) if "/booking/" in u]
    link2 = [u for u in links_in(m2) if "/booking/" in u] if m2 else []
    ok(len(link1) == 1 and len(link2) == 1,
       "each e-mail links to its booking's page", links_in(m1))
    if not link1 or not link2:
        return
    link1, link2 = link1[0], link2[0]

    # A mail scanner opens every link: nothing changes.
    before = statuses()
    key = urllib.parse.parse_qs(urllib.parse.urlparse(link1).query)["key"][0]
    for u in links_in(m1) + links_in(m2) + [
            "%s/api/v1/bookings/%s/confirm?key=%s" % (BASE, g1, key),
            "%s/api/v1/bookings/%s/cancel?key=%s" % (BASE, g1, key)]:
        st, hd, body = http("GET", u)
        ok(st in (200, 303), "GET %s answers %d" % (
            u.replace(BASE, ""), st), body[:500])
    st, hd, body = http("GET", "/api/v1/bookings/%s/confirm?key=%s" %
                        (g1, key))
    ok(st == 303 and hd["Location"] == "/booking/%s?key=%s" % (g1, key),
       "an old confirm link leads to the booking's page (303)", hd)
    ok(statuses() == before and before[g1] == "pending_confirmation",
       "a GET of every link changes nothing")
    st, hd, body = http("GET", link1)
    ok(hd["Content-Type"] == "text/html; charset=utf-8" and
       "script-src" not in hd.get("Content-Security-Policy", "x") and
       "default-src 'none'" in hd.get("Content-Security-Policy", "") and
       hd.get("Referrer-Policy") == "same-origin" and
       "<script" not in body.lower(),
       "the page is HTML without script, its key never sent to another site",
       hd)
    st, hd, body = http("GET", "/booking/%s?key=%s" % (g1, "0" * 32))
    ok(st == 403 and "Ce lien n'est pas valable" in html.unescape(body),
       "a link with another key is refused with a sentence", body[:300])

    # Forged POSTs: no token, another origin, not a form.
    token = re.search(r'name="token" value="([^"]+)"',
                      http("GET", link1)[2]).group(1)
    st, _, body = http("POST", "/booking/" + g1, {
        "key": key, "action": "confirm", "lang": "fr"},
        {"Content-Type": form})
    ok(st == 403 and "ne vient pas de ce site" in html.unescape(body),
       "a POST without the page's token is refused", body[:300])
    st, _, body = http("POST", "/booking/" + g1, {
        "key": key, "action": "confirm", "token": token},
        {"Content-Type": form, "Origin": "http://evil.example"})
    ok(st == 403 and "ne vient pas de ce site" in html.unescape(body),
       "a POST from another origin is refused", body[:300])
    st, _, body = http("POST", "/booking/" + g2, {
        "key": key, "action": "confirm", "token": token},
        {"Content-Type": form})
    ok(st == 403, "a token of another booking's page is refused",
       body[:300])
    st, _, body = http("POST", "/booking/" + g1, {
        "key": key, "action": "confirm", "token": token})
    ok(st == 415, "a POST that is not a form is refused", body[:300])
    ok(statuses() == before, "the refused POSTs changed nothing")

    try:
        d = browser("fr-FR,fr")
    except Exception as e:  # the browser cannot start here
        print("# chromium cannot start: %s" % str(e).splitlines()[0])
        raise SystemExit(77)
    try:
        d.set_page_load_timeout(20)
        d.get(link1)
        page = d.find_element(By.TAG_NAME, "body").text
        ok(LIBRARY in page and "Salle de groupe 1 (BUC-G1)" in page and
           "mardi 1er décembre 2026, de 10 h 00 à 11 h 00" in page and
           "en attente de confirmation" in page,
           "the booking's page: library, room and time in words, in "
           "French", page)
        click(d, "confirm")
        ok("Votre réservation est confirmée" in notice(d),
           "the patron confirms with the button (R5)", notice(d))
        s = statuses()
        ok(s[g1] == "confirmed" and s[g2] == "confirmed",
           "both bookings of the address are confirmed (R5)",
           (s[g1], s[g2]))
        m = mail_for(g1, "Votre réservation est confirmée")
        ok(m is not None and LONG[:60] in text_of(m).replace("\n", " "),
           "the confirmation arrives with the resource's long text")
        d.find_element(By.ID, "code").send_keys(CODE)
        click(d, "checkin")
        ok("trop tôt" in notice(d) and "9 h 50" in notice(d),
           "too early: the sentence says from when (R6)", notice(d))
        ok(statuses()[g1] == "confirmed", "too early changes nothing")
        check_mails("fr_FR.UTF-8")

        # 09:55, guichetd in the C locale.
        ok(start_server("2026-12-01T09:55:00+01:00", "C"),
           "guichetd restarts (C locale, 09:55)")
        poster = os.path.join(T, "poster.png")
        r = subprocess.run([GUICHET, "-d", DB, "-u", "ref.buc", "qr", "BUC",
                            "--output", poster, "--url", BASE],
                           capture_output=True, text=True,
                           env=dict(os.environ, GUICHET_PASSWORD="demo"))
        ok(r.returncode == 0 and os.path.exists(poster),
           "guichet qr BUC --output poster.png", r.stdout + r.stderr)
        z = subprocess.run(["zbarimg", "--raw", "-q", poster],
                           capture_output=True, text=True)
        qr = z.stdout.strip()
        ok(qr == "%s/validate?l=BUC&c=%s" % (BASE, CODE),
           "the poster scans (zbarimg): the validation page with the code",
           qr + z.stderr)

        d.get(link1)
        d.find_element(By.ID, "code").send_keys("BUC-0000")
        click(d, "checkin")
        ok("Ce n'est pas le code de " + LIBRARY in notice(d),
           "a wrong code: the sentence says where the code is (R6)",
           repr(notice(d)) + repr(d.page_source[-3000:]))
        d.get(link2)
        late = d.find_element(By.ID, "presence").text
        ok("trop tard" in late and "9 h 45" in late and "l'accueil" in late
           and not d.find_elements(By.ID, "checkin"),
           "too late (09:30 + 15 min): the page says go to the desk (R6)",
           late)
        # A form opened before 09:45 and sent now: the same sentence.
        key2 = urllib.parse.parse_qs(
            urllib.parse.urlparse(link2).query)["key"][0]
        tok2 = re.search(r'name="token" value="([^"]+)"',
                         d.page_source).group(1)
        st, _, body = http("POST", "/booking/" + g2, {
            "token": tok2, "key": key2, "action": "checkin", "code": CODE},
            {"Content-Type": form, "Origin": BASE})
        sent = html.unescape(re.search(r'id="notice"[^>]*>([^<]*)',
                                       body).group(1))
        ok(st == 422 and "trop tard" in sent and "9 h 45" in sent,
           "too late, sent: the sentence with the time (R6)", sent)
        ok(statuses()[g2] == "confirmed", "too late changes nothing")

        # The validation page from the QR code.
        d.get(qr)
        ok(d.find_element(By.ID, "code").get_attribute("value") == CODE and
           LIBRARY in d.find_element(By.TAG_NAME, "body").text,
           "the QR code's page has the code filled in, and the library")
        d.find_element(By.ID, "email").send_keys("nobody@univ-tlse2.fr")
        click(d, "validate")
        nothing = notice(d)
        ok(nothing.startswith("Aucune réservation à valider maintenant"),
           "an address with no booking: nothing to validate now", nothing)
        d.get(qr)
        d.find_element(By.ID, "code").clear()
        d.find_element(By.ID, "code").send_keys("BUC-0000")
        d.find_element(By.ID, "email").send_keys(PATRON)
        click(d, "validate")
        ok("Ce n'est pas le code de " + LIBRARY in notice(d),
           "the validation page refuses a wrong code", notice(d))
        ok(statuses()[g1] == "confirmed", "a wrong code changes nothing")
        d.get(qr)
        d.find_element(By.ID, "email").send_keys(PATRON.upper())
        click(d, "validate")
        ok(notice(d) == "Présence validée. Bon travail !",
           "the patron types the address and sees presence validated",
           notice(d))
        ok(statuses()[g1] == "present", "G1 is present (R6)")
        ok(statuses()[g2] == "confirmed", "G2 (past its window) is not")
        ok(LIBRARY in d.find_element(By.TAG_NAME, "body").text and
           "BUC-G1" not in d.find_element(By.TAG_NAME, "body").text,
           "the answer says validated and nothing of the booking")
        d.get(qr)
        d.find_element(By.ID, "email").send_keys(PATRON)
        click(d, "validate")
        ok(notice(d) == "Présence validée. Bon travail !",
           "validating again says the same")

        # 10:20: G1 is validated, G2 is past; the address has nothing to
        # validate now, and the page says exactly what it says of nobody.
        ok(start_server("2026-12-01T10:20:00+01:00", "C"),
           "guichetd restarts (10:20)")
        d.get(qr)
        d.find_element(By.ID, "email").send_keys(PATRON)
        click(d, "validate")
        ok(notice(d) == nothing, "the address of a booking out of its window"
           " learns what an unknown address learns", notice(d))

        # Escaping: what was typed comes back escaped.
        tok = re.search(r'name="token" value="([^"]+)"',
                        http("GET", "/validate")[2]).group(1)
        st, _, body = http("POST", "/validate", {
            "token": tok, "code": CODE, "email": "<script>x@y"},
            {"Content-Type": form})
        ok("&lt;script&gt;x@y" in body and "<script>" not in body,
           "the page escapes what it shows", body[-800:])

        # In English.
        st, _, body = http("GET", "/validate?l=BUC", headers={
            "Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"})
        ok('<html lang="en">' in body and "Validate my presence" in body,
           "English by Accept-Language", body[:400])
        st, _, body = http("GET", "/validate?l=BUC", headers={
            "Accept-Language": "de-DE,fr;q=0.8,en;q=0.7"})
        ok('<html lang="fr">' in body, "French when it is preferred")

        # Cancel with a word, from the booking page.
        g3 = book("BUC-C1", "2026-12-01T14:00+01:00",
                  "2026-12-01T15:00+01:00")
        m3 = mail_for(g3, "Votre réservation est confirmée")
        ok(m3 is not None, "a later booking is confirmed at once (R5)")
        link3 = [u for u in links_in(m3) if "/booking/" in u][0]
        d.get(link3)
        d.find_element(By.ID, "reason").send_keys("Empêchée, désolée")
        click(d, "cancel")
        ok("Votre réservation est annulée" in notice(d),
           "the patron cancels with a word (R11)",
           repr(notice(d)) + repr(d.page_source[-3000:]))
        ok(statuses()[g3] == "cancelled", "G3 is cancelled")
        m = mail_for(g3, "Vous avez annulé votre réservation")
        ok(m is not None and "Votre mot : Empêchée, désolée" in text_of(m),
           "the cancellation e-mail carries the word")
        d.get(link3)
        ok("annulée" in d.find_element(By.ID, "state").text and
           not d.find_elements(By.ID, "cancel"),
           "the page shows it cancelled, with nothing left to do")

        # Released for lateness (R6): the desk frees G2.
        st, _, text = http("POST", "/api/v1/sessions", {
            "login": "desk.mirail", "password": "demo"})
        tok = json.loads(text)["token"]
        st, _, text = http("POST", "/api/v1/free-late", {"ids": [g2]},
                           {"Authorization": "Bearer " + tok})
        ok(st == 200 and statuses()[g2] == "no_show",
           "the desk frees G2 (R6)", text)
        m = mail_for(g2, "Votre présence n'a pas été validée")
        ok(m is not None and "/booking/%s" % g2 in text_of(m),
           "the release e-mail links to the booking's page")
        d.get(link2)
        ok("libérée" in d.find_element(By.ID, "state").text,
           "the page says it was freed")
        check_mails("C")
    finally:
        d.quit()


try:
    main()
finally:
    stop("server")
    stop("smtp")
print("1..%d" % n)
sys.exit(1 if failures else 0)
