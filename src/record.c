/* JSON forms of records: see record.h. */
#include "config.h"

#include "clock.h"
#include "record.h"
#include "rights.h"
#include "tz.h"

static json_t *
iso(int64_t t, const char *tz)
{
	char	buf[CLOCK_ISO_LEN];

	clock_format_iso(t, tz, buf);
	return (json_string(buf));
}

json_t *
record_booking(const struct booking *b, const char *tz)
{
	json_t	*o = json_object();

	json_object_set_new(o, "id", json_string(b->id));
	json_object_set_new(o, "resource", json_string(b->resource));
	json_object_set_new(o, "start", iso(b->start, tz));
	json_object_set_new(o, "end", iso(b->end, tz));
	json_object_set_new(o, "email", json_string(b->email));
	json_object_set_new(o, "name", json_string(b->name));
	json_object_set_new(o, "phone", json_string(b->phone));
	json_object_set_new(o, "places", json_integer(b->places));
	json_object_set_new(o, "origin", json_string(origin_name(b->origin)));
	json_object_set_new(o, "status", json_string(status_name(b->status)));
	json_object_set_new(o, "cancel_reason", json_string(b->cancel_reason));
	json_object_set_new(o, "created_by", json_string(b->created_by));
	json_object_set_new(o, "created_at", iso(b->created_at, tz));
	json_object_set_new(o, "changed_by", json_string(b->changed_by));
	json_object_set_new(o, "changed_at", iso(b->changed_at, tz));
	json_object_set_new(o, "version", json_integer(b->version));
	return (o);
}

json_t *
record_resource(const struct resource *r)
{
	json_t	*o = json_object();

	json_object_set_new(o, "code", json_string(r->code));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "type", json_string(rtype_name(r->type)));
	json_object_set_new(o, "library", json_string(r->library));
	json_object_set_new(o, "establishment",
	    json_string(r->establishment));
	json_object_set_new(o, "capacity", json_integer(r->capacity));
	json_object_set_new(o, "seats", json_integer(r->seats));
	json_object_set_new(o, "public", json_boolean(r->public));
	json_object_set_new(o, "enabled", json_boolean(r->enabled));
	json_object_set_new(o, "granularity", json_integer(r->granularity));
	json_object_set_new(o, "min_duration", json_integer(r->min_duration));
	json_object_set_new(o, "max_duration", json_integer(r->max_duration));
	json_object_set_new(o, "day_quota", json_integer(r->day_quota));
	json_object_set_new(o, "month_quota", json_integer(r->month_quota));
	json_object_set_new(o, "places_max", json_integer(r->places_max));
	json_object_set_new(o, "place", json_string(r->place));
	return (o);
}

json_t *
record_hours(struct store *s, const struct establishment *e)
{
	sqlite3_stmt	*st;
	json_t		*o, *weekly = json_array(), *dates = json_array();
	char		 a[TZ_HHMM_LEN], b[TZ_HHMM_LEN], d[TZ_DATE_LEN];

	st = store_stmt(s, "SELECT weekday, open_min, close_min FROM "
	    "hours_weekly WHERE establishment_id = ? ORDER BY weekday");
	sqlite3_bind_int64(st, 1, e->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		tz_format_hhmm(sqlite3_column_int(st, 1), a);
		tz_format_hhmm(sqlite3_column_int(st, 2), b);
		json_array_append_new(weekly, json_pack("{s:i,s:s,s:s}",
		    "weekday", sqlite3_column_int(st, 0), "open", a, "close",
		    b));
	}
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT day, closed, open_min, close_min, reason "
	    "FROM hours_date WHERE establishment_id = ? ORDER BY day");
	sqlite3_bind_int64(st, 1, e->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		tz_format_date(sqlite3_column_int(st, 0), d);
		tz_format_hhmm(sqlite3_column_int(st, 2), a);
		tz_format_hhmm(sqlite3_column_int(st, 3), b);
		json_array_append_new(dates, json_pack("{s:s,s:b,s:s,s:s,s:s}",
		    "date", d, "closed", sqlite3_column_int(st, 1), "open", a,
		    "close", b, "reason", sqlite3_column_text(st, 4)));
	}
	sqlite3_reset(st);
	o = json_pack("{s:s,s:o,s:o}", "establishment", e->code, "weekly",
	    weekly, "dates", dates);
	return (o);
}

