/*
 * The clock of both programs. GUICHET_NOW, an ISO 8601 instant, fixes it
 * for demos and tests of time rules.
 */
#ifndef GUICHET_CLOCK_H
#define GUICHET_CLOCK_H

#include <stdint.h>

#include "error.h"

#define CLOCK_ISO_LEN	48

/* Read GUICHET_NOW; an unparsable value is an error (and the clock stays). */
enum gerr	 clock_init(struct gerror *err);
/* Now, in seconds since the epoch (UTC). */
int64_t		 clock_now(void);
/* Fix the clock (tests); a negative value returns to the real clock. */
void		 clock_set(int64_t t);

/*
 * Parse "YYYY-MM-DDTHH:MM[:SS]" followed by "Z", "+HH:MM" or "-HH:MM"; with
 * no offset the time is local to the zone given (which may not be NULL):
 * an ambiguous one is the first of the two. Returns 0, -1 if malformed,
 * -2 if the local time does not exist (the skipped hour of spring).
 */
int		 clock_parse_iso(const char *str, const char *zone,
		     int64_t *out);
/* Format an instant with the zone's offset: "2026-11-26T10:16:00+01:00". */
void		 clock_format_iso(int64_t t, const char *zone, char *buf);

#endif
