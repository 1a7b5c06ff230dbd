/*
 * The conflicts screen: the operations made at this desk that the backend
 * refused after an outage (SPEC.md section 6), already undone in the
 * replica. Each shows what was asked, why it was refused and the patron's
 * contact, so that staff can call back and offer another slot; once that
 * is done, acknowledging it (after a confirmation) takes it off the list
 * and off the header.
 * They are read through the core (sync_conflicts), as the command line's
 * 'conflicts' reads them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clock.h"
#include "query.h"
#include "sync.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

/* What an item shows, a line each. */
enum { L_WHAT, L_WHY, L_CALL, L_INSTEAD, L__COUNT };

struct conflict_item {
	char	op_id[40];
	/* Resource and times, who did it and when; the refusal; whom to
	 * call; what the backend has instead. */
	char	line[L__COUNT][512];
};

struct conflicts {
	struct conflict_item	*items;		/* owned */
	size_t			 n;
	struct nav		 nav;
};

static const struct key_entry conflict_keys[];

static const char *
str(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return (v != NULL ? v : "");
}

/*
 * The booking a refused operation was about: from its payload (book,
 * change), or as the replica now has it (cancel, checkin, free late:
 * the payload only names it).
 */
static void
describe(struct ui *ui, const struct conflict *cf, struct conflict_item *it)
{
	json_t		*p, *d, *mine, *theirs;
	struct booking	 b;
	struct resource	 r;
	const char	*id, *tz;
	char		 a[CLOCK_ISO_LEN] = "", e[CLOCK_ISO_LEN] = "";
	char		 at[CLOCK_ISO_LEN], res[CODE_LEN] = "";
	char		 email[EMAIL_LEN] = "", name[NAME_LEN] = "", phone[64] = "";

	tz = ui->cfg != NULL && ui->cfg->timezone != NULL ?
	    ui->cfg->timezone : TZ_DEFAULT;
	p = json_loads(cf->payload, 0, NULL);
	snprintf(res, sizeof res, "%s", str(p, "resource"));
	snprintf(a, sizeof a, "%s", str(p, "start"));
	snprintf(e, sizeof e, "%s", str(p, "end"));
	snprintf(email, sizeof email, "%s", str(p, "email"));
	snprintf(name, sizeof name, "%s", str(p, "name"));
	snprintf(phone, sizeof phone, "%s", str(p, "phone"));
	id = str(p, "id");
	if (id[0] == '\0')
		id = json_string_value(json_array_get(json_object_get(p,
		    "ids"), 0));
	/* The booking as the desk had it when it was refused (the replica
	 * has the backend's now), and the backend's instead. */
	d = json_loads(cf->detail != NULL ? cf->detail : "{}", 0, NULL);
	mine = id != NULL ? json_object_get(json_object_get(d, "desk"), id) :
	    NULL;
	theirs = id != NULL ? json_object_get(json_object_get(d, "backend"),
	    id) : NULL;
	if (email[0] == '\0' && json_is_object(mine)) {
		snprintf(res, sizeof res, "%s", str(mine, "resource"));
		snprintf(a, sizeof a, "%s", str(mine, "start"));
		snprintf(e, sizeof e, "%s", str(mine, "end"));
		snprintf(email, sizeof email, "%s", str(mine, "email"));
		snprintf(name, sizeof name, "%s", str(mine, "name"));
		snprintf(phone, sizeof phone, "%s", str(mine, "phone"));
	}
	it->line[L_INSTEAD][0] = '\0';
	if (json_is_object(theirs) && strlen(str(theirs, "start")) >= 16 &&
	    strlen(str(theirs, "end")) >= 16)
		snprintf(it->line[L_INSTEAD], sizeof it->line[L_INSTEAD],
		    _("the backend has: %s %.10s %.5s-%.5s, %s"),
		    str(theirs, "resource"), str(theirs, "start"),
		    str(theirs, "start") + 11, str(theirs, "end") + 11,
		    str(theirs, "status"));
	else if (theirs != NULL && json_is_null(theirs))
		snprintf(it->line[L_INSTEAD], sizeof it->line[L_INSTEAD], "%s",
		    _("the backend has no such booking"));
	json_decref(d);
	if (email[0] == '\0' && id != NULL && id[0] != '\0' &&
	    booking_find(ui->store, id, &b) == GERR_OK) {
		snprintf(res, sizeof res, "%s", b.resource);
		if (resource_find(ui->store, b.resource, &r) == GERR_OK)
			tz = r.tz;
		clock_format_iso(b.start, tz, a);
		clock_format_iso(b.end, tz, e);
		snprintf(email, sizeof email, "%s", b.email);
		snprintf(name, sizeof name, "%s", b.name);
		snprintf(phone, sizeof phone, "%s", b.phone);
	}
	json_decref(p);
	/* Instants are "YYYY-MM-DDTHH:MM:SS+01:00": day and HH:MM. */
	/* When the work was done at the desk (R15), not when it was
	 * refused. */
	clock_format_iso(cf->made_at != 0 ? cf->made_at : cf->at, tz, at);
	if (strlen(a) >= 16 && strlen(e) >= 16)
		snprintf(it->line[L_WHAT], sizeof it->line[L_WHAT],
		    _("%s %.10s %.5s-%.5s  (%s by %s, done at %.5s)"), res,
		    a, a + 11, e + 11, cf->kind, cf->account, at + 11);
	else
		snprintf(it->line[L_WHAT], sizeof it->line[L_WHAT],
		    _("%s  (%s by %s, done at %.5s)"), res, cf->kind,
		    cf->account, at + 11);
	/* A long message is cut on screen anyway. */
	snprintf(it->line[L_WHY], sizeof it->line[L_WHY], "%s: %.400s",
	    cf->error, cf->message);
	/* The phone first: it is what staff dial. */
	snprintf(it->line[L_CALL], sizeof it->line[L_CALL], "%s %s%s%s%s%s",
	    _("call:"), phone, phone[0] ? "  " : "", name, name[0] ? "  " :
	    "", email[0] ? email : "?");
	snprintf(it->op_id, sizeof it->op_id, "%s", cf->op_id);
}

