/*
 * The SQLite store. Each connection gets foreign keys, a busy timeout and
 * WAL; the schema is migrated forward inside BEGIN IMMEDIATE so a migration
 * is all or nothing (user_version is transactional).
 *
 * Durable connections (STORE_DURABLE: the server's, the central SQLite
 * backend's) commit with synchronous = FULL, an fsync of the WAL at each
 * commit; the others with NORMAL, which may lose the last commits (never
 * corrupt) on a power cut. A batch (store_batch_begin) is one transaction
 * in which store_begin and store_commit become a savepoint and its
 * release, so that many operations share one commit and its fsync (group
 * commit, server/writer.c) while a refusal undoes only itself.
 *
 * Checkpoints: a connection may hand them to a thread of its own
 * (store_checkpointer), so that no commit waits for the copy of the WAL
 * into the database and its fsyncs.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
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
 * The cache of prepared statements: a list that owns them, and a table
 * by the address of the SQL text (a literal has one address), so that a
 * statement is found without comparing texts. Texts found by content
 * only (a copy) stay on the list.
 */
#define STORE_SLOTS	256	/* a power of two, above the statements used */

/* WAL pages after which the checkpointer is woken (SQLite's own: 1000). */
#define STORE_CHECKPOINT_PAGES	1000
/* What a WAL file is cut back to after a checkpoint that reset it. */
#define STORE_JOURNAL_LIMIT	"PRAGMA journal_size_limit = 16777216"

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
/* R15: when an operation was made, beside when it was applied; a
 * conflict says when the work was done and what the backend has instead. */
#define MIGRATION_3_SYNC \
	"ALTER TABLE change_log ADD COLUMN made_at INTEGER NOT NULL " \
	"DEFAULT 0;" \
	"ALTER TABLE conflict ADD COLUMN made_at INTEGER NOT NULL " \
	"DEFAULT 0;" \
	"ALTER TABLE conflict ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';"
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

/*
 * Migration 4: the tables every operation writes, rebuilt to write fewer
 * pages a commit (issue 12: 16.6 WAL frames a booking against 7.4 for a
 * bare insert). change_log numbers its rows without AUTOINCREMENT (no
 * sqlite_sequence row to rewrite at each commit): its rows are never
 * deleted, so the next seq is still above every one a pull has seen.
 * patron and op_result are keyed by their text and WITHOUT ROWID (one
 * b-tree each instead of a table and its key's index). An applied
 * result that is a booking's change_log row names it (log_seq) instead
 * of holding its text twice: op_result's rows stay small, as a WITHOUT
 * ROWID table wants them. The rows keep their values, seq included.
 */
