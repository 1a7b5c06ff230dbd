/*
 * Sync: see sync.h. The outbox is read in order and cut into batches of
 * one account's operations (the backend checks each with that account's
 * rights). A result is recorded (outbox row gone, conflict written) in one
 * transaction; if the desk dies before that, the next run pushes the same
 * operations again and the backend answers with their first results.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "clock.h"
#include "i18n.h"
#include "record.h"
#include "replica.h"
#include "settings.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

#define SYNC_BATCH	100
/* Bytes a batch may carry: under guichetd's body limit (256 KiB). */
#define SYNC_BATCH_BYTES	(192 * 1024)
#define SYNC_PULL	500

/* The session token of an account on this desk, or NULL; caller frees. */
static char *
token_of(struct store *s, const char *login)
{
	char	key[LOGIN_LEN + 8];

	snprintf(key, sizeof key, "token:%s", login);
	return (replica_state(s, key));
}

/* Forget an account's session token (it ended on the backend). */
static void
forget_token(struct store *s, const char *login)
{
	sqlite3_stmt	*st;
	char		 key[LOGIN_LEN + 8];

	snprintf(key, sizeof key, "token:%s", login);
	if (store_begin(s, NULL) != GERR_OK)
		return;
	st = store_stmt(s, "DELETE FROM sync_state WHERE key = ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	store_step_done(st);
	store_commit(s, NULL);
}

/* Any token, for reads: the last account that logged in, or another
 * whose session still holds. */
static char *
any_token(struct store *s)
{
	sqlite3_stmt	*st;
	char		*who = replica_state(s, "last_login"), *t = NULL;

	if (who != NULL)
		t = token_of(s, who);
	free(who);
	if (t != NULL)
		return (t);
	st = store_stmt(s, "SELECT value FROM sync_state WHERE key LIKE "
	    "'token:%' AND value <> '' ORDER BY key LIMIT 1");
	if (sqlite3_step(st) == SQLITE_ROW)
		t = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return (t);
}

static void
set_state(struct store *s, const char *key, const char *value)
{
	char	*now = replica_state(s, key);
	int	 same = now != NULL && strcmp(now, value) == 0;

	/* Unchanged, not written: a write tells the interface to reload. */
	free(now);
	if (same || store_begin(s, NULL) != GERR_OK)
		return;
	replica_set_state(s, key, value);
	store_commit(s, NULL);
}

static int
count(struct store *s, const char *sql)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 n = 0;

	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return (n);
}

char *
sync_backend_of(struct store *s)
{
	char	*v = replica_state(s, "backend");

	if (v != NULL && *v == '\0') {
		free(v);
		v = NULL;
	}
	return (v);
}

void
sync_state(struct store *s, struct sync_report *r)
{
	char	*v;

	memset(r, 0, sizeof *r);
	r->pending = count(s, "SELECT count(*) FROM outbox");
	r->conflicts = count(s, "SELECT count(*) FROM conflict WHERE "
	    "acknowledged_at = 0");
	if ((v = replica_state(s, "last_sync")) != NULL) {
		strlcpy_g(r->last_sync, v, sizeof r->last_sync);
		free(v);
	}
	if ((v = replica_state(s, "last_error")) != NULL) {
		strlcpy_g(r->last_error, v, sizeof r->last_error);
		free(v);
	}
	if ((v = replica_state(s, "waiting")) != NULL) {
		strlcpy_g(r->waiting, v, sizeof r->waiting);
		free(v);
	}
	r->online = r->last_sync[0] != '\0' && r->last_error[0] == '\0';
}

/* Bring the replica to the backend's state (a new desk, or a refusal of
 * an operation on reference data). */
static enum gerr
snapshot(struct store *s, struct backend *b, const char *token, int move,
    struct sync_report *rep, struct gerror *err)
{
	json_t		*snap = NULL;
	int64_t		 now = clock_now(), ahead;
	enum gerr	 e;

	ahead = setting_get(s, SET_MAX_DAYS_AHEAD);
	if ((e = b->impl->snapshot(b, token, now - 86400, now + (ahead + 2) *
	    86400, &snap, err)) != GERR_OK)
		return (e);
	e = replica_apply(s, json_object_get(snap, "changes"), move ?
	    json_integer_value(json_object_get(snap, "last")) : -1, err);
	/* What the backend let us see (patrons' contacts): its scope. */
	if (e == GERR_OK && json_is_string(json_object_get(snap, "scope")))
		set_state(s, "scope", json_string_value(json_object_get(snap,
		    "scope")));
	if (e == GERR_OK && move) {
		set_state(s, "snapshot", "done");
		rep->pulled += (int)json_array_size(json_object_get(snap,
		    "changes"));
	}
	json_decref(snap);
	return (e);
}

