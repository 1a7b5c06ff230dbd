"""guichetd's security probes (issue 11), run by tests/security.sh against
the real server on a loopback port: the rights matrix of
tests/security-rights.txt, the HTTP framing cases through raw sockets,
cross-site writes, idempotency keys, the login throttle and its race,
sessions and passwords, patrons' privacy, R16, and bounded floods (slow
connections, logins) that must leave a public GET fast.

  security.py check PORT DB LOG RIGHTS   the test (TAP lines on stdout)
  security.py bench PORT                 figures only (p50/p99 of a public
                                         GET under 24 logins and under
                                         SLOW slow connections)

Everything talks to 127.0.0.0/8 only; other loopback addresses
(127.0.0.2...) stand for other clients.
"""
import hashlib
import http.client
import json
import os
import resource
import socket
import sqlite3
import sys
import threading
import time

PORT = 0
HOST = "127.0.0.1"
RESULTS = {"ok": 0, "fail": 0, "probes": 0, "framing": 0, "floods": 0}


def tap(good, what):
    RESULTS["ok" if good else "fail"] += 1
    print(("ok - " if good else "not ok - ") + what, flush=True)
    return good


def request(method, path, body=None, token=None, headers=None,
            source="127.0.0.1", ctype="application/json", timeout=30):
    """One request on a new connection: (status, headers, parsed body)."""
    c = http.client.HTTPConnection(HOST, PORT, timeout=timeout,
                                   source_address=(source, 0))
    h = {}
    if ctype is not None and (body is not None or method == "POST"):
        h["Content-Type"] = ctype
    if token:
        h["Authorization"] = "Bearer " + token
    h.update(headers or {})
    data = body if isinstance(body, (bytes, type(None))) else \
        json.dumps(body).encode()
    if data is None and method == "POST":
        data = b""
    c.request(method, "/api/v1" + path, body=data, headers=h)
    r = c.getresponse()
    raw = r.read()
    c.close()
    try:
        v = json.loads(raw) if raw else None
    except ValueError:
        v = raw
    return r.status, dict(r.getheaders()), v


def login(account, password="demo", source="127.0.0.1"):
    st, _, v = request("POST", "/sessions", {"login": account,
                                             "password": password},
                       source=source)
    return v["token"] if st == 201 else None


def raw(data, timeout=5.0, source="127.0.0.1"):
    s = socket.create_connection((HOST, PORT), timeout=timeout,
                                 source_address=(source, 0))
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except socket.timeout:
        out += b"<timeout>"
    except ConnectionResetError:
        pass
    s.close()
    return out


# ---------------------------------------------------------------- rights

def rights(path):
    """The matrix as data: ACCOUNT METHOD PATH STATUS [BODY]."""
    tokens = {}
    n = 0
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 4)
        who, method, p, want = parts[:4]
        body = json.loads(parts[4]) if len(parts) > 4 else None
        if who != "-" and who not in tokens:
            tokens[who] = login(who)
        st, _, v = request(method, p, body, tokens.get(who))
        n += 1
        RESULTS["probes"] += 1
        got = str(st)
        if not want.isdigit() and st == 200:
            # POST /ops: the first result, applied or its error's code.
            r = v["results"][0]
            got = r["status"] if r["status"] == "applied" else \
                r["error"]["code"]
            what = "%s %s" % (method, body["ops"][0]["kind"])
        else:
            what = "%s %s" % (method, p)
        tap(got == want, "rights: %s %s is %s (got %s%s)" % (
            who, what, want, got,
            ": " + v["error"]["code"] if st >= 400 and isinstance(v, dict)
            and "error" in v else ""))
    return n


# --------------------------------------------------------------- framing

