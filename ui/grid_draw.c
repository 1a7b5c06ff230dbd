/*
 * Drawing the day grid. Cells carry a symbol as well as a color, so
 * nothing depends on color alone. Cursor moves redraw only the two cells
 * that changed and the cursor line; scrolling or new data redraws the
 * body.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "query.h"
#include "slot.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "grid.h"

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
	if (grid_col_closed(v, r, col)) {
		glyph(ui, SLOT_CLOSED, 1, text, tsize);
		return (CELL_CLOSED);
	}
	grid_col_span(v, r, col, &a, &e);
	if (rtype_capacity(r->resource.type)) {
		if ((si = grid_cell_session(r, a, e)) == NULL) {
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
	if ((b = grid_cell_booking(r, a, e)) != NULL) {
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
	int	ot = v->top, ol = v->left, rows = h - 2;

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
	int		 x = LABEL_W + (col - v->left) * CELL_W, a, wd, n;
	/*
	 * A free cell is the grid's background: its dot in the terminal's
	 * own color, so that bookings stand out and a move over free cells
	 * changes no color (bytes per key).
	 */
	static const enum ui_color colors[] = {
		[CELL_FREE] = C_NORMAL, [CELL_CLOSED] = C_CLOSED,
		[CELL_READONLY] = C_READONLY, [CELL_BOOKED] = C_BOOKED,
		[CELL_PENDING] = C_PENDING, [CELL_PRESENT] = C_PRESENT,
		[CELL_LATE] = C_LATE, [CELL_SESSION] = C_SESSION,
		[CELL_NONE] = C_NORMAL,
	};

	wd = getmaxx(w);
	if (x + CELL_W > wd)
		return;
	c = cell_of(ui, v, row, col, text, sizeof text);
	n = c == CELL_SESSION ? CELL_W : CELL_W - 1;
	a = ui_attr(ui, colors[c]);
	/*
	 * The cursor is reverse video alone, without the cell's color, over
	 * the glyphs only (the gap after them keeps the cell's color): a
	 * move rewrites two characters a cell, with one attribute change
	 * there and one back (bytes per key).
	 */
	wattrset(w, a);
	mvwaddstr(w, y, x, "   ");
	wattrset(w, row == v->cur && col == v->col ? (int)A_REVERSE : a);
	mvwaddnstr(w, y, x, "   ", n);
	ui_put(w, y, x, text, n);
	wattrset(w, A_NORMAL);
}

/*
 * A row's code. The cursor's row is not marked here: the cursor line
 * names it, so that a move down rewrites two cells, not two labels
 * (bytes per key over a slow line).
 */
static void
draw_label(struct ui *ui, struct gridv *v, int row, int y)
{
	const struct grid_row	*r = &v->g->rows[row];
	char			 label[64];

	snprintf(label, sizeof label, "%s%s", r->resource.code,
	    v->ro[row] ? "*" : "");
	wattrset(ui->body, A_NORMAL);
	mvwaddstr(ui->body, y, 0, "               ");
	ui_put(ui->body, y, 0, label, LABEL_W - 1);
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
		m = grid_col_minute(v, c);
		if (m % 60 == 0)
			snprintf(t, sizeof t, "%02dh", m / 60);
		else
			snprintf(t, sizeof t, " %s ", ui_sym(ui,
			    "\xc2\xb7", "."));
		wattrset(ui->body, c == nowcol ? A_REVERSE | A_BOLD :
		    (m % 60 == 0 ? A_BOLD : A_DIM));
		mvwaddstr(ui->body, 0, LABEL_W + (c - v->left) * CELL_W, t);
	}
	/* Hours hidden on either side: say so, with an arrow. */
	wattrset(ui->body, A_BOLD);
	if (v->left > 0)
		ui_put(ui->body, 0, LABEL_W - 2, ui_sym(ui, "\xe2\x97\x80",
		    "<"), 1);
	if (v->left + vis < v->ncols)
		ui_put(ui->body, 0, LABEL_W + vis * CELL_W - 1 <
		    getmaxx(ui->body) - 1 ? LABEL_W + vis * CELL_W - 1 :
		    getmaxx(ui->body) - 1, ui_sym(ui, "\xe2\x96\xb6", ">"), 1);
	wattrset(ui->body, A_NORMAL);
}

