#!/bin/sh
# Docs that cannot drift (issue 14): every command, subcommand and option
# the programs print in their help, every configuration key, key binding,
# operation kind, error code, environment variable and HTTP route that the
# sources' tables hold, appears in the manual pages or docs/API.md (as git's
# check-builtins does for its commands). What is missing is listed.
. "${top_srcdir:-.}/tests/lib.sh"
: "${GUICHETD:=$(dirname "$GUICHET")/guichetd}"
src=${top_srcdir:-.}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

"$GUICHET" --help >"$T/help" 2>&1
for cmd in $(sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' "$T/help"); do
	echo "== $cmd"
	"$GUICHET" "$cmd" --help 2>&1
done >"$T/cmds"
"$GUICHETD" -h >"$T/dhelp" 2>&1 || true

n=$((n + 1))
if "$PY" - "$src" "$T/help" "$T/cmds" "$T/dhelp" >"$T/missing" 2>&1 <<'PY'
import os, re, sys
src, help_, cmds, dhelp = sys.argv[1:5]
def read(p):
    return open(os.path.join(src, p), encoding="utf-8").read()
def unroff(t):
    return t.replace("\\&", "").replace("\\-", "-").replace("\\e", "\\")
g1, ini5, d8, api = (unroff(read(p)) for p in
    ("man/guichet.1", "man/guichet.ini.5", "man/guichetd.8", "docs/API.md"))
keys1 = g1.split(".Sh KEYS", 1)[1].split("\n.Sh ", 1)[0] if ".Sh KEYS" in g1 else ""
missing = []
def need(cond, what):
    if not cond:
        missing.append(what)
def man_has(text, macro, word):
    return re.search(r"(^|\s|\.)%s %s(\s|$)" % (macro, re.escape(word)), text, re.M)

# Commands, subcommands and options, as the program prints them.
cur = None
for line in open(cmds, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("== "):
        cur = line[3:]
        need(man_has(g1, r"(\.It )?Ic", cur), "guichet(1): command " + cur)
        continue
    m = re.match(r"\s*(?:usage: )?guichet (\S+)((?: \[?[a-z][a-z-]*\]?)*)", line)
    if m and m.group(1) == cur:
        for sub in m.group(2).split():
            sub = sub.strip("[]")
            need(man_has(g1, r"(Ic|Cm|Ar)", sub) or re.search(r"\b%s %s\b" % (cur, sub), g1),
                 "guichet(1): %s %s" % (cur, sub))
    for opt in re.findall(r"(?<![\w-])--([a-z][a-z-]*)", line):
        if opt != "help":
            need(man_has(g1, "Fl", "-" + opt), "guichet(1): %s --%s" % (cur, opt))
usage = open(help_, encoding="utf-8").readline()
for opt in re.findall(r"\[(-\w|--[a-z-]+)", usage):
    need(man_has(g1, "Fl", opt[1:]), "guichet(1): global option " + opt)
for opt in re.findall(r"(?<![\w-])(-\w|--[a-z][a-z-]*)", open(dhelp, encoding="utf-8").read()):
    need(man_has(d8, "Fl", opt[1:]), "guichetd(8): option " + opt)

# Configuration keys (the table of src/conf.c).
for sec, key in re.findall(r'^\s*\{ "(\w+)", "(\w+)",', read("src/conf.c"), re.M):
    need(man_has(ini5, r"\.It Ic", key), "guichet.ini(5): [%s] %s" % (sec, key))

# Key bindings (every struct key_entry table of ui/).
for f in sorted(os.listdir(os.path.join(src, "ui"))):
    if not f.endswith(".c"):
        continue
    for name in re.findall(r'^\s*\{ [^,]+, (?:N_\()?"([^"]+)"\)?, (?:N_\(|[A-Z_]+)',
                           read("ui/" + f), re.M):
        shown = re.sub(r"^\^(.)$", r"Ctrl-\1", name).replace("S-Tab", "Shift-Tab")
        need(re.search(r"Ic %s(\s|$)" % re.escape(shown), keys1),
             "guichet(1) KEYS: %s (ui/%s)" % (name, f))

# Operation kinds and error codes: docs/API.md.
for kind in re.findall(r'^\s*\{ "([a-z_]+)", op_', read("src/ops.c"), re.M):
    need("`%s`" % kind in api, "docs/API.md: operation kind " + kind)
for code in re.findall(r'^\s*\[GERR_\w+\]\s*=\s*\{ "([a-z_]+)"', read("src/error.c"), re.M):
    if code != "ok":
        need("`%s`" % code in api, "docs/API.md: error code " + code)

# Routes (the table of src/server/api.c).
heads = set()
for line in re.findall(r"^#+ .*", api, re.M):
    for meth, path in re.findall(r"\b(GET|POST|PUT|DELETE|PATCH) (/[^\s,?\[]*)", line):
        heads.add((meth, re.sub(r"\{[^}]*\}", "*", path)))
apisrc = "".join(read("src/server/" + f) for f in sorted(os.listdir(os.path.join(src, "src/server"))) if f.endswith(".c"))
for meth, pat in re.findall(r'\.method = "(\w+)", \.pattern = "([^"]+)"', apisrc):
    need((meth, pat) in heads, "docs/API.md: route %s %s" % (meth, pat))

# Environment variables read by the programs.
code = ""
for d in ("src", "src/server", "ui"):
    for f in sorted(os.listdir(os.path.join(src, d))):
        if f.endswith(".c"):
            code += read(d + "/" + f)
for var in sorted(set(re.findall(r'getenv\("([A-Z_]+)"\)', code))):
    if var in ("HOME", "TERM", "TMPDIR", "LANG", "LC_ALL", "LANGUAGE"):
        continue
    need(man_has(g1, "Ev", var) or man_has(d8, "Ev", var), "ENVIRONMENT: " + var)

for m in missing:
    print(m)
sys.exit(1 if missing else 0)
PY
then echo "ok $n - every command, option, key, kind, code, route and variable is documented"
else
	echo "not ok $n - not documented ($(wc -l <"$T/missing")):"
	sed 's/^/#   /' "$T/missing"
	failures=$((failures + 1))
fi
# The manual pages are well formed (lintian reads them with groff: an
# unclosed list is a warning that fails the package).
n=$((n + 1))
if ! command -v mandoc >/dev/null 2>&1; then
	echo "ok $n - manual pages lint clean # SKIP no mandoc"
elif mandoc -Tlint -W warning "$src"/man/*.[158] >"$T/lint" 2>&1; then
	echo "ok $n - manual pages lint clean (mandoc -Tlint -W warning)"
else
	echo "not ok $n - manual pages (mandoc -Tlint -W warning):"
	sed 's/^/#   /' "$T/lint"; failures=$((failures + 1))
fi
finish