FRAMING = [
    # name, request, the status expected (None: closed without answer)
    ("Transfer-Encoding with a space before the colon",
     b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : "
     b"chunked\r\nContent-Length: 3\r\nContent-Type: application/json\r\n"
     b"\r\n{}\n", 400),
    ("Transfer-Encoding: identity",
     b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
     b"identity\r\nContent-Type: application/json\r\n\r\n{}", 501),
    ("Transfer-Encoding: gzip, chunked",
     b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
     b"gzip, chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n"
     b"0\r\n\r\n", 501),
    ("two Transfer-Encoding",
     b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
     b"chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    ("two Content-Length",
     b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
     b"Content-Length: 3\r\n\r\n{}", 400),
    ("Content-Length and chunks",
     b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400),
    ("two Host headers",
     b"GET /api/v1/resources HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    ("HTTP/1.1 without Host",
     b"GET /api/v1/resources HTTP/1.1\r\n\r\n", 400),
    ("a folded header line",
     b"GET /api/v1/resources HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n"
     b"\r\n", 400),
    ("lines ended by a bare LF",
     b"GET /api/v1/resources HTTP/1.1\nHost: a\n\n", 400),
    ("a bare LF inside the head",
     b"GET /api/v1/resources HTTP/1.1\r\nHost: a\r\nX-A: one\ntwo\r\n\r\n",
     400),
    ("a NUL in a header value",
     b"GET /api/v1/resources HTTP/1.1\r\nHost: a\r\nX-A: on\x00e\r\n\r\n",
     400),
    ("a bare CR in a header value",
     b"GET /api/v1/resources HTTP/1.1\r\nHost: a\r\nX-A: on\re\r\n\r\n",
     400),
    ("an escape in a header value",
     b"GET /api/v1/resources HTTP/1.1\r\nHost: a\r\nX-A: \x1b[31m\r\n\r\n",
     400),
    ("an HTTP version we do not speak",
     b"GET /api/v1/resources HTTP/1.7\r\nHost: a\r\n\r\n", 505),
    ("a sound request",
     b"GET /api/v1/resources HTTP/1.1\r\nHost: a\r\n\r\n", 200),
    ("a sound HTTP/1.0 request",
     b"GET /api/v1/resources HTTP/1.0\r\n\r\n", 200),
]

BAD_LENGTHS = [b"1x", b"-1", b"+2", b"2 2", b"0x2",
               b"99999999999999999999999"]


def framing():
    for name, req, want in FRAMING:
        out = raw(req + b"" if b"Connection" in req else
                  req.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n",
                              1) if b"\r\n\r\n" in req else req)
        lines = [l for l in out.split(b"\r\n") if l.startswith(b"HTTP/1.")]
        got = int(lines[0].split()[1]) if lines else None
        RESULTS["framing"] += 1
        tap(got == want and len(lines) == 1 and b"<timeout>" not in out,
            "framing: %s is %s, answered once and at once (got %s, %d "
            "status lines%s)" % (name, want, got, len(lines),
                                 ", timed out" if b"<timeout>" in out
                                 else ""))
    for cl in BAD_LENGTHS:
        out = raw(b"POST /api/v1/bookings HTTP/1.1\r\nHost: a\r\n"
                  b"Content-Type: application/json\r\nContent-Length: " +
                  cl + b"\r\n\r\n{}")
        lines = [l for l in out.split(b"\r\n") if l.startswith(b"HTTP/1.")]
        RESULTS["framing"] += 1
        tap(len(lines) <= 1 and (not lines or lines[0].split()[1] in
                                 (b"400", b"413")),
            "framing: Content-Length '%s' is refused with one status line "
            "at most (got %d)" % (cl.decode(), len(lines)))


# ------------------------------------------------------------ cross-site

def cross_site(desk):
    b = {"resource": "BUC-G2", "start": "2026-11-30T14:00+01:00",
         "end": "2026-11-30T15:00+01:00", "email": "csrf@univ-tlse2.fr"}
    for ct in ("text/plain", "application/x-www-form-urlencoded",
               "multipart/form-data; boundary=x", None):
        st, _, v = request("POST", "/bookings", b, ctype=ct)
        tap(st == 415, "a patron's POST with Content-Type %s is 415 "
            "(got %s)" % (ct, st))
    st, _, _ = request("POST", "/bookings/x/checkin", None, desk, ctype=None)
    tap(st == 415, "a POST without a body still says JSON (415, got %s)" %
        st)
    st, _, v = request("POST", "/bookings", b, headers={
        "Origin": "https://evil.example"})
    tap(st == 403, "a POST from another site's page (Origin) is 403 "
        "(got %s)" % st)
    st, _, v = request("POST", "/bookings", b, headers={"Origin": "null"})
    tap(st == 403, "Origin: null is 403 (got %s)" % st)
    st, _, v = request("POST", "/bookings", dict(b, email="same@univ-tlse2.fr"),
                       headers={"Origin": "http://%s:%d" % (HOST, PORT)})
    tap(st == 201, "a POST from our own origin is served (got %s)" % st)
    st, _, v = request("POST", "/bookings", dict(
        b, start="2026-11-30T16:00+01:00", end="2026-11-30T17:00+01:00"),
        ctype="application/json; charset=utf-8")
    tap(st == 201, "application/json with a charset is JSON (got %s)" % st)


