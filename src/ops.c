/*
 * The one door for writes: see ops.h. A table maps each kind to its
 * handler; handlers run inside the transaction and return an error code
 * with a message, or fill ctx->result. They never commit.
 */
#include "config.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "hours.h"
#include "i18n.h"
#include "mail.h"
#include "ops.h"
#include "record.h"
#include "rules.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

struct op_ctx {
	struct store		*s;
	const struct account	*a;
	const char		*op_id;
	json_t			*payload;
	json_t			*result;	/* owned until handed over */
	int64_t			 now;
	struct gerror		*err;
};

typedef enum gerr (*op_handler)(struct op_ctx *);

struct op_entry {
	const char	*kind;
	op_handler	 handler;
};

const char *const op_settings[] = {
	"max_days_ahead",	/* R1 */
	"allowed_domains",	/* R2 */
	"confirm_hours",	/* R5 */
	"late_minutes",		/* R6 */
	"checkin_early_minutes",	/* R6 */
	"auto_release",		/* R6 */
	"message_max_days",	/* R10 */
	NULL
};

/* Payload readers: each sets a bad_request error naming the field. */

static enum gerr
get_str(struct op_ctx *c, const char *key, int required, const char **out)
{
	json_t	*v = json_object_get(c->payload, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is "
			    "missing"), key));
		return (GERR_OK);
	}
	if (!json_is_string(v))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' must be a "
		    "string"), key));
	*out = json_string_value(v);
	return (GERR_OK);
}

/* Characters of a UTF-8 text (jansson made sure it is valid). */
static size_t
utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return (n);
}

/* A text of at most max bytes, so that no record cuts it (nor a UTF-8
 * character in it). */
static enum gerr
get_text(struct op_ctx *c, const char *key, int required, size_t max,
    const char **out)
{
	enum gerr	e;

	if ((e = get_str(c, key, required, out)) != GERR_OK)
		return (e);
	if (*out != NULL && strlen(*out) > max)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is longer "
		    "than %zu bytes: shorten it"), key, max));
	return (GERR_OK);
}

static enum gerr
get_int(struct op_ctx *c, const char *key, int required, long long min,
    long long max, long long *out)
{
	json_t	*v = json_object_get(c->payload, key);

	if (v == NULL || json_is_null(v)) {
		if (required)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is "
			    "missing"), key));
		return (GERR_NOT_FOUND);
	}
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' must be a "
		    "whole number from %lld to %lld"), key, min, max));
	*out = json_integer_value(v);
	return (GERR_OK);
}

static int
get_bool(struct op_ctx *c, const char *key)
{
	return (json_is_true(json_object_get(c->payload, key)));
}

static enum gerr
get_time(struct op_ctx *c, const char *key, const char *tz, int64_t *out)
{
	const char	*s;
	enum gerr	 e;

	if ((e = get_str(c, key, 1, &s)) != GERR_OK)
		return (e);
	if (clock_parse_iso(s, tz, out) != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not an "
		    "ISO 8601 instant: %s"), key, s));
	return (GERR_OK);
}

static enum gerr
get_resource(struct op_ctx *c, const char *key, struct resource *r)
{
	const char	*code;
	enum gerr	 e;

	if ((e = get_str(c, key, 1, &code)) != GERR_OK)
		return (e);
	if ((e = resource_find(c->s, code, r)) == GERR_NOT_FOUND)
		return (gerror_set(c->err, e, _("no resource '%s': list them "
		    "with 'guichet resources'"), code));
	if (e != GERR_OK)
		return (store_error(c->s, c->err, _("reading the resource")));
	return (GERR_OK);
}

static enum gerr
get_establishment(struct op_ctx *c, struct establishment *est)
{
	const char	*code;
	enum gerr	 e;

	if ((e = get_str(c, "establishment", 1, &code)) != GERR_OK)
		return (e);
	if ((e = establishment_find(c->s, code, est)) == GERR_NOT_FOUND)
		return (gerror_set(c->err, e, _("no establishment '%s'"), code));
	if (e != GERR_OK)
		return (store_error(c->s, c->err, _("reading the establishment")));
	return (GERR_OK);
}

