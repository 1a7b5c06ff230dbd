/*
 * The one door for writes: see ops.h. A table maps each kind to its
 * handler; handlers run inside the transaction and return an error code
 * with a message, or fill ctx->result. They never commit. The handlers
 * live by subject: ops_booking.c (bookings), ops_place.c (hours,
 * closures, messages, head counts), ops_admin.c (resource and global
 * settings, sessions, accounts); this file holds the door, the table and
 * the payload readers they share (ops_impl.h).
 */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "ops_impl.h"
#include "record.h"
#include "rules.h"
#include "settings.h"
#include "store.h"
#include "xmalloc.h"

typedef enum gerr (*op_handler)(struct op_ctx *);

/* A kind of operation: its name, its handler, and where it may go. */
struct op_entry {
	const char	*kind;
	op_handler	 handler;
	/* Local work of the backend itself (R5, R6): never pushed. */
#define OP_LOCAL	0x1
	int		 flags;
};

/* Payload readers: each sets a bad_request error naming the field. */

enum gerr
op_str(struct op_ctx *c, const char *key, int required, const char **out)
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

/* A text of at most max bytes, so that no record cuts it (nor a UTF-8
 * character in it). */
enum gerr
op_text(struct op_ctx *c, const char *key, int required, size_t max,
    const char **out)
{
	enum gerr	e;

	if ((e = op_str(c, key, required, out)) != GERR_OK)
		return (e);
	if (*out != NULL && strlen(*out) > max)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is longer "
		    "than %zu bytes: shorten it"), key, max));
	return (GERR_OK);
}

enum gerr
op_int(struct op_ctx *c, const char *key, int required, long long min,
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

int
op_bool(struct op_ctx *c, const char *key)
{
	return (json_is_true(json_object_get(c->payload, key)));
}

enum gerr
op_time(struct op_ctx *c, const char *key, const char *tz, int64_t *out)
{
	const char	*str;
	enum gerr	 e;
	int		 rc;

	if ((e = op_str(c, key, 1, &str)) != GERR_OK)
		return (e);
	if ((rc = clock_parse_iso(str, tz, out)) == -2)
		return (gerror_set(c->err, GERR_BAD_TIME, _("%s does not exist "
		    "in %s: the clocks go forward that night; choose another "
		    "time (bad_time)"), str, tz));
	if (rc != 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not an "
		    "ISO 8601 instant: %s"), key, str));
	return (GERR_OK);
}

enum gerr
op_resource(struct op_ctx *c, const char *key, struct resource *r)
{
	const char	*code;
	enum gerr	 e;

	if ((e = op_str(c, key, 1, &code)) != GERR_OK)
		return (e);
	if ((e = resource_find(c->s, code, r)) == GERR_NOT_FOUND)
		return (gerror_set(c->err, e, _("no resource '%s': list them "
		    "with 'guichet resources'"), code));
	if (e != GERR_OK)
		return (store_error(c->s, c->err, _("reading the resource")));
	return (GERR_OK);
}

enum gerr
op_establishment(struct op_ctx *c, struct establishment *est)
{
	const char	*code;
	enum gerr	 e;

	if ((e = op_str(c, "establishment", 1, &code)) != GERR_OK)
		return (e);
	if ((e = establishment_find(c->s, code, est)) == GERR_NOT_FOUND)
		return (gerror_set(c->err, e, _("no establishment '%s'"), code));
	if (e != GERR_OK)
		return (store_error(c->s, c->err, _("reading the establishment")));
	return (GERR_OK);
}

