/*
 * A one-line question (a date, an e-mail, a reason). The default answer
 * shows selected: the first key typed replaces it. Enter checks the
 * answer (the prompt stays open, the text kept, when it is refused), then
 * closes and hands the text to the callback with the caller's argument.
 * Esc asks before dropping typed text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

struct prompt {
	char		 label[256];
	struct field	 f;
	char		 def[256];	/* the default: not "typed text" */
	prompt_fn	 check;
	prompt_fn	 done;
	void		*arg;
};

static int
p_done(struct ui *ui, struct screen *s)
{
	struct prompt	*p = s->data;
	prompt_fn	 done = p->done;
	void		*arg = p->arg;
	char		 text[sizeof p->f.buf];
	int		 r;

	snprintf(text, sizeof text, "%s", p->f.buf);
	if (p->check != NULL && (r = p->check(ui, text, arg)) != 0) {
		p->f.fresh = 0;
		return (r | UI_DRAW | UI_STATUS);
	}
	ui_pop(ui);
	return (done(ui, text, arg) | UI_DRAW_ALL);
}

static int
p_half(struct screen *s)
{
	struct prompt	*p = s->data;

	return (p->f.len > 0 && strcmp(p->f.buf, p->def) != 0);
}

static int
drop_yes(struct ui *ui, void *arg)
{
	(void)arg;
	ui_pop(ui);
	ui_message(ui, 0, "%s", _("Nothing done."));
	return (UI_DRAW_ALL | UI_STATUS);
}

static int
p_cancel(struct ui *ui, struct screen *s)
{
	if (p_half(s)) {
		ui_confirm(ui, _("Drop the text typed?"), NULL, 0, drop_yes,
		    NULL, NULL);
		return (UI_DRAW);
	}
	ui_pop(ui);
	return (UI_DRAW_ALL);
}

static int
p_text(struct ui *ui, struct screen *s, wint_t c)
{
	struct prompt	*p = s->data;

	(void)ui;
	return (field_add(&p->f, c) ? UI_DRAW : 0);
}

static struct field *
p_field(struct screen *s)
{
	return (&((struct prompt *)s->data)->f);
}

static const struct key_entry prompt_keys[] = {
	{ '\r', N_("Enter"), N_("done"), p_done },
	{ 27, N_("Esc"), N_("cancel (asks if text is typed)"), p_cancel },
	{ 0, NULL, NULL, NULL }
};

static void
p_draw(struct ui *ui, struct screen *s, int all)
{
	struct prompt	*p = s->data;
	int		 wd, x, lw, y = 2, h;

	(void)all;
	/* A long label takes its own lines above the answer. */
	lw = ui_width(p->label);
	h = lw > 48 ? 6 : 5;
	ui_popup(ui, s, h, 72);
	wd = getmaxx(s->win);
	if (lw > 48) {
		ui_wrap(s->win, 1, 2, p->label, wd - 4, 2);
		y = 3;
		x = 2;
	} else
		x = 2 + ui_put(s->win, 2, 2, p->label, wd - 4);
	wattrset(s->win, p->f.fresh ? A_REVERSE : A_UNDERLINE);
	mvwhline(s->win, y, x, ' ', wd - x - 2);
	ui_put(s->win, y, x, p->f.buf, wd - x - 2);
	wattrset(s->win, A_NORMAL);
	x += field_cursor(&p->f);
	wmove(s->win, y, x < wd - 2 ? x : wd - 2);
	wnoutrefresh(s->win);
}

static void
p_free(struct screen *s)
{
	free(s->data);
}

struct screen *
prompt_new(const char *title, const char *label, const char *def,
    prompt_fn check, prompt_fn done, void *arg)
{
	struct screen	*s = ui_screen_new(title, prompt_keys);
	struct prompt	*p = xcalloc(1, sizeof *p);

	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->def, sizeof p->def, "%s", def != NULL ? def : "");
	field_set(&p->f, p->def, 1);
	p->check = check;
	p->done = done;
	p->arg = arg;
	s->data = p;
	s->popup = 1;
	s->cursor = 1;
	s->draw = p_draw;
	s->text = p_text;
	s->field = p_field;
	s->free = p_free;
	s->half_filled = p_half;
	return (s);
}

int
prompt_push(struct ui *ui, const char *title, const char *label,
    const char *def, prompt_fn check, prompt_fn done, void *arg)
{
	ui_push(ui, prompt_new(title, label, def, check, done, arg));
	return (UI_DRAW);
}
