/* The server's sessions, login throttle and idempotency keys: session.h. */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "rights.h"
#include "session.h"

_Static_assert(ACCOUNT_SESSION_LEN == SESSION_TOKEN_LEN,
    "struct account keeps a session's hash");

/* The hash of a token, in hex, as stored. */
void
session_digest(const char *token, char out[SESSION_TOKEN_LEN])
{
	unsigned char	h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(out, SESSION_TOKEN_LEN, h, sizeof h);
}

enum gerr
session_open(struct store *s, const char *login, int hours,
    char token[SESSION_TOKEN_LEN], int64_t *expires, struct gerror *err)
{
	unsigned char	 raw[32];
	char		 hash[SESSION_TOKEN_LEN];
	sqlite3_stmt	*st;
	int64_t		 now = clock_now();

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, SESSION_TOKEN_LEN, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	session_digest(token, hash);
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
session_find(struct store *s, const char *token, char login[LOGIN_LEN],
    int64_t *created)
{
	char		 hash[SESSION_TOKEN_LEN];
	sqlite3_stmt	*st;
	int		 rc;

	login[0] = '\0';
	session_digest(token, hash);
	*created = 0;
	st = store_stmt(s, "SELECT account, created FROM session_token WHERE "
	    "token_hash = ? AND expires > ?");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, clock_now());
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(login, LOGIN_LEN, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		*created = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return (GERR_BAD_LOGIN);
	if (rc != SQLITE_ROW)
		return (GERR_STORAGE);
	return (GERR_OK);
}

enum gerr
session_end(struct store *s, const char *token)
{
	char		 hash[SESSION_TOKEN_LEN];
	sqlite3_stmt	*st;

	session_digest(token, hash);
	st = store_stmt(s, "DELETE FROM session_token WHERE token_hash = ?");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	if (store_step_done(st) != SQLITE_DONE)
		return (GERR_STORAGE);
	return (GERR_OK);
}

enum gerr
session_end_others(struct store *s, const char *login, const char *keep)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "DELETE FROM session_token WHERE account = ? AND "
	    "token_hash <> ?");
	sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, keep != NULL ? keep : "", -1,
	    SQLITE_TRANSIENT);
	if (store_step_done(st) != SQLITE_DONE)
		return (GERR_STORAGE);
	return (GERR_OK);
}

/* Failures of a key over the window, and the instant of the last. */
static int
failures(struct store *s, const char *key, int64_t since, int64_t *last)
{
	sqlite3_stmt	*st;
	int		 n = 0;

	*last = 0;
	st = store_stmt(s, "SELECT count(*), max(at) FROM login_attempt "
	    "WHERE key = ? AND at > ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, since);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int(st, 0);
		*last = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return (n);
}

static int
count_one(struct store *s, const char *key, int64_t now)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "INSERT INTO login_attempt (key, at) "
	    "VALUES (?, ?)");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	return (store_step_done(st) == SQLITE_DONE ? 0 : -1);
}

/* The seconds still to wait after n failures, the last at last. */
static int64_t
delay(int n, int free, int64_t last, int64_t now)
{
	int64_t	d;

	if (n < free)
		return (0);
	d = n - free >= 10 ? SESSION_DELAY_MAX : (int64_t)1 << (n - free);
	if (d > SESSION_DELAY_MAX)
		d = SESSION_DELAY_MAX;
	return (last + d > now ? last + d - now : 0);
}

int64_t
session_attempt(struct store *s, const char *login, const char *addr)
{
	char	pair[256], akey[128];
	int64_t	now = clock_now(), since = now - SESSION_WINDOW, last, w, wa;
	int	n;

	snprintf(pair, sizeof pair, "pair:%s|%s", login, addr);
	snprintf(akey, sizeof akey, "address:%s", addr);
	/* The check and the count in one write transaction: two attempts at
	 * once cannot both see the count before the other's. */
	if (store_begin(s, NULL) != GERR_OK)
		return (-1);
	n = failures(s, pair, since, &last);
	w = delay(n, SESSION_FREE_FAILURES, last, now);
	n = failures(s, akey, since, &last);
	wa = delay(n, SESSION_ADDRESS_FREE, last, now);
	if (wa > w)
		w = wa;
	if (w > 0) {
		store_rollback(s);
		return (w);
	}
	if (count_one(s, pair, now) != 0 || count_one(s, akey, now) != 0 ||
	    store_commit(s, NULL) != GERR_OK) {
		store_rollback(s);
		return (-1);
	}
	return (0);
}

