/*
 * The demo database of a fuzz target: made once in a temporary folder with
 * a fixed clock, kept in memory, and restored before each input so that
 * every input starts from the same data and a crash replays. Removed at
 * exit.
 */
#ifndef GUICHET_FUZZ_DB_H
#define GUICHET_FUZZ_DB_H

#include "store.h"

/* The clock of the CLI tests: 2026-11-26T10:16:00+01:00. */
#define FUZZ_NOW	1795684560

/* The store, made on the first call (name: for messages and the folder). */
struct store	*fuzz_db(const char *);
/* Back to the demo as it was made. */
void		 fuzz_db_restore(void);
/* Report a broken invariant and abort, so that libFuzzer keeps the input. */
void		 fuzz_fail(const char *, const char *)
		    __attribute__((noreturn));

#endif