static enum gerr
get_booking(struct op_ctx *c, struct booking *b, struct resource *r)
{
	const char	*id;
	enum gerr	 e;

	if ((e = get_str(c, "id", 1, &id)) != GERR_OK)
		return (e);
	if ((e = booking_find(c->s, id, b)) == GERR_NOT_FOUND)
		return (gerror_set(c->err, e, _("no booking '%s'"), id));
	if (e != GERR_OK)
		return (store_error(c->s, c->err, _("reading the booking")));
	if (resource_find(c->s, b->resource, r) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the resource")));
	return (GERR_OK);
}

/* Append to the change log; data is stolen. */
static enum gerr
changelog(struct op_ctx *c, const char *entity, const char *id, json_t *data)
{
	sqlite3_stmt	*st;
	char		*text;
	int		 rc;

	text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(data);
	st = store_stmt(c->s, "INSERT INTO change_log (entity, entity_id, "
	    "op_id, at, data) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->op_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->now);
	sqlite3_bind_text(st, 5, text, -1, free);
	rc = store_step_done(st);
	if (rc != SQLITE_DONE)
		return (store_error(c->s, c->err, _("writing the change log")));
	return (GERR_OK);
}

/* Reload a booking after a write, log it and make it the result. */
static enum gerr
booking_done(struct op_ctx *c, const char *id, const char *tz)
{
	struct booking	b;

	if (booking_find(c->s, id, &b) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the booking")));
	if (changelog(c, "booking", id, record_booking(&b, tz)) != GERR_OK)
		return (GERR_STORAGE);
	json_decref(c->result);
	c->result = record_booking(&b, tz);
	return (GERR_OK);
}

/* Queue the patron's e-mail about a booking, as it is now. */
static enum gerr
notify(struct op_ctx *c, enum mail_kind kind, const char *id,
    const char *reason)
{
	struct booking	b;

	if (booking_find(c->s, id, &b) != GERR_OK ||
	    mail_queue(c->s, kind, &b, reason) != GERR_OK)
		return (store_error(c->s, c->err, _("queueing the e-mail")));
	return (GERR_OK);
}

static enum gerr
set_status(struct op_ctx *c, const struct booking *b, enum status st,
    const char *reason)
{
	sqlite3_stmt	*q;

	q = store_stmt(c->s, "UPDATE booking SET status = ?, cancel_reason = "
	    "CASE WHEN ?2 = '' THEN cancel_reason ELSE ?2 END, changed_by = ?, "
	    "changed_at = ?, version = version + 1 WHERE id = ?");
	sqlite3_bind_text(q, 1, status_name(st), -1, SQLITE_STATIC);
	store_bind_text(q, 2, reason);
	sqlite3_bind_text(q, 3, c->a->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, c->now);
	sqlite3_bind_text(q, 5, b->id, -1, SQLITE_STATIC);
	if (store_step_done(q) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the booking")));
	return (GERR_OK);
}

/* A patron acts on a booking through the links of its e-mails only. */
static enum gerr
patron_key(struct op_ctx *c, const struct booking *b)
{
	const char	*given;
	char		 key[MAIL_KEY_LEN];

	if (c->a->actor != ACTOR_PATRON)
		return (GERR_OK);
	if (get_str(c, "key", 0, &given) != GERR_OK)
		return (GERR_BAD_REQUEST);
	if (mail_key(c->s, b->id, key) != GERR_OK)
		return (store_error(c->s, c->err, _("checking the link")));
	if (given == NULL || sodium_memcmp(given, key, MAIL_KEY_LEN - 1) !=
	    0 || strlen(given) != MAIL_KEY_LEN - 1)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("this link is not "
		    "the one of booking %s: use the link of its e-mail"),
		    b->id));
	return (GERR_OK);
}

/* Staff need P8 on the resource; patrons and the system pass. */
static enum gerr
may_plan(struct op_ctx *c, const struct resource *r)
{
	if (c->a->actor != ACTOR_STAFF)
		return (GERR_OK);
	return (rights_check_resource(c->a, PERM_PLANNING, r, c->err));
}

static enum gerr
op_book(struct op_ctx *c)
{
	struct resource		 r;
	struct booking_req	 q;
	const char		*email, *name, *phone, *origin_s, *id;
	char			 norm[EMAIL_LEN], uuid[UUID_LEN];
	enum origin		 origin;
	enum status		 status = STATUS_CONFIRMED;
	long long		 places = 1;
	sqlite3_stmt		*st;
	enum gerr		 e;
	int			 confirmed = 0;

	if ((e = get_resource(c, "resource", &r)) != GERR_OK ||
	    (e = get_str(c, "email", !resource_internal(&r), &email)) !=
	    GERR_OK ||
	    (e = get_text(c, "name", 0, NAME_LEN - 8, &name)) != GERR_OK ||
	    (e = get_text(c, "phone", 0, 32, &phone)) != GERR_OK ||
	    (e = get_str(c, "origin", 0, &origin_s)) != GERR_OK ||
	    (e = get_str(c, "id", 0, &id)) != GERR_OK)
		return (e);
	if (get_int(c, "places", 0, 1, 1000, &places) == GERR_BAD_REQUEST)
		return (GERR_BAD_REQUEST);
	memset(&q, 0, sizeof q);
	if ((e = get_time(c, "start", r.tz, &q.start)) != GERR_OK ||
	    (e = get_time(c, "end", r.tz, &q.end)) != GERR_OK)
		return (e);
	origin = c->a->actor == ACTOR_PATRON ? ORIGIN_WEB : ORIGIN_DESK;
	if (origin_s != NULL && origin_parse(origin_s, &origin) != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("origin '%s' is "
		    "not one of web, app, phone, walk-in, desk"), origin_s));
	if (c->a->actor == ACTOR_PATRON && origin_desk(origin))
		return (gerror_set(c->err, GERR_FORBIDDEN, _("a patron books "
		    "on the web or the app, not as '%s'"), origin_s));
	if (id != NULL && !uuid_valid(id))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("booking id '%s' "
		    "is not a UUID"), id));
	if ((e = may_plan(c, &r)) != GERR_OK)
		return (e);
	/* R2: an internal resource's contact address is optional. */
	if (email == NULL || (*email == '\0' && resource_internal(&r)))
		norm[0] = '\0';
	else if ((e = rules_check_email(c->s, email, resource_internal(&r),
	    c->err)) != GERR_OK)
		return (e);
	else
		rules_email_normalise(email, norm);
	q.resource = &r;
	q.email = norm;
	q.places = (int)places;
	q.origin = origin;
	if ((e = rules_check_booking(c->s, &q, c->now, c->err)) != GERR_OK)
		return (e);

	/* R5: a patron's first booking waits for the e-mail link. */
	st = store_stmt(c->s, "SELECT confirmed FROM patron WHERE email = ?");
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		confirmed = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (!origin_desk(origin) && !confirmed)
		status = STATUS_PENDING;
	st = store_stmt(c->s, "INSERT INTO patron (email) VALUES (?) "
	    "ON CONFLICT DO NOTHING");
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
	if (norm[0] != '\0' && store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the patron")));

	if (id == NULL) {
		/* The id goes into the payload, so that the backend makes
		 * the same booking when the outbox is pushed. */
		uuid_make(uuid);
		json_object_set_new(c->payload, "id", json_string(uuid));
		id = json_string_value(json_object_get(c->payload, "id"));
	}
	st = store_stmt(c->s, "INSERT INTO booking (id, resource_id, "
	    "session_id, start, end, email, name, phone, places, origin, "
	    "status, created_by, created_at, changed_by, changed_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, "
	    "?13)");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r.id);
	store_bind_id(st, 3, q.session_id);
	sqlite3_bind_int64(st, 4, q.start);
	sqlite3_bind_int64(st, 5, q.end);
	sqlite3_bind_text(st, 6, norm, -1, SQLITE_STATIC);
	store_bind_text(st, 7, name);
	store_bind_text(st, 8, phone);
	sqlite3_bind_int(st, 9, q.places);
	sqlite3_bind_text(st, 10, origin_name(origin), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, c->a->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, c->now);
	if (store_step_done(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(c->s->db) ==
		    SQLITE_CONSTRAINT_PRIMARYKEY)
			return (gerror_set(c->err, GERR_BAD_STATE, _("a booking "
			    "with id %s exists already"), id));
		return (store_error(c->s, c->err, _("saving the booking")));
	}
	if ((e = notify(c, status == STATUS_PENDING ? MAIL_PENDING :
	    MAIL_CONFIRMED, id, NULL)) != GERR_OK)
		return (e);
	return (booking_done(c, id, r.tz));
}

/* R14: extend, shorten or move, checked as new without counting itself. */
static enum gerr
op_change(struct op_ctx *c)
{
	struct booking		 b;
	struct resource		 r, to;
	struct booking_req	 q;
	long long		 version;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = get_booking(c, &b, &r)) != GERR_OK)
		return (e);
	if ((e = may_plan(c, &r)) != GERR_OK)
		return (e);
	to = r;
	if (json_object_get(c->payload, "resource") != NULL) {
		if ((e = get_resource(c, "resource", &to)) != GERR_OK)
			return (e);
		if ((e = may_plan(c, &to)) != GERR_OK)
			return (e);
	}
	if ((e = get_int(c, "version", 0, 1, 1LL << 40, &version)) ==
	    GERR_BAD_REQUEST)
		return (e);
	if (e == GERR_OK && version != b.version)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s was "
		    "changed meanwhile (version %d, not %lld): reload it"),
		    b.id, b.version, version));
	if (!status_live(b.status))
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is %s "
		    "and cannot be changed"), b.id, status_name(b.status)));
	memset(&q, 0, sizeof q);
	q.start = b.start;
	q.end = b.end;
	if (json_object_get(c->payload, "start") != NULL &&
	    (e = get_time(c, "start", to.tz, &q.start)) != GERR_OK)
		return (e);
	if (json_object_get(c->payload, "end") != NULL &&
	    (e = get_time(c, "end", to.tz, &q.end)) != GERR_OK)
		return (e);
	q.resource = &to;
	q.email = b.email;
	q.places = b.places;
	q.origin = b.origin;
	q.exclude_id = b.id;
	if ((e = rules_check_booking(c->s, &q, c->now, c->err)) != GERR_OK)
		return (e);
	st = store_stmt(c->s, "UPDATE booking SET resource_id = ?, "
	    "session_id = ?, start = ?, end = ?, changed_by = ?, "
	    "changed_at = ?, version = version + 1 WHERE id = ?");
	sqlite3_bind_int64(st, 1, to.id);
	store_bind_id(st, 2, q.session_id);
	sqlite3_bind_int64(st, 3, q.start);
	sqlite3_bind_int64(st, 4, q.end);
	sqlite3_bind_text(st, 5, c->a->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, c->now);
	sqlite3_bind_text(st, 7, b.id, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the booking")));
	/* The patron learns the new time (a pending one still waits). */
	if (b.status != STATUS_PENDING && (e = notify(c, MAIL_CONFIRMED, b.id,
	    NULL)) != GERR_OK)
		return (e);
	return (booking_done(c, b.id, to.tz));
}

static enum gerr
op_cancel(struct op_ctx *c)
{
	struct booking	 b;
	struct resource	 r;
	const char	*reason;
	enum gerr	 e;

	if ((e = get_booking(c, &b, &r)) != GERR_OK ||
	    (e = get_text(c, "reason", 0, 240, &reason)) != GERR_OK)
		return (e);
	if ((e = may_plan(c, &r)) != GERR_OK ||
	    (e = patron_key(c, &b)) != GERR_OK)
		return (e);
	/* R11: staff say why; the reason goes into the patron's e-mail. */
	if (c->a->actor == ACTOR_STAFF && (reason == NULL ||
	    reason[strspn(reason, " \t")] == '\0'))
		return (gerror_set(c->err, GERR_REASON_REQUIRED, _("cancelling "
		    "needs a reason for the patron's e-mail (R11)")));
	if (b.status != STATUS_PENDING && b.status != STATUS_CONFIRMED)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is %s "
		    "and cannot be cancelled"), b.id, status_name(b.status)));
	if ((e = set_status(c, &b, STATUS_CANCELLED, reason)) != GERR_OK ||
	    (e = notify(c, MAIL_CANCELLED, b.id, reason)) != GERR_OK)
		return (e);
	return (booking_done(c, b.id, r.tz));
}

