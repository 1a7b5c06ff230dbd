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
	size_t			 n;
	int			 cur, top;
	int			(*fn)(struct ui *, const struct list_item *);
};

static int
l_move(struct screen *s, int d)
{
	struct list	*l = s->data;

	l->cur += d;
	if (l->cur >= (int)l->n)
		l->cur = (int)l->n - 1;
	if (l->cur < 0)
		l->cur = 0;
	return (UI_DRAW);
}

static int l_up(struct ui *u, struct screen *s) { (void)u; return (l_move(s, -1)); }
static int l_down(struct ui *u, struct screen *s) { (void)u; return (l_move(s, 1)); }

static int
l_pick(struct ui *ui, struct screen *s)
{
	struct list		*l = s->data;
	struct list_item	 it = l->items[l->cur];
	int			(*fn)(struct ui *, const struct list_item *) =
				    l->fn;

	ui_pop(ui);
	return (fn(ui, &it) | UI_DRAW_ALL);
}

static int
l_close(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_pop(ui);
	return (UI_DRAW_ALL);
}

static const struct key_entry list_keys[] = {
	{ '\r', N_("Enter"), N_("choose"), l_pick },
	{ '\n', N_("Enter"), N_("choose"), l_pick },
	{ UI_FKEY(KEY_ENTER), N_("Enter"), N_("choose"), l_pick },
	{ UI_FKEY(KEY_UP), N_("Up"), N_("previous"), l_up },
	{ 'k', "k", N_("previous"), l_up },
	{ UI_FKEY(KEY_DOWN), N_("Down"), N_("next"), l_down },
	{ 'j', "j", N_("next"), l_down },
	{ 27, N_("Esc"), N_("close"), l_close },
	{ 'q', "q", N_("close"), l_close },
	{ 0, NULL, NULL, NULL }
};

static void
l_draw(struct ui *ui, struct screen *s, int all)
{
	struct list	*l = s->data;
	int		 h, wd, i, y;

	(void)all;
	ui_popup(ui, s, (int)l->n + 2, 76);
	getmaxyx(s->win, h, wd);
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + h - 2)
		l->top = l->cur - (h - 2) + 1;
	for (i = l->top, y = 1; i < (int)l->n && y < h - 1; i++, y++) {
		wattrset(s->win, i == l->cur ? A_REVERSE : A_NORMAL);
		mvwhline(s->win, y, 1, ' ', wd - 2);
		ui_put(s->win, y, 2, l->items[i].text, wd - 4);
	}
	wattrset(s->win, A_NORMAL);
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
	l->n = n;
	l->fn = fn;
	s->data = l;
	s->popup = 1;
	s->draw = l_draw;
	s->free = l_free;
	s->title = l->title;
	return (s);
}
