/*
 * A list to pick from (a patron's bookings, what is free now). Enter
 * closes the list and hands a copy of the item to the callback.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

struct list {
	char			 title[128];
	struct list_item	*items;		/* owned */
	struct nav		 nav;
	int			(*fn)(struct ui *, const struct list_item *);
};

static int
l_pick(struct ui *ui, struct screen *s)
{
	struct list		*l = s->data;
	struct list_item	 it;
	int			(*fn)(struct ui *, const struct list_item *) =
				    l->fn;

	if (l->nav.n == 0)
		return (0);
	it = l->items[l->nav.cur];
	ui_pop(ui);
	return (fn(ui, &it) | UI_DRAW_ALL);
}

static const struct key_entry list_keys[] = {
	{ '\r', N_("Enter"), N_("choose"), l_pick },
	{ 0, NULL, NULL, NULL }
};

static void
l_draw(struct ui *ui, struct screen *s, int all)
{
	struct list	*l = s->data;
	int		 h, wd, i, y;
	char		 more[64];

	(void)all;
	ui_popup(ui, s, l->nav.n + 2, 76);
	getmaxyx(s->win, h, wd);
	nav_fit(&l->nav, h - 2);
	for (i = l->nav.top, y = 1; i < l->nav.n && y < h - 1; i++, y++) {
		wattrset(s->win, i == l->nav.cur ? A_REVERSE : A_NORMAL);
		mvwhline(s->win, y, 1, ' ', wd - 2);
		ui_put(s->win, y, 2, l->items[i].text, wd - 4);
	}
	wattrset(s->win, A_NORMAL);
	/* Where the page is, when the list is longer than the window. */
	if (l->nav.n > h - 2) {
		snprintf(more, sizeof more, " %d/%d ", l->nav.cur + 1,
		    l->nav.n);
		ui_put(s->win, h - 1, wd - 2 - ui_width(more), more, 20);
	}
	wnoutrefresh(s->win);
}

static void
l_free(struct screen *s)
{
	struct list	*l = s->data;

	free(l->items);
	free(l);
}

struct screen *
list_new(const char *title, struct list_item *items, size_t n,
    int (*fn)(struct ui *, const struct list_item *))
{
	struct screen	*s = ui_screen_new(NULL, list_keys);
	struct list	*l = xcalloc(1, sizeof *l);

	snprintf(l->title, sizeof l->title, "%s", title);
	l->items = items;
	l->nav.n = (int)n;
	l->fn = fn;
	s->data = l;
	s->popup = 1;
	s->common = 1;
	s->nav = &l->nav;
	s->draw = l_draw;
	s->free = l_free;
	s->title = l->title;
	return (s);
}
