/*
 * The SQLite store. Each connection gets foreign keys, a busy timeout and
 * WAL; the schema is migrated forward inside BEGIN IMMEDIATE so a migration
 * is all or nothing (user_version is transactional).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "store.h"
#include "xmalloc.h"

extern const char	schema_sql[];	/* data/schema.sql, generated */

struct store_stmt {
	const char		*sql;
	sqlite3_stmt		*stmt;
	struct store_stmt	*next;
};

/*
 * Migration 2: the server's sessions (bearer tokens, stored as their
 * BLAKE2b hash, never in clear) and failed login attempts for its rate
 * limits. A desk database carries the tables too and leaves them empty.
 */
static const char migration_2[] =
    "CREATE TABLE session_token ("
    "	token_hash	TEXT PRIMARY KEY,"
    "	account		TEXT NOT NULL,"
    "	created		INTEGER NOT NULL,"
    "	expires		INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX session_token_expires ON session_token (expires);"
    "CREATE TABLE login_attempt ("
    "	id		INTEGER PRIMARY KEY,"
    "	key		TEXT NOT NULL,"	/* "account:LOGIN" or "address:IP" */
    "	at		INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX login_attempt_key ON login_attempt (key, at);";

/*
 * Migration 3: one migration for the changes of one round of work, written
 * as one part per subject so that they read (and merge) apart: sync and
 * offline (R15), the charter (R5, R6, R13, P5, P7, P9), the patrons' pages
 * and QR codes, the server's hardening, durable writes.
 */
#define MIGRATION_3_SYNC	""
#define MIGRATION_3_CHARTER	""
#define MIGRATION_3_STAFF	""
#define MIGRATION_3_PAGES	""
/* guichetd: an Idempotency-Key is bound to its caller's payload (session.c). */
#define MIGRATION_3_SERVER \
    "CREATE TABLE IF NOT EXISTS idempotency_key (" \
    "	op_id		TEXT PRIMARY KEY," \
    "	payload_hash	TEXT NOT NULL," \
    "	at		INTEGER NOT NULL" \
    ") STRICT;"
#define MIGRATION_3_DURABLE	""
static const char migration_3[] = MIGRATION_3_SYNC MIGRATION_3_CHARTER
    MIGRATION_3_STAFF MIGRATION_3_PAGES MIGRATION_3_SERVER
    MIGRATION_3_DURABLE;

/* Forward migrations: entry i moves user_version from i to i + 1. */
static const char *const migrations[STORE_VERSION] = {
	schema_sql,
	migration_2,
	migration_3,
};

static enum gerr
describe(struct store *s, struct gerror *err, int rc, const char *what)
{
	const char	*path = s->path;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return (gerror_set(err, GERR_STORAGE, _("%s: the database %s is "
		    "locked by another program: try again in a moment"), what,
		    path));
	case SQLITE_READONLY:
		return (gerror_set(err, GERR_STORAGE, _("%s: the database %s is "
		    "read-only: check the permissions of the file and of its "
		    "folder"), what, path));
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return (gerror_set(err, GERR_STORAGE, _("%s: %s is not a guichet "
		    "database or is damaged: restore it from a backup"), what,
		    path));
	case SQLITE_CANTOPEN:
		return (gerror_set(err, GERR_STORAGE, _("%s: cannot open %s: "
		    "check that its folder exists and is writable"), what,
		    path));
	case SQLITE_FULL:
		return (gerror_set(err, GERR_STORAGE, _("%s: the disk holding %s "
		    "is full"), what, path));
	default:
		return (gerror_set(err, GERR_STORAGE, _("%s: %s: %s"), what, path,
		    s->db != NULL ? sqlite3_errmsg(s->db) :
		    sqlite3_errstr(rc)));
	}
}

enum gerr
store_error(struct store *s, struct gerror *err, const char *what)
{
	return (describe(s, err, sqlite3_extended_errcode(s->db), what));
}

