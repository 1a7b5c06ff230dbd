/*
 * Operations that give staff the rest of the charter's rights: create a
 * resource with its whole policy (P9), change and cancel the sessions of
 * workshops and visits (P9, R11), edit a library's public information and
 * its establishment code (P5, R6), disable and enable an account (P7), and
 * close every library of the campus at once (P4 on CAMPUS, R13).
 *
 * Each one writes its records in full to the change log, so that a desk's
 * replica gets the same state (replica.c upserts by stable keys).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "ops_impl.h"
#include "record.h"
#include "rules.h"
#include "session.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

/* Limits of the texts (R16), in bytes (records never cut them). */
#define INFO_MAX	4000
#define PLACE_MAX	63
#define CONFIRM_MAX	4000

/* R16: no control character (a text that may keep newlines keeps them). */
static enum gerr
plain_text(struct op_ctx *c, const char *key, const char *str, int newlines)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)str; *p != '\0'; p++) {
		if (newlines && *p == '\n')
			continue;
		/* C0, DEL, and C1 (U+0080-U+009F: 0xc2 0x80-0x9f). */
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f))
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' has "
			    "a control character: type it again as plain text "
			    "(R16)"), key));
	}
	return (GERR_OK);
}

/* A code of resource or establishment: letters, digits and dashes. */
static int
valid_code(const char *str, size_t min)
{
	size_t	n = strlen(str);

	if (n < min || n >= CODE_LEN)
		return (0);
	for (; *str != '\0'; str++)
		if (!isalnum((unsigned char)*str) && *str != '-')
			return (0);
	return (1);
}

/*
 * P9: a new resource and its whole policy. The payload names it ("code",
 * "name", "type", its holder "establishment" and its "library"); every
 * other key is a setting of resource_set, applied in the same transaction.
 */
enum gerr
op_resource_add(struct op_ctx *c)
{
	static const char *const own[] = { "code", "type", "establishment",
	    "library", NULL };
	struct establishment	 holder, lib;
	struct resource		 r;
	const char		*code, *name, *type, *hold, *libcode, *key;
	json_t			*settings, *saved, *v;
	sqlite3_stmt		*st;
	enum rtype		 t;
	enum gerr		 e;
	size_t			 i;
	int			 skip;

	if ((e = op_str(c, "code", 1, &code)) != GERR_OK ||
	    (e = op_text(c, "name", 1, NAME_LEN - 8, &name)) != GERR_OK ||
	    (e = op_str(c, "type", 1, &type)) != GERR_OK ||
	    (e = op_str(c, "establishment", 1, &hold)) != GERR_OK ||
	    (e = op_str(c, "library", 1, &libcode)) != GERR_OK)
		return (e);
	if (!valid_code(code, 2))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "resource code: 2 to 31 letters, digits or dashes, such as "
		    "BUC-G7"), code));
	if (name[strspn(name, " ")] == '\0' ||
	    (e = plain_text(c, "name", name, 0)) != GERR_OK)
		return (e != GERR_OK ? e : gerror_set(c->err,
		    GERR_BAD_REQUEST, _("a resource needs a name")));
	if (rtype_parse(type, &t) != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "resource type: group_room, carrel, seat, equipment, "
		    "workshop, visit, training, training_room, meeting_room"),
		    type));
	if (establishment_find(c->s, hold, &holder) != GERR_OK)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no establishment "
		    "'%s' to hold the resource"), hold));
	if (establishment_find(c->s, libcode, &lib) != GERR_OK ||
	    strcmp(lib.kind, "library") != 0)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no library '%s': "
		    "a resource stands in a library, whose hours it follows "
		    "(R4)"), libcode));
	if (strcmp(holder.kind, "campus") == 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("%s holds no "
		    "resource: name a booking establishment or a library"),
		    holder.code));

	/* The rights first, on the resource as it would be (P9, scope). */
	memset(&r, 0, sizeof r);
	strlcpy_g(r.code, code, sizeof r.code);
	r.type = t;
	r.establishment_id = holder.id;
	strlcpy_g(r.establishment, holder.code, sizeof r.establishment);
	r.library_id = lib.id;
	strlcpy_g(r.library, lib.code, sizeof r.library);
	r.public = !rtype_internal(t);
	if (json_is_false(json_object_get(c->payload, "public")))
		r.public = 0;
	if (c->a->actor != ACTOR_SYSTEM && (e = rights_check_resource(c->a,
	    PERM_SETTINGS, &r, c->err)) != GERR_OK)
		return (e);

	st = store_stmt(c->s, "INSERT INTO resource (code, name, type, "
	    "establishment_id, library_id, public) VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rtype_name(t), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, holder.id);
	sqlite3_bind_int64(st, 5, lib.id);
	sqlite3_bind_int(st, 6, r.public);
	if (store_step_done(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(c->s->db) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			return (gerror_set(c->err, GERR_BAD_STATE, _("resource "
			    "%s exists already: change it with 'guichet "
			    "resource %s KEY=VALUE'"), code, code));
		return (store_error(c->s, c->err, _("saving the resource")));
	}

	/* The policy: every other key, as resource_set takes it. */
	settings = json_pack("{s:s}", "resource", code);
	json_object_foreach(c->payload, key, v) {
		for (skip = 0, i = 0; own[i] != NULL; i++)
			skip |= strcmp(own[i], key) == 0;
		if (!skip)
			json_object_set(settings, key, v);
	}
	saved = c->payload;
	c->payload = settings;
	e = op_resource_set(c);
	c->payload = saved;
	json_decref(settings);
	if (e != GERR_OK)
		return (e);
	if (resource_find(c->s, code, &r) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the resource")));
	/* Exclusive resources hold one booking at a time (R7); internal
	 * ones are never offered to patrons (R8). */
	if (!rtype_capacity(r.type) && r.capacity != 1)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a %s is booked "
		    "by one patron at a time: its capacity is 1, not %d (R7)"),
		    _(rtype_label(r.type)), r.capacity));
	if (rtype_internal(r.type) && r.public)
		return (gerror_set(c->err, GERR_RESOURCE_INTERNAL, _("a %s is for "
		    "internal planning: it cannot be public (R8)"),
		    _(rtype_label(r.type))));
	return (GERR_OK);
}