static const char *const booking_kinds[] = {
	"book", "change", "cancel", "checkin", "confirm", "free_late", NULL
};

static int
is_booking_kind(const char *kind)
{
	size_t	i;

	if (kind == NULL)
		return (0);
	for (i = 0; booking_kinds[i] != NULL; i++)
		if (strcmp(booking_kinds[i], kind) == 0)
			return (1);
	return (0);
}

/* An answer that is not a decision: the backend could not write (locked,
 * full) or was not there. The operation stays queued (DESIGN.md, Sync). */
static int
temporary(json_t *res)
{
	const char	*code = json_string_value(json_object_get(
			    json_object_get(res, "error"), "code"));

	return (code != NULL && (strcmp(code, "storage") == 0 ||
	    strcmp(code, "unreachable") == 0));
}

static int
refused(json_t *res)
{
	const char	*status = json_string_value(json_object_get(res,
			    "status"));

	return (status == NULL || strcmp(status, "applied") != 0);
}

/* The bookings of a free-late the backend did not free (R6, per booking):
 * its result's "refused" list. */
static json_t *
partly_refused(json_t *res)
{
	json_t	*list = json_object_get(json_object_get(res, "result"),
		    "refused");

	return (json_is_array(list) && json_array_size(list) > 0 ? list :
	    NULL);
}

/* The bookings an operation touched: "ids", or its "id". */
static json_t *
booking_ids(json_t *payload)
{
	json_t	*ids = json_object_get(payload, "ids");

	if (json_is_array(ids))
		return (json_incref(ids));
	ids = json_array();
	if (json_is_string(json_object_get(payload, "id")))
		json_array_append(ids, json_object_get(payload, "id"));
	return (ids);
}

/*
 * Before a refused booking operation is recorded, read from the backend
 * the state of each booking it touched (null: the backend has none), so
 * that recording and undoing happen in one transaction. Returns an object
 * id -> record or null, or NULL when the backend could not be read (the
 * batch is then recorded at the next run, from the same answers).
 */
static json_t *
fetch_refused(struct backend *b, const char *token, json_t *ops,
    json_t *results)
{
	json_t		*states = json_object(), *res, *ids, *one, *rec;
	const char	*kind;
	size_t		 i, k;

	json_array_foreach(results, i, res) {
		if (i >= json_array_size(ops) || temporary(res) ||
		    (!refused(res) && partly_refused(res) == NULL))
			continue;
		kind = json_string_value(json_object_get(json_array_get(ops, i),
		    "kind"));
		if (kind == NULL || !is_booking_kind(kind))
			continue;
		ids = booking_ids(json_object_get(json_array_get(ops, i),
		    "payload"));
		json_array_foreach(ids, k, one) {
			rec = NULL;
			if (!json_is_string(one) || json_object_get(states,
			    json_string_value(one)) != NULL)
				continue;
			if (b->impl->booking(b, token, json_string_value(one),
			    &rec, NULL) != GERR_OK) {
				json_decref(ids);
				json_decref(states);
				return (NULL);
			}
			json_object_set_new(states, json_string_value(one),
			    rec != NULL ? rec : json_null());
		}
		json_decref(ids);
	}
	return (states);
}

/* The replica's record of a booking, or JSON null. */
static json_t *
local_booking(struct store *s, const char *id)
{
	struct booking	b;
	struct resource	r;

	if (id == NULL || booking_find(s, id, &b) != GERR_OK ||
	    resource_find(s, b.resource, &r) != GERR_OK)
		return (json_null());
	return (record_booking(&b, r.tz));
}

/* Undo a refused operation in the replica, inside the caller's
 * transaction; 1 when only a fresh snapshot can undo it. only (may be
 * NULL) limits a booking kind to these ids. */
