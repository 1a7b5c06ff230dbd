/*
 * Patrons' words: see patron.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "patron.h"
#include "tz.h"

static const char *const days[][8] = {
	[PLANG_FR] = { "", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
	    "samedi", "dimanche" },
	[PLANG_EN] = { "", "Monday", "Tuesday", "Wednesday", "Thursday",
	    "Friday", "Saturday", "Sunday" },
};

static const char *const months[][13] = {
	[PLANG_FR] = { "", "janvier", "février", "mars", "avril", "mai",
	    "juin", "juillet", "août", "septembre", "octobre", "novembre",
	    "décembre" },
	[PLANG_EN] = { "", "January", "February", "March", "April", "May",
	    "June", "July", "August", "September", "October", "November",
	    "December" },
};

static const char *const statuses[][STATUS__COUNT] = {
	[PLANG_FR] = { "en attente de confirmation", "confirmée",
	    "présence validée", "annulée", "libérée (absence)",
	    "annulée (pas confirmée à temps)" },
	[PLANG_EN] = { "waiting for confirmation", "confirmed",
	    "presence validated", "cancelled", "freed (no-show)",
	    "cancelled (not confirmed in time)" },
};

static void
hhmm(enum plang l, int min, char *out, size_t size)
{
	if (l == PLANG_FR)
		snprintf(out, size, "%d h %02d", min / 60, min % 60);
	else
		snprintf(out, size, "%02d:%02d", min / 60, min % 60);
}

void
patron_time(enum plang l, const char *tz, int64_t t, char *out, size_t size)
{
	int	min;

	tz_utc_to_local(tz, t, NULL, &min, NULL);
	hhmm(l, min, out, size);
}

void
patron_date(enum plang l, const char *tz, int64_t t, char *out, size_t size)
{
	int32_t	day;
	int	y, m, d;

	tz_utc_to_local(tz, t, &day, NULL, NULL);
	tz_civil_from_days(day, &y, &m, &d);
	snprintf(out, size, "%s %d%s %s %d", days[l][tz_weekday(day)], d,
	    l == PLANG_FR && d == 1 ? "er" : "", months[l][m], y);
}

void
patron_when(enum plang l, const char *tz, int64_t start, int64_t end,
    char *out)
{
	char	date[64], t0[16], t1[16];
	int32_t	d0, d1;
	int	m1;

	patron_date(l, tz, start, date, sizeof date);
	patron_time(l, tz, start, t0, sizeof t0);
	tz_utc_to_local(tz, start, &d0, NULL, NULL);
	tz_utc_to_local(tz, end, &d1, &m1, NULL);
	/* Midnight at the end is the end of the day, not 0 h 00. */
	if (d1 == d0 + 1 && m1 == 0)
		hhmm(l, 1440, t1, sizeof t1);
	else
		patron_time(l, tz, end, t1, sizeof t1);
	snprintf(out, PATRON_WHEN_LEN, l == PLANG_FR ? "%s, de %s à %s" :
	    "%s, %s to %s", date, t0, t1);
}

const char *
patron_status(enum plang l, enum status st)
{
	if ((unsigned)st >= STATUS__COUNT)
		return ("?");
	return (statuses[l][st]);
}
