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
#include "sync_impl.h"
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

/* Note an operation's bookings as held (json object id -> true); 1 if
 * one of them was held already. */
static int
hold_ids(json_t *held, json_t *payload, int add)
{
	json_t	*ids = sync_booking_ids(payload), *one;
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
		states = sync_refused_states(b, token, ops, results);
		free(token);
		done = 0;
		if (states != NULL)
			done = sync_record(s, ops, results, states, rep,
			    &refresh);
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
	int		 pushed, rejected, held, pulled;
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
	held = rep->held;
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
	rep->held = held;
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
