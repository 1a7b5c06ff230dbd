/* The demo database of a fuzz target: see fuzz_db.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "fuzz_db.h"

static const char	*target = "fuzz";
static char		 dir[64], dbpath[96];
static struct store	*store;
static sqlite3		*pristine;

void
fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "%s: %s: %s\n", target, what, detail);
	abort();
}

static void
cleanup(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
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

/* Copy a whole database from one connection to another. */
static void
copy_db(sqlite3 *from, sqlite3 *to)
{
	sqlite3_backup	*b;

	if ((b = sqlite3_backup_init(to, "main", from, "main")) == NULL ||
	    sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		fuzz_fail("backup", sqlite3_errmsg(to));
}

struct store *
fuzz_db(const char *name)
{
	struct gerror	err;

	if (store != NULL)
		return (store);
	target = name;
	clock_set(FUZZ_NOW);
	snprintf(dir, sizeof dir, "/tmp/guichet-%s.XXXXXX", name);
	if (mkdtemp(dir) == NULL)
		fuzz_fail("mkdtemp", dir);
	snprintf(dbpath, sizeof dbpath, "%s/demo.db", dir);
	atexit(cleanup);
	if (store_open(dbpath, STORE_CREATE, &store, &err) != GERR_OK ||
	    demo_load(store, &err) != GERR_OK)
		fuzz_fail("demo", err.msg);
	if (sqlite3_open(":memory:", &pristine) != SQLITE_OK)
		fuzz_fail("sqlite3_open", ":memory:");
	copy_db(store->db, pristine);
	return (store);
}

void
fuzz_db_restore(void)
{
	copy_db(pristine, store->db);
}
