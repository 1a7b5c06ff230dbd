/*
 * libFuzzer target for the one door for writes: the input is a JSON
 * document {"kind": ..., "payload": ..., "op_id": ..., "desk": ...} as the
 * server and the sync would receive it, parsed with jansson and handed to
 * op_apply twice, as the super-administrator "admin" and as a patron.
 *
 * The demo database is made once in a temporary folder with a fixed clock;
 * it is copied to memory and restored before each input, so every input
 * starts from the same data and a crash replays. Invariants: the error is
 * a known code, and a refused operation changes no booking.
 */
#include "config.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "ops.h"
#include "rights.h"
#include "store.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The clock of the CLI tests: 2026-11-26T10:16:00+01:00. */
#define FUZZ_NOW	1795684560

static char		 dir[64], dbpath[96];
static struct store	*store;
static sqlite3		*pristine;
static struct account	*admin, *patron;

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ops: %s: %s\n", what, detail);
	abort();
}

static void
cleanup(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char		 path[128];
	size_t		 i;

	if (store != NULL)
		store_close(store);
	if (pristine != NULL)
		sqlite3_close(pristine);
	account_free(admin);
	account_free(patron);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(path, sizeof path, "%s%s", dbpath, suffix[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* Copy a whole database from one connection to another. */
static void
copy_db(sqlite3 *from, sqlite3 *to)
{
	sqlite3_backup	*b;

	if ((b = sqlite3_backup_init(to, "main", from, "main")) == NULL)
		fail("backup", sqlite3_errmsg(to));
	if (sqlite3_backup_step(b, -1) != SQLITE_DONE)
		fail("backup step", sqlite3_errmsg(to));
	if (sqlite3_backup_finish(b) != SQLITE_OK)
		fail("backup finish", sqlite3_errmsg(to));
}

static void
setup(void)
{
	struct gerror	err;

	if (store != NULL)
		return;
	clock_set(FUZZ_NOW);
	snprintf(dir, sizeof dir, "/tmp/guichet-fuzz-ops.XXXXXX");
	if (mkdtemp(dir) == NULL)
		fail("mkdtemp", dir);
	snprintf(dbpath, sizeof dbpath, "%s/demo.db", dir);
	atexit(cleanup);
	if (store_open(dbpath, STORE_CREATE, &store, &err) != GERR_OK)
		fail("store_open", err.msg);
	if (demo_load(store, &err) != GERR_OK)
		fail("demo_load", err.msg);
	if (account_load(store, "admin", &admin) != GERR_OK)
		fail("account_load", "admin");
	patron = account_actor(ACTOR_PATRON, "patron");
	if (sqlite3_open(":memory:", &pristine) != SQLITE_OK)
		fail("sqlite3_open", ":memory:");
	copy_db(store->db, pristine);
}

/* A fingerprint of the booking table: any change to a booking moves it. */
static void
bookings(char *buf, size_t len)
{
	sqlite3_stmt	*st;

	st = store_stmt(store, "SELECT count(*), total(version), total(start),"
	    " total(end), total(places), total(length(status) * start), "
	    "total(length(email)) FROM booking");
	if (sqlite3_step(st) != SQLITE_ROW)
		fail("counting bookings", sqlite3_errmsg(store->db));
	snprintf(buf, len, "%lld %.0f %.0f %.0f %.0f %.0f %.0f",
	    (long long)sqlite3_column_int64(st, 0),
	    sqlite3_column_double(st, 1), sqlite3_column_double(st, 2),
	    sqlite3_column_double(st, 3), sqlite3_column_double(st, 4),
	    sqlite3_column_double(st, 5), sqlite3_column_double(st, 6));
	sqlite3_reset(st);
}

static void
apply(const struct account *a, const char *op_id, const char *kind,
    json_t *payload)
{
	char		 before[256], after[256];
	struct gerror	 err;
	json_t		*copy, *result = NULL;
	enum gerr	 e;

	/* op_apply may add to the payload ("id", "ids"): one copy each. */
	copy = json_deep_copy(payload);
	bookings(before, sizeof before);
	e = op_apply(store, a, op_id, kind, copy, &result, &err);
	if (e >= GERR__COUNT)
		fail("op_apply returned an unknown code", kind);
	/* FUZZ_VERBOSE=1 tells what each seed does: is it reaching deep? */
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "fuzz_ops: %s as %s: %s%s%s\n", kind, a->login,
		    gerr_code(e), e != GERR_OK ? ": " : "",
		    e != GERR_OK ? err.msg : "");
	if (e != GERR_OK) {
		if (err.msg[0] == '\0')
			fail("a refusal without a message", gerr_code(e));
		bookings(after, sizeof after);
		if (strcmp(before, after) != 0) {
			fprintf(stderr, "fuzz_ops: %s refused (%s: %s) but "
			    "the bookings changed:\n  %s\n  %s\n", kind,
			    gerr_code(e), err.msg, before, after);
			abort();
		}
	}
	json_decref(result);
	json_decref(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*doc, *payload;
	json_error_t	 jerr;
	const char	*kind, *op_id;

	setup();
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (doc == NULL)
		return (0);
	kind = json_string_value(json_object_get(doc, "kind"));
	payload = json_object_get(doc, "payload");
	op_id = json_string_value(json_object_get(doc, "op_id"));
	if (kind == NULL || payload == NULL) {
		json_decref(doc);
		return (0);
	}
	copy_db(pristine, store->db);
	store->desk = json_is_true(json_object_get(doc, "desk"));
	apply(admin, op_id, kind, payload);
	apply(patron, op_id, kind, payload);
	json_decref(doc);
	return (0);
}