/* A session of a resource, by its start: its id and end, places taken. */
static enum gerr
find_session(struct op_ctx *c, const struct resource *r, int64_t start,
    int64_t *id, int64_t *end, int *places, int *taken)
{
	sqlite3_stmt	*st;
	char		 when[CLOCK_ISO_LEN];
	int		 rc;

	st = store_stmt(c->s, "SELECT s.id, s.end, s.places, (SELECT "
	    "coalesce(sum(b.places), 0) FROM booking b WHERE b.session_id = "
	    "s.id AND " STATUS_LIVE_SQL("b.status") ") FROM session s "
	    "WHERE s.resource_id = ? AND "
	    "s.start = ?");
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, start);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*end = sqlite3_column_int64(st, 1);
		*places = sqlite3_column_int(st, 2);
		*taken = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (GERR_OK);
	if (rc != SQLITE_DONE)
		return (store_error(c->s, c->err, _("reading the session")));
	clock_format_iso(start, r->tz, when);
	return (gerror_set(c->err, GERR_NOT_FOUND, _("%s has no session "
	    "starting at %s: list its sessions with 'guichet sessions list %s'"),
	    r->code, when, r->code));
}

/* The record of a session, for the change log and the result. */
static json_t *
session_record(const struct resource *r, int64_t start, int64_t end,
    int places, int taken)
{
	char	a[CLOCK_ISO_LEN], b[CLOCK_ISO_LEN];

	clock_format_iso(start, r->tz, a);
	clock_format_iso(end, r->tz, b);
	return (json_pack("{s:s,s:s,s:s,s:i,s:i}", "resource", r->code,
	    "start", a, "end", b, "places", places, "taken", taken));
}

static enum gerr
log_session(struct op_ctx *c, const struct resource *r, int64_t start,
    json_t *data)
{
	char	id[64];

	snprintf(id, sizeof id, "%s@%lld", r->code, (long long)start);
	return (op_log(c, "session", id, data));
}

/* The resource of a session operation, with P9 on it. */
static enum gerr
session_resource(struct op_ctx *c, struct resource *r, int64_t *start)
{
	enum gerr	e;

	if ((e = op_resource(c, "resource", r)) != GERR_OK ||
	    (e = op_time(c, "start", r->tz, start)) != GERR_OK)
		return (e);
	if (c->a->actor != ACTOR_SYSTEM && (e = rights_check_resource(c->a,
	    PERM_SETTINGS, r, c->err)) != GERR_OK)
		return (e);
	if (!rtype_capacity(r->type))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("%s is a %s: only "
		    "workshops, visits and trainings have sessions"), r->code,
		    _(rtype_label(r->type))));
	return (GERR_OK);
}

