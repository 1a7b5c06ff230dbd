/*
 * The hours screen: the opening hours of the library under the grid's
 * cursor for the next fourteen days (weekly, exceptional, closed with the
 * reason), and what P4 allows on a day: close it (R13: the closure first
 * lists the live bookings it would cancel, asks once, then is confirmed
 * for those very ids), reopen it on its weekly hours, or set exceptional
 * hours. Every change goes through op_apply; an account without P4 sees
 * the hours and the reason it may not change them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "hours.h"
#include "ops.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

#define DAYS	14

struct hoursv {
	struct establishment	 e;
	int32_t			 day0;		/* today, local */
	struct hours		 h[DAYS];
	struct nav		 nav;
	char			 ro[512];	/* why not P4, or "" */
	int			 open_min;	/* exceptional hours typed */
	int			 close_min;
};

static const char *const wdays[] = { "", N_("Mon"), N_("Tue"), N_("Wed"),
    N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };

static void
hv_load(struct ui *ui, struct hoursv *v)
{
	int	i;

	for (i = 0; i < DAYS; i++)
		if (hours_for_day(ui->store, v->e.id, v->day0 + i, &v->h[i]) !=
		    GERR_OK) {
			memset(&v->h[i], 0, sizeof v->h[i]);
			ui_message(ui, 1, "%s", _("cannot read the hours"));
		}
}

/* The local date of the cursor, YYYY-MM-DD. */
static void
cur_date(struct hoursv *v, char *date)
{
	tz_format_date(v->day0 + v->nav.cur, date);
}

/* Refuse with the reason when the account may not change the hours. */
static int
refused(struct ui *ui, struct hoursv *v)
{
	if (v->ro[0] == '\0')
		return (0);
	ui_message(ui, 1, _("read-only: %s"), v->ro);
	return (1);
}

static int
close_yes(struct ui *ui, void *arg)
{
	json_t	*p = arg, *res = NULL;
	int	 r = UI_DRAW_ALL | UI_STATUS;

	if (library_apply(ui, "close", p, &res, N_("not closed")) == GERR_OK) {
		ui_message(ui, 0, ngettext("%s closed on %s: %zu booking "
		    "cancelled with the reason.", "%s closed on %s: %zu "
		    "bookings cancelled with the reason.",
		    library_cancelled(res)), json_string_value(json_object_get(
		    p, "establishment")), json_string_value(json_object_get(p,
		    "date")), library_cancelled(res));
		r = library_changed(ui);
	}
	json_decref(res);
	json_decref(p);
	return (r);
}

/*
 * The closure's reason is typed: ask the core, which refuses with the
 * list of live bookings (R13); show it, ask once, and confirm for those
 * ids only, so that a booking made meanwhile is never cancelled unseen.
 */
static int
close_reason(struct ui *ui, const char *text, void *arg)
{
	struct hoursv	*v = arg;
	json_t		*p, *res = NULL;
	enum gerr	 e;
	char		 date[TZ_DATE_LEN], q[256];
	size_t		 n;
	int		 r = UI_DRAW_ALL | UI_STATUS;

	cur_date(v, date);
	p = json_pack("{s:s,s:s,s:s}", "establishment", v->e.code, "date",
	    date, "reason", text);
	e = library_apply(ui, "close", p, &res, N_("not closed"));
	if (e == GERR_OK) {
		ui_message(ui, 0, _("%s closed on %s: no booking to cancel."),
		    v->e.code, date);
		r = library_changed(ui);
	} else if (e == GERR_NEEDS_CONFIRMATION &&
	    (n = library_listed(res)) > 0) {
		snprintf(q, sizeof q, ngettext("Close %s on %s and cancel this "
		    "booking with the reason?", "Close %s on %s and cancel "
		    "these %zu bookings with the reason?", n), v->e.code, date,
		    n);
		library_ask_listed(ui, q, res, p, close_yes);
		p = NULL;
		r = UI_DRAW_ALL;
	}
	json_decref(p);
	json_decref(res);
	return (r);
}

static int
k_close(struct ui *ui, struct screen *s)
{
	struct hoursv	*v = s->data;
	char		 date[TZ_DATE_LEN], label[128];

	if (refused(ui, v))
		return (UI_STATUS);
	cur_date(v, date);
	if (!v->h[v->nav.cur].open) {
		ui_message(ui, 1, _("%s is already closed on %s."), v->e.code,
		    date);
		return (UI_STATUS);
	}
	snprintf(label, sizeof label, _("Close %s on %s, reason: "),
	    v->e.code, date);
	return (prompt_push(ui, N_("Close a day"), label, "", NULL,
	    close_reason, v));
}

