/*
 * The staff screen of the library under the grid's cursor (key A): its
 * public information and establishment code (P5, R6), the sessions of its
 * workshops, visits and trainings (P9: add, places, cancel with a reason,
 * R11, R13), a new resource (P9), the accounts and their grants (P7:
 * disable, enable) and a closure of the whole campus (R13). Every change
 * is one operation through op_apply; what the account may not do is
 * refused by the core with its reason, shown on the status line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clock.h"
#include "i18n.h"
#include "ops.h"
#include "query.h"
#include "record.h"
#include "screen.h"
#include "tz.h"
#include "xmalloc.h"

#define STAFF_DAYS	31

struct staff_session {
	char		 resource[CODE_LEN];
	char		 tz[TZNAME_LEN];
	int64_t		 start, end;
	int		 places, taken;
};

struct staffv {
	struct establishment	 e;
	char			 info[512];
	char			 code[CODE_LEN];	/* "" without P5 */
	char			 holder[CODE_LEN];
	struct staff_session	*ss;
	size_t			 n;
	struct nav		 nav;
};

static void
sv_load(struct ui *ui, struct staffv *v)
{
	struct resource		*r;
	struct session_info	*si;
	json_t			*o;
	size_t			 nr, ns, i, k;
	int64_t			 now = clock_now();
	char			 code[CODE_LEN];

	free(v->ss);
	v->ss = NULL;
	v->n = 0;
	strlcpy_g(code, v->e.code, sizeof code);
	establishment_find(ui->store, code, &v->e);
	o = record_establishment(ui->store, code);
	snprintf(v->info, sizeof v->info, "%s", o != NULL ?
	    json_string_value(json_object_get(o, "info")) : "");
	v->code[0] = '\0';
	if (o != NULL && rights_check(ui->store, ui->account, PERM_INFO,
	    v->e.id, NULL) == GERR_OK)
		snprintf(v->code, sizeof v->code, "%s", json_string_value(
		    json_object_get(o, "checkin_code")));
	json_decref(o);
	if (query_resources(ui->store, v->e.code, &r, &nr) != GERR_OK)
		return;
	snprintf(v->holder, sizeof v->holder, "%s", nr > 0 ?
	    r[0].establishment : v->e.code);
	for (i = 0; i < nr; i++) {
		if (!rtype_capacity(r[i].type) || query_sessions(ui->store,
		    r[i].id, now, now + STAFF_DAYS * 86400LL, &si, &ns) !=
		    GERR_OK)
			continue;
		for (k = 0; k < ns; k++) {
			v->ss = xreallocarray(v->ss, v->n + 1, sizeof *v->ss);
			snprintf(v->ss[v->n].resource, CODE_LEN, "%s",
			    r[i].code);
			snprintf(v->ss[v->n].tz, TZNAME_LEN, "%s", r[i].tz);
			v->ss[v->n].start = si[k].start;
			v->ss[v->n].end = si[k].end;
			v->ss[v->n].places = si[k].places;
			v->ss[v->n].taken = si[k].taken;
			v->n++;
		}
		free(si);
	}
	free(r);
	v->nav.n = (int)v->n;
	nav_fit(&v->nav, v->nav.page);
}

static struct staff_session *
current(struct ui *ui, struct staffv *v)
{
	if (v->n == 0) {
		ui_message(ui, 1, "%s", _("no session in the next 31 days: add "
		    "one with n"));
		return (NULL);
	}
	return (&v->ss[v->nav.cur]);
}

static void
session_iso(const struct staff_session *ss, char *buf)
{
	clock_format_iso(ss->start, ss->tz, buf);
}

/* i, J, c: the library's information (P5), p its payload (owned). */
static int
info_apply(struct ui *ui, json_t *p)
{
	json_t	*res = NULL;
	int	 r = UI_DRAW_ALL | UI_STATUS;

	if (library_apply(ui, "establishment_set", p, &res,
	    N_("not changed")) == GERR_OK) {
		if (json_is_true(json_object_get(res, "posters_invalid")))
			ui_message(ui, 0, _("%s's code is now %s: old QR "
			    "posters no longer work, print new ones."),
			    json_string_value(json_object_get(p,
			    "establishment")), json_string_value(
			    json_object_get(res, "checkin_code")));
		else
			ui_message(ui, 0, _("%s changed."), json_string_value(
			    json_object_get(p, "establishment")));
		r = library_changed(ui);
	}
	json_decref(p);
	json_decref(res);
	return (r);
}

