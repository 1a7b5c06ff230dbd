/*
 * The booking rules. The order of checks goes from what the booking is
 * (resource state, e-mail, window, shape) to what it meets (hours, quotas,
 * other bookings), so the first refusal is the one a person fixes first.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "hours.h"
#include "i18n.h"
#include "rules.h"
#include "settings.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

void
rules_format_minutes(int m, char *buf)
{
	if (m < 60)
		snprintf(buf, 16, "%d min", m);
	else if (m % 60 == 0)
		snprintf(buf, 16, "%d h", m / 60);
	else
		snprintf(buf, 16, "%d h %02d", m / 60, m % 60);
}

int
rules_presence_applies(const struct resource *r)
{
	return (!rtype_capacity(r->type) && !resource_internal(r));
}

int64_t
rules_late_after(const struct booking *b, int64_t late)
{
	return ((b->created_at > b->start ? b->created_at : b->start) + late);
}

void
rules_code_normalise(const char *in, char *out)
{
	size_t	n = 0;

	for (; *in != '\0' && n < CODE_LEN - 1; in++)
		if (!isspace((unsigned char)*in))
			out[n++] = (char)toupper((unsigned char)*in);
	out[n] = '\0';
}

static int
local_char(int c)
{
	return (isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

int
rules_email_normalise(const char *in, char *out)
{
	const char	*at = strrchr(in, '@'), *p, *label;
	size_t		 len = strlen(in), i;

	if (at == NULL || len >= EMAIL_LEN - 1 || len > 254)
		return (-1);
	if (at == in || at - in > 64 || in[0] == '.' || at[-1] == '.')
		return (-1);
	for (p = in; p < at; p++) {
		if (!local_char((unsigned char)*p) || (*p == '.' &&
		    p[1] == '.'))
			return (-1);
	}
	/* Domain: dot-separated labels of letters, digits and hyphens. */
	label = at + 1;
	if (*label == '\0' || strchr(label, '.') == NULL)
		return (-1);
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || label[0] == '-' || p[-1] == '-' ||
			    p - label > 63)
				return (-1);
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-')
			return (-1);
	}
	for (i = 0; i <= len; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	return (0);
}

enum gerr
rules_check_email(struct store *s, const char *email, int internal,
    struct gerror *err)
{
	char		 norm[EMAIL_LEN];
	sqlite3_stmt	*st;
	int		 rc;