/* R6: presence, with the establishment's code or at the desk. */
static enum gerr
op_checkin(struct op_ctx *c)
{
	struct booking		 b;
	struct resource		 r;
	struct establishment	 lib;
	const char		*code;
	int64_t			 early, late;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = get_booking(c, &b, &r)) != GERR_OK ||
	    (e = get_str(c, "code", 0, &code)) != GERR_OK)
		return (e);
	if ((e = may_plan(c, &r)) != GERR_OK)
		return (e);
	if (b.status == STATUS_PRESENT)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is "
		    "already validated"), b.id));
	if (b.status != STATUS_PENDING && b.status != STATUS_CONFIRMED)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is %s: "
		    "presence cannot be validated"), b.id,
		    status_name(b.status)));
	early = store_setting_int(c->s, "checkin_early_minutes", 10) * 60;
	late = store_setting_int(c->s, "late_minutes", 15) * 60;
	if (c->now < b.start - early)
		return (gerror_set(c->err, GERR_TOO_EARLY, _("presence is "
		    "validated from %lld min before the start (R6)"),
		    (long long)early / 60));
	if (c->a->actor == ACTOR_PATRON) {
		if (establishment_get(c->s, r.library_id, &lib) != GERR_OK)
			return (store_error(c->s, c->err, _("reading the code")));
		if (code == NULL || lib.checkin_code[0] == '\0' ||
		    strcmp(code, lib.checkin_code) != 0)
			return (gerror_set(c->err, GERR_BAD_CODE, _("this is "
			    "not the code of %s: read it under the QR code at "
			    "the entrance (R6)"), lib.code));
		if (b.status == STATUS_PENDING)
			return (gerror_set(c->err, GERR_NOT_CONFIRMED, _("confirm "
			    "the booking from its e-mail first, or validate "
			    "at the desk (R6)")));
		if (c->now > b.start + late)
			return (gerror_set(c->err, GERR_TOO_LATE, _("presence is "
			    "validated until %lld min after the start: ask "
			    "the desk (R6)"), (long long)late / 60));
	} else if (c->now >= b.end)
		return (gerror_set(c->err, GERR_TOO_LATE, _("booking %s has "
		    "ended (R6)"), b.id));
	if ((e = set_status(c, &b, STATUS_PRESENT, NULL)) != GERR_OK)
		return (e);
	/* Validated at the desk, a pending booking is confirmed too. */
	st = store_stmt(c->s, "UPDATE patron SET confirmed = 1 WHERE "
	    "email = ? AND ?2");
	sqlite3_bind_text(st, 1, b.email, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, b.status == STATUS_PENDING);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the patron")));
	return (booking_done(c, b.id, r.tz));
}

/* R5: the patron's e-mail link. */
static enum gerr
op_confirm(struct op_ctx *c)
{
	struct booking	 b;
	struct resource	 r;
	sqlite3_stmt	*st;
	enum gerr	 e;

	if ((e = get_booking(c, &b, &r)) != GERR_OK)
		return (e);
	if (c->a->actor == ACTOR_STAFF)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("only the patron "
		    "confirms from the e-mail link; at the desk, validate "
		    "presence instead (R5)")));
	if ((e = patron_key(c, &b)) != GERR_OK)
		return (e);
	if (b.status != STATUS_PENDING)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is %s, "
		    "not waiting for confirmation"), b.id,
		    status_name(b.status)));
	if ((e = set_status(c, &b, STATUS_CONFIRMED, NULL)) != GERR_OK ||
	    (e = notify(c, MAIL_CONFIRMED, b.id, NULL)) != GERR_OK)
		return (e);
	st = store_stmt(c->s, "UPDATE patron SET confirmed = 1 WHERE "
	    "email = ?");
	sqlite3_bind_text(st, 1, b.email, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the patron")));
	return (booking_done(c, b.id, r.tz));
}

/* Free one late booking into the result list; 1 if freed. */
static enum gerr
free_one(struct op_ctx *c, const char *id, int strict, json_t *list)
{
	struct booking	 b;
	struct resource	 r;
	int64_t		 late;
	enum gerr	 e;

	if ((e = booking_find(c->s, id, &b)) != GERR_OK)
		return (gerror_set(c->err, e, _("no booking '%s'"), id));
	if (resource_find(c->s, b.resource, &r) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the resource")));
	if ((e = may_plan(c, &r)) != GERR_OK)
		return (strict ? e : GERR_OK);
	late = store_setting_int(c->s, "late_minutes", 15) * 60;
	if ((b.status != STATUS_PENDING && b.status != STATUS_CONFIRMED) ||
	    c->now <= b.start + late) {
		if (!strict)
			return (GERR_OK);
		if (b.status == STATUS_PRESENT)
			return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s "
			    "is validated: the patron is here"), b.id));
		if (!status_live(b.status))
			return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s "
			    "is %s already"), b.id, status_name(b.status)));
		return (gerror_set(c->err, GERR_NOT_LATE, _("booking %s is not "
		    "late yet: it may be freed %lld min after its start (R6)"),
		    b.id, (long long)late / 60));
	}
	if ((e = set_status(c, &b, STATUS_NO_SHOW, NULL)) != GERR_OK ||
	    (e = notify(c, MAIL_NO_SHOW, b.id, NULL)) != GERR_OK ||
	    (e = booking_done(c, b.id, r.tz)) != GERR_OK)
		return (e);
	json_array_append(list, c->result);
	return (GERR_OK);
}

/* R6: free late bookings, named by "ids", or all in the account's scope
 * (optionally on one "establishment"). */
static enum gerr
op_free_late(struct op_ctx *c)
{
	json_t		*ids = json_object_get(c->payload, "ids"), *v, *list;
	const char	*est;
	char		**found = NULL;
	size_t		 i, n = 0;
	sqlite3_stmt	*st;
	enum gerr	 e = GERR_OK;

	if ((e = get_str(c, "establishment", 0, &est)) != GERR_OK)
		return (e);
	list = json_array();
	if (ids != NULL) {
		if (!json_is_array(ids)) {
			json_decref(list);
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'ids' "
			    "must be a list of booking ids")));
		}
		json_array_foreach(ids, i, v) {
			if (!json_is_string(v)) {
				e = gerror_set(c->err, GERR_BAD_REQUEST, _("'ids' "
				    "must be a list of booking ids"));
				break;
			}
			if ((e = free_one(c, json_string_value(v), 1,
			    list)) != GERR_OK)
				break;
		}
	} else {
		st = store_stmt(c->s, "SELECT b.id FROM booking b JOIN "
		    "resource r ON r.id = b.resource_id JOIN establishment e "
		    "ON e.id = r.library_id JOIN establishment h ON "
		    "h.id = r.establishment_id WHERE b.status IN "
		    "('pending_confirmation', 'confirmed') AND b.start < ?1 "
		    "AND (?2 = '' OR e.code = ?2 OR h.code = ?2) "
		    "ORDER BY b.start, b.id");
		sqlite3_bind_int64(st, 1, c->now - store_setting_int(c->s,
		    "late_minutes", 15) * 60);
		store_bind_text(st, 2, est);
		while (sqlite3_step(st) == SQLITE_ROW) {
			found = xreallocarray(found, n + 1, sizeof *found);
			found[n++] = xstrdup((const char *)
			    sqlite3_column_text(st, 0));
		}
		sqlite3_reset(st);
		for (i = 0; i < n && e == GERR_OK; i++)
			e = free_one(c, found[i], 0, list);
		for (i = 0; i < n; i++)
			free(found[i]);
		free(found);
		/* What this desk freed, by id: the backend frees the same
		 * bookings, not whatever is late there when it is pushed. */
		ids = json_array();
		json_array_foreach(list, i, v)
			json_array_append(ids, json_object_get(v, "id"));
		json_object_set_new(c->payload, "ids", ids);
		json_object_del(c->payload, "establishment");
	}
	json_decref(c->result);
	c->result = json_pack("{s:o}", "freed", list);
	return (e);
}

