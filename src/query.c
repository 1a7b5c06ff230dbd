/*
 * Queries: see query.h. The grid takes three statements whatever the
 * number of resources: the resources, the day's bookings, the sessions;
 * hours are read once a library.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "rules.h"
#include "settings.h"
#include "tz.h"
#include "xmalloc.h"

/* Copy a text column (NULL as "") into a fixed buffer. */
static void
col_copy(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const unsigned char	*v = sqlite3_column_text(st, col);

	strlcpy_g(dst, v != NULL ? (const char *)v : "", size);
}

enum gerr
query_resources(struct store *s, const char *library, struct resource **out,
    size_t *n)
{
	sqlite3_stmt	*st;
	struct resource	*v = NULL;
	size_t		 len = 0;
	int		 rc;

	st = store_stmt(s, "SELECT " RESOURCE_COLUMNS " FROM " RESOURCE_JOINS
	    " WHERE ?1 = '' OR l.code = ?1 OR e.code = ?1 ORDER BY l.code, "
	    "r.type, r.code");
	store_bind_text(st, 1, library);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xappend(v, len, sizeof *v);
		resource_from_row(st, 0, &v[len++]);
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

enum gerr
query_bookings(struct store *s, const struct booking_filter *f,
    struct booking **out, size_t *n)
{
	sqlite3_stmt	*st;
	struct booking	*v = NULL;
	size_t		 len = 0;
	int		 rc;

	st = store_stmt(s, "SELECT " BOOKING_COLUMNS " FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id JOIN establishment l "
	    "ON l.id = r.library_id JOIN establishment h ON "
	    "h.id = r.establishment_id WHERE (?1 = 0 OR (b.end > ?1 AND "
	    "b.start > ?1 - " BOOKING_MAX_SQL ")) "
	    "AND (?2 = 0 OR b.start < ?2) AND (?3 = '' OR r.code = ?3) "
	    "AND (?4 = '' OR b.email = ?4) AND (?5 = '' OR "
	    "l.code = ?5 OR h.code = ?5) AND (?6 = '' OR "
	    "b.status = ?6) AND (?7 = '' OR instr(lower(b.email), lower(?7)) "
	    "> 0 OR instr(lower(b.name), lower(?7)) > 0) "
	    /* A total order: a slot freed and booked again lists the same
	     * way every time (the desk's patron search). */
	    "ORDER BY b.start, r.code, b.id");
	sqlite3_bind_int64(st, 1, f->from);
	sqlite3_bind_int64(st, 2, f->to);
	store_bind_text(st, 3, f->resource);
	store_bind_text(st, 4, f->email);
	store_bind_text(st, 5, f->library);
	store_bind_text(st, 6, f->status >= 0 ?
	    status_name((enum status)f->status) : NULL);
	store_bind_text(st, 7, f->match);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xappend(v, len, sizeof *v);
		booking_from_row(st, 0, &v[len++]);
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

static struct grid_row *
row_of(struct grid *g, int64_t resource_id)
{
	size_t	i;

	for (i = 0; i < g->nrows; i++)
		if (g->rows[i].resource.id == resource_id)
			return (&g->rows[i]);
	return (NULL);
}

enum gerr
query_grid(struct store *s, int32_t day, const char *library,
    struct grid **out)
{
	struct grid	*g;
	struct resource	*rs;
	struct grid_row	*row, *last = NULL;
	struct booking	 b;
	sqlite3_stmt	*st;
	size_t		 n, i;
	int64_t		 lo = INT64_MAX, hi = 0;
	int		 rc;

	*out = NULL;
	if (query_resources(s, library, &rs, &n) != GERR_OK) {
		free(rs);
		return (GERR_STORAGE);
	}
	g = xcalloc(1, sizeof *g);
	g->day = day;
	/* Read once for the grid, not once a cell. */
	g->late = setting_get(s, SET_LATE_MINUTES) * 60;
	g->nrows = n;
	g->rows = n > 0 ? xcalloc(n, sizeof *g->rows) : NULL;
	for (i = 0; i < n; i++) {
		row = &g->rows[i];
		row->resource = rs[i];
		if (last != NULL && last->resource.library_id ==
		    rs[i].library_id)
			row->hours = last->hours;
		else if (hours_for_day(s, rs[i].library_id, day,
		    &row->hours) != GERR_OK) {
			free(rs);
			query_grid_free(g);
			return (GERR_STORAGE);
		}
		row->day_start = tz_day_start(rs[i].tz, day);
		row->day_end = tz_day_start(rs[i].tz, day + 1);
		if (row->day_start < lo)
			lo = row->day_start;
		if (row->day_end > hi)
			hi = row->day_end;
		last = row;
	}
	free(rs);
	if (n == 0) {
		*out = g;
		return (GERR_OK);
	}

	st = store_stmt(s, "SELECT " BOOKING_COLUMNS " FROM booking b WHERE "
	    "b.start < ?2 AND b.start > ?1 - " BOOKING_MAX_SQL " AND "
	    "b.end > ?1 AND (" STATUS_LIVE_SQL("b.status") " OR b.status = "
	    "'no_show') ORDER BY b.start");
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		booking_from_row(st, 0, &b);
		if ((row = row_of(g, b.resource_id)) == NULL ||
		    b.start >= row->day_end || b.end <= row->day_start)
			continue;
		row->bookings = xappend(row->bookings, row->nbookings,
		    sizeof *row->bookings);
		row->bookings[row->nbookings++] = b;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		query_grid_free(g);
		return (GERR_STORAGE);
	}

	st = store_stmt(s, "SELECT s.resource_id, s.id, s.start, s.end, "
	    "s.places, (SELECT coalesce(sum(places), 0) FROM booking WHERE "
	    "session_id = s.id AND " STATUS_LIVE_SQL("status") ") FROM "
	    "session s WHERE s.start < ?2 AND "
	    "s.end > ?1 ORDER BY s.resource_id, s.start");
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct session_info	*si;

		if ((row = row_of(g, sqlite3_column_int64(st, 0))) == NULL)
			continue;
		row->sessions = xappend(row->sessions, row->nsessions,
		    sizeof *row->sessions);
		si = &row->sessions[row->nsessions++];
		si->id = sqlite3_column_int64(st, 1);
		si->start = sqlite3_column_int64(st, 2);
		si->end = sqlite3_column_int64(st, 3);
		si->places = sqlite3_column_int(st, 4);
		si->taken = sqlite3_column_int(st, 5);
	}
	sqlite3_reset(st);
	*out = g;
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

void
query_grid_free(struct grid *g)
{
	size_t	i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nrows; i++) {
		free(g->rows[i].bookings);
		free(g->rows[i].sessions);
	}
	free(g->rows);
	free(g);
}

