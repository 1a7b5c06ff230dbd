/*
 * The statistics screen (P6) of the library under the grid's cursor, over
 * a month: from its first day to today, or a whole past month, moved by
 * one key. By room: bookings, booked hours, present, no-shows and their
 * rate; the same by ISO week; then the mean head count of each hour of
 * the day as horizontal bars (UTF-8 blocks, '#' without UTF-8), scaled to
 * the busiest hour, with the figures. One key writes the statistics as
 * CSV, the shape of 'guichet stats --csv', to a file named in a prompt.
 * The lines are made again at each draw: the window's width decides the
 * bars' length.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "rules.h"
#include "stats.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

struct statv {
	struct establishment	 e;
	int32_t			 today;
	int			 month;		/* 0 this one, -1 the last... */
	int32_t			 from, to;
	struct stats		 st;
	int			 ok;		/* st was read */
	struct nav		 nav;		/* scrolls, stops at the end */
};


/* The window of the month: its first day to its last, or to today. */
static void
sv_load(struct ui *ui, struct statv *v)
{
	int	y, m, d;

	tz_civil_from_days(v->today, &y, &m, &d);
	m += v->month;
	while (m < 1) {
		m += 12;
		y--;
	}
	v->from = tz_days_from_civil(y, m, 1);
	v->to = v->month == 0 ? v->today : v->from + tz_month_days(y, m) - 1;
	if (v->ok)
		stats_free(&v->st);
	v->ok = stats_collect(ui->store, v->e.code, v->from, v->to, &v->st) ==
	    GERR_OK;
	if (!v->ok)
		ui_message(ui, 1, "%s", _("cannot read the statistics"));
	v->nav.top = 0;
}

/* No-shows against bookings, in per cent. */
static int
rate(int no_show, int bookings)
{
	return (bookings > 0 ? (no_show * 100 + bookings / 2) / bookings : 0);
}

/* A line of the table: the label, then the figures. */
static void
row_line(char *out, size_t size, const char *label, int bookings,
    int minutes, int present, int no_show)
{
	char	hours[16];

	rules_format_minutes(minutes, hours);
	snprintf(out, size, "%-15s %8d %8s %8d %8d %5d %%", label, bookings,
	    hours, present, no_show, rate(no_show, bookings));
}

/*
 * Text right-aligned on w columns, not bytes: "PRÉSENTS" is 9 bytes and
 * 8 columns, and printf's %8s put the French headings out of line.
 */
static size_t
rpad(char *out, size_t size, const char *text, int w)
{
	int	pad = w - ui_width(text);

	return ((size_t)snprintf(out, size, "%*s%s", pad > 0 ? pad : 0, "",
	    text));
}

/* The headings of a table, in the columns of row_line. */
static void
heading(char *out, size_t size, const char *first)
{
	static const char *const col[] = { N_("BOOKINGS"), N_("HOURS"),
	    N_("PRESENT"), N_("NO-SHOW") };
	size_t	len, i;
	int	pad = 15 - ui_width(first);

	len = (size_t)snprintf(out, size, "%s%*s", first, pad > 0 ? pad : 0,
	    "");
	for (i = 0; i < 4 && len + 1 < size; i++) {
		out[len++] = ' ';
		len += rpad(out + len, size - len, _(col[i]), 8);
	}
	if (len + 1 < size) {
		out[len++] = ' ';
		rpad(out + len, size - len, _("RATE"), 7);
	}
}

/* Put line n if it is on screen; returns n + 1. */
static int
put(WINDOW *w, struct statv *v, int n, const char *text, int attr)
{
	int	wh = getmaxy(w), y = n - v->nav.top + 1;

	if (n >= v->nav.top && y < wh) {
		wattrset(w, attr);
		ui_put(w, y, 1, text, getmaxx(w) - 2);
		wattrset(w, A_NORMAL);
	}
	return (n + 1);
}

/* The bar of a value against the largest, in at most width columns. */
static void
bar(struct ui *ui, char *out, size_t size, double value, double max,
    int width)
{
	static const char *const part[8] = { "", "\xe2\x96\x8f",
	    "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b",
	    "\xe2\x96\x8a", "\xe2\x96\x89" };
	int	eighths, i;
	size_t	len = 0;

	out[0] = '\0';
	eighths = max > 0 ? (int)(value * width * 8 / max + 0.5) : 0;
	if (value > 0 && eighths == 0)
		eighths = 1;	/* a head count is never drawn as none */
	if (!ui->utf8) {
		for (i = 0; i < (eighths + 4) / 8 && len + 1 < size; i++)
			out[len++] = '#';
		if (len == 0 && value > 0 && len + 1 < size)
			out[len++] = '#';
		out[len] = '\0';
		return;
	}
	for (i = 0; i < eighths / 8 && len + 4 < size; i++) {
		memcpy(out + len, "\xe2\x96\x88", 3);
		len += 3;
	}
	out[len] = '\0';
	if (eighths % 8 != 0 && len + 4 < size)
		strncat(out, part[eighths % 8], size - len - 1);
}

