/*
 * Replication: see replica.h. Each entity has a writer that upserts its
 * whole state by its stable key (a code, a login, a UUID, a resource and
 * start), never by the local integer ids, which differ between databases.
 */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "domain.h"
#include "query.h"
#include "record.h"
#include "replica.h"
#include "rights.h"
#include "tz.h"
#include "xmalloc.h"

struct applier {
	const char	*entity;
	int		(*apply)(struct store *, json_t *);
};

static const char *
str(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return (v != NULL ? v : "");
}

static json_int_t
num(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (json_is_boolean(v))
		return (json_is_true(v));
	return (json_integer_value(v));
}

static int64_t
est_id(struct store *s, const char *code)
{
	struct establishment	e;

	if (*code == '\0' || establishment_find(s, code, &e) != GERR_OK)
		return (0);
	return (e.id);
}

static int
step(sqlite3_stmt *st)
{
	return (store_step_done(st) == SQLITE_DONE ? 0 : -1);
}

static int
apply_establishment(struct store *s, json_t *d)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "INSERT INTO establishment (code, name, kind, tz, "
	    "jauge, occupancy, checkin_code, info, photo) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (code) DO UPDATE SET "
	    "name = ?2, kind = ?3, tz = ?4, jauge = ?5, occupancy = ?6, "
	    "checkin_code = ?7, info = ?8, photo = ?9");
	store_bind_text(st, 1, str(d, "code"));
	store_bind_text(st, 2, str(d, "name"));
	store_bind_text(st, 3, str(d, "kind"));
	store_bind_text(st, 4, str(d, "tz"));
	sqlite3_bind_int64(st, 5, num(d, "jauge"));
	sqlite3_bind_int64(st, 6, num(d, "occupancy"));
	store_bind_text(st, 7, str(d, "checkin_code"));
	store_bind_text(st, 8, str(d, "info"));
	store_bind_text(st, 9, str(d, "photo"));
	return (step(st));
}

/* An account and its grants; a password hash made here is kept. */
static int
apply_account(struct store *s, json_t *d)
{
	sqlite3_stmt	*st;
	json_t		*g;
	size_t		 i;
	int64_t		 id = 0;

	st = store_stmt(s, "INSERT INTO account (login, name, password_hash, "
	    "enabled, superadmin) VALUES (?1, ?2, '!', ?3, ?4) ON CONFLICT "
	    "(login) DO UPDATE SET name = ?2, enabled = ?3, superadmin = ?4");
	store_bind_text(st, 1, str(d, "login"));
	store_bind_text(st, 2, str(d, "name"));
	sqlite3_bind_int64(st, 3, num(d, "enabled"));
	sqlite3_bind_int64(st, 4, num(d, "superadmin"));
	if (step(st) != 0)
		return (-1);
	st = store_stmt(s, "SELECT id FROM account WHERE login = ?");
	store_bind_text(st, 1, str(d, "login"));
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(s, "DELETE FROM account_grant WHERE account_id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (step(st) != 0)
		return (-1);
	json_array_foreach(json_object_get(d, "grants"), i, g) {
		int64_t	lib = est_id(s, str(g, "library"));

		st = store_stmt(s, "INSERT INTO account_grant (account_id, "
		    "establishment_id, perms, scope_types, scope_exclude, "
		    "scope_library, scope_resources) VALUES (?, ?, ?, ?, ?, ?, "
		    "?)");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, est_id(s, str(g, "establishment")));
		sqlite3_bind_int64(st, 3, num(g, "perms"));
		store_bind_text(st, 4, str(g, "types"));
		store_bind_text(st, 5, str(g, "exclude"));
		store_bind_id(st, 6, lib);
		store_bind_text(st, 7, str(g, "resources"));
		if (step(st) != 0)
			return (-1);
	}
	return (0);
}