static int
undo(struct store *s, json_t *op, json_t *states, json_t *only)
{
	const char	*kind = json_string_value(json_object_get(op, "kind"));
	json_t		*payload = json_object_get(op, "payload"), *ids, *one;
	json_t		*rec, *list, *o;
	struct resource	 r;
	sqlite3_stmt	*st;
	int64_t		 start;
	size_t		 i, k;
	int		 keep;

	if (kind != NULL && is_booking_kind(kind)) {
		ids = booking_ids(payload);
		json_array_foreach(ids, i, one) {
			keep = only != NULL;
			json_array_foreach(only, k, o)
				if (json_equal(json_object_get(o, "id"), one))
					keep = 0;
			if (keep)
				continue;
			rec = json_object_get(states, json_string_value(one));
			if (json_is_object(rec)) {
				list = json_pack("[{s:s,s:O}]", "entity",
				    "booking", "data", rec);
				replica_apply_in(s, list);
				json_decref(list);
				continue;
			}
			st = store_stmt(s, "DELETE FROM booking WHERE id = ?");
			store_bind_text(st, 1, json_string_value(one));
			store_step_done(st);
		}
		json_decref(ids);
		return (0);
	}
	if (kind != NULL && strcmp(kind, "message_add") == 0) {
		st = store_stmt(s, "DELETE FROM message WHERE uid = ?");
		store_bind_text(st, 1, json_string_value(json_object_get(payload,
		    "uid")));
		store_step_done(st);
		return (0);
	}
	if (kind != NULL && strcmp(kind, "session_add") == 0 &&
	    resource_find(s, json_string_value(json_object_get(payload,
	    "resource")) != NULL ? json_string_value(json_object_get(payload,
	    "resource")) : "", &r) == GERR_OK &&
	    clock_parse_iso(json_string_value(json_object_get(payload,
	    "start")) != NULL ? json_string_value(json_object_get(payload,
	    "start")) : "", r.tz, &start) == 0) {
		st = store_stmt(s, "DELETE FROM session WHERE resource_id = ? "
		    "AND start = ? AND NOT EXISTS (SELECT 1 FROM booking WHERE "
		    "session_id = session.id)");
		sqlite3_bind_int64(st, 1, r.id);
		sqlite3_bind_int64(st, 2, start);
		store_step_done(st);
		return (0);
	}
	/* Hours, settings, resources: the backend's state, in full. */
	return (1);
}

static int
status_is(json_t *rec, const char *const *names)
{
	const char	*st = json_string_value(json_object_get(rec, "status"));
	size_t		 i;

	for (i = 0; st != NULL && names[i] != NULL; i++)
		if (strcmp(st, names[i]) == 0)
			return (1);
	return (0);
}

/*
 * Does the outcome a refused operation wanted hold on the backend all the
 * same (the sweeper freed what the desk freed, another desk validated
 * what this one did)? Then nothing is left for staff to do.
 */
static int
outcome_holds(const char *kind, json_t *desk, json_t *states)
{
	static const char *const gone[] = { "cancelled", "no_show",
		"expired", NULL };
	static const char *const here[] = { "present", NULL };
	const char	*id;
	json_t		*rec;
	int		 n = 0;

	json_object_foreach(states, id, rec) {
		n++;
		if (strcmp(kind, "cancel") == 0 || strcmp(kind, "free_late") ==
		    0) {
			if (!json_is_null(rec) && !status_is(rec, gone))
				return (0);
		} else if (strcmp(kind, "checkin") == 0) {
			if (!status_is(rec, here))
				return (0);
		} else if (strcmp(kind, "change") == 0) {
			if (!json_is_object(rec) || !json_equal(json_object_get(
			    rec, "start"), json_object_get(desk, "start")) ||
			    !json_equal(json_object_get(rec, "end"),
			    json_object_get(desk, "end")) || !json_equal(
			    json_object_get(rec, "resource"), json_object_get(
			    desk, "resource")))
				return (0);
		} else
			return (0);
	}
	return (n > 0);
}

/* Write one conflict; details: the desk's record(s) of what was tried,
 * and the backend's instead. */