static void
stats_draw(struct ui *ui, struct screen *s, int all)
{
	struct statv		*v = s->data;
	struct stats		*st = &v->st;
	const struct stats_row	*r;
	WINDOW			*w = s->win;
	char			 line[512], b[400], d0[TZ_DATE_LEN];
	char			 d1[TZ_DATE_LEN], week[16];
	double			 max = 0;
	size_t			 i, k;
	int			 n = 0, wd, h, width, any = 0, bk, mn, pr, ns;

	(void)all;
	wd = getmaxx(w);
	werase(w);
	tz_format_date(v->from, d0);
	tz_format_date(v->to, d1);
	wattrset(w, A_BOLD);
	snprintf(line, sizeof line, _("Statistics of %s from %s to %s"),
	    v->e.code, d0, d1);
	ui_put(w, 0, 1, line, wd - 2);
	wattrset(w, A_NORMAL);
	if (!v->ok) {
		wnoutrefresh(w);
		return;
	}
	heading(line, sizeof line, _("ROOM"));
	n = put(w, v, n, line, A_BOLD);
	for (i = 0; i < st->nrows; i++) {
		r = &st->rows[i];
		if (r->week[0] != '\0')
			continue;
		row_line(line, sizeof line, r->resource, r->bookings,
		    r->minutes, r->present, r->no_show);
		n = put(w, v, n, line, A_NORMAL);
		any = 1;
	}
	if (!any)
		n = put(w, v, n, _("No booking in this window."), A_NORMAL);
	n = put(w, v, n, "", A_NORMAL);
	/* By week: the weeks of every room, summed; rows are by week. */
	heading(line, sizeof line, _("WEEK"));
	n = put(w, v, n, line, A_BOLD);
	week[0] = '\0';
	for (;;) {
		char	next[16] = "";

		/* The smallest week after the last one shown. */
		for (i = 0; i < st->nrows; i++)
			if (st->rows[i].week[0] != '\0' &&
			    strcmp(st->rows[i].week, week) > 0 &&
			    (next[0] == '\0' ||
			    strcmp(st->rows[i].week, next) < 0))
				snprintf(next, sizeof next, "%s",
				    st->rows[i].week);
		if (next[0] == '\0')
			break;
		bk = mn = pr = ns = 0;
		for (k = 0; k < st->nrows; k++)
			if (strcmp(st->rows[k].week, next) == 0) {
				bk += st->rows[k].bookings;
				mn += st->rows[k].minutes;
				pr += st->rows[k].present;
				ns += st->rows[k].no_show;
			}
		row_line(line, sizeof line, next, bk, mn, pr, ns);
		n = put(w, v, n, line, A_NORMAL);
		snprintf(week, sizeof week, "%s", next);
	}
	n = put(w, v, n, "", A_NORMAL);
	snprintf(line, sizeof line, _("Occupancy by hour (mean head count, "
	    "jauge %d)"), st->jauge);
	n = put(w, v, n, line, A_BOLD);
	for (h = 0; h < 24; h++)
		if (st->hour[h] > max)
			max = st->hour[h];
	width = wd - 2 - 4 - 16;
	if (width > 60)
		width = 60;
	if (width < 5)
		width = 5;
	any = 0;
	for (h = 0; h < 24; h++) {
		if (st->hour[h] < 0)
			continue;
		bar(ui, b, sizeof b, st->hour[h], max, width);
		snprintf(line, sizeof line, "%02dh %s %.0f (%d %%)", h, b,
		    st->hour[h], st->jauge > 0 ? (int)(st->hour[h] * 100 /
		    st->jauge + 0.5) : 0);
		n = put(w, v, n, line, A_NORMAL);
		any = 1;
	}
	if (!any)
		n = put(w, v, n, _("No head count recorded in this window."),
		    A_NORMAL);
	v->nav.n = n;
	/* Short of the end: a key moved past it before n was known. */
	if (v->nav.top > n - (getmaxy(w) - 1) && v->nav.top > 0) {
		nav_fit(&v->nav, getmaxy(w) - 1);
		stats_draw(ui, s, all);
		return;
	}
	nav_fit(&v->nav, getmaxy(w) - 1);
	wnoutrefresh(w);
}

