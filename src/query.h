/*
 * Read-only queries for the screens, the command line and the server:
 * resources, bookings, a day's grid, counts. Results are arrays the caller
 * frees with free() (query_grid_free for a grid).
 */
#ifndef GUICHET_QUERY_H
#define GUICHET_QUERY_H

#include "domain.h"
#include "hours.h"

struct booking_filter {
	int64_t		 from;		/* bookings ending after (0: any) */
	int64_t		 to;		/* and starting before (0: any) */
	const char	*resource;	/* code, or NULL */
	const char	*email;		/* normalised, or NULL */
	const char	*library;	/* library or holder code, or NULL */
	int		 status;	/* enum status, or -1 for any */
	/* Part of the e-mail or of the name, any case, or NULL. */
	const char	*match;
};

struct session_info {
	int64_t		 id;
	int64_t		 start;
	int64_t		 end;
	int		 places;
	int		 taken;
};

struct grid_row {
	struct resource		 resource;
	struct hours		 hours;		/* the library's, that day */
	int64_t			 day_start;	/* the local day's bounds */
	int64_t			 day_end;
	struct booking		*bookings;	/* live and past, by start */
	size_t			 nbookings;
	struct session_info	*sessions;
	size_t			 nsessions;
};

/* One local day of resources, grouped by library, then type, then code. */
struct grid {
	int32_t			 day;
	/* R6: seconds after its start a booking not present is late. */
	int64_t			 late;
	struct grid_row		*rows;
	size_t			 nrows;
};

enum gerr	 query_resources(struct store *s, const char *library,
		    struct resource **out, size_t *n);
/* Bookings a filter selects, by start, resource code, then id: a total
 * order, the same every time. The caller frees *out. */
enum gerr	 query_bookings(struct store *s, const struct booking_filter *f,
		    struct booking **out, size_t *n);
/* The sessions of a resource id that end after from and start before to,
 * by start, with their places taken (an array the caller frees). */
enum gerr	 query_sessions(struct store *s, int64_t resource, int64_t from,
		    int64_t to, struct session_info **out, size_t *n);
/* The grid of a day, for one library (or holder) code or all (NULL). */
enum gerr	 query_grid(struct store *s, int32_t day, const char *library,
		    struct grid **out);
void		 query_grid_free(struct grid *g);
/* Bookings of a day by status, over a library or all (NULL). */
enum gerr	 query_counts(struct store *s, int32_t day, const char *library,
		     int counts[STATUS__COUNT]);
/* A message (popup or event) with its establishment. */
struct message_info {
	int64_t		 id;
	char		 establishment[CODE_LEN];
	char		 tz[TZNAME_LEN];
	char		 kind[16];
	char		 text[4096];
	int64_t		 starts;
	int64_t		 ends;
};

/* One entry of the change log; data is owned (query_changes_free). */
struct change {
	int64_t		 seq;
	char		 entity[32];
	char		 entity_id[128];
	char		 op_id[UUID_LEN];
	int64_t		 at;
	char		*data;		/* JSON text */
};

/* Every establishment, by code. */
enum gerr	 query_establishments(struct store *s,
		    struct establishment **out, size_t *n);
/*
 * Messages by start: of an establishment code and of the campus instance,
 * whose messages concern every library (or of all: NULL), of a kind
 * ("popup", "event", or NULL for both), shown at an instant (or all: 0).
 */
enum gerr	 query_messages(struct store *s, const char *est,
		    const char *kind, int64_t at, struct message_info **out,
		    size_t *n);
/* At most limit changes after a sequence number, in order. */
enum gerr	 query_changes(struct store *s, int64_t after, int limit,
		    struct change **out, size_t *n);
void		 query_changes_free(struct change *v, size_t n);
/* One hourly head count of an establishment (occupancy history). */
struct occupancy_point {
	int64_t		 at;		/* the hour's first instant */
	int		 count;
};

/* The head counts of an establishment in [from, to), by time. */
enum gerr	 query_occupancy(struct store *s, int64_t establishment,
		    int64_t from, int64_t to, struct occupancy_point **out,
		    size_t *n);
/* The last sequence of the change log (0 for none). */
int64_t		 query_last_change(struct store *s);
/* Whether a booking is late at now, late seconds after its start (R6). */
int		 query_late(const struct booking *b, int64_t now, int64_t late);
/* Whether a live booking is late at now (R6): not present after G min. */
int		 query_is_late(struct store *s, const struct booking *b,
		    int64_t now);

/*
 * The slots of a local day's grid, as instants (SPEC 3, "Times"): from
 * local minute lo to hi by step minutes of real time, so that the
 * repeated hour of autumn gives its slots twice and the skipped hour of
 * spring none. Returns the number of slots; *out (freed by the caller)
 * holds that many starts and the end after them.
 */
size_t		 query_slots(const char *tz, int32_t day, int lo, int hi,
		    int step, int64_t **out);

#endif
