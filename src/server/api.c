/*
 * The routes of the API (SPEC.md section 7), one table; the desks' handlers
 * are in api_sync.c. Handlers read through query.h and write only through
 * op_apply in the writer thread (writer_submit, which answers once the
 * write is durable), as the staff account of the bearer token or, with
 * no token, as a patron; the core checks the rights and the rules again
 * whoever calls. A refusal becomes the error object with the status of
 * its code (error.h).
 */
#include "config.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "hours.h"
#include "ops.h"
#include "query.h"
#include "record.h"
#include "stats.h"
#include "server.h"
#include "session.h"
#include "tz.h"
#include "xmalloc.h"

struct server_conf	server_conf = { .session_hours = 12,
    .timezone = "Europe/Paris" };

/* The reply of one operation, once the writer has committed it. */
static void
applied(struct request *r)
{
	struct writer_job	*j = &r->jobs[0];
	json_t			*result = j->result;

	j->result = NULL;
	if (j->code != GERR_OK && result != NULL) {
		/* A refusal with details (R13's list of bookings, R13's
		 * sessions): beside the error object, as in a batch. */
		http_reply(r, gerr_info(j->err.code)->http, json_pack("{s:o,"
		    "s:o}", "error", http_error_object(j->err.code,
		    j->err.msg[0] != '\0' ? j->err.msg :
		    gerr_code(j->err.code)), "result", result));
		return;
	}
	if (j->code != GERR_OK) {
		http_gerror(r, &j->err);
		return;
	}
	http_reply(r, r->ok_status, result != NULL ? result : json_object());
}

/*
 * Apply one operation as the caller and reply with its result: through
 * the writer, which answers once it is durable (writer.c).
 */
static void
apply(struct request *r, const char *kind, json_t *payload, int status)
{
	struct writer_job	*j;
	const char		*key;
	char			 caller[128];
	struct gerror		 err;

	/* The throttle is read here; the writer counts the write in its
	 * batch, so this worker never waits for the write lock. */
	if (r->account == NULL) {
		if (session_patron_throttled(r->store, r->address)) {
			r->retry_after = 3600;
			http_error(r, GERR_THROTTLED, "too many requests from "
			    "this address: try again in an hour");
			return;
		}
		r->actor = account_actor(ACTOR_PATRON, "patron");
	}
	/* A client that retries may name the operation: a replay is safe.
	 * The key is the caller's own (an account, or a patron's address)
	 * and is bound to the payload it first came with. */
	key = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Idempotency-Key");
	if (key != NULL) {
		if (key[0] == '\0' || strlen(key) > 255) {
			http_error(r, GERR_BAD_REQUEST, "an Idempotency-Key is "
			    "1 to 255 characters");
			return;
		}
		snprintf(caller, sizeof caller, "%s:%s", r->account == NULL ?
		    "patron" : "account", r->account == NULL ? r->address :
		    r->account->login);
		if (session_idempotent(r->store, caller, key, payload,
		    r->op_id, &err) != GERR_OK) {
			http_gerror(r, &err);
			return;
		}
		key = r->op_id;
	}
	j = xcalloc(1, sizeof *j);
	j->account = r->account != NULL ? r->account : r->actor;
	/* A patron's write is counted by the writer, in its batch. */
	if (r->account == NULL)
		j->patron_address = r->address;
	j->op_id = key;
	j->kind = kind;
	j->payload = payload;
	json_decref(r->held);
	r->held = json_incref(payload);
	r->ok_status = status;
	writer_submit(r, j, 1, applied);
}

/* Parse a whole number argument; -1 and an error reply if bad. */
int
api_int_arg(struct request *r, const char *key, long long def, long long min,
    long long max, long long *out)
{
	const char	*v = http_arg(r, key);
	char		*end;

	*out = def;
	if (v == NULL)
		return (0);
	errno = 0;
	*out = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || *out < min ||
	    *out > max) {
		http_error(r, GERR_BAD_REQUEST, "'%s' must be a whole number "
		    "from %lld to %lld", key, min, max);
		return (-1);
	}
	return (0);
}

