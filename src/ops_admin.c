/*
 * Operations of administration: a resource's settings (P9), the global
 * settings (R12), sessions, accounts and grants (P7).
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
#include "settings.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

/*
 * R13: a capacity lowered below the places already booked in a future
 * session is refused with the list of those sessions; otherwise the
 * future sessions offer no more places than the new capacity (R7).
 */
static enum gerr
lower_capacity(struct op_ctx *c, const struct resource *r, int capacity)
{
	sqlite3_stmt	*st;
	json_t		*list, *v;
	char		 a[CLOCK_ISO_LEN], b[CLOCK_ISO_LEN], id[64];
	size_t		 n;
	enum gerr	 e;

	if (!rtype_capacity(r->type))
		return (GERR_OK);
	st = store_stmt(c->s, "SELECT s.start, s.end, s.places, (SELECT "
	    "coalesce(sum(b.places), 0) FROM booking b WHERE b.session_id = "
	    "s.id AND " STATUS_LIVE_SQL("b.status") ") AS booked FROM "
	    "session s WHERE s.resource_id = ?1 "
	    "AND s.end > ?2 AND booked > ?3 ORDER BY s.start");
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, c->now);
	sqlite3_bind_int(st, 3, capacity);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		clock_format_iso(sqlite3_column_int64(st, 0), r->tz, a);
		clock_format_iso(sqlite3_column_int64(st, 1), r->tz, b);
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:i,s:i}",
		    "resource", r->code, "start", a, "end", b, "places",
		    sqlite3_column_int(st, 2), "booked",
		    sqlite3_column_int(st, 3)));
	}
	sqlite3_reset(st);
	if ((n = json_array_size(list)) > 0) {
		json_decref(c->result);
		c->result = json_pack("{s:o}", "sessions", list);
		return (gerror_set(c->err, GERR_CAPACITY_BELOW_BOOKED,
		    _("%zu session(s) of %s have more than %d places booked: "
		    "cancel places first, or keep a capacity of at least what "
		    "is booked (R13)"), n, r->code, capacity));
	}
	/* The sessions that offer more: logged whole, replicas upsert. */
	st = store_stmt(c->s, "SELECT start, end FROM session WHERE "
	    "resource_id = ?1 AND end > ?2 AND places > ?3 ORDER BY start");
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, c->now);
	sqlite3_bind_int(st, 3, capacity);
	while (sqlite3_step(st) == SQLITE_ROW) {
		clock_format_iso(sqlite3_column_int64(st, 0), r->tz, a);
		clock_format_iso(sqlite3_column_int64(st, 1), r->tz, b);
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:i,s:I}",
		    "resource", r->code, "start", a, "end", b, "places",
		    capacity, "at", (json_int_t)sqlite3_column_int64(st, 0)));
	}
	sqlite3_reset(st);
	st = store_stmt(c->s, "UPDATE session SET places = ?3 WHERE "
	    "resource_id = ?1 AND end > ?2 AND places > ?3");
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, c->now);
	sqlite3_bind_int(st, 3, capacity);
	e = store_step_done(st) == SQLITE_DONE ? GERR_OK :
	    store_error(c->s, c->err, _("saving the sessions"));
	json_array_foreach(list, n, v) {
		if (e != GERR_OK)
			break;
		snprintf(id, sizeof id, "%s@%lld", r->code, (long long)
		    json_integer_value(json_object_get(v, "at")));
		json_object_del(v, "at");
		e = op_log(c, "session", id, json_deep_copy(v));
	}
	json_decref(list);
	return (e);
}