static void
conflict_add(struct store *s, json_t *op, const char *code,
    const char *message, json_t *states, int holds)
{
	sqlite3_stmt	*st;
	json_t		*detail, *desk, *ids, *one;
	char		*payload, *text;
	size_t		 i;
	int64_t		 now = clock_now();

	desk = json_object();
	ids = booking_ids(json_object_get(op, "payload"));
	if (is_booking_kind(json_string_value(json_object_get(op, "kind"))))
		json_array_foreach(ids, i, one)
			json_object_set_new(desk, json_string_value(one) != NULL ?
			    json_string_value(one) : "?", local_booking(s,
			    json_string_value(one)));
	json_decref(ids);
	detail = json_pack("{s:o,s:O}", "desk", desk, "backend", states !=
	    NULL ? states : json_object());
	text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	payload = json_dumps(json_object_get(op, "payload"), JSON_COMPACT |
	    JSON_SORT_KEYS);
	st = store_stmt(s, "INSERT OR IGNORE INTO conflict (op_id, kind, "
	    "account, payload, error, message, at, made_at, detail, "
	    "acknowledged_by, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?)");
	store_bind_text(st, 1, json_string_value(json_object_get(op, "id")));
	store_bind_text(st, 2, json_string_value(json_object_get(op, "kind")));
	store_bind_text(st, 3, json_string_value(json_object_get(op,
	    "account")));
	store_bind_text(st, 4, payload);
	store_bind_text(st, 5, code != NULL ? code : "bad_state");
	store_bind_text(st, 6, message);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, json_integer_value(json_object_get(op,
	    "made")));
	store_bind_text(st, 9, text);
	/* An outcome that holds already is acknowledged by itself. */
	store_bind_text(st, 10, holds ? SYNC_SELF_ACK : "");
	sqlite3_bind_int64(st, 11, holds ? now : 0);
	store_step_done(st);
	free(payload);
	free(text);
}

/*
 * Record the results of a batch in one transaction: each refusal becomes a
 * conflict and is undone in the replica, each answered operation leaves
 * the outbox. A temporary failure is not an answer: that operation and
 * the ones after it stay queued. Returns how many were answered;
 * *refresh asks for a snapshot.
 */
static int
record(struct store *s, json_t *ops, json_t *results, json_t *states,
    struct sync_report *rep, int *refresh)
{
	json_t		*res, *op, *error, *part, *mine, *ids, *one;
	sqlite3_stmt	*st;
	size_t		 i, k;
	const char	*kind;
	int		 done = 0, rejected = 0, holds;

	if (store_begin(s, NULL) != GERR_OK)
		return (0);
	json_array_foreach(results, i, res) {
		if (i >= json_array_size(ops))
			break;
		op = json_array_get(ops, i);
		/* Results come in order; an id that does not match means a
		 * confused backend: stop and retry later. */
		if (!json_equal(json_object_get(res, "id"),
		    json_object_get(op, "id")) || temporary(res))
			break;
		/* Out of the outbox first: the replica takes the backend's
		 * state of a booking no queued operation holds. */
		st = store_stmt(s, "DELETE FROM outbox WHERE op_id = ?");
		store_bind_text(st, 1, json_string_value(json_object_get(op,
		    "id")));
		store_step_done(st);
		done++;
		kind = json_string_value(json_object_get(op, "kind"));
		part = partly_refused(res);
		if (!refused(res) && part == NULL)
			continue;
		/* The backend's state of the bookings this one touched. */
		mine = json_object();
		ids = booking_ids(json_object_get(op, "payload"));
		json_array_foreach(ids, k, one)
			if (json_is_string(one) && json_object_get(states,
			    json_string_value(one)) != NULL)
				json_object_set(mine, json_string_value(one),
				    json_object_get(states,
				    json_string_value(one)));
		json_decref(ids);
		if (part != NULL) {
			/* Applied, but some bookings were not freed. */
			error = json_object_get(json_array_get(part, 0),
			    "error");
		} else
			error = json_object_get(res, "error");
		holds = kind != NULL && outcome_holds(kind, NULL, mine);
		if (kind != NULL && strcmp(kind, "change") == 0) {
			ids = booking_ids(json_object_get(op, "payload"));
			one = local_booking(s, json_string_value(
			    json_array_get(ids, 0)));
			holds = outcome_holds(kind, one, mine);
			json_decref(one);
			json_decref(ids);
		}
		conflict_add(s, op, json_string_value(json_object_get(error,
		    "code")), json_string_value(json_object_get(error,
		    "message")) != NULL ? json_string_value(json_object_get(
		    error, "message")) : "", mine, holds);
		json_decref(mine);
		*refresh |= undo(s, op, states, part);
		rejected++;
	}
	if (store_commit(s, NULL) != GERR_OK)
		return (0);
	rep->pushed += done;
	rep->rejected += rejected;
	return (done);
}
/* Note an operation's bookings as held (json object id -> true); 1 if
 * one of them was held already. */
