/*
 * The domain of SPEC.md section 2: closed sets as enums with name tables,
 * and the records the core loads from the store. Records hold their strings
 * inline so they can be copied and freed as one block.
 */
#ifndef GUICHET_DOMAIN_H
#define GUICHET_DOMAIN_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define UUID_LEN	37

/*
 * No booking lasts more than a week, whatever a resource's policy says: a
 * guard that also bounds every search for bookings around an instant, so
 * that those searches read an index range and not a room's whole past.
 */
#define BOOKING_MAX_SECONDS	604800
#define BOOKING_MAX_SQL		"604800"
#define CODE_LEN	32
#define NAME_LEN	484	/* R16: 120 characters of UTF-8, and NUL */
#define EMAIL_LEN	255
#define TZNAME_LEN	64
#define LOGIN_LEN	64

enum status {
	STATUS_PENDING,		/* pending_confirmation (R5) */
	STATUS_CONFIRMED,
	STATUS_PRESENT,
	STATUS_CANCELLED,
	STATUS_NO_SHOW,
	STATUS_EXPIRED,
	STATUS__COUNT
};

enum origin {
	ORIGIN_WEB,
	ORIGIN_APP,
	ORIGIN_PHONE,
	ORIGIN_WALK_IN,
	ORIGIN_DESK,
	ORIGIN__COUNT
};

enum rtype {
	RTYPE_GROUP_ROOM,
	RTYPE_CARREL,
	RTYPE_SEAT,
	RTYPE_EQUIPMENT,
	RTYPE_WORKSHOP,
	RTYPE_VISIT,
	RTYPE_TRAINING,
	RTYPE_TRAINING_ROOM,
	RTYPE_MEETING_ROOM,
	RTYPE__COUNT
};

/* The nine permissions of the charter (SPEC.md section 4), as bits. */
enum perm {
	PERM_VIEW_MESSAGES =	1 << 0,	/* P1 */
	PERM_MESSAGES =		1 << 1,	/* P2 */
	PERM_VIEW_HOURS =	1 << 2,	/* P3 */
	PERM_HOURS =		1 << 3,	/* P4 */
	PERM_INFO =		1 << 4,	/* P5 */
	PERM_STATS =		1 << 5,	/* P6 */
	PERM_USERS =		1 << 6,	/* P7 */
	PERM_PLANNING =		1 << 7,	/* P8 */
	PERM_SETTINGS =		1 << 8,	/* P9 */
};
#define PERM_ALL	0x1ff

const char	*status_name(enum status st);
int		 status_parse(const char *str, enum status *out);
/* Live bookings hold their slot and count in quotas (R3, R7). */
int		 status_live(enum status st);
/*
 * The same in SQL, for a column: comparisons, because SQLite evaluates an
 * IN list of more than two constants through a temporary b-tree it builds
 * again at every run of the statement, a fifth of what a booking cost.
 */
#define STATUS_LIVE_SQL(col)	"(" col " = 'pending_confirmation' OR " \
				col " = 'confirmed' OR " col " = 'present')"

const char	*origin_name(enum origin o);
int		 origin_parse(const char *str, enum origin *out);
/* Bookings made at the desk are confirmed at once (R5). */
int		 origin_desk(enum origin o);

const char	*rtype_name(enum rtype t);
/* A human label: "group room". */
const char	*rtype_label(enum rtype t);
int		 rtype_parse(const char *str, enum rtype *out);
/* Internal planning only (R8). */
int		 rtype_internal(enum rtype t);
/* Booked by sessions with places (workshop, visit, training). */
int		 rtype_capacity(enum rtype t);

/* "P8" for PERM_PLANNING, and back. */
const char	*perm_id(enum perm p);
const char	*perm_label(enum perm p);
int		 perm_parse(const char *str, unsigned *out);

struct establishment {
	int64_t		 id;
	char		 code[CODE_LEN];
	char		 name[NAME_LEN];
	char		 kind[16];
	char		 tz[TZNAME_LEN];
	int		 jauge;
	int		 occupancy;
	char		 checkin_code[CODE_LEN];
};

struct resource {
	int64_t		 id;
	char		 code[CODE_LEN];
	char		 name[NAME_LEN];
	enum rtype	 type;
	int64_t		 establishment_id;	/* holder: rights, quotas */
	char		 establishment[CODE_LEN];
	int64_t		 library_id;		/* place: hours, grouping */
	char		 library[CODE_LEN];
	char		 tz[TZNAME_LEN];	/* the library's zone */
	int		 capacity;
	int		 seats;
	int		 public;
	int		 enabled;
	char		 place[64];
	/* R3 policy in minutes; 0 is no limit. */
	int		 granularity;
	int		 min_duration;
	int		 max_duration;
	int		 day_quota;
	int		 month_quota;
	int		 places_max;
};

struct booking {
	char		 id[UUID_LEN];
	int64_t		 resource_id;
	char		 resource[CODE_LEN];
	int64_t		 session_id;		/* 0 if none */
	int64_t		 start;
	int64_t		 end;
	char		 email[EMAIL_LEN];
	char		 name[NAME_LEN];
	char		 phone[40];
	int		 places;
	enum origin	 origin;
	enum status	 status;
	char		 cancel_reason[256];
	char		 created_by[LOGIN_LEN];
	int64_t		 created_at;
	char		 changed_by[LOGIN_LEN];
	int64_t		 changed_at;
	int		 version;
};

/* Internal planning (R8): an internal type, or a resource not public. */
int		 resource_internal(const struct resource *r);

/* Load records; each returns GERR_OK, GERR_NOT_FOUND or GERR_STORAGE. */
enum gerr	 establishment_find(struct store *s, const char *code,
		     struct establishment *e);
enum gerr	 establishment_get(struct store *s, int64_t id,
		     struct establishment *e);
enum gerr	 resource_get(struct store *s, int64_t id, struct resource *r);
enum gerr	 resource_find(struct store *s, const char *code,
		     struct resource *r);
enum gerr	 booking_find(struct store *s, const char *id,
		     struct booking *b);

/*
 * The SELECT lists and row readers shared by every booking and resource
 * query. Macros, so that each query is one constant string: no SQL is
 * built at run time (and none is shared between threads while built).
 */
#define BOOKING_COLUMNS \
    "b.id, b.resource_id, (SELECT code FROM resource WHERE id = " \
    "b.resource_id), b.session_id, b.start, b.end, b.email, b.name, " \
    "b.phone, b.places, b.origin, b.status, b.cancel_reason, b.created_by, " \
    "b.created_at, b.changed_by, b.changed_at, b.version"
#define RESOURCE_COLUMNS \
    "r.id, r.code, r.name, r.type, r.establishment_id, e.code, " \
    "r.library_id, l.code, l.tz, r.capacity, r.seats, r.public, r.enabled, " \
    "r.place, r.granularity, r.min_duration, r.max_duration, r.day_quota, " \
    "r.month_quota, r.places_max"
#define RESOURCE_JOINS \
    "resource r JOIN establishment e ON e.id = r.establishment_id " \
    "JOIN establishment l ON l.id = r.library_id"
void		 booking_from_row(sqlite3_stmt *st, int c, struct booking *b);
void		 resource_from_row(sqlite3_stmt *st, int c, struct resource *r);

/* A fresh random UUID (version 4) into a UUID_LEN buffer. */
void		 uuid_make(char *out);
int		 uuid_valid(const char *str);

#endif
