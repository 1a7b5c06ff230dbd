/*
 * The day grid: one line per resource, grouped by library then type
 * (with a heading line at each change), one column per slot of a common
 * time axis (the finest granularity of the day's resources) within the
 * opening hours. Cells carry a symbol as well as a color, so nothing
 * depends on color alone. This file holds the view (its layout over the
 * day's rows), the moves and the key table; grid_draw.c draws it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "query.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "grid.h"
#include "xmalloc.h"

struct gridv *
grid_view(struct ui *ui)
{
	return (ui->grid != NULL ? ui->grid->data : NULL);
}

int32_t
grid_today(struct ui *ui)
{
	struct gridv	*v = grid_view(ui);
	const char	*tz = TZ_DEFAULT;

	if (v != NULL && v->g != NULL && v->g->nrows > 0)
		tz = v->g->rows[0].resource.tz;
	return (tz_local_day(tz, clock_now()));
}

const struct grid_row *
grid_cur_row(struct gridv *v)
{
	if (v->g == NULL || v->g->nrows == 0)
		return (NULL);
	return (&v->g->rows[v->cur]);
}

/* The instants of a column on a row's day. */
void
grid_col_span(struct gridv *v, const struct grid_row *r, int col, int64_t *a,
    int64_t *b)
{
	(void)r;
	*a = v->i0 + (int64_t)col * v->step * 60;
	*b = *a + v->step * 60;
}

/* The local minute a column starts at. */
int
grid_col_minute(struct gridv *v, int col)
{
	int	min;

	tz_utc_to_local(TZ_DEFAULT, v->i0 + (int64_t)col * v->step * 60, NULL,
	    &min, NULL);
	return (min);
}

/* Whether a column lies outside a row's opening hours (R4). */
int
grid_col_closed(struct gridv *v, const struct grid_row *r, int col)
{
	int64_t	a, b;

	if (!r->hours.open)
		return (1);
	grid_col_span(v, r, col, &a, &b);
	return (a < tz_local_to_utc(r->resource.tz, v->day,
	    r->hours.open_min) || b > tz_local_to_utc(r->resource.tz, v->day,
	    r->hours.close_min));
}

const struct booking *
grid_cell_booking(const struct grid_row *r, int64_t a, int64_t b)
{
	size_t	i;

	for (i = 0; i < r->nbookings; i++) {
		const struct booking	*k = &r->bookings[i];

		if (!status_live(k->status))
			continue;
		if (k->start < b && k->end > a)
			return (k);
	}
	return (NULL);
}

const struct session_info *
grid_cell_session(const struct grid_row *r, int64_t a, int64_t b)
{
	size_t	i;

	for (i = 0; i < r->nsessions; i++)
		if (r->sessions[i].start < b && r->sessions[i].end > a)
			return (&r->sessions[i]);
	return (NULL);
}


/* HH:MM of an instant in a zone. */
void
grid_hhmm(const char *tz, int64_t t, char *out)
{
	int32_t	d;
	int	min, off;

	tz_utc_to_local(tz, t, &d, &min, &off);
	tz_format_hhmm(min, out);
}