enum gerr
op_booking(struct op_ctx *c, struct booking *b, struct resource *r)
{
	const char	*id;
	enum gerr	 e;

	if ((e = op_str(c, "id", 1, &id)) != GERR_OK)
		return (e);
	if ((e = booking_find(c->s, id, b)) == GERR_NOT_FOUND)
		return (gerror_set(c->err, e, _("no booking '%s'"), id));
	if (e != GERR_OK)
		return (store_error(c->s, c->err, _("reading the booking")));
	if (resource_find(c->s, b->resource, r) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the resource")));
	return (GERR_OK);
}

/* Append a JSON text to the change log. */
static enum gerr
log_text(struct op_ctx *c, const char *entity, const char *id,
    const char *text)
{
	sqlite3_stmt	*st;

	/* Both instants (R15): when the backend applied it, and when it
	 * was made (the same but for a desk's pushed operation). */
	st = store_stmt(c->s, "INSERT INTO change_log (entity, entity_id, "
	    "op_id, at, data, made_at) VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->op_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->applied);
	sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, c->now);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("writing the change log")));
	return (GERR_OK);
}

/* Append to the change log; data is stolen. */
enum gerr
op_log(struct op_ctx *c, const char *entity, const char *id, json_t *data)
{
	char		*text;
	enum gerr	 e;

	text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(data);
	e = log_text(c, entity, id, text);
	free(text);
	return (e);
}

/*
 * Reload a booking after a write (or take the one op_notify has just
 * read), log it and make it the result: one record, dumped once, which
 * op_result then points at rather than holds again.
 */
enum gerr
op_booking_done(struct op_ctx *c, const char *id, const char *tz)
{
	struct booking	 b;
	json_t		*rec;
	char		*text;

	if (c->has_seen && strcmp(c->seen.id, id) == 0)
		b = c->seen;
	else if (booking_find(c->s, id, &b) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the booking")));
	c->has_seen = 0;
	rec = record_booking(&b, tz);
	text = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
	if (log_text(c, "booking", id, text) != GERR_OK) {
		json_decref(rec);
		free(text);
		return (GERR_STORAGE);
	}
	free(text);
	json_decref(c->result);
	c->result = rec;
	json_decref(c->text_of);
	c->text_of = json_incref(rec);
	c->text_seq = sqlite3_last_insert_rowid(c->s->db);
	return (GERR_OK);
}

/* Queue the patron's e-mail about a booking, as it is now. */
enum gerr
op_notify(struct op_ctx *c, enum mail_kind kind, const char *id,
    const char *reason)
{
	const struct resource	*r = NULL;
	int			 found = 1;

	/* op_book's booking is the row it has just written. */
	if (c->written && strcmp(c->seen.id, id) == 0)
		r = c->written_in;
	else
		found = booking_find(c->s, id, &c->seen) == GERR_OK;
	c->written = 0;
	c->written_in = NULL;
	if (!found || mail_queue(c->s, kind, &c->seen, r, reason) != GERR_OK) {
		c->has_seen = 0;
		return (store_error(c->s, c->err, _("queueing the e-mail")));
	}
	c->has_seen = 1;
	return (GERR_OK);
}

enum gerr
op_set_status(struct op_ctx *c, const struct booking *b, enum status st,
    const char *reason)
{
	sqlite3_stmt	*q;

	c->has_seen = 0;
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
enum gerr
op_patron_key(struct op_ctx *c, const struct booking *b)
{
	const char	*given;
	char		 key[MAIL_KEY_LEN];
	struct resource	 r;

	if (c->a->actor != ACTOR_PATRON)
		return (GERR_OK);
	/* R8: an internal room's contact is no patron, and has no link. */
	if (resource_find(c->s, b->resource, &r) == GERR_OK &&
	    resource_internal(&r))
		return (gerror_set(c->err, GERR_RESOURCE_INTERNAL, _("%s is for "
		    "internal planning: ask its referents to change the "
		    "booking (R8)"), r.code));
	if (op_str(c, "key", 0, &given) != GERR_OK)
		return (GERR_BAD_REQUEST);
	if (mail_key(c->s, b->id, key) != GERR_OK)
		return (store_error(c->s, c->err, _("checking the link")));
	/* The length first: a shorter key must not be read beyond its end. */
	if (given == NULL || strlen(given) != MAIL_KEY_LEN - 1 ||
	    sodium_memcmp(given, key, MAIL_KEY_LEN - 1) != 0)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("this link is not "
		    "the one of booking %s: use the link of its e-mail"),
		    b->id));
	return (GERR_OK);
}

