/*
 * Inside the sync (sync.c): what becomes of the operations the backend
 * refused, shared with sync_conflict.c. Only the sync*.c files include
 * this header.
 */
#ifndef GUICHET_SYNC_IMPL_H
#define GUICHET_SYNC_IMPL_H

#include <jansson.h>

#include "backend.h"
#include "sync.h"

/* The bookings an operation's payload touched: its "ids", or its "id";
 * the caller decrefs the array. */
json_t	*sync_booking_ids(json_t *payload);
/*
 * Before a refused booking operation is recorded, read from backend b
 * the state of each booking it touched. Returns an object id -> record
 * or null (the backend has none), or NULL when the backend could not be
 * read; the caller decrefs it.
 */
json_t	*sync_refused_states(struct backend *b, const char *token,
	    json_t *ops, json_t *results);
/*
 * Record the results of a batch in one transaction: each refusal becomes
 * a conflict and is undone in the replica, each answered operation
 * leaves the outbox. Returns how many were answered; *refresh is set
 * when only a snapshot can undo a refusal.
 */
int	 sync_record(struct store *s, json_t *ops, json_t *results,
	    json_t *states, struct sync_report *rep, int *refresh);

#endif
