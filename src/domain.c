/* Names of the domain's closed sets and the record loaders: see domain.h. */
#include "config.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain.h"
#include "i18n.h"
#include "xmalloc.h"

static const char *const status_names[STATUS__COUNT] = {
	[STATUS_PENDING] = "pending_confirmation",
	[STATUS_CONFIRMED] = "confirmed",
	[STATUS_PRESENT] = "present",
	[STATUS_CANCELLED] = "cancelled",
	[STATUS_NO_SHOW] = "no_show",
	[STATUS_EXPIRED] = "expired",
};

static const char *const origin_names[ORIGIN__COUNT] = {
	[ORIGIN_WEB] = "web",
	[ORIGIN_APP] = "app",
	[ORIGIN_PHONE] = "phone",
	[ORIGIN_WALK_IN] = "walk-in",
	[ORIGIN_DESK] = "desk",
};

static const struct {
	const char	*name;
	const char	*label;
	int		 internal;
	int		 capacity;
} rtypes[RTYPE__COUNT] = {
	[RTYPE_GROUP_ROOM] = { "group_room", "group room", 0, 0 },
	[RTYPE_CARREL] = { "carrel", "carrel", 0, 0 },
	[RTYPE_SEAT] = { "seat", "seat", 0, 0 },
	[RTYPE_EQUIPMENT] = { "equipment", "equipment", 0, 0 },
	[RTYPE_WORKSHOP] = { "workshop", "workshop", 0, 1 },
	[RTYPE_VISIT] = { "visit", "guided tour", 0, 1 },
	[RTYPE_TRAINING] = { "training", "training", 0, 1 },
	[RTYPE_TRAINING_ROOM] = { "training_room", "training room", 1, 0 },
	[RTYPE_MEETING_ROOM] = { "meeting_room", "meeting room", 1, 0 },
};

static const struct {
	const char	*id;
	const char	*label;
} perms[9] = {
	{ "P1", N_("view messages and events") },
	{ "P2", N_("manage messages and events") },
	{ "P3", N_("view hours") },
	{ "P4", N_("modify hours") },
	{ "P5", N_("modify information") },
	{ "P6", N_("view statistics") },
	{ "P7", N_("manage users") },
	{ "P8", N_("manage booking planning") },
	{ "P9", N_("manage booking settings") },
};

static int
lookup(const char *const *names, int n, const char *str)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], str) == 0)
			return (i);
	return (-1);
}

const char *
status_name(enum status st)
{
	return ((unsigned)st < STATUS__COUNT ? status_names[st] : "?");
}

int
status_parse(const char *str, enum status *out)
{
	int	i = lookup(status_names, STATUS__COUNT, str);

	if (i < 0)
		return (-1);
	*out = (enum status)i;
	return (0);
}

int
status_live(enum status st)
{
	return (st == STATUS_PENDING || st == STATUS_CONFIRMED ||
	    st == STATUS_PRESENT);
}

const char *
origin_name(enum origin o)
{
	return ((unsigned)o < ORIGIN__COUNT ? origin_names[o] : "?");
}

int
origin_parse(const char *str, enum origin *out)
{
	int	i = lookup(origin_names, ORIGIN__COUNT, str);

	if (i < 0)
		return (-1);
	*out = (enum origin)i;
	return (0);
}

int
origin_desk(enum origin o)
{
	return (o == ORIGIN_PHONE || o == ORIGIN_WALK_IN || o == ORIGIN_DESK);
}

const char *
rtype_name(enum rtype t)
{
	return ((unsigned)t < RTYPE__COUNT ? rtypes[t].name : "?");
}

const char *
rtype_label(enum rtype t)
{
	return ((unsigned)t < RTYPE__COUNT ? rtypes[t].label : "?");
}

int
rtype_parse(const char *str, enum rtype *out)
{
	int	i;

	for (i = 0; i < RTYPE__COUNT; i++) {
		if (strcmp(rtypes[i].name, str) == 0) {
			*out = (enum rtype)i;
			return (0);
		}
	}
	return (-1);
}

int
rtype_internal(enum rtype t)
{
	return ((unsigned)t < RTYPE__COUNT && rtypes[t].internal);
}

int
rtype_capacity(enum rtype t)
{
	return ((unsigned)t < RTYPE__COUNT && rtypes[t].capacity);
}

static int
perm_index(enum perm p)
{
	int	i;

	for (i = 0; i < 9; i++)
		if ((unsigned)p == 1u << i)
			return (i);
	return (-1);
}

const char *
perm_id(enum perm p)
{
	int	i = perm_index(p);

	return (i < 0 ? "?" : perms[i].id);
}

const char *
perm_label(enum perm p)
{
	int	i = perm_index(p);

	return (i < 0 ? "?" : perms[i].label);
}

int
perm_parse(const char *str, unsigned *out)
{
	int	i;

	for (i = 0; i < 9; i++) {
		if (strcasecmp(perms[i].id, str) == 0) {
			*out = 1u << i;
			return (0);
		}
	}
	return (-1);
}

static void
copy_col(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const unsigned char	*t = sqlite3_column_text(st, col);

	strlcpy_g(dst, t != NULL ? (const char *)t : "", size);
}

static enum gerr
establishment_load(struct store *s, const char *sql, const char *code,
    int64_t id, struct establishment *e)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (code != NULL)
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		copy_col(e->code, sizeof e->code, st, 1);
		copy_col(e->name, sizeof e->name, st, 2);
		copy_col(e->kind, sizeof e->kind, st, 3);
		copy_col(e->tz, sizeof e->tz, st, 4);
		e->jauge = sqlite3_column_int(st, 5);
		e->occupancy = sqlite3_column_int(st, 6);
		copy_col(e->checkin_code, sizeof e->checkin_code, st, 7);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (GERR_OK);
	return (rc == SQLITE_DONE ? GERR_NOT_FOUND : GERR_STORAGE);
}

