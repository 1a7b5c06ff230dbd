/*
 * Sessions and login rate limits. A token is 32 random bytes in hex; the
 * database keeps only its BLAKE2b hash (crypto_generichash), so a copy of
 * the database gives no live token. Failed logins are counted per account
 * and per address over a sliding window; above either limit a login is
 * refused with 429 before its password is even checked. argon2id costs
 * 64 MiB a hash: a semaphore bounds how many run at once.
 */
#include "config.h"

#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "server.h"
#include "store.h"

#define AUTH_WINDOW		(15 * 60)	/* seconds */
#define AUTH_MAX_ACCOUNT	5		/* failures a window */
#define AUTH_MAX_ADDRESS	20
#define AUTH_PATRON_WINDOW	3600		/* seconds */
#define AUTH_PATRON_MAX		60		/* patron writes a window */
#define AUTH_HASHES		2		/* concurrent argon2id */

static sem_t	auth_hashes;

int
auth_init(void)
{
	return (sem_init(&auth_hashes, 0, AUTH_HASHES));
}

/* The hash of a token, in hex, as stored. */
static void
digest(const char *token, char out[SERVER_TOKEN_LEN])
{
	unsigned char	h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(out, SERVER_TOKEN_LEN, h, sizeof h);
}

static int
failures(struct store *s, const char *key, int64_t since)
{
	sqlite3_stmt	*st;
	int		 n = 0;

	st = store_stmt(s, "SELECT count(*) FROM login_attempt WHERE "
	    "key = ? AND at > ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return (n);
}

static void
fail_one(struct store *s, const char *key, int64_t now)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "INSERT INTO login_attempt (key, at) "
	    "VALUES (?, ?)");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	if (store_step_done(st) != SQLITE_DONE)
		log_warnx("cannot count a failed login: %s",
		    store_errmsg(s));
}

/* Patrons write without a login: an address gets so many writes an hour,
 * so that no one holds every room with throwaway addresses nor tries
 * every check-in code. */
int
auth_patron_throttled(struct store *s, const char *addr)
{
	char	key[128];

	snprintf(key, sizeof key, "patron:%s", addr);
	return (failures(s, key, clock_now() - AUTH_PATRON_WINDOW) >=
	    AUTH_PATRON_MAX);
}

void
auth_patron_count(struct store *s, const char *addr)
{
	char	key[128];

	snprintf(key, sizeof key, "patron:%s", addr);
	fail_one(s, key, clock_now());
}

int
auth_patron_allowed(struct store *s, const char *addr)
{
	if (auth_patron_throttled(s, addr))
		return (0);
	auth_patron_count(s, addr);
	return (1);
}

void
auth_prune(struct store *s)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "DELETE FROM login_attempt WHERE at < ?");
	sqlite3_bind_int64(st, 1, clock_now() - 86400);
	store_step_done(st);
	st = store_stmt(s, "DELETE FROM session_token WHERE expires < ?");
	sqlite3_bind_int64(st, 1, clock_now());
	store_step_done(st);
}

int
auth_throttled(struct store *s, const char *login, const char *addr)
{
	char	key[128];
	int64_t	since = clock_now() - AUTH_WINDOW;

	snprintf(key, sizeof key, "account:%s", login);
	if (failures(s, key, since) >= AUTH_MAX_ACCOUNT)
		return (1);
	snprintf(key, sizeof key, "address:%s", addr);
	return (failures(s, key, since) >= AUTH_MAX_ADDRESS);
}

void
auth_failed(struct store *s, const char *login, const char *addr)
{
	char	key[128];
	int64_t	now = clock_now();

	snprintf(key, sizeof key, "account:%s", login);
	fail_one(s, key, now);
	snprintf(key, sizeof key, "address:%s", addr);
	fail_one(s, key, now);
}

enum gerr
auth_login(struct store *s, const char *login, const char *password,
    struct account **out, struct gerror *err)
{
	enum gerr	e;

	while (sem_wait(&auth_hashes) != 0)
		continue;	/* EINTR */
	e = account_login(s, login, password, out, err);
	sem_post(&auth_hashes);
	return (e);
}

enum gerr
auth_session_new(struct store *s, const char *login, int hours, char *token,
    int64_t *expires, struct gerror *err)
{
	unsigned char	 raw[32];
	char		 hash[SERVER_TOKEN_LEN];
	sqlite3_stmt	*st;
	int64_t		 now = clock_now();

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, SERVER_TOKEN_LEN, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	digest(token, hash);
	*expires = now + (int64_t)hours * 3600;

	/* Dead sessions go when new ones come. */
	st = store_stmt(s, "DELETE FROM session_token WHERE expires <= ?");
	sqlite3_bind_int64(st, 1, now);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(s, err, "opening a session"));
	st = store_stmt(s, "INSERT INTO session_token (token_hash, account, "
	    "created, expires) VALUES (?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, *expires);
	if (store_step_done(st) != SQLITE_DONE)
		return (store_error(s, err, "opening a session"));
	return (GERR_OK);
}

enum gerr
auth_session_check(struct store *s, const char *token, struct account **out)
{
	char		 hash[SERVER_TOKEN_LEN], login[LOGIN_LEN];
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	digest(token, hash);
	st = store_stmt(s, "SELECT account FROM session_token WHERE "
	    "token_hash = ? AND expires > ?");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, clock_now());
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(login, sizeof login, "%s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return (GERR_BAD_LOGIN);
	if (rc != SQLITE_ROW)
		return (GERR_STORAGE);
	if (account_load(s, login, out) != GERR_OK || !(*out)->enabled) {
		account_free(*out);
		*out = NULL;
		return (GERR_BAD_LOGIN);
	}
	return (GERR_OK);
}

enum gerr
auth_session_end(struct store *s, const char *token)
{
	char		 hash[SERVER_TOKEN_LEN];
	sqlite3_stmt	*st;

	digest(token, hash);
	st = store_stmt(s, "DELETE FROM session_token WHERE token_hash = ?");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	if (store_step_done(st) != SQLITE_DONE)
		return (GERR_STORAGE);
	return (GERR_OK);
}
