/*
 * Times and dates as people type them at a counter: "14h30", "1430",
 * "14" for a time; "20/12", "+1", "demain" for a date. The core's strict
 * forms (HH:MM, YYYY-MM-DD) are accepted too; anything else is refused
 * whole, never half read.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tz.h"
#include "screen.h"

/* Digits only, at most max of them; their value, or -1. */
static int
digits(const char *p, size_t n, size_t max)
{
	size_t	i;
	int	v = 0;

	if (n == 0 || n > max)
		return (-1);
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return (-1);
		v = v * 10 + (p[i] - '0');
	}
	return (v);
}

int
parse_time(const char *text, int *min)
{
	char		 t[16];
	const char	*sep;
	size_t		 n;
	int		 h, m = 0;

	while (*text == ' ')
		text++;
	n = strlen(text);
	while (n > 0 && text[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof t)
		return (-1);
	memcpy(t, text, n);
	t[n] = '\0';
	if ((sep = strpbrk(t, ":hH")) != NULL) {
		if ((h = digits(t, (size_t)(sep - t), 2)) < 0)
			return (-1);
		if (sep[1] != '\0' && (m = digits(sep + 1, strlen(sep + 1),
		    2)) < 0)
			return (-1);
		if (sep[1] != '\0' && strlen(sep + 1) != 2)
			return (-1);
		if (sep[1] == '\0' && *sep == ':')
			return (-1);
	} else if (n <= 2)
		h = digits(t, n, 2);
	else if (n == 3 || n == 4) {
		h = digits(t, n - 2, 2);
		m = digits(t + n - 2, 2, 2);
	} else
		return (-1);
	if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
		return (-1);
	*min = h * 60 + m;
	return (0);
}

int
parse_date(const char *text, int32_t today, int32_t *day)
{
	static const struct {
		const char	*word;
		int		 delta;
	} words[] = {
		{ "today", 0 }, { "aujourd'hui", 0 }, { "auj", 0 },
		{ "tomorrow", 1 }, { "demain", 1 },
		{ "yesterday", -1 }, { "hier", -1 },
		{ "après-demain", 2 }, { "apres-demain", 2 },
	};
	size_t	i;
	int	y, m, d, ty, tm, td, n = 0, k = 0, year = 0;
	char	*ep;
	long	l;

	while (*text == ' ')
		text++;
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(text, words[i].word) == 0) {
			*day = today + words[i].delta;
			return (0);
		}
	if (text[0] == '+' || text[0] == '-') {
		l = strtol(text + 1, &ep, 10);
		if (ep == text + 1 || *ep != '\0' || l > 3660)
			return (-1);
		*day = today + (int32_t)(text[0] == '+' ? l : -l);
		return (0);
	}
	if (tz_parse_date(text, day) == 0)
		return (0);
	/* DD/MM or DD/MM/YYYY; without the year, the next such day (a
	 * date a month or more gone is next year's). */
	if (sscanf(text, "%d/%d%n", &d, &m, &n) != 2)
		return (-1);
	tz_civil_from_days(today, &ty, &tm, &td);
	y = ty;
	if (text[n] == '/') {
		if (sscanf(text + n + 1, "%d%n", &y, &k) != 1)
			return (-1);
		n += 1 + k;
		year = 1;
		if (y < 100)
			y += 2000;
	}
	if (text[n] != '\0' || m < 1 || m > 12 || d < 1 ||
	    d > tz_month_days(y, m))
		return (-1);
	*day = tz_days_from_civil(y, m, d);
	if (!year && *day < today - 31)
		*day = tz_days_from_civil(y + 1, m, d);
	return (0);
}
