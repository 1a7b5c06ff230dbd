/*
 * Operations on places: weekly and exceptional hours (R4), closures (R13),
 * messages (R10) and head counts (occupancy).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Characters of a UTF-8 text (jansson made sure it is valid). */
static size_t
utf8_chars(const char *str)
{
	size_t	n = 0;

	for (; *str != '\0'; str++)
		n += ((unsigned char)*str & 0xc0) != 0x80;
	return (n);
}

static enum gerr
get_hhmm(struct op_ctx *c, const char *key, int *out)
{
	const char	*str;
	enum gerr	 e;

	if ((e = op_str(c, key, 1, &str)) != GERR_OK)
		return (e);
	if (tz_parse_hhmm(str, out) != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "time HH:MM: %s"), key, str));
	return (GERR_OK);
}

static enum gerr
get_day(struct op_ctx *c, int32_t *day)
{
	const char	*str;
	enum gerr	 e;

	if ((e = op_str(c, "date", 1, &str)) != GERR_OK)
		return (e);
	if (tz_parse_date(str, day) != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "date YYYY-MM-DD"), str));
	return (GERR_OK);
}

/* Log an establishment's hours in full: a pull replaces them whole. */
static enum gerr
log_hours(struct op_ctx *c, const struct establishment *est)
{
	json_decref(c->result);
	c->result = record_hours(c->s, est);
	return (op_log(c, "hours", est->code, record_hours(c->s, est)));
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

/*
 * R13, after a change of hours written in this transaction (a closure,
 * shorter hours for a date or a weekday): append to *ids (*n of them,
 * the caller frees each and the array) the live bookings of the library,
 * not yet ended, on the days changed (day: that local day; weekday 1-7:
 * every such day from now; otherwise both 0) that no longer lie inside
 * its hours.
 */
enum gerr
op_stranded(struct op_ctx *c, const struct establishment *est, int32_t day,
    int weekday, char ***ids, size_t *n)
{
	struct booking	 b;
	struct resource	 r;
	sqlite3_stmt	*st;
	int64_t		 from = c->now, to = INT64_MAX;
	size_t		 i, k, first = *n;
	enum gerr	 e = GERR_OK;
	int		 w0, w1;

	if (day != 0) {
		from = tz_day_start(est->tz, day);
		to = tz_day_start(est->tz, day + 1);
		if (from < c->now)
			from = c->now;
	}
	st = store_stmt(c->s, "SELECT b.id FROM booking b JOIN resource r ON "
	    "r.id = b.resource_id WHERE r.library_id = ?1 AND b.start < ?3 "
	    "AND b.end > ?2 AND " STATUS_LIVE_SQL("b.status") " ORDER BY "
	    "b.start, r.code, b.id");
	sqlite3_bind_int64(st, 1, est->id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while (sqlite3_step(st) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = xstrdup((const char *)sqlite3_column_text(st,
		    0));
	}
	sqlite3_reset(st);
	/* Keep those the change leaves outside the hours (R4). */
	for (i = first; i < *n; i++) {
		if (booking_find(c->s, (*ids)[i], &b) != GERR_OK ||
		    resource_find(c->s, b.resource, &r) != GERR_OK) {
			e = store_error(c->s, c->err, _("reading a booking"));
			break;
		}
		w0 = tz_weekday(tz_local_day(r.tz, b.start));
		w1 = tz_weekday(tz_local_day(r.tz, b.end - 1));
		if ((weekday != 0 && w0 != weekday && w1 != weekday) ||
		    rules_check_hours(c->s, &r, b.start, b.end, NULL) ==
		    GERR_OK) {
			free((*ids)[i]);
			(*ids)[i] = NULL;
		}
	}
	for (i = k = first; i < *n; i++)
		if ((*ids)[i] != NULL)
			(*ids)[k++] = (*ids)[i];
	*n = k;
	return (e);
}

/*
 * R13: the n bookings ids a change of hours leaves outside them. Without
 * "confirm": true for exactly those ("ids", the list shown; absent: any),
 * *list holds their records and *confirmed is 0: the caller refuses the
 * change with the list (its transaction is rolled back: nothing is
 * cancelled, nothing said cancelled). Confirmed, they are cancelled with
 * the change's reason, which is then required (R11), and *list holds the
 * bookings cancelled. closing: the change is a closure (the bookings'
 * cancel reason says "closed"). Frees ids.
 */
enum gerr
op_strand_cancel(struct op_ctx *c, char **ids, size_t n, int closing,
    const char *reason, json_t **list, int *confirmed)
{
	struct booking	 b;
	struct resource	 r;
	char		 why[300] = "";
	size_t		 i;
	enum gerr	 e = GERR_OK;
	int		 confirm;

	*list = json_array();
	/* Confirmed for the list shown: if the bookings are no longer those,
	 * show the new list rather than cancel unseen ones. */
	confirm = op_bool(c, "confirm") && same_ids(json_object_get(c->payload,
	    "ids"), ids, n);
	*confirmed = confirm;
	if (n > 0 && confirm && (reason == NULL ||
	    reason[strspn(reason, " \t")] == '\0'))
		e = gerror_set(c->err, GERR_REASON_REQUIRED, _("cancelling "
		    "the bookings this change leaves outside the hours needs a "
		    "reason for the patrons' e-mails (R11, R13)"));
	/* The booking keeps what cancelled it: "closed: ..." or
	 * "hours: ...". */
	if (reason != NULL)
		snprintf(why, sizeof why, "%s: %s", closing ? "closed" :
		    "hours", reason);
	for (i = 0; i < n && e == GERR_OK; i++) {
		if (booking_find(c->s, ids[i], &b) != GERR_OK ||
		    resource_find(c->s, b.resource, &r) != GERR_OK) {
			e = store_error(c->s, c->err, _("reading a booking"));
			break;
		}
		if (!confirm) {
			json_array_append_new(*list, record_booking(&b, r.tz));
			continue;
		}
		if ((e = op_set_status(c, &b, STATUS_CANCELLED, why)) ==
		    GERR_OK && (e = op_notify(c, MAIL_CANCELLED, b.id,
		    reason)) == GERR_OK && (e = op_booking_done(c, b.id,
		    r.tz)) == GERR_OK)
			json_array_append(*list, c->result);
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	if (e != GERR_OK) {
		json_decref(*list);
		*list = NULL;
	}
	return (e);
}

/*
 * R13 for one library (op_stranded, op_strand_cancel): unconfirmed, the
 * change is refused with the list as "to_cancel"; confirmed, *cancelled
 * lists the bookings cancelled.
 */
static enum gerr
strand(struct op_ctx *c, const struct establishment *est, int32_t day,
    int weekday, int closing, const char *reason, json_t **cancelled)
{
	json_t		*list;
	char		**ids = NULL;
	size_t		 i, n = 0;
	enum gerr	 e;
	int		 confirmed;

	*cancelled = NULL;
	if ((e = op_stranded(c, est, day, weekday, &ids, &n)) != GERR_OK) {
		for (i = 0; i < n; i++)
			free(ids[i]);
		free(ids);
		return (e);
	}
	if ((e = op_strand_cancel(c, ids, n, closing, reason, &list,
	    &confirmed)) != GERR_OK)
		return (e);
	if (n > 0 && !confirmed) {
		json_decref(c->result);
		c->result = json_pack("{s:o}", "to_cancel", list);
		return (gerror_set(c->err, GERR_NEEDS_CONFIRMATION, _("this "
		    "change of %s's hours leaves %zu live booking(s) outside "
		    "them: nothing is changed yet; confirm for the bookings "
		    "listed to cancel them with the reason (R13)"), est->code,
		    n));
	}
	*cancelled = list;
	return (GERR_OK);
}

/* Log the hours and answer them with the bookings cancelled (R13). */
static enum gerr
hours_done(struct op_ctx *c, const struct establishment *est,
    json_t *cancelled)
{
	enum gerr	e;

	if ((e = log_hours(c, est)) != GERR_OK) {
		json_decref(cancelled);
		return (e);
	}
	json_object_set_new(c->result, "cancelled", cancelled);
	return (GERR_OK);
}

/* Weekly hours of one weekday, or "closed": true. */
enum gerr
op_hours_week(struct op_ctx *c)
{
	struct establishment	 est;
	long long		 wd;
	int			 o = 0, cl = 0;
	const char		*reason;
	json_t			*cancelled;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = op_establishment(c, &est)) != GERR_OK ||
	    (e = op_int(c, "weekday", 1, 1, 7, &wd)) != GERR_OK ||
	    (e = op_text(c, "reason", 0, 240, &reason)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_HOURS, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	if (op_bool(c, "closed")) {
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
	if ((e = strand(c, &est, 0, (int)wd, 0, reason, &cancelled)) !=
	    GERR_OK)
		return (e);
	return (hours_done(c, &est, cancelled));
}

/* Exceptional hours on one date. */
enum gerr
op_hours_date(struct op_ctx *c)
{
	struct establishment	 est;
	int32_t			 day;
	int			 o, cl;
	const char		*reason;
	json_t			*cancelled;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = op_establishment(c, &est)) != GERR_OK ||
	    (e = get_day(c, &day)) != GERR_OK ||
	    (e = get_hhmm(c, "open", &o)) != GERR_OK ||
	    (e = get_hhmm(c, "close", &cl)) != GERR_OK ||
	    (e = op_text(c, "reason", 0, 240, &reason)) != GERR_OK)
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
	if ((e = strand(c, &est, day, 0, 0, reason, &cancelled)) != GERR_OK)
		return (e);
	return (hours_done(c, &est, cancelled));
}

/* R13: close a date; the live bookings of the day are listed, and
 * cancelled with the closure's reason only when the payload says
 * "confirm": true for the list shown ("ids"). */
enum gerr
op_close(struct op_ctx *c)
{
	struct establishment	 est;
	int32_t			 day;
	const char		*reason;
	json_t			*cancelled;
	sqlite3_stmt		*st;
	enum gerr		 e = GERR_OK;

	if ((e = op_establishment(c, &est)) != GERR_OK ||
	    (e = get_day(c, &day)) != GERR_OK ||
	    (e = op_text(c, "reason", 1, 240, &reason)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_HOURS, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	/* A library's hours decide R4 for its resources: closing anything
	 * else would cancel bookings and still let the slots be booked. */
	if (strcmp(est.kind, "library") != 0 &&
	    strcmp(est.kind, "campus") != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("%s is not a "
		    "library: close the library whose hours apply (R4, R13)"),
		    est.code));
	if (reason[strspn(reason, " \t")] == '\0')
		return (gerror_set(c->err, GERR_REASON_REQUIRED, _("a closure "
		    "needs a reason: it goes into the patrons' e-mails (R11, "
		    "R13)")));
	if (strcmp(est.kind, "campus") == 0)
		return (op_close_campus(c, &est, day, reason));
	st = store_stmt(c->s, "INSERT INTO hours_date VALUES (?1, ?2, 1, 0, "
	    "0, ?3) ON CONFLICT DO UPDATE SET closed = 1, reason = ?3");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int(st, 2, day);
	sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the closure")));
	if ((e = strand(c, &est, day, 0, 1, reason, &cancelled)) != GERR_OK)
		return (e);
	return (hours_done(c, &est, cancelled));
}

/* Back to the weekly hours on a date. */
enum gerr
op_open(struct op_ctx *c)
{
	struct establishment	 est;
	int32_t			 day;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = op_establishment(c, &est)) != GERR_OK ||
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

/*
 * Charter section 2.2.1: on the campus instance, P2 lets a library's
 * referent post pop-ups only; campus events are the super-administrator's.
 */
static enum gerr
campus_event(struct op_ctx *c, const struct establishment *est,
    const char *kind)
{
	if (strcmp(est->kind, "campus") != 0 || strcmp(kind, "event") != 0 ||
	    c->a->actor == ACTOR_SYSTEM || c->a->superadmin)
		return (GERR_OK);
	return (gerror_set(c->err, GERR_FORBIDDEN, _("%s may post pop-up "
	    "messages on %s, not events: campus events are the "
	    "super-administrator's (charter 2.2.1, P2)"), c->a->login,
	    est->code));
}

/* R10: a message shows for at most message_max_days. */
enum gerr
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

	if ((e = op_establishment(c, &est)) != GERR_OK ||
	    (e = op_str(c, "kind", 1, &kind)) != GERR_OK ||
	    (e = op_str(c, "text", 1, &text)) != GERR_OK ||
	    (e = op_str(c, "uid", 0, &uid)) != GERR_OK ||
	    (e = op_time(c, "from", est.tz, &from)) != GERR_OK ||
	    (e = op_time(c, "to", est.tz, &to)) != GERR_OK)
		return (e);
	if ((e = rights_check(c->s, c->a, PERM_MESSAGES, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	if (strcmp(kind, "popup") != 0 && strcmp(kind, "event") != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a message is a "
		    "'popup' or an 'event', not '%s'"), kind));
	if ((e = campus_event(c, &est, kind)) != GERR_OK)
		return (e);
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
	max = setting_get(c->s, SET_MESSAGE_MAX_DAYS);
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
	return (op_log(c, "message", uid, record_message(c->s, uid)));
}

/* Remove a message, named by "uid" (or by this database's "id"). */
enum gerr
op_message_remove(struct op_ctx *c)
{
	long long	 id = 0;
	int64_t		 est = 0;
	const char	*uid;
	char		 found[UUID_LEN] = "", kind[16] = "";
	struct establishment	 where;
	sqlite3_stmt	*st;
	enum gerr	 e;

	if ((e = op_str(c, "uid", 0, &uid)) != GERR_OK)
		return (e);
	if (uid == NULL && (e = op_int(c, "id", 1, 1, 1LL << 53, &id)) !=
	    GERR_OK)
		return (e);
	st = store_stmt(c->s, "SELECT establishment_id, uid, kind FROM "
	    "message WHERE uid = ?1 OR id = ?2");
	store_bind_text(st, 1, uid);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		est = sqlite3_column_int64(st, 0);
		strlcpy_g(found, (const char *)sqlite3_column_text(st, 1),
		    sizeof found);
		strlcpy_g(kind, (const char *)sqlite3_column_text(st, 2),
		    sizeof kind);
	}
	sqlite3_reset(st);
	if (est == 0)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no such message: "
		    "list them with 'guichet messages'")));
	if ((e = rights_check(c->s, c->a, PERM_MESSAGES, est, c->err)) !=
	    GERR_OK)
		return (e);
	if (establishment_get(c->s, est, &where) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the establishment")));
	if ((e = campus_event(c, &where, kind)) != GERR_OK)
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
	return (op_log(c, "message", found, json_deep_copy(c->result)));
}

/*
 * The head count of an establishment, from a door counter or the desk
 * (P5, modify information): the occupancy against the jauge, and the
 * hourly history (the last count of each hour).
 */
enum gerr
op_occupancy(struct op_ctx *c)
{
	struct establishment	 est;
	long long		 count;
	sqlite3_stmt		*st;
	enum gerr		 e;

	if ((e = op_establishment(c, &est)) != GERR_OK ||
	    (e = op_int(c, "count", 1, 0, 1000000, &count)) != GERR_OK)
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
	/* In full: a replica upserts the whole record (info too). */
	json_decref(c->result);
	c->result = record_establishment(c->s, est.code);
	return (op_log(c, "establishment", est.code,
	    json_deep_copy(c->result)));
}
