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
START_TEST(test_a_new_replica_holds_what_the_backend_holds)
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
START_TEST(test_a_backends_change_reaches_the_replica_at_the_next_sync)
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
START_TEST(test_a_slot_taken_meanwhile_makes_a_queued_booking_a_conflict)
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
	ck_assert_int_eq(r.held, 0);
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
START_TEST(test_the_worker_pushes_a_write_soon_after_a_kick)
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

START_TEST(test_offline_only_an_account_seen_here_logs_in)
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

#define OFFLINE	"sqlite:/nonexistent/central.db"

/* An operation at the desk (desk.mirail, on the replica); payload stolen. */
static enum gerr
desk_op(const char *kind, json_t *p, char *id)
{
	struct account	*desk;
	struct gerror	 err;
	enum gerr	 e;

	ck_assert_int_eq(account_load(rep, "desk.mirail", &desk), GERR_OK);
	e = op_apply(rep, desk, NULL, kind, p, NULL, &err);
	if (e != GERR_OK)
		fprintf(stderr, "# %s: %s\n", kind, err.msg);
	if (e == GERR_OK && id != NULL)
		strlcpy_g(id, json_string_value(json_object_get(p, "id")),
		    UUID_LEN);
	json_decref(p);
	account_free(desk);
	return (e);
}

static void
offline(void)
{
	struct sync_report	r;
	struct gerror		err;

	ck_assert_int_eq(sync_run(rep, OFFLINE, &r, &err), GERR_UNREACHABLE);
}

/* count() with one id bound to ?1. */
static int64_t
countf(struct store *s, const char *sql, const char *id)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (n);
}

static json_t *
book_p(const char *res, const char *from, const char *to, const char *email)
{
	return (json_pack("{s:s,s:s,s:s,s:s}", "resource", res, "start", from,
	    "end", to, "email", email));
}

/* R15 (issue 7, 1): a desk offline all day; at 19:00 its same-day work is
 * judged as of when it was done, and its in-time check-in wins over the
 * sweeper's later no_show. */
START_TEST(test_r15_offline_work_is_judged_as_of_when_it_was_done)
{
	struct sync_report	r;
	char			early[UUID_LEN], seen[UUID_LEN];

	fx_clock("2026-11-27", "08:00");
	sync_ok(&r);
	ck_assert_int_eq(desk_op("book", book_p("T-G2", "2026-11-27T09:00",
	    "2026-11-27T10:00", FX_EMAIL2), seen), GERR_OK);
	sync_ok(&r);
	ck_assert_int_eq(r.pending, 0);
	offline();
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-11-27T09:00",
	    "2026-11-27T10:00", FX_EMAIL), early), GERR_OK);
	fx_clock("2026-11-27", "09:05");
	ck_assert_int_eq(desk_op("checkin", json_pack("{s:s}", "id", seen),
	    NULL), GERR_OK);
	ck_assert_int_eq(desk_op("checkin", json_pack("{s:s}", "id", early),
	    NULL), GERR_OK);
	offline();
	/* The server's sweeper frees the booking it saw no one come to. */
	fx_clock("2026-11-27", "09:30");
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
	ck_assert_int_eq(countf(fx_store, "SELECT count(*) FROM booking "
	    "WHERE id = ?1 AND status = 'no_show'", seen), 1);
	fx_clock("2026-11-27", "19:00");
	sync_ok(&r);
	ck_assert_int_eq(r.rejected, 0);
	ck_assert_int_eq(r.conflicts, 0);
	ck_assert_int_eq(countf(fx_store, "SELECT count(*) FROM booking "
	    "WHERE id = ?1 AND status = 'present'", seen), 1);
	ck_assert_int_eq(countf(fx_store, "SELECT count(*) FROM booking "
	    "WHERE id = ?1 AND status = 'present'", early), 1);
	ck_assert_int_eq(countf(rep, "SELECT count(*) FROM booking "
	    "WHERE id = ?1 AND status = 'present'", seen), 1);
	/* The change log holds both instants. */
	ck_assert_int_eq(countf(fx_store, "SELECT count(*) FROM change_log "
	    "WHERE entity_id = ?1 AND made_at < at", early), 2);
}
END_TEST