static void
layout(struct ui *ui, struct gridv *v)
{
	size_t	i;
	int	lo = 24 * 60, hi = 0, step = 60;

	free(v->lines);
	free(v->ro);
	v->lines = NULL;
	v->nlines = 0;
	v->ro = xcalloc(v->g->nrows + 1, 1);
	for (i = 0; i < v->g->nrows; i++) {
		const struct grid_row	*r = &v->g->rows[i];
		struct gerror		 err;

		if (i == 0 || r->resource.library_id !=
		    v->g->rows[i - 1].resource.library_id ||
		    r->resource.type != v->g->rows[i - 1].resource.type) {
			v->lines = xreallocarray(v->lines, v->nlines + 1,
			    sizeof *v->lines);
			v->lines[v->nlines++] = -1 - (int)i;
		}
		v->lines = xreallocarray(v->lines, v->nlines + 1,
		    sizeof *v->lines);
		v->lines[v->nlines++] = (int)i;
		v->ro[i] = rights_check_resource(ui->account, PERM_PLANNING,
		    &r->resource, &err) != GERR_OK;
		if (r->hours.open) {
			if (r->hours.open_min < lo)
				lo = r->hours.open_min;
			if (r->hours.close_min > hi)
				hi = r->hours.close_min;
		}
		if (r->resource.granularity > 0 &&
		    r->resource.granularity < step)
			step = r->resource.granularity;
	}
	if (step < 15)
		step = 15;
	if (hi <= lo) {
		lo = 8 * 60;
		hi = 20 * 60;
	}
	v->step = step;
	v->t0 = lo / step * step;
	v->t1 = hi;
	v->i0 = tz_local_to_utc(TZ_DEFAULT, v->day, v->t0);
	v->ncols = (int)((tz_local_to_utc(TZ_DEFAULT, v->day, v->t1) - v->i0 +
	    step * 60 - 1) / (step * 60));
	if (v->cur >= (int)v->g->nrows)
		v->cur = v->g->nrows > 0 ? (int)v->g->nrows - 1 : 0;
	if (v->col >= v->ncols)
		v->col = v->ncols - 1;
	if (v->col < 0)
		v->col = 0;
	v->full = 1;
}

static void
load(struct ui *ui, struct gridv *v)
{
	const struct grid_row	*r;
	char			 keep[CODE_LEN] = "";
	size_t			 i;

	if ((r = v->g != NULL ? grid_cur_row(v) : NULL) != NULL)
		snprintf(keep, sizeof keep, "%s", r->resource.code);
	query_grid_free(v->g);
	v->g = NULL;
	if (query_grid(ui->store, v->day, NULL, &v->g) != GERR_OK) {
		ui_message(ui, 1, "%s", _("cannot read the grid of this day"));
		v->g = xcalloc(1, sizeof *v->g);
	}
	for (i = 0; keep[0] && i < v->g->nrows; i++)
		if (strcmp(v->g->rows[i].resource.code, keep) == 0)
			v->cur = (int)i;
	layout(ui, v);
}

static void
grid_reload(struct ui *ui, struct screen *s)
{
	load(ui, s->data);
}

static int
moved(struct ui *ui, struct gridv *v, const char *old)
{
	const struct grid_row	*r = grid_cur_row(v);

	/* The header follows the library under the cursor. */
	if (r != NULL && strcmp(old, r->resource.library) != 0) {
		snprintf(ui->library, sizeof ui->library, "%s",
		    r->resource.library);
		return (UI_DRAW | UI_HEADER);
	}
	return (UI_DRAW);
}

static int
move_by(struct ui *ui, struct screen *s, int dr, int dc)
{
	struct gridv	*v = s->data;
	char		 old[CODE_LEN];
	int		 n;

	if (v->g == NULL || v->g->nrows == 0)
		return (0);
	snprintf(old, sizeof old, "%s", grid_cur_row(v)->resource.library);
	n = (int)v->g->nrows;
	v->cur += dr;
	if (v->cur < 0)
		v->cur = 0;
	if (v->cur >= n)
		v->cur = n - 1;
	v->col += dc;
	if (v->col < 0)
		v->col = 0;
	if (v->col >= v->ncols)
		v->col = v->ncols - 1;
	return (moved(ui, v, old));
}

static int k_left(struct ui *u, struct screen *s) { return (move_by(u, s, 0, -1)); }
static int k_right(struct ui *u, struct screen *s) { return (move_by(u, s, 0, 1)); }
static int k_up(struct ui *u, struct screen *s) { return (move_by(u, s, -1, 0)); }
static int k_down(struct ui *u, struct screen *s) { return (move_by(u, s, 1, 0)); }

static int
k_pgdn(struct ui *ui, struct screen *s)
{
	return (move_by(ui, s, ui_body_lines() - 2, 0));
}

static int
k_pgup(struct ui *ui, struct screen *s)
{
	return (move_by(ui, s, -(ui_body_lines() - 2), 0));
}