/* Resource settings (P9): policy, enabled, public, texts. */
enum gerr
op_resource_set(struct op_ctx *c)
{
	static const struct {
		const char	*key;
		const char	*sql;
		long long	 min, max;
	} ints[] = {
		{ "enabled", "UPDATE resource SET enabled = ? WHERE id = ?",
		    0, 1 },
		{ "public", "UPDATE resource SET public = ? WHERE id = ?", 0, 1 },
		{ "capacity", "UPDATE resource SET capacity = ? WHERE id = ?",
		    1, 10000 },
		{ "granularity", "UPDATE resource SET granularity = ? WHERE "
		    "id = ?", 5, 1440 },
		{ "min_duration", "UPDATE resource SET min_duration = ? WHERE "
		    "id = ?", 0, 1440 },
		{ "max_duration", "UPDATE resource SET max_duration = ? WHERE "
		    "id = ?", 0, 10080 },
		{ "day_quota", "UPDATE resource SET day_quota = ? WHERE id = ?",
		    0, 1440 },
		{ "month_quota", "UPDATE resource SET month_quota = ? WHERE "
		    "id = ?", 0, 44640 },
		{ "places_max", "UPDATE resource SET places_max = ? WHERE "
		    "id = ?", 1, 1000 },
	};
	struct resource	 r;
	const char	*key, *text;
	json_t		*v;
	long long	 n;
	size_t		 i;
	sqlite3_stmt	*st;
	enum gerr	 e;
	int		 known;

	if ((e = op_resource(c, "resource", &r)) != GERR_OK)
		return (e);
	if (c->a->actor != ACTOR_SYSTEM && (e = rights_check_resource(c->a,
	    PERM_SETTINGS, &r, c->err)) != GERR_OK)
		return (e);
	if (json_object_get(c->payload, "capacity") != NULL) {
		if ((e = op_int(c, "capacity", 1, 1, 10000, &n)) != GERR_OK ||
		    (e = lower_capacity(c, &r, (int)n)) != GERR_OK)
			return (e);
	}
	json_object_foreach(c->payload, key, v) {
		if (strcmp(key, "resource") == 0)
			continue;
		known = 0;
		for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
			if (strcmp(key, ints[i].key) != 0)
				continue;
			known = 1;
			if (json_is_boolean(v))
				n = json_is_true(v);
			else if ((e = op_int(c, key, 1, ints[i].min,
			    ints[i].max, &n)) != GERR_OK)
				return (e);
			st = store_stmt(c->s, ints[i].sql);
			sqlite3_bind_int64(st, 1, n);
			sqlite3_bind_int64(st, 2, r.id);
			if (store_step_done(st) != SQLITE_DONE)
				return (store_error(c->s, c->err, _("saving the "
				    "resource")));
		}
		if (strcmp(key, "name") == 0 || strcmp(key,
		    "confirm_message") == 0 || strcmp(key, "place") == 0) {
			known = 1;
			if ((e = op_text(c, key, 1, strcmp(key, "name") == 0 ?
			    NAME_LEN - 8 : strcmp(key, "place") == 0 ? 63 :
			    4000, &text)) != GERR_OK)
				return (e);
			st = store_stmt(c->s, strcmp(key, "name") == 0 ?
			    "UPDATE resource SET name = ? WHERE id = ?" :
			    strcmp(key, "place") == 0 ?
			    "UPDATE resource SET place = ? WHERE id = ?" :
			    "UPDATE resource SET confirm_message = ? WHERE "
			    "id = ?");
			sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, r.id);
			if (store_step_done(st) != SQLITE_DONE)
				return (store_error(c->s, c->err, _("saving the "
				    "resource")));
		}
		if (!known)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is "
			    "not a resource setting"), key));
	}
	if (resource_find(c->s, r.code, &r) != GERR_OK)
		return (store_error(c->s, c->err, _("reading the resource")));
	json_decref(c->result);
	c->result = record_resource(&r);
	return (op_log(c, "resource", r.code, record_resource(&r)));
}