/* R15: outside the skew or the horizon, its own code. */
START_TEST(test_r15_a_time_outside_the_skew_or_horizon_is_refused)
{
	struct sync_report	r;

	sync_ok(&r);
	fx_clock("2026-11-27", "10:10");
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-11-27T14:00",
	    "2026-11-27T15:00", FX_EMAIL), NULL), GERR_OK);
	fx_clock("2026-11-27", "10:00");	/* the desk was 10 min ahead */
	sync_ok(&r);
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM conflict WHERE "
	    "error = 'clock_ahead'"), 1);
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-12-03T14:00",
	    "2026-12-03T15:00", FX_EMAIL), NULL), GERR_OK);
	fx_clock("2026-12-01", "10:00");	/* four days offline */
	sync_ok(&r);
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM conflict WHERE "
	    "error = 'too_old'"), 1);
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id WHERE r.code = 'T-G1'"), 0);
}
END_TEST

/* Issue 7, 2: a refused change or check-in is undone to the backend's
 * state, not left in the replica. */
START_TEST(test_a_refused_change_is_undone_to_the_backends_state)
{
	struct sync_report	r;
	char			id[UUID_LEN], other[UUID_LEN];

	sync_ok(&r);
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL), id), GERR_OK);
	ck_assert_int_eq(desk_op("book", book_p("T-G2", "2026-11-26T10:00",
	    "2026-11-26T11:00", FX_EMAIL2), other), GERR_OK);
	sync_ok(&r);
	offline();
	ck_assert_int_eq(desk_op("change", json_pack("{s:s,s:s,s:s}", "id",
	    id, "start", "2026-11-27T14:00", "end", "2026-11-27T15:00"), NULL),
	    GERR_OK);
	ck_assert_int_eq(desk_op("checkin", json_pack("{s:s}", "id", other),
	    NULL), GERR_OK);
	fx_assert_ok(fx_book(fx_admin, "T-G1", "2026-11-27T14:00",
	    "2026-11-27T15:00", FX_EMAIL2, NULL));
	fx_assert_ok(fx_op(fx_admin, "cancel", json_pack("{s:s,s:s}", "id",
	    other, "reason", "test"), NULL));
	sync_ok(&r);
	ck_assert_int_eq(r.rejected, 2);
	ck_assert_int_eq(r.held, 0);
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id WHERE r.code = 'T-G1' AND "
	    "b.start = 1795784400"), 1);	/* 14:00, the other patron's */
	ck_assert_int_eq(countf(rep, "SELECT count(*) FROM booking WHERE "
	    "id = ?1 AND start = 1795770000", id), 1);	/* 10:00 again */
	ck_assert_int_eq(countf(rep, "SELECT count(*) FROM booking WHERE "
	    "id = ?1 AND status = 'cancelled'", other), 1);
	/* What staff need: the booking as the desk had it, the backend's. */
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM conflict WHERE "
	    "kind = 'change' AND made_at > 0 AND detail LIKE '%" FX_EMAIL
	    "%' AND detail LIKE '%\"backend\"%'"), 1);
}
END_TEST

/* Issue 7, 9: freeing a booking the sweeper freed already is no work
 * for staff: acknowledged by itself. */
START_TEST(test_freeing_what_the_sweeper_freed_acknowledges_itself)
{
	struct sync_report	r;
	char			id[UUID_LEN];

	sync_ok(&r);
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-11-26T10:00",
	    "2026-11-26T11:00", FX_EMAIL), id), GERR_OK);
	sync_ok(&r);
	offline();
	fx_clock("2026-11-26", "10:35");
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
	fx_clock("2026-11-26", "10:40");
	ck_assert_int_eq(desk_op("free_late", json_pack("{s:[s]}", "ids", id),
	    NULL), GERR_OK);
	sync_ok(&r);
	ck_assert_int_eq(r.rejected, 1);
	ck_assert_int_eq(r.held, 1);
	ck_assert_int_eq(r.conflicts, 0);
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM conflict WHERE "
	    "acknowledged_by = '" SYNC_SELF_ACK "'"), 1);
}
END_TEST

