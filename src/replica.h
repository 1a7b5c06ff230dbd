/*
 * Replication of the data between a backend and a desk's replica. Both
 * sides speak in changes: {"entity", "data"} objects where data is the
 * entity's whole state (record.h), as the change log holds them. A
 * snapshot is the same list made from the current state, so a new replica
 * and a replica catching up apply changes the same way.
 *
 * Applying a change writes the replica directly: it is replication of what
 * the backend decided, not an operation (ops.h), and never reaches the
 * outbox or the change log.
 */
#ifndef GUICHET_REPLICA_H
#define GUICHET_REPLICA_H

#include <jansson.h>

#include "store.h"

/*
 * The state as changes: establishments, accounts and grants (without
 * passwords), settings, resources, hours, sessions, messages, and the
 * bookings that end after from and start before to. Returns a new object
 * {"changes": [...], "last": N}, N the last change-log sequence, or NULL
 * on a storage error.
 */
json_t		*replica_snapshot(struct store *s, int64_t from, int64_t to,
		     struct gerror *err);
/* Apply changes in the caller's transaction; NULL, or the entity whose
 * change could not be applied. */
const char	*replica_apply_in(struct store *s, json_t *changes);
/* Apply changes in one transaction and move the cursor to last (unless
 * last is negative). */
enum gerr	 replica_apply(struct store *s, json_t *changes, int64_t last,
		     struct gerror *err);
/* The last backend sequence applied (0 for none). */
int64_t		 replica_cursor(struct store *s);

/*
 * Patrons' contacts (e-mail, name, phone) go only to the accounts that
 * plan their resource (P8 with its scope): in a list of changes or a
 * snapshot, the bookings of other resources lose them. The scope's digest
 * tells a desk when what it may see has changed (it then takes a
 * snapshot again, which brings the contacts it may now have).
 */
struct account;
void		 replica_redact(struct store *s, const struct account *a,
		     json_t *changes);
void		 replica_scope(const struct account *a, char out[65]);
/* A value of the sync state ("last_sync", "last_error"...); caller frees. */
char		*replica_state(struct store *s, const char *key);
enum gerr	 replica_set_state(struct store *s, const char *key,
		     const char *value);

#endif