/* A login whose password has been checked (auth_check_later). */
static void
sessions_done(struct request *r)
{
	struct account	*a = r->auth_account;
	struct gerror	 err;
	char		 token[SESSION_TOKEN_LEN], when[CLOCK_ISO_LEN];
	int64_t		 expires;

	r->auth_account = NULL;
	if (a == NULL) {
		/* The attempt was counted before the check: it stays. */
		if (r->auth_err.code == GERR_BAD_LOGIN)
			http_error(r, GERR_BAD_LOGIN, "unknown account or "
			    "wrong password");
		else
			http_gerror(r, &r->auth_err);
		return;
	}
	session_attempt_ok(r->store, a->login, r->address);
	if (session_open(r->store, a->login, server_conf.session_hours,
	    token, &expires, &err) != GERR_OK) {
		account_free(a);
		http_gerror(r, &err);
		return;
	}
	clock_format_iso(expires, server_conf.timezone, when);
	http_reply(r, 201, json_pack("{s:s, s:s, s:s}", "token", token,
	    "account", a->login, "expires", when));
	sodium_memzero(token, sizeof token);
	account_free(a);
}

static void
sessions_post(struct request *r)
{
	json_t		*body, *jl, *jp;
	int64_t		 wait;

	if ((body = http_body_object(r)) == NULL)
		return;
	jl = json_object_get(body, "login");
	jp = json_object_get(body, "password");
	if (!json_is_string(jl) || !json_is_string(jp) ||
	    json_string_length(jl) >= LOGIN_LEN ||
	    json_string_length(jp) > 1024) {
		json_decref(body);
		http_error(r, GERR_BAD_REQUEST, "send {\"login\": ..., "
		    "\"password\": ...} as strings (a login of at most %d "
		    "bytes, a password of at most 1024)", LOGIN_LEN - 1);
		return;
	}
	/* Counted before the check, so that logins at once cannot all pass
	 * the limit; a delay that grows with the failures of this account
	 * from this address, never a lock of the account. */
	wait = session_attempt(r->store, json_string_value(jl), r->address);
	if (wait < 0) {
		json_decref(body);
		http_error(r, GERR_UNREACHABLE, "the database is busy: try "
		    "again");
		return;
	}
	if (wait > 0) {
		json_decref(body);
		r->retry_after = wait;
		http_error(r, GERR_THROTTLED, "too many failed logins for this "
		    "account from this address: wait %lld s (Retry-After) and "
		    "try again", (long long)wait);
		return;
	}
	if (auth_check_later(r, json_string_value(jl), json_string_value(jp),
	    sessions_done) != 0) {
		json_decref(body);
		r->retry_after = 1;
		http_error(r, GERR_UNREACHABLE, "too many logins at once: try "
		    "again in a moment");
		return;
	}
	json_decref(body);
}

static void
sessions_delete(struct request *r)
{
	if (session_end(r->store, r->token) != GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "the database is busy: try "
		    "again");
		return;
	}
	http_reply(r, 204, NULL);
}

static void
resources_get(struct request *r)
{
	struct resource	*v;
	size_t		 n, i;
	json_t		*list;

	if (query_resources(r->store, http_arg(r, "library"), &v, &n) !=
	    GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "cannot read the resources: "
		    "try again");
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		/* R8: patrons never see the internal planning. */
		if (r->account == NULL && (!v[i].public ||
		    resource_internal(&v[i])))
			continue;
		json_array_append_new(list, record_resource(&v[i]));
	}
	free(v);
	http_reply(r, 200, list);
}

