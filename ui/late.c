/*
 * Free the late bookings: a list of those of the library on screen (every
 * library the account plans on request), each ticked; staff scroll it,
 * untick the patrons who called to say they are coming, then Enter asks
 * once and one free_late operation takes the ticked ids (R6). They stay
 * on record as no-shows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ops.h"
#include "query.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

struct late_item {
	char	 id[40];
	char	 text[200];
	int	 ticked;
};

struct late {
	char			 library[CODE_LEN];	/* "" every library */
	char			 title[128];
	struct late_item	*items;
	struct nav		 nav;
};

/* The late bookings the account may free, of a library or all. */
static void
late_load(struct ui *ui, struct late *l)
{
	struct booking_filter	 f;
	struct booking		*b;
	struct resource		 r;
	struct gerror		 err;
	size_t			 n, i;
	char			 a[CLOCK_ISO_LEN];
	int64_t			 now = clock_now();
	struct late_item	*it;

	free(l->items);
	l->items = NULL;
	l->nav.n = 0;
	memset(&f, 0, sizeof f);
	f.status = -1;
	f.from = now - 24 * 3600;
	f.to = now;
	f.library = l->library[0] ? l->library : NULL;
	if (query_bookings(ui->store, &f, &b, &n) != GERR_OK) {
		ui_message(ui, 1, "%s", _("cannot read the bookings"));
		return;
	}
	for (i = 0; i < n; i++) {
		if (!query_is_late(ui->store, &b[i], now) ||
		    resource_find(ui->store, b[i].resource, &r) != GERR_OK ||
		    rights_check_resource(ui->account, PERM_PLANNING, &r,
		    &err) != GERR_OK)
			continue;
		l->items = xreallocarray(l->items, (size_t)l->nav.n + 1,
		    sizeof *l->items);
		it = &l->items[l->nav.n++];
		clock_format_iso(b[i].start, r.tz, a);
		snprintf(it->id, sizeof it->id, "%s", b[i].id);
		snprintf(it->text, sizeof it->text, "%-14s %.5s  %.40s  %.60s",
		    b[i].resource, a + 11, b[i].name, b[i].email);
		it->ticked = 1;
	}
	free(b);
	if (l->library[0])
		snprintf(l->title, sizeof l->title, _("Late bookings of %s"),
		    l->library);
	else
		snprintf(l->title, sizeof l->title, "%s",
		    _("Late bookings of every library"));
}

static int
ticked(const struct late *l)
{
	int	i, n = 0;

	for (i = 0; i < l->nav.n; i++)
		n += l->items[i].ticked;
	return (n);
}

static const struct key_entry late_keys[];

static int
late_yes(struct ui *ui, void *arg)
{
	json_t		*p = arg, *res = NULL;
	struct gerror	 err;
	size_t		 n;

	gerror_clear(&err);
	if (op_apply(ui->store, ui->account, NULL, "free_late", p, &res,
	    &err) != GERR_OK)
		ui_message(ui, 1, _("nothing freed: %s"), err.msg);
	else {
		ui_wrote(ui);
		n = json_array_size(json_object_get(res, "freed"));
		ui_message(ui, 0, ngettext("Freed %zu late booking (no-show).",
		    "Freed %zu late bookings (no-shows).", n), n);
		/* Done: back to the grid. */
		if (ui->top != NULL && ui->top->keys == late_keys)
			ui_pop(ui);
	}
	json_decref(res);
	json_decref(p);
	return (UI_RELOAD | UI_DRAW_ALL | UI_STATUS);
}