static int
k_home(struct ui *ui, struct screen *s)
{
	struct gridv	*v = s->data;

	return (move_by(ui, s, 0, -v->col));
}

static int
k_end(struct ui *ui, struct screen *s)
{
	struct gridv	*v = s->data;

	return (move_by(ui, s, 0, v->ncols - 1 - v->col));
}

/* Put the cursor on the column of an instant, if on the axis. */
static void
col_at(struct gridv *v, int64_t when)
{
	int32_t	d;
	int	min, off;

	tz_utc_to_local(TZ_DEFAULT, when, &d, &min, &off);
	if (d != v->day)
		return;
	v->col = (int)((when - v->i0) / (v->step * 60));
	if (v->col < 0)
		v->col = 0;
	if (v->col >= v->ncols)
		v->col = v->ncols - 1;
}

void
grid_goto(struct ui *ui, int32_t day, const char *resource, int64_t when)
{
	struct gridv	*v = grid_view(ui);
	size_t		 i;

	if (v == NULL)
		return;
	v->day = day;
	load(ui, v);
	for (i = 0; resource != NULL && i < v->g->nrows; i++)
		if (strcmp(v->g->rows[i].resource.code, resource) == 0)
			v->cur = (int)i;
	if (when != 0)
		col_at(v, when);
}

static int
day_by(struct ui *ui, struct screen *s, int d)
{
	struct gridv	*v = s->data;

	grid_goto(ui, v->day + d, NULL, 0);
	return (UI_DRAW | UI_HEADER);
}

static int k_prev(struct ui *u, struct screen *s) { return (day_by(u, s, -1)); }
static int k_next(struct ui *u, struct screen *s) { return (day_by(u, s, 1)); }

static int
k_today(struct ui *ui, struct screen *s)
{
	(void)s;
	grid_goto(ui, grid_today(ui), NULL, clock_now());
	return (UI_DRAW | UI_HEADER);
}

static int
goto_check(struct ui *ui, const char *text, void *arg)
{
	struct gridv	*v = arg;
	int32_t		 d;

	(void)v;
	if (parse_date(text, grid_today(ui), &d) != 0) {
		ui_message(ui, 1, _("'%s' is not a date: type 2026-12-20, "
		    "20/12, +1 or tomorrow"), text);
		return (UI_STATUS);
	}
	return (0);
}

static int
goto_done(struct ui *ui, const char *text, void *arg)
{
	struct gridv	*v = arg;
	int32_t		 d;

	(void)v;
	if (parse_date(text, grid_today(ui), &d) == 0)
		grid_goto(ui, d, NULL, 0);
	return (UI_DRAW_ALL | UI_HEADER);
}

static int
k_goto(struct ui *ui, struct screen *s)
{
	ui_push(ui, prompt_new(N_("Go to a date"), _("Date (2026-12-20, "
	    "20/12, +1, tomorrow): "), "", goto_check, goto_done, s->data));
	return (UI_DRAW);
}

/* The row of a resource code, any case, or -1. */
static int
row_of_code(struct gridv *v, const char *code)
{
	size_t	i;

	for (i = 0; i < v->g->nrows; i++)
		if (strcasecmp(v->g->rows[i].resource.code, code) == 0)
			return ((int)i);
	return (-1);
}

static int
res_check(struct ui *ui, const char *text, void *arg)
{
	if (row_of_code(arg, text) < 0) {
		ui_message(ui, 1, _("no resource '%s' in this grid"), text);
		return (UI_STATUS);
	}
	return (0);
}

static int
res_done(struct ui *ui, const char *text, void *arg)
{
	struct gridv	*v = arg;
	int		 i = row_of_code(v, text);

	if (i < 0)
		return (0);
	v->cur = i;
	snprintf(ui->library, sizeof ui->library, "%s",
	    v->g->rows[i].resource.library);
	v->full = 1;
	return (UI_DRAW_ALL | UI_HEADER);
}

static int
k_resource(struct ui *ui, struct screen *s)
{
	ui_push(ui, prompt_new(N_("Go to a resource"), _("Resource code: "), "",
	    res_check, res_done, s->data));
	return (UI_DRAW);
}

