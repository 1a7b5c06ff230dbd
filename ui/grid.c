/*
 * The day grid: one line per resource, grouped by library then type
 * (with a heading line at each change), one column per slot of a common
 * time axis (the finest granularity of the day's resources) within the
 * opening hours. Cells carry a symbol as well as a color, so nothing
 * depends on color alone. Cursor moves redraw only the two cells and
 * the two labels that changed; scrolling or new data redraws the body.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "query.h"
#include "rules.h"
#include "slot.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

#define LABEL_W		15	/* the resource code and a space */
#define CELL_W		3

enum cell {
	CELL_FREE,
	CELL_CLOSED,
	CELL_READONLY,
	CELL_BOOKED,
	CELL_PENDING,
	CELL_PRESENT,
	CELL_LATE,
	CELL_SESSION,
	CELL_NONE,		/* a capacity resource outside its sessions */
};

struct gridv {
	struct grid	*g;
	int32_t		 day;
	int		 t0, t1, step;	/* the axis, minutes of the day */
	/* Columns are instants from i0 by step minutes of real time, so
	 * that the day the clocks change has its true slots (SPEC 3). */
	int64_t		 i0;
	int		 ncols;
	int		*lines;		/* row index, or -1 for a heading */
	int		 nlines;
	unsigned char	*ro;		/* per row: the account may not plan */
	int		 cur;		/* row index */
	int		 col;
	int		 top, left;	/* first line and column shown */
	int		 pcur, pcol;	/* the cursor as last drawn */
	int		 full;		/* redraw everything next time */
	int		 freenow_min;	/* "free now": the duration asked */
};

static struct gridv *
gv(struct ui *ui)
{
	return (ui->grid != NULL ? ui->grid->data : NULL);
}

int32_t
grid_today(struct ui *ui)
{
	struct gridv	*v = gv(ui);
	const char	*tz = TZ_DEFAULT;

	if (v != NULL && v->g != NULL && v->g->nrows > 0)
		tz = v->g->rows[0].resource.tz;
	return (tz_local_day(tz, clock_now()));
}

static const struct grid_row *
cur_row(struct gridv *v)
{
	if (v->g == NULL || v->g->nrows == 0)
		return (NULL);
	return (&v->g->rows[v->cur]);
}

/* The instants of a column on a row's day. */
static void
col_span(struct gridv *v, const struct grid_row *r, int col, int64_t *a,
    int64_t *b)
{
	(void)r;
	*a = v->i0 + (int64_t)col * v->step * 60;
	*b = *a + v->step * 60;
}

/* The local minute a column starts at. */
static int
col_minute(struct gridv *v, int col)
{
	int	min;

	tz_utc_to_local(TZ_DEFAULT, v->i0 + (int64_t)col * v->step * 60, NULL,
	    &min, NULL);
	return (min);
}

/* Whether a column lies outside a row's opening hours (R4). */
static int
col_closed(struct gridv *v, const struct grid_row *r, int col)
{
	int64_t	a, b;

	if (!r->hours.open)
		return (1);
	col_span(v, r, col, &a, &b);
	return (a < tz_local_to_utc(r->resource.tz, v->day,
	    r->hours.open_min) || b > tz_local_to_utc(r->resource.tz, v->day,
	    r->hours.close_min));
}

static const struct booking *
cell_booking(const struct grid_row *r, int64_t a, int64_t b)
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

static const struct session_info *
cell_session(const struct grid_row *r, int64_t a, int64_t b)
{
	size_t	i;

	for (i = 0; i < r->nsessions; i++)
		if (r->sessions[i].start < b && r->sessions[i].end > a)
			return (&r->sessions[i]);
	return (NULL);
}

