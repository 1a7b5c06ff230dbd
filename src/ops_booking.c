/*
 * Operations on bookings: create, change (R14), cancel (R11), validate
 * presence (R6), confirm (R5), free the late (R6) and the sweep (R5, R6).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "i18n.h"
#include "ops_impl.h"
#include "mail.h"
#include "record.h"
#include "rules.h"
#include "settings.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

static enum gerr	 confirm_address(struct op_ctx *, const char *);

/*
 * R15: a check-in made at a desk before the presence deadline wins over
 * the sweeper's no_show made after it, unless the slot was booked again
 * meanwhile (the booking, as it was, would not fit). So does a change made
 * before the deadline (the patron was sent elsewhere; the new slot is
 * checked by the change itself: slot 0).
 */
static int
made_before_sweep(struct op_ctx *c, const struct booking *b,
    const struct resource *r, int slot)
{
	struct booking_req	q;
	int64_t			late;

	late = store_setting_int(c->s, "late_minutes", 15) * 60;
	if (b->status != STATUS_NO_SHOW || c->a->actor != ACTOR_STAFF ||
	    c->now >= c->applied || strcmp(b->changed_by, SWEEPER_LOGIN) != 0 ||
	    b->changed_at <= c->now || c->now > b->start + late)
		return (0);
	if (!slot)
		return (1);
	memset(&q, 0, sizeof q);
	q.resource = r;
	q.start = b->start;
	q.end = b->end;
	q.email = b->email;
	q.places = b->places;
	q.origin = b->origin;
	q.exclude_id = b->id;
	return (rules_check_booking(c->s, &q, c->now, NULL) == GERR_OK);
}

static void
booking_written(struct op_ctx *c, const char *id, const struct resource *r,
    const struct booking_req *q, const char *email, const char *name,
    const char *phone, enum origin origin, enum status status)
{
	struct booking	*b = &c->seen;

	memset(b, 0, sizeof *b);
	strlcpy_g(b->id, id, sizeof b->id);
	b->resource_id = r->id;
	strlcpy_g(b->resource, r->code, sizeof b->resource);
	b->session_id = q->session_id;
	b->start = q->start;
	b->end = q->end;
	strlcpy_g(b->email, email, sizeof b->email);
	strlcpy_g(b->name, name != NULL ? name : "", sizeof b->name);
	strlcpy_g(b->phone, phone != NULL ? phone : "", sizeof b->phone);
	b->places = q->places;
	b->origin = origin;
	b->status = status;
	strlcpy_g(b->created_by, c->a->login, sizeof b->created_by);
	b->created_at = c->now;
	strlcpy_g(b->changed_by, c->a->login, sizeof b->changed_by);
	b->changed_at = c->now;
	b->version = 1;
	c->written = 1;
	c->written_in = r;
}

enum gerr
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

	if ((e = op_resource(c, "resource", &r)) != GERR_OK ||
	    (e = op_str(c, "email", !resource_internal(&r), &email)) !=
	    GERR_OK ||
	    (e = op_text(c, "name", 0, NAME_LEN - 8, &name)) != GERR_OK ||
	    (e = op_text(c, "phone", 0, 32, &phone)) != GERR_OK ||
	    (e = op_str(c, "origin", 0, &origin_s)) != GERR_OK ||
	    (e = op_str(c, "id", 0, &id)) != GERR_OK)
		return (e);
	if (op_int(c, "places", 0, 1, 1000, &places) == GERR_BAD_REQUEST)
		return (GERR_BAD_REQUEST);
	memset(&q, 0, sizeof q);
	if ((e = op_time(c, "start", r.tz, &q.start)) != GERR_OK ||
	    (e = op_time(c, "end", r.tz, &q.end)) != GERR_OK)
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
	if ((e = op_may_plan(c, &r)) != GERR_OK)
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
	/* R6: a walk-in is standing at the counter: present at once. */
	if (origin == ORIGIN_WALK_IN)
		status = STATUS_PRESENT;
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
	/* The row as written, as booking_find would read it back
	 * (test_book_result_is_the_row), for the e-mail and the record. */
	booking_written(c, id, &r, &q, norm, name, phone, origin, status);
	if ((e = op_notify(c, status == STATUS_PENDING ? MAIL_PENDING :
	    MAIL_CONFIRMED, id, NULL)) != GERR_OK)
		return (e);
	return (op_booking_done(c, id, r.tz));
}

