/*
 * libFuzzer target for the one door for writes: the input is a JSON
 * document {"kind": ..., "payload": ..., "op_id": ..., "desk": ...} as the
 * server and the sync would receive it, parsed with jansson and handed to
 * op_apply twice, as the super-administrator "admin" and as a patron.
 *
 * On the demo, restored before each input (fuzz_db.h). Invariants: the error is
 * a known code, and a refused operation changes no booking.
 */
#include "config.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_db.h"
#include "ops.h"
#include "rights.h"
#include "store.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct store	*store;
static struct account	*admin, *patron;

static void
accounts_free(void)
{
	account_free(admin);
	account_free(patron);
}

static void
setup(void)
{
	if (store != NULL)
		return;
	store = fuzz_db("fuzz_ops");
	if (account_load(store, "admin", &admin) != GERR_OK)
		fuzz_fail("account_load", "admin");
	patron = account_actor(ACTOR_PATRON, "patron");
	atexit(accounts_free);
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
		fuzz_fail("counting bookings", sqlite3_errmsg(store->db));
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
		fuzz_fail("op_apply returned an unknown code", kind);
	/* FUZZ_VERBOSE=1 tells what each seed does: is it reaching deep? */
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "fuzz_ops: %s as %s: %s%s%s\n", kind, a->login,
		    gerr_code(e), e != GERR_OK ? ": " : "",
		    e != GERR_OK ? err.msg : "");
	if (e != GERR_OK) {
		if (err.msg[0] == '\0')
			fuzz_fail("a refusal without a message", gerr_code(e));
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
	fuzz_db_restore();
	store->desk = json_is_true(json_object_get(doc, "desk"));
	apply(admin, op_id, kind, payload);
	apply(patron, op_id, kind, payload);
	json_decref(doc);
	return (0);
}