static int
month_by(struct ui *ui, struct screen *s, int d)
{
	struct statv	*v = s->data;

	if (v->month + d > 0) {
		ui_message(ui, 1, "%s", _("this month is the last: the "
		    "statistics stop today"));
		return (UI_STATUS);
	}
	v->month += d;
	sv_load(ui, v);
	return (UI_DRAW);
}

static int k_prev(struct ui *u, struct screen *s) { return (month_by(u, s, -1)); }
static int k_next(struct ui *u, struct screen *s) { return (month_by(u, s, 1)); }

/* The file's name when the prompt is left empty. */
static void
default_name(struct statv *v, char *out, size_t size)
{
	char	d0[TZ_DATE_LEN];

	tz_format_date(v->from, d0);
	snprintf(out, size, "guichet-stats-%s-%.7s.csv", v->e.code, d0);
}

static int
export_done(struct ui *ui, const char *text, void *arg)
{
	struct statv	*v = arg;
	char		 name[PATH_MAX], *where;
	size_t		 i;
	FILE		*f;
	int		 bad;

	if (!v->ok)
		return (0);
	if (text[strspn(text, " ")] == '\0')
		default_name(v, name, sizeof name);
	else
		snprintf(name, sizeof name, "%s", text);
	if ((f = fopen(name, "w")) == NULL) {
		ui_message(ui, 1, _("cannot write %s: %s"), name,
		    strerror(errno));
		return (UI_STATUS);
	}
	/* The shape of 'guichet stats --csv' (RFC 4180 line ends). */
	fprintf(f, "resource,week,bookings,minutes,present,no_show,"
	    "cancelled,expired\r\n");
	for (i = 0; i < v->st.nrows; i++) {
		const struct stats_row	*r = &v->st.rows[i];

		fprintf(f, "%s,%s,%d,%d,%d,%d,%d,%d\r\n", r->resource,
		    r->week[0] ? r->week : "total", r->bookings, r->minutes,
		    r->present, r->no_show, r->cancelled, r->expired);
	}
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		ui_message(ui, 1, _("cannot write %s: %s"), name,
		    strerror(errno));
		return (UI_STATUS);
	}
	where = realpath(name, NULL);
	ui_message(ui, 0, ngettext("Wrote %zu line of statistics to %s.",
	    "Wrote %zu lines of statistics to %s.", v->st.nrows + 1),
	    v->st.nrows + 1, where != NULL ? where : name);
	free(where);
	return (UI_STATUS | UI_DRAW_ALL);
}

static int
k_export(struct ui *ui, struct screen *s)
{
	struct statv	*v = s->data;
	char		 def[128], label[200];

	if (!v->ok)
		return (0);
	default_name(v, def, sizeof def);
	snprintf(label, sizeof label, _("CSV file (empty: %s): "), def);
	return (prompt_push(ui, N_("Export the statistics"), label, "", NULL,
	    export_done, v));
}

static const struct key_entry stats_keys[] = {
	{ '<', "<", N_("previous month"), k_prev },
	{ 'p', "p", N_("previous month"), k_prev },
	{ '>', ">", N_("next month"), k_next },
	{ 'n', "n", N_("next month"), k_next },
	{ 'x', "x", N_("export as CSV to a file"), k_export },
	{ 0, NULL, NULL, NULL }
};

static void
stats_reload(struct ui *ui, struct screen *s)
{
	struct statv	*v = s->data;
	int		 top = v->nav.top;

	sv_load(ui, v);
	v->nav.top = top;
}

static void
stats_free_screen(struct screen *s)
{
	struct statv	*v = s->data;

	if (v->ok)
		stats_free(&v->st);
	free(v);
}

struct screen *
stats_new(struct ui *ui)
{
	struct screen	*s;
	struct statv	*v;
	struct gerror	 err;

	v = xcalloc(1, sizeof *v);
	if (library_find(ui, &v->e) != 0) {
		free(v);
		return (NULL);
	}
	gerror_clear(&err);
	if (rights_check(ui->store, ui->account, PERM_STATS, v->e.id, &err) !=
	    GERR_OK) {
		free(v);
		ui_message(ui, 1, _("no statistics: %s"), err.msg);
		return (NULL);
	}
	v->today = tz_local_day(v->e.tz, clock_now());
	sv_load(ui, v);
	s = ui_screen_new(N_("Statistics"), stats_keys);
	s->data = v;
	v->nav.scroll = 1;
	s->nav = &v->nav;
	s->common = 1;
	s->reload = stats_reload;
	s->draw = stats_draw;
	s->free = stats_free_screen;
	return (s);
}