static int
apply_setting(struct store *s, json_t *d)
{
	sqlite3_stmt	*st;
	char		*copy, *tok, *save;
	int		 rc = 0;

	if (strcmp(str(d, "key"), "allowed_domains") == 0) {
		st = store_stmt(s, "DELETE FROM allowed_domain");
		if (step(st) != 0)
			return (-1);
		copy = xstrdup(str(d, "value"));
		for (tok = strtok_r(copy, ", ", &save); tok != NULL && rc == 0;
		    tok = strtok_r(NULL, ", ", &save)) {
			st = store_stmt(s, "INSERT OR IGNORE INTO "
			    "allowed_domain VALUES (?)");
			store_bind_text(st, 1, tok);
			rc = step(st);
		}
		free(copy);
		if (rc != 0)
			return (rc);
	}
	st = store_stmt(s, "INSERT INTO setting VALUES (?1, ?2) ON CONFLICT "
	    "DO UPDATE SET value = ?2");
	store_bind_text(st, 1, str(d, "key"));
	store_bind_text(st, 2, str(d, "value"));
	return (step(st));
}

static int
apply_resource(struct store *s, json_t *d)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "INSERT INTO resource (code, name, type, "
	    "establishment_id, library_id, capacity, seats, public, enabled, "
	    "place, granularity, min_duration, max_duration, day_quota, "
	    "month_quota, places_max) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT (code) DO "
	    "UPDATE SET name = ?2, type = ?3, establishment_id = ?4, "
	    "library_id = ?5, capacity = ?6, seats = ?7, public = ?8, "
	    "enabled = ?9, place = ?10, granularity = ?11, min_duration = ?12, "
	    "max_duration = ?13, day_quota = ?14, month_quota = ?15, "
	    "places_max = ?16");
	store_bind_text(st, 1, str(d, "code"));
	store_bind_text(st, 2, str(d, "name"));
	store_bind_text(st, 3, str(d, "type"));
	sqlite3_bind_int64(st, 4, est_id(s, str(d, "establishment")));
	sqlite3_bind_int64(st, 5, est_id(s, str(d, "library")));
	sqlite3_bind_int64(st, 6, num(d, "capacity"));
	sqlite3_bind_int64(st, 7, num(d, "seats"));
	sqlite3_bind_int64(st, 8, num(d, "public"));
	sqlite3_bind_int64(st, 9, num(d, "enabled"));
	store_bind_text(st, 10, str(d, "place"));
	sqlite3_bind_int64(st, 11, num(d, "granularity"));
	sqlite3_bind_int64(st, 12, num(d, "min_duration"));
	sqlite3_bind_int64(st, 13, num(d, "max_duration"));
	sqlite3_bind_int64(st, 14, num(d, "day_quota"));
	sqlite3_bind_int64(st, 15, num(d, "month_quota"));
	sqlite3_bind_int64(st, 16, num(d, "places_max") > 0 ?
	    num(d, "places_max") : 1);
	return (step(st));
}

static int
apply_hours(struct store *s, json_t *d)
{
	struct establishment	 e;
	sqlite3_stmt		*st;
	json_t			*h;
	size_t			 i;
	int			 o, c;
	int32_t			 day;

	if (establishment_find(s, str(d, "establishment"), &e) != GERR_OK)
		return (-1);
	st = store_stmt(s, "DELETE FROM hours_weekly WHERE "
	    "establishment_id = ?");
	sqlite3_bind_int64(st, 1, e.id);
	if (step(st) != 0)
		return (-1);
	st = store_stmt(s, "DELETE FROM hours_date WHERE establishment_id = ?");
	sqlite3_bind_int64(st, 1, e.id);
	if (step(st) != 0)
		return (-1);
	json_array_foreach(json_object_get(d, "weekly"), i, h) {
		if (tz_parse_hhmm(str(h, "open"), &o) != 0 ||
		    tz_parse_hhmm(str(h, "close"), &c) != 0)
			return (-1);
		st = store_stmt(s, "INSERT INTO hours_weekly VALUES (?, ?, ?, "
		    "?)");
		sqlite3_bind_int64(st, 1, e.id);
		sqlite3_bind_int64(st, 2, num(h, "weekday"));
		sqlite3_bind_int(st, 3, o);
		sqlite3_bind_int(st, 4, c);
		if (step(st) != 0)
			return (-1);
	}
	json_array_foreach(json_object_get(d, "dates"), i, h) {
		if (tz_parse_date(str(h, "date"), &day) != 0 ||
		    tz_parse_hhmm(str(h, "open"), &o) != 0 ||
		    tz_parse_hhmm(str(h, "close"), &c) != 0)
			return (-1);
		st = store_stmt(s, "INSERT INTO hours_date VALUES (?, ?, ?, ?, "
		    "?, ?)");
		sqlite3_bind_int64(st, 1, e.id);
		sqlite3_bind_int(st, 2, day);
		sqlite3_bind_int64(st, 3, num(h, "closed"));
		sqlite3_bind_int(st, 4, o);
		sqlite3_bind_int(st, 5, c);
		store_bind_text(st, 6, str(h, "reason"));
		if (step(st) != 0)
			return (-1);
	}
	return (0);
}