static int
hold_ids(json_t *held, json_t *payload, int add)
{
	json_t	*ids = booking_ids(payload), *one;
	size_t	 i;
	int	 found = 0;

	json_array_foreach(ids, i, one) {
		if (!json_is_string(one))
			continue;
		if (json_object_get(held, json_string_value(one)) != NULL)
			found = 1;
	}
	if (add || found)
		json_array_foreach(ids, i, one)
			if (json_is_string(one))
				json_object_set_new(held,
				    json_string_value(one), json_true());
	json_decref(ids);
	return (found);
}

/*
 * The next batch: the oldest operations of one account, at most
 * SYNC_BATCH of them and SYNC_BATCH_BYTES in all. The operations of an
 * account that waits for a login (in waiting) are held, with those of
 * other accounts on the same bookings. *big: the first operation alone
 * is larger than a batch may be. A row that cannot be read is an error.
 */
static enum gerr
next_batch(struct store *s, json_t *waiting, char *account, json_t **out,
    int *big, struct gerror *err)
{
	sqlite3_stmt	*st;
	json_t		*ops = json_array(), *payload, *op, *held = json_object();
	const char	*who, *id;
	char		 made[CLOCK_ISO_LEN], *text;
	size_t		 bytes = 0, len;
	int		 rc;
	enum gerr	 e = GERR_OK;

	account[0] = '\0';
	*big = 0;
	st = store_stmt(s, "SELECT op_id, kind, account, payload, created_at "
	    "FROM outbox ORDER BY seq");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		who = (const char *)sqlite3_column_text(st, 2);
		payload = json_loads((const char *)sqlite3_column_text(st, 3),
		    0, NULL);
		if (id == NULL || who == NULL ||
		    sqlite3_column_text(st, 1) == NULL || payload == NULL) {
			json_decref(payload);
			e = gerror_set(err, GERR_STORAGE, _("the outbox of %s is "
			    "damaged at operation %s: nothing more is pushed; "
			    "keep a copy of the file and restore it from a "
			    "backup"), s->path, id != NULL ? id : "?");
			rc = SQLITE_DONE;
			break;
		}
		if (json_object_get(waiting, who) != NULL) {
			hold_ids(held, payload, 1);
			json_decref(payload);
			continue;
		}
		if (hold_ids(held, payload, 0)) {
			json_decref(payload);
			continue;
		}
		if (account[0] == '\0')
			strlcpy_g(account, who, LOGIN_LEN);
		else if (strcmp(account, who) != 0) {
			json_decref(payload);
			break;
		}
		clock_format_iso(sqlite3_column_int64(st, 4), "UTC", made);
		op = json_pack("{s:s,s:s,s:s,s:o,s:s,s:I}", "id", id, "kind",
		    sqlite3_column_text(st, 1), "account", who, "payload",
		    payload, "made_at", made, "made",
		    (json_int_t)sqlite3_column_int64(st, 4));
		text = json_dumps(op, JSON_COMPACT);
		len = text != NULL ? strlen(text) + 1 : 0;
		free(text);
		if (json_array_size(ops) > 0 && bytes + len >
		    SYNC_BATCH_BYTES) {
			json_decref(op);
			break;
		}
		json_array_append_new(ops, op);
		bytes += len;
		if (bytes > SYNC_BATCH_BYTES) {
			*big = 1;
			break;
		}
		if (json_array_size(ops) >= SYNC_BATCH)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		e = store_error(s, err, _("reading the outbox"));
	sqlite3_reset(st);
	json_decref(held);
	if (e != GERR_OK) {
		json_decref(ops);
		ops = NULL;
	}
	*out = ops;
	return (e);
}

/* An operation larger than a batch may be: never sent, a conflict. */
static json_t *
too_big(json_t *op)
{
	char	msg[256];

	snprintf(msg, sizeof msg, _("this operation is larger than the %d "
	    "bytes a batch may carry: it was not sent; do it again in smaller "
	    "parts"), SYNC_BATCH_BYTES);
	return (json_pack("[{s:O,s:s,s:{s:s,s:s}}]", "id", json_object_get(op,
	    "id"), "status", "rejected", "error", "code", "bad_request",
	    "message", msg));
}