static int
open_yes(struct ui *ui, void *arg)
{
	json_t	*p = arg;
	int	 r = UI_DRAW_ALL | UI_STATUS;

	if (library_apply(ui, "open", p, NULL, N_("not reopened")) ==
	    GERR_OK) {
		ui_message(ui, 0, _("%s follows its weekly hours on %s again."),
		    json_string_value(json_object_get(p, "establishment")),
		    json_string_value(json_object_get(p, "date")));
		r = library_changed(ui);
	}
	json_decref(p);
	return (r);
}

static int
k_open(struct ui *ui, struct screen *s)
{
	struct hoursv	*v = s->data;
	char		 date[TZ_DATE_LEN], q[256], note[256], *lines[1];

	if (refused(ui, v))
		return (UI_STATUS);
	cur_date(v, date);
	if (!v->h[v->nav.cur].exceptional) {
		ui_message(ui, 1, _("%s follows its weekly hours on %s "
		    "already."), v->e.code, date);
		return (UI_STATUS);
	}
	snprintf(q, sizeof q, _("Reopen %s on %s with its weekly hours?"),
	    v->e.code, date);
	snprintf(note, sizeof note, "%s", _("Bookings cancelled by a closure "
	    "stay cancelled."));
	lines[0] = note;
	ui_confirm(ui, q, lines, 1, open_yes, json_pack("{s:s,s:s}",
	    "establishment", v->e.code, "date", date), library_json_free);
	return (UI_DRAW);
}

/* R13 confirmed: the shorter hours, cancelling the bookings listed. */
static int
except_yes(struct ui *ui, void *arg)
{
	json_t	*p = arg, *res = NULL;
	int	 r = UI_DRAW_ALL | UI_STATUS;

	if (library_apply(ui, "hours_date", p, &res, N_("hours not changed"))
	    == GERR_OK) {
		ui_message(ui, 0, ngettext("Hours changed: %zu booking "
		    "cancelled with the reason.", "Hours changed: %zu bookings "
		    "cancelled with the reason.", library_cancelled(res)),
		    library_cancelled(res));
		r = library_changed(ui);
	}
	json_decref(res);
	json_decref(p);
	return (r);
}

/*
 * Shorter hours that leave live bookings outside are refused with their
 * list (R13): show it, ask once, and confirm for those ids only.
 */
static int
except_reason(struct ui *ui, const char *text, void *arg)
{
	struct hoursv	*v = arg;
	json_t		*p, *res = NULL;
	char		 date[TZ_DATE_LEN], a[TZ_HHMM_LEN], b[TZ_HHMM_LEN];
	char		 q[256];
	size_t		 n;
	enum gerr	 e;
	int		 r = UI_DRAW_ALL | UI_STATUS;

	cur_date(v, date);
	tz_format_hhmm(v->open_min, a);
	tz_format_hhmm(v->close_min, b);
	p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "establishment", v->e.code,
	    "date", date, "open", a, "close", b, "reason", text);
	e = library_apply(ui, "hours_date", p, &res, N_("hours not changed"));
	if (e == GERR_OK) {
		ui_message(ui, 0, _("%s open %s-%s on %s."), v->e.code, a, b,
		    date);
		r = library_changed(ui);
	} else if (e == GERR_NEEDS_CONFIRMATION &&
	    (n = library_listed(res)) > 0) {
		snprintf(q, sizeof q, ngettext("Open %s %s-%s on %s and cancel "
		    "this booking left outside?", "Open %s %s-%s on %s and "
		    "cancel these %zu bookings left outside?", n), v->e.code,
		    a, b, date, n);
		library_ask_listed(ui, q, res, p, except_yes);
		p = NULL;
		r = UI_DRAW_ALL;
	}
	json_decref(p);
	json_decref(res);
	return (r);
}

/* The hours typed, "10:00-18:00" or "10h-18h": checked as given, so
 * the reason is asked only for hours that can be set. */
static int
except_check(struct ui *ui, const char *text, void *arg)
{
	struct hoursv	*v = arg;
	char		 a[16], b[16];
	const char	*dash = strchr(text, '-');

	if (dash == NULL || dash - text >= (long)sizeof a ||
	    strlen(dash + 1) >= sizeof b) {
		ui_message(ui, 1, _("'%s': type the hours as 10:00-18:00 or "
		    "10h-18h"), text);
		return (UI_STATUS);
	}
	snprintf(a, sizeof a, "%.*s", (int)(dash - text), text);
	snprintf(b, sizeof b, "%s", dash + 1);
	if (parse_time(a, &v->open_min) != 0 ||
	    parse_time(b, &v->close_min) != 0) {
		ui_message(ui, 1, _("'%s': type the hours as 10:00-18:00 or "
		    "10h-18h"), text);
		return (UI_STATUS);
	}
	if (v->close_min <= v->open_min) {
		ui_message(ui, 1, _("'%s': the closing comes before the "
		    "opening"), text);
		return (UI_STATUS);
	}
	return (0);
}