void
session_attempt_ok(struct store *s, const char *login, const char *addr)
{
	char		 key[256];
	sqlite3_stmt	*st;

	snprintf(key, sizeof key, "pair:%s|%s", login, addr);
	st = store_stmt(s, "DELETE FROM login_attempt WHERE key = ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	store_step_done(st);
	snprintf(key, sizeof key, "address:%s", addr);
	st = store_stmt(s, "DELETE FROM login_attempt WHERE id = (SELECT "
	    "max(id) FROM login_attempt WHERE key = ?)");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	store_step_done(st);
}

int
session_patron_throttled(struct store *s, const char *addr)
{
	char	key[128];
	int64_t	last;

	snprintf(key, sizeof key, "patron:%s", addr);
	return (failures(s, key, clock_now() - SESSION_PATRON_WINDOW, &last) >=
	    SESSION_PATRON_MAX);
}

void
session_patron_count(struct store *s, const char *addr)
{
	char	key[128];

	snprintf(key, sizeof key, "patron:%s", addr);
	if (count_one(s, key, clock_now()) != 0)
		fprintf(stderr, "guichetd: cannot count a patron's write: %s\n",
		    store_errmsg(s));
}

int
session_patron_allowed(struct store *s, const char *addr)
{
	/* Patrons write without a login: an address gets so many writes an
	 * hour, so that no one holds every room with throwaway addresses
	 * nor tries every check-in code. */
	if (session_patron_throttled(s, addr))
		return (0);
	session_patron_count(s, addr);
	return (1);
}

void
session_prune(struct store *s)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, "DELETE FROM login_attempt WHERE at < ?");
	sqlite3_bind_int64(st, 1, clock_now() - 86400);
	store_step_done(st);
	st = store_stmt(s, "DELETE FROM session_token WHERE expires < ?");
	sqlite3_bind_int64(st, 1, clock_now());
	store_step_done(st);
}

/* Sixteen bytes of a hash as a UUID (version 8: made by us). */
static void
uuid_of(const unsigned char h[16], char out[UUID_LEN])
{
	unsigned char	b[16];

	memcpy(b, h, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x80);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, UUID_LEN, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
	    b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
	    b[14], b[15]);
}

enum gerr
session_idempotent(struct store *s, const char *caller, const char *key,
    const json_t *payload, char op_id[UUID_LEN], struct gerror *err)
{
	crypto_generichash_state	 hs;
	unsigned char			 h[32];
	char				 ph[65], *text, *known = NULL;
	sqlite3_stmt			*st;
	enum gerr			 e;

	/* The operation's id: the caller and the key, never the key alone. */
	crypto_generichash_init(&hs, NULL, 0, 16);
	crypto_generichash_update(&hs, (const unsigned char *)caller,
	    strlen(caller) + 1);
	crypto_generichash_update(&hs, (const unsigned char *)key,
	    strlen(key));
	crypto_generichash_final(&hs, h, 16);
	uuid_of(h, op_id);

	text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		return (gerror_set(err, GERR_BAD_REQUEST, "the body cannot be "
		    "read as JSON"));
	crypto_generichash(h, 32, (const unsigned char *)text, strlen(text),
	    NULL, 0);
	free(text);
	sodium_bin2hex(ph, sizeof ph, h, 32);

	if ((e = store_begin(s, err)) != GERR_OK)
		return (e);
	st = store_stmt(s, "INSERT OR IGNORE INTO idempotency_key (op_id, "
	    "payload_hash, at) VALUES (?, ?, ?)");
	sqlite3_bind_text(st, 1, op_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, ph, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, clock_now());
	if (store_step_done(st) != SQLITE_DONE) {
		e = store_error(s, err, "keeping the Idempotency-Key");
		store_rollback(s);
		return (e);
	}
	known = store_lookup(s, "SELECT payload_hash FROM idempotency_key "
	    "WHERE op_id = ?", op_id);
	if ((e = store_commit(s, err)) != GERR_OK) {
		free(known);
		store_rollback(s);
		return (e);
	}
	if (known == NULL || strcmp(known, ph) != 0) {
		free(known);
		return (gerror_set(err, GERR_IDEMPOTENCY, "this Idempotency-Key "
		    "was used with another request: make a new key for a new "
		    "request"));
	}
	free(known);
	return (GERR_OK);
}