static enum gerr
push(struct store *s, struct backend *b, struct sync_report *rep,
    struct gerror *err)
{
	json_t		*ops, *results, *states, *waiting = json_object();
	char		 account[LOGIN_LEN], *token;
	int		 refresh = 0, done, big;
	enum gerr	 e = GERR_OK;

	for (;;) {
		if ((e = next_batch(s, waiting, account, &ops, &big, err)) !=
		    GERR_OK)
			break;
		if (json_array_size(ops) == 0) {
			json_decref(ops);
			break;
		}
		token = token_of(s, account);
		results = NULL;
		if (big)
			results = too_big(json_array_get(ops, 0));
		else if (token == NULL && b->impl != &backend_sqlite) {
			/* Pushed with the rights of whoever made them:
			 * they wait until that account logs in again. */
			json_object_set_new(waiting, account, json_true());
		} else if ((e = b->impl->push(b, token, ops, &results, err)) ==
		    GERR_BAD_LOGIN) {
			/* The session ended: forget it; that account's
			 * operations wait, the others go on. */
			forget_token(s, account);
			json_object_set_new(waiting, account, json_true());
			e = GERR_OK;
		}
		if (e != GERR_OK || results == NULL) {
			free(token);
			json_decref(ops);
			json_decref(results);
			if (e != GERR_OK)
				break;
			continue;
		}
		states = fetch_refused(b, token, ops, results);
		free(token);
		done = 0;
		if (states != NULL)
			done = record(s, ops, results, states, rep, &refresh);
		json_decref(states);
		json_decref(results);
		json_decref(ops);
		if (done == 0) {
			e = gerror_set(err, GERR_UNREACHABLE, _("the backend "
			    "answered no operation: try again later"));
			break;
		}
	}
	/* The first account that must log in again, for status. */
	if (json_object_size(waiting) > 0)
		strlcpy_g(rep->waiting, json_object_iter_key(
		    json_object_iter(waiting)), sizeof rep->waiting);
	json_decref(waiting);
	if (e == GERR_OK && refresh) {
		token = any_token(s);
		e = snapshot(s, b, token, 0, rep, err);
		free(token);
	}
	return (e);
}

/* Whether the scope a page of changes was made for differs from the one
 * of the replica's last snapshot. */
static int
scope_changed(struct store *s, json_t *page)
{
	const char	*scope = json_string_value(json_object_get(page,
			    "scope"));
	char		*known;
	int		 changed;

	if (scope == NULL)
		return (0);	/* a backend that does not filter */
	known = replica_state(s, "scope");
	changed = known == NULL || strcmp(known, scope) != 0;
	free(known);
	return (changed);
}

static enum gerr
pull(struct store *s, struct backend *b, struct sync_report *rep,
    struct gerror *err)
{
	json_t		*page;
	char		*token = any_token(s), *done, *who;
	int64_t		 last;
	size_t		 n;
	enum gerr	 e = GERR_OK;

	if (token == NULL && b->impl != &backend_sqlite)
		return (GERR_OK);	/* nobody logged in yet */
	done = replica_state(s, "snapshot");
	if (done == NULL)
		e = snapshot(s, b, token, 1, rep, err);
	free(done);
	while (e == GERR_OK) {
		page = NULL;
		if ((e = b->impl->pull(b, token, replica_cursor(s), SYNC_PULL,
		    &page, err)) != GERR_OK)
			break;
		n = json_array_size(json_object_get(page, "changes"));
		last = json_integer_value(json_object_get(page, "last"));
		if (n > 0)
			e = replica_apply(s, json_object_get(page, "changes"),
			    last, err);
		/* Another scope (a grant, a revoke, another account): the
		 * snapshot brings the contacts now visible, or takes them
		 * away; the cursor stays, so nothing is applied twice. */
		if (e == GERR_OK && scope_changed(s, page))
			e = snapshot(s, b, token, 0, rep, err);
		json_decref(page);
		rep->pulled += (int)n;
		if (n < SYNC_PULL)
			break;
	}
	free(token);
	if (e == GERR_BAD_LOGIN) {
		/* The session ended: not offline, but waiting for a login. */
		who = replica_state(s, "last_login");
		if (who != NULL) {
			forget_token(s, who);
			strlcpy_g(rep->waiting, who, sizeof rep->waiting);
		}
		free(who);
		e = GERR_OK;
	}
	return (e);
}

