/*
 * libFuzzer target for what a desk reads from its backend: a page of
 * changes, {"changes": [{"entity", "data"}...], "last": N}, parsed with
 * jansson and applied to a demo replica by replica_apply(), as a pull or
 * a snapshot would, on the demo (fuzz_db.h). Invariants: replica_apply returns a known
 * code, a refusal says why and leaves the replica as it was (one
 * transaction), and the database still passes SQLite's integrity check.
 */
#include "config.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_db.h"
#include "replica.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct store	*store;

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
		fuzz_fail("quick_check", sqlite3_errmsg(store->db));
	if (sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)
	    sqlite3_column_text(st, 0), "ok") != 0)
		fuzz_fail("quick_check", "the replica is damaged");
	sqlite3_finalize(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*doc;
	struct gerror	 err;
	int64_t		 before, last;
	enum gerr	 e;

	store = fuzz_db("fuzz_replica");
	store->desk = 1;
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    NULL);
	if (doc == NULL)
		return (0);
	fuzz_db_restore();
	last = json_integer_value(json_object_get(doc, "last"));
	before = fingerprint();
	gerror_clear(&err);
	e = replica_apply(store, json_object_get(doc, "changes"), last, &err);
	if (e >= GERR__COUNT)
		fuzz_fail("replica_apply returned an unknown code", "");
	if (e != GERR_OK) {
		if (err.msg[0] == '\0')
			fuzz_fail("a refusal without a message", gerr_code(e));
		if (fingerprint() != before)
			fuzz_fail("a refused page changed the replica", err.msg);
	}
	integrity();
	json_decref(doc);
	return (0);
}
