/*
 * What the day grid's files share (grid.c: the view, its moves and keys;
 * grid_draw.c: the drawing; grid_book.c: booking from a cell, "free now";
 * grid_find.c: the patron search). Private to them; the rest of ui/ sees
 * grid_new(), grid_goto() and grid_today() in screen.h.
 */
#ifndef GUICHET_UI_GRID_H
#define GUICHET_UI_GRID_H

#include <stdint.h>

#include "query.h"
#include "screen.h"

#define LABEL_W		15	/* the resource code and a space */
#define CELL_W		3

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

/* The grid's view, or NULL before the login. */
struct gridv	*grid_view(struct ui *ui);
/* The row under the cursor, or NULL when the day has none. */
const struct grid_row *grid_cur_row(struct gridv *v);
/* The instants [*a, *b) of a column. */
void		 grid_col_span(struct gridv *v, const struct grid_row *r,
		     int col, int64_t *a, int64_t *b);
/* The local minute a column starts at. */
int		 grid_col_minute(struct gridv *v, int col);
/* Whether a column lies outside a row's opening hours (R4). */
int		 grid_col_closed(struct gridv *v, const struct grid_row *r,
		     int col);
/* The live booking or the session of a row over [a, b), or NULL. */
const struct booking *grid_cell_booking(const struct grid_row *r, int64_t a,
		     int64_t b);
const struct session_info *grid_cell_session(const struct grid_row *r,
		     int64_t a, int64_t b);
/* HH:MM of an instant in a zone. */
void		 grid_hhmm(const char *tz, int64_t t, char *out);

/* grid_draw.c: draw the grid (all: everything, else what changed). */
void		 grid_draw(struct ui *ui, struct screen *s, int all);
/* grid_book.c: Enter on a cell; 'f', what is free from now. */
int		 grid_enter(struct ui *ui, struct screen *s);
int		 grid_freenow(struct ui *ui, struct screen *s);
/* grid_find.c: '/', a patron's bookings by part of the e-mail or name. */
int		 grid_find(struct ui *ui, struct screen *s);

#endif