/* R5 expiry and R6 auto-release: what the sweeper does. */
static enum gerr
op_sweep(struct op_ctx *c)
{
	sqlite3_stmt	*st;
	char		**ids = NULL;
	size_t		 i, n = 0, nexp;
	int64_t		 hours, late;
	struct booking	 b;
	struct resource	 r;
	enum gerr	 e = GERR_OK;

	if (c->a->actor != ACTOR_SYSTEM && !c->a->superadmin)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("the sweep is run "
		    "by the system (R5, R6); %s may not"), c->a->login));
	hours = store_setting_int(c->s, "confirm_hours", 2);
	late = store_setting_int(c->s, "late_minutes", 15);
	st = store_stmt(c->s, "SELECT id FROM booking WHERE status = "
	    "'pending_confirmation' AND created_at <= ? ORDER BY id");
	sqlite3_bind_int64(st, 1, c->now - hours * 3600);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	nexp = n;
	if (store_setting_int(c->s, "auto_release", 1)) {
		st = store_stmt(c->s, "SELECT id FROM booking WHERE status IN "
		    "('pending_confirmation', 'confirmed') AND start < ? AND "
		    "NOT (status = 'pending_confirmation' AND created_at <= ?) "
		    "ORDER BY id");
		sqlite3_bind_int64(st, 1, c->now - late * 60);
		sqlite3_bind_int64(st, 2, c->now - hours * 3600);
		while (sqlite3_step(st) == SQLITE_ROW) {
			ids = xreallocarray(ids, n + 1, sizeof *ids);
			ids[n++] = xstrdup((const char *)
			    sqlite3_column_text(st, 0));
		}
		sqlite3_reset(st);
	}
	for (i = 0; i < n && e == GERR_OK; i++) {
		if (booking_find(c->s, ids[i], &b) != GERR_OK ||
		    resource_find(c->s, b.resource, &r) != GERR_OK)
			e = store_error(c->s, c->err, _("reading a booking"));
		else if ((e = set_status(c, &b, i < nexp ? STATUS_EXPIRED :
		    STATUS_NO_SHOW, NULL)) == GERR_OK &&
		    (e = notify(c, i < nexp ? MAIL_EXPIRED : MAIL_NO_SHOW, b.id,
		    NULL)) == GERR_OK)
			e = booking_done(c, b.id, r.tz);
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	json_decref(c->result);
	c->result = json_pack("{s:I,s:I}", "expired", (json_int_t)nexp,
	    "freed", (json_int_t)(n - nexp));
	return (e);
}

static enum gerr
get_hhmm(struct op_ctx *c, const char *key, int *out)
{
	const char	*s;
	enum gerr	 e;

	if ((e = get_str(c, key, 1, &s)) != GERR_OK)
		return (e);
	if (tz_parse_hhmm(s, out) != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "time HH:MM: %s"), key, s));
	return (GERR_OK);
}

static enum gerr
get_day(struct op_ctx *c, int32_t *day)
{
	const char	*s;
	enum gerr	 e;

	if ((e = get_str(c, "date", 1, &s)) != GERR_OK)
		return (e);
	if (tz_parse_date(s, day) != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "date YYYY-MM-DD"), s));
	return (GERR_OK);
}

/* Log an establishment's hours in full: a pull replaces them whole. */
static enum gerr
log_hours(struct op_ctx *c, const struct establishment *est)
{
	json_decref(c->result);
	c->result = record_hours(c->s, est);
	return (changelog(c, "hours", est->code, record_hours(c->s, est)));
}

/* Weekly hours of one weekday, or "closed": true. */
static enum gerr
op_hours_week(struct op_ctx *c)
{
	struct establishment	 est;
	long long		 wd;
	int			 o = 0, cl = 0;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = get_establishment(c, &est)) != GERR_OK ||
	    (e = get_int(c, "weekday", 1, 1, 7, &wd)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_HOURS, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	if (get_bool(c, "closed")) {
		st = store_stmt(c->s, "DELETE FROM hours_weekly WHERE "
		    "establishment_id = ? AND weekday = ?");
	} else {
		if ((e = get_hhmm(c, "open", &o)) != GERR_OK ||
		    (e = get_hhmm(c, "close", &cl)) != GERR_OK)
			return (e);
		if (o >= cl)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("opening "
			    "must come before closing")));
		st = store_stmt(c->s, "INSERT INTO hours_weekly VALUES "
		    "(?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET open_min = ?3, "
		    "close_min = ?4");
		sqlite3_bind_int(st, 3, o);
		sqlite3_bind_int(st, 4, cl);
	}
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int(st, 2, (int)wd);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the hours")));
	return (log_hours(c, &est));
}

/* Exceptional hours on one date. */
static enum gerr
op_hours_date(struct op_ctx *c)
{
	struct establishment	 est;
	int32_t			 day;
	int			 o, cl;
	const char		*reason;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = get_establishment(c, &est)) != GERR_OK ||
	    (e = get_day(c, &day)) != GERR_OK ||
	    (e = get_hhmm(c, "open", &o)) != GERR_OK ||
	    (e = get_hhmm(c, "close", &cl)) != GERR_OK ||
	    (e = get_text(c, "reason", 0, 240, &reason)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_HOURS, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	if (o >= cl)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("opening must "
		    "come before closing")));
	st = store_stmt(c->s, "INSERT INTO hours_date VALUES (?1, ?2, 0, ?3, "
	    "?4, ?5) ON CONFLICT DO UPDATE SET closed = 0, open_min = ?3, "
	    "close_min = ?4, reason = ?5");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int(st, 2, day);
	sqlite3_bind_int(st, 3, o);
	sqlite3_bind_int(st, 4, cl);
	store_bind_text(st, 5, reason);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the hours")));
	return (log_hours(c, &est));
}

/* Whether "ids" (absent: any) names exactly these bookings. */
static int
same_ids(json_t *given, char **ids, size_t n)
{
	json_t	*v;
	size_t	 i, k, found;

	if (given == NULL)
		return (1);
	if (!json_is_array(given) || json_array_size(given) != n)
		return (0);
	for (i = 0; i < n; i++) {
		found = 0;
		json_array_foreach(given, k, v)
			found |= json_is_string(v) &&
			    strcmp(json_string_value(v), ids[i]) == 0;
		if (!found)
			return (0);
	}
	return (1);
}

/* R13: close a date; its live bookings are listed, and cancelled with the
 * closure's reason only when the payload says "confirm": true (for the
 * list shown, when it gives their "ids"). */