static void
bookings_get(struct request *r)
{
	struct booking_filter	 f;
	struct booking		*v;
	struct resource		 res;
	const char		*date = http_arg(r, "date");
	const char		*tz = server_conf.timezone;
	size_t			 n, i;
	int32_t			 day;
	json_t			*list;

	memset(&f, 0, sizeof f);
	f.status = -1;
	f.resource = http_arg(r, "resource");
	f.library = http_arg(r, "library");
	if (f.resource != NULL) {
		if (resource_find(r->store, f.resource, &res) != GERR_OK) {
			http_error(r, GERR_NOT_FOUND, "no resource '%s'",
			    f.resource);
			return;
		}
		tz = res.tz;
	}
	if (date != NULL) {
		if (tz_parse_date(date, &day) != 0) {
			http_error(r, GERR_BAD_REQUEST, "date '%s' is not "
			    "YYYY-MM-DD", date);
			return;
		}
		f.from = tz_day_start(tz, day);
		f.to = tz_day_start(tz, day + 1);
	}
	if (query_bookings(r->store, &f, &v, &n) != GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "cannot read the bookings: "
		    "try again");
		return;
	}
	/* Patrons' names and addresses, to those who plan their resource
	 * (P8 with its scope) only. */
	list = json_array();
	for (i = 0; i < n; i++) {
		if (resource_find(r->store, v[i].resource, &res) != GERR_OK ||
		    rights_check_resource(r->account, PERM_PLANNING, &res,
		    NULL) != GERR_OK)
			continue;
		json_array_append_new(list, record_booking(&v[i], res.tz));
	}
	free(v);
	(void)tz;
	http_reply(r, 200, list);
}

static void
bookings_post(struct request *r)
{
	json_t	*body;

	if ((body = http_body_object(r)) == NULL)
		return;
	apply(r, "book", body, 201);
	json_decref(body);
}

/* cancel, checkin, confirm: the id from the path, the rest from the body. */
static void
booking_action(struct request *r, const char *kind)
{
	json_t	*body;

	if ((body = http_body_object(r)) == NULL)
		return;
	json_object_set_new(body, "id", json_string(r->param));
	apply(r, kind, body, 200);
	json_decref(body);
}

static void
bookings_cancel(struct request *r)
{
	booking_action(r, "cancel");
}

static void
bookings_checkin(struct request *r)
{
	booking_action(r, "checkin");
}

static void
bookings_confirm(struct request *r)
{
	booking_action(r, "confirm");
}

static void
free_late(struct request *r)
{
	json_t	*body;

	if ((body = http_body_object(r)) == NULL)
		return;
	apply(r, "free_late", body, 200);
	json_decref(body);
}

/* Weekly hours ({"weekday"...}) or a date's ({"date"...}) of one
 * establishment; the rest of the payload as the operation takes it. */
static void
hours_post(struct request *r)
{
	json_t	*body;

	if ((body = http_body_object(r)) == NULL)
		return;
	json_object_set_new(body, "establishment", json_string(r->param));
	apply(r, json_object_get(body, "date") != NULL ? "hours_date" :
	    "hours_week", body, 200);
	json_decref(body);
}

/* A door counter's (or the desk's) head count: {"count": N} (P5). */
static void
occupancy_post(struct request *r)
{
	json_t	*body;

	if ((body = http_body_object(r)) == NULL)
		return;
	json_object_set_new(body, "establishment", json_string(r->param));
	apply(r, "occupancy", body, 200);
	json_decref(body);
}

/* Settings of one resource (R3 policy, enabled, public...). */
static void
resource_post(struct request *r)
{
	json_t	*body;

	if ((body = http_body_object(r)) == NULL)
		return;
	json_object_set_new(body, "resource", json_string(r->param));
	apply(r, "resource_set", body, 200);
	json_decref(body);
}

/* The links of e-mails sent before the patrons' pages: a GET changes
 * nothing (mail scanners open links), it leads to the booking's page. */
static void
link_legacy(struct request *r)
{
	pages_legacy_link(r);
}

