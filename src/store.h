/*
 * The SQLite store: opening (pragmas, migrations), transactions and a cache
 * of prepared statements. Only the core uses it; screens, the command line
 * and the server go through ops.h and query.h.
 */
#ifndef GUICHET_STORE_H
#define GUICHET_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "error.h"

#define STORE_VERSION	5	/* the schema's user_version */

/* Flags for store_open. */
#define STORE_CREATE	0x1	/* create the file and the schema */
#define STORE_READONLY	0x2
#define STORE_DURABLE	0x4	/* synchronous = FULL: a commit is on disk */

struct store_stmt;
struct store_checkpointer;

/*
 * The compiler enforces the door: only the core (src/libguichet.a, built
 * with GUICHET_CORE) and its tests see inside a store. Screens, the
 * command line and the server hold a pointer and go through ops.h,
 * query.h and the functions below.
 */
struct store;

#ifdef GUICHET_CORE
struct store {
	sqlite3			*db;
	char			*path;
	/* A desk with a backend appends each operation to the outbox. */
	int			 desk;
	struct store_stmt	*stmts;	/* cache, owned */
	struct store_stmt	**slots;	/* the cache by SQL address */
	size_t			 nslots;
	/* In a batch (store_batch_begin), and in an operation's savepoint. */
	int			 batch;
	int			 nested;
	struct store_checkpointer *checkpointer;	/* owned, or NULL */
};
#endif

/* The database file's path. */
const char	*store_path(struct store *s);
/* Whether operations go to the outbox too (a desk with a backend). */
int		 store_desk(struct store *s);
void		 store_set_desk(struct store *s, int desk);
/* Whether a transaction is open (SQLite may end one on an I/O error). */
int		 store_in_transaction(struct store *s);
/* SQLite's message for the last error of the connection. */
const char	*store_errmsg(struct store *s);

/* Open (and migrate) the database at path; *out is freed by store_close. */
enum gerr	 store_open(const char *path, int flags, struct store **out,
		    struct gerror *err);
void		 store_close(struct store *s);

/* Write transactions start with BEGIN IMMEDIATE (LIBRARIES.md). */
enum gerr	 store_begin(struct store *s, struct gerror *err);
enum gerr	 store_commit(struct store *s, struct gerror *err);
/* A read transaction: one consistent view that blocks no writer (WAL). */
enum gerr	 store_begin_read(struct store *s, struct gerror *err);
void		 store_rollback(struct store *s);

/*
 * A batch: one BEGIN IMMEDIATE transaction in which store_begin,
 * store_commit and store_rollback take a savepoint, release it or undo it
 * (one operation each, op_apply), until store_batch_commit commits them
 * all at once (with one fsync on a STORE_DURABLE connection) or
 * store_batch_rollback undoes them all.
 */
enum gerr	 store_batch_begin(struct store *s, struct gerror *err);
enum gerr	 store_batch_commit(struct store *s, struct gerror *err);
void		 store_batch_rollback(struct store *s);

/*
 * Checkpoint this connection's WAL from a thread of its own instead of in
 * the commits (the server's writer). Stopped by store_close or
 * store_checkpointer_stop. Returns -1 if the thread cannot start.
 */
int		 store_checkpointer(struct store *s);
void		 store_checkpointer_stop(struct store *s);

/*
 * A cached prepared statement for a SQL text, reset and with its bindings
 * cleared; the cache owns it and finalizes it in store_close. The text
 * must live as long as the store (a literal: it is found by its address).
 * Fatal if the SQL does not compile (a programming error).
 */
sqlite3_stmt	*store_stmt(struct store *s, const char *sql);

/* Turn the last SQLite error into a message for a person. */
enum gerr	 store_error(struct store *s, struct gerror *err,
		    const char *what);

/* Run one statement; returns SQLITE_DONE or the error (reset after). */
int		 store_step_done(sqlite3_stmt *st);

/* Bind a row id, or NULL for 0 (an optional foreign key). */
void		 store_bind_id(sqlite3_stmt *st, int i, int64_t id);
/* Bind a text that may be NULL (bound as ''). */
void		 store_bind_text(sqlite3_stmt *st, int i, const char *text);

/* The text a query with one bound key selects, or NULL; caller frees. */
char		*store_lookup(struct store *s, const char *sql,
		    const char *key);
/* A number that changes when another connection commits (PRAGMA
 * data_version): a cheap "has the data changed under me?". */
int64_t		 store_data_version(struct store *s);
/* Settings: returns a string the caller frees, or NULL. */
char		*store_setting(struct store *s, const char *key);
int64_t		 store_setting_int(struct store *s, const char *key,
		    int64_t def);

#endif