enum gerr
sync_run(struct store *s, const char *url, struct sync_report *rep,
    struct gerror *err)
{
	struct backend	*b;
	struct gerror	 local;
	char		 now[CLOCK_ISO_LEN];
	enum gerr	 e;
	int		 pushed, rejected, pulled;
	char		 waiting[LOGIN_LEN];

	if (err == NULL)
		err = &local;
	memset(rep, 0, sizeof *rep);
	/* This database is a replica now: standalone, it refuses writes. */
	set_state(s, "backend", url);
	if ((e = backend_open(url, &b, err)) == GERR_OK) {
		e = push(s, b, rep, err);
		/* Pull even with operations held (an account must log in
		 * again): a booking still queued here keeps the desk's
		 * state (replica.c), the backend's comes after the push. */
		if (e == GERR_OK)
			e = pull(s, b, rep, err);
		backend_close(b);
	}
	pushed = rep->pushed;
	rejected = rep->rejected;
	pulled = rep->pulled;
	strlcpy_g(waiting, rep->waiting, sizeof waiting);
	if (e == GERR_OK) {
		clock_format_iso(clock_now(), "UTC", now);
		set_state(s, "last_sync", now);
		set_state(s, "last_error", "");
		/* For status: which account must log in again. */
		set_state(s, "waiting", waiting);
	} else
		set_state(s, "last_error", err->msg);
	sync_state(s, rep);
	rep->pushed = pushed;
	rep->rejected = rejected;
	rep->pulled = pulled;
	strlcpy_g(rep->waiting, waiting, sizeof rep->waiting);
	rep->online = e == GERR_OK;
	return (e);
}

enum gerr
sync_login(struct store *s, const char *url, const char *login,
    const char *password, struct account **out, struct gerror *err)
{
	struct backend		*b = NULL;
	struct sync_report	 rep;
	sqlite3_stmt		*st;
	char			*token = NULL, *hash, key[LOGIN_LEN + 8];
	enum gerr		 e;

	*out = NULL;
	e = backend_open(url, &b, err);
	if (e == GERR_OK)
		e = b->impl->login(b, login, password, &token, err);
	if (e == GERR_UNREACHABLE) {
		/* Offline: only accounts that logged in here before. */
		backend_close(b);
		if (account_login(s, login, password, out, err) == GERR_OK)
			return (GERR_OK);
		return (gerror_set(err, GERR_BAD_LOGIN, _("the backend cannot "
		    "be reached and '%s' has not logged in on this desk with "
		    "this password before: log in once while online"), login));
	}
	if (e != GERR_OK) {
		backend_close(b);
		return (e);
	}
	if (store_begin(s, err) != GERR_OK) {
		backend_close(b);
		free(token);
		return (GERR_STORAGE);
	}
	if (token != NULL) {
		snprintf(key, sizeof key, "token:%s", login);
		replica_set_state(s, key, token);
	}
	replica_set_state(s, "last_login", login);
	replica_set_state(s, "backend", url);
	store_commit(s, NULL);
	/* A new replica learns its accounts from the first snapshot. */
	if (count(s, "SELECT count(*) FROM establishment") == 0) {
		memset(&rep, 0, sizeof rep);
		e = snapshot(s, b, token, 1, &rep, err);
	}
	free(token);
	backend_close(b);
	if (e != GERR_OK)
		return (e);
	/* Remember the password here (hashed), for offline logins. */
	hash = account_hash_password(password);
	if (store_begin(s, err) != GERR_OK) {
		free(hash);
		return (GERR_STORAGE);
	}
	st = store_stmt(s, "UPDATE account SET password_hash = ? WHERE "
	    "login = ?");
	sqlite3_bind_text(st, 1, hash, -1, free);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	store_step_done(st);
	if ((e = store_commit(s, err)) != GERR_OK)
		return (e);
	if ((e = account_load(s, login, out)) != GERR_OK)
		return (gerror_set(err, e, _("account '%s' is not on this desk "
		    "yet: run 'guichet sync'"), login));
	return (GERR_OK);
}