static const char migration_4[] =
    "CREATE TABLE change_log_4 ("
    "	seq		INTEGER PRIMARY KEY,"
    "	entity		TEXT NOT NULL,"
    "	entity_id	TEXT NOT NULL,"
    "	op_id		TEXT NOT NULL,"
    "	at		INTEGER NOT NULL,"
    "	data		TEXT NOT NULL,"
    "	made_at		INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "INSERT INTO change_log_4 (seq, entity, entity_id, op_id, at, data, "
    "    made_at) SELECT seq, entity, entity_id, op_id, at, data, made_at "
    "    FROM change_log ORDER BY seq;"
    "DROP TABLE change_log;"
    "ALTER TABLE change_log_4 RENAME TO change_log;"
    "CREATE TABLE patron_4 ("
    "	email		TEXT PRIMARY KEY,"
    "	confirmed	INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1))"
    ") STRICT, WITHOUT ROWID;"
    "INSERT INTO patron_4 (email, confirmed) SELECT email, confirmed "
    "    FROM patron;"
    "DROP TABLE patron;"
    "ALTER TABLE patron_4 RENAME TO patron;"
    "CREATE TABLE op_result_4 ("
    "	op_id		TEXT PRIMARY KEY,"
    "	kind		TEXT NOT NULL,"
    "	account		TEXT NOT NULL DEFAULT '',"
    "	status		TEXT NOT NULL CHECK (status IN ('applied', "
    "	    'rejected')),"
    "	error		TEXT NOT NULL DEFAULT '',"
    "	message		TEXT NOT NULL DEFAULT '',"
    "	result		TEXT NOT NULL DEFAULT '',"
    "	at		INTEGER NOT NULL,"
    "	log_seq		INTEGER NOT NULL DEFAULT 0"
    ") STRICT, WITHOUT ROWID;"
    "INSERT INTO op_result_4 SELECT op_id, kind, account, status, error, "
    "    message, result, at, 0 FROM op_result;"
    "DROP TABLE op_result;"
    "ALTER TABLE op_result_4 RENAME TO op_result;";

/*
 * Migration 5, e-mail: an operation queues what its e-mail is about (the
 * kind, the reason, the booking as it was) and mail_compose writes the
 * subject and body after its commit; a row with an empty body is not
 * written yet. Rows queued before have theirs. The table is rebuilt
 * (not altered) so that the migration holds whatever columns it finds.
 */
#define MIGRATION_5_MAIL \
    "CREATE TABLE mail_5 (" \
    "	id		INTEGER PRIMARY KEY," \
    "	recipient	TEXT NOT NULL," \
    "	subject		TEXT NOT NULL," \
    "	body		TEXT NOT NULL," \
    "	booking_id	TEXT NOT NULL DEFAULT ''," \
    "	created_at	INTEGER NOT NULL," \
    "	sent_at		INTEGER NOT NULL DEFAULT 0," \
    "	attempts	INTEGER NOT NULL DEFAULT 0," \
    "	last_error	TEXT NOT NULL DEFAULT ''," \
    "	kind		INTEGER NOT NULL DEFAULT 0," \
    "	reason		TEXT NOT NULL DEFAULT ''," \
    "	resource_id	INTEGER NOT NULL DEFAULT 0," \
    "	start		INTEGER NOT NULL DEFAULT 0," \
    "	end		INTEGER NOT NULL DEFAULT 0," \
    "	name		TEXT NOT NULL DEFAULT ''," \
    "	changed_by	TEXT NOT NULL DEFAULT ''" \
    ") STRICT;" \
    "INSERT INTO mail_5 (id, recipient, subject, body, booking_id, " \
    "    created_at, sent_at, attempts, last_error) SELECT id, recipient, " \
    "    subject, body, booking_id, created_at, sent_at, attempts, " \
    "    last_error FROM mail ORDER BY id;" \
    "DROP TABLE mail;" \
    "ALTER TABLE mail_5 RENAME TO mail;" \
    "CREATE INDEX mail_unsent ON mail (id) WHERE sent_at = 0;"

/*
 * Migration 5: booking's CHECKs on origin and status written as
 * comparisons. SQLite checks a column against a list of more than two
 * constants with an ephemeral index, built afresh at every INSERT and
 * UPDATE of the row (a temporary b-tree, its pager and page cache): that
 * was a third of a bare booking INSERT (issue 12). The same values pass;
 * the table is rebuilt as SQLite's ALTER TABLE documentation says (no
 * table references booking), its rows, indexes and columns unchanged.
 */
static const char migration_5[] =
    "CREATE TABLE booking_5 ("
    "	id		TEXT PRIMARY KEY,"
    "	resource_id	INTEGER NOT NULL REFERENCES resource(id),"
    "	session_id	INTEGER REFERENCES session(id),"
    "	start		INTEGER NOT NULL,"
    "	end		INTEGER NOT NULL,"
    "	email		TEXT NOT NULL,"
    "	name		TEXT NOT NULL DEFAULT '',"
    "	phone		TEXT NOT NULL DEFAULT '',"
    "	places		INTEGER NOT NULL DEFAULT 1 CHECK (places >= 1),"
    "	origin		TEXT NOT NULL CHECK (origin = 'web' OR "
    "	    origin = 'app' OR origin = 'phone' OR origin = 'walk-in' OR "
    "	    origin = 'desk'),"
    "	status		TEXT NOT NULL CHECK (status = "
    "	    'pending_confirmation' OR status = 'confirmed' OR status = "
    "	    'present' OR status = 'cancelled' OR status = 'no_show' OR "
    "	    status = 'expired'),"
    "	cancel_reason	TEXT NOT NULL DEFAULT '',"
    "	created_by	TEXT NOT NULL DEFAULT '',"
    "	created_at	INTEGER NOT NULL,"
    "	changed_by	TEXT NOT NULL DEFAULT '',"
    "	changed_at	INTEGER NOT NULL,"
    "	version		INTEGER NOT NULL DEFAULT 1,"
    "	CHECK (end > start)"
    ") STRICT;"
    "INSERT INTO booking_5 SELECT id, resource_id, session_id, start, end, "
    "    email, name, phone, places, origin, status, cancel_reason, "
    "    created_by, created_at, changed_by, changed_at, version "
    "    FROM booking ORDER BY rowid;"
    "DROP TABLE booking;"
    "ALTER TABLE booking_5 RENAME TO booking;"
    "CREATE INDEX booking_resource_start ON booking (resource_id, start, "
    "    end, status);"
    "CREATE INDEX booking_email_start ON booking (email, start, end, "
    "    status);"
    "CREATE INDEX booking_start ON booking (start, end, status);"
    "CREATE INDEX booking_live_start ON booking (start)"
    "    WHERE status IN ('pending_confirmation', 'confirmed');"
    "CREATE INDEX booking_session ON booking (session_id)"
    "    WHERE session_id IS NOT NULL;"
    MIGRATION_5_MAIL;

/* Forward migrations: entry i moves user_version from i to i + 1. */
static const char *const migrations[STORE_VERSION] = {
	schema_sql,
	migration_2,
	migration_3,
	migration_4,
	migration_5,
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
		return (gerror_set(err, GERR_STORAGE, _("%s: disk full: the "
		    "disk holding %s has no space left; free some and try "
		    "again"), what, path));
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

/* A statement with no result through the cache: prepared once. */
static int
run(struct store *s, const char *sql)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc);
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
	exec(s, (flags & STORE_DURABLE) ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL");
	exec(s, STORE_JOURNAL_LIMIT);
	*out = s;
	return (GERR_OK);
}

const char *
store_path(struct store *s)
{
	return (s->path);
}

int
store_desk(struct store *s)
{
	return (s->desk);
}

void
store_set_desk(struct store *s, int desk)
{
	s->desk = desk;
}

int
store_in_transaction(struct store *s)
{
	return (!sqlite3_get_autocommit(s->db));
}

const char *
store_errmsg(struct store *s)
{
	return (sqlite3_errmsg(s->db));
}

void
store_close(struct store *s)
{
	struct store_stmt	*c, *next;

	if (s == NULL)
		return;
	store_checkpointer_stop(s);
	for (c = s->stmts; c != NULL; c = next) {
		next = c->next;
		sqlite3_finalize(c->stmt);
		free(c);
	}
	free(s->slots);
	if (s->db != NULL)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

enum gerr
store_begin(struct store *s, struct gerror *err)
{
	int	rc;

	/* In a batch, an operation's transaction is a savepoint of it. */
	if (s->batch) {
		/* Outside its transaction (undone by an I/O error), a
		 * savepoint would start and commit one of its own. */
		if (sqlite3_get_autocommit(s->db))
			return (gerror_set(err, GERR_STORAGE, _("saving: the "
			    "transaction of %s was lost: try again"), s->path));
		if ((rc = run(s, "SAVEPOINT op")) != SQLITE_OK)
			return (describe(s, err, rc, _("starting a transaction")));
		s->nested = 1;
		return (GERR_OK);
	}
	if ((rc = run(s, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return (describe(s, err, rc, _("starting a transaction")));
	return (GERR_OK);
}

enum gerr
store_begin_read(struct store *s, struct gerror *err)
{
	int	rc;

	if (s->batch)
		return (GERR_OK);	/* the batch is a view already */
	if ((rc = run(s, "BEGIN")) != SQLITE_OK)
		return (describe(s, err, rc, _("reading")));
	return (GERR_OK);
}

enum gerr
store_commit(struct store *s, struct gerror *err)
{
	int	rc;

	if (s->batch) {
		if (!s->nested)
			return (GERR_OK);
		s->nested = 0;
		if ((rc = run(s, "RELEASE op")) != SQLITE_OK) {
			describe(s, err, rc, _("saving"));
			s->nested = 1;
			store_rollback(s);
			return (GERR_STORAGE);
		}
		return (GERR_OK);
	}
	if ((rc = run(s, "COMMIT")) != SQLITE_OK) {
		describe(s, err, rc, _("saving"));
		exec(s, "ROLLBACK");
		return (GERR_STORAGE);
	}
	return (GERR_OK);
}

void
store_rollback(struct store *s)
{
	if (s->batch) {
		if (s->nested) {
			run(s, "ROLLBACK TO op");
			run(s, "RELEASE op");
			s->nested = 0;
		}
		return;
	}
	if (!sqlite3_get_autocommit(s->db))
		exec(s, "ROLLBACK");
}

enum gerr
store_batch_begin(struct store *s, struct gerror *err)
{
	int	rc;

	if ((rc = run(s, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return (describe(s, err, rc, _("starting a transaction")));
	s->batch = 1;
	s->nested = 0;
	return (GERR_OK);
}

enum gerr
store_batch_commit(struct store *s, struct gerror *err)
{
	int	rc;

	s->batch = 0;
	s->nested = 0;
	if (sqlite3_get_autocommit(s->db))
		return (gerror_set(err, GERR_STORAGE, _("saving: the "
		    "transaction of %s was lost: try again"), s->path));
	if ((rc = run(s, "COMMIT")) != SQLITE_OK) {
		describe(s, err, rc, _("saving"));
		exec(s, "ROLLBACK");
		return (GERR_STORAGE);
	}
	return (GERR_OK);
}

void
store_batch_rollback(struct store *s)
{
	s->batch = 0;
	s->nested = 0;
	if (!sqlite3_get_autocommit(s->db))
		exec(s, "ROLLBACK");
}

static size_t
slot_of(const char *sql)
{
	uintptr_t	h = (uintptr_t)sql;

	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ULL;
	return ((size_t)(h >> 7) & (STORE_SLOTS - 1));
}

sqlite3_stmt *
store_stmt(struct store *s, const char *sql)
{
	struct store_stmt	*c;
	size_t			 i, n;

	if (s->slots == NULL)
		s->slots = xcalloc(STORE_SLOTS, sizeof *s->slots);
	/* By address first: every call site passes a literal. */
	for (i = slot_of(sql), n = 0; n < STORE_SLOTS; n++,
	    i = (i + 1) & (STORE_SLOTS - 1)) {
		if ((c = s->slots[i]) == NULL)
			break;
		if (c->sql == sql)
			goto found;
	}
	for (c = s->stmts; c != NULL; c = c->next) {
		if (strcmp(c->sql, sql) == 0)
			goto found;
	}
	c = xcalloc(1, sizeof *c);
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmt, NULL) != SQLITE_OK)
		fatalx("store_stmt: %s: %s", sqlite3_errmsg(s->db), sql);
	c->sql = sql;
	c->next = s->stmts;
	s->stmts = c;
	if (s->nslots < STORE_SLOTS / 2) {
		for (i = slot_of(sql); s->slots[i] != NULL;
		    i = (i + 1) & (STORE_SLOTS - 1))
			;
		s->slots[i] = c;
		s->nslots++;
	}
	return (c->stmt);

found:
	/* A statement is reset after use (store_step_done or its caller);
	 * reset it again only if it was left running. */
	if (sqlite3_stmt_busy(c->stmt))
		sqlite3_reset(c->stmt);
	sqlite3_clear_bindings(c->stmt);
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

/*
 * The checkpointer: a thread with its own connection copies the WAL into
 * the database when the committing connection's WAL hook finds it past
 * STORE_CHECKPOINT_PAGES, so that commits do not wait for it. A passive
 * checkpoint never blocks the writer, but under steady writes it may
 * never catch up with the end of the WAL, which then could not start
 * over. So the thread goes again at once while frames are left (a few
 * rounds), and past four times the mark the committing connection
 * copies what is left itself, but only while the thread is idle: then
 * little is left, whereas waiting for the thread's copy in a commit made
 * the p99 of the writes (issue 12: op_apply's p99 4 ms, 0.8 ms
 * without). Past STORE_CHECKPOINT_HARD times the mark it does so
 * whatever the thread does, which bounds the WAL.
 */
#define STORE_CHECKPOINT_HARD	16
#define STORE_CHECKPOINT_ROUNDS	4
struct store_checkpointer {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	int			 pending;
	int			 busy;		/* copying */
	int			 stopping;
	char			*path;
	/* The committing thread's: the WAL's size at the last wake-up. */
	int			 woken_at;
};

static int
wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store_checkpointer	*k = arg;

	/* Smaller than at the last wake-up: the WAL started over. */
	if (pages < k->woken_at)
		k->woken_at = 0;
	/* Once a thousand pages, not at every commit after them. */
	if (pages < k->woken_at + STORE_CHECKPOINT_PAGES)
		return (SQLITE_OK);
	k->woken_at = pages;
	pthread_mutex_lock(&k->lock);
	if (pages >= STORE_CHECKPOINT_HARD * STORE_CHECKPOINT_PAGES ||
	    (pages >= 4 * STORE_CHECKPOINT_PAGES && !k->busy)) {
		pthread_mutex_unlock(&k->lock);
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL);
		return (SQLITE_OK);
	}
	k->pending = 1;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
	return (SQLITE_OK);
}

static void *
checkpointer_main(void *arg)
{
	struct store_checkpointer	*k = arg;
	sqlite3				*db = NULL;
	int				 round, log, done;

	pthread_setname_np(pthread_self(), "checkpointer");
	if (sqlite3_open_v2(k->path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		db = NULL;
	} else {
		sqlite3_exec(db, STORE_JOURNAL_LIMIT, NULL, NULL, NULL);
		/* The WAL's fsync before the copy, the database's after. */
		sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	}
	pthread_mutex_lock(&k->lock);
	for (;;) {
		while (!k->pending && !k->stopping)
			pthread_cond_wait(&k->wake, &k->lock);
		if (k->stopping)
			break;
		k->pending = 0;
		k->busy = 1;
		pthread_mutex_unlock(&k->lock);
		/* Again while frames are left, to come near the end. */
		for (round = 0; db != NULL && round < STORE_CHECKPOINT_ROUNDS;
		    round++) {
			if (sqlite3_wal_checkpoint_v2(db, NULL,
			    SQLITE_CHECKPOINT_PASSIVE, &log, &done) != SQLITE_OK ||
			    done >= log)
				break;
		}
		pthread_mutex_lock(&k->lock);
		k->busy = 0;
	}
	pthread_mutex_unlock(&k->lock);
	sqlite3_close(db);
	return (NULL);
}

int
store_checkpointer(struct store *s)
{
	struct store_checkpointer	*k;

	if (s->checkpointer != NULL)
		return (0);
	k = xcalloc(1, sizeof *k);
	k->path = xstrdup(s->path);
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->wake, NULL);
	if (pthread_create(&k->thread, NULL, checkpointer_main, k) != 0) {
		pthread_mutex_destroy(&k->lock);
		pthread_cond_destroy(&k->wake);
		free(k->path);
		free(k);
		return (-1);
	}
	s->checkpointer = k;
	/* Replaces the automatic checkpoint of this connection. */
	sqlite3_wal_hook(s->db, wal_hook, k);
	return (0);
}

void
store_checkpointer_stop(struct store *s)
{
	struct store_checkpointer	*k = s->checkpointer;

	if (k == NULL)
		return;
	sqlite3_wal_autocheckpoint(s->db, STORE_CHECKPOINT_PAGES);
	pthread_mutex_lock(&k->lock);
	k->stopping = 1;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
	pthread_join(k->thread, NULL);
	pthread_mutex_destroy(&k->lock);
	pthread_cond_destroy(&k->wake);
	free(k->path);
	free(k);
	s->checkpointer = NULL;
}