/* R12: global settings, by the super-administrator only. */
enum gerr
op_setting(struct op_ctx *c)
{
	const struct setting_info	*info;
	const char			*key, *value, *p;
	char				*copy, *tok, *save, norm[EMAIL_LEN];
	long long			 n;
	char				*end;
	sqlite3_stmt			*st;
	enum setting			 set;
	enum gerr			 e;

	if ((e = op_str(c, "key", 1, &key)) != GERR_OK ||
	    (e = op_str(c, "value", 1, &value)) != GERR_OK)
		return (e);
	if ((e = rights_check_super(c->a, c->err)) != GERR_OK)
		return (e);
	if ((set = setting_find(key)) == SET__COUNT)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "global setting"), key));
	info = setting_info(set);
	if (info->flags & SETTING_LIST) {
		st = store_stmt(c->s, "DELETE FROM allowed_domain");
		if (store_step_done(st) != SQLITE_DONE)
			return (store_error(c->s, c->err, _("saving")));
		copy = xstrdup(value);
		e = GERR_OK;
		for (tok = strtok_r(copy, ", ", &save); tok != NULL && e ==
		    GERR_OK; tok = strtok_r(NULL, ", ", &save)) {
			p = tok;
			snprintf(norm, sizeof norm, "x@%s", p);
			if (rules_email_normalise(norm, norm) != 0) {
				e = gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' "
				    "is not a domain name"), p);
				break;
			}
			st = store_stmt(c->s, "INSERT OR IGNORE INTO "
			    "allowed_domain VALUES (?)");
			sqlite3_bind_text(st, 1, norm + 2, -1, SQLITE_STATIC);
			if (store_step_done(st) != SQLITE_DONE)
				e = store_error(c->s, c->err, _("saving"));
		}
		free(copy);
		if (e != GERR_OK)
			return (e);
	} else {
		n = strtoll(value, &end, 10);
		if (end == value || *end != '\0' || n < info->min ||
		    n > info->max)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("%s takes "
			    "a whole number from %lld to %lld (%s), not '%s'"),
			    key, (long long)info->min, (long long)info->max,
			    info->rule, value));
	}
	st = store_stmt(c->s, "INSERT INTO setting VALUES (?1, ?2) ON "
	    "CONFLICT DO UPDATE SET value = ?2");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, _("saving the setting")));
	json_decref(c->result);
	c->result = json_pack("{s:s,s:s}", "key", key, "value", value);
	return (op_log(c, "setting", key, json_deep_copy(c->result)));
}

/* A session of a capacity resource (P9). */
enum gerr
op_session_add(struct op_ctx *c)
{
	struct resource	 r;
	int64_t		 start, end;
	long long	 places;
	sqlite3_stmt	*st;
	char		 id[64];
	enum gerr	 e;

	if ((e = op_resource(c, "resource", &r)) != GERR_OK ||
	    (e = op_time(c, "start", r.tz, &start)) != GERR_OK ||
	    (e = op_time(c, "end", r.tz, &end)) != GERR_OK)
		return (e);
	if (c->a->actor != ACTOR_SYSTEM && (e = rights_check_resource(c->a,
	    PERM_SETTINGS, &r, c->err)) != GERR_OK)
		return (e);
	if (!rtype_capacity(r.type))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("%s is a %s: only "
		    "workshops, visits and trainings have sessions"), r.code,
		    _(rtype_label(r.type))));
	if (op_int(c, "places", 0, 1, r.capacity, &places) != GERR_OK) {
		if (c->err->code == GERR_BAD_REQUEST)
			return (GERR_BAD_REQUEST);
		places = r.capacity;
	}
	if (end <= start)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a session ends "
		    "after it starts")));
	if ((e = rules_check_hours(c->s, &r, start, end, c->err)) != GERR_OK)
		return (e);
	st = store_stmt(c->s, "INSERT INTO session (resource_id, start, end, "
	    "places) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, r.id);
	sqlite3_bind_int64(st, 2, start);
	sqlite3_bind_int64(st, 3, end);
	sqlite3_bind_int64(st, 4, places);
	if (store_step_done(st) != SQLITE_DONE)
		return (gerror_set(c->err, GERR_BAD_STATE, _("%s has a session "
		    "at that time already"), r.code));
	snprintf(id, sizeof id, "%s@%lld", r.code, (long long)start);
	json_decref(c->result);
	c->result = json_pack("{s:s,s:O,s:O,s:I}", "resource", r.code,
	    "start", json_object_get(c->payload, "start"), "end",
	    json_object_get(c->payload, "end"), "places", (json_int_t)places);
	return (op_log(c, "session", id, json_deep_copy(c->result)));
}

