/*
 * The main loop of the full-screen interface. It owns the terminal, the
 * stack of screens, the clock tick and the redraws: handlers return a
 * bitmask (screen.h) and the loop redraws once, only the windows marked
 * dirty, with wnoutrefresh and one doupdate, so ncurses sends only the
 * cells that changed. KEY_RESIZE comes from ncurses: no signal handler.
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "domain.h"
#include "hours.h"
#include "ops.h"
#include "query.h"
#include "slot.h"
#include "sync.h"
#include "tz.h"
#include "ui.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

#define HEADER_LINES	2

static int	redraw_key(struct ui *, struct screen *);
static int	lastmsg_key(struct ui *, struct screen *);
static int	help_key(struct ui *, struct screen *);

const struct key_entry ui_global_keys[] = {
	{ UI_FKEY(KEY_F(1)), "F1", N_("help on this screen's keys"), help_key },
	{ UI_CTRL('l'), "^L", N_("read the data again and redraw the whole "
	    "screen"), redraw_key },
	{ UI_CTRL('c'), "^C", N_("quit (asks)"), ui_quit_key },
	{ UI_CTRL('g'), "^G", N_("the last message of the status line, whole"),
	    lastmsg_key },
	{ 0, NULL, NULL, NULL }
};

static int
redraw_key(struct ui *ui, struct screen *s)
{
	(void)ui;
	(void)s;
	clearok(curscr, TRUE);
	/* Another process may have written (a standalone desk's CLI). */
	return (UI_DRAW_ALL | UI_RELOAD | UI_HEADER);
}

static int
lastmsg_key(struct ui *ui, struct screen *s)
{
	(void)s;
	if (ui->lastmsg[0] == '\0')
		return (0);
	ui_push(ui, text_new(_("Last message"), ui->lastmsg));
	return (UI_DRAW);
}

static int
help_key(struct ui *ui, struct screen *s)
{
	ui_push(ui, help_new(ui, s));
	return (UI_DRAW);
}

static int
quit_yes(struct ui *ui, void *arg)
{
	(void)arg;
	(void)ui;
	return (UI_QUIT);
}

/*
 * Quit, asking first (mutt, calcurse): a q meant for a popup must not
 * close the desk. Before a login, ask only when something is typed.
 */
int
ui_quit_key(struct ui *ui, struct screen *s)
{
	struct screen	*p;

	(void)s;
	for (p = ui->top; p != NULL; p = p->below)
		if (p->half_filled != NULL && p->half_filled(p)) {
			ui_confirm(ui, _("A form is half filled: quit anyway?"),
			    NULL, 0, quit_yes, NULL,
			    NULL);
			return (UI_DRAW);
		}
	if (ui->account == NULL)
		return (UI_QUIT);
	ui_confirm(ui, _("Quit guichet?"), NULL, 0, quit_yes, NULL, NULL);
	return (UI_DRAW);
}

struct screen *
ui_screen_new(const char *title, const struct key_entry *keys)
{
	struct screen	*s = xcalloc(1, sizeof *s);

	s->title = title;
	s->keys = keys;
	return (s);
}

void
ui_push(struct ui *ui, struct screen *s)
{
	s->below = ui->top;
	ui->top = s;
	ui->pending |= UI_STATUS;
	if (s->win == NULL && !s->popup)
		s->win = ui->body;
}

void
ui_pop(struct ui *ui)
{
	struct screen	*s = ui->top;

	if (s == NULL)
		return;
	ui->top = s->below;
	ui->pending |= UI_STATUS | UI_DRAW_ALL;
	if (s->win != NULL && s->win != ui->body)
		delwin(s->win);
	if (s->free != NULL)
		s->free(s);
	if (s == ui->grid)
		ui->grid = NULL;
	free(s);
}

void
ui_message(struct ui *ui, int error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_error = error;
}

