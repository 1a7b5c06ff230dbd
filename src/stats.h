/*
 * Statistics (P6): bookings and no-shows by resource and by week, and
 * occupancy by hour of the day, over a window of local days. Computed in
 * C from the core's queries, in each library's time zone.
 */
#ifndef GUICHET_STATS_H
#define GUICHET_STATS_H

#include <jansson.h>

#include "domain.h"

struct stats_row {
	char		 resource[CODE_LEN];
	char		 week[16];	/* ISO week "2026-W48", "" for a total */
	int		 bookings;	/* live or past, not cancelled/expired */
	int		 minutes;	/* their booked time */
	int		 present;
	int		 no_show;
	int		 cancelled;
	int		 expired;
};

struct stats {
	struct stats_row	*rows;		/* by resource then week */
	size_t			 nrows;
	/* Occupancy: the mean head count of each local hour, -1 if none. */
	double			 hour[24];
	int			 jauge;
};

/* The statistics of a library (or holder) code from day to day. */
enum gerr	 stats_collect(struct store *s, const char *library,
		    int32_t from, int32_t to, struct stats *st);
void		 stats_free(struct stats *st);
/* The statistics of a library code from day to day as JSON (a new
 * reference), for the CLI's --json and the API alike: {"library", "from",
 * "to", "jauge", "rows": [{"resource", "week" (none for the total),
 * "bookings", ...}], "occupancy": [{"hour", "mean"}...]}. */
json_t		*stats_record(const struct stats *st, const char *library,
		    int32_t from, int32_t to);
/* The ISO week of a day number into a buffer of 16: "2026-W48". */
void		 stats_iso_week(int32_t day, char *out);

#endif