/* Log an account (and its grants, never its password) for replicas. */
static enum gerr
log_account(struct op_ctx *c, const char *login)
{
	struct account	*a;

	if (account_load(c->s, login, &a) != GERR_OK)
		return (store_error(c->s, c->err, "reading the account"));
	json_decref(c->result);
	c->result = record_account(a);
	account_free(a);
	return (op_log(c, "account", login, json_deep_copy(c->result)));
}

static int
valid_login(const char *str)
{
	size_t	n = strlen(str);

	if (n < 2 || n >= LOGIN_LEN)
		return (0);
	for (; *str != '\0'; str++)
		if (!isalnum((unsigned char)*str) && strchr("._-", *str) ==
		    NULL)
			return (0);
	return (1);
}

static enum gerr
get_hash(struct op_ctx *c, const char **hash)
{
	enum gerr	e;

	/* The caller hashes (argon2id): no password in a payload, an
	 * outbox or a log. */
	if ((e = op_str(c, "password_hash", 1, hash)) != GERR_OK)
		return (e);
	if (!account_hash_bounded(*hash))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'password_hash' "
		    "is not an argon2id hash as guichet makes them (64 MiB and "
		    "4 passes at most, one lane): let guichet hash the "
		    "password")));
	return (GERR_OK);
}

/* P7: a new account, with no grant yet. */
enum gerr
op_account_add(struct op_ctx *c)
{
	const char	*login, *name, *hash;
	sqlite3_stmt	*st;
	size_t		 i;
	enum gerr	 e;
	int		 p7 = c->a->actor == ACTOR_SYSTEM || c->a->superadmin;

	if ((e = op_str(c, "login", 1, &login)) != GERR_OK ||
	    (e = op_text(c, "name", 0, NAME_LEN - 8, &name)) != GERR_OK ||
	    (e = get_hash(c, &hash)) != GERR_OK)
		return (e);
	for (i = 0; !p7 && i < c->a->ngrants; i++)
		p7 = (c->a->grants[i].perms & PERM_USERS) != 0;
	if (!p7)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("%s may not manage "
		    "users (P7)"), c->a->login));
	if (!valid_login(login))
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is not a "
		    "login: 2 to 63 letters, digits, dots, dashes"), login));
	st = store_stmt(c->s, "INSERT INTO account (login, name, "
	    "password_hash) VALUES (?, ?, ?)");
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	store_bind_text(st, 2, name);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(c->s->db) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			return (gerror_set(c->err, GERR_BAD_STATE, _("account "
			    "%s exists already"), login));
		return (store_error(c->s, c->err, "saving the account"));
	}
	return (log_account(c, login));
}

/*
 * Charter section 2.2.1: user management (P7) is given to one account per
 * library. On a library, no other account may hold P7 there; on a booking
 * establishment (UJJ), none for the same library scope (or for all).
 */
