/*
 * Backends: the table of schemes, and the central SQLite one. The central
 * database is the authority: operations pushed to it go through op_apply()
 * as the account that made them at the desk, with every right and rule
 * checked again, and their UUIDs make a replay harmless.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "i18n.h"
#include "ops.h"
#include "record.h"
#include "replica.h"
#include "rights.h"
#include "store.h"
#include "xmalloc.h"

static const struct backend_impl *const impls[] = {
	&backend_sqlite,
	&backend_http,
};

static int64_t	bound_at;	/* backend_bound(), monotonic ms */

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void
backend_bound(int ms)
{
	bound_at = ms > 0 ? mono_ms() + ms : 0;
}

long
backend_left(const struct backend *b)
{
	int64_t	left = b->deadline - mono_ms();

	return (left > 0 ? (long)left : 0);
}

/* "http://HOST[:PORT][/PATH]" or "https://...", or "sqlite:PATH";
 * 0 if well formed. */
static int
url_ok(const char *url)
{
	const char	*h, *p;
	char		*end;
	long		 port;

	if (strncmp(url, "sqlite:", 7) == 0)
		return (url[7] != '\0' ? 0 : -1);
	if (strncmp(url, "http://", 7) == 0)
		h = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		h = url + 8;
	else
		return (-1);
	p = h + strcspn(h, ":/?#");
	if (p == h)
		return (-1);
	if (*p == ':') {
		port = strtol(p + 1, &end, 10);
		if (end == p + 1 || port < 1 || port > 65535 ||
		    (*end != '\0' && *end != '/'))
			return (-1);
	}
	return (0);
}

enum gerr
backend_check_url(const char *url, struct gerror *err)
{
	if (url_ok(url) != 0)
		return (gerror_set(err, GERR_BAD_REQUEST, _("backend URL '%s' "
		    "is malformed: write sqlite:/PATH or http(s)://HOST:PORT "
		    "(port 1-65535) in [backend] url"), url));
	return (GERR_OK);
}

enum gerr
backend_open(const char *url, struct backend **out, struct gerror *err)
{
	struct backend	*b;
	size_t		 i, n;
	enum gerr	 e;

	*out = NULL;
	if ((e = backend_check_url(url, err)) != GERR_OK)
		return (e);
	for (i = 0; i < sizeof impls / sizeof impls[0]; i++) {
		n = strlen(impls[i]->scheme);
		if (strncmp(url, impls[i]->scheme, n) != 0)
			continue;
		b = xcalloc(1, sizeof *b);
		b->impl = impls[i];
		b->url = xstrdup(url);
		b->deadline = bound_at != 0 ? bound_at : mono_ms() +
		    BACKEND_BOUND_MS;
		if ((e = b->impl->open(b, err)) != GERR_OK) {
			backend_close(b);
			return (e);
		}
		*out = b;
		return (GERR_OK);
	}
	return (gerror_set(err, GERR_BAD_REQUEST, _("backend '%s' is neither "
	    "sqlite:PATH nor http(s)://HOST:PORT: fix [backend] url"), url));
}

void
backend_close(struct backend *b)
{
	if (b == NULL)
		return;
	if (b->impl->close != NULL)
		b->impl->close(b);
	free(b->url);
	free(b);
}

/* The central SQLite database. */

static enum gerr
sq_open(struct backend *b, struct gerror *err)
{
	struct store	*s;
	struct gerror	 why;

	const char	*path = b->url + strlen("sqlite:");
	struct stat	 sb;
	long		 left;

	/* A missing or locked central file means the backend is not there
	 * for now (a share not mounted, say): unreachable, and retried.
	 * Never "create it": a second central database would split the
	 * data in two. Its commits are durable: a desk drops what was
	 * applied from its outbox. */
	if (stat(path, &sb) != 0)
		return (gerror_set(err, GERR_UNREACHABLE, _("the central "
		    "database %s is not there: is its share mounted? The desk "
		    "keeps working and pushes when it is back"), path));
	if (backend_left(b) == 0)
		return (gerror_set(err, GERR_UNREACHABLE, _("the central "
		    "database %s did not answer within %d s: the work stays "
		    "queued"), path, BACKEND_BOUND_MS / 1000));
	if (store_open(path, STORE_DURABLE, &s, &why) != GERR_OK)
		return (gerror_set(err, GERR_UNREACHABLE, _("the central "
		    "database cannot be used: %s"), why.msg));
	/* Locked: wait no longer than the command's bound. */
	left = backend_left(b);
	sqlite3_busy_timeout(s->db, left < 5000 ? (int)left : 5000);
	b->data = s;
	return (GERR_OK);
}

static enum gerr
sq_login(struct backend *b, const char *login, const char *password,
    char **token, struct gerror *err)
{
	struct account	*a;
	enum gerr	 e;

	*token = NULL;
	if ((e = account_login(b->data, login, password, &a, err)) != GERR_OK)
		return (e);
	account_free(a);
	return (GERR_OK);
}