static enum gerr
op_close(struct op_ctx *c)
{
	struct establishment	 est;
	struct booking		 b;
	struct resource		 r;
	int32_t			 day;
	const char		*reason;
	json_t			*list;
	sqlite3_stmt		*st;
	char			**ids = NULL;
	char			 why[300];
	size_t			 i, n = 0;
	enum gerr		 e = GERR_OK;
	int			 confirm;

	if ((e = get_establishment(c, &est)) != GERR_OK ||
	    (e = get_day(c, &day)) != GERR_OK ||
	    (e = get_text(c, "reason", 1, 240, &reason)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_HOURS, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	/* A library's hours decide R4 for its resources: closing anything
	 * else would cancel bookings and still let the slots be booked. */
	if (strcmp(est.kind, "library") != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("%s is not a "
		    "library: close the library whose hours apply (R4, R13)"),
		    est.code));
	if (reason[strspn(reason, " \t")] == '\0')
		return (gerror_set(c->err, GERR_REASON_REQUIRED, _("a closure "
		    "needs a reason: it goes into the patrons' e-mails (R11, "
		    "R13)")));
	st = store_stmt(c->s, "SELECT b.id FROM booking b JOIN resource r ON "
	    "r.id = b.resource_id WHERE r.library_id = ?1 AND b.start < ?3 "
	    "AND b.end > ?2 AND "
	    "b.status IN ('pending_confirmation', 'confirmed', 'present') "
	    "ORDER BY b.start, r.code");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int64(st, 2, tz_day_start(est.tz, day));
	sqlite3_bind_int64(st, 3, tz_day_start(est.tz, day + 1));
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	list = json_array();
	snprintf(why, sizeof why, "closed: %s", reason);
	/* Confirmed for the list shown ("ids"): if the live bookings are no
	 * longer those, show the new list rather than cancel unseen ones. */
	confirm = get_bool(c, "confirm") && same_ids(json_object_get(c->payload,
	    "ids"), ids, n);
	for (i = 0; i < n && e == GERR_OK; i++) {
		if (booking_find(c->s, ids[i], &b) != GERR_OK ||
		    resource_find(c->s, b.resource, &r) != GERR_OK) {
			e = store_error(c->s, c->err, _("reading a booking"));
			break;
		}
		if (!confirm) {
			json_array_append_new(list, record_booking(&b, r.tz));
			continue;
		}
		if ((e = set_status(c, &b, STATUS_CANCELLED, why)) == GERR_OK &&
		    (e = notify(c, MAIL_CANCELLED, b.id, reason)) == GERR_OK &&
		    (e = booking_done(c, b.id, r.tz)) == GERR_OK)
			json_array_append(list, c->result);
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	json_decref(c->result);
	c->result = json_pack("{s:O}", "cancelled", list);
	if (e != GERR_OK || (n > 0 && !confirm))
		json_decref(list);
	if (e != GERR_OK)
		return (e);
	if (n > 0 && !confirm)
		return (gerror_set(c->err, GERR_NEEDS_CONFIRMATION, _("closing "
		    "%s on this date cancels %zu live booking(s): confirm to "
		    "cancel them with the reason (R13)"), est.code, n));
	st = store_stmt(c->s, "INSERT INTO hours_date VALUES (?1, ?2, 1, 0, "
	    "0, ?3) ON CONFLICT DO UPDATE SET closed = 1, reason = ?3");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int(st, 2, day);
	sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the closure")));
	json_decref(c->result);
	c->result = json_pack("{s:o,s:o}", "cancelled", list, "hours",
	    record_hours(c->s, &est));
	return (changelog(c, "hours", est.code, record_hours(c->s, &est)));
}

/* Back to the weekly hours on a date. */
static enum gerr
op_open(struct op_ctx *c)
{
	struct establishment	 est;
	int32_t			 day;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = get_establishment(c, &est)) != GERR_OK ||
	    (e = get_day(c, &day)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_HOURS, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	st = store_stmt(c->s, "DELETE FROM hours_date WHERE "
	    "establishment_id = ? AND day = ?");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int(st, 2, day);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the hours")));
	return (log_hours(c, &est));
}

/* R10: a message shows for at most message_max_days. */
static enum gerr
op_message_add(struct op_ctx *c)
{
	struct establishment	 est;
	const char		*kind, *text, *uid;
	int64_t			 from, to, max;
	int32_t			 day;
	int			 minute;
	sqlite3_stmt		*st;
	char			 made[UUID_LEN];
	enum gerr		 e;

	if ((e = get_establishment(c, &est)) != GERR_OK ||
	    (e = get_str(c, "kind", 1, &kind)) != GERR_OK ||
	    (e = get_str(c, "text", 1, &text)) != GERR_OK ||
	    (e = get_str(c, "uid", 0, &uid)) != GERR_OK ||
	    (e = get_time(c, "from", est.tz, &from)) != GERR_OK ||
	    (e = get_time(c, "to", est.tz, &to)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_MESSAGES, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	if (strcmp(kind, "popup") != 0 && strcmp(kind, "event") != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a message is a "
		    "'popup' or an 'event', not '%s'"), kind));
	if (text[strspn(text, " \t")] == '\0' || utf8_chars(text) > 1000)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a message has a "
		    "text of 1 to 1000 characters")));
	if (uid != NULL && !uuid_valid(uid))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("message uid '%s' "
		    "is not a UUID"), uid));
	if (to <= from)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a message ends "
		    "after it starts")));
	/* R10 in local days: a week is a week across a change of time. */
	max = store_setting_int(c->s, "message_max_days", 7);
	tz_utc_to_local(est.tz, from, &day, &minute, NULL);
	if (to > tz_local_to_utc(est.tz, day + (int32_t)max, minute))
		return (gerror_set(c->err, GERR_MESSAGE_TOO_LONG, _("a message "
		    "shows for %lld days at most; this one would show for "
		    "%lld days %lld h (R10)"), (long long)max,
		    (long long)((to - from) / 86400),
		    (long long)((to - from) % 86400 / 3600)));
	if (uid == NULL) {
		/* Made here, kept by every replica (like a booking id). */
		uuid_make(made);
		json_object_set_new(c->payload, "uid", json_string(made));
		uid = json_string_value(json_object_get(c->payload, "uid"));
	}
	st = store_stmt(c->s, "INSERT INTO message (uid, establishment_id, "
	    "kind, text, starts, ends, created_by) VALUES (?, ?, ?, ?, ?, ?, "
	    "?)");
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, est.id);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, from);
	sqlite3_bind_int64(st, 6, to);
	sqlite3_bind_text(st, 7, c->a->login, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(c->s->db) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			return (gerror_set(c->err, GERR_BAD_STATE, _("a message "
			    "with uid %s exists already"), uid));
		return (store_error(c->s, c->err, _("saving the message")));
	}
	json_decref(c->result);
	c->result = record_message(c->s, uid);
	return (changelog(c, "message", uid, record_message(c->s, uid)));
}

/* Remove a message, named by "uid" (or by this database's "id"). */
static enum gerr
op_message_remove(struct op_ctx *c)
{
	long long	 id = 0;
	int64_t		 est = 0;
	const char	*uid;
	char		 found[UUID_LEN] = "";
	sqlite3_stmt	*st;
	enum gerr	 e;

	if ((e = get_str(c, "uid", 0, &uid)) != GERR_OK)
		return (e);
	if (uid == NULL && (e = get_int(c, "id", 1, 1, 1LL << 53, &id)) !=
	    GERR_OK)
		return (e);
	st = store_stmt(c->s, "SELECT establishment_id, uid FROM message "
	    "WHERE uid = ?1 OR id = ?2");
	store_bind_text(st, 1, uid);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		est = sqlite3_column_int64(st, 0);
		strlcpy_g(found, (const char *)sqlite3_column_text(st, 1),
		    sizeof found);
	}
	sqlite3_reset(st);
	if (est == 0)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no such message: "
		    "list them with 'guichet messages'")));
	if ((e = rights_check(c->s, c->a, PERM_MESSAGES, est, c->err)) !=
	    GERR_OK)
		return (e);
	st = store_stmt(c->s, "DELETE FROM message WHERE uid = ?");
	sqlite3_bind_text(st, 1, found, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("removing the message")));
	/* Replicas know the message by its uid, not by our id. */
	json_object_set_new(c->payload, "uid", json_string(found));
	json_object_del(c->payload, "id");
	json_decref(c->result);
	c->result = json_pack("{s:s,s:b}", "uid", found, "removed", 1);
	return (changelog(c, "message", found, json_deep_copy(c->result)));
}