/* Two initials from the name, or the e-mail. */
static void
initials(const struct booking *b, char *out)
{
	const char	*p = b->name[0] ? b->name : b->email;
	const char	*sp = b->name[0] ? strchr(p, ' ') : strpbrk(p, "._@");

	out[0] = (char)(p[0] >= 'a' && p[0] <= 'z' ? p[0] - 32 : p[0]);
	out[1] = sp != NULL && sp[1] != '\0' && sp[1] != '@' ?
	    (char)(sp[1] >= 'a' && sp[1] <= 'z' ? sp[1] - 32 : sp[1]) : ' ';
	if (out[0] & 0x80)
		out[0] = '#';
	if (out[1] & 0x80)
		out[1] = ' ';
	out[2] = '\0';
}

/* A state's glyph, in UTF-8 or ASCII as the terminal reads: twice, or
 * once and a space. */
static void
glyph(struct ui *ui, enum slot st, int twice, char *text, size_t tsize)
{
	const struct slot_info	*si = slot_info(st);
	char			 ascii[2] = { si->ascii, '\0' };
	const char		*g = ui_sym(ui, si->utf8, ascii);

	snprintf(text, tsize, "%s%s", g, twice ? g : " ");
}

static enum cell
cell_of(struct ui *ui, struct gridv *v, int row, int col, char *text,
    size_t tsize)
{
	const struct grid_row		*r = &v->g->rows[row];
	const struct booking		*b;
	const struct session_info	*si;
	int64_t				 a, e;
	char				 ini[3];

	text[0] = '\0';
	if (col_closed(v, r, col)) {
		glyph(ui, SLOT_CLOSED, 1, text, tsize);
		return (CELL_CLOSED);
	}
	col_span(v, r, col, &a, &e);
	if (rtype_capacity(r->resource.type)) {
		if ((si = cell_session(r, a, e)) == NULL) {
			snprintf(text, tsize, "  ");
			return (CELL_NONE);
		}
		{
			/* Each cell shows its slice of "taken/places". */
			char	all[32];
			int	k = 0, len;
			int64_t	t = si->start;

			while (t < a && k < 200) {
				k++;
				t += (int64_t)v->step * 60;
			}
			len = snprintf(all, sizeof all, "%d/%d", si->taken,
			    si->places);
			if (k * CELL_W < len)
				snprintf(text, tsize, "%.3s", all + k * CELL_W);
			else
				snprintf(text, tsize, "%s", ui_sym(ui,
				    "\xe2\x94\x80\xe2\x94\x80", "--"));
		}
		return (CELL_SESSION);
	}
	if ((b = cell_booking(r, a, e)) != NULL) {
		/* The state's glyph, then the patron's initial on the first
		 * cell (both initials for a plain booking). */
		int		 first = b->start >= a;
		enum slot	 st = slot_of(b, clock_now(), v->g->late);
		char		 g = slot_info(st)->ascii;

		initials(b, ini);
		if (st == SLOT_BOOKED && first)
			snprintf(text, tsize, "%s", ini);
		else
			snprintf(text, tsize, "%c%c", g, first ? ini[0] : g);
		switch (st) {
		case SLOT_LATE:
			return (CELL_LATE);
		case SLOT_PENDING:
			return (CELL_PENDING);
		case SLOT_PRESENT:
			return (CELL_PRESENT);
		default:
			return (CELL_BOOKED);
		}
	}
	if (v->ro[row]) {
		snprintf(text, tsize, "--");
		return (CELL_READONLY);
	}
	glyph(ui, SLOT_FREE, 0, text, tsize);
	return (CELL_FREE);
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

	if ((r = v->g != NULL ? cur_row(v) : NULL) != NULL)
		snprintf(keep, sizeof keep, "%s", r->resource.code);
	query_grid_free(v->g);
	v->g = NULL;
	if (query_grid(ui->s, v->day, NULL, &v->g) != GERR_OK) {
		ui_message(ui, 1, "%s", _("cannot read the grid of this day"));
		v->g = xcalloc(1, sizeof *v->g);
	}
	for (i = 0; keep[0] && i < v->g->nrows; i++)
		if (strcmp(v->g->rows[i].resource.code, keep) == 0)
			v->cur = (int)i;
	layout(ui, v);
}

void
grid_reload(struct ui *ui)
{
	struct gridv	*v = gv(ui);

	if (v != NULL)
		load(ui, v);
}

