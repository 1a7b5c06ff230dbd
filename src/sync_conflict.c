/*
 * Sync, the refusals (see sync.h): an operation the backend refused is
 * undone in the replica and becomes a conflict for staff, with the
 * desk's and the backend's state of what it touched; one whose outcome
 * holds on the backend all the same is acknowledged by itself. The
 * conflict table is read and acknowledged here too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "clock.h"
#include "i18n.h"
#include "record.h"
#include "replica.h"
#include "store.h"
#include "sync.h"
#include "sync_impl.h"
#include "xmalloc.h"

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
json_t *
sync_booking_ids(json_t *payload)
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
json_t *
sync_refused_states(struct backend *b, const char *token, json_t *ops,
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
		ids = sync_booking_ids(json_object_get(json_array_get(ops, i),
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
		ids = sync_booking_ids(payload);
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
	ids = sync_booking_ids(json_object_get(op, "payload"));
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
int
sync_record(struct store *s, json_t *ops, json_t *results, json_t *states,
    struct sync_report *rep, int *refresh)
{
	json_t		*res, *op, *error, *part, *mine, *ids, *one;
	sqlite3_stmt	*st;
	size_t		 i, k;
	const char	*kind;
	int		 done = 0, rejected = 0, held = 0, holds;

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
		ids = sync_booking_ids(json_object_get(op, "payload"));
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
			ids = sync_booking_ids(json_object_get(op, "payload"));
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
		held += holds != 0;
	}
	if (store_commit(s, NULL) != GERR_OK)
		return (0);
	rep->pushed += done;
	rep->rejected += rejected;
	rep->held += held;
	return (done);
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
		*out = xappend(*out, *n, sizeof **out);
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