	if (rules_email_normalise(email, norm) != 0)
		return (gerror_set(err, GERR_BAD_EMAIL, _("'%s' is not a valid "
		    "e-mail address: check for a typing error (R2)"), email));
	if (internal)
		return (GERR_OK);
	st = store_stmt(s, "SELECT 1 FROM allowed_domain WHERE domain = ?");
	sqlite3_bind_text(st, 1, strrchr(norm, '@') + 1, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (GERR_OK);
	if (rc != SQLITE_DONE)
		return (store_error(s, err, _("checking the e-mail domain")));
	return (gerror_set(err, GERR_DOMAIN_NOT_ALLOWED, _("the domain '%s' is "
	    "not among the institutional domains allowed to book: use an "
	    "address of the Toulouse network (R2)"), strrchr(norm, '@') + 1));
}

int
rules_patron_minutes(struct store *s, const struct resource *r,
    const char *email, int64_t from, int64_t to, const char *exclude_id)
{
	sqlite3_stmt	*st;
	int64_t		 secs = 0;

	st = store_stmt(s, "SELECT coalesce(sum(min(b.end, ?2) - "
	    "max(b.start, ?1)), 0) FROM booking b JOIN resource r ON "
	    "r.id = b.resource_id WHERE b.email = ?3 AND b.start < ?2 AND "
	    "b.start > ?1 - " BOOKING_MAX_SQL " AND "
	    "b.end > ?1 AND " STATUS_LIVE_SQL("b.status") " AND r.type = ?4 AND "
	    "r.establishment_id = ?5 AND b.id <> ?6");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_text(st, 3, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rtype_name(r->type), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->establishment_id);
	store_bind_text(st, 6, exclude_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		secs = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return ((int)(secs / 60));
}

enum gerr
rules_check_hours(struct store *s, const struct resource *r, int64_t start,
    int64_t end, struct gerror *err)
{
	struct hours	h;
	int32_t		day, last;
	int64_t		ds, de, a, b;
	int		from, to;
	char		date[TZ_DATE_LEN], o[TZ_HHMM_LEN], c[TZ_HHMM_LEN];

	last = tz_local_day(r->tz, end - 1);
	for (day = tz_local_day(r->tz, start); day <= last; day++) {
		if (hours_for_day(s, r->library_id, day, &h) != GERR_OK)
			return (store_error(s, err, _("reading the hours")));
		tz_format_date(day, date);
		if (!h.open)
			return (gerror_set(err, GERR_CLOSED, _("%s is closed on "
			    "%s%s%s (R4)"), r->library, date, h.reason[0] ?
			    ": " : "", h.reason));
		ds = tz_day_start(r->tz, day);
		de = tz_day_start(r->tz, day + 1);
		a = start > ds ? start : ds;
		b = end < de ? end : de;
		tz_utc_to_local(r->tz, a, NULL, &from, NULL);
		if (b == de)
			to = 1440;
		else
			tz_utc_to_local(r->tz, b, NULL, &to, NULL);
		if (from < h.open_min || to > h.close_min) {
			tz_format_hhmm(h.open_min, o);
			tz_format_hhmm(h.close_min, c);
			return (gerror_set(err, GERR_OUTSIDE_HOURS, _("%s is open "
			    "%s-%s on %s: the booking must lie inside these "
			    "hours (R4)"), r->library, o, c, date));
		}
	}
	return (GERR_OK);
}

static enum gerr
check_shape(const struct resource *r, int64_t start, int64_t end,
    struct gerror *err)
{
	int	m0, m1, dur = (int)((end - start) / 60);
	char	a[16], b[16];

	tz_utc_to_local(r->tz, start, NULL, &m0, NULL);
	tz_utc_to_local(r->tz, end, NULL, &m1, NULL);
	if (start % 60 != 0 || end % 60 != 0 || m0 % r->granularity != 0 ||
	    m1 % r->granularity != 0)
		return (gerror_set(err, GERR_BAD_GRANULARITY, _("%s is booked by "
		    "steps of %d min: start and end on the grid, e.g. "
		    "%02d:%02d (R3)"), r->code, r->granularity,
		    (m0 / r->granularity * r->granularity) / 60,
		    (m0 / r->granularity * r->granularity) % 60));
	if (r->min_duration > 0 && dur < r->min_duration) {
		rules_format_minutes(dur, a);
		rules_format_minutes(r->min_duration, b);
		return (gerror_set(err, GERR_TOO_SHORT, _("%s for %s is too "
		    "short: %s min (R3)"), a, r->code, b));
	}
	if (r->max_duration > 0 && dur > r->max_duration) {
		rules_format_minutes(dur, a);
		rules_format_minutes(r->max_duration, b);
		return (gerror_set(err, GERR_TOO_LONG, _("%s for %s is too "
		    "long: %s max a booking (R3)"), a, r->code, b));
	}
	return (GERR_OK);
}

/* R3 quotas over each local day and each calendar month touched. */
static enum gerr
check_quotas(struct store *s, const struct booking_req *q, struct gerror *err)
{
	const struct resource	*r = q->resource;
	int32_t			 day, last;
	int64_t			 ws, we, a, b;
	int			 have, add, y, m, d, ly, lm;
	char			 date[TZ_DATE_LEN], f1[16], f2[16], f3[16];

	last = tz_local_day(r->tz, q->end - 1);
	if (r->day_quota > 0) {
		for (day = tz_local_day(r->tz, q->start); day <= last; day++) {
			ws = tz_day_start(r->tz, day);
			we = tz_day_start(r->tz, day + 1);
			a = q->start > ws ? q->start : ws;
			b = q->end < we ? q->end : we;
			add = (int)((b - a) / 60);
			have = rules_patron_minutes(s, r, q->email, ws, we,
			    q->exclude_id);
			if (have + add <= r->day_quota)
				continue;
			tz_format_date(day, date);
			rules_format_minutes(have, f1);
			rules_format_minutes(have + add, f2);
			rules_format_minutes(r->day_quota, f3);
			return (gerror_set(err, GERR_QUOTA_DAY, _("this patron has "
			    "%s of %s booked on %s; this booking makes %s, %s "
			    "max a day (R3)"), have ? f1 : _("nothing"),
			    _(rtype_label(r->type)), date, f2, f3));
		}
	}
	if (r->month_quota > 0) {
		tz_civil_from_days(tz_local_day(r->tz, q->start), &y, &m, &d);
		tz_civil_from_days(last, &ly, &lm, &d);
		for (;;) {
			ws = tz_day_start(r->tz, tz_days_from_civil(y, m, 1));
			we = tz_day_start(r->tz, m == 12 ?
			    tz_days_from_civil(y + 1, 1, 1) :
			    tz_days_from_civil(y, m + 1, 1));
			a = q->start > ws ? q->start : ws;
			b = q->end < we ? q->end : we;
			add = (int)((b - a) / 60);
			have = rules_patron_minutes(s, r, q->email, ws, we,
			    q->exclude_id);
			if (have + add > r->month_quota) {
				rules_format_minutes(have, f1);
				rules_format_minutes(have + add, f2);
				rules_format_minutes(r->month_quota, f3);
				return (gerror_set(err, GERR_QUOTA_MONTH, _("this "
				    "patron has %s of %s booked in %04d-%02d; "
				    "this booking makes %s, %s max a month "
				    "(R3)"), have ? f1 : _("nothing"),
				    _(rtype_label(r->type)), y, m, f2, f3));
			}
			if (y == ly && m == lm)
				break;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	return (GERR_OK);
}

/* R7 for exclusive resources. */
static enum gerr
check_overlap(struct store *s, const struct booking_req *q,
    struct gerror *err)
{
	sqlite3_stmt	*st;
	int		 rc, m0, m1;
	char		 a[TZ_HHMM_LEN], b[TZ_HHMM_LEN];

	st = store_stmt(s, "SELECT start, end FROM booking WHERE "
	    "resource_id = ?1 AND start < ?2 AND start > ?3 - "
	    BOOKING_MAX_SQL " AND end > ?3 AND " STATUS_LIVE_SQL("status")
	    " AND id <> ?4 LIMIT 1");
	sqlite3_bind_int64(st, 1, q->resource->id);
	sqlite3_bind_int64(st, 2, q->end);
	sqlite3_bind_int64(st, 3, q->start);
	store_bind_text(st, 4, q->exclude_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		tz_utc_to_local(q->resource->tz, sqlite3_column_int64(st, 0),
		    NULL, &m0, NULL);
		tz_utc_to_local(q->resource->tz, sqlite3_column_int64(st, 1),
		    NULL, &m1, NULL);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return (GERR_OK);
	if (rc != SQLITE_ROW)
		return (store_error(s, err, _("checking the planning")));
	tz_format_hhmm(m0, a);
	tz_format_hhmm(m1, b);
	return (gerror_set(err, GERR_SLOT_TAKEN, _("%s is already booked "
	    "%s-%s: choose another time or room (R7)"), q->resource->code, a,
	    b));
}

static int
sum_places(struct store *s, int64_t session, const char *email,
    const char *exclude)
{
	sqlite3_stmt	*st;
	int		 n = 0;

	st = store_stmt(s, "SELECT coalesce(sum(places), 0) FROM booking "
	    "WHERE session_id = ?1 AND " STATUS_LIVE_SQL("status") " AND id <> ?2 "
	    "AND (?3 = '' OR email = ?3)");
	sqlite3_bind_int64(st, 1, session);
	store_bind_text(st, 2, exclude);
	store_bind_text(st, 3, email);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return (n);
}

/* R7 for capacity resources: the booking names a session with room. */
static enum gerr
check_session(struct store *s, struct booking_req *q, struct gerror *err)
{
	const struct resource	*r = q->resource;
	sqlite3_stmt		*st;
	int64_t			 id = 0, end = 0;
	int			 places = 0, taken, mine, rc, m0;
	char			 a[TZ_HHMM_LEN], date[TZ_DATE_LEN];
	int32_t			 day;

	st = store_stmt(s, "SELECT id, end, places FROM session WHERE "
	    "resource_id = ? AND start = ?");
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, q->start);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		end = sqlite3_column_int64(st, 1);
		places = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	tz_utc_to_local(r->tz, q->start, &day, &m0, NULL);
	tz_format_hhmm(m0, a);
	tz_format_date(day, date);
	if (rc != SQLITE_ROW || end != q->end)
		return (gerror_set(err, GERR_NOT_FOUND, _("%s has no session "
		    "on %s at %s ending then: list its sessions with 'guichet "
		    "grid --date %s'"), r->code, date, a, date));
	if (q->places < 1 || q->places > r->places_max)
		return (gerror_set(err, GERR_PLACES_MAX, _("%d places asked: "
		    "%d max a patron in a session of %s (R3)"), q->places,
		    r->places_max, r->code));
	mine = sum_places(s, id, q->email, q->exclude_id);
	if (mine + q->places > r->places_max)
		return (gerror_set(err, GERR_PLACES_MAX, _("this patron already "
		    "has %d place(s) in the session of %s on %s at %s, %d max "
		    "(R3)"), mine, r->code, date, a, r->places_max));
	taken = sum_places(s, id, NULL, q->exclude_id);
	if (taken + q->places > places)
		return (gerror_set(err, GERR_CAPACITY_FULL, _("the session of %s "
		    "on %s at %s is full: %d/%d places taken (R7)"), r->code,
		    date, a, taken, places));
	q->session_id = id;
	return (GERR_OK);
}

enum gerr
rules_check_booking(struct store *s, struct booking_req *q, int64_t now,
    struct gerror *err)
{
	const struct resource	*r = q->resource;
	int64_t			 ahead;
	int32_t			 today, day;
	enum gerr		 e;
	char			 date[TZ_DATE_LEN];

	q->session_id = 0;
	if (!r->enabled)
		return (gerror_set(err, GERR_RESOURCE_DISABLED, _("%s is "
		    "disabled and takes no new booking (R9)"), r->code));
	if (resource_internal(r) && (q->origin == ORIGIN_WEB ||
	    q->origin == ORIGIN_APP))
		return (gerror_set(err, GERR_RESOURCE_INTERNAL, _("%s is for "
		    "internal planning and is not offered to patrons (R8)"),
		    r->code));
	/* R2: an internal resource takes an optional contact address. */
	if (!(resource_internal(r) && *q->email == '\0') &&
	    (e = rules_check_email(s, q->email, resource_internal(r), err)) !=
	    GERR_OK)
		return (e);
	if (q->end <= q->start)
		return (gerror_set(err, GERR_TOO_SHORT, _("the booking ends "
		    "before it starts (R3)")));
	if (q->end - q->start > BOOKING_MAX_SECONDS)
		return (gerror_set(err, GERR_TOO_LONG, _("a booking lasts a week "
		    "at most (R3)")));
	if (q->end <= now)
		return (gerror_set(err, GERR_IN_PAST, _("the booking ends in "
		    "the past (R1)")));
	ahead = setting_get(s, SET_MAX_DAYS_AHEAD);
	today = tz_local_day(r->tz, now);
	day = tz_local_day(r->tz, q->start);
	if (day - today > ahead) {
		tz_format_date(day, date);
		return (gerror_set(err, GERR_TOO_FAR_AHEAD, _("%s is %d days "
		    "ahead: bookings open %lld days ahead at most (R1)"), date,
		    (int)(day - today), (long long)ahead));
	}
	if (rtype_capacity(r->type)) {
		if ((e = rules_check_hours(s, r, q->start, q->end, err)) !=
		    GERR_OK)
			return (e);
		return (check_session(s, q, err));
	}
	if (q->places != 1)
		return (gerror_set(err, GERR_BAD_REQUEST, _("%s is booked whole: "
		    "places apply to sessions only"), r->code));
	if ((e = check_shape(r, q->start, q->end, err)) != GERR_OK)
		return (e);
	if ((e = rules_check_hours(s, r, q->start, q->end, err)) != GERR_OK)
		return (e);
	/* R14: shortening gives time back; a quota lowered meanwhile
	 * never forbids it. */
	if (!(q->was_end > q->was_start && q->start >= q->was_start &&
	    q->end <= q->was_end) &&
	    (e = check_quotas(s, q, err)) != GERR_OK)
		return (e);
	return (check_overlap(s, q, err));
}

enum gerr
rules_fit_end(struct store *s, struct booking_req *q, int64_t now,
    int64_t *end, struct gerror *err)
{
	struct booking_req	 t = *q;
	int64_t			 step = (int64_t)q->resource->granularity * 60;
	enum gerr		 e = GERR_BAD_REQUEST;

	/* Sessions have their own times: nothing shorter to offer. */
	if (rtype_capacity(q->resource->type) || step <= 0)
		return (rules_check_booking(s, q, now, err));
	for (t.end = q->end - step; t.end > q->start; t.end -= step) {
		if ((e = rules_check_booking(s, &t, now, NULL)) == GERR_OK) {
			*end = t.end;
			return (GERR_OK);
		}
	}
	t.end = q->start + step;
	return (rules_check_booking(s, &t, now, err));
}

/* R16: the longest text of each field, in characters; "multi" may keep
 * newlines. A field not named here takes the last line's. */
static const struct {
	const char	*field;
	size_t		 max;
	int		 multi;
} text_fields[] = {
	{ "name",		120,	0 },
	{ "reason",		500,	0 },
	{ "text",		2000,	1 },
	{ "confirm_message",	2000,	1 },
	{ "info",		2000,	1 },
	{ "phone",		40,	0 },
	{ "email",		254,	0 },
	{ "login",		63,	0 },
	{ "password_hash",	200,	0 },
	{ "resources",		2000,	0 },
	{ "types",		2000,	0 },
	{ "exclude",		2000,	0 },
	{ NULL,			200,	0 },
};

static size_t
text_field(const char *field)
{
	size_t	i;

	for (i = 0; text_fields[i].field != NULL; i++)
		if (field != NULL && strcmp(text_fields[i].field, field) == 0)
			break;
	return (i);
}

size_t
rules_text_max(const char *field)
{
	return (text_fields[text_field(field)].max);
}

/* One UTF-8 character at s: its length, or 0 if not well formed. */
static size_t
utf8_char(const unsigned char *str, uint32_t *cp)
{
	size_t	n, i;

	if (str[0] < 0x80) {
		*cp = str[0];
		return (1);
	}
	if (str[0] >= 0xc2 && str[0] <= 0xdf)
		n = 2, *cp = str[0] & 0x1f;
	else if (str[0] >= 0xe0 && str[0] <= 0xef)
		n = 3, *cp = str[0] & 0x0f;
	else if (str[0] >= 0xf0 && str[0] <= 0xf4)
		n = 4, *cp = str[0] & 0x07;
	else
		return (0);
	for (i = 1; i < n; i++) {
		if ((str[i] & 0xc0) != 0x80)
			return (0);
		*cp = (*cp << 6) | (str[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && *cp < 0x800) || (n == 4 && (*cp < 0x10000 ||
	    *cp > 0x10ffff)) || (*cp >= 0xd800 && *cp <= 0xdfff))
		return (0);
	return (n);
}

static enum gerr
check_one(const char *field, const char *str, size_t len, struct gerror *err)
{
	size_t		 k = text_field(field), i = 0, n, chars = 0;
	uint32_t	 cp;
	const char	*name = field != NULL ? field : "text";

	while (i < len) {
		if ((n = utf8_char((const unsigned char *)str + i, &cp)) == 0 ||
		    i + n > len)
			return (gerror_set(err, GERR_BAD_TEXT, _("'%s' is not "
			    "UTF-8 text (byte %zu): write it again in UTF-8 "
			    "(R16)"), name, i + 1));
		chars++;
		if ((cp < 0x20 && !(cp == '\n' && text_fields[k].multi)) ||
		    (cp >= 0x7f && cp <= 0x9f))
			return (gerror_set(err, GERR_BAD_TEXT, _("'%s' has a "
			    "control character (U+%04X) at character %zu: "
			    "remove it (R16)"), name, (unsigned)cp, chars));
		i += n;
	}
	if (chars > text_fields[k].max)
		return (gerror_set(err, GERR_BAD_TEXT, _("'%s' has %zu "
		    "characters, %zu at most: shorten it (R16)"), name, chars,
		    text_fields[k].max));
	return (GERR_OK);
}

static enum gerr
check_value(const char *field, const json_t *v, int depth,
    struct gerror *err)
{
	const char	*key;
	const json_t	*x;
	size_t		 i;
	enum gerr	 e;

	if (depth > 8)
		return (gerror_set(err, GERR_BAD_REQUEST, _("the payload is "
		    "nested too deep")));
	if (json_is_string(v))
		return (check_one(field, json_string_value(v),
		    json_string_length(v), err));
	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			if ((e = check_value(field, json_array_get(v, i),
			    depth + 1, err)) != GERR_OK)
				return (e);
		return (GERR_OK);
	}
	if (json_is_object(v)) {
		json_object_foreach((json_t *)(uintptr_t)v, key, x) {
			if ((e = check_one("key", key, strlen(key), err)) !=
			    GERR_OK)
				return (e);
			if ((e = check_value(key, x, depth + 1, err)) !=
			    GERR_OK)
				return (e);
		}
	}
	return (GERR_OK);
}

enum gerr
rules_check_text(const json_t *payload, struct gerror *err)
{
	return (check_value(NULL, payload, 0, err));
}