/* Attributes of a color, with a monochrome scheme. */
int
ui_attr(struct ui *ui, enum ui_color c)
{
	static const int mono[C__COUNT] = {
		[C_NORMAL] = A_NORMAL,	[C_HEADER] = A_REVERSE,
		[C_FREE] = A_NORMAL,	[C_BOOKED] = A_BOLD,
		[C_PENDING] = A_NORMAL,	[C_PRESENT] = A_BOLD,
		[C_LATE] = A_BOLD | A_UNDERLINE, [C_CLOSED] = A_DIM,
		[C_READONLY] = A_DIM,	[C_ERROR] = A_BOLD,
		[C_OK] = A_NORMAL,	[C_SESSION] = A_NORMAL,
		[C_GROUP] = A_BOLD,
	};

	if (!ui->color)
		return (mono[c]);
	switch (c) {
	case C_NORMAL:
		return (A_NORMAL);
	case C_LATE:
	case C_ERROR:
	case C_GROUP:
	case C_HEADER:
		return (COLOR_PAIR(c) | A_BOLD);
	default:
		return (COLOR_PAIR(c));
	}
}

static void
colors_init(struct ui *ui)
{
	static const struct {
		enum ui_color	 pair;
		enum slot	 slot;
	} slot_colors[] = {
		{ C_FREE, SLOT_FREE }, { C_BOOKED, SLOT_BOOKED },
		{ C_PENDING, SLOT_PENDING }, { C_PRESENT, SLOT_PRESENT },
		{ C_LATE, SLOT_LATE }, { C_CLOSED, SLOT_CLOSED },
		{ C_READONLY, SLOT_READONLY }, { C_SESSION, SLOT_SESSION },
	};
	const struct slot_info	*si;
	const char		*nc = getenv("NO_COLOR");
	const char		*mode = ui->cfg != NULL && ui->cfg->colors !=
				    NULL ? ui->cfg->colors : "auto";
	short			 bg = COLOR_BLACK;
	size_t			 i;

	ui->color = has_colors();
	if (strcmp(mode, "never") == 0 ||
	    (strcmp(mode, "always") != 0 && nc != NULL && nc[0] != '\0'))
		ui->color = 0;
	if (!ui->color)
		return;
	start_color();
	if (use_default_colors() == OK)
		bg = -1;
	init_pair(C_HEADER, COLOR_WHITE, COLOR_BLUE);
	/* The grid's states take their colours from the core's table. */
	for (i = 0; i < sizeof slot_colors / sizeof slot_colors[0]; i++) {
		si = slot_info(slot_colors[i].slot);
		init_pair(slot_colors[i].pair, si->fg, si->bg == -1 ? bg :
		    si->bg);
	}
	init_pair(C_ERROR, COLOR_RED, bg);
	init_pair(C_OK, COLOR_GREEN, bg);
	init_pair(C_GROUP, COLOR_YELLOW, bg);
}


int
ui_body_lines(void)
{
	return (LINES - HEADER_LINES - 1 > 1 ? LINES - HEADER_LINES - 1 : 1);
}

void
ui_popup(struct ui *ui, struct screen *s, int h, int w)
{
	int	mh = ui_body_lines(), y, x;

	if (h > mh)
		h = mh;
	if (w > COLS)
		w = COLS;
	if (h < 3)
		h = 3;
	if (w < 10)
		w = 10;
	y = HEADER_LINES + (mh - h) / 2;
	x = (COLS - w) / 2;
	if (s->win != NULL) {
		int	oh, ow, oy, ox;

		getmaxyx(s->win, oh, ow);
		getbegyx(s->win, oy, ox);
		if (oh != h || ow != w || oy != y || ox != x) {
			delwin(s->win);
			s->win = NULL;
		}
	}
	if (s->win == NULL) {
		s->win = newwin(h, w, y, x);
		leaveok(s->win, s->cursor ? FALSE : TRUE);
	}
	werase(s->win);
	wattrset(s->win, ui_attr(ui, C_NORMAL));
	if (ui->utf8)
		box_set(s->win, WACS_VLINE, WACS_HLINE);
	else
		wborder(s->win, '|', '|', '-', '-', '+', '+', '+', '+');
	if (s->title != NULL) {
		wattron(s->win, A_BOLD);
		mvwaddstr(s->win, 0, 2, " ");
		ui_put(s->win, 0, 3, _(s->title), w - 6);
		waddstr(s->win, " ");
		wattroff(s->win, A_BOLD);
	}
}


/* Whether the desk syncs with a backend. */
int
ui_has_backend(struct ui *ui)
{
	return (ui->cfg != NULL && ui->cfg->backend_url != NULL);
}