static int
except_hours(struct ui *ui, const char *text, void *arg)
{
	(void)text;
	return (prompt_push(ui, N_("Exceptional hours"),
	    _("Reason (may be empty): "), "", NULL, except_reason, arg));
}

static int
k_except(struct ui *ui, struct screen *s)
{
	struct hoursv	*v = s->data;
	char		 date[TZ_DATE_LEN], label[128];

	if (refused(ui, v))
		return (UI_STATUS);
	cur_date(v, date);
	snprintf(label, sizeof label, _("Hours of %s on %s (10:00-18:00): "),
	    v->e.code, date);
	return (prompt_push(ui, N_("Exceptional hours"), label, "",
	    except_check, except_hours, v));
}

static const struct key_entry hours_keys[] = {
	{ 'c', "c", N_("close the day (asks the reason, lists the bookings "
	    "it cancels)"), k_close },
	{ 'o', "o", N_("reopen the day on its weekly hours"), k_open },
	{ 'e', "e", N_("exceptional hours on the day"), k_except },
	{ 0, NULL, NULL, NULL }
};

static void
hours_draw(struct ui *ui, struct screen *s, int all)
{
	struct hoursv	*v = s->data;
	WINDOW		*w = s->win;
	char		 line[600], date[TZ_DATE_LEN], a[TZ_HHMM_LEN];
	char		 b[TZ_HHMM_LEN];
	const struct hours *h;
	int		 y, i;

	(void)all;
	werase(w);
	snprintf(line, sizeof line, _("Hours of %s (%s), the next %d days"),
	    v->e.code, v->e.name, DAYS);
	y = ui_heading(ui, w, line, v->ro);
	nav_fit(&v->nav, getmaxy(w) - y);
	for (i = v->nav.top; i < DAYS && y < getmaxy(w); i++, y++) {
		h = &v->h[i];
		tz_format_date(v->day0 + i, date);
		tz_format_hhmm(h->open_min, a);
		tz_format_hhmm(h->close_min, b);
		if (!h->open)
			snprintf(line, sizeof line, _("%s %-4s closed%s%s"), date,
			    _(wdays[tz_weekday(v->day0 + i)]),
			    h->reason[0] ? ": " : "", h->reason);
		else if (h->exceptional)
			snprintf(line, sizeof line, _("%s %-4s %s-%s  "
			    "exceptional%s%s"), date,
			    _(wdays[tz_weekday(v->day0 + i)]), a, b,
			    h->reason[0] ? ": " : "", h->reason);
		else
			snprintf(line, sizeof line, "%s %-4s %s-%s", date,
			    _(wdays[tz_weekday(v->day0 + i)]), a, b);
		ui_row(w, y, line, i == v->nav.cur, h->open ? A_NORMAL :
		    ui_attr(ui, C_CLOSED) | A_BOLD);
	}
	wnoutrefresh(w);
}

static void
hours_reload(struct ui *ui, struct screen *s)
{
	hv_load(ui, s->data);
}

static void
hours_free(struct screen *s)
{
	free(s->data);
}

struct screen *
hours_new(struct ui *ui, int32_t day)
{
	struct screen	*s;
	struct hoursv	*v;
	struct gerror	 err;

	v = xcalloc(1, sizeof *v);
	if (library_find(ui, &v->e) != 0) {
		free(v);
		return (NULL);
	}
	v->day0 = tz_local_day(v->e.tz, clock_now());
	if (day > v->day0 && day < v->day0 + DAYS)
		v->nav.cur = (int)(day - v->day0);
	gerror_clear(&err);
	if (rights_check(ui->store, ui->account, PERM_HOURS, v->e.id, &err) !=
	    GERR_OK)
		snprintf(v->ro, sizeof v->ro, "%s", err.msg);
	hv_load(ui, v);
	s = ui_screen_new(N_("Hours"), hours_keys);
	s->data = v;
	v->nav.n = DAYS;
	s->nav = &v->nav;
	s->common = 1;
	s->reload = hours_reload;
	s->draw = hours_draw;
	s->free = hours_free;
	return (s);
}