/*
 * The last line: what is under the cursor, in words (time, resource,
 * state, patron), the time the grid shows nowhere else. The order keeps
 * what changes together: the time first (its own columns), the code,
 * then the state and the patron, so that a move down a column rewrites a
 * digit of the code and the name in one run, and a move along a row the
 * time alone (bytes per key over a slow line). ncurses sends only what
 * differs from the screen, so the line is rewritten whole here.
 */
static void
draw_curline(struct ui *ui, struct gridv *v, int y, int wd)
{
	const struct grid_row		*r = grid_cur_row(v);
	const struct booking		*b = NULL;
	const struct session_info	*si = NULL;
	char				 line[512], t0[TZ_HHMM_LEN];
	char				 t1[TZ_HHMM_LEN], state[128];
	char				 who[300] = "";
	int				 m = v->t0 + v->col * v->step;
	int64_t				 a, e;

	if (r == NULL)
		return;
	grid_col_span(v, r, v->col, &a, &e);
	tz_format_hhmm(m, t0);
	tz_format_hhmm(m + v->step, t1);
	if (!r->hours.open || m < r->hours.open_min ||
	    m + v->step > r->hours.close_min)
		snprintf(state, sizeof state, "%s", _("closed"));
	else if (rtype_capacity(r->resource.type)) {
		if ((si = grid_cell_session(r, a, e)) != NULL) {
			grid_hhmm(r->resource.tz, si->start, t0);
			grid_hhmm(r->resource.tz, si->end, t1);
			snprintf(state, sizeof state, "%s", _("session"));
			snprintf(who, sizeof who, _("%d of %d places taken"),
			    si->taken, si->places);
		} else
			snprintf(state, sizeof state, "%s", _("no session"));
	} else if ((b = grid_cell_booking(r, a, e)) != NULL) {
		grid_hhmm(r->resource.tz, b->start, t0);
		grid_hhmm(r->resource.tz, b->end, t1);
		snprintf(state, sizeof state, "%s%s", ui_status(b->status),
		    query_late(b, clock_now(), v->g->late) ? _(", LATE") : "");
		snprintf(who, sizeof who, "%.60s", b->name[0] ? b->name :
		    b->email);
	} else
		snprintf(state, sizeof state, "%s", _("free"));
	snprintf(line, sizeof line, "%s-%s %s %s%s%s%s", t0, t1,
	    r->resource.code, state, who[0] ? " " : "", who, v->ro[v->cur] ?
	    _("  (read-only)") : "");
	wattrset(ui->body, A_NORMAL);
	mvwhline(ui->body, y, 0, ' ', wd);
	ui_put(ui->body, y, 0, line, wd);
}

void
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
	    grid_cur_row(v)->resource.library);
	if (keep_visible(v, h, wd))
		v->full = 1;
	if (all || v->full) {
		werase(w);
		draw_axis(ui, v, vis);
		for (i = v->top, y = 1; i < v->nlines && y < h - 1; i++,
		    y++) {
			ln = v->lines[i];
			if (ln < 0) {
				const struct resource *r =
				    &v->g->rows[-1 - ln].resource;
				char	head[128];

				/* A rule, not a triangle: nothing folds. */
				snprintf(head, sizeof head, "%s %s - %s",
				    ui_sym(ui, "\xe2\x94\x80\xe2\x94\x80", "--"),
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
			if (y >= 1 && y < h - 1)
				draw_cell(ui, v, v->pcur, v->pcol, y);
		}
		y = line_of(v, v->cur) - v->top + 1;
		draw_cell(ui, v, v->cur, v->col, y);
	}
	if (h > 2)
		draw_curline(ui, v, h - 1, wd);
	v->pcur = v->cur;
	v->pcol = v->col;
	wnoutrefresh(w);
}