void
ui_sync_start(struct ui *ui)
{
	if (!ui_has_backend(ui) || ui->sync != NULL)
		return;
	ui->sync = sync_worker_start(store_path(ui->store),
	    ui->cfg->backend_url, ui->cfg->sync_seconds);
	if (ui->sync == NULL)
		ui_message(ui, 1, "%s", _("the background sync cannot start: "
		    "run 'guichet sync' from time to time"));
	ui_sync_poll(ui);
}

void
ui_wrote(struct ui *ui)
{
	sync_worker_kick(ui->sync);
	/* The pending count now, not at the next second's poll. */
	if (ui_has_backend(ui) && ui->account != NULL) {
		sync_state(ui->store, &ui->sync_rep);
		ui->pending |= UI_HEADER;
	}
}

int
ui_sync_now(struct ui *ui)
{
	if (!ui_has_backend(ui)) {
		ui_message(ui, 1, "%s", _("no backend: this desk is "
		    "standalone, there is nothing to sync"));
		return (UI_STATUS);
	}
	if (ui->sync == NULL) {
		ui_message(ui, 1, "%s", _("the background sync is not "
		    "running: run 'guichet sync'"));
		return (UI_STATUS);
	}
	sync_worker_kick(ui->sync);
	ui_message(ui, 0, _("syncing%s"), ui_sym(ui, "\xe2\x80\xa6", "..."));
	return (UI_STATUS | UI_HEADER);
}

int
ui_sync_poll(struct ui *ui)
{
	int64_t		 v;
	int		 old = ui->sync_rep.conflicts, r = UI_HEADER;

	if (!ui_has_backend(ui))
		return (0);
	sync_state(ui->store, &ui->sync_rep);
	if (ui->sync_rep.conflicts > old && ui->account != NULL) {
		ui_message(ui, 1, "%s", _("the backend refused a change made "
		    "here: C lists it, to call the patron back"));
		r |= UI_STATUS;
	}
	/*
	 * data_version changes when another connection commits: the
	 * worker wrote the replica (a pull, an undone booking), so the
	 * grid is read again then, and only then.
	 */
	v = store_data_version(ui->store);
	if (v != ui->data_version) {
		ui->data_version = v;
		r |= UI_RELOAD;
	}
	return (r);
}



/*
 * The status line: the last result, or the hints. A result too long for
 * the line is wrapped over up to three lines above it (over the bottom
 * of the screens, drawn again when it goes); longer still, its end is
 * one key away (^G).
 */
static void
status_draw(struct ui *ui)
{
	char	hints[600];
	int	w = COLS - 1, k, attr;

	werase(ui->status);
	if (ui->msgwin != NULL) {
		delwin(ui->msgwin);
		ui->msgwin = NULL;
	}
	if (ui->msg[0] != '\0') {
		attr = ui_attr(ui, ui->msg_error ? C_ERROR : C_OK);
		wattrset(ui->status, attr);
		snprintf(hints, sizeof hints, "%s%s", ui->msg_error ? "! " :
		    "", ui->msg);
		if (ui_width(hints) > w && w > 20 && LINES > 8) {
			if ((k = ui_wrap_lines(hints, w)) > 3)
				k = 3;
			ui->msgwin = newwin(k, COLS, LINES - k, 0);
			leaveok(ui->msgwin, TRUE);
			wbkgdset(ui->msgwin, ' ' | attr);
			werase(ui->msgwin);
			wattrset(ui->msgwin, attr);
			if (ui_wrap_lines(hints, w) > k) {
				ui_wrap(ui->msgwin, 0, 0, hints, w, k - 1);
				ui_put(ui->msgwin, k - 1, 0, _(" ... ^G: all"),
				    w);
			} else
				ui_wrap(ui->msgwin, 0, 0, hints, w, k);
			wnoutrefresh(ui->msgwin);
			return;
		}
	} else {
		wattrset(ui->status, A_DIM);
		keys_hints(ui->top, hints, sizeof hints);
	}
	ui_put(ui->status, 0, 0, hints, w);
	wattrset(ui->status, A_NORMAL);
	wnoutrefresh(ui->status);
}