static int
k_sync(struct ui *ui, struct screen *s)
{
	(void)s;
	return (ui_sync_now(ui));
}

static int
k_late(struct ui *ui, struct screen *s)
{
	(void)s;
	return (late_free_all(ui));
}

static int
k_conflicts(struct ui *ui, struct screen *s)
{
	(void)s;
	return (conflicts_open(ui));
}

/* Push a screen the grid opens, or show why it cannot open. */
static int
open_screen(struct ui *ui, struct screen *s)
{
	if (s == NULL)
		return (UI_STATUS);
	ui_push(ui, s);
	return (UI_DRAW_ALL);
}

static int
k_hours(struct ui *ui, struct screen *s)
{
	struct gridv	*v = s->data;

	return (open_screen(ui, hours_new(ui, v->day)));
}

static int
k_messages(struct ui *ui, struct screen *s)
{
	(void)s;
	return (open_screen(ui, messages_new(ui)));
}

static int
k_stats(struct ui *ui, struct screen *s)
{
	(void)s;
	return (open_screen(ui, stats_new(ui)));
}

/* The pop-ups the header shows, whole, one after the other. */
static int
k_popups(struct ui *ui, struct screen *s)
{
	struct message_info	*m = NULL;
	size_t			 n = 0, i, len = 0;
	char			*all;

	(void)s;
	if (ui->library[0] == '\0' || query_messages(ui->store, ui->library,
	    "popup", clock_now(), &m, &n) != GERR_OK || n == 0) {
		free(m);
		ui_message(ui, 0, "%s", _("No pop-up message now."));
		return (UI_STATUS);
	}
	for (i = 0; i < n; i++)
		len += strlen(m[i].text) + CODE_LEN + 8;
	all = xcalloc(1, len + 1);
	for (i = 0; i < n; i++) {
		strcat(all, m[i].establishment);
		strcat(all, ": ");
		strcat(all, m[i].text);
		if (i + 1 < n)
			strcat(all, "   |   ");
	}
	free(m);
	ui_push(ui, text_new(_("Pop-up messages"), all));
	free(all);
	return (UI_DRAW);
}

static int
k_staff(struct ui *ui, struct screen *s)
{
	(void)s;
	return (open_screen(ui, staff_new(ui)));
}

static int
k_qr(struct ui *ui, struct screen *s)
{
	(void)s;
	return (open_screen(ui, qrcode_new(ui)));
}

/* The hint line shows the keys of a day at the counter first. */
static const struct key_entry grid_keys[] = {
	{ 'f', "f", N_("what is free from now, for how long and how many"),
	    grid_freenow },
	{ 'L', "L", N_("free the late bookings of this library (asks, lists "
	    "them)"), k_late },
	{ '/', "/", N_("find a patron by part of the e-mail or the name"),
	    grid_find },
	{ 'r', "r", N_("go to a resource by its code"), k_resource },
	{ 'g', "g", N_("go to a date"), k_goto },
#define ENTER_HELP	N_("book a free cell or a place in a session, or open " \
			    "a booking")
	{ '\r', N_("Enter"), ENTER_HELP, grid_enter },
