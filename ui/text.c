/*
 * Text on the screen: UTF-8 printed, measured and wrapped by columns (a
 * byte the locale cannot read shows as one '?', never cuts a line), the
 * ASCII stand-ins of symbols, and the core's names of statuses, origins
 * and resource types in the agent's language.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "domain.h"
#include "i18n.h"
#include "screen.h"

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

/* The bytes of a text's first cols columns. */
static size_t
prefix_bytes(const char *text, int cols)
{
	wchar_t		 wc;
	mbstate_t	 ps;
	size_t		 k, left = strlen(text), at = 0;
	int		 used = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (left > 0 && (k = next_char(text + at, left, &ps, &wc, &cw)) !=
	    0 && used + cw <= cols) {
		used += cw;
		at += k;
		left -= k;
	}
	return (at > 0 ? at : 1);
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
	int		 used = 0, cut;

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
		/* A word wider than the line is cut, never lost. */
		while (line[0] == '\0' && ui_width(word) > w && used < max) {
			cut = ui_put(win, y + used++, x, word, w);
			memmove(word, word + prefix_bytes(word, cut),
			    strlen(word + prefix_bytes(word, cut)) + 1);
		}
		if (used >= max)
			break;
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
ui_wrap_lines(const char *text, int w)
{
	const char	*p = text, *sp;
	size_t		 n;
	int		 lines = 0, col = 0, ww;
	char		 word[600];

	while (*p != '\0') {
		sp = strchr(p, ' ');
		n = sp != NULL ? (size_t)(sp - p) : strlen(p);
		snprintf(word, sizeof word, "%.*s", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
		ww = ui_width(word);
		if (col > 0 && col + 1 + ww > w) {
			lines++;
			col = 0;
		}
		if (col == 0 && ww > w) {
			lines += ww / w;
			ww %= w;
		}
		col += (col > 0 ? 1 : 0) + ww;
	}
	return (lines + (col > 0));
}

int
ui_heading(struct ui *ui, WINDOW *w, const char *title, const char *ro)
{
	char	line[600];
	int	y = 1;

	wattrset(w, A_BOLD);
	ui_put(w, 0, 1, title, getmaxx(w) - 2);
	wattrset(w, A_NORMAL);
	if (ro != NULL && ro[0] != '\0') {
		wattrset(w, ui_attr(ui, C_READONLY));
		snprintf(line, sizeof line, _("read-only: %s"), ro);
		y += ui_wrap(w, y, 1, line, getmaxx(w) - 2, 2);
		wattrset(w, A_NORMAL);
	}
	return (y + 1);
}

void
ui_row(WINDOW *w, int y, const char *line, int cur, int attr)
{
	int	wd = getmaxx(w);

	wattrset(w, cur ? (int)A_REVERSE : attr);
	mvwhline(w, y, 0, ' ', wd);
	ui_put(w, y, 0, cur ? ">" : " ", 1);
	ui_put(w, y, 2, line, wd - 3);
	wattrset(w, A_NORMAL);
}
