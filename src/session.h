/*
 * The server's sessions, login throttle, patrons' write budget and
 * idempotency keys, in the central database (tables of migration 2 and
 * MIGRATION_3_SERVER). guichetd calls these; the SQL stays in the core.
 *
 * A token is 32 random bytes in hex; the database keeps only its BLAKE2b
 * hash, so a copy of the database gives no live token.
 *
 * Logins are throttled per (account, address) pair with a delay that
 * grows with the failures, not with a lock: a stranger's failures never
 * keep an account's owner out from another address. An attempt is counted
 * before its password is checked (in the same transaction as the check of
 * the delay), so concurrent attempts cannot pass the limit together; a
 * success takes its own count back.
 */
#ifndef GUICHET_SESSION_H
#define GUICHET_SESSION_H

#include <jansson.h>
#include <stdint.h>

#include "domain.h"
#include "store.h"

#define SESSION_TOKEN_LEN	65	/* 32 bytes in hex, and NUL */
#define SESSION_FREE_FAILURES	5	/* a pair's failures without delay */
#define SESSION_ADDRESS_FREE	50	/* an address's, over all accounts */
#define SESSION_DELAY_MAX	900	/* seconds: the longest delay */
#define SESSION_WINDOW		3600	/* seconds failures are remembered */
/* One's own password is changed by a session opened with the current one
 * this recently (seconds): a token alone, stolen, is not enough. */
#define SESSION_FRESH		300
#define SESSION_PATRON_WINDOW	3600	/* seconds */
#define SESSION_PATRON_MAX	60	/* a patron address's writes a window */

/* A new session of login for hours: the token in clear (for the client
 * only) and when it ends. */
enum gerr	 session_open(struct store *s, const char *login, int hours,
		     char token[SESSION_TOKEN_LEN], int64_t *expires,
		     struct gerror *err);
/* The login of a live token and when it was opened: GERR_OK,
 * GERR_BAD_LOGIN, or GERR_STORAGE. */
enum gerr	 session_find(struct store *s, const char *token,
		     char login[LOGIN_LEN], int64_t *created);
/* End one session. */
enum gerr	 session_end(struct store *s, const char *token);
/* The hash a token is kept as (struct account's session). */
void		 session_digest(const char *token, char out[SESSION_TOKEN_LEN]);
/* End every session of an account but the one of a token's hash (NULL or
 * "": all of them). */
enum gerr	 session_end_others(struct store *s, const char *login,
		     const char *keep);

/* Before checking a password: 0 when the attempt may go on (it is then
 * counted as a failure), or the seconds to wait (nothing counted), or -1
 * when the database cannot say. */
int64_t		 session_attempt(struct store *s, const char *login,
		     const char *addr);
/* The password was right: the pair's failures are forgotten and the
 * address's last count taken back. */
void		 session_attempt_ok(struct store *s, const char *login,
		     const char *addr);
/* A patron's write from an address: 0 when it has written too often. */
int		 session_patron_allowed(struct store *s, const char *addr);
/* The same in two halves: whether the address has written too often (a
 * read), and counting one more write (guichetd's writer does it in its
 * batch, so that no request worker waits for the write lock). */
int		 session_patron_throttled(struct store *s, const char *addr);
void		 session_patron_count(struct store *s, const char *addr);
/* Forget old attempts and dead sessions (the sweeper, daily). */
void		 session_prune(struct store *s);

/*
 * An Idempotency-Key of a caller ("account:LOGIN" or "patron:ADDRESS")
 * for a payload: the operation id it stands for, into op_id. The first
 * use binds the key to the payload; a later use with another payload is
 * GERR_IDEMPOTENCY (422), so a key is never a way to read another
 * caller's result nor to get the result of another request.
 */
enum gerr	 session_idempotent(struct store *s, const char *caller,
		     const char *key, const json_t *payload,
		     char op_id[UUID_LEN], struct gerror *err);

#endif
