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
	d->loaded = booking_find(ui->s, d->b.id, &d->b) == GERR_OK &&
	    resource_find(ui->s, d->b.resource, &d->r) == GERR_OK;
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
	e = op_apply(ui->s, ui->account, NULL, kind, p, &res, &err);
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

static int
d_checkin(struct ui *ui, struct screen *s)
{
	struct detail	*d = s->data;

	return (detail_op(ui, s, "checkin", json_pack("{s:s}", "id",
	    d->b.id), _("presence validated")));
}

static int
d_change(struct ui *ui, struct screen *s, int sign)
{
	struct detail	*d = s->data;
	char		 iso[CLOCK_ISO_LEN];
	int		 g = d->r.granularity > 0 ? d->r.granularity : 30;

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
d_free(struct ui *ui, struct screen *s)
{
	struct detail	*d = s->data;

	return (detail_op(ui, s, "free_late", json_pack("{s:[s]}", "ids",
	    d->b.id), _("freed (no-show)")));
}

static int
cancel_done(struct ui *ui, const char *text, const char *id)
{
	struct screen	*s = ui->top;
	struct detail	*d;

	if (s == NULL || s->keys == NULL || s->title == NULL ||
	    strcmp(s->title, "Booking") != 0)
		return (0);
	d = s->data;
	if (strcmp(d->b.id, id) != 0)
		return (0);
	return (detail_op(ui, s, "cancel", json_pack("{s:s, s:s}", "id", id,
	    "reason", text), _("cancelled")));
}

static int
d_cancel(struct ui *ui, struct screen *s)
{
	struct detail	*d = s->data;

	ui_push(ui, prompt_new(N_("Cancel the booking"), _("Reason (for the "
	    "patron's e-mail): "), d->b.id, cancel_done));
	return (UI_DRAW);
}

static int
d_close(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_pop(ui);
	return (UI_DRAW_ALL);
}

static int
d_help(struct ui *ui, struct screen *s)
{
	ui_push(ui, help_new(ui, s));
	return (UI_DRAW);
}

static const struct key_entry detail_keys[] = {
	{ 'v', "v", N_("validate presence (checkin)"), d_checkin },
	{ '+', "+", N_("extend by one slot (R14)"), d_extend },
	{ '-', "-", N_("shorten by one slot (R14)"), d_shorten },
	{ 'c', "c", N_("cancel, with a reason (R11)"), d_cancel },
	{ 'x', "x", N_("free it: late, not present (R6)"), d_free },
	{ 27, N_("Esc"), N_("close"), d_close },
	{ 'q', "q", N_("close"), d_close },
	{ '?', "?", N_("help"), d_help },
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
	late = query_is_late(ui->s, &d->b, clock_now());
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
	    "after %lld min (R6)"), (long long)setting_get(ui->s,
	    SET_LATE_MINUTES));
	snprintf(line, sizeof line, _("Status   %s%s"),
	    ui_status(d->b.status), late ? late_text : "");
	if (late)
		wattrset(w, ui_attr(ui, C_LATE));
	ui_put(w, y++, 2, line, wd - 4);
	wattrset(w, A_NORMAL);
	snprintf(line, sizeof line, _("Origin   %s, by %s"),
	    ui_origin(d->b.origin), d->b.created_by);
	ui_put(w, y++, 2, line, wd - 4);
	if (d->b.cancel_reason[0] != '\0') {
		snprintf(line, sizeof line, _("Reason   %s"),
		    d->b.cancel_reason);
		ui_put(w, y++, 2, line, wd - 4);
	}
	snprintf(line, sizeof line, _("Id       %s"), d->b.id);
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
	ui_put(w, y++, 2, _("v validate presence   + extend   - shorten"),
	    wd - 4);
	ui_put(w, y++, 2, _("c cancel (reason)     x free if late   Esc "
	    "close"), wd - 4);
	(void)h;
	wnoutrefresh(w);
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
	s->draw = detail_draw;
	s->free = detail_free;
	return (s);
}