static int
apply_session(struct store *s, json_t *d)
{
	struct resource	 r;
	sqlite3_stmt	*st;
	int64_t		 start, end;

	if (resource_find(s, str(d, "resource"), &r) != GERR_OK ||
	    clock_parse_iso(str(d, "start"), r.tz, &start) != 0)
		return (-1);
	if (num(d, "removed")) {
		/* Cancelled or moved: its bookings keep their times. */
		st = store_stmt(s, "UPDATE booking SET session_id = NULL WHERE "
		    "session_id = (SELECT id FROM session WHERE resource_id = "
		    "?1 AND start = ?2)");
		sqlite3_bind_int64(st, 1, r.id);
		sqlite3_bind_int64(st, 2, start);
		if (step(st) != 0)
			return (-1);
		st = store_stmt(s, "DELETE FROM session WHERE resource_id = ? "
		    "AND start = ?");
		sqlite3_bind_int64(st, 1, r.id);
		sqlite3_bind_int64(st, 2, start);
		return (step(st));
	}
	if (clock_parse_iso(str(d, "end"), r.tz, &end) != 0)
		return (-1);
	st = store_stmt(s, "INSERT INTO session (resource_id, start, end, "
	    "places) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (resource_id, start) "
	    "DO UPDATE SET end = ?3, places = ?4");
	sqlite3_bind_int64(st, 1, r.id);
	sqlite3_bind_int64(st, 2, start);
	sqlite3_bind_int64(st, 3, end);
	sqlite3_bind_int64(st, 4, num(d, "places"));
	return (step(st));
}

static int
apply_booking(struct store *s, json_t *d)
{
	struct resource	 r;
	sqlite3_stmt	*st;
	int64_t		 start, end, created, changed, session = 0;
	int		 queued;

	/* A booking changed here and still queued keeps the desk's state:
	 * the backend's, older, comes back after the push. */
	st = store_stmt(s, "SELECT 1 FROM outbox WHERE instr(payload, ?) > 0 "
	    "LIMIT 1");
	store_bind_text(st, 1, str(d, "id"));
	queued = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (queued && *str(d, "id") != '\0')
		return (0);

	if (resource_find(s, str(d, "resource"), &r) != GERR_OK ||
	    clock_parse_iso(str(d, "start"), r.tz, &start) != 0 ||
	    clock_parse_iso(str(d, "end"), r.tz, &end) != 0 ||
	    clock_parse_iso(str(d, "created_at"), r.tz, &created) != 0 ||
	    clock_parse_iso(str(d, "changed_at"), r.tz, &changed) != 0)
		return (-1);
	if (rtype_capacity(r.type)) {
		st = store_stmt(s, "SELECT id FROM session WHERE "
		    "resource_id = ? AND start = ?");
		sqlite3_bind_int64(st, 1, r.id);
		sqlite3_bind_int64(st, 2, start);
		if (sqlite3_step(st) == SQLITE_ROW)
			session = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	st = store_stmt(s, "INSERT INTO booking (id, resource_id, session_id, "
	    "start, end, email, name, phone, places, origin, status, "
	    "cancel_reason, created_by, created_at, changed_by, changed_at, "
	    "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	    "?12, ?13, ?14, ?15, ?16, ?17) ON CONFLICT (id) DO UPDATE SET "
	    "resource_id = ?2, session_id = ?3, start = ?4, end = ?5, "
	    "email = ?6, name = ?7, phone = ?8, places = ?9, origin = ?10, "
	    "status = ?11, cancel_reason = ?12, created_by = ?13, "
	    "created_at = ?14, changed_by = ?15, changed_at = ?16, "
	    "version = ?17");
	store_bind_text(st, 1, str(d, "id"));
	sqlite3_bind_int64(st, 2, r.id);
	store_bind_id(st, 3, session);
	sqlite3_bind_int64(st, 4, start);
	sqlite3_bind_int64(st, 5, end);
	store_bind_text(st, 6, str(d, "email"));
	store_bind_text(st, 7, str(d, "name"));
	store_bind_text(st, 8, str(d, "phone"));
	sqlite3_bind_int64(st, 9, num(d, "places") > 0 ? num(d, "places") : 1);
	store_bind_text(st, 10, str(d, "origin"));
	store_bind_text(st, 11, str(d, "status"));
	store_bind_text(st, 12, str(d, "cancel_reason"));
	store_bind_text(st, 13, str(d, "created_by"));
	sqlite3_bind_int64(st, 14, created);
	store_bind_text(st, 15, str(d, "changed_by"));
	sqlite3_bind_int64(st, 16, changed);
	sqlite3_bind_int64(st, 17, num(d, "version"));
	if (step(st) != 0)
		return (-1);
	st = store_stmt(s, "INSERT INTO patron (email, confirmed) VALUES (?1, "
	    "?2) ON CONFLICT DO UPDATE SET confirmed = max(confirmed, ?2)");
	store_bind_text(st, 1, str(d, "email"));
	sqlite3_bind_int(st, 2, strcmp(str(d, "status"), "confirmed") == 0 ||
	    strcmp(str(d, "status"), "present") == 0);
	return (step(st));
}