/* Read the open conflicts, oldest first. */
static void
load(struct ui *ui, struct conflicts *c)
{
	struct conflict	*cf;
	size_t		 n, i;

	free(c->items);
	c->items = NULL;
	c->n = 0;
	if (sync_conflicts(ui->store, 0, NULL, &cf, &n) != GERR_OK)
		return;
	if (n > 0)
		c->items = xcalloc(n, sizeof *c->items);
	for (i = 0; i < n; i++)
		describe(ui, &cf[i], &c->items[i]);
	c->n = n;
	c->nav.n = (int)n;
	sync_conflicts_free(cf, n);
	nav_fit(&c->nav, c->nav.page);
}

static int
ack_yes(struct ui *ui, void *arg)
{
	char		*op = arg;
	struct gerror	 err;
	struct screen	*s = ui->top;

	gerror_clear(&err);
	if (sync_acknowledge(ui->store, op, ui->account->login, &err) !=
	    GERR_OK)
		ui_message(ui, 1, _("not acknowledged: %s"), err.msg);
	else
		ui_message(ui, 0, "%s", _("Conflict acknowledged."));
	free(op);
	if (s != NULL && s->keys == conflict_keys) {
		load(ui, s->data);
		if (((struct conflicts *)s->data)->n == 0)
			ui_pop(ui);
	}
	/* The header's count goes at once, not at the next second. */
	return (UI_DRAW_ALL | UI_STATUS | ui_sync_poll(ui));
}

static int
c_ack(struct ui *ui, struct screen *s)
{
	struct conflicts	*c = s->data;
	struct conflict_item	*it;
	char			*lines[L__COUNT + 1], note[256];
	int			 i;

	if (c->n == 0)
		return (0);
	it = &c->items[c->nav.cur];
	snprintf(note, sizeof note, "%s", _("Once the patron has been called "
	    "back, it leaves the list."));
	for (i = 0; i < L__COUNT; i++)
		lines[i] = it->line[i];
	lines[L__COUNT] = note;
	ui_confirm(ui, _("Acknowledge this conflict?"), lines, L__COUNT + 1,
	    ack_yes,
	    xstrdup(it->op_id), free);
	return (UI_DRAW);
}

static const struct key_entry conflict_keys[] = {
	{ 'a', "a", N_("acknowledge: the patron has been called back"),
	    c_ack },
	{ '\r', N_("Enter"), N_("acknowledge: the patron has been called back"),
	    c_ack },
	{ 0, NULL, NULL, NULL }
};

static void
c_draw(struct ui *ui, struct screen *s, int all)
{
	struct conflicts	*c = s->data;
	WINDOW			*w = s->win;
	int			 h, wd, i, y, k, per;

	(void)all;
	/* The worker found another one meanwhile: read them again. */
	if (ui->sync_rep.conflicts != (int)c->n && ui->sync_rep.conflicts > 0)
		load(ui, c);
	getmaxyx(w, h, wd);
	werase(w);
	wattrset(w, A_BOLD);
	ui_put(w, 0, 1, _("Conflicts: bookings made here that the backend "
	    "refused (undone)"), wd - 2);
	wattrset(w, A_NORMAL);
	if (c->n == 0) {
		ui_put(w, 2, 2, _("No conflict to handle."), wd - 4);
		wnoutrefresh(w);
		return;
	}
	/* An item: what, why (up to two lines), whom to call, what the
	 * backend has instead, a blank. */
	per = L__COUNT + 2;
	nav_fit(&c->nav, (h - 2) / per);
	for (i = c->nav.top, y = 2; i < (int)c->n && y + per - 1 <= h;
	    i++, y += per) {
		wattrset(w, i == c->nav.cur ? A_REVERSE : A_NORMAL);
		for (k = 0; k < per - 1; k++)
			mvwhline(w, y + k, 0, ' ', wd);
		ui_put(w, y, 0, i == c->nav.cur ? ">" : " ", 1);
		ui_put(w, y, 2, c->items[i].line[L_WHAT], wd - 3);
		ui_wrap(w, y + 1, 4, c->items[i].line[L_WHY], wd - 5, 2);
		ui_put(w, y + 3, 4, c->items[i].line[L_CALL], wd - 5);
		ui_put(w, y + 4, 4, c->items[i].line[L_INSTEAD], wd - 5);
	}
	wattrset(w, A_NORMAL);
	wnoutrefresh(w);
}

static void
c_free(struct screen *s)
{
	struct conflicts	*c = s->data;

	free(c->items);
	free(c);
}

int
conflicts_open(struct ui *ui)
{
	struct screen		*s;
	struct conflicts	*c = xcalloc(1, sizeof *c);

	load(ui, c);
	if (c->n == 0) {
		free(c);
		ui_message(ui, 0, "%s", _("No conflict to handle."));
		return (UI_STATUS);
	}
	s = ui_screen_new(N_("Conflicts"), conflict_keys);
	s->data = c;
	s->common = 1;
	s->nav = &c->nav;
	s->draw = c_draw;
	s->free = c_free;
	ui_push(ui, s);
	return (UI_DRAW_ALL);
}