# ----------------------------------------------------------- idempotency

def idempotency():
    b = {"resource": "BUC-G3", "start": "2026-11-30T12:00+01:00",
         "end": "2026-11-30T13:00+01:00", "email": "first@univ-tlse2.fr",
         "name": "First Patron", "phone": "0600000001"}
    k = {"Idempotency-Key": "retry-me-1"}
    st1, _, v1 = request("POST", "/bookings", b, headers=k)
    tap(st1 == 201, "a patron's booking with a key is 201 (got %s)" % st1)
    st, _, v = request("POST", "/bookings", b, headers=k)
    tap(st == 201 and v.get("id") == v1.get("id"),
        "the same key and payload replay the first booking")
    b2 = dict(b, email="other@univ-tlse2.fr", name="Other", phone="0700000002",
              start="2026-11-30T13:00+01:00", end="2026-11-30T14:00+01:00")
    st, _, v = request("POST", "/bookings", b2, headers=k)
    tap(st == 422 and v["error"]["code"] == "idempotency_mismatch",
        "the same key with another payload is 422 idempotency_mismatch "
        "(got %s)" % st)
    st, _, v = request("POST", "/bookings", b2, headers=k,
                       source="127.0.0.2")
    tap(st == 201 and v.get("id") != v1.get("id") and
        "First" not in json.dumps(v),
        "another address's same key is its own: never the first patron's "
        "booking, name or phone (got %s)" % st)
    st, _, v = request("POST", "/bookings", b, headers={
        "Idempotency-Key": "x" * 300})
    tap(st == 400, "an Idempotency-Key over 255 characters is 400")


# -------------------------------------------------------------- throttle