static int
info_typed(struct ui *ui, const char *text, void *arg)
{
	struct staffv	*v = arg;

	return (info_apply(ui, json_pack("{s:s,s:s}", "establishment",
	    v->e.code, "info", text)));
}

static int
jauge_typed(struct ui *ui, const char *text, void *arg)
{
	struct staffv	*v = arg;
	char		*end;
	long		 n = strtol(text, &end, 10);

	if (*text == '\0' || *end != '\0' || n < 0 || n > 100000) {
		ui_message(ui, 1, _("'%s' is not a head count"), text);
		return (UI_STATUS);
	}
	return (info_apply(ui, json_pack("{s:s,s:I}", "establishment",
	    v->e.code, "jauge", (json_int_t)n)));
}

static int
code_yes(struct ui *ui, void *arg)
{
	return (info_apply(ui, arg));
}

static int
code_typed(struct ui *ui, const char *text, void *arg)
{
	struct staffv	*v = arg;
	char		 q[256];

	snprintf(q, sizeof q, _("New code %s for %s? Old QR posters stop "
	    "working at once (R6)."), text, v->e.code);
	ui_confirm(ui, q, NULL, 0, code_yes, json_pack("{s:s,s:s}",
	    "establishment", v->e.code, "checkin_code", text),
	    library_json_free);
	return (UI_DRAW_ALL);
}

static int
k_info(struct ui *ui, struct screen *s)
{
	struct staffv	*v = s->data;
	char		 label[128];

	snprintf(label, sizeof label, _("Information of %s: "), v->e.code);
	return (prompt_push(ui, N_("Library information"), label, "", NULL,
	    info_typed, v));
}

static int
k_jauge(struct ui *ui, struct screen *s)
{
	struct staffv	*v = s->data;
	char		 label[128], now[16];

	snprintf(label, sizeof label, _("Jauge of %s: "), v->e.code);
	snprintf(now, sizeof now, "%d", v->e.jauge);
	return (prompt_push(ui, N_("Library information"), label, now, NULL,
	    jauge_typed, v));
}

static int
k_code(struct ui *ui, struct screen *s)
{
	struct staffv	*v = s->data;
	char		 label[128];

	snprintf(label, sizeof label, _("New establishment code of %s: "),
	    v->e.code);
	return (prompt_push(ui, N_("Establishment code"), label, "", NULL,
	    code_typed, v));
}