static int
line_of(struct gridv *v, int row)
{
	int	i;

	for (i = 0; i < v->nlines; i++)
		if (v->lines[i] == row)
			return (i);
	return (0);
}

/* Keep the cursor visible; returns 1 if the view scrolled. */
static int
keep_visible(struct gridv *v, int h, int w)
{
	int	ln = line_of(v, v->cur), vis = (w - LABEL_W) / CELL_W;
	int	ot = v->top, ol = v->left, rows = h - 1;

	if (vis < 1)
		vis = 1;
	if (rows < 1)
		rows = 1;
	if (ln > 0 && v->lines[ln - 1] < 0 && ln - 1 < v->top)
		v->top = ln - 1;	/* show the heading too */
	if (ln < v->top)
		v->top = ln;
	if (ln >= v->top + rows)
		v->top = ln - rows + 1;
	if (v->col < v->left)
		v->left = v->col;
	if (v->col >= v->left + vis)
		v->left = v->col - vis + 1;
	return (ot != v->top || ol != v->left);
}

static void
draw_cell(struct ui *ui, struct gridv *v, int row, int col, int y)
{
	WINDOW		*w = ui->body;
	char		 text[32];
	enum cell	 c;
	int		 x = LABEL_W + (col - v->left) * CELL_W, a, wd;
	static const enum ui_color colors[] = {
		[CELL_FREE] = C_FREE, [CELL_CLOSED] = C_CLOSED,
		[CELL_READONLY] = C_READONLY, [CELL_BOOKED] = C_BOOKED,
		[CELL_PENDING] = C_PENDING, [CELL_PRESENT] = C_PRESENT,
		[CELL_LATE] = C_LATE, [CELL_SESSION] = C_SESSION,
		[CELL_NONE] = C_NORMAL,
	};

	wd = getmaxx(w);
	if (x + CELL_W > wd)
		return;
	c = cell_of(ui, v, row, col, text, sizeof text);
	a = ui_attr(ui, colors[c]);
	if (row == v->cur && col == v->col)
		a = (a & ~A_UNDERLINE) | A_REVERSE;
	wattrset(w, a);
	mvwaddstr(w, y, x, "   ");
	ui_put(w, y, x, text, c == CELL_SESSION ? CELL_W : CELL_W - 1);
	wattrset(w, A_NORMAL);
}

static void
draw_label(struct ui *ui, struct gridv *v, int row, int y)
{
	const struct grid_row	*r = &v->g->rows[row];
	char			 label[64];

	snprintf(label, sizeof label, "%s%s", r->resource.code,
	    v->ro[row] ? "*" : "");
	wattrset(ui->body, row == v->cur ? A_BOLD | A_REVERSE : A_NORMAL);
	mvwaddstr(ui->body, y, 0, "               ");
	ui_put(ui->body, y, 0, label, LABEL_W - 1);
	wattrset(ui->body, A_NORMAL);
}

static void
draw_row(struct ui *ui, struct gridv *v, int row, int y, int vis)
{
	int	c;

	draw_label(ui, v, row, y);
	for (c = v->left; c < v->ncols && c < v->left + vis; c++)
		draw_cell(ui, v, row, c, y);
}

static void
draw_axis(struct ui *ui, struct gridv *v, int vis)
{
	char	t[16], date[TZ_DATE_LEN];
	int	c, m, nowcol = -1;
	int32_t	today = grid_today(ui);

	tz_format_date(v->day, date);
	wattrset(ui->body, A_BOLD);
	mvwaddstr(ui->body, 0, 0, "               ");
	ui_put(ui->body, 0, 0, date, LABEL_W - 1);
	if (v->day == today)
		nowcol = (int)((clock_now() - v->i0) / (v->step * 60));
	for (c = v->left; c < v->ncols && c < v->left + vis; c++) {
		m = col_minute(v, c);
		if (m % 60 == 0)
			snprintf(t, sizeof t, "%02dh", m / 60);
		else
			snprintf(t, sizeof t, " %s ", ui_sym(ui,
			    "\xc2\xb7", "."));
		wattrset(ui->body, c == nowcol ? A_REVERSE | A_BOLD :
		    (m % 60 == 0 ? A_BOLD : A_DIM));
		mvwaddstr(ui->body, 0, LABEL_W + (c - v->left) * CELL_W, t);
	}
	wattrset(ui->body, A_NORMAL);
}

