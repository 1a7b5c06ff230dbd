/*
 * Backends: the table of schemes, and the central SQLite one. The central
 * database is the authority: operations pushed to it go through op_apply()
 * as the account that made them at the desk, with every right and rule
 * checked again, and their UUIDs make a replay harmless.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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

enum gerr
backend_open(const char *url, struct backend **out, struct gerror *err)
{
	struct backend	*b;
	size_t		 i, n;
	enum gerr	 e;

	*out = NULL;
	for (i = 0; i < sizeof impls / sizeof impls[0]; i++) {
		n = strlen(impls[i]->scheme);
		if (strncmp(url, impls[i]->scheme, n) != 0)
			continue;
		b = xcalloc(1, sizeof *b);
		b->impl = impls[i];
		b->url = xstrdup(url);
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

	/* A missing or locked central file means the backend is not there
	 * for now (a share not mounted, say): unreachable, and retried. Its
	 * commits are durable: a desk drops what was applied from its
	 * outbox. */
	if (store_open(b->url + strlen("sqlite:"), STORE_DURABLE, &s,
	    &why) != GERR_OK)
		return (gerror_set(err, GERR_UNREACHABLE, _("the central "
		    "database cannot be used: %s"), why.msg));
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
			e = op_apply(s, a, json_string_value(json_object_get(op,
			    "id")), json_string_value(json_object_get(op,
			    "kind")), json_object_get(op, "payload"), &result,
			    &oe);
			if (result != NULL)
				json_object_set_new(r, "result", result);
			account_free(a);
			a = NULL;
		}
		if (e == GERR_STORAGE) {
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