/* Staff need P8 on the resource; patrons and the system pass. */
enum gerr
op_may_plan(struct op_ctx *c, const struct resource *r)
{
	if (c->a->actor != ACTOR_STAFF)
		return (GERR_OK);
	return (rights_check_resource(c->a, PERM_PLANNING, r, c->err));
}

static const struct op_entry op_table[] = {
	{ "book", op_book, 0 },
	{ "change", op_change, 0 },
	{ "cancel", op_cancel, 0 },
	{ "checkin", op_checkin, 0 },
	{ "confirm", op_confirm, 0 },
	{ "validate", op_validate, 0 },
	{ "free_late", op_free_late, 0 },
	{ "sweep", op_sweep, OP_LOCAL },
	{ "hours_week", op_hours_week, 0 },
	{ "hours_date", op_hours_date, 0 },
	{ "close", op_close, 0 },
	{ "open", op_open, 0 },
	{ "message_add", op_message_add, 0 },
	{ "message_remove", op_message_remove, 0 },
	{ "resource_set", op_resource_set, 0 },
	{ "setting", op_setting, 0 },
	{ "session_add", op_session_add, 0 },
	{ "occupancy", op_occupancy, 0 },
	{ "account_add", op_account_add, 0 },
	{ "grant", op_grant, 0 },
	{ "revoke", op_revoke, 0 },
	{ "passwd", op_passwd, 0 },
	{ "resource_add", op_resource_add, 0 },
	{ "session_change", op_session_change, 0 },
	{ "session_cancel", op_session_cancel, 0 },
	{ "establishment_set", op_establishment_set, 0 },
	{ "account_set", op_account_set, 0 },
};

static const struct op_entry *
op_find(const char *kind)
{
	size_t	i;

	for (i = 0; i < sizeof op_table / sizeof op_table[0]; i++)
		if (strcmp(op_table[i].kind, kind) == 0)
			return (&op_table[i]);
	return (NULL);
}

const char *
op_kind(size_t index)
{
	if (index >= sizeof op_table / sizeof op_table[0])
		return (NULL);
	return (op_table[index].kind);
}

int
op_kind_local(const char *kind)
{
	const struct op_entry	*entry = op_find(kind);

	return (entry != NULL && (entry->flags & OP_LOCAL));
}

/* A replay: the first result of this operation, if any. */
static int
replay(struct store *s, const char *op_id, const char *kind,
    const char *login, json_t **result, struct gerror *err)
{
	sqlite3_stmt	*st;
	int		 found = 0;
	enum gerr	 code = GERR_OK;

	/* An applied result may be the change_log row it made (record). */
	st = store_stmt(s, "SELECT status, error, CASE WHEN log_seq <> 0 THEN "
	    "(SELECT data FROM change_log WHERE seq = log_seq) ELSE result END, "
	    "message, kind, account FROM op_result WHERE op_id = ?");
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
    const char *login, const struct gerror *err, const struct op_ctx *c)
{
	enum gerr	 code = err != NULL ? err->code : GERR_OK;
	json_t		*result = c->result;
	sqlite3_stmt	*st;
	char		*text = NULL;
	int64_t		 seq = 0;

	/* Applied, with the result op_booking_done logged: that row of
	 * the same transaction, not the text again. A refusal's
	 * transaction was undone, its change_log row with it. */
	if (result != NULL && result == c->text_of && code == GERR_OK)
		seq = c->text_seq;
	else if (result != NULL)
		text = json_dumps(result, JSON_COMPACT | JSON_ENCODE_ANY);
	st = store_stmt(s, "INSERT OR IGNORE INTO op_result (op_id, kind, "
	    "status, error, result, at, message, account, log_seq) VALUES (?, "
	    "?, ?, ?, ?, ?, ?, ?, ?)");
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
	sqlite3_bind_int64(st, 6, c->now);
	sqlite3_bind_int64(st, 9, seq);
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
	return (op_apply_at(s, a, op_id, kind, payload, 0, result, err));
}

