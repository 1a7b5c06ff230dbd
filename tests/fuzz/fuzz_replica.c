/*
 * libFuzzer target for what a desk reads from its backend: a page of
 * changes, {"changes": [{"entity", "data"}...], "last": N}, parsed with
 * jansson and applied to a demo replica by replica_apply(), as a pull or
 * a snapshot would. The demo database is made once and restored from
 * memory before each input. Invariants: replica_apply returns a known
 * code, a refusal says why and leaves the replica as it was (one
 * transaction), and the database still passes SQLite's integrity check.
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
#include "replica.h"
#include "store.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_NOW	1795684560	/* 2026-11-26T10:16:00+01:00 */

static char		 dir[64], dbpath[96];
static struct store	*store;
static sqlite3		*pristine;

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_replica: %s: %s\n", what, detail);
	abort();
}

static void
cleanup(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char		 path[128];
	size_t		 i;

	store_close(store);
	sqlite3_close(pristine);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(path, sizeof path, "%s%s", dbpath, suffix[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void
copy_db(sqlite3 *from, sqlite3 *to)
{
	sqlite3_backup	*b;

	if ((b = sqlite3_backup_init(to, "main", from, "main")) == NULL ||
	    sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		fail("backup", sqlite3_errmsg(to));
}

static void
setup(void)
{
	struct gerror	err;

	if (store != NULL)
		return;
	clock_set(FUZZ_NOW);
	snprintf(dir, sizeof dir, "/tmp/guichet-fuzz-replica.XXXXXX");
	if (mkdtemp(dir) == NULL)
		fail("mkdtemp", dir);
	snprintf(dbpath, sizeof dbpath, "%s/replica.db", dir);
	atexit(cleanup);
	if (store_open(dbpath, STORE_CREATE, &store, &err) != GERR_OK ||
	    demo_load(store, &err) != GERR_OK)
		fail("demo", err.msg);
	store->desk = 1;
	if (sqlite3_open(":memory:", &pristine) != SQLITE_OK)
		fail("sqlite3_open", ":memory:");
	copy_db(store->db, pristine);
}

/* A fingerprint of what a refused page must not have touched. */
static int64_t
fingerprint(void)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	st = store_stmt(store, "SELECT (SELECT total(version) + count(*) FROM "
	    "booking) + (SELECT count(*) FROM message) * 1000003 + (SELECT "
	    "count(*) FROM hours_date) * 7919 + (SELECT total(capacity) FROM "
	    "resource) * 31");
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (v);
}

static void
integrity(void)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(store->db, "PRAGMA quick_check", -1, &st,
	    NULL) != SQLITE_OK)
		fail("quick_check", sqlite3_errmsg(store->db));
	if (sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)
	    sqlite3_column_text(st, 0), "ok") != 0)
		fail("quick_check", "the replica is damaged");
	sqlite3_finalize(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*doc;
	struct gerror	 err;
	int64_t		 before, last;
	enum gerr	 e;

	setup();
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    NULL);
	if (doc == NULL)
		return (0);
	copy_db(pristine, store->db);
	last = json_integer_value(json_object_get(doc, "last"));
	before = fingerprint();
	gerror_clear(&err);
	e = replica_apply(store, json_object_get(doc, "changes"), last, &err);
	if (e >= GERR__COUNT)
		fail("replica_apply returned an unknown code", "");
	if (e != GERR_OK) {
		if (err.msg[0] == '\0')
			fail("a refusal without a message", gerr_code(e));
		if (fingerprint() != before)
			fail("a refused page changed the replica", err.msg);
	}
	integrity();
	json_decref(doc);
	return (0);
}