static void
windows_make(struct ui *ui)
{
	int	bl = ui_body_lines();

	if (ui->header == NULL) {
		ui->header = newwin(HEADER_LINES, COLS, 0, 0);
		ui->body = newwin(bl, COLS, HEADER_LINES, 0);
		ui->status = newwin(1, COLS, LINES - 1, 0);
	} else {
		wresize(ui->header, HEADER_LINES, COLS);
		wresize(ui->body, bl, COLS);
		mvwin(ui->body, HEADER_LINES, 0);
		wresize(ui->status, 1, COLS);
		mvwin(ui->status, LINES - 1, 0);
	}
	leaveok(ui->header, TRUE);
	leaveok(ui->body, TRUE);
	leaveok(ui->status, TRUE);
}

/* Draw what is dirty, bottom to top, then send it all at once. */
static void
render(struct ui *ui, int dirty)
{
	struct screen	*stack[32], *p;
	int		 n = 0, i, all = dirty & UI_DRAW_ALL;

	if (all) {
		dirty |= UI_HEADER | UI_STATUS;
		/*
		 * get_wch reads through stdscr and refreshes it first when
		 * it is touched, and resizeterm touches it: blanks over
		 * the grid and popups. Send it now, under our windows.
		 */
		wnoutrefresh(stdscr);
	}
	if (dirty & UI_HEADER)
		header_draw(ui);
	for (p = ui->top; p != NULL && n < 32; p = p->below)
		stack[n++] = p;
	if (all) {
		for (i = n - 1; i >= 0; i--) {
			if (stack[i]->popup && stack[i]->win != NULL)
				touchwin(stack[i]->win);
			if (stack[i]->draw != NULL)
				stack[i]->draw(ui, stack[i], 1);
		}
	} else if ((dirty & UI_DRAW) && ui->top != NULL &&
	    ui->top->draw != NULL)
		ui->top->draw(ui, ui->top, 0);
	/* Last: a long message lies over the bottom of the screens. */
	if (dirty & UI_STATUS)
		status_draw(ui);
	else if (ui->msgwin != NULL) {
		touchwin(ui->msgwin);
		wnoutrefresh(ui->msgwin);
	}
	curs_set(ui->top != NULL && ui->top->cursor ? 1 : 0);
	doupdate();
}

/*
 * In keypad mode a terminal sends arrows as ESC O A (what terminfo says),
 * but some ignore keypad mode, or a TERM that does not match, and send
 * ESC [ A: without these, ncurses read ESC, [ and A, and the arrows did
 * nothing at all.
 */
static void
keys_alternates(void)
{
	static const struct {
		const char	*seq;
		int		 key;
	} alt[] = {
		{ "\033[A", KEY_UP },	{ "\033OA", KEY_UP },
		{ "\033[B", KEY_DOWN },	{ "\033OB", KEY_DOWN },
		{ "\033[C", KEY_RIGHT },	{ "\033OC", KEY_RIGHT },
		{ "\033[D", KEY_LEFT },	{ "\033OD", KEY_LEFT },
		{ "\033[H", KEY_HOME },	{ "\033OH", KEY_HOME },
		{ "\033[F", KEY_END },	{ "\033OF", KEY_END },
		{ "\033[1~", KEY_HOME },	{ "\033[4~", KEY_END },
		{ "\033[5~", KEY_PPAGE },	{ "\033[6~", KEY_NPAGE },
	};
	size_t	i;

	for (i = 0; i < sizeof alt / sizeof alt[0]; i++)
		if (key_defined(alt[i].seq) == 0)
			define_key(alt[i].seq, alt[i].key);
}

static int
dispatch(struct ui *ui, int key)
{
	const struct key_entry	*k;
	struct screen		*top = ui->top;

	if ((k = keys_lookup(top, key)) != NULL ||
	    (k = keys_find(ui_global_keys, key)) != NULL)
		return (k->fn(ui, top));
	return (-1);
}

/* Every screen on the stack reads its data again (a write, a sync). */
static void
reload_all(struct ui *ui)
{
	struct screen	*p;

	for (p = ui->top; p != NULL; p = p->below)
		if (p->reload != NULL)
			p->reload(ui, p);
}

/*
 * A standalone desk is its own backend: while the interface is open it
 * runs the sweep (R5 expiry, R6 auto-release) each minute, as guichetd
 * does. A desk with a backend leaves it to the backend.
 */
