/*
 * The desks' routes (SPEC.md section 6): a batch of operations (POST
 * /ops), each applied once by the writer with the rights of the account
 * that made it, and what a replica reads (the snapshot, the change log,
 * one booking after a refusal), with the patrons' contacts only for the
 * accounts that plan their resources. The route table is api.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "query.h"
#include "record.h"
#include "replica.h"
#include "server.h"
#include "session.h"
#include "xmalloc.h"

/* One's own password: only from a session opened with the current
 * password a few minutes ago (a stolen token is not enough). */
static int
passwd_allowed(struct request *r, const json_t *payload, struct gerror *err)
{
	const char	*login;

	login = json_string_value(json_object_get(payload, "login"));
	if (login != NULL && strcmp(login, r->account->login) != 0)
		return (1);
	if (clock_now() - r->session_created <= SESSION_FRESH)
		return (1);
	gerror_set(err, GERR_FORBIDDEN, "changing one's own password needs "
	    "the current one: log in again (POST /sessions) and change it "
	    "within %d minutes", SESSION_FRESH / 60);
	return (0);
}

/* Whether one operation of a batch has the shape of one. */
static int
ops_valid(json_t *op)
{
	return (json_is_object(op) &&
	    json_is_string(json_object_get(op, "id")) &&
	    json_is_string(json_object_get(op, "kind")) &&
	    json_is_object(json_object_get(op, "payload")));
}

/* R15: when a desk made an operation (its "made_at"), 0 for none; -1 if
 * it is not an instant. */
static int64_t
ops_made_at(json_t *op)
{
	const char	*made = json_string_value(json_object_get(op,
			    "made_at"));
	int64_t		 at;

	if (json_object_get(op, "made_at") == NULL)
		return (0);
	if (made == NULL || clock_parse_iso(made, "UTC", &at) != 0 ||
	    at <= 0)
		return (-1);
	return (at);
}

/* An operation the writer may take. */
static int
ops_takes(json_t *op)
{
	return (ops_valid(op) && ops_made_at(op) >= 0);
}

/* One operation of a batch: applied, or rejected with the error object;
 * NULL when the database failed (locked, full): not an answer, the desk
 * keeps the operation and sends it again (DESIGN.md, Sync). */
static json_t *
ops_one(json_t *op, struct writer_job *j)
{
	json_t		*id, *out;

	id = json_object_get(op, "id");
	out = json_object();
	if (json_is_string(id))
		json_object_set(out, "id", id);
	else
		json_object_set_new(out, "id", json_null());
	if (j == NULL) {
		json_object_set_new(out, "status", json_string("rejected"));
		json_object_set_new(out, "error", http_error_object(
		    GERR_BAD_REQUEST, "an operation is {\"id\": UUID, "
		    "\"kind\": ..., \"payload\": {...}, \"made_at\"?: "
		    "ISO 8601}"));
		return (out);
	}
	if (j->code == GERR_STORAGE || j->code == GERR_UNREACHABLE) {
		json_decref(out);
		return (NULL);
	}
	if (j->code == GERR_OK)
		json_object_set_new(out, "status", json_string("applied"));
	else {
		json_object_set_new(out, "status", json_string("rejected"));
		json_object_set_new(out, "error", http_error_object(j->err.code,
		    j->err.msg[0] != '\0' ? j->err.msg :
		    gerr_code(j->err.code)));
	}
	if (j->result != NULL)
		json_object_set_new(out, "result", j->result);
	j->result = NULL;
	return (out);
}

/* The reply of a batch, once the writer has committed it. */
static void
ops_done(struct request *r)
{
	struct writer_job	*j;
	json_t			*ops, *results, *op, *one;
	size_t			 i, k;

	ops = json_object_get(r->held, "ops");
	results = json_array();
	json_array_foreach(ops, i, op) {
		k = r->order != NULL ? r->order[i] : (size_t)-1;
		j = k != (size_t)-1 ? &r->jobs[k] : NULL;
		if ((one = ops_one(op, j)) == NULL)
			break;	/* the rest waits on the desk */
		json_array_append_new(results, one);
	}
	if (json_array_size(results) == 0 && json_array_size(ops) > 0) {
		json_decref(results);
		http_error(r, GERR_UNREACHABLE, "the database cannot take "
		    "writes for now (locked or full): send again later");
		return;
	}
	http_reply(r, 200, json_pack("{s:o}", "results", results));
}