/* n: "RESOURCE YYYY-MM-DD HH:MM HH:MM [PLACES]". */
static int
session_typed(struct ui *ui, const char *text, void *arg)
{
	char		 res[CODE_LEN], date[16], from[8], to[8], f[40], t[40];
	json_t		*p;
	int		 places = 0, n;

	(void)arg;
	n = sscanf(text, "%31s %15s %7s %7s %d", res, date, from, to, &places);
	if (n < 4) {
		ui_message(ui, 1, "%s", _("type RESOURCE YYYY-MM-DD HH:MM HH:MM "
		    "[PLACES]"));
		return (UI_STATUS);
	}
	snprintf(f, sizeof f, "%sT%s", date, from);
	snprintf(t, sizeof t, "%sT%s", date, to);
	p = json_pack("{s:s,s:s,s:s}", "resource", res, "start", f, "end", t);
	if (n == 5)
		json_object_set_new(p, "places", json_integer(places));
	if (library_apply(ui, "session_add", p, NULL, N_("no session added"))
	    != GERR_OK) {
		json_decref(p);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	json_decref(p);
	ui_message(ui, 0, _("Session of %s added on %s at %s."), res, date,
	    from);
	return (library_changed(ui));
}

static int
k_new_session(struct ui *ui, struct screen *s)
{
	(void)s;
	return (prompt_push(ui, N_("New session"), _("Resource, date, from, to "
	    "[places]: "), "", NULL, session_typed, NULL));
}

/* p: the places of the session under the cursor (R13). */
static int
places_typed(struct ui *ui, const char *text, void *arg)
{
	struct staffv		*v = arg;
	struct staff_session	*ss;
	json_t			*p;
	char			*end, start[CLOCK_ISO_LEN];
	long			 n = strtol(text, &end, 10);

	if ((ss = current(ui, v)) == NULL)
		return (UI_STATUS);
	if (*text == '\0' || *end != '\0' || n < 1) {
		ui_message(ui, 1, _("'%s' is not a number of places"), text);
		return (UI_STATUS);
	}
	session_iso(ss, start);
	p = json_pack("{s:s,s:s,s:I}", "resource", ss->resource, "start",
	    start, "places", (json_int_t)n);
	if (library_apply(ui, "session_change", p, NULL, N_("not changed")) !=
	    GERR_OK) {
		json_decref(p);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	json_decref(p);
	ui_message(ui, 0, _("The session has %ld places now."), n);
	return (library_changed(ui));
}

static int
k_places(struct ui *ui, struct screen *s)
{
	struct staffv		*v = s->data;
	struct staff_session	*ss;
	char			 label[128], now[16];

	if ((ss = current(ui, v)) == NULL)
		return (UI_STATUS);
	snprintf(label, sizeof label, _("Places (%d booked): "), ss->taken);
	snprintf(now, sizeof now, "%d", ss->places);
	return (prompt_push(ui, N_("Session places"), label, now, NULL,
	    places_typed, v));
}

/* x: cancel the session under the cursor, its places with a reason. */
static int
cancel_yes(struct ui *ui, void *arg)
{
	json_t	*p = arg, *res = NULL;
	int	 r = UI_DRAW_ALL | UI_STATUS;

	if (library_apply(ui, "session_cancel", p, &res, N_("not cancelled"))
	    == GERR_OK) {
		ui_message(ui, 0, ngettext("Session cancelled: %zu place "
		    "cancelled, its patron e-mailed.", "Session cancelled: %zu "
		    "places cancelled, their patrons e-mailed.",
		    library_cancelled(res)), library_cancelled(res));
		r = library_changed(ui);
	}
	json_decref(p);
	json_decref(res);
	return (r);
}

static int
cancel_reason(struct ui *ui, const char *text, void *arg)
{
	struct staffv		*v = arg;
	struct staff_session	*ss;
	char			 start[CLOCK_ISO_LEN], q[256];

	if ((ss = current(ui, v)) == NULL)
		return (UI_STATUS);
	if (text[strspn(text, " ")] == '\0') {
		ui_message(ui, 1, "%s", _("a cancelled session needs a reason: "
		    "it goes into the patrons' e-mails (R11)"));
		return (UI_STATUS);
	}
	session_iso(ss, start);
	snprintf(q, sizeof q, ngettext("Cancel the session of %s at %.16s and "
	    "its %d place, e-mailing the reason?", "Cancel the session of %s "
	    "at %.16s and its %d places, e-mailing the reason?", ss->taken),
	    ss->resource, start, ss->taken);
	ui_confirm(ui, q, NULL, 0, cancel_yes, json_pack("{s:s,s:s,s:s}",
	    "resource", ss->resource, "start", start, "reason", text),
	    library_json_free);
	return (UI_DRAW_ALL);
}

static int
k_cancel(struct ui *ui, struct screen *s)
{
	struct staffv	*v = s->data;

	if (current(ui, v) == NULL)
		return (UI_STATUS);
	return (prompt_push(ui, N_("Cancel a session"), _("Reason, for the "
	    "patrons: "), "", NULL, cancel_reason, v));
}

/* r: "CODE TYPE NAME..." in this library, held as its others (P9). */
static int
resource_typed(struct ui *ui, const char *text, void *arg)
{
	struct staffv	*v = arg;
	char		 code[CODE_LEN], type[32];
	json_t		*p;
	int		 used = 0;

	if (sscanf(text, "%31s %31s %n", code, type, &used) < 2 ||
	    text[used] == '\0') {
		ui_message(ui, 1, "%s", _("type CODE TYPE NAME, such as BUC-G9 "
		    "group_room Salle 9"));
		return (UI_STATUS);
	}
	p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", code, "type", type,
	    "name", text + used, "library", v->e.code, "establishment",
	    v->holder);
	if (library_apply(ui, "resource_add", p, NULL,
	    N_("no resource added")) != GERR_OK) {
		json_decref(p);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	json_decref(p);
	ui_message(ui, 0, _("Resource %s added to %s; P sets its policy."),
	    code, v->e.code);
	return (library_changed(ui));
}

static int
k_resource(struct ui *ui, struct screen *s)
{
	struct staffv	*v = s->data;
	char		 label[128];

	snprintf(label, sizeof label, _("New resource in %s (CODE TYPE NAME): "),
	    v->e.code);
	return (prompt_push(ui, N_("New resource"), label, "", NULL,
	    resource_typed, v));
}

/* P: "CODE KEY=VALUE ...", a resource's policy (P9), as 'guichet
 * resource' takes it: numbers, yes or no, or a word. */
static int
policy_typed(struct ui *ui, const char *text, void *arg)
{
	char	*copy = xstrdup(text), *tok, *save, *eq, *end;
	json_t	*p = json_object(), *res = NULL;
	long	 n;
	int	 first = 1, bad = 0;

	(void)arg;
	for (tok = strtok_r(copy, " ", &save); tok != NULL && !bad;
	    tok = strtok_r(NULL, " ", &save), first = 0) {
		if (first) {
			json_object_set_new(p, "resource", json_string(tok));
			continue;
		}
		if ((eq = strchr(tok, '=')) == NULL || eq == tok) {
			bad = 1;
			break;
		}
		*eq++ = '\0';
		n = strtol(eq, &end, 10);
		if (strcmp(eq, "yes") == 0 || strcmp(eq, "no") == 0)
			json_object_set_new(p, tok, json_boolean(*eq == 'y'));
		else if (*eq != '\0' && *end == '\0')
			json_object_set_new(p, tok, json_integer(n));
		else
			json_object_set_new(p, tok, json_string(eq));
	}
	free(copy);
	if (bad || json_object_size(p) < 2) {
		json_decref(p);
		ui_message(ui, 1, "%s", _("type CODE KEY=VALUE ..., such as "
		    "BUC-G9 granularity=60 max_duration=180"));
		return (UI_STATUS);
	}
	if (library_apply(ui, "resource_set", p, &res, N_("not changed")) !=
	    GERR_OK) {
		json_decref(p);
		json_decref(res);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	ui_message(ui, 0, _("%s changed."), json_string_value(json_object_get(
	    p, "resource")));
	json_decref(p);
	json_decref(res);
	return (library_changed(ui));
}

static int
k_policy(struct ui *ui, struct screen *s)
{
	(void)s;
	return (prompt_push(ui, N_("Resource policy"), _("Resource and "
	    "settings (CODE KEY=VALUE ...): "), "", NULL, policy_typed, NULL));
}

/* u: the accounts as a table; Enter disables or enables one (P7). */
static int
account_yes(struct ui *ui, void *arg)
{
	json_t	*p = arg;

	if (library_apply(ui, "account_set", p, NULL, N_("not changed")) !=
	    GERR_OK) {
		json_decref(p);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	ui_message(ui, 0, json_is_true(json_object_get(p, "enabled")) ?
	    _("%s enabled.") : _("%s disabled: its sessions are ended."),
	    json_string_value(json_object_get(p, "login")));
	json_decref(p);
	return (library_changed(ui));
}

static int
account_picked(struct ui *ui, const struct list_item *it)
{
	char	q[160];
	int	on = strcmp(it->resource, "off") == 0;

	snprintf(q, sizeof q, on ? _("Enable %s again?") : _("Disable %s? Its "
	    "sessions end at once."), it->id);
	ui_confirm(ui, q, NULL, 0, account_yes, json_pack("{s:s,s:b}",
	    "login", it->id, "enabled", on), library_json_free);
	return (UI_DRAW_ALL);
}

static int
k_accounts(struct ui *ui, struct screen *s)
{
	struct list_item	*items = NULL, *it;
	struct account		*a;
	json_t			*logins = json_array();
	size_t			 n = 0, i, k;
	char			 perms[40];
	int			 p, off;

	(void)s;
	if (account_logins(ui->store, &logins) != GERR_OK) {
		json_decref(logins);
		ui_message(ui, 1, "%s", _("cannot read the accounts"));
		return (UI_STATUS);
	}
	for (i = 0; i < json_array_size(logins); i++) {
		if (account_load(ui->store, json_string_value(json_array_get(
		    logins, i)), &a) != GERR_OK)
			continue;
		for (k = 0; k == 0 || k < a->ngrants; k++) {
			items = xreallocarray(items, n + 1, sizeof *items);
			it = &items[n++];
			memset(it, 0, sizeof *it);
			strlcpy_g(it->id, a->login, sizeof it->id);
			snprintf(it->resource, sizeof it->resource, "%s",
			    a->enabled ? "on" : "off");
			perms[0] = '\0';
			p = k < a->ngrants ? (int)a->grants[k].perms :
			    a->superadmin ? 0x1ff : 0;
			for (off = 0; off < 9; off++)
				strlcpy_g(perms + off * 2, p & (1 << off) ?
				    "x " : ". ", sizeof perms - off * 2);
			snprintf(it->text, sizeof it->text,
			    "%-19.19s %-8s %-6s %s %s%s%s", k == 0 ? a->login :
			    "", k > 0 ? "" : a->superadmin ? _("super") :
			    a->enabled ? _("enabled") : _("disabled"),
			    k < a->ngrants ? a->grants[k].establishment : "",
			    perms, k < a->ngrants ? a->grants[k].types : "",
			    k < a->ngrants && a->grants[k].library[0] ?
			    _(" in ") : "", k < a->ngrants ?
			    a->grants[k].library : "");
		}
		account_free(a);
	}
	json_decref(logins);
	if (n == 0) {
		free(items);
		return (UI_STATUS);
	}
	ui_push(ui, list_new(_("Accounts (P1..P9): Enter disables or "
	    "enables"), items, n, account_picked));
	return (UI_DRAW);
}

/* K: close every library of the campus on a date (R13). */
static int
campus_yes(struct ui *ui, void *arg)
{
	json_t	*p = arg, *res = NULL;
	int	 r = UI_DRAW_ALL | UI_STATUS;

	if (library_apply(ui, "close", p, &res, N_("not closed")) == GERR_OK) {
		ui_message(ui, 0, ngettext("Every library closed on %s: %zu "
		    "booking cancelled with the reason.", "Every library "
		    "closed on %s: %zu bookings cancelled with the reason.",
		    library_cancelled(res)), json_string_value(
		    json_object_get(p, "date")), library_cancelled(res));
		r = library_changed(ui);
	}
	json_decref(p);
	json_decref(res);
	return (r);
}

static int
campus_typed(struct ui *ui, const char *text, void *arg)
{
	char		 date[16], q[256];
	json_t		*p, *res = NULL;
	size_t		 n;
	int		 used = 0, r = UI_DRAW_ALL | UI_STATUS;
	enum gerr	 e;

	(void)arg;
	if (sscanf(text, "%15s %n", date, &used) < 1 || text[used] == '\0') {
		ui_message(ui, 1, "%s", _("type the date and the reason: "
		    "YYYY-MM-DD REASON"));
		return (UI_STATUS);
	}
	p = json_pack("{s:s,s:s,s:s}", "establishment", "CAMPUS", "date", date,
	    "reason", text + used);
	e = library_apply(ui, "close", p, &res, N_("not closed"));
	if (e == GERR_OK) {
		ui_message(ui, 0, _("Every library closed on %s: no booking to "
		    "cancel."), date);
		r = library_changed(ui);
	} else if (e == GERR_NEEDS_CONFIRMATION &&
	    (n = library_listed(res)) > 0) {
		snprintf(q, sizeof q, ngettext("Close every library on %s and "
		    "cancel this booking with the reason?", "Close every "
		    "library on %s and cancel these %zu bookings with the "
		    "reason?", n), date, n);
		library_ask_listed(ui, q, res, p, campus_yes);
		p = NULL;
		r = UI_DRAW_ALL;
	}
	json_decref(p);
	json_decref(res);
	return (r);
}

static int
k_campus(struct ui *ui, struct screen *s)
{
	(void)s;
	return (prompt_push(ui, N_("Close the campus"), _("Close every library "
	    "(YYYY-MM-DD REASON): "), "", NULL, campus_typed, NULL));
}

static const struct key_entry staff_keys[] = {
	{ 'n', "n", N_("new session of a workshop, visit or training (P9)"),
	    k_new_session },
	{ 'p', "p", N_("places of the session (never below those booked, "
	    "R13)"), k_places },
	{ 'x', "x", N_("cancel the session: its places, with a reason "
	    "e-mailed (R11)"), k_cancel },
	{ 'i', "i", N_("information text of the library (P5)"), k_info },
	{ 'J', "J", N_("jauge of the library (P5)"), k_jauge },
	{ 'c', "c", N_("establishment code for presence (P5, R6)"), k_code },
	{ 'a', "a", N_("add a resource to this library (P9)"), k_resource },
	{ 'P', "P", N_("a resource's policy: grid, durations, quotas, "
	    "capacity, enabled, public (P9)"), k_policy },
	{ 'u', "u", N_("accounts and grants; disable or enable one (P7)"),
	    k_accounts },
	{ 'K', "K", N_("close every library of the campus on a date (R13)"),
	    k_campus },
	{ 0, NULL, NULL, NULL }
};

static void
staff_draw(struct ui *ui, struct screen *s, int all)
{
	struct staffv	*v = s->data;
	WINDOW		*w = s->win;
	char		 line[600], d[TZ_DATE_LEN], a[TZ_HHMM_LEN];
	char		 b[TZ_HHMM_LEN];
	int32_t		 day;
	int		 wh, wd, y, i, min;

	(void)ui;
	(void)all;
	getmaxyx(w, wh, wd);
	werase(w);
	wattrset(w, A_BOLD);
	snprintf(line, sizeof line, _("%s (%s): jauge %d, %d present"),
	    v->e.code, v->e.name, v->e.jauge, v->e.occupancy);
	ui_put(w, 0, 1, line, wd - 2);
	wattrset(w, A_NORMAL);
	y = 1;
	if (v->code[0] != '\0') {
		snprintf(line, sizeof line, _("establishment code: %s"),
		    v->code);
		ui_put(w, y++, 1, line, wd - 2);
	}
	if (v->info[0] != '\0')
		y += ui_wrap(w, y, 1, v->info, wd - 2, 3);
	y++;
	wattrset(w, A_BOLD);
	ui_put(w, y++, 1, _("Sessions of the next 31 days"), wd - 2);
	wattrset(w, A_NORMAL);
	if (v->n == 0)
		ui_put(w, y++, 1, _("none: n adds one"), wd - 2);
	nav_fit(&v->nav, wh - y);
	for (i = v->nav.top; i < (int)v->n && y < wh; i++, y++) {
		tz_utc_to_local(v->ss[i].tz, v->ss[i].start, &day, &min, NULL);
		tz_format_date(day, d);
		tz_format_hhmm(min, a);
		tz_utc_to_local(v->ss[i].tz, v->ss[i].end, &day, &min, NULL);
		tz_format_hhmm(min, b);
		snprintf(line, sizeof line, _("%-15s %s %s-%s  %d/%d places "
		    "taken"), v->ss[i].resource, d, a, b, v->ss[i].taken,
		    v->ss[i].places);
		ui_row(w, y, line, i == v->nav.cur, A_NORMAL);
	}
	wnoutrefresh(w);
}

static void
staff_reload(struct ui *ui, struct screen *s)
{
	sv_load(ui, s->data);
}

static void
staff_free(struct screen *s)
{
	struct staffv	*v = s->data;

	free(v->ss);
	free(v);
}

struct screen *
staff_new(struct ui *ui)
{
	struct screen	*s;
	struct staffv	*v;

	v = xcalloc(1, sizeof *v);
	if (library_find(ui, &v->e) != 0) {
		free(v);
		return (NULL);
	}
	sv_load(ui, v);
	s = ui_screen_new(N_("Staff"), staff_keys);
	s->data = v;
	s->nav = &v->nav;
	s->common = 1;
	s->reload = staff_reload;
	s->draw = staff_draw;
	s->free = staff_free;
	return (s);
}