static enum gerr
one_p7(struct op_ctx *c, const char *login, const struct establishment *est,
    const struct grant *g)
{
	sqlite3_stmt	*st;
	char		 other[LOGIN_LEN] = "";

	if (!(g->perms & PERM_USERS))
		return (GERR_OK);
	st = store_stmt(c->s, "SELECT a.login FROM account_grant g JOIN "
	    "account a ON a.id = g.account_id WHERE g.establishment_id = ?1 "
	    "AND (g.perms & ?2) != 0 AND a.login <> ?3 AND a.enabled = 1 AND "
	    "(?4 = 'library' OR ?5 = 0 OR coalesce(g.scope_library, 0) = 0 "
	    "OR g.scope_library = ?5) ORDER BY a.login LIMIT 1");
	sqlite3_bind_int64(st, 1, est->id);
	sqlite3_bind_int(st, 2, PERM_USERS);
	sqlite3_bind_text(st, 3, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, est->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, g->library_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		strlcpy_g(other, (const char *)sqlite3_column_text(st, 0),
		    sizeof other);
	sqlite3_reset(st);
	if (other[0] != '\0')
		return (gerror_set(c->err, GERR_FORBIDDEN, _("%s already "
		    "manages users on %s: one account per library holds P7 "
		    "(charter 2.2.1); revoke it there first"), other,
		    est->code));
	return (GERR_OK);
}

/* P7: grant permissions on an establishment, within the granter's own. */
enum gerr
op_grant(struct op_ctx *c)
{
	struct grant		 g;
	struct establishment	 est, lib;
	struct resource		 r;
	struct account		*to;
	const char		*login, *perms, *types, *exclude, *library, *res;
	char			 buf[64], *copy, *tok, *save;
	unsigned		 p;
	enum rtype		 t;
	sqlite3_stmt		*st;
	enum gerr		 e;
	int			 i;

	if ((e = op_str(c, "login", 1, &login)) != GERR_OK ||
	    (e = op_establishment(c, &est)) != GERR_OK ||
	    (e = op_text(c, "perms", 1, 40, &perms)) != GERR_OK ||
	    (e = op_text(c, "types", 0, 150, &types)) != GERR_OK ||
	    (e = op_text(c, "exclude", 0, 150, &exclude)) != GERR_OK ||
	    (e = op_str(c, "library", 0, &library)) != GERR_OK ||
	    (e = op_text(c, "resources", 0, 250, &res)) != GERR_OK)
		return (e);
	if (account_load(c->s, login, &to) != GERR_OK)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no account '%s'"),
		    login));
	account_free(to);
	memset(&g, 0, sizeof g);
	g.establishment_id = est.id;
	strlcpy_g(g.establishment, est.code, sizeof g.establishment);
	snprintf(buf, sizeof buf, "%s", perms);
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (perm_parse(tok, &p) != 0)
			return (gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' is "
			    "not a permission: P1 to P9"), tok));
		g.perms |= p;
	}
	if (g.perms == 0)
		return (gerror_set(c->err, GERR_BAD_REQUEST, _("a grant gives at "
		    "least one permission")));
	/* Scopes name real types and resources, so none widens by typo. */
	strlcpy_g(g.types, types != NULL ? types : "", sizeof g.types);
	strlcpy_g(g.exclude, exclude != NULL ? exclude : "",
	    sizeof g.exclude);
	strlcpy_g(g.resources, res != NULL ? res : "", sizeof g.resources);
	for (i = 0; i < 2; i++) {
		copy = xstrdup(i == 0 ? g.types : g.exclude);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (rtype_parse(tok, &t) != 0) {
				e = gerror_set(c->err, GERR_BAD_REQUEST, _("'%s' "
				    "is not a resource type"), tok);
				break;
			}
		}
		free(copy);
		if (e != GERR_OK)
			return (e);
	}
	copy = xstrdup(g.resources);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && e == GERR_OK;
	    tok = strtok_r(NULL, ",", &save))
		if (resource_find(c->s, tok, &r) != GERR_OK)
			e = gerror_set(c->err, GERR_NOT_FOUND, _("no resource "
			    "'%s'"), tok);
	free(copy);
	if (e != GERR_OK)
		return (e);
	if (library != NULL && *library != '\0') {
		if (establishment_find(c->s, library, &lib) != GERR_OK)
			return (gerror_set(c->err, GERR_NOT_FOUND, _("no library "
			    "'%s'"), library));
		g.library_id = lib.id;
		strlcpy_g(g.library, lib.code, sizeof g.library);
	}
	if ((e = rights_check_grant(c->s, c->a, &g, c->err)) != GERR_OK ||
	    (e = one_p7(c, login, &est, &g)) != GERR_OK)
		return (e);
	st = store_stmt(c->s, "INSERT INTO account_grant (account_id, "
	    "establishment_id, perms, scope_types, scope_exclude, "
	    "scope_library, scope_resources) SELECT id, ?, ?, ?, ?, ?, ? FROM "
	    "account WHERE login = ?");
	sqlite3_bind_int64(st, 1, est.id);
	sqlite3_bind_int(st, 2, (int)g.perms);
	sqlite3_bind_text(st, 3, g.types, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, g.exclude, -1, SQLITE_STATIC);
	store_bind_id(st, 5, g.library_id);
	sqlite3_bind_text(st, 6, g.resources, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, login, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, "saving the grant"));
	return (log_account(c, login));
}

