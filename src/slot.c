/* The table of a slot's states, and the state of a booking's time. */
#include "config.h"

#include <stddef.h>

#include "domain.h"
#include "i18n.h"
#include "query.h"
#include "slot.h"

static const struct slot_info table[SLOT__COUNT] = {
	[SLOT_FREE] = { "free", "\xc2\xb7", '.', 2, -1, N_("free") },
	[SLOT_BOOKED] = { "booked", "=", '=', 6, -1, N_("booked") },
	[SLOT_PENDING] = { "pending", "?", '?', 3, -1, N_("pending") },
	[SLOT_PRESENT] = { "present", "+", '+', 4, -1, N_("present") },
	[SLOT_LATE] = { "late", "!", '!', 7, 1, N_("late") },
	[SLOT_FREED] = { "freed", "x", 'x', 5, -1, N_("freed") },
	[SLOT_CLOSED] = { "closed", "\xe2\x96\x91", '#', 0, -1, N_("closed") },
	[SLOT_READONLY] = { "readonly", "-", '-', 5, -1,
	    N_("read-only (not yours to plan)") },
	[SLOT_SESSION] = { "session", "\xe2\x94\x80", '-', 6, -1,
	    N_("session") },
};

const struct slot_info *
slot_info(enum slot slot)
{
	return (&table[slot]);
}

enum slot
slot_of(const struct booking *b, int64_t now, int64_t late)
{
	if (b == NULL)
		return (SLOT_FREE);
	if (query_late(b, now, late))
		return (SLOT_LATE);
	switch (b->status) {
	case STATUS_PENDING:
		return (SLOT_PENDING);
	case STATUS_CONFIRMED:
		return (SLOT_BOOKED);
	case STATUS_PRESENT:
		return (SLOT_PRESENT);
	case STATUS_NO_SHOW:
		return (SLOT_FREED);
	default:
		return (SLOT_FREE);
	}
}
