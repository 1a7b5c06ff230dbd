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
static int	help_key(struct ui *, struct screen *);

const struct key_entry ui_global_keys[] = {
	{ UI_FKEY(KEY_F(1)), "F1", N_("help on this screen's keys"), help_key },
	{ UI_CTRL('l'), "^L", N_("redraw the whole screen"), redraw_key },
	{ UI_CTRL('c'), "^C", N_("quit (asks if a form is half filled)"),
	    ui_quit_key },
	{ 0, NULL, NULL, NULL }
};

static int
redraw_key(struct ui *ui, struct screen *s)
{
	(void)ui;
	(void)s;
	clearok(curscr, TRUE);
	return (UI_DRAW_ALL);
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

/* Quit; ask only when typed text would be lost. */
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
	return (UI_QUIT);
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

/* A symbol, or its ASCII stand-in when the terminal is not UTF-8. */
const char *
ui_sym(struct ui *ui, const char *utf8, const char *ascii)
{
	return (ui->utf8 ? utf8 : ascii);
}

/*
 * The next character of a text and its width: a byte the locale cannot
 * read (UTF-8 data on a terminal in the C locale) stands for one '?' with
 * the continuation bytes after it, so that text is marked, never cut.
 * Returns the bytes used, 0 at the end.
 */
static size_t
next_char(const char *text, size_t left, mbstate_t *ps, wchar_t *wc,
    int *width)
{
	size_t	k = mbrtowc(wc, text, left, ps);

	if (k == 0)
		return (0);
	if (k == (size_t)-1 || k == (size_t)-2) {
		memset(ps, 0, sizeof *ps);
		*wc = L'?';
		*width = 1;
		for (k = 1; k < left && ((unsigned char)text[k] & 0xc0) == 0x80;
		    k++)
			;
		return (k);
	}
	*width = wcwidth(*wc);
	if (*width < 0)
		*width = 1;
	return (k);
}

int
ui_put(WINDOW *w, int y, int x, const char *text, int n)
{
	wchar_t		 wc;
	mbstate_t	 ps;
	size_t		 k, left = strlen(text);
	int		 used = 0, cw;

	if (n <= 0)
		return (0);
	wmove(w, y, x);
	memset(&ps, 0, sizeof ps);
	while (left > 0 && (k = next_char(text, left, &ps, &wc, &cw)) != 0) {
		if (used + cw > n)
			break;
		waddnwstr(w, &wc, 1);
		used += cw;
		text += k;
		left -= k;
	}
	return (used);
}

int
ui_wrap(WINDOW *win, int y, int x, const char *text, int w, int max)
{
	char		 line[600], word[600];
	const char	*p = text, *sp;
	size_t		 n;
	int		 used = 0;

	line[0] = '\0';
	while (*p != '\0' && used < max) {
		sp = strchr(p, ' ');
		n = sp != NULL ? (size_t)(sp - p) : strlen(p);
		snprintf(word, sizeof word, "%.*s", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
		if (line[0] != '\0' && ui_width(line) + 1 + ui_width(word) >
		    w) {
			ui_put(win, y + used++, x, line, w);
			line[0] = '\0';
		}
		if (line[0] != '\0')
			strncat(line, " ", sizeof line - strlen(line) - 1);
		strncat(line, word, sizeof line - strlen(line) - 1);
	}
	if (line[0] != '\0' && used < max)
		ui_put(win, y + used++, x, line, w);
	return (used);
}

int
ui_width(const char *text)
{
	wchar_t		 wc;
	mbstate_t	 ps;
	size_t		 k, left = strlen(text);
	int		 used = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (left > 0 && (k = next_char(text, left, &ps, &wc, &cw)) != 0) {
		used += cw;
		text += k;
		left -= k;
	}
	return (used);
}

/*
 * The core names statuses, origins and types for machines and logs
 * (domain.c); the screens show them in the agent's language.
 */
const char *
ui_status(enum status st)
{
	static const char *const names[STATUS__COUNT] = {
		[STATUS_PENDING] = N_("pending confirmation"),
		[STATUS_CONFIRMED] = N_("confirmed"),
		[STATUS_PRESENT] = N_("present"),
		[STATUS_CANCELLED] = N_("cancelled"),
		[STATUS_NO_SHOW] = N_("no-show"),
		[STATUS_EXPIRED] = N_("expired"),
	};

	return ((unsigned)st < STATUS__COUNT && names[st] != NULL ?
	    _(names[st]) : status_name(st));
}

const char *
ui_origin(enum origin o)
{
	static const char *const names[ORIGIN__COUNT] = {
		[ORIGIN_WEB] = N_("web"),
		[ORIGIN_APP] = N_("app"),
		[ORIGIN_PHONE] = N_("phone"),
		[ORIGIN_WALK_IN] = N_("walk-in"),
		[ORIGIN_DESK] = N_("desk"),
	};

	return ((unsigned)o < ORIGIN__COUNT && names[o] != NULL ?
	    _(names[o]) : origin_name(o));
}

const char *
ui_rtype(enum rtype t)
{
	static const char *const names[RTYPE__COUNT] = {
		[RTYPE_GROUP_ROOM] = N_("group room"),
		[RTYPE_CARREL] = N_("carrel"),
		[RTYPE_SEAT] = N_("seat"),
		[RTYPE_EQUIPMENT] = N_("equipment"),
		[RTYPE_WORKSHOP] = N_("workshop"),
		[RTYPE_VISIT] = N_("guided tour"),
		[RTYPE_TRAINING] = N_("training"),
		[RTYPE_TRAINING_ROOM] = N_("training room"),
		[RTYPE_MEETING_ROOM] = N_("meeting room"),
	};

	return ((unsigned)t < RTYPE__COUNT && names[t] != NULL ?
	    _(names[t]) : rtype_label(t));
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

/* The confirmation popup: a question, optional lines, y or n. */
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

/* Whether the desk syncs with a backend. */
static int
has_backend(struct ui *ui)
{
	return (ui->cfg != NULL && ui->cfg->backend_url != NULL);
}

void
ui_sync_start(struct ui *ui)
{
	if (!has_backend(ui) || ui->sync != NULL)
		return;
	ui->sync = sync_worker_start(store_path(ui->s), ui->cfg->backend_url,
	    ui->cfg->sync_seconds);
	if (ui->sync == NULL)
		ui_message(ui, 1, "%s", _("the background sync cannot start: "
		    "run 'guichet sync' from time to time"));
	ui_sync_poll(ui);
}

void
ui_wrote(struct ui *ui)
{
	sync_worker_kick(ui->sync);
}

int
ui_sync_now(struct ui *ui)
{
	if (!has_backend(ui)) {
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

	if (!has_backend(ui))
		return (0);
	sync_state(ui->s, &ui->sync_rep);
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
	v = store_data_version(ui->s);
	if (v != ui->data_version) {
		ui->data_version = v;
		r |= UI_RELOAD;
	}
	return (r);
}

/*
 * What the header says of the backend: state and pending operations, in
 * words, so that offline shows without colors too.
 */
static void
sync_text(struct ui *ui, char *out, size_t size)
{
	const struct sync_report	*r = &ui->sync_rep;
	const char			*dash = ui_sym(ui, "\xe2\x80\x94", "-");

	if (!has_backend(ui))
		snprintf(out, size, "%s", _("standalone"));
	else if (ui->account == NULL)
		out[0] = '\0';		/* no sync before a login */
	else if (r->online && r->pending == 0)
		snprintf(out, size, "%s", _("online"));
	else if (r->online)
		snprintf(out, size, ngettext("online %s %d pending",
		    "online %s %d pending", r->pending), dash, r->pending);
	else if (r->last_error[0] == '\0' && r->last_sync[0] == '\0')
		snprintf(out, size, ngettext("not synced yet %s %d pending",
		    "not synced yet %s %d pending", r->pending), dash,
		    r->pending);
	else
		snprintf(out, size, ngettext("offline %s %d pending",
		    "offline %s %d pending", r->pending), dash, r->pending);
}

/* The second line's note on sync: the last good one, open conflicts. */
static int
sync_note(struct ui *ui, const char *tz, int x)
{
	const struct sync_report	*r = &ui->sync_rep;
	char				 text[128], hhmm[TZ_HHMM_LEN];
	int64_t				 t;
	int32_t				 day;
	int				 min, off;

	if (!has_backend(ui) || ui->account == NULL || x >= COLS - 4)
		return (x);
	if (r->last_sync[0] != '\0' &&
	    clock_parse_iso(r->last_sync, "UTC", &t) == 0) {
		tz_utc_to_local(tz, t, &day, &min, &off);
		tz_format_hhmm(min, hhmm);
		snprintf(text, sizeof text, _("  last sync %s"), hhmm);
		x += ui_put(ui->header, 1, x, text, COLS - x);
	}
	if (r->conflicts > 0 && x < COLS - 4) {
		snprintf(text, sizeof text, ngettext("  ! %d conflict "
		    "(C)", "  ! %d conflicts (C)", r->conflicts),
		    r->conflicts);
		wattron(ui->header, A_BOLD);
		x += ui_put(ui->header, 1, x, text, COLS - x);
		wattroff(ui->header, A_BOLD);
	}
	return (x);
}

static void
header_draw(struct ui *ui)
{
	struct establishment	 e;
	struct message_info	*m = NULL;
	size_t			 nm = 0, i;
	char			 line[1024], date[TZ_DATE_LEN], state[128];
	char			 mline[sizeof m->text + CODE_LEN + 16];
	const char		*tz = TZ_DEFAULT;
	int64_t			 now = clock_now();
	int32_t			 day;
	int			 min, off, len, x;
	static const char *const wd[] = { "", N_("Mon"), N_("Tue"),
	    N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };

	memset(&e, 0, sizeof e);
	if (ui->library[0] != '\0' &&
	    establishment_find(ui->s, ui->library, &e) == GERR_OK)
		tz = e.tz;
	tz_utc_to_local(tz, now, &day, &min, &off);
	tz_format_date(day, date);
	sync_text(ui, state, sizeof state);
	werase(ui->header);
	wbkgdset(ui->header, ' ' | ui_attr(ui, C_HEADER));
	wattrset(ui->header, ui_attr(ui, C_HEADER));
	for (x = 0; x < COLS; x++) {
		mvwaddch(ui->header, 0, x, ' ');
		mvwaddch(ui->header, 1, x, ' ');
	}
	len = snprintf(line, sizeof line, " %s %s %s %02d:%02d:%02d  "
	    "%s%s%s", e.code[0] ? e.code : "guichet",
	    _(wd[tz_weekday(day)]), date, min / 60, min % 60,
	    (int)(((now % 60) + 60) % 60), state, state[0] ? "  " : "",
	    ui->account != NULL ? ui->account->login : _("(not logged in)"));
	(void)len;
	ui_put(ui->header, 0, 0, line, COLS);
	if (e.name[0] != '\0' && COLS > 70) {
		int	room = COLS - ui_width(line) - 2;

		if (room > 8)
			ui_put(ui->header, 0, COLS - room, e.name, room - 1);
	}
	x = 0;
	if (e.code[0] != '\0') {
		snprintf(line, sizeof line, _(" occupancy %d%% (%d/%d)"),
		    e.jauge > 0 ? e.occupancy * 100 / e.jauge : 0,
		    e.occupancy, e.jauge);
		x = ui_put(ui->header, 1, 0, line, COLS);
		query_messages(ui->s, e.code, "popup", now, &m, &nm);
	}
	x = sync_note(ui, tz, x);
	for (i = 0; i < nm && x < COLS - 4; i++) {
		snprintf(mline, sizeof mline, "  %s %s: %s",
		    ui_sym(ui, "\xe2\x96\xb2", "!"), m[i].establishment,
		    m[i].text);
		x += ui_put(ui->header, 1, x, mline, COLS - x);
	}
	free(m);
	wnoutrefresh(ui->header);
}

static void
status_draw(struct ui *ui)
{
	char	hints[600];

	werase(ui->status);
	if (ui->msg[0] != '\0') {
		wattrset(ui->status, ui_attr(ui, ui->msg_error ? C_ERROR :
		    C_OK));
		snprintf(hints, sizeof hints, "%s%s", ui->msg_error ? "! " :
		    "", ui->msg);
	} else {
		wattrset(ui->status, A_DIM);
		keys_hints(ui->top != NULL ? ui->top->keys : NULL, hints,
		    sizeof hints);
	}
	ui_put(ui->status, 0, 0, hints, COLS - 1);
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
	if (dirty & UI_STATUS)
		status_draw(ui);
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

	if ((k = keys_find(top->keys, key)) != NULL ||
	    (k = keys_find(ui_global_keys, key)) != NULL)
		return (k->fn(ui, top));
	return (-1);
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

	if (has_backend(ui) || store_desk(ui->s))
		return (0);
	sweeper = account_actor(ACTOR_SYSTEM, "sweeper");
	p = json_object();
	if (op_apply(ui->s, sweeper, NULL, "sweep", p, &res, &err) ==
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
	ui.s = st;
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
	ui_push(&ui, login_new(account));
	ui_sync_poll(&ui);
	ui_sweep(&ui);
	timeout(1000);

	while (ui.top != NULL) {
		if (dirty & UI_RELOAD) {
			grid_reload(&ui);
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
			ui.msg[0] = '\0';
			dirty |= UI_STATUS;
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
	delwin(ui.header);
	delwin(ui.body);
	delwin(ui.status);
	/* The screen first: a sync in flight may take a moment to end. */
	endwin();
	sync_worker_stop(ui.sync);
	account_free(ui.account);
	return (ui.exit);
}

void *
ui_find(struct ui *ui, const struct key_entry *keys)
{
	struct screen	*s;

	for (s = ui->top; s != NULL; s = s->below)
		if (s->keys == keys)
			return (s->data);
	return (NULL);
}