/* R14: extend, shorten or move, checked as new without counting itself. */
enum gerr
op_change(struct op_ctx *c)
{
	struct booking		 b;
	struct resource		 r, to;
	struct booking_req	 q;
	long long		 version;
	sqlite3_stmt		*st;
	enum gerr		 e;
	int			 revived;

	if ((e = op_booking(c, &b, &r)) != GERR_OK)
		return (e);
	if ((e = op_may_plan(c, &r)) != GERR_OK)
		return (e);
	to = r;
	if (json_object_get(c->payload, "resource") != NULL) {
		if ((e = op_resource(c, "resource", &to)) != GERR_OK)
			return (e);
		if ((e = op_may_plan(c, &to)) != GERR_OK)
			return (e);
	}
	if ((e = op_int(c, "version", 0, 1, 1LL << 40, &version)) ==
	    GERR_BAD_REQUEST)
		return (e);
	if (e == GERR_OK && version != b.version)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s was "
		    "changed meanwhile (version %d, not %lld): reload it"),
		    b.id, b.version, version));
	if ((revived = made_before_sweep(c, &b, &r, 0)))
		b.status = STATUS_CONFIRMED;
	if (!status_live(b.status))
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is %s "
		    "and cannot be changed"), b.id, status_name(b.status)));
	memset(&q, 0, sizeof q);
	q.start = b.start;
	q.end = b.end;
	if (json_object_get(c->payload, "start") != NULL &&
	    (e = op_time(c, "start", to.tz, &q.start)) != GERR_OK)
		return (e);
	if (json_object_get(c->payload, "end") != NULL &&
	    (e = op_time(c, "end", to.tz, &q.end)) != GERR_OK)
		return (e);
	q.resource = &to;
	q.email = b.email;
	q.places = b.places;
	q.origin = b.origin;
	q.exclude_id = b.id;
	if (to.id == r.id) {
		q.was_start = b.start;
		q.was_end = b.end;
	}
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
	if (revived && (e = op_set_status(c, &b, STATUS_CONFIRMED, NULL)) !=
	    GERR_OK)
		return (e);
	/* The patron learns the new time (a pending one still waits). */
	if (b.status != STATUS_PENDING && (e = op_notify(c, MAIL_CONFIRMED, b.id,
	    NULL)) != GERR_OK)
		return (e);
	return (op_booking_done(c, b.id, to.tz));
}

enum gerr
op_cancel(struct op_ctx *c)
{
	struct booking	 b;
	struct resource	 r;
	const char	*reason;
	enum gerr	 e;

	if ((e = op_booking(c, &b, &r)) != GERR_OK ||
	    (e = op_text(c, "reason", 0, 240, &reason)) != GERR_OK)
		return (e);
	if ((e = op_may_plan(c, &r)) != GERR_OK ||
	    (e = op_patron_key(c, &b)) != GERR_OK)
		return (e);
	/* R11: staff say why; the reason goes into the patron's e-mail. */
	if (c->a->actor == ACTOR_STAFF && (reason == NULL ||
	    reason[strspn(reason, " \t")] == '\0'))
		return (gerror_set(c->err, GERR_REASON_REQUIRED, _("cancelling "
		    "needs a reason for the patron's e-mail (R11)")));
	if (b.status != STATUS_PENDING && b.status != STATUS_CONFIRMED)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is %s "
		    "and cannot be cancelled"), b.id, status_name(b.status)));
	if ((e = op_set_status(c, &b, STATUS_CANCELLED, reason)) != GERR_OK ||
	    (e = op_notify(c, MAIL_CANCELLED, b.id, reason)) != GERR_OK)
		return (e);
	return (op_booking_done(c, b.id, r.tz));
}

/* R6: presence, with the establishment's code or at the desk. */
enum gerr
op_checkin(struct op_ctx *c)
{
	struct booking		 b;
	struct resource		 r;
	struct establishment	 lib;
	const char		*code;
	char			 given[CODE_LEN], want[CODE_LEN];
	int64_t			 early, late;
	enum gerr		 e;

	if ((e = op_booking(c, &b, &r)) != GERR_OK ||
	    (e = op_str(c, "code", 0, &code)) != GERR_OK)
		return (e);
	if ((e = op_may_plan(c, &r)) != GERR_OK)
		return (e);
	if (b.status == STATUS_PRESENT)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is "
		    "already validated"), b.id));
	if (made_before_sweep(c, &b, &r, 1))
		b.status = STATUS_CONFIRMED;
	if (b.status != STATUS_PENDING && b.status != STATUS_CONFIRMED)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is %s: "
		    "presence cannot be validated"), b.id,
		    status_name(b.status)));
	early = setting_get(c->s, SET_CHECKIN_EARLY_MINUTES) * 60;
	late = setting_get(c->s, SET_LATE_MINUTES) * 60;
	if (c->now < b.start - early)
		return (gerror_set(c->err, GERR_TOO_EARLY, _("presence is "
		    "validated from %lld min before the start (R6)"),
		    (long long)early / 60));
	if (c->a->actor == ACTOR_PATRON) {
		if (establishment_get(c->s, r.library_id, &lib) != GERR_OK)
			return (store_error(c->s, c->err, _("reading the code")));
		rules_code_normalise(code != NULL ? code : "", given);
		rules_code_normalise(lib.checkin_code, want);
		if (want[0] == '\0' || strcmp(given, want) != 0)
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
	if ((e = op_set_status(c, &b, STATUS_PRESENT, NULL)) != GERR_OK)
		return (e);
	/* Validated at the desk, a pending booking is confirmed too, and
	 * with it the address (R5). */
	if (b.status == STATUS_PENDING && (e = confirm_address(c,
	    b.email)) != GERR_OK)
		return (e);
	return (op_booking_done(c, b.id, r.tz));
}