static int
apply_message(struct store *s, json_t *d)
{
	struct establishment	 e;
	sqlite3_stmt		*st;
	int64_t			 from, to;

	if (num(d, "removed")) {
		st = store_stmt(s, "DELETE FROM message WHERE uid = ?");
		store_bind_text(st, 1, str(d, "uid"));
		return (step(st));
	}
	if (establishment_find(s, str(d, "establishment"), &e) != GERR_OK ||
	    clock_parse_iso(str(d, "from"), e.tz, &from) != 0 ||
	    clock_parse_iso(str(d, "to"), e.tz, &to) != 0)
		return (-1);
	st = store_stmt(s, "INSERT INTO message (uid, establishment_id, kind, "
	    "text, starts, ends, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7) ON CONFLICT (uid) DO UPDATE SET establishment_id = ?2, "
	    "kind = ?3, text = ?4, starts = ?5, ends = ?6");
	store_bind_text(st, 1, str(d, "uid"));
	sqlite3_bind_int64(st, 2, e.id);
	store_bind_text(st, 3, str(d, "kind"));
	store_bind_text(st, 4, str(d, "text"));
	sqlite3_bind_int64(st, 5, from);
	sqlite3_bind_int64(st, 6, to);
	store_bind_text(st, 7, str(d, "created_by"));
	return (step(st));
}

static const struct applier appliers[] = {
	{ "establishment", apply_establishment },
	{ "account", apply_account },
	{ "setting", apply_setting },
	{ "resource", apply_resource },
	{ "hours", apply_hours },
	{ "session", apply_session },
	{ "booking", apply_booking },
	{ "message", apply_message },
};

const char *
replica_apply_in(struct store *s, json_t *changes)
{
	json_t		*c;
	size_t		 i, k;
	const char	*entity;

	json_array_foreach(changes, i, c) {
		entity = str(c, "entity");
		for (k = 0; k < sizeof appliers / sizeof appliers[0]; k++)
			if (strcmp(appliers[k].entity, entity) == 0)
				break;
		/* An entity this version does not know is skipped: a newer
		 * backend may replicate more than we show. */
		if (k == sizeof appliers / sizeof appliers[0])
			continue;
		if (appliers[k].apply(s, json_object_get(c, "data")) != 0)
			return (appliers[k].entity);
	}
	return (NULL);
}

enum gerr
replica_apply(struct store *s, json_t *changes, int64_t last,
    struct gerror *err)
{
	const char	*failed;
	char		 buf[32];
	enum gerr	 e;