/* Resource settings (P9): policy, enabled, public, texts. */
static enum gerr
op_resource_set(struct op_ctx *c)
{
	static const struct {
		const char	*key;
		const char	*sql;
		long long	 min, max;
	} ints[] = {
		{ "enabled", "UPDATE resource SET enabled = ? WHERE id = ?",
		    0, 1 },
		{ "public", "UPDATE resource SET public = ? WHERE id = ?", 0, 1 },
		{ "capacity", "UPDATE resource SET capacity = ? WHERE id = ?",
		    1, 10000 },
		{ "granularity", "UPDATE resource SET granularity = ? WHERE "
		    "id = ?", 5, 1440 },
		{ "min_duration", "UPDATE resource SET min_duration = ? WHERE "
		    "id = ?", 0, 1440 },
		{ "max_duration", "UPDATE resource SET max_duration = ? WHERE "
		    "id = ?", 0, 10080 },
		{ "day_quota", "UPDATE resource SET day_quota = ? WHERE id = ?",
		    0, 1440 },
		{ "month_quota", "UPDATE resource SET month_quota = ? WHERE "
		    "id = ?", 0, 44640 },
		{ "places_max", "UPDATE resource SET places_max = ? WHERE "
		    "id = ?", 1, 1000 },
	};
	struct resource	 r;
	const char	*key, *text;
	json_t		*v;
	long long	 n;
	size_t		 i;
	sqlite3_stmt	*st;
	enum gerr	 e;
	int		 known;

	if ((e = get_resource(c, "resource", &r)) != GERR_OK)
		return (e);
	if (c->a->actor != ACTOR_SYSTEM && (e = rights_check_resource(c->a,
	    PERM_SETTINGS, &r, c->err)) != GERR_OK)
		return (e);
	json_object_foreach(c->payload, key, v) {
		if (strcmp(key, "resource") == 0)
			continue;
		known = 0;
		for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
			if (strcmp(key, ints[i].key) != 0)
				continue;
			known = 1;
			if (json_is_boolean(v))
				n = json_is_true(v);
			else if ((e = get_int(c, key, 1, ints[i].min,
			    ints[i].max, &n)) != GERR_OK)
				return (e);
			st = store_stmt(c->s, ints[i].sql);
			sqlite3_bind_int64(st, 1, n);
			sqlite3_bind_int64(st, 2, r.id);
			if (store_step_done(st) != SQLITE_DONE)
				return (store_error(c->s, c->err, _("saving the "
				    "resource")));
		}
		if (strcmp(key, "name") == 0 || strcmp(key,
		    "confirm_message") == 0) {
			known = 1;
			if ((e = get_str(c, key, 1, &text)) != GERR_OK)
				return (e);
			st = store_stmt(c->s, strcmp(key, "name") == 0 ?
			    "UPDATE resource SET name = ? WHERE id = ?" :
			    "UPDATE resource SET confirm_message = ? WHERE "
			    "id = ?");
			sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, r.id);
			if (store_step_done(st) != SQLITE_DONE)
				return (store_error(c->s, c->err, _("saving the "
				    "resource")));
		}
		if (!known)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is "
			    "not a resource setting"), key));
	}
	if (resource_find(c->s, r.code, &r) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the resource")));
	json_decref(c->result);
	c->result = record_resource(&r);
	return (changelog(c, "resource", r.code, record_resource(&r)));
}

/* R12: global settings, by the super-administrator only. */
static enum gerr
op_setting(struct op_ctx *c)
{
	const char	*key, *value, *p;
	char		*copy, *tok, *save, norm[EMAIL_LEN];
	long long	 n;
	char		*end;
	sqlite3_stmt	*st;
	enum gerr	 e;
	size_t		 i;

	if ((e = get_str(c, "key", 1, &key)) != GERR_OK ||
	    (e = get_str(c, "value", 1, &value)) != GERR_OK)
		return (e);
	if ((e = rights_check_super(c->a, c->err)) != GERR_OK)
		return (e);
	for (i = 0; op_settings[i] != NULL; i++)
		if (strcmp(op_settings[i], key) == 0)
			break;
	if (op_settings[i] == NULL)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "global setting"), key));
	if (strcmp(key, "allowed_domains") == 0) {
		st = store_stmt(c->s, "DELETE FROM allowed_domain");
		if (store_step_done(st) != SQLITE_DONE)
			return (store_error(c->s, c->err, _("saving")));
		copy = xstrdup(value);
		e = GERR_OK;
		for (tok = strtok_r(copy, ", ", &save); tok != NULL && e ==
		    GERR_OK; tok = strtok_r(NULL, ", ", &save)) {
			p = tok;
			snprintf(norm, sizeof norm, "x@%s", p);
			if (rules_email_normalise(norm, norm) != 0) {
				e = gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' "
				    "is not a domain name"), p);
				break;
			}
			st = store_stmt(c->s, "INSERT OR IGNORE INTO "
			    "allowed_domain VALUES (?)");
			sqlite3_bind_text(st, 1, norm + 2, -1, SQLITE_STATIC);
			if (store_step_done(st) != SQLITE_DONE)
				e = store_error(c->s, c->err, _("saving"));
		}
		free(copy);
		if (e != GERR_OK)
			return (e);
	} else {
		n = strtoll(value, &end, 10);
		if (end == value || *end != '\0' || n < 0 || n > 10000)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' "
			    "takes a whole number from 0 to 10000, not '%s'"),
			    key, value));
	}
	st = store_stmt(c->s, "INSERT INTO setting VALUES (?1, ?2) ON "
	    "CONFLICT DO UPDATE SET value = ?2");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the setting")));
	json_decref(c->result);
	c->result = json_pack("{s:s,s:s}", "key", key, "value", value);
	return (changelog(c, "setting", key, json_deep_copy(c->result)));
}

/* A session of a capacity resource (P9). */
static enum gerr
op_session_add(struct op_ctx *c)
{
	struct resource	 r;
	int64_t		 start, end;
	long long	 places;
	sqlite3_stmt	*st;
	char		 id[64];
	enum gerr	 e;

	if ((e = get_resource(c, "resource", &r)) != GERR_OK ||
	    (e = get_time(c, "start", r.tz, &start)) != GERR_OK ||
	    (e = get_time(c, "end", r.tz, &end)) != GERR_OK)
		return (e);
	if (c->a->actor != ACTOR_SYSTEM && (e = rights_check_resource(c->a,
	    PERM_SETTINGS, &r, c->err)) != GERR_OK)
		return (e);
	if (!rtype_capacity(r.type))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("%s is a %s: only "
		    "workshops, visits and trainings have sessions"), r.code,
		    _(rtype_label(r.type))));
	if (get_int(c, "places", 0, 1, r.capacity, &places) != GERR_OK) {
		if (c->err->code == GERR_BAD_REQUEST)
			return (GERR_BAD_REQUEST);
		places = r.capacity;
	}
	if (end <= start)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a session ends "
		    "after it starts")));
	if ((e = rules_check_hours(c->s, &r, start, end, c->err)) != GERR_OK)
		return (e);
	st = store_stmt(c->s, "INSERT INTO session (resource_id, start, end, "
	    "places) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, r.id);
	sqlite3_bind_int64(st, 2, start);
	sqlite3_bind_int64(st, 3, end);
	sqlite3_bind_int64(st, 4, places);
	if (store_step_done(st) != SQLITE_DONE)
		return (gerror_set(c->err, GERR_BAD_STATE, _("%s has a session "
		    "at that time already"), r.code));
	snprintf(id, sizeof id, "%s@%lld", r.code, (long long)start);
	json_decref(c->result);
	c->result = json_pack("{s:s,s:O,s:O,s:I}", "resource", r.code,
	    "start", json_object_get(c->payload, "start"), "end",
	    json_object_get(c->payload, "end"), "places", (json_int_t)places);
	return (changelog(c, "session", id, json_deep_copy(c->result)));
}

/*
 * The head count of an establishment, from a door counter or the desk
 * (P5, modify information): the occupancy against the jauge, and the
 * hourly history (the last count of each hour).
 */