/*
 * P9: change a session, named by its resource and "start": its "places"
 * (never below the places booked, R13), its times ("new_start",
 * "new_end"; only while nobody has a place in it, since the patrons
 * booked those times).
 */
enum gerr
op_session_change(struct op_ctx *c)
{
	struct resource	 r;
	int64_t		 id, start, end, nstart, nend;
	long long	 places;
	int		 had, taken;
	const char	*str;
	sqlite3_stmt	*st;
	char		 when[CLOCK_ISO_LEN], until[CLOCK_ISO_LEN];
	enum gerr	 e;

	if ((e = session_resource(c, &r, &start)) != GERR_OK ||
	    (e = find_session(c, &r, start, &id, &end, &had, &taken)) !=
	    GERR_OK)
		return (e);
	nstart = start;
	nend = end;
	places = had;
	if ((e = op_str(c, "new_start", 0, &str)) != GERR_OK ||
	    (str != NULL && (e = op_time(c, "new_start", r.tz, &nstart)) !=
	    GERR_OK) ||
	    (e = op_str(c, "new_end", 0, &str)) != GERR_OK ||
	    (str != NULL && (e = op_time(c, "new_end", r.tz, &nend)) !=
	    GERR_OK))
		return (e);
	if (op_int(c, "places", 0, 1, r.capacity, &places) != GERR_OK) {
		if (c->err->code == GERR_BAD_REQUEST)
			return (GERR_BAD_REQUEST);
		places = had;
	}
	if (nstart == start && nend == end && places == had)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("nothing to "
		    "change: give new_start, new_end or places")));
	if (places < taken) {
		/* The list as for a resource's capacity (ops_admin.c). */
		clock_format_iso(start, r.tz, when);
		clock_format_iso(end, r.tz, until);
		json_decref(c->result);
		c->result = json_pack("{s:[{s:s,s:s,s:s,s:i,s:i}]}",
		    "sessions", "resource", r.code, "start", when, "end", until,
		    "places", had, "booked", taken);
		return (gerror_set(c->err, GERR_CAPACITY_BELOW_BOOKED,
		    ngettext("the session of %s at %s has %d place booked: "
		    "it cannot have %lld (R13)", "the session of %s at %s has "
		    "%d places booked: it cannot have %lld (R13)",
		    (unsigned long)taken), r.code, when, taken, places));
	}
	if (nstart != start || nend != end) {
		if (taken > 0)
			return (gerror_set(c->err, GERR_BAD_STATE, ngettext(
			    "%d place is booked in this session for its times: "
			    "cancel it (the patron is told) and create another",
			    "%d places are booked in this session for its times: "
			    "cancel it (the patrons are told) and create another",
			    (unsigned long)taken), taken));
		if (nend <= nstart)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("a session "
			    "ends after it starts")));
		if ((e = rules_check_hours(c->s, &r, nstart, nend, c->err)) !=
		    GERR_OK)
			return (e);
	}
	st = store_stmt(c->s, "UPDATE session SET start = ?, end = ?, "
	    "places = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, nstart);
	sqlite3_bind_int64(st, 2, nend);
	sqlite3_bind_int64(st, 3, places);
	sqlite3_bind_int64(st, 4, id);
	if (store_step_done(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(c->s->db) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			return (gerror_set(c->err, GERR_BAD_STATE, _("%s has a "
			    "session at that time already"), r.code));
		return (store_error(c->s, c->err, _("saving the session")));
	}
	/* Replicas know a session by its resource and start. */
	if (nstart != start && (e = log_session(c, &r, start,
	    json_pack("{s:s,s:o,s:b}", "resource", r.code, "start",
	    json_deep_copy(json_object_get(c->payload, "start")), "removed",
	    1))) != GERR_OK)
		return (e);
	json_decref(c->result);
	c->result = session_record(&r, nstart, nend, (int)places, taken);
	return (log_session(c, &r, nstart, json_deep_copy(c->result)));
}

/*
 * P9: cancel a session, named by its resource and "start". Its places are
 * cancelled with the "reason" (R11), which goes into each patron's
 * e-mail; the cancelled bookings stay on record, the session goes.
 */
enum gerr
op_session_cancel(struct op_ctx *c)
{
	struct resource	 r;
	struct booking	 b;
	int64_t		 id, start, end;
	int		 places, taken;
	const char	*reason;
	json_t		*list;
	sqlite3_stmt	*st;
	char		**ids = NULL, why[600];
	size_t		 i, n = 0;
	enum gerr	 e;

	if ((e = session_resource(c, &r, &start)) != GERR_OK ||
	    (e = op_text(c, "reason", 0, 500, &reason)) != GERR_OK)
		return (e);
	if (reason == NULL || reason[strspn(reason, " \t")] == '\0')
		return (gerror_set(c->err, GERR_REASON_REQUIRED, _("cancelling "
		    "a session needs a reason: it goes into the patrons' "
		    "e-mails (R11)")));
	if ((e = plain_text(c, "reason", reason, 0)) != GERR_OK ||
	    (e = find_session(c, &r, start, &id, &end, &places, &taken)) !=
	    GERR_OK)
		return (e);
	st = store_stmt(c->s, "SELECT id FROM booking WHERE session_id = ? "
	    "AND " STATUS_LIVE_SQL("status") " ORDER BY created_at, id");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	list = json_array();
	snprintf(why, sizeof why, "session cancelled: %s", reason);
	for (i = 0; i < n && e == GERR_OK; i++) {
		if (booking_find(c->s, ids[i], &b) != GERR_OK) {
			e = store_error(c->s, c->err, _("reading a booking"));
			break;
		}
		if ((e = op_set_status(c, &b, STATUS_CANCELLED, why)) ==
		    GERR_OK && (e = op_notify(c, MAIL_CANCELLED, b.id,
		    reason)) == GERR_OK && (e = op_booking_done(c, b.id,
		    r.tz)) == GERR_OK)
			json_array_append(list, c->result);
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	if (e != GERR_OK) {
		json_decref(list);
		return (e);
	}
	/* The bookings keep their times; the session row goes. */
	st = store_stmt(c->s, "UPDATE booking SET session_id = NULL WHERE "
	    "session_id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (store_step_done(st) != SQLITE_DONE) {
		json_decref(list);
		return (store_error(c->s, c->err, _("saving the session")));
	}
	st = store_stmt(c->s, "DELETE FROM session WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (store_step_done(st) != SQLITE_DONE) {
		json_decref(list);
		return (store_error(c->s, c->err, _("removing the session")));
	}
	json_decref(c->result);
	c->result = session_record(&r, start, end, places, 0);
	json_object_set_new(c->result, "removed", json_true());
	if ((e = log_session(c, &r, start, json_deep_copy(c->result))) !=
	    GERR_OK) {
		json_decref(list);
		return (e);
	}
	json_object_set_new(c->result, "cancelled", list);
	json_object_set_new(c->result, "reason", json_string(reason));
	return (GERR_OK);
}

/*
 * P5: a library's public information: "info" (text shown to patrons),
 * "jauge" (the head count occupancy is measured against), "name", and
 * "checkin_code", the establishment code patrons give to validate their
 * presence (R6). A new code holds at once: the QR posters with the old
 * one stop working, and the result says so ("posters_invalid").
 */
enum gerr
op_establishment_set(struct op_ctx *c)
{
	struct establishment	 est;
	const char		*info, *name, *code;
	long long		 jauge;
	char			 norm[CODE_LEN];
	sqlite3_stmt		*st;
	enum gerr		 e;
	size_t			 i, k;
	int			 has_jauge, changed_code = 0;

	if ((e = op_establishment(c, &est)) != GERR_OK ||
	    (e = op_text(c, "info", 0, INFO_MAX, &info)) != GERR_OK ||
	    (e = op_text(c, "name", 0, NAME_LEN - 8, &name)) != GERR_OK ||
	    (e = op_str(c, "checkin_code", 0, &code)) != GERR_OK)
		return (e);
	has_jauge = op_int(c, "jauge", 0, 0, 100000, &jauge) == GERR_OK;
	if (!has_jauge && c->err->code == GERR_BAD_REQUEST)
		return (GERR_BAD_REQUEST);
	gerror_clear(c->err);
	if ((e = rights_check(c->s, c->a, PERM_INFO, est.id, c->err)) !=
	    GERR_OK)
		return (e);
	if (info == NULL && name == NULL && code == NULL && !has_jauge)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("nothing to "
		    "change: give info, jauge, name or checkin_code")));
	if ((info != NULL && (e = plain_text(c, "info", info, 1)) !=
	    GERR_OK) || (name != NULL && (e = plain_text(c, "name", name,
	    0)) != GERR_OK))
		return (e);
	if (name != NULL && name[strspn(name, " ")] == '\0')
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("an "
		    "establishment needs a name")));
	if (code != NULL) {
		/* Stored as patrons will type it, whatever the case. */
		for (i = 0, k = 0; code[i] != '\0' && k < sizeof norm - 1; i++)
			if (code[i] != ' ')
				norm[k++] = (char)toupper((unsigned char)
				    code[i]);
		norm[k] = '\0';
		if (code[i] != '\0' || !valid_code(norm, 4))
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is "
			    "not an establishment code: 4 to 31 letters, "
			    "digits or dashes, such as BUC-4821 (R6)"), code));
		if (strcmp(est.kind, "library") != 0)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("%s is "
			    "not a library: patrons validate their presence "
			    "with a library's code (R6)"), est.code));
		changed_code = strcmp(norm, est.checkin_code) != 0;
		st = store_stmt(c->s, "UPDATE establishment SET checkin_code "
		    "= ? WHERE id = ?");
		sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, est.id);
		if (store_step_done(st) != SQLITE_DONE)
			return (store_error(c->s, c->err, _("saving the "
			    "establishment")));
	}
	st = store_stmt(c->s, "UPDATE establishment SET info = coalesce(?1, "
	    "info), name = coalesce(?2, name), jauge = CASE WHEN ?3 THEN ?4 "
	    "ELSE jauge END WHERE id = ?5");
	/* NULL keeps the field (store_bind_text would bind ''). */
	if (info != NULL)
		sqlite3_bind_text(st, 1, info, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 1);
	if (name != NULL)
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int(st, 3, has_jauge);
	sqlite3_bind_int64(st, 4, has_jauge ? jauge : 0);
	sqlite3_bind_int64(st, 5, est.id);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the "
		    "establishment")));
	json_decref(c->result);
	c->result = record_establishment(c->s, est.code);
	json_object_set_new(c->result, "posters_invalid",
	    json_boolean(changed_code));
	return (op_log(c, "establishment", est.code,
	    record_establishment(c->s, est.code)));
}