	if (!json_is_array(changes))
		return (gerror_set(err, GERR_BAD_REQUEST, _("the backend sent "
		    "no list of changes")));
	if ((e = store_begin(s, err)) != GERR_OK)
		return (e);
	if ((failed = replica_apply_in(s, changes)) != NULL) {
		if (sqlite3_errcode(s->db) != SQLITE_OK &&
		    sqlite3_errcode(s->db) != SQLITE_DONE &&
		    sqlite3_errcode(s->db) != SQLITE_ROW)
			e = store_error(s, err, "replicating");
		else
			e = gerror_set(err, GERR_BAD_REQUEST, _("the backend "
			    "sent a %s change this desk cannot apply"), failed);
		store_rollback(s);
		return (e);
	}
	snprintf(buf, sizeof buf, "%lld", (long long)last);
	if (last >= 0 && (e = replica_set_state(s, "cursor", buf)) != GERR_OK) {
		store_rollback(s);
		return (store_error(s, err, "saving the sync cursor"));
	}
	return (store_commit(s, err));
}

static void
add(json_t *list, const char *entity, json_t *data)
{
	json_array_append_new(list, json_pack("{s:s,s:o}", "entity", entity,
	    "data", data));
}

json_t *
replica_snapshot(struct store *s, int64_t from, int64_t to,
    struct gerror *err)
{
	struct establishment	*es = NULL;
	struct resource		*rs = NULL;
	struct booking_filter	 f;
	struct booking		*bs = NULL;
	struct message_info	*ms = NULL;
	struct account		*a;
	sqlite3_stmt		*st;
	json_t			*list = json_array(), *m;
	json_t			*settings, *v, *one;
	const char		*key;
	size_t			 n, nes, i, k;
	char			 a0[CLOCK_ISO_LEN], a1[CLOCK_ISO_LEN];
	char			*domains = NULL, *tmp;
	int64_t			 last = 0;

	/* One read transaction: a consistent state and its sequence. */
	if (store_begin_read(s, err) != GERR_OK) {
		json_decref(list);
		return (NULL);
	}
	if (query_establishments(s, &es, &nes) != GERR_OK)
		goto fail;
	for (i = 0; i < nes; i++)
		add(list, "establishment", record_establishment(s,
		    es[i].code));

	st = store_stmt(s, "SELECT login FROM account ORDER BY login");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char	login[LOGIN_LEN];

		strlcpy_g(login, (const char *)sqlite3_column_text(st, 0),
		    sizeof login);
		if (account_load(s, login, &a) != GERR_OK)
			continue;
		add(list, "account", record_account(a));
		account_free(a);
	}
	sqlite3_reset(st);

	/* Each setting as its own change; the domains as one list. */
	if ((settings = record_settings(s)) == NULL)
		goto fail;
	json_object_foreach(settings, key, v) {
		if (json_is_string(v)) {
			add(list, "setting", json_pack("{s:s,s:O}", "key", key,
			    "value", v));
			continue;
		}
		domains = NULL;
		json_array_foreach(v, k, one) {
			tmp = xasprintf("%s%s%s", domains != NULL ? domains :
			    "", domains != NULL ? "," : "",
			    json_string_value(one));
			free(domains);
			domains = tmp;
		}
		add(list, "setting", json_pack("{s:s,s:s}", "key", key,
		    "value", domains != NULL ? domains : ""));
		free(domains);
	}
	json_decref(settings);

	for (i = 0; i < nes; i++)
		add(list, "hours", record_hours(s, &es[i]));
	if (query_resources(s, NULL, &rs, &n) != GERR_OK)
		goto fail;
	for (i = 0; i < n; i++)
		add(list, "resource", record_resource(&rs[i]));

	st = store_stmt(s, "SELECT r.code, l.tz, s.start, s.end, s.places "
	    "FROM session s JOIN resource r ON r.id = s.resource_id JOIN "
	    "establishment l ON l.id = r.library_id WHERE s.end > ?1 AND "
	    "s.start < ?2 ORDER BY s.start");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *tz = (const char *)sqlite3_column_text(st, 1);

		clock_format_iso(sqlite3_column_int64(st, 2), tz, a0);
		clock_format_iso(sqlite3_column_int64(st, 3), tz, a1);
		add(list, "session", json_pack("{s:s,s:s,s:s,s:i}",
		    "resource", sqlite3_column_text(st, 0), "start", a0, "end",
		    a1, "places", sqlite3_column_int(st, 4)));
	}
	sqlite3_reset(st);

	if (query_messages(s, NULL, NULL, 0, &ms, &n) != GERR_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		st = store_stmt(s, "SELECT uid FROM message WHERE id = ?");
		sqlite3_bind_int64(st, 1, ms[i].id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			tmp = xstrdup((const char *)sqlite3_column_text(st,
			    0));
			sqlite3_reset(st);
			if ((m = record_message(s, tmp)) != NULL)
				add(list, "message", m);
			free(tmp);
		} else
			sqlite3_reset(st);
	}

	memset(&f, 0, sizeof f);
	f.status = -1;
	f.from = from;
	f.to = to;
	if (query_bookings(s, &f, &bs, &n) != GERR_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		struct resource	r;

		if (resource_find(s, bs[i].resource, &r) == GERR_OK)
			add(list, "booking", record_booking(&bs[i], r.tz));
	}

	st = store_stmt(s, "SELECT coalesce(max(seq), 0) FROM change_log");
	if (sqlite3_step(st) == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	store_rollback(s);
	free(es);
	free(rs);
	free(bs);
	free(ms);
	return (json_pack("{s:o,s:I}", "changes", list, "last",
	    (json_int_t)last));

fail:
	store_error(s, err, "making a snapshot");
	store_rollback(s);
	free(es);
	free(rs);
	free(bs);
	free(ms);
	json_decref(list);
	return (NULL);
}