static void
grid_draw(struct ui *ui, struct screen *s, int all)
{
	struct gridv	*v = s->data;
	WINDOW		*w = ui->body;
	int		 h, wd, vis, i, y, ln;

	getmaxyx(w, h, wd);
	vis = (wd - LABEL_W) / CELL_W;
	if (v->g == NULL || v->g->nrows == 0) {
		werase(w);
		ui_put(w, 1, 1, _("No resources."), wd - 2);
		wnoutrefresh(w);
		return;
	}
	snprintf(ui->library, sizeof ui->library, "%s",
	    cur_row(v)->resource.library);
	if (keep_visible(v, h, wd))
		v->full = 1;
	if (all || v->full) {
		werase(w);
		draw_axis(ui, v, vis);
		for (i = v->top, y = 1; i < v->nlines && y < h; i++, y++) {
			ln = v->lines[i];
			if (ln < 0) {
				const struct resource *r =
				    &v->g->rows[-1 - ln].resource;
				char	head[128];

				snprintf(head, sizeof head, "%s %s - %s",
				    ui_sym(ui, "\xe2\x96\xb8", ">"),
				    r->library, ui_rtype(r->type));
				wattrset(w, ui_attr(ui, C_GROUP));
				ui_put(w, y, 0, head, wd);
				wattrset(w, A_NORMAL);
				continue;
			}
			draw_row(ui, v, ln, y, vis);
		}
		v->full = 0;
	} else if (v->pcur != v->cur || v->pcol != v->col) {
		/* Only the cells and labels the cursor left and reached. */
		if (v->pcur >= 0 && v->pcur < (int)v->g->nrows) {
			y = line_of(v, v->pcur) - v->top + 1;
			if (y >= 1 && y < h) {
				draw_label(ui, v, v->pcur, y);
				draw_cell(ui, v, v->pcur, v->pcol, y);
			}
		}
		y = line_of(v, v->cur) - v->top + 1;
		draw_label(ui, v, v->cur, y);
		draw_cell(ui, v, v->cur, v->col, y);
	}
	v->pcur = v->cur;
	v->pcol = v->col;
	wnoutrefresh(w);
}