/*
 * P7: disable ("enabled": false) or enable an account. One may do it only
 * to an account whose every grant one could have given (SPEC section 4),
 * never to oneself, and only the super-administrator to another one.
 * Disabling ends the account's sessions on the server at once.
 */
enum gerr
op_account_set(struct op_ctx *c)
{
	struct account	*to;
	const char	*login;
	json_t		*v;
	struct gerror	 why;
	sqlite3_stmt	*st;
	size_t		 i;
	enum gerr	 e;
	int		 enabled, p7;

	if ((e = op_str(c, "login", 1, &login)) != GERR_OK)
		return (e);
	v = json_object_get(c->payload, "enabled");
	if (!json_is_boolean(v))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'enabled' must "
		    "be true or false")));
	enabled = json_is_true(v);
	p7 = c->a->actor == ACTOR_SYSTEM || c->a->superadmin;
	for (i = 0; !p7 && c->a->actor == ACTOR_STAFF && i < c->a->ngrants;
	    i++)
		p7 = (c->a->grants[i].perms & PERM_USERS) != 0;
	if (!p7)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("%s may not manage "
		    "users (P7)"), c->a->login));
	if ((e = account_load(c->s, login, &to)) == GERR_NOT_FOUND)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no account '%s': "
		    "list them with 'guichet users'"), login));
	if (e != GERR_OK)
		return (store_error(c->s, c->err, _("reading the account")));
	e = GERR_OK;
	if (c->a->actor == ACTOR_STAFF && strcmp(to->login, c->a->login) == 0)
		e = gerror_set(c->err, GERR_FORBIDDEN, _("%s may not disable or "
		    "enable itself: ask another manager (P7)"), c->a->login);
	else if (to->superadmin && !c->a->superadmin &&
	    c->a->actor != ACTOR_SYSTEM)
		e = gerror_set(c->err, GERR_FORBIDDEN, _("%s is a "
		    "super-administrator: only another one may disable or "
		    "enable it"), to->login);
	for (i = 0; e == GERR_OK && i < to->ngrants; i++) {
		if (rights_check_grant(c->s, c->a, &to->grants[i], &why) ==
		    GERR_OK)
			continue;
		e = gerror_set(c->err, GERR_FORBIDDEN, _("%s may not disable "
		    "or enable %s, whose grants on %s it could not have given "
		    "(P7)"), c->a->login, to->login, to->grants[i].establishment);
	}
	account_free(to);
	if (e != GERR_OK)
		return (e);
	st = store_stmt(c->s, "UPDATE account SET enabled = ? WHERE login = ?");
	sqlite3_bind_int(st, 1, enabled);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the account")));
	/* Its bearer tokens, all at once (session.c). */
	if (!enabled && session_end_others(c->s, login, NULL) != GERR_OK)
		return (store_error(c->s, c->err, _("ending the sessions")));
	if (account_load(c->s, login, &to) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the account")));
	json_decref(c->result);
	c->result = record_account(to);
	account_free(to);
	return (op_log(c, "account", login, json_deep_copy(c->result)));
}