int64_t
replica_cursor(struct store *s)
{
	char	*v = replica_state(s, "cursor");
	int64_t	 n = v != NULL ? strtoll(v, NULL, 10) : 0;

	free(v);
	return (n);
}

char *
replica_state(struct store *s, const char *key)
{
	return (store_lookup(s, "SELECT value FROM sync_state WHERE key = ?",
	    key));
}

enum gerr
replica_set_state(struct store *s, const char *key, const char *value)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "INSERT INTO sync_state VALUES (?1, ?2) ON CONFLICT "
	    "DO UPDATE SET value = ?2");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return (store_step_done(st) == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

void
replica_redact(struct store *s, const struct account *a, json_t *changes)
{
	struct resource	 r;
	json_t		*c, *data, *code;
	size_t		 i;
	char		 known[CODE_LEN] = "";
	int		 plans = 0;

	json_array_foreach(changes, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "entity")) !=
		    NULL ? json_string_value(json_object_get(c, "entity")) :
		    "", "booking") != 0)
			continue;
		data = json_object_get(c, "data");
		code = json_object_get(data, "resource");
		if (!json_is_string(code))
			continue;
		/* Bookings come in runs of one resource: one check a run. */
		if (strcmp(known, json_string_value(code)) != 0) {
			strlcpy_g(known, json_string_value(code), sizeof known);
			plans = resource_find(s, known, &r) == GERR_OK &&
			    rights_check_resource(a, PERM_PLANNING, &r, NULL) ==
			    GERR_OK;
		}
		if (plans)
			continue;
		json_object_set_new(data, "email", json_string(""));
		json_object_set_new(data, "name", json_string(""));
		json_object_set_new(data, "phone", json_string(""));
	}
}

void
replica_scope(const struct account *a, char out[65])
{
	crypto_generichash_state	hs;
	unsigned char			h[32];
	char				line[1024];
	size_t				k;

	crypto_generichash_init(&hs, NULL, 0, sizeof h);
	snprintf(line, sizeof line, "%s|%d\n", a->login, a->superadmin);
	crypto_generichash_update(&hs, (const unsigned char *)line,
	    strlen(line));
	for (k = 0; k < a->ngrants; k++) {
		if ((a->grants[k].perms & PERM_PLANNING) == 0)
			continue;
		snprintf(line, sizeof line, "%s|%s|%s|%s|%s\n",
		    a->grants[k].establishment, a->grants[k].types,
		    a->grants[k].exclude, a->grants[k].library,
		    a->grants[k].resources);
		crypto_generichash_update(&hs, (const unsigned char *)line,
		    strlen(line));
	}
	crypto_generichash_final(&hs, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}
