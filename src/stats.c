/* Statistics: see stats.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "stats.h"
#include "tz.h"
#include "xmalloc.h"

void
stats_iso_week(int32_t day, char *out)
{
	int32_t	thursday = day - tz_weekday(day) + 4, jan1;
	int	y, m, d;

	/* The ISO week's year is the year of its Thursday. */
	tz_civil_from_days(thursday, &y, &m, &d);
	jan1 = tz_days_from_civil(y, 1, 1);
	snprintf(out, 16, "%04d-W%02d", y % 10000,
	    (int)((thursday - jan1) / 7 + 1) % 100);
}

static struct stats_row *
row(struct stats *st, const char *resource, const char *week)
{
	size_t	i;

	for (i = 0; i < st->nrows; i++)
		if (strcmp(st->rows[i].resource, resource) == 0 &&
		    strcmp(st->rows[i].week, week) == 0)
			return (&st->rows[i]);
	st->rows = xreallocarray(st->rows, st->nrows + 1, sizeof *st->rows);
	memset(&st->rows[st->nrows], 0, sizeof *st->rows);
	strlcpy_g(st->rows[st->nrows].resource, resource, CODE_LEN);
	strlcpy_g(st->rows[st->nrows].week, week, 16);
	return (&st->rows[st->nrows++]);
}

static void
count(struct stats_row *r, const struct booking *b)
{
	switch (b->status) {
	case STATUS_CANCELLED:
		r->cancelled++;
		return;
	case STATUS_EXPIRED:
		r->expired++;
		return;
	case STATUS_NO_SHOW:
		r->no_show++;
		break;
	case STATUS_PRESENT:
		r->present++;
		break;
	default:
		break;
	}
	r->bookings++;
	r->minutes += (int)((b->end - b->start) / 60);
}

static int
by_resource_week(const void *a, const void *b)
{
	const struct stats_row	*x = a, *y = b;
	int			 c = strcmp(x->resource, y->resource);

	if (c != 0)
		return (c);
	/* The total ("") first, then the weeks. */
	if (x->week[0] == '\0' || y->week[0] == '\0')
		return (x->week[0] == '\0' ? -1 : 1);
	return (strcmp(x->week, y->week));
}

enum gerr
stats_collect(struct store *s, const char *library, int32_t from, int32_t to,
    struct stats *st)
{
	struct booking_filter	 f;
	struct booking		*b;
	struct resource		 r;
	struct establishment	 e;
	struct occupancy_point	*occ;
	const char		*tz = TZ_DEFAULT;
	char			 week[16];
	double			 sum[24];
	int			 n[24], minute, h;
	size_t			 nb, no, i;

	memset(st, 0, sizeof *st);
	if (establishment_find(s, library, &e) != GERR_OK)
		return (GERR_NOT_FOUND);
	tz = e.tz;
	st->jauge = e.jauge;
	memset(&f, 0, sizeof f);
	f.status = -1;
	f.library = library;
	f.from = tz_day_start(tz, from);
	f.to = tz_day_start(tz, to + 1);
	if (query_bookings(s, &f, &b, &nb) != GERR_OK)
		return (GERR_STORAGE);
	for (i = 0; i < nb; i++) {
		if (resource_find(s, b[i].resource, &r) != GERR_OK)
			continue;
		stats_iso_week(tz_local_day(r.tz, b[i].start), week);
		count(row(st, b[i].resource, week), &b[i]);
		count(row(st, b[i].resource, ""), &b[i]);
	}
	free(b);
	/* No booking: rows is NULL, which qsort may not take (C11 7.22.5). */
	if (st->nrows > 0)
		qsort(st->rows, st->nrows, sizeof *st->rows, by_resource_week);

	memset(sum, 0, sizeof sum);
	memset(n, 0, sizeof n);
	if (query_occupancy(s, e.id, f.from, f.to, &occ, &no) != GERR_OK)
		return (GERR_STORAGE);
	for (i = 0; i < no; i++) {
		tz_utc_to_local(tz, occ[i].at, NULL, &minute, NULL);
		h = minute / 60;
		sum[h] += occ[i].count;
		n[h]++;
	}
	free(occ);
	for (h = 0; h < 24; h++)
		st->hour[h] = n[h] > 0 ? sum[h] / n[h] : -1;
	return (GERR_OK);
}

void
stats_free(struct stats *st)
{
	free(st->rows);
	st->rows = NULL;
	st->nrows = 0;
}

json_t *
stats_record(const struct stats *st, const char *library, int32_t from,
    int32_t to)
{
	json_t	*rows = json_array(), *hours = json_array();
	char	 d0[TZ_DATE_LEN], d1[TZ_DATE_LEN];
	size_t	 i;
	int	 h;

	for (i = 0; i < st->nrows; i++) {
		const struct stats_row	*r = &st->rows[i];

		json_array_append_new(rows, json_pack("{s:s,s:s?,s:i,s:i,s:i,"
		    "s:i,s:i,s:i}", "resource", r->resource, "week",
		    r->week[0] != '\0' ? r->week : NULL, "bookings",
		    r->bookings, "minutes", r->minutes, "present", r->present,
		    "no_show", r->no_show, "cancelled", r->cancelled,
		    "expired", r->expired));
	}
	for (h = 0; h < 24; h++)
		if (st->hour[h] >= 0)
			json_array_append_new(hours, json_pack("{s:i,s:f}",
			    "hour", h, "mean", st->hour[h]));
	tz_format_date(from, d0);
	tz_format_date(to, d1);
	return (json_pack("{s:s,s:s,s:s,s:i,s:o,s:o}", "library", library,
	    "from", d0, "to", d1, "jauge", st->jauge, "rows", rows,
	    "occupancy", hours));
}