json_t *
record_message(struct store *s, const char *uid)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;
	char		 f[CLOCK_ISO_LEN], t[CLOCK_ISO_LEN];
	const char	*tz;

	st = store_stmt(s, "SELECT m.uid, e.code, m.kind, m.text, m.starts, "
	    "m.ends, e.tz, m.id, m.created_by FROM message m JOIN "
	    "establishment e ON e.id = m.establishment_id WHERE m.uid = ?");
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		tz = (const char *)sqlite3_column_text(st, 6);
		clock_format_iso(sqlite3_column_int64(st, 4), tz, f);
		clock_format_iso(sqlite3_column_int64(st, 5), tz, t);
		o = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "uid",
		    sqlite3_column_text(st, 0), "id", (json_int_t)
		    sqlite3_column_int64(st, 7), "establishment",
		    sqlite3_column_text(st, 1), "kind", sqlite3_column_text(st,
		    2), "text", sqlite3_column_text(st, 3), "from", f, "to", t,
		    "created_by", sqlite3_column_text(st, 8));
	}
	sqlite3_reset(st);
	return (o);
}

json_t *
record_settings(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*o = json_object(), *doms = json_array();
	int		 rc;

	st = store_stmt(s, "SELECT key, value FROM setting WHERE key <> "
	    "'link_secret' ORDER BY key");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_object_set_new(o, (const char *)sqlite3_column_text(st, 0),
		    json_string((const char *)sqlite3_column_text(st, 1)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = store_stmt(s, "SELECT domain FROM allowed_domain ORDER BY domain");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(doms, json_string((const char *)
		    sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	json_object_set_new(o, "allowed_domains", doms);
	return (o);
fail:
	json_decref(doms);
	json_decref(o);
	return (NULL);
}

json_t *
record_account(const struct account *a)
{
	json_t	*grants = json_array();
	size_t	 k;

	for (k = 0; k < a->ngrants; k++)
		json_array_append_new(grants, json_pack("{s:s,s:i,s:s,s:s,s:s,"
		    "s:s}", "establishment", a->grants[k].establishment,
		    "perms", (int)a->grants[k].perms, "types",
		    a->grants[k].types, "exclude", a->grants[k].exclude,
		    "library", a->grants[k].library, "resources",
		    a->grants[k].resources));
	return (json_pack("{s:s,s:s,s:b,s:b,s:o}", "login", a->login, "name",
	    a->name, "enabled", a->enabled, "superadmin", a->superadmin,
	    "grants", grants));
}

json_t *
record_establishment(struct store *s, const char *code)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;
	int		 jauge, count;

	st = store_stmt(s, "SELECT code, name, kind, tz, jauge, occupancy, "
	    "checkin_code, info, photo FROM establishment WHERE code = ?");
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		jauge = sqlite3_column_int(st, 4);
		count = sqlite3_column_int(st, 5);
		o = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s,s:i}",
		    "code", sqlite3_column_text(st, 0), "name",
		    sqlite3_column_text(st, 1), "kind", sqlite3_column_text(st,
		    2), "tz", sqlite3_column_text(st, 3), "jauge", jauge,
		    "occupancy", count, "checkin_code",
		    sqlite3_column_text(st, 6), "info", sqlite3_column_text(st,
		    7), "photo", sqlite3_column_text(st, 8), "percent",
		    jauge > 0 ? count * 100 / jauge : 0);
	}
	sqlite3_reset(st);
	return (o);
}
