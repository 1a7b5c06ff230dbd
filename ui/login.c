/*
 * The login screen: an account and a hidden password, checked with
 * account_login (argon2id) on a standalone desk, with sync_login on a
 * desk with a backend (by the backend when it answers, else only for
 * accounts that logged in here before). Leaving asks only when something
 * is typed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

struct login {
	struct field	 account;
	struct field	 password;
	int		 focus;		/* 0 account, 1 password */
	char		 error[600];
};

static int
login_submit(struct ui *ui, struct screen *s)
{
	struct login	*l = s->data;
	struct account	*a;
	struct gerror	 err;
	enum gerr	 e;

	if (l->account.len == 0) {
		l->focus = 0;
		snprintf(l->error, sizeof l->error, "%s",
		    _("Type an account name."));
		return (UI_DRAW);
	}
	if (l->focus == 0) {
		l->focus = 1;
		return (UI_DRAW);
	}
	gerror_clear(&err);
	if (ui->cfg != NULL && ui->cfg->backend_url != NULL)
		e = sync_login(ui->store, ui->cfg->backend_url, l->account.buf,
		    l->password.buf, &a, &err);
	else
		e = account_login(ui->store, l->account.buf, l->password.buf,
		    &a, &err);
	if (e != GERR_OK) {
		snprintf(l->error, sizeof l->error, _("Login refused: %s"),
		    err.msg[0] ? err.msg : _("bad account or password"));
		memset(l->password.buf, 0, sizeof l->password.buf);
		l->password.len = l->password.pos = 0;
		ui_message(ui, 1, "%s", l->error);
		return (UI_DRAW | UI_STATUS);
	}
	memset(l->password.buf, 0, sizeof l->password.buf);
	ui->account = a;
	ui_pop(ui);
	ui_push(ui, grid_new(ui));
	ui_message(ui, 0, _("Logged in as %s."), a->login);
	ui_sync_start(ui);
	return (UI_DRAW_ALL | UI_STATUS | UI_HEADER);
}

static int
login_next(struct ui *ui, struct screen *s)
{
	struct login	*l = s->data;

	(void)ui;
	l->focus = !l->focus;
	return (UI_DRAW);
}

static int
login_text(struct ui *ui, struct screen *s, wint_t c)
{
	struct login	*l = s->data;

	(void)ui;
	l->error[0] = '\0';
	return (field_add(l->focus ? &l->password : &l->account, c) ?
	    UI_DRAW : 0);
}

static struct field *
login_field(struct screen *s)
{
	struct login	*l = s->data;

	return (l->focus ? &l->password : &l->account);
}

static int
login_half(struct screen *s)
{
	struct login	*l = s->data;

	return (l->account.len > 0 || l->password.len > 0);
}

static const struct key_entry login_keys[] = {
	{ '\r', N_("Enter"), N_("next field, then log in"), login_submit },
	{ '\t', N_("Tab"), N_("other field"), login_next },
	{ UI_FKEY(KEY_DOWN), N_("Down"), N_("other field"), login_next },
	{ UI_FKEY(KEY_UP), N_("Up"), N_("other field"), login_next },
	{ 27, N_("Esc"), N_("quit (asks if something is typed)"), ui_quit_key },
	{ 0, NULL, NULL, NULL }
};

static void
login_draw(struct ui *ui, struct screen *s, int all)
{
	struct login	*l = s->data;
	WINDOW		*w = s->win;
	int		 h, wd, y, x, i, cx, lw, n;

	(void)all;
	werase(w);
	getmaxyx(w, h, wd);
	y = h / 2 - 4 > 0 ? h / 2 - 4 : 0;
	x = wd / 2 - 20 > 0 ? wd / 2 - 20 : 0;
	wattron(w, A_BOLD);
	ui_put(w, y, x, _("guichet - reception desk"), wd - x);
	wattroff(w, A_BOLD);
	/* The fields start after the longer of the two labels. */
	lw = ui_width(_("Account:"));
	if (ui_width(_("Password:")) > lw)
		lw = ui_width(_("Password:"));
	lw += 2;
	ui_put(w, y + 2, x, _("Account:"), wd - x);
	ui_put(w, y + 2, x + lw, l->account.buf, wd - x - lw);
	ui_put(w, y + 3, x, _("Password:"), wd - x);
	wmove(w, y + 3, x + lw);
	for (i = 0; i < field_width(&l->password) && x + lw + i < wd; i++)
		waddch(w, '*');
	n = 0;
	if (l->error[0] != '\0') {
		/* A refusal offline says why at length: all of it shows. */
		wattrset(w, ui_attr(ui, C_ERROR));
		ui_put(w, y + 5, x, "! ", wd - x);
		n = ui_wrap(w, y + 5, x + 2, l->error, wd - x - 3 > 10 ?
		    wd - x - 3 : 10, 4) - 1;
		wattrset(w, A_NORMAL);
	}
	ui_put(w, y + 7 + (n > 0 ? n : 0), x,
	    _("Enter: next/log in   Esc: quit   F1: help"), wd - x);
	cx = x + lw + (l->focus ? field_cursor(&l->password) :
	    field_cursor(&l->account));
	wmove(w, y + 2 + l->focus, cx < wd ? cx : wd - 1);
	leaveok(w, FALSE);
	wnoutrefresh(w);
}

static void
login_free(struct screen *s)
{
	struct login	*l = s->data;

	memset(l, 0, sizeof *l);
	free(l);
	leaveok(s->win, TRUE);
}

struct screen *
login_new(const char *account)
{
	struct screen	*s = ui_screen_new(N_("Login"), login_keys);
	struct login	*l = xcalloc(1, sizeof *l);

	if (account != NULL) {
		field_set(&l->account, account, 0);
		l->focus = 1;
	}
	s->data = l;
	s->draw = login_draw;
	s->text = login_text;
	s->field = login_field;
	s->free = login_free;
	s->cursor = 1;
	s->half_filled = login_half;
	return (s);
}