static enum gerr
op_occupancy(struct op_ctx *c)
{
	struct establishment	 est;
	long long		 count;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = get_establishment(c, &est)) != GERR_OK ||
	    (e = get_int(c, "count", 1, 0, 1000000, &count)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_INFO, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	st = store_stmt(c->s, "UPDATE establishment SET occupancy = ? WHERE "
	    "id = ?");
	sqlite3_bind_int64(st, 1, count);
	sqlite3_bind_int64(st, 2, est.id);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the count")));
	st = store_stmt(c->s, "INSERT INTO occupancy_log VALUES (?1, ?2, ?3) "
	    "ON CONFLICT DO UPDATE SET count = ?3");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int64(st, 2, c->now - c->now % 3600);
	sqlite3_bind_int64(st, 3, count);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the count")));
	json_decref(c->result);
	c->result = json_pack("{s:s,s:s,s:s,s:s,s:i,s:I,s:s,s:i}", "code",
	    est.code, "name", est.name, "kind", est.kind, "tz", est.tz,
	    "jauge", est.jauge, "occupancy", (json_int_t)count, "checkin_code",
	    est.checkin_code, "percent", est.jauge > 0 ? (int)(count * 100 /
	    est.jauge) : 0);
	return (changelog(c, "establishment", est.code,
	    json_deep_copy(c->result)));
}

/* Log an account (and its grants, never its password) for replicas. */
static enum gerr
log_account(struct op_ctx *c, const char *login)
{
	struct account	*a;

	if (account_load(c->s, login, &a) != GERR_OK)
		return (store_error(c->s, c->err, "reading the account"));
	json_decref(c->result);
	c->result = record_account(a);
	account_free(a);
	return (changelog(c, "account", login, json_deep_copy(c->result)));
}

static int
valid_login(const char *s)
{
	size_t	n = strlen(s);

	if (n < 2 || n >= LOGIN_LEN)
		return (0);
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-", *s) == NULL)
			return (0);
	return (1);
}

static enum gerr
get_hash(struct op_ctx *c, const char **hash)
{
	enum gerr	e;

	/* The caller hashes (argon2id): no password in a payload, an
	 * outbox or a log. */
	if ((e = get_str(c, "password_hash", 1, hash)) != GERR_OK)
		return (e);
	if (strncmp(*hash, "$argon2id$", 10) != 0 || strlen(*hash) > 200)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'password_hash' "
		    "is not an argon2id hash")));
	return (GERR_OK);
}

/* P7: a new account, with no grant yet. */
static enum gerr
op_account_add(struct op_ctx *c)
{
	const char	*login, *name, *hash;
	sqlite3_stmt	*st;
	size_t		 i;
	enum gerr	 e;
	int		 p7 = c->a->actor == ACTOR_SYSTEM || c->a->superadmin;

	if ((e = get_str(c, "login", 1, &login)) != GERR_OK ||
	    (e = get_text(c, "name", 0, NAME_LEN - 8, &name)) != GERR_OK ||
	    (e = get_hash(c, &hash)) != GERR_OK)
		return (e);
	for (i = 0; !p7 && i < c->a->ngrants; i++)
		p7 = (c->a->grants[i].perms & PERM_USERS) != 0;
	if (!p7)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("%s may not manage "
		    "users (P7)"), c->a->login));
	if (!valid_login(login))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "login: 2 to 63 letters, digits, dots, dashes"), login));
	st = store_stmt(c->s, "INSERT INTO account (login, name, "
	    "password_hash) VALUES (?, ?, ?)");
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	store_bind_text(st, 2, name);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(c->s->db) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			return (gerror_set(c->err, GERR_BAD_STATE, _("account "
			    "%s exists already"), login));
		return (store_error(c->s, c->err, "saving the account"));
	}
	return (log_account(c, login));
}

/* P7: grant permissions on an establishment, within the granter's own. */
static enum gerr
op_grant(struct op_ctx *c)
{
	struct grant		 g;
	struct establishment	 est, lib;
	struct resource		 r;
	struct account		*to;
	const char		*login, *perms, *types, *exclude, *library, *res;
	char			 buf[64], *copy, *tok, *save;
	unsigned		 p;
	enum rtype		 t;
	sqlite3_stmt		*st;
	enum gerr		 e;
	int			 i;

	if ((e = get_str(c, "login", 1, &login)) != GERR_OK ||
	    (e = get_establishment(c, &est)) != GERR_OK ||
	    (e = get_text(c, "perms", 1, 40, &perms)) != GERR_OK ||
	    (e = get_text(c, "types", 0, 150, &types)) != GERR_OK ||
	    (e = get_text(c, "exclude", 0, 150, &exclude)) != GERR_OK ||
	    (e = get_str(c, "library", 0, &library)) != GERR_OK ||
	    (e = get_text(c, "resources", 0, 250, &res)) != GERR_OK)
		return (e);
	if (account_load(c->s, login, &to) != GERR_OK)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no account '%s'"),
		    login));
	account_free(to);
	memset(&g, 0, sizeof g);
	g.establishment_id = est.id;
	strlcpy_g(g.establishment, est.code, sizeof g.establishment);
	snprintf(buf, sizeof buf, "%s", perms);
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (perm_parse(tok, &p) != 0)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is "
			    "not a permission: P1 to P9"), tok));
		g.perms |= p;
	}
	if (g.perms == 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a grant gives at "
		    "least one permission")));
	/* Scopes name real types and resources, so none widens by typo. */
	strlcpy_g(g.types, types != NULL ? types : "", sizeof g.types);
	strlcpy_g(g.exclude, exclude != NULL ? exclude : "",
	    sizeof g.exclude);
	strlcpy_g(g.resources, res != NULL ? res : "", sizeof g.resources);
	for (i = 0; i < 2; i++) {
		copy = xstrdup(i == 0 ? g.types : g.exclude);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (rtype_parse(tok, &t) != 0) {
				e = gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' "
				    "is not a resource type"), tok);
				break;
			}
		}
		free(copy);
		if (e != GERR_OK)
			return (e);
	}
	copy = xstrdup(g.resources);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && e == GERR_OK;
	    tok = strtok_r(NULL, ",", &save))
		if (resource_find(c->s, tok, &r) != GERR_OK)
			e = gerror_set(c->err, GERR_NOT_FOUND, _("no resource "
			    "'%s'"), tok);
	free(copy);
	if (e != GERR_OK)
		return (e);
	if (library != NULL && *library != '\0') {
		if (establishment_find(c->s, library, &lib) != GERR_OK)
			return (gerror_set(c->err, GERR_NOT_FOUND, _("no library "
			    "'%s'"), library));
		g.library_id = lib.id;
		strlcpy_g(g.library, lib.code, sizeof g.library);
	}
	if ((e = rights_check_grant(c->a, &g, c->err)) != GERR_OK)
		return (e);
	st = store_stmt(c->s, "INSERT INTO account_grant (account_id, "
	    "establishment_id, perms, scope_types, scope_exclude, "
	    "scope_library, scope_resources) SELECT id, ?, ?, ?, ?, ?, ? FROM "
	    "account WHERE login = ?");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int(st, 2, (int)g.perms);
	sqlite3_bind_text(st, 3, g.types, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, g.exclude, -1, SQLITE_STATIC);
	store_bind_id(st, 5, g.library_id);
	sqlite3_bind_text(st, 6, g.resources, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, login, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, "saving the grant"));
	return (log_account(c, login));
}

/* P7: take back an account's grants on an establishment. */
static enum gerr
op_revoke(struct op_ctx *c)
{
	struct establishment	 est;
	struct grant		 all;
	const char		*login;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = get_str(c, "login", 1, &login)) != GERR_OK ||
	    (e = get_establishment(c, &est)) != GERR_OK)
		return (e);
	/* Who may give everything there may take it back. */
	memset(&all, 0, sizeof all);
	all.establishment_id = est.id;
	strlcpy_g(all.establishment, est.code, sizeof all.establishment);
	all.perms = PERM_USERS;
	if ((e = rights_check_grant(c->a, &all, c->err)) != GERR_OK)
		return (e);
	st = store_stmt(c->s, "DELETE FROM account_grant WHERE "
	    "establishment_id = ? AND account_id = (SELECT id FROM account "
	    "WHERE login = ?)");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, "removing the grants"));
	if (sqlite3_changes(c->s->db) == 0)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("%s has no grant on "
		    "%s"), login, est.code));
	return (log_account(c, login));
}

