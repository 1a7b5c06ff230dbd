/*
 * A booking's detail and what the desk may do with it: validate presence
 * (checkin), extend or shorten by one slot (change, R14), cancel with a
 * reason (R11), free it when late (R6). Every action goes through
 * op_apply; a refusal is shown with its reason.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ops.h"
#include "query.h"
#include "settings.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

struct detail {
	struct booking	 b;
	struct resource	 r;
	int		 loaded;
};

static void
detail_load(struct ui *ui, struct detail *d)
{
	d->loaded = booking_find(ui->store, d->b.id, &d->b) == GERR_OK &&
	    resource_find(ui->store, d->b.resource, &d->r) == GERR_OK;
}

/* Apply one operation on this booking; payload is stolen. */
static int
detail_op(struct ui *ui, struct screen *s, const char *kind, json_t *p,
    const char *done)
{
	struct detail	*d = s->data;
	struct gerror	 err;
	json_t		*res = NULL;
	enum gerr	 e;

	gerror_clear(&err);
	e = op_apply(ui->store, ui->account, NULL, kind, p, &res, &err);
	json_decref(p);
	json_decref(res);
	if (e != GERR_OK) {
		ui_message(ui, 1, "%s", err.msg);
		return (UI_STATUS | UI_DRAW);
	}
	ui_wrote(ui);
	detail_load(ui, d);
	ui_message(ui, 0, "%s %s: %s.", d->b.resource, d->b.email, done);
	return (UI_RELOAD | UI_DRAW_ALL | UI_STATUS);
}

/* Which actions a booking's status leaves: a no-show, a cancelled or an
 * expired booking is on record only. */
enum { A_CHECKIN = 1, A_CHANGE = 2, A_CANCEL = 4, A_FREE = 8 };

static int
actions(struct ui *ui, const struct detail *d)
{
	switch (d->b.status) {
	case STATUS_PENDING:
	case STATUS_CONFIRMED:
		return (A_CHECKIN | A_CHANGE | A_CANCEL |
		    (query_is_late(ui->store, &d->b, clock_now()) ? A_FREE :
		    0));
	case STATUS_PRESENT:
		return (A_CHANGE);
	default:
		return (0);
	}
}

/* Refuse an action the status does not leave, in words. */
static int
refused(struct ui *ui, struct screen *s, int what)
{
	struct detail	*d = s->data;

	if (!d->loaded) {
		ui_message(ui, 1, "%s", _("this booking cannot be read"));
		return (1);
	}
	if (actions(ui, d) & what)
		return (0);
	if (what == A_FREE && (actions(ui, d) & A_CHECKIN))
		ui_message(ui, 1, _("not late: it can be freed %lld min after "
		    "its start if the patron has not come (R6)"), (long long)
		    setting_get(ui->store, SET_LATE_MINUTES));
	else
		ui_message(ui, 1, _("this booking is %s: nothing more to do "
		    "on it"), ui_status(d->b.status));
	return (1);
}

static int
d_checkin(struct ui *ui, struct screen *s)
{
	struct detail	*d = s->data;

	if (refused(ui, s, A_CHECKIN))
		return (UI_STATUS);
	return (detail_op(ui, s, "checkin", json_pack("{s:s}", "id",
	    d->b.id), _("presence validated")));
}

static int
d_change(struct ui *ui, struct screen *s, int sign)
{
	struct detail	*d = s->data;
	char		 iso[CLOCK_ISO_LEN];
	int		 g = d->r.granularity > 0 ? d->r.granularity : 30;

	if (refused(ui, s, A_CHANGE))
		return (UI_STATUS);
	if (rtype_capacity(d->r.type)) {
		ui_message(ui, 1, "%s",
		    _("a session's times are the session's"));
		return (UI_STATUS);
	}
	clock_format_iso(d->b.end + sign * g * 60, d->r.tz, iso);
	return (detail_op(ui, s, "change", json_pack("{s:s, s:s}", "id",
	    d->b.id, "end", iso), sign > 0 ? _("extended") : _("shortened")));
}

static int d_extend(struct ui *u, struct screen *s) { return (d_change(u, s, 1)); }
static int d_shorten(struct ui *u, struct screen *s) { return (d_change(u, s, -1)); }

static int
free_yes(struct ui *ui, void *arg)
{
	struct screen	*s = arg;
	struct detail	*d = s->data;

	return (detail_op(ui, s, "free_late", json_pack("{s:[s]}", "ids",
	    d->b.id), _("freed (no-show)")));
}

/* Freeing cannot be undone: ask, as every destructive key does. */
static int
d_free(struct ui *ui, struct screen *s)
{
	struct detail	*d = s->data;
	char		 q[256];

	if (refused(ui, s, A_FREE))
		return (UI_STATUS);
	snprintf(q, sizeof q, _("Free %s for %s (a no-show, on record)?"),
	    d->b.resource, d->b.name[0] ? d->b.name : d->b.email);
	ui_confirm(ui, q, NULL, 0, free_yes, s, NULL);
	return (UI_DRAW);
}

static int
cancel_check(struct ui *ui, const char *text, void *arg)
{
	(void)arg;
	if (text[strspn(text, " ")] == '\0') {
		ui_message(ui, 1, "%s", _("type the reason: the patron's "
		    "e-mail gives it (R11)"));
		return (UI_STATUS);
	}
	return (0);
}

static int
cancel_done(struct ui *ui, const char *text, void *arg)
{
	struct screen	*s = arg;
	struct detail	*d = s->data;

	return (detail_op(ui, s, "cancel", json_pack("{s:s, s:s}", "id",
	    d->b.id, "reason", text), _("cancelled")));
}