/*
 * R13 on the campus instance: a closure of CAMPUS closes every library
 * on that date (the campus's messages concern every library, and so does
 * its closure), lists their live bookings, and cancels them with the
 * reason only when confirmed for the list shown ("ids"), as for one
 * library. P4 on CAMPUS is the right it takes (charter: the campus's
 * hours).
 */
enum gerr
op_close_campus(struct op_ctx *c, const struct establishment *campus,
    int32_t day, const char *reason)
{
	struct establishment	*libs = NULL, est;
	json_t			*list, *hours;
	sqlite3_stmt		*st;
	char			**ids = NULL;
	size_t			 i, k, n = 0, nlibs = 0;
	enum gerr		 e = GERR_OK;
	int			 confirmed, rc;

	st = store_stmt(c->s, "SELECT code FROM establishment WHERE kind = "
	    "'library' ORDER BY code");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		libs = xreallocarray(libs, nlibs + 1, sizeof *libs);
		strlcpy_g(libs[nlibs++].code, (const char *)
		    sqlite3_column_text(st, 0), sizeof libs->code);
	}
	sqlite3_reset(st);
	for (i = 0; i < nlibs && rc == SQLITE_DONE; i++)
		if (establishment_find(c->s, libs[i].code, &libs[i]) !=
		    GERR_OK)
			rc = SQLITE_ERROR;
	if (rc != SQLITE_DONE) {
		free(libs);
		return (store_error(c->s, c->err, _("reading the libraries")));
	}
	/* The closed date, on the campus and on each of its libraries. */
	st = store_stmt(c->s, "INSERT INTO hours_date VALUES (?1, ?2, 1, 0, "
	    "0, ?3) ON CONFLICT DO UPDATE SET closed = 1, reason = ?3");
	for (k = 0; k <= nlibs && e == GERR_OK; k++) {
		est = k < nlibs ? libs[k] : *campus;
		sqlite3_bind_int64(st, 1, est.id);
		sqlite3_bind_int(st, 2, day);
		sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
		if (store_step_done(st) != SQLITE_DONE)
			e = store_error(c->s, c->err, _("saving the closure"));
	}
	/* Each library's stranded bookings, as a library's closure lists
	 * them, confirmed or shown as one list. */
	for (k = 0; k < nlibs && e == GERR_OK; k++)
		e = op_stranded(c, &libs[k], day, 0, &ids, &n);
	if (e != GERR_OK) {
		for (i = 0; i < n; i++)
			free(ids[i]);
		free(ids);
		free(libs);
		return (e);
	}
	if ((e = op_strand_cancel(c, ids, n, 1, reason, &list,
	    &confirmed)) != GERR_OK) {
		free(libs);
		return (e);
	}
	json_decref(c->result);
	c->result = NULL;
	if (n > 0 && !confirmed) {
		/* Listed, not said cancelled: nothing is yet (R13). */
		c->result = json_pack("{s:o}", "to_cancel", list);
		free(libs);
		return (gerror_set(c->err, GERR_NEEDS_CONFIRMATION, ngettext(
		    "closing %s on this date closes %zu libraries and cancels "
		    "%zu live booking: confirm to cancel it with the reason "
		    "(R13)", "closing %s on this date closes %zu libraries and "
		    "cancels %zu live bookings: confirm to cancel them with "
		    "the reason (R13)", n), campus->code, nlibs, n));
	}
	hours = json_array();
	for (k = 0; k <= nlibs && e == GERR_OK; k++) {
		est = k < nlibs ? libs[k] : *campus;
		if ((e = op_log(c, "hours", est.code, record_hours(c->s,
		    &est))) == GERR_OK)
			json_array_append_new(hours, json_string(est.code));
	}
	free(libs);
	if (e != GERR_OK) {
		json_decref(list);
		json_decref(hours);
		return (e);
	}
	c->result = json_pack("{s:o,s:o}", "cancelled", list, "closed", hours);
	return (GERR_OK);
}