def throttle():
    codes = []
    for i in range(5):
        codes.append(request("POST", "/sessions", {
            "login": "ref.com", "password": "wrong%d" % i})[0])
    tap(codes == [401] * 5, "five wrong passwords are 401 (%s)" % codes)
    st, h, _ = request("POST", "/sessions", {"login": "ref.com",
                                             "password": "demo"})
    tap(st == 429 and int(h.get("Retry-After", "0")) >= 1,
        "the sixth attempt from that address waits (429, Retry-After %s)" %
        h.get("Retry-After"))
    st, _, _ = request("POST", "/sessions", {"login": "ref.com",
                                             "password": "demo"},
                       source="127.0.0.2")
    tap(st == 201, "ref.com logs in from another address: a stranger's "
        "failures lock no one out (got %s)" % st)
    st, _, _ = request("POST", "/sessions", {"login": "ref.crl",
                                             "password": "demo"})
    tap(st == 201, "another account logs in from the throttled address "
        "(got %s)" % st)

    # The race: twelve wrong passwords at once for a fresh pair, at most
    # five checked (the others wait).
    out = []
    lock = threading.Lock()

    def one(i):
        st = request("POST", "/sessions", {"login": "ref.crog",
                                           "password": "race%d" % i},
                     source="127.0.0.5")[0]
        with lock:
            out.append(st)
    ts = [threading.Thread(target=one, args=(i,)) for i in range(12)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    RESULTS["floods"] += 1
    tap(out.count(401) == 5 and out.count(429) == 7,
        "12 logins at once: 5 passwords checked, 7 told to wait "
        "(401 x %d, 429 x %d)" % (out.count(401), out.count(429)))


def proxy():
    """With trusted_proxy = 127.0.0.3, X-Forwarded-For names the client."""
    for i in range(5):
        request("POST", "/sessions", {"login": "ref.clap", "password": "x"},
                source="127.0.0.3", headers={"X-Forwarded-For":
                                             "192.0.2.1, 10.1.1.1"})
    st, _, _ = request("POST", "/sessions", {"login": "ref.clap",
                                             "password": "demo"},
                       source="127.0.0.3",
                       headers={"X-Forwarded-For": "10.1.1.1"})
    tap(st == 429, "behind the trusted proxy, the forwarded client is "
        "throttled (got %s)" % st)
    st, _, _ = request("POST", "/sessions", {"login": "ref.clap",
                                             "password": "demo"},
                       source="127.0.0.3",
                       headers={"X-Forwarded-For": "10.1.1.2"})
    tap(st == 201, "... and another client behind the same proxy is not "
        "(got %s)" % st)
    for i in range(5):
        request("POST", "/sessions", {"login": "ref.crplm", "password": "x"},
                source="127.0.0.4", headers={"X-Forwarded-For": "10.9.9.%d"
                                             % i})
    st, _, _ = request("POST", "/sessions", {"login": "ref.crplm",
                                             "password": "demo"},
                       source="127.0.0.4",
                       headers={"X-Forwarded-For": "10.9.9.99"})
    tap(st == 429, "X-Forwarded-For from anyone else is ignored (got %s)" %
        st)


# ------------------------------------------------- sessions and passwords

def blake(token):
    return hashlib.blake2b(token.encode(), digest_size=32).hexdigest()


def passwords(db):
    t1 = login("ref.espe")
    t2 = login("ref.espe")
    ops = lambda t, p: request("POST", "/ops", {"ops": [
        {"id": os.urandom(16).hex()[:8] + "-0000-4000-8000-" +
         os.urandom(6).hex(), "kind": "passwd", "payload": p}]}, t)
    # A hash costlier than guichet's own (1 GiB, 2 passes) is refused.
    big = ("$argon2id$v=19$m=1048576,t=2,p=1$c29tZXNhbHQ$"
           "RdescudvJCsgt3ub+b+dWRWJTmaaJObG")
    st, _, v = ops(t1, {"password_hash": big})
    r = v["results"][0] if st == 200 else {}
    tap(r.get("status") == "rejected", "a 1 GiB password hash is refused "
        "(%s)" % r.get("error", {}).get("code"))
    # Ours, from a fresh session: applied, the other session ends.
    good = "$argon2id$v=19$m=65536,t=2,p=1$" \
        "c29tZXNhbHRzb21lc2FsdA$" + "A" * 43
    conn = sqlite3.connect(db, timeout=10)
    demo_hash = conn.execute("SELECT password_hash FROM account WHERE "
                             "login = 'ref.espe'").fetchone()[0]
    st, _, v = ops(t1, {"password_hash": demo_hash})
    r = v["results"][0] if st == 200 else {}
    tap(r.get("status") == "applied", "one's own password from a fresh "
        "session is applied (%s)" % r.get("status"))
    st, _, _ = request("GET", "/bookings", None, t2)
    tap(st == 401, "the account's other session has ended (got %s)" % st)
    st, _, _ = request("GET", "/bookings", None, t1)
    tap(st == 200, "the session that changed it goes on (got %s)" % st)
    # A stolen token alone (an old session) cannot change the password.
    old = "f" * 64
    conn.execute("INSERT INTO session_token (token_hash, account, created, "
                 "expires) VALUES (?, 'ref.espe', 0, 4000000000)",
                 (blake(old),))
    conn.commit()
    st, _, v = ops(old, {"password_hash": good})
    r = v["results"][0] if st == 200 else {}
    tap(r.get("status") == "rejected" and
        r["error"]["code"] == "forbidden",
        "one's own password from an old session needs the current one "
        "(%s)" % r.get("error", {}).get("code"))
    conn.close()


# --------------------------------------------------------------- privacy

def privacy(desk_espe, desk_mirail):
    st, _, v = request("GET", "/changes?after=0&limit=1000", None, desk_espe)
    ujj = [c for c in v["changes"] if c["entity"] == "booking" and
           not c["data"]["resource"].startswith("ESPE")]
    espe = [c for c in v["changes"] if c["entity"] == "booking" and
            c["data"]["resource"].startswith("ESPE")]
    tap(ujj and all(c["data"]["email"] == "" and c["data"]["name"] == ""
                    and c["data"]["phone"] == "" for c in ujj),
        "desk.espe's /changes carry no UJJ patron's contact (%d bookings)"
        % len(ujj))
    tap(not espe or any(c["data"]["email"] for c in espe),
        "... and carry ESPE's")
    st, _, m = request("GET", "/changes?after=0&limit=1000", None,
                       desk_mirail)
    buc = [c for c in m["changes"] if c["entity"] == "booking" and
           c["data"]["resource"].startswith("BUC-G")]
    tap(buc and all(c["data"]["email"] for c in buc),
        "desk.mirail's /changes carry its group rooms' contacts")
    tap(v.get("scope") and m.get("scope") and v["scope"] != m["scope"],
        "each /changes names its caller's scope")
    st, _, s = request("GET", "/snapshot?from=2026-11-01T00:00:00Z&"
                       "to=2026-12-31T00:00:00Z", None, desk_espe)
    sb = [c for c in s["changes"] if c["entity"] == "booking" and
          not c["data"]["resource"].startswith("ESPE")]
    tap(sb and all(c["data"]["email"] == "" for c in sb),
        "desk.espe's /snapshot carries no UJJ patron's contact")
    one = buc[0]["data"]["id"]
    st, _, b = request("GET", "/bookings/" + one, None, desk_espe)
    tap(st == 200 and b["email"] == "" and b["name"] == "",
        "desk.espe's GET /bookings/{id} of a UJJ booking has no contact")
    st, _, b = request("GET", "/bookings/" + one, None, desk_mirail)
    tap(st == 200 and b["email"] != "",
        "desk.mirail's GET /bookings/{id} has it")


# ------------------------------------------------------------------ R16

def r16(desk, buc):
    b = {"resource": "BUC-G4", "start": "2026-11-30T16:00+01:00",
         "end": "2026-11-30T17:00+01:00", "email": "r16@univ-tlse2.fr",
         "name": "Mallory\x1b]52;c;ZXZpbA==\x07"}
    st, _, v = request("POST", "/bookings", b, desk)
    tap(st == 422 and v["error"]["code"] == "bad_text" and
        "'name'" in v["error"]["message"] and v["error"].get("rule") ==
        "R16", "an OSC 52 sequence in a patron's name is 422 bad_text "
        "naming 'name' (R16)")
    st, _, v = request("POST", "/bookings", dict(b, name="A\u0085B"), desk)
    tap(st == 422 and v["error"]["code"] == "bad_text",
        "a C1 control character is refused too")
    st, _, v = request("POST", "/bookings", dict(b, name="é" * 121), desk)
    tap(st == 422 and "121 characters" in v["error"]["message"],
        "a name of 121 characters is refused (120 at most)")
    st, _, v = request("POST", "/resources/BUC-G4", {"name": "é" * 100},
                       buc)
    st2, _, lst = request("GET", "/resources")
    names = [r.get("name") for r in lst if r["code"] == "BUC-G4"]
    tap(st == 200 and names == ["é" * 100],
        "a resource name of 100 two-byte characters is kept whole and "
        "still listed (got %s)" % st)
    st, _, v = request("POST", "/resources/BUC-G4", {
        "confirm_message": "x" * 2001}, buc)
    tap(st == 422 and "'confirm_message'" in v["error"]["message"],
        "a confirmation text over 2,000 characters is refused")
    st, _, v = request("POST", "/resources/BUC-G4", {
        "confirm_message": "Line one\nLine two"}, buc)
    tap(st == 200, "a confirmation text keeps its newlines (got %s)" % st)


# ------------------------------------------------------------- the log

def method_log(log):
    raw(b"G\x1bE\x1b[2JT /api/v1/resources HTTP/1.1\r\nHost: a\r\n"
        b"Connection: close\r\n\r\n")
    time.sleep(0.2)
    text = open(log, "rb").read()
    tap(b"\x1b" not in text and b"G%1BE%1B[2JT" in text,
        "a method with escape sequences is logged escaped")


# ---------------------------------------------------------------- floods

def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def timed_gets(n, source="127.0.0.2", pause=0.05, timeout=30):
    out = []
    for _ in range(n):
        t0 = time.monotonic()
        try:
            st = request("GET", "/establishments", source=source,
                         timeout=timeout)[0]
        except (OSError, http.client.HTTPException):
            st = None
        out.append((time.monotonic() - t0, st))
        time.sleep(pause)
    return out


def login_flood(n, gets):
    stop = threading.Event()
    done = []

    def one(i):
        # Each login a new unknown account from a new address: every one
        # costs a hash (no throttle answers it early).
        k = 0
        while not stop.is_set():
            k += 1
            try:
                request("POST", "/sessions", {"login": "flood%d.%d" % (i, k),
                                              "password": "x"},
                        source="127.%d.%d.%d" % (10 + i, k // 250 % 250,
                                                 k % 250 + 1), timeout=60)
            except (OSError, http.client.HTTPException):
                pass
            done.append(1)
    ts = [threading.Thread(target=one, args=(i,), daemon=True)
          for i in range(n)]
    for t in ts:
        t.start()
    time.sleep(0.5)
    res = timed_gets(gets)
    stop.set()
    for t in ts:
        t.join(60)
    return res, len(done)


def slow_flood(n, addresses, gets, hold, timeout=5):
    """n connections from `addresses` loopback addresses, each sending one
    header line every second and never ending its request."""
    socks = []
    refused = 0
    for i in range(n):
        src = "127.0.1.%d" % (i % addresses + 1)
        try:
            s = socket.create_connection((HOST, PORT), timeout=2,
                                         source_address=(src, 0))
            s.sendall(b"GET /api/v1/resources HTTP/1.1\r\nHost: a\r\n")
            socks.append(s)
        except OSError:
            refused += 1
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for s in list(socks):
                try:
                    s.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            stop.wait(1.0)
    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    time.sleep(0.5)
    res = timed_gets(gets, timeout=timeout)
    t0 = time.monotonic()
    while time.monotonic() - t0 < hold:
        time.sleep(0.2)
    # How many the server has closed by now.
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(4096) == b"":
                closed += 1
            else:
                closed += 1	# answered (408/400) and closed
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    stop.set()
    t.join()
    for s in socks:
        s.close()
    return res, refused, closed, len(socks)


def figures(label, res):
    lat = [d for d, st in res if st == 200]
    bad = len([1 for d, st in res if st != 200])
    if not lat:
        return "%s: no GET answered (%d failed)" % (label, bad)
    return "%s: p50 %.1f ms, p99 %.1f ms over %d GETs (%d failed)" % (
        label, percentile(lat, 50) * 1000, percentile(lat, 99) * 1000,
        len(res), bad)


def floods(request_seconds):
    res, n = login_flood(24, 40)
    RESULTS["floods"] += 1
    print("# " + figures("public GET under 24 concurrent logins", res))
    lat = [d for d, st in res if st == 200]
    tap(len(lat) == len(res) and percentile(lat, 99) < 1.0,
        "a public GET stays under 1 s (p99) while 24 logins run")

    # One address holding many slow connections: the limit per address.
    socks, refused = [], 0
    for i in range(40):
        try:
            s = socket.create_connection((HOST, PORT), timeout=2,
                                         source_address=("127.0.0.6", 0))
            s.sendall(b"GET /api/v1/resources HTTP/1.1\r\n")
            socks.append(s)
        except OSError:
            refused += 1
    # The server closes the connections over the limit: poll (bounded)
    # until it has, rather than trusting a fixed pause on a slow build.
    closed = set()
    deadline = time.time() + 5
    while True:
        for s in socks:
            if s in closed:
                continue
            s.setblocking(False)
            try:
                if s.recv(10) == b"":
                    closed.add(s)
            except BlockingIOError:
                pass
            except OSError:
                closed.add(s)
        if len(socks) - len(closed) <= 16 or time.time() > deadline:
            break
        time.sleep(0.1)
    dead = len(closed)
    for s in socks:
        s.close()
    RESULTS["floods"] += 1
    tap(refused + dead >= 40 - 16 and len(socks) - dead <= 16,
        "one address holds 16 connections at most (%d of 40 kept)" %
        (len(socks) - dead))

    res, refused, closed, held = slow_flood(200, 20, 20, request_seconds + 2)
    RESULTS["floods"] += 1
    print("# " + figures("public GET under 200 slow connections", res))
    tap(all(st == 200 for d, st in res) and percentile(
        [d for d, st in res], 99) < 1.0,
        "a public GET stays fast under 200 slow connections")
    tap(closed == held, "a request still arriving after request_seconds is "
        "cut (%d of %d closed)" % (closed, held))


def bench(slow):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    base = timed_gets(100, pause=0.01)
    print(figures("public GET, quiet", base))
    res, n = login_flood(24, 100)
    print(figures("public GET under 24 concurrent logins", res) +
          " (%d logins answered)" % n)
    res, refused, closed, held = slow_flood(slow, 64, 30, 0)
    print(figures("public GET under %d slow connections" % slow, res) +
          " (%d held, %d refused)" % (held, refused))


def main():
    global PORT
    mode, PORT = sys.argv[1], int(sys.argv[2])
    if mode == "bench":
        bench(int(os.environ.get("SLOW", "1100")))
        return 0
    db, log, matrix = sys.argv[3], sys.argv[4], sys.argv[5]
    request_seconds = int(os.environ.get("REQUEST_SECONDS", "2"))
    desk = login("desk.mirail")
    tap(desk is not None, "desk.mirail logs in")
    rights(matrix)
    framing()
    cross_site(desk)
    idempotency()
    throttle()
    proxy()
    passwords(db)
    privacy(login("desk.espe"), desk)
    r16(desk, login("ref.buc"))
    method_log(log)
    floods(request_seconds)
    print("# %d rights probes, %d framing cases, %d floods; %d ok, %d "
          "failed" % (RESULTS["probes"], RESULTS["framing"],
                      RESULTS["floods"], RESULTS["ok"], RESULTS["fail"]))
    return 1 if RESULTS["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
