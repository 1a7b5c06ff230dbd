/*
 * Opening hours (R4): weekly hours, overridden by exceptional dates and
 * closures. Times are minutes of the local day.
 */
#ifndef GUICHET_HOURS_H
#define GUICHET_HOURS_H

#include "domain.h"

struct hours {
	int	open;		/* 1 if open that day */
	int	open_min;
	int	close_min;
	int	exceptional;	/* from an exceptional date or closure */
	char	reason[256];	/* closure or exception reason */
};

/* The hours of an establishment on a local day. */
enum gerr	 hours_for_day(struct store *s, int64_t establishment_id,
		    int32_t day, struct hours *h);

#endif
