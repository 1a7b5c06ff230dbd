/*
 * A desk's sync with its backend (SPEC.md section 6). Every write at the
 * desk is applied to the replica and queued in the outbox in one
 * transaction (ops.h); sync_run() pushes the outbox in order and in
 * batches, each operation applied once by the backend (its UUID is the
 * idempotency key), then pulls the changes after the desk's cursor. An
 * operation the backend refuses becomes a conflict: its effect is undone in
 * the replica and it is listed for staff. When the backend cannot be
 * reached, nothing is lost: the outbox waits for the next run.
 */
#ifndef GUICHET_SYNC_H
#define GUICHET_SYNC_H

#include "rights.h"

struct sync_report {
	int	pushed;		/* operations the backend answered */
	int	rejected;	/* of which refused */
	/* Of those, refused but whose outcome held on the backend all the
	 * same: acknowledged by themselves, no conflict for staff. */
	int	held;
	int	pulled;		/* changes applied to the replica */
	int	pending;	/* operations still in the outbox */
	int	conflicts;	/* conflicts not yet acknowledged */
	int	online;		/* the backend answered */
	/* An account whose operations wait for it to log in again. */
	char	waiting[LOGIN_LEN];
	char	last_sync[48];	/* ISO instant of the last good sync */
	char	last_error[512];
};

/* One run: push the outbox, then pull. GERR_UNREACHABLE when offline. */
enum gerr	 sync_run(struct store *s, const char *url,
		     struct sync_report *rep, struct gerror *err);
/* The backend this database is a replica of, or NULL; caller frees. */
char		*sync_backend_of(struct store *s);
/* The report of the last run, from the replica alone (no network). */
void		 sync_state(struct store *s, struct sync_report *r);
/*
 * Log in on a desk with a backend: checked by the backend when it answers
 * (and remembered here, so the account may log in offline later); checked
 * by the replica when the backend cannot be reached.
 */
enum gerr	 sync_login(struct store *s, const char *url, const char *login,
		     const char *password, struct account **out,
		     struct gerror *err);
/*
 * A background worker for the full-screen interface: its own connection
 * to the replica at path, a sync every interval seconds, backing off up to
 * five minutes while the backend cannot be reached, at once when kicked
 * (after a write). The interface never waits on the network; it reads the
 * outcome with sync_state().
 */
struct sync_worker;
struct sync_worker	*sync_worker_start(const char *path, const char *url,
			     int interval);
void			 sync_worker_kick(struct sync_worker *w);
/* Stop after the sync in flight, if any; frees the worker. */
void			 sync_worker_stop(struct sync_worker *w);

/* Who acknowledges a conflict whose outcome held on the backend anyway. */
#define SYNC_SELF_ACK	"(sync)"

/* An operation the backend refused (the conflict table). */
struct conflict {
	char		 op_id[UUID_LEN];
	char		 kind[32];
	char		 account[LOGIN_LEN];
	char		*payload;		/* JSON text, owned */
	char		 error[32];		/* the refusal's code */
	char		 message[512];
	int64_t		 at;		/* when the backend refused it */
	int64_t		 made_at;	/* when it was done at the desk */
	/* JSON: {"desk": {id: the booking as the desk had it},
	 *  "backend": {id: the backend's instead, or null}} */
	char		*detail;
	char		 acknowledged_by[LOGIN_LEN];	/* "" while open */
};

/* The open conflicts (or all), oldest first; free with sync_conflicts_free.
 * op_id (may be NULL) keeps only that operation's. */
enum gerr	 sync_conflicts(struct store *s, int all, const char *op_id,
		     struct conflict **out, size_t *n);
void		 sync_conflicts_free(struct conflict *c, size_t n);

/* Acknowledge a conflict (staff have called the patron back). */
enum gerr	 sync_acknowledge(struct store *s, const char *op_id,
		     const char *who, struct gerror *err);

#endif
