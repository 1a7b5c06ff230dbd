/*
 * Replication and sync against the central SQLite backend: a new replica
 * equals the backend; changes flow after the cursor; a refused operation
 * is undone and listed; the background worker pushes on a kick; offline
 * logins only for accounts that logged in on this desk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "replica.h"
#include "sync.h"
#include "xmalloc.h"

static struct store	*rep;
static char		 url[600];
static char		 path[600];

static void
setup(void)
{
	struct gerror	err;

	fx_setup();
	snprintf(url, sizeof url, "sqlite:%s", fx_db_path());
	snprintf(path, sizeof path, "%s.replica", fx_db_path());
	ck_assert_int_eq(store_open(path, STORE_CREATE, &rep, &err), GERR_OK);
	rep->desk = 1;
}

static void
teardown(void)
{
	store_close(rep);
	unlink(path);
	fx_teardown();
}

static int64_t
count(struct store *s, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (n);
}

static void
sync_ok(struct sync_report *r)
{
	struct gerror	err;

	ck_assert_msg(sync_run(rep, url, r, &err) == GERR_OK, "sync: %s",
	    err.msg);
}

/* A new replica holds what the backend holds. */
START_TEST(test_snapshot)
{
	struct sync_report	r;
	static const char *const same[] = {
		"SELECT count(*) FROM establishment",
		"SELECT count(*) FROM resource",
		"SELECT count(*) FROM account",
		"SELECT count(*) FROM account_grant",
		"SELECT count(*) FROM hours_weekly",
		"SELECT count(*) FROM hours_date",
		"SELECT count(*) FROM allowed_domain",
		"SELECT count(*) FROM message",
		"SELECT count(*) FROM booking WHERE end > 1795600000",
		("SELECT total(granularity + max_duration + day_quota) "
		    "FROM resource"),
	};
	size_t			i;

	sync_ok(&r);
	ck_assert_int_gt(r.pulled, 100);
	for (i = 0; i < sizeof same / sizeof same[0]; i++)
		ck_assert_msg(count(rep, same[i]) == count(fx_store, same[i]),
		    "%s: replica %lld, backend %lld", same[i],
		    (long long)count(rep, same[i]),
		    (long long)count(fx_store, same[i]));
	/* No password crosses: a replica logs in only after a login. */
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM account WHERE "
	    "password_hash <> '!'"), 0);
}
END_TEST

/* A change on the backend reaches the replica at the next sync. */
START_TEST(test_pull)
{
	struct sync_report	r;
	char			id[UUID_LEN], sql[200];

	sync_ok(&r);
	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL, id));
	fx_assert_ok(fx_op(fx_desk, "change", json_pack("{s:s,s:s}", "id", id,
	    "end", "2026-11-27T12:00"), NULL));
	sync_ok(&r);
	ck_assert_int_eq(r.pulled, 2);
	snprintf(sql, sizeof sql, "SELECT version * 100000 + (end - start) "
	    "FROM booking WHERE id = '%s'", id);
	ck_assert_int_eq(count(rep, sql), 2 * 100000 + 7200);
	ck_assert_int_eq(replica_cursor(rep), count(fx_store,
	    "SELECT max(seq) FROM change_log"));
}
END_TEST