/* Issue 7, 5: free-late applies booking by booking on the backend. */
START_TEST(test_free_late_applies_booking_by_booking_on_the_backend)
{
	struct sync_report	r;
	char			a[UUID_LEN], b[UUID_LEN];
	json_t			*res = NULL;

	sync_ok(&r);
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-11-26T10:00",
	    "2026-11-26T11:00", FX_EMAIL), a), GERR_OK);
	ck_assert_int_eq(desk_op("book", book_p("T-G2", "2026-11-26T10:00",
	    "2026-11-26T11:00", FX_EMAIL2), b), GERR_OK);
	sync_ok(&r);
	offline();
	fx_clock("2026-11-26", "10:40");
	fx_assert_ok(fx_op(fx_admin, "checkin", json_pack("{s:s}", "id", b),
	    NULL));
	ck_assert_int_eq(desk_op("free_late", json_pack("{s:[s,s]}", "ids", a,
	    b), NULL), GERR_OK);
	sync_ok(&r);
	ck_assert_int_eq(countf(fx_store, "SELECT count(*) FROM booking WHERE "
	    "id = ?1 AND status = 'no_show'", a), 1);
	ck_assert_int_eq(countf(rep, "SELECT count(*) FROM booking WHERE "
	    "id = ?1 AND status = 'present'", b), 1);
	ck_assert_int_eq(r.conflicts, 1);
	/* Directly too: one not late does not hold back the others. */
	fx_clock("2026-11-26", "10:20");
	fx_assert_ok(fx_book(fx_admin, "T-C1", "2026-11-26T10:00",
	    "2026-11-26T11:00", FX_EMAIL, a));
	fx_assert_ok(fx_book(fx_admin, "T-C1", "2026-11-26T11:00",
	    "2026-11-26T12:00", FX_EMAIL, b));
	fx_clock("2026-11-26", "10:40");
	fx_assert_ok(fx_op(fx_admin, "free_late", json_pack("{s:[s,s]}",
	    "ids", a, b), &res));
	ck_assert_int_eq(json_array_size(json_object_get(res, "freed")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(res, "refused")), 1);
	json_decref(res);
}
END_TEST

/* Issue 7, 7: an outbox that cannot be read is an error, said. */
START_TEST(test_an_unreadable_outbox_is_an_error_said)
{
	struct sync_report	r;
	struct gerror		err;

	sync_ok(&r);
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL), NULL), GERR_OK);
	ck_assert_int_eq(sqlite3_exec(rep->db, "UPDATE outbox SET payload = "
	    "'{\"resource\": \"T-G'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sync_run(rep, url, &r, &err), GERR_STORAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "damaged"));
	ck_assert_int_eq(r.pending, 1);
	sync_state(rep, &r);
	ck_assert_ptr_nonnull(strstr(r.last_error, "damaged"));
}
END_TEST

/* Issue 7, 8: one operation larger than a batch may carry is a conflict
 * with its reason; the queue goes on. */
START_TEST(test_an_operation_larger_than_a_batch_is_a_conflict)
{
	struct sync_report	r;
	char			*big, *sql;

	sync_ok(&r);
	big = xmalloc(300 * 1024);
	memset(big, 'x', 300 * 1024 - 1);
	big[300 * 1024 - 1] = '\0';
	sql = xasprintf("INSERT INTO outbox (op_id, kind, account, payload, "
	    "created_at) VALUES ('5b0e1c2a-0000-4000-8000-000000000001', "
	    "'message_add', 'desk.mirail', '{\"text\": \"%s\"}', %lld)", big,
	    (long long)FX_NOW);
	ck_assert_int_eq(sqlite3_exec(rep->db, sql, NULL, NULL, NULL),
	    SQLITE_OK);
	free(sql);
	free(big);
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL), NULL), GERR_OK);
	sync_ok(&r);
	ck_assert_int_eq(r.pending, 0);
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM conflict WHERE "
	    "error = 'bad_request' AND message LIKE '%larger than%'"), 1);
	ck_assert_int_eq(count(fx_store, "SELECT count(*) FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id WHERE r.code = 'T-G1'"), 1);
}
END_TEST

/* Issue 7, 11: a full disk says "disk full", a storage failure (exit
 * 6), and the work is not taken. */