void
api_ops_post(struct request *r)
{
	json_t			*body, *ops, *op;
	struct writer_job	*jobs;
	size_t			 i, n = 0, m = 0, total, k;

	if ((body = http_body_object(r)) == NULL)
		return;
	ops = json_object_get(body, "ops");
	if (!json_is_array(ops)) {
		json_decref(body);
		http_error(r, GERR_BAD_REQUEST, "send {\"ops\": [...]}");
		return;
	}
	if (json_array_size(ops) > SERVER_OPS_MAX) {
		json_decref(body);
		http_error(r, GERR_BAD_REQUEST, "at most %d operations a "
		    "batch: send the rest in another", SERVER_OPS_MAX);
		return;
	}
	/* All of the batch to the writer at once, answered once all are
	 * committed; one's own password needs a fresh session, and is
	 * refused here without one. */
	total = json_array_size(ops);
	jobs = xcalloc(total + 1, sizeof *jobs);
	r->order = xcalloc(total + 1, sizeof *r->order);
	for (i = 0; i < total; i++)
		r->order[i] = (size_t)-1;
	/* Those refused here go at the end, after the writer's n. */
	json_array_foreach(ops, i, op)
		if (ops_takes(op) && strcmp(json_string_value(json_object_get(
		    op, "kind")), "passwd") == 0 && !passwd_allowed(r,
		    json_object_get(op, "payload"), &jobs[total - 1 - m].err)) {
			jobs[total - 1 - m].code = jobs[total - 1 - m].err.code;
			r->order[i] = total - 1 - m++;
		}
	json_array_foreach(ops, i, op) {
		if (!ops_takes(op) || r->order[i] != (size_t)-1)
			continue;
		k = n++;
		r->order[i] = k;
		jobs[k].made_at = ops_made_at(op);
		jobs[k].account = r->account;
		jobs[k].op_id = json_string_value(json_object_get(op, "id"));
		jobs[k].kind = json_string_value(json_object_get(op, "kind"));
		jobs[k].payload = json_object_get(op, "payload");
	}
	json_decref(r->held);
	r->held = body;
	writer_submit(r, jobs, n, ops_done);
}

/* The change log and the snapshot carry every patron's bookings: for the
 * accounts that plan bookings (desks, referents), not for the others. */
static int
may_replicate(struct request *r)
{
	if (rights_plans(r->account))
		return (1);
	http_error(r, GERR_FORBIDDEN, "%s does not plan bookings (P8): the "
	    "change log and snapshots are for desks", r->account->login);
	return (0);
}

/* One booking by id, as the desks' sync reads it after a refusal. */
void
api_booking_get(struct request *r)
{
	struct booking	 b;
	struct resource	 res;
	json_t		*one;
	enum gerr	 e;

	/* A patron's contact: for the accounts that plan its resource. */
	if (!may_replicate(r))
		return;
	if ((e = booking_find(r->store, r->param, &b)) == GERR_NOT_FOUND) {
		http_error(r, e, "no booking '%s'", r->param);
		return;
	}
	if (e != GERR_OK || resource_find(r->store, b.resource, &res) !=
	    GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "cannot read the booking: try "
		    "again");
		return;
	}
	one = json_pack("[{s:s, s:o}]", "entity", "booking", "data",
	    record_booking(&b, res.tz));
	replica_redact(r->store, r->account, one);
	http_reply(r, 200, json_incref(json_object_get(json_array_get(one, 0),
	    "data")));
	json_decref(one);
}

/* The state a new desk replica starts from (replica.h). */
void
api_snapshot_get(struct request *r)
{
	const char	*from = http_arg(r, "from"), *to = http_arg(r, "to");
	char		 scope[65];
	int64_t		 f, t;
	struct gerror	 err;
	json_t		*snap;

	if (!may_replicate(r))
		return;
	if (from == NULL || to == NULL || clock_parse_iso(from, "UTC", &f) !=
	    0 || clock_parse_iso(to, "UTC", &t) != 0) {
		http_error(r, GERR_BAD_REQUEST, "give the window of bookings "
		    "as from= and to=, ISO 8601 instants");
		return;
	}
	if ((snap = replica_snapshot(r->store, f, t, &err)) == NULL) {
		http_error(r, GERR_UNREACHABLE, "cannot make a snapshot: try "
		    "again");
		return;
	}
	/* Patrons' contacts for the resources the caller plans only. */
	replica_redact(r->store, r->account, json_object_get(snap, "changes"));
	replica_scope(r->account, scope);
	json_object_set_new(snap, "scope", json_string(scope));
	http_reply(r, 200, snap);
}

void
api_changes_get(struct request *r)
{
	struct change	*v;
	long long	 after, limit;
	size_t		 n, i;
	json_t		*list, *data, *c;
	char		 at[CLOCK_ISO_LEN], scope[65];

	if (!may_replicate(r) ||
	    api_int_arg(r, "after", 0, 0, 1LL << 53, &after) != 0 ||
	    api_int_arg(r, "limit", 100, 1, 1000, &limit) != 0)
		return;
	if (query_changes(r->store, after, (int)limit, &v, &n) != GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "cannot read the changes: "
		    "try again");
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		data = json_loads(v[i].data, JSON_DECODE_ANY, NULL);
		clock_format_iso(v[i].at, "UTC", at);
		c = json_pack("{s:I, s:s, s:s, s:s, s:s}", "seq",
		    (json_int_t)v[i].seq, "entity", v[i].entity, "entity_id",
		    v[i].entity_id, "op", v[i].op_id, "at", at);
		json_object_set_new(c, "data", data != NULL ? data :
		    json_null());
		json_array_append_new(list, c);
		after = v[i].seq;
	}
	query_changes_free(v, n);
	/* Patrons' contacts for the resources the caller plans only; the
	 * scope's digest tells the desk when that changes. */
	replica_redact(r->store, r->account, list);
	replica_scope(r->account, scope);
	http_reply(r, 200, json_pack("{s:o, s:I, s:s}", "changes", list,
	    "last", (json_int_t)after, "scope", scope));
}

