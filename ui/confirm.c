/*
 * The confirmation popup: a question, optional lines (what it would do),
 * y or n. On yes the caller's function takes its argument; on no (or when
 * the popup is closed otherwise) the argument is freed.
 */
#include "config.h"

#include <stdlib.h>

#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

struct confirm {
	char	 *question;
	char	**lines;
	size_t	  nlines;
	int	(*fn)(struct ui *, void *);	/* takes arg */
	void	 *arg;
	void	(*arg_free)(void *);
};

static int
confirm_yes(struct ui *ui, struct screen *s)
{
	struct confirm	*c = s->data;
	int		(*fn)(struct ui *, void *) = c->fn;
	void		*arg = c->arg;
	int		 r;

	c->arg = NULL;
	ui_pop(ui);
	r = fn(ui, arg);
	return (r | UI_DRAW_ALL);
}

static int
confirm_no(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_pop(ui);
	ui_message(ui, 0, "%s", _("Nothing done."));
	return (UI_DRAW_ALL | UI_STATUS);
}

static const struct key_entry confirm_keys[] = {
	{ 'y', "y", N_("yes, do it"), confirm_yes },
	{ 'Y', "Y", N_("yes, do it"), confirm_yes },
	{ 'n', "n", N_("no"), confirm_no },
	{ 'N', "N", N_("no"), confirm_no },
	{ 27, N_("Esc"), N_("no"), confirm_no },
	{ 0, NULL, NULL, NULL }
};

static void
confirm_draw(struct ui *ui, struct screen *s, int all)
{
	struct confirm	*c = s->data;
	size_t		 i;
	int		 h, w;

	(void)all;
	w = ui_width(c->question) + 6;
	for (i = 0; i < c->nlines; i++)
		if (ui_width(c->lines[i]) + 4 > w)
			w = ui_width(c->lines[i]) + 4;
	if (w < 30)
		w = 30;
	ui_popup(ui, s, (int)c->nlines + 5, w);
	getmaxyx(s->win, h, w);
	for (i = 0; i < c->nlines && (int)i < h - 5; i++)
		ui_put(s->win, 1 + (int)i, 2, c->lines[i], w - 4);
	if (c->nlines > 0 && (int)c->nlines > h - 5)
		ui_put(s->win, h - 4, 2, "...", w - 4);
	wattron(s->win, A_BOLD);
	ui_put(s->win, h - 3, 2, c->question, w - 4);
	wattroff(s->win, A_BOLD);
	ui_put(s->win, h - 2, 2, _("y: yes   n, Esc: no"), w - 4);
	wnoutrefresh(s->win);
}

static void
confirm_free(struct screen *s)
{
	struct confirm	*c = s->data;
	size_t		 i;

	for (i = 0; i < c->nlines; i++)
		free(c->lines[i]);
	free(c->lines);
	free(c->question);
	if (c->arg != NULL && c->arg_free != NULL)
		c->arg_free(c->arg);
	free(c);
}

void
ui_confirm(struct ui *ui, const char *question, char **lines, size_t n,
    int (*fn)(struct ui *, void *), void *arg, void (*arg_free)(void *))
{
	struct screen	*s = ui_screen_new(N_("Confirm"), confirm_keys);
	struct confirm	*c = xcalloc(1, sizeof *c);
	size_t		 i;

	c->question = xstrdup(question);
	if (n > 0) {
		c->lines = xreallocarray(NULL, n, sizeof *c->lines);
		for (i = 0; i < n; i++)
			c->lines[i] = xstrdup(lines[i]);
	}
	c->nlines = n;
	c->fn = fn;
	c->arg = arg;
	c->arg_free = arg_free;
	s->data = c;
	s->popup = 1;
	s->draw = confirm_draw;
	s->free = confirm_free;
	ui_push(ui, s);
}
