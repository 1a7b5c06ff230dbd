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
#include "replica.h"
#include "settings.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

#define SYNC_BATCH	100
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

/* Any token, for reads: the last account that logged in. */
static char *
any_token(struct store *s)
{
	char	*who = replica_state(s, "last_login"), *t = NULL;

	if (who != NULL)
		t = token_of(s, who);
	free(who);
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

	for (i = 0; booking_kinds[i] != NULL; i++)
		if (strcmp(booking_kinds[i], kind) == 0)
			return (1);
	return (0);
}

static int
refused(json_t *res)
{
	const char	*status = json_string_value(json_object_get(res,
			    "status"));

	return (status == NULL || strcmp(status, "applied") != 0);
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
		if (i >= json_array_size(ops) || !refused(res))
			continue;
		kind = json_string_value(json_object_get(json_array_get(ops, i),
		    "kind"));
		if (kind == NULL || !is_booking_kind(kind))
			continue;
		ids = booking_ids(json_object_get(json_array_get(ops, i),
		    "payload"));
		json_array_foreach(ids, k, one) {
			rec = NULL;
			if (!json_is_string(one) || b->impl->booking(b, token,
			    json_string_value(one), &rec, NULL) != GERR_OK) {
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

/* Undo a refused operation in the replica, inside the caller's
 * transaction; 1 when only a fresh snapshot can undo it. */
static int
undo(struct store *s, json_t *op, json_t *states)
{
	const char	*kind = json_string_value(json_object_get(op, "kind"));
	json_t		*payload = json_object_get(op, "payload"), *ids, *one;
	json_t		*rec, *list;
	struct resource	 r;
	sqlite3_stmt	*st;
	int64_t		 start;
	size_t		 i;

	if (kind != NULL && is_booking_kind(kind)) {
		ids = booking_ids(payload);
		json_array_foreach(ids, i, one) {
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

/*
 * Record the results of a batch in one transaction: each refusal becomes a
 * conflict and is undone in the replica, each answered operation leaves
 * the outbox. Returns how many were answered; *refresh asks for a
 * snapshot.
 */
static int
record(struct store *s, json_t *ops, json_t *results, json_t *states,
    struct sync_report *rep, int *refresh)
{
	json_t		*res, *op, *error;
	sqlite3_stmt	*st;
	size_t		 i;
	char		*payload;
	int		 done = 0, rejected = 0;

	if (store_begin(s, NULL) != GERR_OK)
		return (0);
	json_array_foreach(results, i, res) {
		if (i >= json_array_size(ops))
			break;
		op = json_array_get(ops, i);
		/* Results come in order; an id that does not match means a
		 * confused backend: stop and retry later. */
		if (!json_equal(json_object_get(res, "id"),
		    json_object_get(op, "id")))
			break;
		if (refused(res)) {
			error = json_object_get(res, "error");
			payload = json_dumps(json_object_get(op, "payload"),
			    JSON_COMPACT | JSON_SORT_KEYS);
			st = store_stmt(s, "INSERT OR IGNORE INTO conflict "
			    "(op_id, kind, account, payload, error, message, "
			    "at) VALUES (?, ?, ?, ?, ?, ?, ?)");
			store_bind_text(st, 1, json_string_value(
			    json_object_get(op, "id")));
			store_bind_text(st, 2, json_string_value(
			    json_object_get(op, "kind")));
			store_bind_text(st, 3, json_string_value(
			    json_object_get(op, "account")));
			store_bind_text(st, 4, payload);
			store_bind_text(st, 5, json_string_value(
			    json_object_get(error, "code")));
			store_bind_text(st, 6, json_string_value(
			    json_object_get(error, "message")));
			sqlite3_bind_int64(st, 7, clock_now());
			store_step_done(st);
			free(payload);
			*refresh |= undo(s, op, states);
			rejected++;
		}
		st = store_stmt(s, "DELETE FROM outbox WHERE op_id = ?");
		store_bind_text(st, 1, json_string_value(json_object_get(op,
		    "id")));
		store_step_done(st);
		done++;
	}
	if (store_commit(s, NULL) != GERR_OK)
		return (0);
	rep->pushed += done;
	rep->rejected += rejected;
	return (done);
}

/* The next batch: the oldest operations, all of the oldest's account. */
static json_t *
next_batch(struct store *s, char *account)
{
	sqlite3_stmt	*st;
	json_t		*ops = json_array(), *payload;
	const char	*who;

	account[0] = '\0';
	st = store_stmt(s, "SELECT op_id, kind, account, payload FROM outbox "
	    "ORDER BY seq LIMIT " "100");
	while (sqlite3_step(st) == SQLITE_ROW) {
		who = (const char *)sqlite3_column_text(st, 2);
		if (account[0] == '\0')
			strlcpy_g(account, who, LOGIN_LEN);
		else if (strcmp(account, who) != 0)
			break;
		payload = json_loads((const char *)sqlite3_column_text(st, 3),
		    0, NULL);
		json_array_append_new(ops, json_pack("{s:s,s:s,s:s,s:o*}", "id",
		    sqlite3_column_text(st, 0), "kind",
		    sqlite3_column_text(st, 1), "account", who, "payload",
		    payload));
	}
	sqlite3_reset(st);
	return (ops);
}

static enum gerr
push(struct store *s, struct backend *b, struct sync_report *rep,
    struct gerror *err)
{
	json_t		*ops, *results, *states;
	char		 account[LOGIN_LEN], *token;
	int		 refresh = 0, done;
	enum gerr	 e = GERR_OK;

	for (;;) {
		ops = next_batch(s, account);
		if (json_array_size(ops) == 0) {
			json_decref(ops);
			break;
		}
		token = token_of(s, account);
		if (token == NULL && b->impl != &backend_sqlite) {
			/* Pushed with the rights of whoever made them:
			 * they wait until that account logs in again. */
			strlcpy_g(rep->waiting, account, sizeof rep->waiting);
			json_decref(ops);
			break;
		}
		results = NULL;
		e = b->impl->push(b, token, ops, &results, err);
		if (e == GERR_BAD_LOGIN) {
			/* The session ended: forget it and wait. */
			forget_token(s, account);
			strlcpy_g(rep->waiting, account, sizeof rep->waiting);
			e = GERR_OK;
		}
		free(token);
		if (e != GERR_OK || results == NULL) {
			json_decref(ops);
			json_decref(results);
			break;
		}
		token = token_of(s, account);
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
	if ((e = backend_open(url, &b, err)) == GERR_OK) {
		e = push(s, b, rep, err);
		/* Pull only with an empty outbox: a change still queued
		 * here must not be overwritten by the backend's older
		 * state of the same booking. */
		if (e == GERR_OK && count(s, "SELECT count(*) FROM outbox") ==
		    0)
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
	    "message, at, acknowledged_by FROM conflict WHERE (?1 OR "
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
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

void
sync_conflicts_free(struct conflict *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(c[i].payload);
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