static void
establishments_get(struct request *r)
{
	struct establishment	*v;
	struct hours		 h;
	const char		*date = http_arg(r, "date");
	char			 buf[TZ_DATE_LEN], o[TZ_HHMM_LEN];
	char			 c[TZ_HHMM_LEN];
	size_t			 n, i;
	int32_t			 day = 0;
	json_t			*list, *e, *hj;

	if (date != NULL && tz_parse_date(date, &day) != 0) {
		http_error(r, GERR_BAD_REQUEST, "date '%s' is not YYYY-MM-DD",
		    date);
		return;
	}
	if (query_establishments(r->store, &v, &n) != GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "cannot read the "
		    "establishments: try again");
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		if (date == NULL)
			day = tz_local_day(v[i].tz, clock_now());
		tz_format_date(day, buf);
		e = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "code",
		    v[i].code, "name", v[i].name, "kind", v[i].kind, "tz",
		    v[i].tz, "jauge", v[i].jauge, "occupancy",
		    v[i].occupancy);
		json_object_set_new(e, "occupancy_percent", v[i].jauge > 0 ?
		    json_integer(v[i].occupancy * 100 / v[i].jauge) :
		    json_null());
		hj = json_pack("{s:s}", "date", buf);
		if (hours_for_day(r->store, v[i].id, day, &h) == GERR_OK) {
			json_object_set_new(hj, "open", json_boolean(h.open));
			if (h.open) {
				tz_format_hhmm(h.open_min, o);
				tz_format_hhmm(h.close_min, c);
				json_object_set_new(hj, "from",
				    json_string(o));
				json_object_set_new(hj, "to", json_string(c));
			}
			if (h.reason[0] != '\0')
				json_object_set_new(hj, "reason",
				    json_string(h.reason));
		}
		json_object_set_new(e, "hours", hj);
		json_array_append_new(list, e);
	}
	free(v);
	http_reply(r, 200, list);
}

static void
messages_get(struct request *r)
{
	struct message_info	*v;
	size_t			 n, i;
	json_t			*list;
	char			 from[CLOCK_ISO_LEN], to[CLOCK_ISO_LEN];

	if (query_messages(r->store, http_arg(r, "establishment"),
	    http_arg(r, "kind"), clock_now(), &v, &n) != GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "cannot read the messages: "
		    "try again");
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		clock_format_iso(v[i].starts, v[i].tz, from);
		clock_format_iso(v[i].ends, v[i].tz, to);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s}", "id", (json_int_t)v[i].id, "establishment",
		    v[i].establishment, "kind", v[i].kind, "text", v[i].text,
		    "from", from, "to", to));
	}
	free(v);
	http_reply(r, 200, list);
}

/* Staff's writes on a thing named in the path: the path's code goes into
 * the payload under key, the body gives the rest (issue 8's routes). */
static void
named_op(struct request *r, const char *key, const char *kind, int status)
{
	json_t	*body;

	if ((body = http_body_object(r)) == NULL)
		return;
	json_object_set_new(body, key, json_string(r->param));
	apply(r, kind, body, status);
	json_decref(body);
}

/* The sessions of a capacity resource from a date (today) for some days
 * (31), with their places taken; R8: not those of internal planning to
 * patrons. */
static void
sessions_get(struct request *r)
{
	struct resource		 res;
	struct session_info	*v;
	const char		*date = http_arg(r, "date");
	char			 a[CLOCK_ISO_LEN], b[CLOCK_ISO_LEN];
	long long		 days;
	size_t			 n, i;
	int32_t			 day;
	json_t			*list;

	if (resource_find(r->store, r->param, &res) != GERR_OK ||
	    (r->account == NULL && resource_internal(&res))) {
		http_error(r, GERR_NOT_FOUND, "no resource '%s'", r->param);
		return;
	}
	if (api_int_arg(r, "days", 31, 1, 366, &days) != 0)
		return;
	day = tz_local_day(res.tz, clock_now());
	if (date != NULL && tz_parse_date(date, &day) != 0) {
		http_error(r, GERR_BAD_REQUEST, "date '%s' is not YYYY-MM-DD",
		    date);
		return;
	}
	if (query_sessions(r->store, res.id, tz_day_start(res.tz, day),
	    tz_day_start(res.tz, day + (int32_t)days), &v, &n) != GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "cannot read the sessions: "
		    "try again");
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		clock_format_iso(v[i].start, res.tz, a);
		clock_format_iso(v[i].end, res.tz, b);
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:i,s:i}",
		    "resource", res.code, "start", a, "end", b, "places",
		    v[i].places, "taken", v[i].taken));
	}
	free(v);
	http_reply(r, 200, list);
}

/* A new resource and its policy (P9). */
static void
resources_add(struct request *r)
{
	json_t	*body;

	if ((body = http_body_object(r)) == NULL)
		return;
	apply(r, "resource_add", body, 201);
	json_decref(body);
}

static void
sessions_add(struct request *r)
{
	named_op(r, "resource", "session_add", 201);
}