/*
 * R5: confirming one booking confirms the address: the patron is marked
 * confirmed and every booking of the address still pending becomes
 * confirmed at once, each logged and told.
 */
static enum gerr
confirm_address(struct op_ctx *c, const char *email)
{
	struct booking	 b;
	struct resource	 r;
	sqlite3_stmt	*st;
	char		**ids = NULL;
	size_t		 i, n = 0;
	enum gerr	 e = GERR_OK;
	json_t		*keep = c->result;

	st = store_stmt(c->s, "UPDATE patron SET confirmed = 1 WHERE "
	    "email = ?");
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the patron")));
	st = store_stmt(c->s, "SELECT id FROM booking WHERE email = ? AND "
	    "status = 'pending_confirmation' ORDER BY start, id");
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	c->result = NULL;
	for (i = 0; i < n && e == GERR_OK; i++) {
		if (booking_find(c->s, ids[i], &b) != GERR_OK ||
		    resource_find(c->s, b.resource, &r) != GERR_OK)
			e = store_error(c->s, c->err, _("reading a booking"));
		else if ((e = op_set_status(c, &b, STATUS_CONFIRMED, NULL)) ==
		    GERR_OK && (e = op_notify(c, MAIL_CONFIRMED, b.id,
		    NULL)) == GERR_OK)
			e = op_booking_done(c, b.id, r.tz);
	}
	json_decref(c->result);
	c->result = keep;
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return (e);
}

/*
 * R6 from the validation page (the QR code's target): a patron gives the
 * code of the entrance and the e-mail address of the booking; the booking
 * of that address in its presence window at that library becomes present.
 * {"email", "code", "library"?}. What it answers tells someone who only
 * knows an address nothing about that address's bookings: the code is
 * checked first and alone (bad_code), then it is either validated or
 * "no booking to validate now" (not_found), whatever the reason.
 */
enum gerr
op_validate(struct op_ctx *c)
{
	struct booking		 b;
	struct resource		 r;
	const char		*email, *code, *library;
	char			 norm[EMAIL_LEN], id[UUID_LEN] = "";
	char			 given[CODE_LEN], want[CODE_LEN];
	int64_t			 early, late, lib_id = 0;
	int			 already = 0, rc = SQLITE_DONE;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = op_str(c, "email", 1, &email)) != GERR_OK ||
	    (e = op_str(c, "code", 1, &code)) != GERR_OK ||
	    (e = op_str(c, "library", 0, &library)) != GERR_OK)
		return (e);
	if (c->a->actor != ACTOR_PATRON)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("the validation "
		    "page is the patrons'; at the desk, use checkin (R6)")));
	/* The code, alone: a library's, or the named library's, as typed
	 * (spaces and case do not matter). */
	rules_code_normalise(code, given);
	st = store_stmt(c->s, "SELECT id, checkin_code FROM establishment "
	    "WHERE checkin_code <> '' AND (?1 = '' OR code = ?1) ORDER BY id");
	store_bind_text(st, 1, library);
	while (lib_id == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rules_code_normalise((const char *)sqlite3_column_text(st, 1),
		    want);
		if (given[0] != '\0' && strcmp(given, want) == 0)
			lib_id = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (lib_id == 0 && rc != SQLITE_DONE)
		return (store_error(c->s, c->err, _("reading the code")));
	if (lib_id == 0)
		return (gerror_set(c->err, GERR_BAD_CODE, _("this is not the "
		    "code printed under the QR code at the entrance (R6)")));
	if (rules_email_normalise(email, norm) != 0)
		return (gerror_set(c->err, GERR_BAD_EMAIL, _("'%s' is not an "
		    "e-mail address (R2)"), email));
	early = setting_get(c->s, SET_CHECKIN_EARLY_MINUTES) * 60;
	late = setting_get(c->s, SET_LATE_MINUTES) * 60;
	/* The earliest booking of the address in its window, at a library
	 * whose code this is; a validated one answers the same. */
	st = store_stmt(c->s, "SELECT b.id, b.status = 'present' FROM "
	    "booking b JOIN resource r ON r.id = b.resource_id WHERE "
	    "b.email = ?1 AND r.library_id = ?2 AND b.status IN "
	    "('confirmed', 'present') AND b.start <= ?3 + ?4 AND "
	    "b.start >= ?3 - ?5 ORDER BY b.status = 'present', b.start, b.id");
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, lib_id);
	sqlite3_bind_int64(st, 3, c->now);
	sqlite3_bind_int64(st, 4, early);
	sqlite3_bind_int64(st, 5, late);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (booking_find(c->s, (const char *)sqlite3_column_text(st,
		    0), &b) != GERR_OK || resource_find(c->s, b.resource,
		    &r) != GERR_OK || !rules_presence_applies(&r))
			continue;
		strlcpy_g(id, b.id, sizeof id);
		already = sqlite3_column_int(st, 1);
		break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_error(c->s, c->err, _("reading the bookings")));
	if (id[0] == '\0')
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no booking to "
		    "validate now for this address here: presence is validated "
		    "from %lld min before the start to %lld min after, for a "
		    "confirmed booking; otherwise ask the desk (R6)"),
		    (long long)early / 60, (long long)late / 60));
	if (!already && (e = op_set_status(c, &b, STATUS_PRESENT, NULL)) !=
	    GERR_OK)
		return (e);
	return (op_booking_done(c, b.id, r.tz));
}