static int
d_cancel(struct ui *ui, struct screen *s)
{
	if (refused(ui, s, A_CANCEL))
		return (UI_STATUS);
	ui_push(ui, prompt_new(N_("Cancel the booking"), _("Reason (for the "
	    "patron's e-mail): "), "", cancel_check, cancel_done, s));
	return (UI_DRAW);
}

static const struct key_entry detail_keys[] = {
	{ 'v', "v", N_("validate presence (checkin)"), d_checkin },
	{ '+', "+", N_("extend by one slot (R14)"), d_extend },
	{ '-', "-", N_("shorten by one slot (R14)"), d_shorten },
	{ 'c', "c", N_("cancel, with a reason (R11)"), d_cancel },
	{ 'x', "x", N_("free it: late, not present (R6; asks first)"),
	    d_free },
	{ 0, NULL, NULL, NULL }
};

static void
detail_draw(struct ui *ui, struct screen *s, int all)
{
	char			 late_text[128];
	struct detail	*d = s->data;
	WINDOW		*w;
	char		 line[600], a[CLOCK_ISO_LEN], b[CLOCK_ISO_LEN];
	int		 h, wd, y = 1, late;

	(void)all;
	ui_popup(ui, s, 15, 66);
	w = s->win;
	getmaxyx(w, h, wd);
	if (!d->loaded) {
		ui_put(w, 1, 2, _("This booking cannot be read."), wd - 4);
		wnoutrefresh(w);
		return;
	}
	clock_format_iso(d->b.start, d->r.tz, a);
	clock_format_iso(d->b.end, d->r.tz, b);
	late = query_is_late(ui->store, &d->b, clock_now());
	snprintf(line, sizeof line, "%s  %.10s  %.5s-%.5s", d->b.resource, a,
	    a + 11, b + 11);
	wattron(w, A_BOLD);
	ui_put(w, y++, 2, line, wd - 4);
	wattroff(w, A_BOLD);
	snprintf(line, sizeof line, _("Patron   %s  %s"), d->b.email,
	    d->b.name);
	ui_put(w, y++, 2, line, wd - 4);
	snprintf(line, sizeof line, _("Phone    %s"), d->b.phone);
	ui_put(w, y++, 2, line, wd - 4);
	snprintf(late_text, sizeof late_text, _("  ! LATE: not present "
	    "after %lld min (R6)"), (long long)setting_get(ui->store,
	    SET_LATE_MINUTES));
	snprintf(line, sizeof line, _("Status   %s%s"),
	    ui_status(d->b.status), late ? late_text : "");
	if (late)
		wattrset(w, ui_attr(ui, C_LATE));
	ui_put(w, y++, 2, line, wd - 4);
	wattrset(w, A_NORMAL);
	if (d->b.created_by[0] != '\0')
		snprintf(line, sizeof line, _("Origin   %s, by %s"),
		    ui_origin(d->b.origin), d->b.created_by);
	else
		snprintf(line, sizeof line, _("Origin   %s"),
		    ui_origin(d->b.origin));
	ui_put(w, y++, 2, line, wd - 4);
	if (d->b.cancel_reason[0] != '\0') {
		snprintf(line, sizeof line, _("Reason   %s"),
		    d->b.cancel_reason);
		ui_put(w, y++, 2, line, wd - 4);
	}
	/* The start of the id is enough to name it aloud. */
	snprintf(line, sizeof line, _("Ref      %.8s"), d->b.id);
	ui_put(w, y++, 2, line, wd - 4);
	{
		struct gerror	err;

		if (rights_check_resource(ui->account, PERM_PLANNING, &d->r,
		    &err) != GERR_OK) {
			wattrset(w, ui_attr(ui, C_ERROR));
			snprintf(line, sizeof line, _("! read-only: %s"),
			    err.msg);
			y += ui_wrap(w, y, 2, line, wd - 4, 3);
			wattrset(w, A_NORMAL);
		}
	}
	y++;
	/* Only what this booking's status leaves. */
	{
		int	can = actions(ui, d);

		line[0] = '\0';
		if (can & A_CHECKIN)
			strncat(line, _("v validate   "), sizeof line -
			    strlen(line) - 1);
		if (can & A_CHANGE)
			strncat(line, _("+ extend   - shorten   "), sizeof line -
			    strlen(line) - 1);
		if (can & A_CANCEL)
			strncat(line, _("c cancel   "), sizeof line -
			    strlen(line) - 1);
		if (can & A_FREE)
			strncat(line, _("x free (late)   "), sizeof line -
			    strlen(line) - 1);
		strncat(line, _("Esc close"), sizeof line - strlen(line) - 1);
		if (y < h - 1)
			ui_wrap(w, y, 2, line, wd - 4, h - 1 - y);
	}
	wnoutrefresh(w);
}

static void
detail_reload(struct ui *ui, struct screen *s)
{
	detail_load(ui, s->data);
}

static void
detail_free(struct screen *s)
{
	free(s->data);
}

struct screen *
detail_new(struct ui *ui, const char *id)
{
	struct screen	*s = ui_screen_new(N_("Booking"), detail_keys);
	struct detail	*d = xcalloc(1, sizeof *d);

	snprintf(d->b.id, sizeof d->b.id, "%s", id);
	detail_load(ui, d);
	s->data = d;
	s->popup = 1;
	s->common = 1;
	s->reload = detail_reload;
	s->draw = detail_draw;
	s->free = detail_free;
	return (s);
}