static const char *
conflict_id(void)
{
	static char	 id[UUID_LEN];
	sqlite3_stmt	*st;

	id[0] = '\0';
	ck_assert_int_eq(sqlite3_prepare_v2(rep->db, "SELECT op_id FROM "
	    "conflict", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		strlcpy_g(id, (const char *)sqlite3_column_text(st, 0),
		    sizeof id);
	sqlite3_finalize(st);
	return (id);
}

/* Offline, a booking waits in the outbox; a slot taken meanwhile on the
 * backend turns it into a conflict, undone in the replica. */
START_TEST(test_conflict)
{
	struct sync_report	 r;
	struct account		*desk;
	struct gerror		 err;
	json_t			*p;
	char			 id[UUID_LEN], sql[200];

	sync_ok(&r);
	ck_assert_int_eq(account_load(rep, "desk.mirail", &desk), GERR_OK);
	p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "resource", "T-G1", "start",
	    "2026-11-27T10:00", "end", "2026-11-27T11:00", "email", FX_EMAIL,
	    "phone", "06 11 22 33 44");
	ck_assert_int_eq(op_apply(rep, desk, NULL, "book", p, NULL, &err),
	    GERR_OK);
	strlcpy_g(id, json_string_value(json_object_get(p, "id")), sizeof id);
	json_decref(p);
	ck_assert_int_eq(sync_run(rep, "sqlite:/nonexistent/central.db", &r,
	    &err), GERR_UNREACHABLE);
	ck_assert_int_eq(r.pending, 1);
	fx_assert_ok(fx_book(fx_admin, "T-G1", "2026-11-27T10:30",
	    "2026-11-27T11:30", FX_EMAIL2, NULL));
	sync_ok(&r);
	ck_assert_int_eq(r.rejected, 1);
	ck_assert_int_eq(r.pending, 0);
	ck_assert_int_eq(r.conflicts, 1);
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM conflict WHERE "
	    "error = 'slot_taken' AND payload LIKE '%06 11 22 33 44%'"), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM booking WHERE "
	    "id = '%s'", id);
	ck_assert_int_eq(count(rep, sql), 0);
	ck_assert_int_eq(count(fx_store, sql), 0);
	/* Acknowledged once, by someone. */
	ck_assert_int_eq(sync_acknowledge(rep, count(rep, "SELECT count(*) "
	    "FROM conflict") == 1 ? conflict_id() : "", "desk.mirail", &err),
	    GERR_OK);
	ck_assert_int_eq(sync_acknowledge(rep, conflict_id(), "desk.mirail",
	    &err), GERR_NOT_FOUND);
	sync_state(rep, &r);
	ck_assert_int_eq(r.conflicts, 0);
	account_free(desk);
}
END_TEST

/* The worker pushes a write soon after a kick. */
START_TEST(test_worker)
{
	struct sync_report	 r;
	struct sync_worker	*w;
	struct account		*desk;
	struct gerror		 err;
	json_t			*p;
	int			 i;

	sync_ok(&r);
	ck_assert_int_eq(account_load(rep, "desk.mirail", &desk), GERR_OK);
	p = json_pack("{s:s,s:s,s:s,s:s}", "resource", "T-G2", "start",
	    "2026-11-27T10:00", "end", "2026-11-27T11:00", "email", FX_EMAIL);
	ck_assert_int_eq(op_apply(rep, desk, NULL, "book", p, NULL, &err),
	    GERR_OK);
	json_decref(p);
	account_free(desk);
	w = sync_worker_start(path, url, 3600);
	ck_assert_ptr_nonnull(w);
	sync_worker_kick(w);
	for (i = 0; i < 100; i++) {
		sync_state(rep, &r);
		if (r.pending == 0)
			break;
		usleep(50000);
	}
	sync_worker_stop(w);
	ck_assert_int_eq(r.pending, 0);
	ck_assert_int_eq(count(fx_store, "SELECT count(*) FROM booking b "
	    "JOIN resource r ON r.id = b.resource_id WHERE r.code = 'T-G2'"),
	    1);
}
END_TEST

START_TEST(test_offline_login)
{
	struct account	*a = NULL;
	struct gerror	 err;

	ck_assert_int_eq(sync_login(rep, url, "desk.mirail", "demo", &a,
	    &err), GERR_OK);
	account_free(a);
	ck_assert_int_eq(sync_login(rep, url, "desk.mirail", "nope", &a,
	    &err), GERR_BAD_LOGIN);
	/* Offline: the password this desk saw, and only that account. */
	ck_assert_int_eq(sync_login(rep, "sqlite:/nonexistent/c.db",
	    "desk.mirail", "demo", &a, &err), GERR_OK);
	ck_assert_str_eq(a->login, "desk.mirail");
	account_free(a);
	ck_assert_int_eq(sync_login(rep, "sqlite:/nonexistent/c.db",
	    "desk.mirail", "nope", &a, &err), GERR_BAD_LOGIN);
	ck_assert_int_eq(sync_login(rep, "sqlite:/nonexistent/c.db",
	    "ref.buc", "demo", &a, &err), GERR_BAD_LOGIN);
	ck_assert_ptr_nonnull(strstr(err.msg, "has not logged in"));
}
END_TEST

Suite *
suite_sync(void)
{
	Suite	*s = suite_create("sync");
	TCase	*tc = tcase_create("sqlite backend");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_snapshot);
	tcase_add_test(tc, test_pull);
	tcase_add_test(tc, test_conflict);
	tcase_add_test(tc, test_worker);
	tcase_add_test(tc, test_offline_login);
	suite_add_tcase(s, tc);
	return (s);
}