static int
moved(struct ui *ui, struct gridv *v, const char *old)
{
	const struct grid_row	*r = cur_row(v);

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
	snprintf(old, sizeof old, "%s", cur_row(v)->resource.library);
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
	struct gridv	*v = gv(ui);
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
goto_done(struct ui *ui, const char *text, const char *arg)
{
	int32_t	d;

	(void)arg;
	if (tz_parse_date(text, &d) != 0) {
		ui_message(ui, 1, _("'%s' is not a date: type YYYY-MM-DD"),
		    text);
		return (UI_STATUS);
	}
	grid_goto(ui, d, NULL, 0);
	return (UI_DRAW_ALL);
}

static int
k_goto(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_push(ui, prompt_new(N_("Go to a date"), _("Date (YYYY-MM-DD): "), "",
	    goto_done));
	return (UI_DRAW);
}

static int
res_done(struct ui *ui, const char *text, const char *arg)
{
	struct gridv	*v = gv(ui);
	size_t		 i;

	(void)arg;
	for (i = 0; v != NULL && i < v->g->nrows; i++)
		if (strcasecmp(v->g->rows[i].resource.code, text) == 0) {
			v->cur = (int)i;
			snprintf(ui->library, sizeof ui->library, "%s",
			    v->g->rows[i].resource.library);
			v->full = 1;
			return (UI_DRAW_ALL);
		}
	ui_message(ui, 1, _("no resource '%s' in this grid"), text);
	return (UI_STATUS);
}

static int
k_resource(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_push(ui, prompt_new(N_("Go to a resource"), _("Resource code: "), "",
	    res_done));
	return (UI_DRAW);
}

static int
k_enter(struct ui *ui, struct screen *s)
{
	struct gridv			*v = s->data;
	const struct grid_row		*r = cur_row(v);
	const struct booking		*b;
	const struct session_info	*si;
	struct gerror			 err;
	int64_t				 a, e, start, end;
	int				 m, g, dur;

	if (r == NULL)
		return (0);
	col_span(v, r, v->col, &a, &e);
	m = col_minute(v, v->col);
	/* A session takes one more participant (SCENARIOS 16:30); its
	 * participants are found with '/'. An exclusive cell's booking
	 * opens its detail. */
	if (!rtype_capacity(r->resource.type) &&
	    (b = cell_booking(r, a, e)) != NULL) {
		ui_push(ui, detail_new(ui, b->id));
		return (UI_DRAW);
	}
	if (rights_check_resource(ui->account, PERM_PLANNING, &r->resource,
	    &err) != GERR_OK) {
		ui_message(ui, 1, _("read-only: %s"), err.msg);
		return (UI_STATUS);
	}
	if (col_closed(v, r, v->col)) {
		ui_message(ui, 1, _("%s is closed at this time%s%s (R4)"),
		    r->resource.library, r->hours.reason[0] ? ": " : "",
		    r->hours.reason);
		return (UI_STATUS);
	}
	if (rtype_capacity(r->resource.type)) {
		if ((si = cell_session(r, a, e)) == NULL) {
			ui_message(ui, 1, _("%s has no session at this time"),
			    r->resource.code);
			return (UI_STATUS);
		}
		ui_push(ui, form_new(ui, r, si->start, si->end, 1));
		return (UI_DRAW);
	}
	g = r->resource.granularity > 0 ? r->resource.granularity : v->step;
	/* From the cell's instant, so that the second 02:00 of the day the
	 * clocks go back is itself (SPEC 3). */
	dur = r->resource.min_duration > g ? r->resource.min_duration : g;
	start = a - (int64_t)(m % g) * 60;
	end = start + (int64_t)dur * 60;
	ui_push(ui, form_new(ui, r, start, end, 0));
	return (UI_DRAW);
}

static int
find_pick(struct ui *ui, const struct list_item *it)
{
	struct gridv	*v = gv(ui);
	struct booking	 b;

	if (booking_find(ui->s, it->id, &b) != GERR_OK)
		return (0);
	grid_goto(ui, tz_local_day(TZ_DEFAULT, b.start), b.resource, b.start);
	if (v != NULL)
		v->full = 1;
	ui_push(ui, detail_new(ui, b.id));
	return (UI_DRAW_ALL);
}

static int
find_done(struct ui *ui, const char *text, const char *arg)
{
	struct booking_filter	 f;
	struct booking		*b;
	struct list_item	*it;
	size_t			 n, i;
	char			 norm[EMAIL_LEN], s1[CLOCK_ISO_LEN], title[300];
	char			*line;

	(void)arg;
	if (rules_email_normalise(text, norm) != 0) {
		ui_message(ui, 1, _("'%s' is not an e-mail address (R2)"),
		    text);
		return (UI_STATUS);
	}
	memset(&f, 0, sizeof f);
	f.email = norm;
	f.status = -1;
	if (query_bookings(ui->s, &f, &b, &n) != GERR_OK) {
		ui_message(ui, 1, "%s", _("cannot read the bookings"));
		return (UI_STATUS);
	}
	if (n == 0) {
		free(b);
		ui_message(ui, 0, _("No booking for %s."), norm);
		return (UI_STATUS);
	}
	it = xcalloc(n, sizeof *it);
	for (i = 0; i < n; i++) {
		clock_format_iso(b[i].start, TZ_DEFAULT, s1);
		s1[16] = '\0';
		line = xasprintf("%s  %-14s %-11s %s", s1, b[i].resource,
		    ui_status(b[i].status), b[i].name);
		/* A long name is cut between characters. */
		strlcpy_g(it[i].text, line, sizeof it[i].text);
		free(line);
		snprintf(it[i].id, sizeof it[i].id, "%s", b[i].id);
	}
	free(b);
	snprintf(title, sizeof title, _("Bookings of %s"), norm);
	ui_push(ui, list_new(title, it, n, find_pick));
	return (UI_DRAW_ALL);
}

static int
k_find(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_push(ui, prompt_new(N_("Find a patron"), _("E-mail: "), "",
	    find_done));
	return (UI_DRAW);
}

static int
freenow_pick(struct ui *ui, const struct list_item *it)
{
	struct gridv	*v = gv(ui);
	size_t		 i;

	grid_goto(ui, grid_today(ui), it->resource, it->start);
	for (i = 0; v != NULL && i < v->g->nrows; i++)
		if (strcmp(v->g->rows[i].resource.code, it->resource) == 0) {
			ui_push(ui, form_new(ui, &v->g->rows[i], it->start,
			    it->end, 2));
			break;
		}
	return (UI_DRAW_ALL);
}

/*
 * Whether a row is free for walk-ins over [start, end): what the rules say
 * of any patron (enabled, R3's length, R4's hours, R7's overlap). The
 * patron's own checks (R2, R3's quotas) wait for the form, which has the
 * e-mail: rules_check_booking() without one refuses everything.
 */
static int
free_for(struct ui *ui, const struct grid_row *r, int64_t start,
    int64_t end)
{
	const struct resource	*res = &r->resource;
	int			 min = (int)((end - start) / 60);

	if (!res->enabled || (res->max_duration > 0 &&
	    min > res->max_duration) || min < res->min_duration)
		return (0);
	if (rules_check_hours(ui->s, res, start, end, NULL) != GERR_OK)
		return (0);
	return (cell_booking(r, start, end) == NULL);
}

/* "Free now", second question: for how many people (seats). */
static int
freenow_people(struct ui *ui, const char *text, const char *arg)
{
	struct gridv		*v = gv(ui);
	struct list_item	*it = NULL;
	size_t			 n = 0, i;
	int			 dur, g, people;
	int64_t			 now = clock_now(), start, end;
	char			 hm[2][TZ_HHMM_LEN], title[128], *ep;
	int32_t			 d;
	int			 min, off;
	long			 l;

	(void)arg;
	if (v == NULL)
		return (0);
	dur = v->freenow_min;
	l = strtol(text, &ep, 10);
	while (*ep == ' ')
		ep++;
	if (ep == text || *ep != '\0' || l <= 0 || l > 1000) {
		ui_message(ui, 1, _("'%s': type a number of people"), text);
		return (UI_STATUS);
	}
	people = (int)l;
	grid_goto(ui, grid_today(ui), NULL, now);
	for (i = 0; i < v->g->nrows; i++) {
		const struct grid_row	*r = &v->g->rows[i];

		/* Enough seats for everyone: a carrel is not for four. */
		if (v->ro[i] || rtype_capacity(r->resource.type) ||
		    !r->resource.enabled || r->resource.seats < people)
			continue;
		g = r->resource.granularity > 0 ? r->resource.granularity : 30;
		tz_utc_to_local(r->resource.tz, now, &d, &min, &off);
		start = tz_local_to_utc(r->resource.tz, d, min / g * g);
		end = tz_local_to_utc(r->resource.tz, d, min / g * g +
		    (dur + g - 1) / g * g);
		if (!free_for(ui, r, start, end))
			continue;
		it = xreallocarray(it, n + 1, sizeof *it);
		memset(&it[n], 0, sizeof *it);
		tz_format_hhmm(min / g * g, hm[0]);
		tz_format_hhmm(min / g * g + (dur + g - 1) / g * g, hm[1]);
		snprintf(it[n].text, sizeof it[n].text, ngettext("%-14s "
		    "%s-%s  %d seat  %s", "%-14s %s-%s  %d seats  %s",
		    r->resource.seats), r->resource.code, hm[0], hm[1],
		    r->resource.seats, r->resource.name);
		snprintf(it[n].resource, sizeof it[n].resource, "%s",
		    r->resource.code);
		it[n].start = start;
		it[n].end = end;
		n++;
	}
	if (n == 0) {
		ui_message(ui, 0, ngettext("Nothing is free from now for %d "
		    "min with %d seat.", "Nothing is free from now for %d "
		    "min with %d seats.", people), dur, people);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	snprintf(title, sizeof title, ngettext("Free from now for %d min, "
	    "%d person", "Free from now for %d min, %d people", people), dur,
	    people);
	ui_push(ui, list_new(title, it, n, freenow_pick));
	return (UI_DRAW_ALL);
}

/* "Free now", first question: for how long. */
static int
freenow_done(struct ui *ui, const char *text, const char *arg)
{
	struct gridv	*v = gv(ui);
	char		*ep;
	long		 l;

	(void)arg;
	l = strtol(text, &ep, 10);
	while (*ep == ' ')
		ep++;
	if (v == NULL || ep == text || *ep != '\0' || l <= 0 ||
	    l > 24 * 60) {
		ui_message(ui, 1, _("'%s': type a duration in minutes"),
		    text);
		return (UI_STATUS);
	}
	v->freenow_min = (int)l;
	ui_push(ui, prompt_new(N_("Free now"), _("For how many people? "),
	    "1", freenow_people));
	return (UI_DRAW);
}

static int
k_freenow(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_push(ui, prompt_new(N_("Free now"), _("For how many minutes? "),
	    "60", freenow_done));
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

static const struct key_entry grid_keys[] = {
	{ '?', "?", N_("help"), keys_help_open },
	{ 'q', "q", N_("quit"), ui_quit_key },
#define ENTER_HELP	N_("book a free cell or a place in a session, or open " \
			    "a booking")
	{ '\r', N_("Enter"), ENTER_HELP, k_enter },
	{ '\n', N_("Enter"), ENTER_HELP, k_enter },
	{ UI_FKEY(KEY_ENTER), N_("Enter"), ENTER_HELP, k_enter },
#undef ENTER_HELP
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
	{ 'g', "g", N_("go to a date"), k_goto },
	{ 'r', "r", N_("go to a resource by its code"), k_resource },
	{ '/', "/", N_("find a patron by e-mail"), k_find },
	{ 'f', "f", N_("what is free from now, for how long and how many"),
	    k_freenow },
	{ 'L', "L", N_("free all late bookings (asks once)"), k_late },
	{ 'C', "C", N_("conflicts: refused by the backend, to call back"),
	    k_conflicts },
	{ 's', "s", N_("sync now with the backend"), k_sync },
	{ 'H', "H", N_("hours of this library: close a day, reopen, "
	    "exceptional hours"), k_hours },
	{ 'M', "M", N_("messages of this library and the campus"),
	    k_messages },
	{ 'S', "S", N_("statistics of this library (P6), CSV export"),
	    k_stats },
	{ 'A', "A", N_("staff: sessions, library information, resources, "
	    "accounts, campus closure"), k_staff },
	{ 'Q', "Q", N_("QR code of this library's validation page, its "
	    "code (P5)"), k_qr },
	{ 0, NULL, NULL, NULL }
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

struct screen *
grid_new(struct ui *ui)
{
	struct screen	*s = ui_screen_new(N_("Day grid"), grid_keys);
	struct gridv	*v = xcalloc(1, sizeof *v);
	size_t		 i;

	s->data = v;
	s->draw = grid_draw;
	s->free = grid_free;
	ui->grid = s;
	v->pcur = -1;
	v->day = tz_local_day(TZ_DEFAULT, clock_now());
	load(ui, v);
	col_at(v, clock_now());
	/* The desk's library first, if the configuration names one. */
	for (i = 0; ui->library[0] && i < v->g->nrows; i++)
		if (strcmp(v->g->rows[i].resource.library, ui->library) == 0) {
			v->cur = (int)i;
			break;
		}
	if (v->g->nrows > 0)
		snprintf(ui->library, sizeof ui->library, "%s",
		    v->g->rows[v->cur].resource.library);
	return (s);
}