/* R5: the patron's e-mail link. */
enum gerr
op_confirm(struct op_ctx *c)
{
	struct booking	 b;
	struct resource	 r;
	enum gerr	 e;

	if ((e = op_booking(c, &b, &r)) != GERR_OK)
		return (e);
	if (c->a->actor == ACTOR_STAFF)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("only the patron "
		    "confirms from the e-mail link; at the desk, validate "
		    "presence instead (R5)")));
	if ((e = op_patron_key(c, &b)) != GERR_OK)
		return (e);
	if (b.status != STATUS_PENDING)
		return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s is %s, "
		    "not waiting for confirmation"), b.id,
		    status_name(b.status)));
	/* This booking and every other pending one of the address. */
	if ((e = confirm_address(c, b.email)) != GERR_OK)
		return (e);
	return (op_booking_done(c, b.id, r.tz));
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
	if ((e = op_may_plan(c, &r)) != GERR_OK)
		return (strict ? e : GERR_OK);
	late = setting_get(c->s, SET_LATE_MINUTES) * 60;
	/* R6: sessions' attendance is taken at the desk, and internal rooms
	 * ask no presence: neither is ever freed. */
	if (!rules_presence_applies(&r)) {
		if (!strict)
			return (GERR_OK);
		return (gerror_set(c->err, GERR_BAD_STATE, _("%s is a %s: its "
		    "bookings are never freed for lateness (R6)"), r.code,
		    _(rtype_label(r.type))));
	}
	if ((b.status != STATUS_PENDING && b.status != STATUS_CONFIRMED) ||
	    c->now <= rules_late_after(&b, late)) {
		if (!strict)
			return (GERR_OK);
		if (b.status == STATUS_PRESENT)
			return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s "
			    "is validated: the patron is here"), b.id));
		if (!status_live(b.status))
			return (gerror_set(c->err, GERR_BAD_STATE, _("booking %s "
			    "is %s already"), b.id, status_name(b.status)));
		return (gerror_set(c->err, GERR_NOT_LATE, _("booking %s is not "
		    "late yet: it may be freed %lld min after its start, or "
		    "after it was made if made later (R6)"), b.id,
		    (long long)late / 60));
	}
	if ((e = op_set_status(c, &b, STATUS_NO_SHOW, NULL)) != GERR_OK ||
	    (e = op_notify(c, MAIL_NO_SHOW, b.id, NULL)) != GERR_OK ||
	    (e = op_booking_done(c, b.id, r.tz)) != GERR_OK)
		return (e);
	json_array_append(list, c->result);
	return (GERR_OK);
}

/* R6: free late bookings, named by "ids", or all in the account's scope
 * (optionally on one "establishment"). */
