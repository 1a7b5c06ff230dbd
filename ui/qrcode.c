/*
 * The QR code of the validation page of the library under the grid's
 * cursor (SPEC.md section 7, "QR codes"), for staff with P5 on it: drawn
 * with half blocks, or with '#' when the terminal has no UTF-8 and is tall
 * enough; the establishment's code and the address under it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "qr.h"
#include "screen.h"
#include "xmalloc.h"

struct qrv {
	struct establishment	 e;
	struct qr		*q;
	char			*url;
	int			 invert;
};

static int
q_invert(struct ui *ui, struct screen *s)
{
	struct qrv	*v = s->data;

	(void)ui;
	v->invert = !v->invert;
	return (UI_DRAW);
}

static const struct key_entry qr_keys[] = {
	{ 'i', "i", N_("invert the QR code (for a light terminal)"),
	    q_invert },
	{ 0, NULL, NULL, NULL }
};

static void
q_draw(struct ui *ui, struct screen *s, int all)
{
	struct qrv	*v = s->data;
	char		*text = NULL, *line, *nl, code[96];
	int		 w = 0, h = 0, wh, wd, y, quiet;

	(void)all;
	/* The quiet zone a scanner wants, or a module less on a small
	 * terminal: the popup's border and the terminal's edge frame it. */
	for (quiet = QR_TERMINAL_QUIET; quiet >= 1 && text == NULL; quiet--) {
		text = qr_text(v->q, ui->utf8, v->invert, quiet, &w, &h);
		if (h + 2 > ui_body_lines() || w + 2 > COLS) {
			free(text);
			text = NULL;
		}
	}
	snprintf(code, sizeof code, _("Code: %s"), v->e.checkin_code);
	if (text == NULL) {
		/* Too small (or ASCII): say where to get it instead. */
		ui_popup(ui, s, 8, 72);
		getmaxyx(s->win, wh, wd);
		ui_wrap(s->win, 1, 2, _("This terminal has no UTF-8 or is too "
		    "small to draw the QR code: print its poster with guichet "
		    "qr LIBRARY --output poster.png."), wd - 4, 3);
		ui_put(s->win, 5, 2, code, wd - 4);
		ui_put(s->win, 6, 2, v->url, wd - 4);
		wnoutrefresh(s->win);
		return;
	}
	/* Under the code when there is room, else in the bottom border. */
	if (h + 5 <= ui_body_lines())
		ui_popup(ui, s, h + 5, w + 4 > 60 ? w + 4 : 60);
	else
		ui_popup(ui, s, h + 2, w + 4 > 30 ? w + 4 : 30);
	getmaxyx(s->win, wh, wd);
	for (line = text, y = 1; *line != '\0' && y < wh - 1; y++) {
		nl = strchr(line, '\n');
		*nl = '\0';
		ui_put(s->win, y, (wd - w) / 2, line, wd - 2);
		line = nl + 1;
	}
	wattron(s->win, A_BOLD);
	if (y + 3 <= wh) {
		wattroff(s->win, A_BOLD);
		ui_put(s->win, y++, 2, v->e.name, wd - 4);
		wattron(s->win, A_BOLD);
		ui_put(s->win, y++, 2, code, wd - 4);
		wattroff(s->win, A_BOLD);
		ui_put(s->win, y, 2, v->url, wd - 4);
	} else {
		mvwaddstr(s->win, wh - 1, 2, " ");
		ui_put(s->win, wh - 1, 3, code, wd - 6);
		waddstr(s->win, " ");
		wattroff(s->win, A_BOLD);
	}
	free(text);
	wnoutrefresh(s->win);
}

static void
q_free(struct screen *s)
{
	struct qrv	*v = s->data;

	qr_free(v->q);
	free(v->url);
	free(v);
}

struct screen *
qrcode_new(struct ui *ui)
{
	struct screen	*s;
	struct qrv	*v;
	struct gerror	 err;
	const char	*base = NULL;

	v = xcalloc(1, sizeof *v);
	if (library_find(ui, &v->e) != 0) {
		free(v);
		return (NULL);
	}
	gerror_clear(&err);
	if (rights_check(ui->store, ui->account, PERM_INFO, v->e.id, &err) !=
	    GERR_OK) {
		free(v);
		ui_message(ui, 1, _("no QR code: %s"), err.msg);
		return (NULL);
	}
	if (ui->cfg->link_base != NULL && ui->cfg->link_base[0] != '\0')
		base = ui->cfg->link_base;
	else if (ui->cfg->backend_url != NULL &&
	    (strncmp(ui->cfg->backend_url, "http://", 7) == 0 ||
	    strncmp(ui->cfg->backend_url, "https://", 8) == 0))
		base = ui->cfg->backend_url;
	if (base == NULL || v->e.checkin_code[0] == '\0') {
		free(v);
		ui_message(ui, 1, "%s", base == NULL ? _("no QR code: set "
		    "link_base in [mail] of guichet.ini (the public address "
		    "of guichetd)") : _("no QR code: this library has no "
		    "establishment code yet (P5)"));
		return (NULL);
	}
	v->url = qr_url(base, v->e.code, v->e.checkin_code);
	if (qr_make(v->url, &v->q, &err) != GERR_OK) {
		ui_message(ui, 1, "%s", err.msg);
		free(v->url);
		free(v);
		return (NULL);
	}
	s = ui_screen_new(N_("QR code"), qr_keys);
	s->data = v;
	s->popup = 1;
	s->common = 1;
	s->draw = q_draw;
	s->free = q_free;
	return (s);
}