static int
l_free_them(struct ui *ui, struct screen *s)
{
	struct late	*l = s->data;
	json_t		*ids;
	char		 q[128];
	int		 i, n = ticked(l);

	if (n == 0) {
		ui_message(ui, 1, "%s", _("nothing ticked: Space ticks a "
		    "booking to free"));
		return (UI_STATUS);
	}
	ids = json_array();
	for (i = 0; i < l->nav.n; i++)
		if (l->items[i].ticked)
			json_array_append_new(ids, json_string(l->items[i].id));
	snprintf(q, sizeof q, ngettext("Free this %d late booking?",
	    "Free these %d late bookings?", n), n);
	ui_confirm(ui, q, NULL, 0, late_yes, json_pack("{s:o}", "ids", ids),
	    library_json_free);
	return (UI_DRAW);
}

static int
l_tick(struct ui *ui, struct screen *s)
{
	struct late	*l = s->data;

	(void)ui;
	if (l->nav.n == 0)
		return (0);
	l->items[l->nav.cur].ticked = !l->items[l->nav.cur].ticked;
	if (l->nav.cur + 1 < l->nav.n)
		l->nav.cur++;
	return (UI_DRAW);
}

/* Others on request: every library the account plans, or back. */
static int
l_all(struct ui *ui, struct screen *s)
{
	struct late	*l = s->data;

	if (l->library[0])
		l->library[0] = '\0';
	else
		snprintf(l->library, sizeof l->library, "%s", ui->library);
	late_load(ui, l);
	l->nav.cur = l->nav.top = 0;
	return (UI_DRAW_ALL);
}

static const struct key_entry late_keys[] = {
	{ '\r', N_("Enter"), N_("free the ticked bookings (asks once)"),
	    l_free_them },
	{ ' ', N_("Space"), N_("tick or untick the booking"), l_tick },
	{ 'x', "x", N_("tick or untick the booking"), l_tick },
	{ 'a', "a", N_("every library you plan, or this one again"), l_all },
	{ 0, NULL, NULL, NULL }
};

static void
late_draw(struct ui *ui, struct screen *s, int all)
{
	struct late	*l = s->data;
	WINDOW		*w;
	char		 line[256];
	int		 h, wd, i, y;

	(void)all;
	ui_popup(ui, s, l->nav.n + 4, 76);
	w = s->win;
	getmaxyx(w, h, wd);
	nav_fit(&l->nav, h - 4);
	for (i = l->nav.top, y = 1; i < l->nav.n && y < h - 3; i++, y++) {
		wattrset(w, i == l->nav.cur ? A_REVERSE : A_NORMAL);
		mvwhline(w, y, 1, ' ', wd - 2);
		snprintf(line, sizeof line, "[%s] %s", l->items[i].ticked ?
		    "x" : " ", l->items[i].text);
		ui_put(w, y, 2, line, wd - 4);
	}
	wattrset(w, A_NORMAL);
	if (l->nav.n == 0)
		ui_put(w, 1, 2, _("No late booking here."), wd - 4);
	snprintf(line, sizeof line, _("%d of %d ticked.  Space: untick  "
	    "Enter: free  a: %s  Esc: back"), ticked(l), l->nav.n,
	    l->library[0] ? _("all libraries") : _("this library"));
	ui_wrap(w, h - 3, 2, line, wd - 4, 2);
	wnoutrefresh(w);
}

static void
late_free(struct screen *s)
{
	struct late	*l = s->data;

	free(l->items);
	free(l);
}

int
late_free_all(struct ui *ui)
{
	struct screen	*s;
	struct late	*l = xcalloc(1, sizeof *l);

	snprintf(l->library, sizeof l->library, "%s", ui->library);
	late_load(ui, l);
	if (l->nav.n == 0 && l->library[0]) {
		ui_message(ui, 0, _("No late booking in %s (a: every "
		    "library)."), l->library);
	}
	s = ui_screen_new(NULL, late_keys);
	s->title = l->title;
	s->data = l;
	s->popup = 1;
	s->common = 1;
	s->nav = &l->nav;
	s->draw = late_draw;
	s->free = late_free;
	ui_push(ui, s);
	return (UI_DRAW_ALL | UI_STATUS);
}