#undef ENTER_HELP
	{ '?', "?", N_("help"), keys_help_open },
	{ 'q', "q", N_("quit (asks)"), ui_quit_key },
	{ UI_FKEY(KEY_LEFT), N_("Left"), N_("previous slot"), k_left },
	{ 'h', "h", N_("previous slot"), k_left },
	{ UI_FKEY(KEY_RIGHT), N_("Right"), N_("next slot"), k_right },
	{ 'l', "l", N_("next slot"), k_right },
	{ UI_FKEY(KEY_UP), N_("Up"), N_("previous resource"), k_up },
	{ 'k', "k", N_("previous resource"), k_up },
	{ UI_FKEY(KEY_DOWN), N_("Down"), N_("next resource"), k_down },
	{ 'j', "j", N_("next resource"), k_down },
	{ UI_FKEY(KEY_PPAGE), N_("PgUp"), N_("a page of resources up"),
	    k_pgup },
	{ UI_FKEY(KEY_NPAGE), N_("PgDn"), N_("a page of resources down"),
	    k_pgdn },
	{ UI_FKEY(KEY_HOME), N_("Home"), N_("first slot of the day"), k_home },
	{ '0', "0", N_("first slot of the day"), k_home },
	{ UI_FKEY(KEY_END), N_("End"), N_("last slot of the day"), k_end },
	{ '$', "$", N_("last slot of the day"), k_end },
	{ '<', "<", N_("previous day"), k_prev },
	{ 'p', "p", N_("previous day"), k_prev },
	{ '>', ">", N_("next day"), k_next },
	{ 'n', "n", N_("next day"), k_next },
	{ 't', "t", N_("today, now"), k_today },
	{ 'C', "C", N_("conflicts: refused by the backend, to call back"),
	    k_conflicts },
	{ 's', "s", N_("sync now with the backend"), k_sync },
	{ 'H', "H", N_("hours of this library: close a day, reopen, "
	    "exceptional hours"), k_hours },
	{ 'M', "M", N_("messages of this library and the campus"),
	    k_messages },
	{ 'S', "S", N_("statistics of this library (P6), CSV export"),
	    k_stats },
	{ 'm', "m", N_("read the header's pop-up messages in full"),
	    k_popups },
	{ 'A', "A", N_("staff: sessions, library information, resources, "
	    "accounts, campus closure"), k_staff },
	{ 'Q', "Q", N_("QR code of this library's validation page, its "
	    "code (P5)"), k_qr },
	{ 0, NULL, NULL, NULL }
};

static const struct key_hint grid_hints[] = {
	{ 'f', "f", N_("free now") },
	{ 'L', "L", N_("late") },
	{ '/', "/", N_("patron") },
	{ 'r', "r", N_("room") },
	{ 'g', "g", N_("date") },
	{ '\r', N_("Enter"), N_("book/open") },
	{ 'H', "H", N_("hours") },
	{ 'M', "M", N_("msgs") },
	{ '?', "?", N_("help") },
	{ 'q', "q", N_("quit") },
	{ 0, NULL, NULL }
};

static void
grid_free(struct screen *s)
{
	struct gridv	*v = s->data;

	query_grid_free(v->g);
	free(v->lines);
	free(v->ro);
	free(v);
}

/* The library of the first row the account may plan. */
static void
own_library(struct ui *ui, struct gridv *v)
{
	size_t	i;

	for (i = 0; i < v->g->nrows; i++)
		if (!v->ro[i]) {
			snprintf(ui->library, sizeof ui->library, "%s",
			    v->g->rows[i].resource.library);
			return;
		}
}

struct screen *
grid_new(struct ui *ui)
{
	struct screen	*s = ui_screen_new(N_("Day grid"), grid_keys);
	struct gridv	*v = xcalloc(1, sizeof *v);
	size_t		 i;

	s->data = v;
	s->draw = grid_draw;
	s->free = grid_free;
	s->reload = grid_reload;
	s->hints = grid_hints;
	ui->grid = s;
	v->pcur = -1;
	v->day = tz_local_day(TZ_DEFAULT, clock_now());
	load(ui, v);
	col_at(v, clock_now());
	/*
	 * The desk's library first: the one the configuration names, else
	 * the first the account plans (desk.espe opens on ESPE, not BUC).
	 */
	if (ui->library[0] == '\0')
		own_library(ui, v);
	for (i = 0; ui->library[0] && i < v->g->nrows; i++)
		if (strcmp(v->g->rows[i].resource.library, ui->library) == 0 ||
		    strcmp(v->g->rows[i].resource.establishment,
		    ui->library) == 0) {
			v->cur = (int)i;
			break;
		}
	if (v->g->nrows > 0)
		snprintf(ui->library, sizeof ui->library, "%s",
		    v->g->rows[v->cur].resource.library);
	return (s);
}