/* A password: one's own, or anyone's for the super-administrator. */
static enum gerr
op_passwd(struct op_ctx *c)
{
	const char	*login, *hash;
	sqlite3_stmt	*st;
	enum gerr	 e;

	if ((e = get_str(c, "login", 0, &login)) != GERR_OK ||
	    (e = get_hash(c, &hash)) != GERR_OK)
		return (e);
	if (login == NULL)
		login = c->a->login;
	if (strcmp(login, c->a->login) != 0 && c->a->actor != ACTOR_SYSTEM &&
	    !c->a->superadmin)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("%s may change its "
		    "own password only"), c->a->login));
	st = store_stmt(c->s, "UPDATE account SET password_hash = ? WHERE "
	    "login = ?");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, "saving the password"));
	if (sqlite3_changes(c->s->db) == 0)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no account '%s'"),
		    login));
	json_decref(c->result);
	c->result = json_pack("{s:s,s:b}", "login", login, "changed", 1);
	return (GERR_OK);
}

static const struct op_entry op_table[] = {
	{ "book", op_book },
	{ "change", op_change },
	{ "cancel", op_cancel },
	{ "checkin", op_checkin },
	{ "confirm", op_confirm },
	{ "free_late", op_free_late },
	{ "sweep", op_sweep },
	{ "hours_week", op_hours_week },
	{ "hours_date", op_hours_date },
	{ "close", op_close },
	{ "open", op_open },
	{ "message_add", op_message_add },
	{ "message_remove", op_message_remove },
	{ "resource_set", op_resource_set },
	{ "setting", op_setting },
	{ "session_add", op_session_add },
	{ "occupancy", op_occupancy },
	{ "account_add", op_account_add },
	{ "grant", op_grant },
	{ "revoke", op_revoke },
	{ "passwd", op_passwd },
};

const char *const op_kinds[] = {
	"book", "change", "cancel", "checkin", "confirm", "free_late", "sweep",
	"hours_week", "hours_date", "close", "open", "message_add",
	"message_remove", "resource_set", "setting", "session_add",
	"occupancy", "account_add", "grant", "revoke", "passwd", NULL
};

/* A replay: the first result of this operation, if any. */
static int
replay(struct store *s, const char *op_id, const char *kind,
    const char *login, json_t **result, struct gerror *err)
{
	sqlite3_stmt	*st;
	int		 found = 0;
	enum gerr	 code = GERR_OK;

	st = store_stmt(s, "SELECT status, error, result, message, kind, "
	    "account FROM op_result WHERE op_id = ?");
	sqlite3_bind_text(st, 1, op_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		;
	else if (strcmp((const char *)sqlite3_column_text(st, 4), kind) != 0 ||
	    strcmp((const char *)sqlite3_column_text(st, 5), login) != 0) {
		/* A replay is the same operation by the same account: an id
		 * used for something else gets nothing of the first. */
		found = 1;
		code = gerror_set(err, GERR_BAD_REQUEST, _("operation id %s was "
		    "used for another operation: make a new id"), op_id);
	} else {
		found = 1;
		if (result != NULL)
			*result = json_loads((const char *)
			    sqlite3_column_text(st, 2), JSON_DECODE_ANY, NULL);
		if (strcmp((const char *)sqlite3_column_text(st, 0),
		    "rejected") == 0) {
			code = gerr_from_code((const char *)
			    sqlite3_column_text(st, 1));
			if (code == GERR__COUNT)
				code = GERR_BAD_STATE;
			gerror_set(err, code, "%s", (const char *)
			    sqlite3_column_text(st, 3));
		}
	}
	sqlite3_reset(st);
	return (found ? (int)code + 1 : 0);
}

static void
record(struct store *s, const char *op_id, const char *kind,
    const char *login, const struct gerror *err, json_t *result,
    int64_t now)
{
	enum gerr	 code = err != NULL ? err->code : GERR_OK;

	sqlite3_stmt	*st;
	char		*text = NULL;

	if (result != NULL)
		text = json_dumps(result, JSON_COMPACT | JSON_ENCODE_ANY);
	st = store_stmt(s, "INSERT OR IGNORE INTO op_result (op_id, kind, "
	    "status, error, result, at, message, account) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?)");
	sqlite3_bind_text(st, 8, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, err != NULL ? err->msg : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 1, op_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, code == GERR_OK ? "applied" : "rejected", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 4, code == GERR_OK ? "" : gerr_code(code), -1,
	    SQLITE_STATIC);
	store_bind_text(st, 5, text);
	sqlite3_bind_int64(st, 6, now);
	store_step_done(st);
	free(text);
}

static enum gerr
outbox(struct op_ctx *c, const char *kind, struct gerror *err)
{
	sqlite3_stmt	*st;

	st = store_stmt(c->s, "INSERT INTO outbox (op_id, kind, account, "
	    "payload, created_at) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, c->op_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->a->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, json_dumps(c->payload, JSON_COMPACT |
	    JSON_SORT_KEYS), -1, free);
	sqlite3_bind_int64(st, 5, c->now);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, err, _("queueing the operation")));
	return (GERR_OK);
}

enum gerr
op_apply(struct store *s, const struct account *a, const char *op_id,
    const char *kind, json_t *payload, json_t **result, struct gerror *err)
{
	const struct op_entry	*entry = NULL;
	struct op_ctx		 c;
	char			 uuid[UUID_LEN];
	struct gerror		 local;
	size_t			 i;
	enum gerr		 e;
	int			 r, named;

	if (result != NULL)
		*result = NULL;
	if (err == NULL)
		err = &local;
	gerror_clear(err);
	for (i = 0; i < sizeof op_table / sizeof op_table[0]; i++)
		if (strcmp(op_table[i].kind, kind) == 0)
			entry = &op_table[i];
	if (entry == NULL)
		return (gerror_set(err, GERR_BAD_REQUEST, _("'%s' is not an "
		    "operation"), kind));
	if (!json_is_object(payload))
		return (gerror_set(err, GERR_BAD_REQUEST, _("the payload of "
		    "'%s' must be a JSON object"), kind));
	if (op_id != NULL && !uuid_valid(op_id))
		return (gerror_set(err, GERR_BAD_REQUEST, _("operation id '%s' "
		    "is not a UUID"), op_id));
	if (a->actor == ACTOR_STAFF && !a->enabled)
		return (gerror_set(err, GERR_FORBIDDEN, _("account %s is "
		    "disabled"), a->login));
	/* Only an id given by the caller can be replayed: the ones made
	 * here (the sweeper's, say) leave no result behind. */
	named = op_id != NULL;
	if (op_id == NULL) {
		uuid_make(uuid);
		op_id = uuid;
	}

	if ((e = store_begin(s, err)) != GERR_OK)
		return (e);
	if ((r = replay(s, op_id, kind, a->login, result, err)) != 0) {
		store_rollback(s);
		return ((enum gerr)(r - 1));
	}
	memset(&c, 0, sizeof c);
	c.s = s;
	c.a = a;
	c.op_id = op_id;
	c.payload = payload;
	c.now = clock_now();
	c.err = err;
	e = entry->handler(&c);
	/* The sweep is the backend's own work (R5, R6): never pushed. */
	if (e == GERR_OK && s->desk && strcmp(kind, "sweep") != 0)
		e = outbox(&c, kind, err);
	if (e == GERR_OK) {
		if (named)
			record(s, op_id, kind, a->login, NULL, c.result,
			    c.now);
		e = store_commit(s, err);
	}
	if (e != GERR_OK) {
		store_rollback(s);
		if (named && e != GERR_STORAGE && store_begin(s, NULL) ==
		    GERR_OK) {
			err->code = e;
			record(s, op_id, kind, a->login, err, c.result, c.now);
			store_commit(s, NULL);
		}
	}
	if (result != NULL)
		*result = c.result;
	else
		json_decref(c.result);
	return (e);
}