static void
sessions_change(struct request *r)
{
	named_op(r, "resource", "session_change", 200);
}

static void
sessions_cancel(struct request *r)
{
	named_op(r, "resource", "session_cancel", 200);
}

/* A library's public information and establishment code (P5). */
static void
establishment_post(struct request *r)
{
	named_op(r, "establishment", "establishment_set", 200);
}

/* A closure (R13), of a library or of CAMPUS (every library). */
static void
establishment_close(struct request *r)
{
	named_op(r, "establishment", "close", 200);
}

static void
account_state(struct request *r, int enabled)
{
	json_t	*body = json_pack("{s:s,s:b}", "login", r->param, "enabled",
		    enabled);

	apply(r, "account_set", body, 200);
	json_decref(body);
}

static void
account_disable(struct request *r)
{
	account_state(r, 0);
}

static void
account_enable(struct request *r)
{
	account_state(r, 1);
}

/* Accounts and their grants, for those who manage users (P7). */
static void
accounts_get(struct request *r)
{
	struct account	*who;
	json_t		*logins = json_array(), *list;
	size_t		 i;
	int		 p7 = r->account->superadmin;

	for (i = 0; !p7 && i < r->account->ngrants; i++)
		p7 = (r->account->grants[i].perms & PERM_USERS) != 0;
	if (!p7) {
		json_decref(logins);
		http_error(r, GERR_FORBIDDEN, "%s may not manage users (P7)",
		    r->account->login);
		return;
	}
	if (account_logins(r->store, &logins) != GERR_OK) {
		json_decref(logins);
		http_error(r, GERR_UNREACHABLE, "cannot read the accounts: "
		    "try again");
		return;
	}
	list = json_array();
	for (i = 0; i < json_array_size(logins); i++) {
		if (account_load(r->store, json_string_value(
		    json_array_get(logins, i)), &who) != GERR_OK)
			continue;
		json_array_append_new(list, record_account(who));
		account_free(who);
	}
	json_decref(logins);
	http_reply(r, 200, list);
}

/* Statistics of a library (P6), as the CLI has them. */
static void
stats_get(struct request *r)
{
	struct establishment	 e;
	struct stats		 st;
	struct gerror		 err;
	const char		*lib = http_arg(r, "library");
	const char		*from = http_arg(r, "from"), *to = http_arg(r,
				    "to");
	int32_t			 d0, d1;
	int			 y, m, d;

	if (lib == NULL) {
		http_error(r, GERR_BAD_REQUEST, "give library=CODE");
		return;
	}
	if (establishment_find(r->store, lib, &e) != GERR_OK) {
		http_error(r, GERR_NOT_FOUND, "no establishment '%s'", lib);
		return;
	}
	if (rights_check(r->store, r->account, PERM_STATS, e.id, &err) !=
	    GERR_OK) {
		http_gerror(r, &err);
		return;
	}
	d1 = tz_local_day(e.tz, clock_now());
	if ((to != NULL && tz_parse_date(to, &d1) != 0) ||
	    (from != NULL && tz_parse_date(from, &d0) != 0)) {
		http_error(r, GERR_BAD_REQUEST, "from= and to= are dates "
		    "YYYY-MM-DD");
		return;
	}
	if (from == NULL) {
		/* The month so far, as the CLI. */
		tz_civil_from_days(d1, &y, &m, &d);
		d0 = tz_days_from_civil(y, m, 1);
	}
	if (d1 < d0 || d1 - d0 > 366) {
		http_error(r, GERR_BAD_REQUEST, "from= comes before to=, a "
		    "year apart at most");
		return;
	}
	if (stats_collect(r->store, e.code, d0, d1, &st) != GERR_OK) {
		http_error(r, GERR_UNREACHABLE, "cannot read the statistics: "
		    "try again");
		return;
	}
	http_reply(r, 200, stats_record(&st, e.code, d0, d1));
	stats_free(&st);
}