/*
 * P7: take back an account's grants on an establishment: only those the
 * revoker could have granted (SPEC section 4); the others stay, and if
 * none could be taken back, nothing changes and the answer is forbidden.
 */
enum gerr
op_revoke(struct op_ctx *c)
{
	struct establishment	 est;
	struct account		*to;
	const char		*login;
	sqlite3_stmt		*st;
	struct gerror		 why;
	size_t			 i, gone = 0, kept = 0;
	enum gerr		 e;

	if ((e = op_str(c, "login", 1, &login)) != GERR_OK ||
	    (e = op_establishment(c, &est)) != GERR_OK)
		return (e);
	if (account_load(c->s, login, &to) != GERR_OK)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no account '%s'"),
		    login));
	gerror_clear(&why);
	for (i = 0; i < to->ngrants && e == GERR_OK; i++) {
		const struct grant	*g = &to->grants[i];

		if (g->establishment_id != est.id)
			continue;
		if (rights_check_grant(c->s, c->a, g, &why) != GERR_OK) {
			kept++;
			continue;
		}
		st = store_stmt(c->s, "DELETE FROM account_grant WHERE "
		    "account_id = ?1 AND establishment_id = ?2 AND perms = ?3 "
		    "AND scope_types = ?4 AND scope_exclude = ?5 AND "
		    "coalesce(scope_library, 0) = ?6 AND scope_resources = ?7");
		sqlite3_bind_int64(st, 1, to->id);
		sqlite3_bind_int64(st, 2, est.id);
		sqlite3_bind_int(st, 3, (int)g->perms);
		sqlite3_bind_text(st, 4, g->types, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, g->exclude, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, g->library_id);
		sqlite3_bind_text(st, 7, g->resources, -1, SQLITE_STATIC);
		if (store_step_done(st) != SQLITE_DONE)
			e = store_error(c->s, c->err, "removing the grants");
		gone++;
	}
	account_free(to);
	if (e != GERR_OK)
		return (e);
	if (gone == 0 && kept == 0)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("%s has no grant on "
		    "%s"), login, est.code));
	if (gone == 0)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("%s may revoke "
		    "only what it could have granted: %s"), c->a->login,
		    why.msg));
	return (log_account(c, login));
}

/* A password: one's own, or anyone's for the super-administrator. */
enum gerr
op_passwd(struct op_ctx *c)
{
	const char	*login, *hash;
	sqlite3_stmt	*st;
	enum gerr	 e;

	if ((e = op_str(c, "login", 0, &login)) != GERR_OK ||
	    (e = get_hash(c, &hash)) != GERR_OK)
		return (e);
	if (login == NULL)
		login = c->a->login;
	if (strcmp(login, c->a->login) != 0 && c->a->actor != ACTOR_SYSTEM &&
	    !c->a->superadmin)
		return (gerror_set(c->err, GERR_FORBIDDEN, _("%s may change its "
		    "own password only"), c->a->login));
	st = store_stmt(c->s, "UPDATE account SET password_hash = ? WHERE "
	    "login = ?");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(c->s, c->err, "saving the password"));
	if (sqlite3_changes(c->s->db) == 0)
		return (gerror_set(c->err, GERR_NOT_FOUND, _("no account '%s'"),
		    login));
	/* The account's other sessions end with the old password, in the
	 * same transaction (one's own goes on; none when another's). */
	if (session_end_others(c->s, login, strcmp(login, c->a->login) == 0 ?
	    c->a->session : NULL) != GERR_OK)
		return (store_error(c->s, c->err, _("ending the other "
		    "sessions")));
	json_decref(c->result);
	c->result = json_pack("{s:s,s:b}", "login", login, "changed", 1);
	return (GERR_OK);
}