/* A desk's replica opened without its backend would take writes that
 * are never pushed: it says so and changes nothing (DESIGN.md, Sync). */
static enum gerr
not_a_replica(struct store *s, struct gerror *err)
{
	sqlite3_stmt	*st;
	enum gerr	 e = GERR_OK;

	st = store_stmt(s, "SELECT value FROM sync_state WHERE key = "
	    "'backend' AND value <> ''");
	if (sqlite3_step(st) == SQLITE_ROW)
		e = gerror_set(err, GERR_BAD_REQUEST, _("%s is the replica of a "
		    "desk synced with %s, but no backend is configured: run "
		    "with the desk's configuration ([backend] url = %s in "
		    "guichet.ini, or -c FILE); nothing was changed"), s->path,
		    (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return (e);
}

/* R15: when the operation is judged; GERR_OK or a refusal. */
static enum gerr
judged_at(struct store *s, int64_t made_at, int64_t now, int64_t *at,
    struct gerror *err)
{
	int64_t	skew, horizon;
	char	when[CLOCK_ISO_LEN];

	*at = now;
	if (made_at == 0)
		return (GERR_OK);
	skew = setting_get(s, SET_SYNC_SKEW_MINUTES) * 60;
	horizon = setting_get(s, SET_OFFLINE_HORIZON_HOURS) * 3600;
	clock_format_iso(made_at, "UTC", when);
	if (made_at > now + skew)
		return (gerror_set(err, GERR_CLOCK_AHEAD, _("made at %s, later "
		    "than the backend's clock by more than %lld min: set the "
		    "desk's clock right (R15)"), when, (long long)skew / 60));
	if (made_at < now - horizon)
		return (gerror_set(err, GERR_TOO_OLD, _("made at %s, more than "
		    "%lld h ago: too old to apply now, do it again if it still "
		    "holds (R15)"), when, (long long)horizon / 3600));
	*at = made_at < now ? made_at : now;
	return (GERR_OK);
}

enum gerr
op_apply_at(struct store *s, const struct account *a, const char *op_id,
    const char *kind, json_t *payload, int64_t made_at, json_t **result,
    struct gerror *err)
{
	const struct op_entry	*entry = NULL;
	struct op_ctx		 c;
	char			 uuid[UUID_LEN];
	struct gerror		 local;
	enum gerr		 e;
	int			 r, named;

	if (result != NULL)
		*result = NULL;
	if (err == NULL)
		err = &local;
	gerror_clear(err);
	if ((entry = op_find(kind)) == NULL)
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
	if (!s->desk && (e = not_a_replica(s, err)) != GERR_OK) {
		store_rollback(s);
		return (e);
	}
	if ((r = replay(s, op_id, kind, a->login, result, err)) != 0) {
		store_rollback(s);
		return ((enum gerr)(r - 1));
	}
	memset(&c, 0, sizeof c);
	c.s = s;
	c.a = a;
	c.op_id = op_id;
	c.payload = payload;
	c.applied = clock_now();
	c.err = err;
	if (made_at != 0 && a->actor != ACTOR_STAFF)
		made_at = 0;	/* R15: only staff's pushed operations */
	/* R16 at the door, for every kind: text from people. */
	if ((e = rules_check_text(payload, err)) == GERR_OK &&
	    (e = judged_at(s, made_at, c.applied, &c.now, err)) == GERR_OK)
		e = entry->handler(&c);
	if (e == GERR_OK && s->desk && !(entry->flags & OP_LOCAL))
		e = outbox(&c, kind, err);
	if (e == GERR_OK) {
		if (named)
			record(s, op_id, kind, a->login, NULL, &c);
		e = store_commit(s, err);
	}
	if (e != GERR_OK) {
		store_rollback(s);
		if (named && e != GERR_STORAGE && store_begin(s, NULL) ==
		    GERR_OK) {
			err->code = e;
			record(s, op_id, kind, a->login, err, &c);
			store_commit(s, NULL);
		}
	}
	json_decref(c.text_of);
	if (result != NULL)
		*result = c.result;
	else
		json_decref(c.result);
	return (e);
}
