/*
 * The help overlay: the keys of the screen it was opened from, made
 * from the very table that dispatches them, then the keys that work
 * everywhere, and the legend of the grid's cells.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screen.h"
#include "settings.h"
#include "slot.h"
#include "xmalloc.h"

struct help {
	char		**lines;
	size_t		  n;
	struct nav	  nav;		/* scrolls, stops at the end */
};

static int
h_close(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_pop(ui);
	return (UI_DRAW_ALL);
}

/* Esc and q come from keys_common; ? closes the help it opened. */
static const struct key_entry help_keys[] = {
	{ '?', "?", N_("close the help"), h_close },
	{ 0, NULL, NULL, NULL }
};

static void
h_draw(struct ui *ui, struct screen *s, int all)
{
	struct help	*h = s->data;
	int		 wh, wd, i, y;

	(void)all;
	ui_popup(ui, s, (int)h->n + 2, 72);
	getmaxyx(s->win, wh, wd);
	h->nav.n = (int)h->n;
	nav_fit(&h->nav, wh - 2);
	for (i = h->nav.top, y = 1; i < (int)h->n && y < wh - 1; i++, y++)
		ui_put(s->win, y, 2, h->lines[i], wd - 4);
	wnoutrefresh(s->win);
}

static void
h_free(struct screen *s)
{
	struct help	*h = s->data;
	size_t		 i;

	for (i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	free(h);
}

static void
add(struct help *h, const char *text)
{
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = xstrdup(text);
}

static void
add_table(struct help *h, const struct key_entry *t)
{
	char	**l;
	size_t	  n, i;

	n = keys_help(t, &l);
	for (i = 0; i < n; i++) {
		h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
		h->lines[h->n++] = l[i];
	}
	free(l);
}

/* The legend of the grid's cells, from the core's table of states: a
 * sample cell (J, D: a patron's initials) and its meaning. */
static void
add_legend(struct ui *ui, struct help *h)
{
	static const enum slot	 shown[] = { SLOT_FREE, SLOT_BOOKED,
	    SLOT_PENDING, SLOT_PRESENT, SLOT_LATE, SLOT_CLOSED, SLOT_READONLY,
	    SLOT_SESSION };
	const struct slot_info	*si;
	char			 line[256], cell[16], more[64], ascii[2];
	const char		*g;
	size_t			 i;

	snprintf(line, sizeof line, "%s", _("Cells:"));
	for (i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		si = slot_info(shown[i]);
		ascii[0] = si->ascii;
		ascii[1] = '\0';
		g = ui_sym(ui, si->utf8, ascii);
		more[0] = '\0';
		switch (shown[i]) {
		case SLOT_FREE:
		case SLOT_CLOSED:
			snprintf(cell, sizeof cell, "%s", g);
			break;
		case SLOT_BOOKED:
			snprintf(cell, sizeof cell, "JD");
			break;
		case SLOT_READONLY:
			snprintf(cell, sizeof cell, "%s%s", g, g);
			break;
		case SLOT_SESSION:
			snprintf(cell, sizeof cell, "3/12");
			break;
		default:
			snprintf(cell, sizeof cell, "%sJ", g);
			break;
		}
		if (shown[i] == SLOT_LATE)
			snprintf(more, sizeof more, _(" (not present at "
			    "start+%lld min)"), (long long)setting_get(
			    ui->store, SET_LATE_MINUTES));
		if (strlen(line) > 50) {
			add(h, line);
			snprintf(line, sizeof line, "%6s", "");
		}
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "  %s %s%s", cell, _(si->legend), more);
	}
	add(h, line);
}

struct screen *
help_new(struct ui *ui, struct screen *from)
{
	struct screen	*s = ui_screen_new(N_("Help"), help_keys);
	struct help	*h = xcalloc(1, sizeof *h);
	char		 line[256];

	snprintf(line, sizeof line, _("Keys of %s:"), from->title != NULL ?
	    _(from->title) : _("this screen"));
	add(h, line);
	add_table(h, from->keys);
	if (from->field != NULL)
		add_table(h, keys_field);
	if (from->nav != NULL)
		add_table(h, keys_nav);
	if (from->common)
		add_table(h, keys_common);
	add(h, "");
	add(h, _("Everywhere:"));
	add_table(h, ui_global_keys);
	if (from == ui->grid) {
		add(h, "");
		add_legend(ui, h);
	}
	s->data = h;
	s->popup = 1;
	s->common = 1;
	h->nav.scroll = 1;
	s->nav = &h->nav;
	s->draw = h_draw;
	s->free = h_free;
	return (s);
}

/* A text shown whole, wrapped between words (a message, a long result). */
struct textv {
	char	 title[64];
	char	*text;
};

static void
t_draw(struct ui *ui, struct screen *s, int all)
{
	struct textv	*t = s->data;
	int		 wh, wd;

	(void)all;
	ui_popup(ui, s, ui_width(t->text) / 60 + 5, 72);
	getmaxyx(s->win, wh, wd);
	ui_wrap(s->win, 1, 2, t->text, wd - 4, wh - 2);
	wnoutrefresh(s->win);
}

static void
t_free(struct screen *s)
{
	struct textv	*t = s->data;

	free(t->text);
	free(t);
}

static const struct key_entry text_keys[] = {
	{ '\r', N_("Enter"), N_("back"), keys_back },
	{ 0, NULL, NULL, NULL }
};

struct screen *
text_new(const char *title, const char *text)
{
	struct textv	*t = xcalloc(1, sizeof *t);
	struct screen	*s;

	snprintf(t->title, sizeof t->title, "%s", title);
	t->text = xstrdup(text);
	s = ui_screen_new(t->title, text_keys);
	s->data = t;
	s->popup = 1;
	s->common = 1;
	s->draw = t_draw;
	s->free = t_free;
	return (s);
}