enum gerr
sync_conflicts(struct store *s, int all, const char *op_id,
    struct conflict **out, size_t *n)
{
	sqlite3_stmt	*st;
	struct conflict	*c;
	int		 rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, "SELECT op_id, kind, account, payload, error, "
	    "message, at, acknowledged_by, made_at, detail FROM conflict "
	    "WHERE (?1 OR "
	    "acknowledged_at = 0) AND (?2 = '' OR op_id = ?2) ORDER BY at, "
	    "op_id");
	sqlite3_bind_int(st, 1, all);
	store_bind_text(st, 2, op_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		c = &(*out)[(*n)++];
		memset(c, 0, sizeof *c);
		strlcpy_g(c->op_id, (const char *)sqlite3_column_text(st, 0),
		    sizeof c->op_id);
		strlcpy_g(c->kind, (const char *)sqlite3_column_text(st, 1),
		    sizeof c->kind);
		strlcpy_g(c->account, (const char *)sqlite3_column_text(st, 2),
		    sizeof c->account);
		c->payload = xstrdup((const char *)sqlite3_column_text(st, 3));
		strlcpy_g(c->error, (const char *)sqlite3_column_text(st, 4),
		    sizeof c->error);
		strlcpy_g(c->message, (const char *)sqlite3_column_text(st, 5),
		    sizeof c->message);
		c->at = sqlite3_column_int64(st, 6);
		strlcpy_g(c->acknowledged_by, (const char *)
		    sqlite3_column_text(st, 7), sizeof c->acknowledged_by);
		c->made_at = sqlite3_column_int64(st, 8);
		c->detail = xstrdup((const char *)sqlite3_column_text(st, 9));
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

void
sync_conflicts_free(struct conflict *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(c[i].payload);
		free(c[i].detail);
	}
	free(c);
}

enum gerr
sync_acknowledge(struct store *s, const char *op_id, const char *who,
    struct gerror *err)
{
	sqlite3_stmt	*st;
	enum gerr	 e;
	int		 n;

	if ((e = store_begin(s, err)) != GERR_OK)
		return (e);
	st = store_stmt(s, "UPDATE conflict SET acknowledged_by = ?, "
	    "acknowledged_at = ? WHERE op_id = ? AND acknowledged_at = 0");
	sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, clock_now());
	sqlite3_bind_text(st, 3, op_id, -1, SQLITE_STATIC);
	store_step_done(st);
	n = sqlite3_changes(s->db);
	if ((e = store_commit(s, err)) != GERR_OK)
		return (e);
	if (n == 0)
		return (gerror_set(err, GERR_NOT_FOUND, _("no open conflict %s: "
		    "list them with 'guichet conflicts'"), op_id));
	return (GERR_OK);
}

struct sync_worker {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	int		 kicked;
	int		 stopping;
	int		 interval;
	char		*path;
	char		*url;
};

static void *
worker_main(void *arg)
{
	struct sync_worker	*w = arg;
	struct sync_report	 rep;
	struct store		*s = NULL;
	struct timespec		 until;
	int			 wait = 0, failures = 0, k;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait;
		while (!w->stopping && !w->kicked && wait > 0 &&
		    pthread_cond_timedwait(&w->wake, &w->lock, &until) !=
		    ETIMEDOUT)
			;
		if (w->kicked)
			failures = 0;
		w->kicked = 0;
		if (w->stopping) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		pthread_mutex_unlock(&w->lock);

		if (s == NULL && store_open(w->path, 0, &s, NULL) != GERR_OK)
			s = NULL;
		if (s != NULL) {
			s->desk = 1;
			if (sync_run(s, w->url, &rep, NULL) == GERR_OK)
				failures = 0;
			else
				failures++;
		}
		/* Back off while offline: interval, doubled each failure,
		 * five minutes at most. */
		wait = w->interval;
		for (k = 0; k < failures && wait < 300; k++)
			wait *= 2;
		if (wait > 300)
			wait = 300;
	}
	store_close(s);
	return (NULL);
}

struct sync_worker *
sync_worker_start(const char *path, const char *url, int interval)
{
	struct sync_worker	*w = xcalloc(1, sizeof *w);

	w->path = xstrdup(path);
	w->url = xstrdup(url);
	w->interval = interval > 0 ? interval : 30;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		free(w->path);
		free(w->url);
		free(w);
		return (NULL);
	}
	return (w);
}

void
sync_worker_kick(struct sync_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->kicked = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void
sync_worker_stop(struct sync_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w->path);
	free(w->url);
	free(w);
}