static int
exec(struct store *s, const char *sql)
{
	return (sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

static enum gerr
migrate(struct store *s, int create, struct gerror *err)
{
	sqlite3_stmt	*st;
	int		 version, rc;
	char		 sql[64];

	if ((rc = exec(s, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return (describe(s, err, rc, _("opening")));
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		goto fail;
	}
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);

	if (version > STORE_VERSION) {
		exec(s, "ROLLBACK");
		return (gerror_set(err, GERR_STORAGE, _("%s has schema version "
		    "%d, newer than this guichet (%d): upgrade guichet"),
		    s->path, version, STORE_VERSION));
	}
	if (version == 0 && !create) {
		exec(s, "ROLLBACK");
		return (gerror_set(err, GERR_STORAGE, _("%s is not a guichet "
		    "database: create one with 'guichet init'"), s->path));
	}
	for (; version < STORE_VERSION; version++) {
		if (exec(s, migrations[version]) != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		    version + 1);
		if (exec(s, sql) != SQLITE_OK)
			goto fail;
	}
	if ((rc = exec(s, "COMMIT")) != SQLITE_OK) {
		exec(s, "ROLLBACK");
		return (describe(s, err, rc, _("migrating")));
	}
	return (GERR_OK);

fail:
	rc = sqlite3_extended_errcode(s->db);
	describe(s, err, rc, _("opening"));
	exec(s, "ROLLBACK");
	return (GERR_STORAGE);
}

enum gerr
store_open(const char *path, int flags, struct store **out,
    struct gerror *err)
{
	struct store	*s;
	struct stat	 sb;
	int		 oflags, rc;

	*out = NULL;
	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
		return (gerror_set(err, GERR_STORAGE, _("no database at %s: "
		    "create it with 'guichet init' (or 'guichet init --demo')"),
		    path));
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	if (flags & STORE_READONLY)
		oflags = SQLITE_OPEN_READONLY;
	else {
		oflags = SQLITE_OPEN_READWRITE;
		if (flags & STORE_CREATE)
			oflags |= SQLITE_OPEN_CREATE;
	}
	oflags |= SQLITE_OPEN_NOMUTEX;
	if ((rc = sqlite3_open_v2(path, &s->db, oflags, NULL)) != SQLITE_OK) {
		describe(s, err, rc, _("opening"));
		store_close(s);
		return (GERR_STORAGE);
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	if ((rc = exec(s, "PRAGMA foreign_keys = ON")) != SQLITE_OK) {
		describe(s, err, rc, _("opening"));
		store_close(s);
		return (GERR_STORAGE);
	}
	if (!(flags & STORE_READONLY)) {
		/* WAL is remembered by the file; it cannot change in a
		 * transaction, so set it before migrating. */
		if ((rc = exec(s, "PRAGMA journal_mode = WAL")) != SQLITE_OK ||
		    migrate(s, flags & STORE_CREATE, err) != GERR_OK) {
			if (rc != SQLITE_OK)
				describe(s, err, rc, _("opening"));
			store_close(s);
			return (GERR_STORAGE);
		}
	}
	exec(s, "PRAGMA synchronous = NORMAL");
	*out = s;
	return (GERR_OK);
}

void
store_close(struct store *s)
{
	struct store_stmt	*c, *next;

	if (s == NULL)
		return;
	for (c = s->stmts; c != NULL; c = next) {
		next = c->next;
		sqlite3_finalize(c->stmt);
		free(c);
	}
	if (s->db != NULL)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

enum gerr
store_begin(struct store *s, struct gerror *err)
{
	int	rc;

	if ((rc = exec(s, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return (describe(s, err, rc, _("starting a transaction")));
	return (GERR_OK);
}

enum gerr
store_begin_read(struct store *s, struct gerror *err)
{
	int	rc;

	if ((rc = exec(s, "BEGIN")) != SQLITE_OK)
		return (describe(s, err, rc, _("reading")));
	return (GERR_OK);
}

enum gerr
store_commit(struct store *s, struct gerror *err)
{
	int	rc;

	if ((rc = exec(s, "COMMIT")) != SQLITE_OK) {
		describe(s, err, rc, _("saving"));
		exec(s, "ROLLBACK");
		return (GERR_STORAGE);
	}
	return (GERR_OK);
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		exec(s, "ROLLBACK");
}

sqlite3_stmt *
store_stmt(struct store *s, const char *sql)
{
	struct store_stmt	*c;

	for (c = s->stmts; c != NULL; c = c->next) {
		if (c->sql == sql || strcmp(c->sql, sql) == 0) {
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			return (c->stmt);
		}
	}
	c = xcalloc(1, sizeof *c);
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmt, NULL) != SQLITE_OK)
		fatalx("store_stmt: %s: %s", sqlite3_errmsg(s->db), sql);
	c->sql = sql;
	c->next = s->stmts;
	s->stmts = c;
	return (c->stmt);
}

int
store_step_done(sqlite3_stmt *st)
{
	int	rc = sqlite3_step(st);

	sqlite3_reset(st);
	return (rc);
}

void
store_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id != 0)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

void
store_bind_text(sqlite3_stmt *st, int i, const char *text)
{
	sqlite3_bind_text(st, i, text != NULL ? text : "", -1,
	    SQLITE_TRANSIENT);
}

char *
store_lookup(struct store *s, const char *sql, const char *key)
{
	sqlite3_stmt	*st;
	char		*v = NULL;

	st = store_stmt(s, sql);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return (v);
}

int64_t
store_data_version(struct store *s)
{
	sqlite3_stmt	*st = store_stmt(s, "PRAGMA data_version");
	int64_t		 v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (v);
}

char *
store_setting(struct store *s, const char *key)
{
	return (store_lookup(s, "SELECT value FROM setting WHERE key = ?",
	    key));
}

int64_t
store_setting_int(struct store *s, const char *key, int64_t def)
{
	char		*v = store_setting(s, key), *end;
	long long	 n;

	if (v == NULL)
		return (def);
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0')
		n = def;
	free(v);
	return ((int64_t)n);
}