enum gerr
establishment_find(struct store *s, const char *code, struct establishment *e)
{
	static const char	sql[] = "SELECT id, code, name, kind, tz, jauge, "
				    "occupancy, checkin_code FROM establishment "
				    "WHERE code = ?";

	return (establishment_load(s, sql, code, 0, e));
}

enum gerr
establishment_get(struct store *s, int64_t id, struct establishment *e)
{
	static const char	sql[] = "SELECT id, code, name, kind, tz, jauge, "
				    "occupancy, checkin_code FROM establishment "
				    "WHERE id = ?";

	return (establishment_load(s, sql, NULL, id, e));
}

void
resource_from_row(sqlite3_stmt *st, int c, struct resource *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, c + 0);
	copy_col(r->code, sizeof r->code, st, c + 1);
	copy_col(r->name, sizeof r->name, st, c + 2);
	if (rtype_parse((const char *)sqlite3_column_text(st, c + 3),
	    &r->type) != 0)
		r->type = RTYPE_GROUP_ROOM;
	r->establishment_id = sqlite3_column_int64(st, c + 4);
	copy_col(r->establishment, sizeof r->establishment, st, c + 5);
	r->library_id = sqlite3_column_int64(st, c + 6);
	copy_col(r->library, sizeof r->library, st, c + 7);
	copy_col(r->tz, sizeof r->tz, st, c + 8);
	r->capacity = sqlite3_column_int(st, c + 9);
	r->seats = sqlite3_column_int(st, c + 10);
	r->public = sqlite3_column_int(st, c + 11);
	r->enabled = sqlite3_column_int(st, c + 12);
	copy_col(r->place, sizeof r->place, st, c + 13);
	r->granularity = sqlite3_column_int(st, c + 14);
	r->min_duration = sqlite3_column_int(st, c + 15);
	r->max_duration = sqlite3_column_int(st, c + 16);
	r->day_quota = sqlite3_column_int(st, c + 17);
	r->month_quota = sqlite3_column_int(st, c + 18);
	r->places_max = sqlite3_column_int(st, c + 19);
}

int
resource_internal(const struct resource *r)
{
	return (rtype_internal(r->type) || !r->public);
}

/* The one row of a statement that selects RESOURCE_COLUMNS, if any. */
static enum gerr
resource_row(sqlite3_stmt *st, struct resource *r)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		resource_from_row(st, 0, r);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (GERR_OK);
	return (rc == SQLITE_DONE ? GERR_NOT_FOUND : GERR_STORAGE);
}

enum gerr
resource_get(struct store *s, int64_t id, struct resource *r)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "SELECT " RESOURCE_COLUMNS " FROM " RESOURCE_JOINS
	    " WHERE r.id = ?");
	sqlite3_bind_int64(st, 1, id);
	return (resource_row(st, r));
}

enum gerr
resource_find(struct store *s, const char *code, struct resource *r)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "SELECT " RESOURCE_COLUMNS " FROM " RESOURCE_JOINS
	    " WHERE r.code = ?");
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	return (resource_row(st, r));
}

void
booking_from_row(sqlite3_stmt *st, int c, struct booking *b)
{
	memset(b, 0, sizeof *b);
	copy_col(b->id, sizeof b->id, st, c + 0);
	b->resource_id = sqlite3_column_int64(st, c + 1);
	copy_col(b->resource, sizeof b->resource, st, c + 2);
	b->session_id = sqlite3_column_int64(st, c + 3);
	b->start = sqlite3_column_int64(st, c + 4);
	b->end = sqlite3_column_int64(st, c + 5);
	copy_col(b->email, sizeof b->email, st, c + 6);
	copy_col(b->name, sizeof b->name, st, c + 7);
	copy_col(b->phone, sizeof b->phone, st, c + 8);
	b->places = sqlite3_column_int(st, c + 9);
	if (origin_parse((const char *)sqlite3_column_text(st, c + 10),
	    &b->origin) != 0)
		b->origin = ORIGIN_DESK;
	if (status_parse((const char *)sqlite3_column_text(st, c + 11),
	    &b->status) != 0)
		b->status = STATUS_CANCELLED;
	copy_col(b->cancel_reason, sizeof b->cancel_reason, st, c + 12);
	copy_col(b->created_by, sizeof b->created_by, st, c + 13);
	b->created_at = sqlite3_column_int64(st, c + 14);
	copy_col(b->changed_by, sizeof b->changed_by, st, c + 15);
	b->changed_at = sqlite3_column_int64(st, c + 16);
	b->version = sqlite3_column_int(st, c + 17);
}

enum gerr
booking_find(struct store *s, const char *id, struct booking *b)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = store_stmt(s, "SELECT " BOOKING_COLUMNS " FROM booking b "
	    "WHERE b.id = ?");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		booking_from_row(st, 0, b);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (GERR_OK);
	return (rc == SQLITE_DONE ? GERR_NOT_FOUND : GERR_STORAGE);
}

void
uuid_make(char *out)
{
	unsigned char	b[16];

	randombytes_buf(b, sizeof b);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, UUID_LEN, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

int
uuid_valid(const char *str)
{
	int	i;

	if (strlen(str) != 36)
		return (0);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (str[i] != '-')
				return (0);
		} else if (!isxdigit((unsigned char)str[i]))
			return (0);
	}
	return (1);
}