enum gerr
query_counts(struct store *s, int32_t day, const char *library,
    int counts[STATUS__COUNT])
{
	sqlite3_stmt	*st;
	enum status	 status;
	int		 rc;
	const char	*tz = TZ_DEFAULT;
	struct establishment e;

	memset(counts, 0, sizeof(int) * STATUS__COUNT);
	if (library != NULL && establishment_find(s, library, &e) == GERR_OK)
		tz = e.tz;
	st = store_stmt(s, "SELECT b.status, count(*) FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id JOIN establishment l ON "
	    "l.id = r.library_id JOIN establishment h ON "
	    "h.id = r.establishment_id WHERE b.start < ?2 AND b.end > ?1 AND "
	    "b.start > ?1 - " BOOKING_MAX_SQL " AND "
	    "(?3 = '' OR l.code = ?3 OR h.code = ?3) GROUP BY b.status");
	sqlite3_bind_int64(st, 1, tz_day_start(tz, day));
	sqlite3_bind_int64(st, 2, tz_day_start(tz, day + 1));
	store_bind_text(st, 3, library);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (status_parse((const char *)sqlite3_column_text(st, 0),
		    &status) == 0)
			counts[status] = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

int
query_late(const struct booking *b, int64_t now, int64_t late)
{
	if (b->status != STATUS_PENDING && b->status != STATUS_CONFIRMED)
		return (0);
	/* R6: late G minutes after the start, or after it was made. */
	return (now > rules_late_after(b, late));
}

int
query_is_late(struct store *s, const struct booking *b, int64_t now)
{
	struct resource	r;

	/* R6 asks presence of exclusive public resources only. */
	if (resource_find(s, b->resource, &r) != GERR_OK ||
	    !rules_presence_applies(&r))
		return (0);
	return (query_late(b, now, setting_get(s, SET_LATE_MINUTES) *
	    60));
}

enum gerr
query_establishments(struct store *s, struct establishment **out, size_t *n)
{
	struct establishment	*v = NULL;
	sqlite3_stmt		*st;
	size_t			 len = 0;
	int			 rc;

	st = store_stmt(s, "SELECT id, code, name, kind, tz, jauge, "
	    "occupancy, checkin_code FROM establishment ORDER BY code");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xappend(v, len, sizeof *v);
		memset(&v[len], 0, sizeof v[len]);
		v[len].id = sqlite3_column_int64(st, 0);
		col_copy(v[len].code, sizeof v[len].code, st, 1);
		col_copy(v[len].name, sizeof v[len].name, st, 2);
		col_copy(v[len].kind, sizeof v[len].kind, st, 3);
		col_copy(v[len].tz, sizeof v[len].tz, st, 4);
		v[len].jauge = sqlite3_column_int(st, 5);
		v[len].occupancy = sqlite3_column_int(st, 6);
		col_copy(v[len].checkin_code, sizeof v[len].checkin_code, st,
		    7);
		len++;
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

enum gerr
query_messages(struct store *s, const char *est, const char *kind,
    int64_t at, struct message_info **out, size_t *n)
{
	struct message_info	*v = NULL;
	sqlite3_stmt		*st;
	size_t			 len = 0;
	int			 rc;

	st = store_stmt(s, "SELECT m.id, e.code, e.tz, m.kind, m.text, "
	    "m.starts, m.ends FROM message m JOIN establishment e ON "
	    "e.id = m.establishment_id WHERE (?1 = '' OR e.code = ?1 OR "
	    "e.kind = 'campus') AND (?2 = 0 OR (m.starts <= ?2 AND "
	    "m.ends > ?2)) AND (?3 = '' OR m.kind = ?3) "
	    "ORDER BY m.starts, m.id");
	store_bind_text(st, 1, est);
	sqlite3_bind_int64(st, 2, at);
	store_bind_text(st, 3, kind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xappend(v, len, sizeof *v);
		memset(&v[len], 0, sizeof v[len]);
		v[len].id = sqlite3_column_int64(st, 0);
		col_copy(v[len].establishment, sizeof v[len].establishment,
		    st, 1);
		col_copy(v[len].tz, sizeof v[len].tz, st, 2);
		col_copy(v[len].kind, sizeof v[len].kind, st, 3);
		col_copy(v[len].text, sizeof v[len].text, st, 4);
		v[len].starts = sqlite3_column_int64(st, 5);
		v[len].ends = sqlite3_column_int64(st, 6);
		len++;
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

enum gerr
query_changes(struct store *s, int64_t after, int limit, struct change **out,
    size_t *n)
{
	struct change	*v = NULL;
	sqlite3_stmt	*st;
	size_t		 len = 0;
	int		 rc;

	st = store_stmt(s, "SELECT seq, entity, entity_id, op_id, at, data "
	    "FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?");
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xappend(v, len, sizeof *v);
		memset(&v[len], 0, sizeof v[len]);
		v[len].seq = sqlite3_column_int64(st, 0);
		col_copy(v[len].entity, sizeof v[len].entity, st, 1);
		col_copy(v[len].entity_id, sizeof v[len].entity_id, st, 2);
		col_copy(v[len].op_id, sizeof v[len].op_id, st, 3);
		v[len].at = sqlite3_column_int64(st, 4);
		v[len].data = xstrdup(sqlite3_column_text(st, 5) != NULL ?
		    (const char *)sqlite3_column_text(st, 5) : "null");
		len++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		query_changes_free(v, len);
		v = NULL;
		len = 0;
	}
	*out = v;
	*n = len;
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

void
query_changes_free(struct change *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].data);
	free(v);
}

int64_t
query_last_change(struct store *s)
{
	sqlite3_stmt	*st = store_stmt(s, "SELECT coalesce(max(seq), 0) "
			    "FROM change_log");
	int64_t		 seq = 0;

	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (seq);
}

enum gerr
query_occupancy(struct store *s, int64_t establishment, int64_t from,
    int64_t to, struct occupancy_point **out, size_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, "SELECT at, count FROM occupancy_log WHERE "
	    "establishment_id = ? AND at >= ? AND at < ? ORDER BY at");
	sqlite3_bind_int64(st, 1, establishment);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xappend(*out, *n, sizeof **out);
		(*out)[*n].at = sqlite3_column_int64(st, 0);
		(*out)[*n].count = sqlite3_column_int(st, 1);
		(*n)++;
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

size_t
query_slots(const char *tz, int32_t day, int lo, int hi, int step,
    int64_t **out)
{
	int64_t	a = tz_local_to_utc(tz, day, lo);
	int64_t	b = tz_local_to_utc(tz, day, hi);
	size_t	n, i;

	if (step <= 0)
		step = 30;
	n = b > a ? (size_t)((b - a + step * 60 - 1) / (step * 60)) : 0;
	*out = xreallocarray(NULL, n + 1, sizeof **out);
	for (i = 0; i <= n; i++)
		(*out)[i] = a + (int64_t)i * step * 60;
	if (n > 0 && (*out)[n] > b)
		(*out)[n] = b;
	return (n);
}

enum gerr
query_sessions(struct store *s, int64_t resource, int64_t from, int64_t to,
    struct session_info **out, size_t *n)
{
	struct session_info	*v = NULL, *si;
	sqlite3_stmt		*st;
	int			 rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, "SELECT s.id, s.start, s.end, s.places, (SELECT "
	    "coalesce(sum(places), 0) FROM booking WHERE session_id = s.id "
	    "AND " STATUS_LIVE_SQL("status") ") FROM session s WHERE "
	    "s.resource_id = ?1 AND s.end > ?2 AND s.start < ?3 ORDER BY "
	    "s.start");
	sqlite3_bind_int64(st, 1, resource);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xappend(v, *n, sizeof *v);
		si = &v[(*n)++];
		si->id = sqlite3_column_int64(st, 0);
		si->start = sqlite3_column_int64(st, 1);
		si->end = sqlite3_column_int64(st, 2);
		si->places = sqlite3_column_int(st, 3);
		si->taken = sqlite3_column_int(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		*n = 0;
		return (GERR_STORAGE);
	}
	*out = v;
	return (GERR_OK);
}
