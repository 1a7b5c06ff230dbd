/* The clock: see clock.h. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "i18n.h"
#include "tz.h"

static int64_t	fixed = -1;

enum gerr
clock_init(struct gerror *err)
{
	const char	*str = getenv("GUICHET_NOW");
	const char	*zone = getenv("GUICHET_TZ");
	int64_t		 t;

	if (str == NULL || *str == '\0')
		return (GERR_OK);
	if (zone == NULL || !tz_valid(zone))
		zone = TZ_DEFAULT;
	if (clock_parse_iso(str, zone, &t) != 0)
		return (gerror_set(err, GERR_BAD_REQUEST,
		    _("GUICHET_NOW=%s is not an ISO 8601 instant: write it as "
		    "2026-11-26T10:16:00+01:00"), str));
	fixed = t;
	return (GERR_OK);
}

int64_t
clock_now(void)
{
	if (fixed >= 0)
		return (fixed);
	return ((int64_t)time(NULL));
}

void
clock_set(int64_t t)
{
	fixed = t;
}

static int
num(const char *str, int n, int *out)
{
	int	i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)str[i]))
			return (-1);
		v = v * 10 + str[i] - '0';
	}
	*out = v;
	return (0);
}

int
clock_parse_iso(const char *str, const char *zone, int64_t *out)
{
	char		date[TZ_DATE_LEN];
	int32_t		day;
	int		h, m, sec = 0, oh, om, sign;
	const char	*p;

	if (strlen(str) < 16 || (str[10] != 'T' && str[10] != ' '))
		return (-1);
	memcpy(date, str, 10);
	date[10] = '\0';
	if (tz_parse_date(date, &day) != 0)
		return (-1);
	if (num(str + 11, 2, &h) != 0 || str[13] != ':' ||
	    num(str + 14, 2, &m) != 0 || h > 23 || m > 59)
		return (-1);
	p = str + 16;
	if (*p == ':') {
		if (num(p + 1, 2, &sec) != 0 || sec > 59)
			return (-1);
		p += 3;
	}
	if (*p == '\0') {
		/* A local time the zone skips is refused (SPEC 3). */
		if (tz_local_to_utc_strict(zone, day, h * 60 + m, out) != 0)
			return (-2);
		*out += sec;
		return (0);
	}
	if (strcmp(p, "Z") == 0) {
		*out = (int64_t)day * 86400 + h * 3600 + m * 60 + sec;
		return (0);
	}
	if ((*p != '+' && *p != '-') || strlen(p) != 6 || p[3] != ':' ||
	    num(p + 1, 2, &oh) != 0 || num(p + 4, 2, &om) != 0 || oh > 23 ||
	    om > 59)
		return (-1);
	sign = *p == '-' ? -1 : 1;
	*out = (int64_t)day * 86400 + h * 3600 + m * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	return (0);
}

/* Two digits of n (0-99) at p; where the next character goes. */
static char *
digits2(char *p, int n)
{
	p[0] = (char)('0' + n / 10);
	p[1] = (char)('0' + n % 10);
	return (p + 2);
}

void
clock_format_iso(int64_t t, const char *zone, char *buf)
{
	int32_t	day;
	int	minute, off, y, mo, d;
	char	sign, *p = buf;

	tz_utc_to_local(zone, t, &day, &minute, &off);
	tz_civil_from_days(day, &y, &mo, &d);
	sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	/* Written by hand: snprintf was a third of the JSON record of a
	 * booking, which every write makes (issue 12). */
	if (y < 0 || y > 9999 || off >= 100 * 3600) {
		snprintf(buf, CLOCK_ISO_LEN, "%04d-%02d-%02dT%02d:%02d:%02d%c"
		    "%02d:%02d", y, mo, d, minute / 60, minute % 60,
		    (int)(((t % 60) + 60) % 60), sign, off / 3600,
		    (off % 3600) / 60);
		return;
	}
	p = digits2(digits2(p, y / 100), y % 100);
	*p++ = '-';
	p = digits2(p, mo);
	*p++ = '-';
	p = digits2(p, d);
	*p++ = 'T';
	p = digits2(p, minute / 60);
	*p++ = ':';
	p = digits2(p, minute % 60);
	*p++ = ':';
	p = digits2(p, (int)(((t % 60) + 60) % 60));
	*p++ = sign;
	p = digits2(p, off / 3600);
	*p++ = ':';
	p = digits2(p, (off % 3600) / 60);
	*p = '\0';
}