static enum gerr
sq_push(struct backend *b, const char *token, json_t *ops, json_t **out,
    struct gerror *err)
{
	struct store	*s = b->data;
	struct account	*a = NULL;
	struct gerror	 oe;
	json_t		*op, *r, *result;
	const char	*who;
	size_t		 i;
	enum gerr	 e;

	(void)token;
	/* The whole push in one transaction, each operation in its own
	 * savepoint: one durable commit (one fsync) for all of them. */
	if (store_batch_begin(s, &oe) != GERR_OK)
		return (gerror_set(err, GERR_UNREACHABLE, _("the central "
		    "database cannot be used: %s"), oe.msg));
	*out = json_array();
	json_array_foreach(ops, i, op) {
		who = json_string_value(json_object_get(op, "account"));
		r = json_pack("{s:O}", "id", json_object_get(op, "id"));
		if (who == NULL || account_load(s, who, &a) != GERR_OK) {
			gerror_set(&oe, GERR_FORBIDDEN, _("account %s is not known "
			    "to the backend"), who != NULL ? who : "?");
			e = oe.code;
		} else {
			result = NULL;
			e = op_apply_at(s, a, json_string_value(json_object_get(
			    op, "id")), json_string_value(json_object_get(op,
			    "kind")), json_object_get(op, "payload"),
			    json_integer_value(json_object_get(op, "made")),
			    &result, &oe);
			if (result != NULL)
				json_object_set_new(r, "result", result);
			account_free(a);
			a = NULL;
		}
		if (e == GERR_STORAGE || e == GERR_UNREACHABLE) {
			/* The central file is busy or broken: stop here and
			 * try again later; what was applied stays applied. */
			json_decref(r);
			break;
		}
		json_object_set_new(r, "status", json_string(e == GERR_OK ?
		    "applied" : "rejected"));
		if (e != GERR_OK)
			json_object_set_new(r, "error", json_pack("{s:s,s:s,"
			    "s:s?}", "code", gerr_code(e), "message", oe.msg,
			    "rule", gerr_info(e)->rule));
		json_array_append_new(*out, r);
	}
	if (store_batch_commit(s, &oe) != GERR_OK) {
		/* Nothing of it was saved: all of it is tried again. */
		json_decref(*out);
		*out = NULL;
		return (gerror_set(err, GERR_UNREACHABLE, _("the central "
		    "database cannot be used: %s"), oe.msg));
	}
	return (GERR_OK);
}

static enum gerr
sq_pull(struct backend *b, const char *token, int64_t after, int limit,
    json_t **out, struct gerror *err)
{
	struct store	*s = b->data;
	sqlite3_stmt	*st;
	json_t		*list = json_array(), *data;
	int64_t		 last = after;
	int		 rc;

	(void)token;
	st = store_stmt(s, "SELECT seq, entity, entity_id, op_id, data FROM "
	    "change_log WHERE seq > ? ORDER BY seq LIMIT ?");
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		data = json_loads((const char *)sqlite3_column_text(st, 4), 0,
		    NULL);
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s,s:o*}",
		    "seq", (json_int_t)last, "entity",
		    sqlite3_column_text(st, 1), "entity_id",
		    sqlite3_column_text(st, 2), "op",
		    sqlite3_column_text(st, 3), "data", data));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return (store_error(s, err, "reading the central change log"));
	}
	*out = json_pack("{s:o,s:I}", "changes", list, "last",
	    (json_int_t)last);
	return (GERR_OK);
}

static enum gerr
sq_snapshot(struct backend *b, const char *token, int64_t from, int64_t to,
    json_t **out, struct gerror *err)
{
	(void)token;
	if ((*out = replica_snapshot(b->data, from, to, err)) == NULL)
		return (GERR_STORAGE);
	return (GERR_OK);
}

static enum gerr
sq_booking(struct backend *b, const char *token, const char *id,
    json_t **out, struct gerror *err)
{
	struct booking	bk;
	struct resource	r;
	enum gerr	e;

	(void)token;
	*out = NULL;
	if ((e = booking_find(b->data, id, &bk)) == GERR_NOT_FOUND)
		return (GERR_OK);
	if (e != GERR_OK || resource_find(b->data, bk.resource, &r) != GERR_OK)
		return (store_error(b->data, err, "reading a central booking"));
	*out = record_booking(&bk, r.tz);
	return (GERR_OK);
}

static void
sq_close(struct backend *b)
{
	store_close(b->data);
}

const struct backend_impl backend_sqlite = {
	.scheme = "sqlite:",
	.open = sq_open,
	.login = sq_login,
	.push = sq_push,
	.pull = sq_pull,
	.snapshot = sq_snapshot,
	.booking = sq_booking,
	.close = sq_close,
};
