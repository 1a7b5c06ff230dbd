/*
 * A one-line question (a date, an e-mail, a reason). Enter closes it and
 * hands the text to the callback with the caller's argument.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

struct prompt {
	char		 label[128];
	char		 arg[64];
	struct field	 f;
	int		(*fn)(struct ui *, const char *, const char *);
};

static int
p_done(struct ui *ui, struct screen *s)
{
	struct prompt	*p = s->data;
	int		(*fn)(struct ui *, const char *, const char *) = p->fn;
	char		 text[sizeof p->f.buf], arg[sizeof p->arg];

	snprintf(text, sizeof text, "%s", p->f.buf);
	snprintf(arg, sizeof arg, "%s", p->arg);
	ui_pop(ui);
	return (fn(ui, text, arg) | UI_DRAW_ALL);
}

static int
p_cancel(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_pop(ui);
	return (UI_DRAW_ALL);
}

static int
p_back(struct ui *ui, struct screen *s)
{
	struct prompt	*p = s->data;

	(void)ui;
	return (field_backspace(&p->f) ? UI_DRAW : 0);
}

static int
p_text(struct ui *ui, struct screen *s, wint_t c)
{
	struct prompt	*p = s->data;

	(void)ui;
	return (field_add(&p->f, c) ? UI_DRAW : 0);
}

static int
p_half(struct screen *s)
{
	struct prompt	*p = s->data;

	return (p->f.len > 0);
}

static const struct key_entry prompt_keys[] = {
	{ '\r', N_("Enter"), N_("done"), p_done },
	{ '\n', N_("Enter"), N_("done"), p_done },
	{ UI_FKEY(KEY_ENTER), N_("Enter"), N_("done"), p_done },
	{ 27, N_("Esc"), N_("cancel"), p_cancel },
	{ UI_FKEY(KEY_BACKSPACE), N_("Backspace"), N_("erase a character"),
	    p_back },
	{ 127, N_("Backspace"), N_("erase a character"), p_back },
	{ 8, "^H", N_("erase a character"), p_back },
	{ 0, NULL, NULL, NULL }
};

static void
p_draw(struct ui *ui, struct screen *s, int all)
{
	struct prompt	*p = s->data;
	int		 wd, x;

	(void)all;
	ui_popup(ui, s, 5, 70);
	wd = getmaxx(s->win);
	x = 2 + ui_put(s->win, 2, 2, p->label, wd - 4);
	wattrset(s->win, A_UNDERLINE);
	mvwhline(s->win, 2, x, ' ', wd - x - 2);
	ui_put(s->win, 2, x, p->f.buf, wd - x - 2);
	wattrset(s->win, A_NORMAL);
	x += field_width(&p->f);
	wmove(s->win, 2, x < wd - 2 ? x : wd - 2);
	wnoutrefresh(s->win);
}

static void
p_free(struct screen *s)
{
	free(s->data);
}

struct screen *
prompt_new(const char *title, const char *label, const char *arg,
    int (*fn)(struct ui *, const char *, const char *))
{
	struct screen	*s = ui_screen_new(title, prompt_keys);
	struct prompt	*p = xcalloc(1, sizeof *p);

	snprintf(p->label, sizeof p->label, "%s", label);
	/* arg doubles as the default text for short answers. */
	snprintf(p->arg, sizeof p->arg, "%s", arg);
	if (strlen(arg) < 8) {
		snprintf(p->f.buf, sizeof p->f.buf, "%s", arg);
		p->f.len = strlen(p->f.buf);
	}
	p->fn = fn;
	s->data = p;
	s->popup = 1;
	s->cursor = 1;
	s->draw = p_draw;
	s->text = p_text;
	s->free = p_free;
	s->half_filled = p_half;
	return (s);
}