static int
ui_sweep(struct ui *ui)
{
	struct account	*sweeper;
	json_t		*p, *res = NULL;
	struct gerror	 err;
	int		 r = 0;

	if (ui_has_backend(ui) || store_desk(ui->store))
		return (0);
	sweeper = account_actor(ACTOR_SYSTEM, "sweeper");
	p = json_object();
	if (op_apply(ui->store, sweeper, NULL, "sweep", p, &res, &err) ==
	    GERR_OK && (json_integer_value(json_object_get(res, "expired")) >
	    0 || json_integer_value(json_object_get(res, "freed")) > 0))
		r = UI_RELOAD;
	json_decref(p);
	json_decref(res);
	account_free(sweeper);
	return (r);
}

int
ui_run(struct store *st, const struct conf *cfg, const char *account)
{
	struct ui	 ui;
	wint_t		 wc;
	int		 rc, dirty = UI_DRAW_ALL, r;
	time_t		 last = 0;
	int64_t		 minute = clock_now() / 60;
	const char	*cs;

	memset(&ui, 0, sizeof ui);
	ui.store = st;
	ui.cfg = cfg;
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	cs = nl_langinfo(CODESET);
	ui.utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0) && !(cfg != NULL && cfg->ascii);
	if (initscr() == NULL)
		return (1);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	keys_alternates();
	set_escdelay(25);
	colors_init(&ui);
	wnoutrefresh(stdscr);
	windows_make(&ui);
	if (cfg != NULL && cfg->library != NULL)
		snprintf(ui.library, sizeof ui.library, "%s", cfg->library);
	/* -u first, then [desk] account in guichet.ini. */
	if (account == NULL && cfg != NULL)
		account = cfg->account;
	ui_push(&ui, login_new(account));
	ui_sync_poll(&ui);
	ui_sweep(&ui);
	timeout(1000);

	while (ui.top != NULL) {
		if (dirty & UI_RELOAD) {
			reload_all(&ui);
			dirty |= UI_DRAW_ALL;
		}
		render(&ui, dirty);
		dirty = 0;
		rc = get_wch(&wc);
		if (clock_now() / 60 != minute) {
			minute = clock_now() / 60;
			dirty |= UI_RELOAD;	/* bookings turn late */
			dirty |= ui_sweep(&ui);
		}
		if (time(NULL) != last) {
			last = time(NULL);
			dirty |= UI_HEADER | ui_sync_poll(&ui);
		}
		if (rc == ERR)
			continue;
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
			windows_make(&ui);
			clearok(curscr, TRUE);
			dirty |= UI_DRAW_ALL;
			continue;
		}
		/* A new key clears the last result. */
		if (ui.msg[0] != '\0') {
			snprintf(ui.lastmsg, sizeof ui.lastmsg, "%s", ui.msg);
			ui.msg[0] = '\0';
			dirty |= UI_STATUS;
			/* What the wrapped message covered shows again. */
			if (ui.msgwin != NULL)
				dirty |= UI_DRAW_ALL;
		}
		/* Enter is one key whatever the terminal sends (htop). */
		if ((rc == KEY_CODE_YES && wc == KEY_ENTER) ||
		    (rc == OK && wc == '\n')) {
			rc = OK;
			wc = '\r';
		}
		if (rc == KEY_CODE_YES)
			r = dispatch(&ui, UI_FKEY(wc));
		else
			r = dispatch(&ui, (int)wc);
		if (r < 0 && rc == OK && ui.top->text != NULL)
			r = ui.top->text(&ui, ui.top, wc);
		if (r < 0)
			r = 0;
		if (r & UI_QUIT)
			break;
		dirty |= r | ui.pending;
		ui.pending = 0;
		if (ui.msg[0] != '\0')
			dirty |= UI_STATUS;
	}
	while (ui.top != NULL)
		ui_pop(&ui);
	if (ui.msgwin != NULL)
		delwin(ui.msgwin);
	delwin(ui.header);
	delwin(ui.body);
	delwin(ui.status);
	/* The screen first: a sync in flight may take a moment to end. */
	endwin();
	sync_worker_stop(ui.sync);
	account_free(ui.account);
	return (ui.exit);
}
