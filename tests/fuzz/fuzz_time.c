/*
 * libFuzzer target for the parsers of dates, times and e-mail addresses
 * typed by people or sent over the network: clock_parse_iso,
 * tz_parse_date, tz_parse_hhmm and rules_email_normalise, each on the
 * input as a NUL-terminated string. Besides the sanitizers it checks that
 * what parses formats back to itself and that a normalised address is
 * lower case and normalises to itself.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "domain.h"
#include "rules.h"
#include "tz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An invariant does not hold: report it the way a sanitizer would. */
static void
broken(const char *what, const char *in, const char *out)
{
	fprintf(stderr, "fuzz_time: %s\n  input:  '%s'\n  output: '%s'\n",
	    what, in, out);
	abort();
}

static void
check_date(const char *s)
{
	char	buf[TZ_DATE_LEN];
	int32_t	day;

	if (tz_parse_date(s, &day) != 0)
		return;
	tz_format_date(day, buf);
	if (strcmp(buf, s) != 0)
		broken("a parsed date does not format back to itself", s, buf);
}

static void
check_hhmm(const char *s)
{
	char	buf[TZ_HHMM_LEN];
	int	minutes;

	if (tz_parse_hhmm(s, &minutes) != 0)
		return;
	tz_format_hhmm(minutes, buf);
	if (minutes < 0 || minutes > 1440 || strcmp(buf, s) != 0)
		broken("a parsed time does not format back to itself", s, buf);
}

static void
check_iso(const char *s)
{
	char	buf[CLOCK_ISO_LEN];
	int64_t	t, again;
	int	year;

	if (clock_parse_iso(s, "Europe/Paris", &t) != 0)
		return;
	clock_format_iso(t, "UTC", buf);
	/*
	 * An offset may carry an instant just outside the years the parser
	 * takes (1970-9999); within them, the formatted instant must parse
	 * back to the same instant.
	 */
	if (sscanf(buf, "%d-", &year) != 1 || year < 1970 || year > 9999)
		return;
	if (clock_parse_iso(buf, "Europe/Paris", &again) != 0 || again != t)
		broken("a parsed instant does not format back to itself", s,
		    buf);
}

static void
check_email(const char *s)
{
	char		out[EMAIL_LEN], again[EMAIL_LEN];
	const char	*p;

	if (rules_email_normalise(s, out) != 0)
		return;
	if (strlen(out) != strlen(s))
		broken("normalising changed the length", s, out);
	for (p = out; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			broken("a normalised address is not lower case", s,
			    out);
	if (rules_email_normalise(out, again) != 0 || strcmp(out, again) != 0)
		broken("a normalised address does not normalise to itself",
		    out, again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	s = malloc(size + 1);
	if (s == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';
	check_date(s);
	check_hhmm(s);
	check_iso(s);
	check_email(s);
	free(s);
	return (0);
}
