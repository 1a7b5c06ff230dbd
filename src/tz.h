/*
 * Calendar and time-zone arithmetic. Instants are seconds since the epoch
 * in UTC (int64_t); a local date is a day number (days since 1970-01-01 in
 * the proleptic Gregorian calendar) and a time of day is minutes since local
 * midnight (0 to 1440). Local days, grids and quotas are computed in the
 * establishment's zone and stay right across daylight-saving changes.
 */
#ifndef GUICHET_TZ_H
#define GUICHET_TZ_H

#include <stdint.h>

/* The zone of dates given without an establishment ([desk] timezone's
 * default, and the demo's). */
#define TZ_DEFAULT	"Europe/Paris"

#define TZ_DATE_LEN	16	/* "YYYY-MM-DD" and NUL, with room */
#define TZ_HHMM_LEN	16	/* "HH:MM" and NUL, with room */

int32_t	 tz_days_from_civil(int y, int m, int d);
void	 tz_civil_from_days(int32_t z, int *y, int *m, int *d);
/* ISO weekday of a day number: 1 is Monday, 7 is Sunday. */
int	 tz_weekday(int32_t z);
/* Days in a month (1-12) of a year. */
int	 tz_month_days(int y, int m);

/* Strict "YYYY-MM-DD"; returns 0 or -1. */
int	 tz_parse_date(const char *str, int32_t *out);
void	 tz_format_date(int32_t z, char *buf);
/* Strict "HH:MM" (00:00 to 24:00); returns 0 or -1. */
int	 tz_parse_hhmm(const char *str, int *out);
void	 tz_format_hhmm(int minutes, char *buf);

/* Whether a zone name is known to the system's database. */
int	 tz_valid(const char *name);
/*
 * The instant of a local date and minute of day (1440 is next midnight).
 * An ambiguous time (the repeated hour of autumn) is the first of the two;
 * one that does not exist (the skipped hour of spring) is read as if the
 * clocks had not changed yet (SPEC 3, "Times").
 */
int64_t	 tz_local_to_utc(const char *name, int32_t day, int minute);
/* The same, refusing a local time that does not exist: 0, or -1. */
int	 tz_local_to_utc_strict(const char *name, int32_t day, int minute,
		    int64_t *out);
/* The local date, minute of day and UTC offset (seconds) of an instant. */
void	 tz_utc_to_local(const char *name, int64_t t, int32_t *day, int *minute,
		    int *offset);
/* The local date of an instant. */
int32_t	 tz_local_day(const char *name, int64_t t);
/* First instant of a local day. */
int64_t	 tz_day_start(const char *name, int32_t day);

#endif
