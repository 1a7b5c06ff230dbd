/*
 * Time-zone arithmetic over the C library's zone database. glibc converts
 * only in the zone named by TZ, which is process state: every conversion
 * takes one lock and switches TZ only when the zone differs from the last
 * one used, so the common case (one zone) costs no tzset().
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tz.h"

static pthread_mutex_t	 tz_lock = PTHREAD_MUTEX_INITIALIZER;
static char		 tz_current[64];

/* Civil date to day number (Gregorian, any year). */
int32_t
tz_days_from_civil(int y, int m, int d)
{
	int		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((int32_t)era * 146097 + doe - 719468);
}

void
tz_civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int32_t		era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int
tz_weekday(int32_t z)
{
	/* 1970-01-01 was a Thursday (4). */
	int	w = (int)((z % 7 + 7 + 3) % 7);

	return (w + 1);
}

int
tz_month_days(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			leap = (y % 4 == 0 && y % 100 != 0) ||
				    y % 400 == 0;

	if (m == 2)
		return (28 + leap);
	return (days[m - 1]);
}

static int
digits(const char *str, int n, int *out)
{
	int	i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)str[i]))
			return (-1);
		v = v * 10 + (str[i] - '0');
	}
	*out = v;
	return (0);
}

int
tz_parse_date(const char *str, int32_t *out)
{
	int	y, m, d;

	if (strlen(str) != 10 || str[4] != '-' || str[7] != '-')
		return (-1);
	if (digits(str, 4, &y) != 0 || digits(str + 5, 2, &m) != 0 ||
	    digits(str + 8, 2, &d) != 0)
		return (-1);
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > tz_month_days(y, m))
		return (-1);
	*out = tz_days_from_civil(y, m, d);
	return (0);
}

void
tz_format_date(int32_t z, char *buf)
{
	int	y, m, d;

	tz_civil_from_days(z, &y, &m, &d);
	snprintf(buf, TZ_DATE_LEN, "%04d-%02d-%02d", y % 10000, m, d);
}

int
tz_parse_hhmm(const char *str, int *out)
{
	int	h, m;

	if (strlen(str) != 5 || str[2] != ':')
		return (-1);
	if (digits(str, 2, &h) != 0 || digits(str + 3, 2, &m) != 0)
		return (-1);
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return (-1);
	*out = h * 60 + m;
	return (0);
}

void
tz_format_hhmm(int minutes, char *buf)
{
	if (minutes < 0 || minutes > 1440)
		minutes = 0;
	snprintf(buf, TZ_HHMM_LEN, "%02d:%02d", minutes / 60, minutes % 60);
}

int
tz_valid(const char *name)
{
	char	path[256];

	if (name == NULL || *name == '\0' || strlen(name) >= sizeof
	    tz_current || strstr(name, "..") != NULL || name[0] == '/')
		return (0);
	if (strcmp(name, "UTC") == 0)
		return (1);
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
	return (access(path, R_OK) == 0);
}

/* Switch the process zone; called with tz_lock held. */
static void
use_zone(const char *name)
{
	if (strcmp(name, tz_current) == 0)
		return;
	setenv("TZ", name, 1);
	tzset();
	snprintf(tz_current, sizeof tz_current, "%s", name);
}

/* The UTC offset (seconds) in force at an instant. */
static int
offset_at(const char *name, int64_t t)
{
	int	off;

	tz_utc_to_local(name, t, NULL, NULL, &off);
	return (off);
}

/*
 * The instants whose local time is this date and minute: at most two (the
 * repeated hour of autumn), none in the skipped hour of spring. The zone's
 * offsets a day before and a day after cover any one change in between.
 */
static int
candidates(const char *name, int32_t day, int minute, int64_t out[2])
{
	int64_t	wall = (int64_t)day * 86400 + (int64_t)minute * 60, t;
	int	offs[2], i, n = 0, m;
	int32_t	d;

	offs[0] = offset_at(name, wall - 86400);
	offs[1] = offset_at(name, wall + 86400);
	for (i = 0; i < 2; i++) {
		if (i == 1 && offs[1] == offs[0])
			break;
		t = wall - offs[i];
		tz_utc_to_local(name, t, &d, &m, NULL);
		if (d == day && m == minute)
			out[n++] = t;
	}
	if (n == 2 && out[1] < out[0]) {
		t = out[0];
		out[0] = out[1];
		out[1] = t;
	}
	return (n);
}

int64_t
tz_local_to_utc(const char *name, int32_t day, int minute)
{
	int64_t	at[2];

	day += minute / 1440;
	minute %= 1440;
	/* UTC needs no zone: no lock, and no switch of TZ back and forth
	 * when instants are written in UTC between local computations. */
	if (strcmp(name, "UTC") == 0)
		return ((int64_t)day * 86400 + minute * 60);
	if (candidates(name, day, minute, at) > 0)
		return (at[0]);
	/* In the skipped hour: as if the clocks had not gone forward yet
	 * (02:30 is 03:30 summer time), like mktime(). */
	return ((int64_t)day * 86400 + (int64_t)minute * 60 -
	    offset_at(name, (int64_t)day * 86400 + (int64_t)minute * 60 -
	    86400));
}

int
tz_local_to_utc_strict(const char *name, int32_t day, int minute,
    int64_t *out)
{
	int64_t	at[2];

	day += minute / 1440;
	minute %= 1440;
	if (strcmp(name, "UTC") == 0) {
		*out = (int64_t)day * 86400 + minute * 60;
		return (0);
	}
	if (candidates(name, day, minute, at) == 0)
		return (-1);
	*out = at[0];
	return (0);
}

void
tz_utc_to_local(const char *name, int64_t t, int32_t *day, int *minute,
    int *offset)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (strcmp(name, "UTC") == 0)
		gmtime_r(&tt, &tm);
	else {
		pthread_mutex_lock(&tz_lock);
		use_zone(name);
		localtime_r(&tt, &tm);
		pthread_mutex_unlock(&tz_lock);
	}
	if (day != NULL)
		*day = tz_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday);
	if (minute != NULL)
		*minute = tm.tm_hour * 60 + tm.tm_min;
	if (offset != NULL)
		*offset = (int)tm.tm_gmtoff;
}

int32_t
tz_local_day(const char *name, int64_t t)
{
	int32_t	day;

	tz_utc_to_local(name, t, &day, NULL, NULL);
	return (day);
}

int64_t
tz_day_start(const char *name, int32_t day)
{
	return (tz_local_to_utc(name, day, 0));
}
