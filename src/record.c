/* JSON forms of records: see record.h. */
#include "config.h"

#include "clock.h"
#include "record.h"

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
	return (o);
}