enum gerr
op_free_late(struct op_ctx *c)
{
	json_t		*ids = json_object_get(c->payload, "ids"), *v, *list;
	json_t		*refused;
	struct gerror	 first;
	const char	*est;
	char		**found = NULL;
	size_t		 i, n = 0;
	sqlite3_stmt	*st;
	enum gerr	 e = GERR_OK;

	if ((e = op_str(c, "establishment", 0, &est)) != GERR_OK)
		return (e);
	list = json_array();
	if (ids != NULL) {
		if (!json_is_array(ids)) {
			json_decref(list);
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'ids' "
			    "must be a list of booking ids")));
		}
		/* Each booking on its own (a desk's list pushed later may
		 * hold one the backend sees otherwise): the late are freed,
		 * the others reported; refused only when none is freed. */
		refused = json_array();
		json_array_foreach(ids, i, v) {
			if (!json_is_string(v)) {
				e = gerror_set(c->err, GERR_BAD_REQUEST, _("'ids' "
				    "must be a list of booking ids"));
				break;
			}
			e = free_one(c, json_string_value(v), 1, list);
			if (e == GERR_STORAGE)
				break;
			if (e != GERR_OK) {
				if (json_array_size(refused) == 0)
					first = *c->err;
				json_array_append_new(refused, json_pack(
				    "{s:O,s:{s:s,s:s}}", "id", v, "error",
				    "code", gerr_code(e), "message",
				    c->err->msg));
				e = GERR_OK;
			}
		}
		if (e == GERR_OK && json_array_size(refused) > 0 &&
		    json_array_size(list) == 0) {
			*c->err = first;
			e = first.code;
		}
		if (e == GERR_OK && json_array_size(refused) > 0) {
			json_decref(c->result);
			c->result = json_pack("{s:o,s:o}", "freed", list,
			    "refused", refused);
			return (GERR_OK);
		}
		json_decref(refused);
	} else {
		st = store_stmt(c->s, "SELECT b.id FROM booking b JOIN "
		    "resource r ON r.id = b.resource_id JOIN establishment e "
		    "ON e.id = r.library_id JOIN establishment h ON "
		    "h.id = r.establishment_id WHERE b.status IN "
		    "('pending_confirmation', 'confirmed') AND b.start < ?1 "
		    "AND (?2 = '' OR e.code = ?2 OR h.code = ?2) "
		    "ORDER BY b.start, b.id");
		sqlite3_bind_int64(st, 1, c->now - setting_get(c->s,
		    SET_LATE_MINUTES) * 60);
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
enum gerr
op_sweep(struct op_ctx *c)
{
	sqlite3_stmt	*st;
	char		**ids = NULL;
	size_t		 i, n = 0, nexp, nfreed = 0;
	int64_t		 hours, late;
	struct booking	 b;
	struct resource	 r;
	enum gerr	 e = GERR_OK;

	if (c->a->actor != ACTOR_SYSTEM && !c->a->superadmin)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("the sweep is run "
		    "by the system (R5, R6); %s may not"), c->a->login));
	/* A desk with a backend leaves the sweep to it: its replica's
	 * statuses come from there, and a sweep is never pushed. */
	if (c->s->desk)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("this desk syncs "
		    "with a backend, which runs the sweep (R5, R6): nothing "
		    "done here")));
	hours = setting_get(c->s, SET_CONFIRM_HOURS);
	late = setting_get(c->s, SET_LATE_MINUTES);
	st = store_stmt(c->s, "SELECT id FROM booking WHERE status = "
	    "'pending_confirmation' AND created_at <= ? ORDER BY id");
	sqlite3_bind_int64(st, 1, c->now - hours * 3600);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	nexp = n;
	if (setting_get(c->s, SET_AUTO_RELEASE)) {
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
		    resource_find(c->s, b.resource, &r) != GERR_OK) {
			e = store_error(c->s, c->err, _("reading a booking"));
			break;
		}
		/* R6: exclusive public resources only, late counted from
		 * when a booking was made if made after its start. */
		if (i >= nexp && (!rules_presence_applies(&r) ||
		    c->now <= rules_late_after(&b, late * 60)))
			continue;
		if ((e = op_set_status(c, &b, i < nexp ? STATUS_EXPIRED :
		    STATUS_NO_SHOW, NULL)) == GERR_OK &&
		    (e = op_notify(c, i < nexp ? MAIL_EXPIRED : MAIL_NO_SHOW, b.id,
		    NULL)) == GERR_OK)
			e = op_booking_done(c, b.id, r.tz);
		if (e == GERR_OK && i >= nexp)
			nfreed++;
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	json_decref(c->result);
	c->result = json_pack("{s:I,s:I}", "expired", (json_int_t)nexp,
	    "freed", (json_int_t)nfreed);
	return (e);
}
