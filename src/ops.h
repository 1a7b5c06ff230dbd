/*
 * The one door for writes. Every change to the data is an operation: a
 * kind ("book", "cancel", ...), a JSON payload and a UUID made by whoever
 * creates it. op_apply() checks the account's rights (rights.h), then the
 * charter's rules (rules.h), then writes the data, the change log and, on a
 * desk with a backend, the outbox, in one BEGIN IMMEDIATE transaction. The
 * standalone desk, the central SQLite backend and the server all call it.
 *
 * The UUID is an idempotency key: applying an id a second time returns
 * the first result and changes nothing.
 *
 * The only writes that do not go through op_apply() are bookkeeping of
 * the machinery itself, never a change a person decides:
 * - replica.c (replica_apply): a desk copying the backend's changes and
 *   snapshots, already applied through op_apply() there;
 * - sync.c: the outbox it pushes and empties, its cursor and tokens, the
 *   conflicts the backend refused (sync_acknowledge marks one handled),
 *   and the hash of a password kept for offline logins (sync_login);
 * - mail.c: the e-mail queue's attempts and sends, and the link secret
 *   made on first use (the e-mails are queued by op_notify, inside an
 *   operation);
 * - demo.c: the demo data and the default settings of a new database;
 * - store.c: the schema and its migrations;
 * - guichetd's bearer-token sessions and login throttling (auth.c).
 */
#ifndef GUICHET_OPS_H
#define GUICHET_OPS_H

#include <jansson.h>

#include "rights.h"

/*
 * Apply an operation for an account. op_id may be NULL (a new UUID is
 * made). On success *result (may be NULL) is a new JSON value the caller
 * frees: the booking for booking kinds, a summary for the others. The
 * payload may gain what the operation decided ("id" of a new booking, "ids"
 * of the bookings freed) so that it replays the same on a backend. On a
 * refusal the error says why, and *result may still carry details (R13's
 * list of bookings to cancel), or be NULL.
 */
enum gerr	 op_apply(struct store *s, const struct account *a,
		    const char *op_id, const char *kind, json_t *payload,
		    json_t **result, struct gerror *err);

/*
 * R15: apply an operation a desk made at made_at (its clock) and pushed
 * by sync. The rules on "now" are judged as of made_at when it is within
 * the backend's clock plus the skew ("sync_skew_minutes", 5) and not older
 * than the horizon ("offline_horizon_hours", 72); outside, GERR_CLOCK_AHEAD
 * or GERR_TOO_OLD. made_at 0 is op_apply().
 */
enum gerr	 op_apply_at(struct store *s, const struct account *a,
		    const char *op_id, const char *kind, json_t *payload,
		    int64_t made_at, json_t **result, struct gerror *err);

/* The login the sweeper acts as (R5, R6): its no_show is automatic. */
#define SWEEPER_LOGIN	"sweeper"

/* The name of the kind at index in the table, or NULL past its end (for
 * help, docs and tests). */
const char	*op_kind(size_t index);
/* Whether a kind is local work of the backend itself (the sweep, R5 and
 * R6): a desk applies it to its replica and never pushes it. */
int		 op_kind_local(const char *kind);

#endif
