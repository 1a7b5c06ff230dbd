/*
 * One vocabulary for the state of a slot, shared by the command line's
 * grid and the interface's: each state has its name, its glyph in UTF-8
 * and in ASCII, its colour and its line in the legend.
 */
#ifndef GUICHET_SLOT_H
#define GUICHET_SLOT_H

#include <stdint.h>

struct booking;

enum slot {
	SLOT_FREE,
	SLOT_BOOKED,		/* confirmed */
	SLOT_PENDING,		/* waiting for the patron's confirmation (R5) */
	SLOT_PRESENT,		/* presence validated (R6) */
	SLOT_LATE,		/* not present after the late delay (R6) */
	SLOT_FREED,		/* a late booking freed: no_show (R6) */
	SLOT_CLOSED,		/* outside the opening hours (R4) */
	SLOT_READONLY,		/* not the account's to plan (P8) */
	SLOT_SESSION,		/* a session of a capacity resource */
	SLOT__COUNT
};

/* Colours are ANSI numbers (curses' COLOR_* are the same); -1 is the
 * terminal's own. */
struct slot_info {
	const char	*name;		/* "free" */
	const char	*utf8;		/* one column */
	char		 ascii;
	int		 fg, bg;
	const char	*legend;	/* N_() */
};

const struct slot_info	*slot_info(enum slot slot);
/* The state of the time a booking holds (NULL: nobody's), at now, with
 * the late delay in seconds. */
enum slot		 slot_of(const struct booking *b, int64_t now,
			     int64_t late);

#endif