START_TEST(test_a_full_disk_is_a_storage_failure_and_takes_nothing)
{
	struct sync_report	r;
	struct gerror		err;
	struct account		*desk;
	json_t			*p;
	char			 from[64], to[32];
	int			 i;
	enum gerr		 e = GERR_OK;

	sync_ok(&r);
	ck_assert_int_eq(account_load(rep, "desk.mirail", &desk), GERR_OK);
	snprintf(from, sizeof from, "PRAGMA max_page_count = %lld",
	    (long long)count(rep, "PRAGMA page_count"));
	ck_assert_int_eq(sqlite3_exec(rep->db, from, NULL, NULL, NULL),
	    SQLITE_OK);
	for (i = 0; i < 240 && e == GERR_OK; i++) {
		snprintf(from, sizeof from, "2026-12-%02dT%02d:00", 1 + i / 24,
		    i % 24);
		snprintf(to, sizeof to, "2026-12-%02dT%02d:00", 1 + (i + 1) /
		    24, (i + 1) % 24);
		p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "resource", "T-C1",
		    "start", from, "end", to, "email", FX_EMAIL, "name",
		    "a name long enough to fill the last pages of the file");
		e = op_apply(rep, desk, NULL, "book", p, NULL, &err);
		json_decref(p);
	}
	account_free(desk);
	ck_assert_msg(e == GERR_STORAGE, "%s", err.msg);
	ck_assert_ptr_nonnull(strstr(err.msg, "disk full"));
	ck_assert_int_eq(gerr_info(e)->exit, 6);
}
END_TEST

/* Issue 7, 4: a replica without its configuration refuses to write. */
START_TEST(test_a_replica_without_its_backend_refuses_to_write)
{
	struct sync_report	r;

	sync_ok(&r);
	rep->desk = 0;
	ck_assert_int_eq(desk_op("book", book_p("T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL), NULL), GERR_BAD_REQUEST);
	rep->desk = 1;
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM outbox"), 0);
	ck_assert_int_eq(count(rep, "SELECT count(*) FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id WHERE r.code = 'T-G1'"), 0);
}
END_TEST

/* Issue 7, 11: a malformed URL is a configuration error; a missing
 * central file is offline, and never suggests creating one. */
START_TEST(test_a_bad_url_is_a_configuration_error_a_missing_file_offline)
{
	struct sync_report	r;
	struct gerror		err;

	ck_assert_int_eq(sync_run(rep, "http//x", &r, &err),
	    GERR_BAD_REQUEST);
	ck_assert_int_eq(sync_run(rep, "http://localhost:99999", &r, &err),
	    GERR_BAD_REQUEST);
	ck_assert_int_eq(sync_run(rep, "http://", &r, &err),
	    GERR_BAD_REQUEST);
	ck_assert_int_eq(sync_run(rep, OFFLINE, &r, &err), GERR_UNREACHABLE);
	ck_assert_ptr_null(strstr(err.msg, "init"));
	ck_assert_ptr_nonnull(strstr(err.msg, "mounted"));
}
END_TEST

Suite *
suite_sync(void)
{
	Suite	*s = suite_create("sync");
	TCase	*tc = tcase_create("sqlite backend");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_a_new_replica_holds_what_the_backend_holds);
	tcase_add_test(tc,
	    test_a_backends_change_reaches_the_replica_at_the_next_sync);
	tcase_add_test(tc,
	    test_a_slot_taken_meanwhile_makes_a_queued_booking_a_conflict);
	tcase_add_test(tc, test_the_worker_pushes_a_write_soon_after_a_kick);
	tcase_add_test(tc, test_offline_only_an_account_seen_here_logs_in);
	tcase_add_test(tc,
	    test_r15_offline_work_is_judged_as_of_when_it_was_done);
	tcase_add_test(tc,
	    test_r15_a_time_outside_the_skew_or_horizon_is_refused);
	tcase_add_test(tc,
	    test_a_refused_change_is_undone_to_the_backends_state);
	tcase_add_test(tc,
	    test_freeing_what_the_sweeper_freed_acknowledges_itself);
	tcase_add_test(tc,
	    test_free_late_applies_booking_by_booking_on_the_backend);
	tcase_add_test(tc, test_an_unreadable_outbox_is_an_error_said);
	tcase_add_test(tc, test_an_operation_larger_than_a_batch_is_a_conflict);
	tcase_add_test(tc, test_a_replica_without_its_backend_refuses_to_write);
	tcase_add_test(tc,
	    test_a_full_disk_is_a_storage_failure_and_takes_nothing);
	tcase_add_test(tc,
	    test_a_bad_url_is_a_configuration_error_a_missing_file_offline);
	suite_add_tcase(s, tc);
	return (s);
}
