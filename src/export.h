/*
 * Exports of bookings: CSV (RFC 4180) for spreadsheets and the annual
 * report, iCalendar (RFC 5545) for calendars.
 */
#ifndef GUICHET_EXPORT_H
#define GUICHET_EXPORT_H

#include <stdio.h>

#include "domain.h"

enum export_format {
	EXPORT_CSV,
	EXPORT_ICAL,
};

/* Write bookings to f; now stamps the iCalendar events. 0 or -1. */
int	export_bookings(FILE *f, enum export_format fmt, struct store *s,
		    const struct booking *b, size_t n, int64_t now);

#endif