const struct route api_routes[] = {
	{ .method = "POST", .pattern = "/sessions", .auth = ROUTE_PUBLIC,
	  .handler = sessions_post },
	{ .method = "DELETE", .pattern = "/sessions/current",
	  .auth = ROUTE_STAFF, .handler = sessions_delete },
	{ .method = "GET", .pattern = "/resources", .auth = ROUTE_PUBLIC,
	  .handler = resources_get, .view = 1 },
	{ .method = "POST", .pattern = "/resources/*", .auth = ROUTE_STAFF,
	  .handler = resource_post },
	{ .method = "GET", .pattern = "/bookings", .auth = ROUTE_STAFF,
	  .handler = bookings_get, .view = 1 },
	{ .method = "POST", .pattern = "/bookings", .auth = ROUTE_PUBLIC,
	  .handler = bookings_post },
	{ .method = "POST", .pattern = "/bookings/*/cancel",
	  .auth = ROUTE_PUBLIC, .handler = bookings_cancel },
	{ .method = "POST", .pattern = "/bookings/*/checkin",
	  .auth = ROUTE_PUBLIC, .handler = bookings_checkin },
	{ .method = "POST", .pattern = "/bookings/*/confirm",
	  .auth = ROUTE_PUBLIC, .handler = bookings_confirm },
	{ .method = "POST", .pattern = "/ops", .auth = ROUTE_STAFF,
	  .handler = api_ops_post },
	{ .method = "GET", .pattern = "/bookings/*/confirm",
	  .auth = ROUTE_PUBLIC, .handler = link_legacy },
	{ .method = "GET", .pattern = "/bookings/*/cancel",
	  .auth = ROUTE_PUBLIC, .handler = link_legacy },
	{ .method = "GET", .pattern = "/bookings/*", .auth = ROUTE_STAFF,
	  .handler = api_booking_get, .view = 1 },
	{ .method = "GET", .pattern = "/snapshot", .auth = ROUTE_STAFF,
	  .handler = api_snapshot_get },
	{ .method = "GET", .pattern = "/changes", .auth = ROUTE_STAFF,
	  .handler = api_changes_get, .view = 1 },
	{ .method = "GET", .pattern = "/establishments",
	  .auth = ROUTE_PUBLIC, .handler = establishments_get, .view = 1 },
	{ .method = "POST", .pattern = "/establishments/*/hours",
	  .auth = ROUTE_STAFF, .handler = hours_post },
	{ .method = "POST", .pattern = "/establishments/*/occupancy",
	  .auth = ROUTE_STAFF, .handler = occupancy_post },
	{ .method = "GET", .pattern = "/messages", .auth = ROUTE_PUBLIC,
	  .handler = messages_get, .view = 1 },
	{ .method = "POST", .pattern = "/free-late", .auth = ROUTE_STAFF,
	  .handler = free_late },
	/* Issue 8: what staff may do besides the day's bookings. */
	{ .method = "POST", .pattern = "/resources", .auth = ROUTE_STAFF,
	  .handler = resources_add },
	{ .method = "GET", .pattern = "/resources/*/sessions",
	  .auth = ROUTE_PUBLIC, .handler = sessions_get, .view = 1 },
	{ .method = "POST", .pattern = "/resources/*/sessions",
	  .auth = ROUTE_STAFF, .handler = sessions_add },
	{ .method = "POST", .pattern = "/resources/*/sessions/change",
	  .auth = ROUTE_STAFF, .handler = sessions_change },
	{ .method = "POST", .pattern = "/resources/*/sessions/cancel",
	  .auth = ROUTE_STAFF, .handler = sessions_cancel },
	{ .method = "POST", .pattern = "/establishments/*",
	  .auth = ROUTE_STAFF, .handler = establishment_post },
	{ .method = "POST", .pattern = "/establishments/*/close",
	  .auth = ROUTE_STAFF, .handler = establishment_close },
	{ .method = "GET", .pattern = "/accounts", .auth = ROUTE_STAFF,
	  .handler = accounts_get, .view = 1 },
	{ .method = "POST", .pattern = "/accounts/*/disable",
	  .auth = ROUTE_STAFF, .handler = account_disable },
	{ .method = "POST", .pattern = "/accounts/*/enable",
	  .auth = ROUTE_STAFF, .handler = account_enable },
	{ .method = "GET", .pattern = "/stats", .auth = ROUTE_STAFF,
	  .handler = stats_get, .view = 1 },
	{ .method = NULL }
};

