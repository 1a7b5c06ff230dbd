/* The shared fixture of the core's Check suites: see fixture.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "fixture.h"
#include "mail.h"
#include "tz.h"

struct store	*fx_store;
struct account	*fx_admin;
struct account	*fx_desk;
struct account	*fx_patron;
struct account	*fx_system;
struct gerror	 fx_err;

static char	 template_dir[64];
static char	 template_path[128];
static char	 test_dir[64];
static char	 test_path[128];

/* Accounts loaded with fx_account, freed by the teardown. */
static struct account	*loaded[32];
static size_t		 nloaded;

static void
die(const char *what)
{
	fprintf(stderr, "fixture: %s: %s\n", what, fx_err.msg[0] ?
	    fx_err.msg : strerror(errno));
	exit(1);
}

void
fx_template_init(void)
{
	struct store	*s;

	snprintf(template_dir, sizeof template_dir, "%s",
	    "/tmp/guichet-check-XXXXXX");
	if (mkdtemp(template_dir) == NULL)
		die("mkdtemp");
	snprintf(template_path, sizeof template_path, "%s/demo.db",
	    template_dir);
	/* The demo's bookings are placed around now: fix it first. */
	clock_set(FX_NOW);
	if (store_open(template_path, STORE_CREATE, &s, &fx_err) != GERR_OK)
		die("creating the template");
	if (demo_load(s, &fx_err) != GERR_OK)
		die("loading the demo");
	/* The last connection checkpoints the WAL into the file. */
	store_close(s);
}

void
fx_template_cleanup(void)
{
	char	path[160];

	if (template_dir[0] == '\0')
		return;
	unlink(template_path);
	snprintf(path, sizeof path, "%s-wal", template_path);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", template_path);
	unlink(path);
	rmdir(template_dir);
}

static void
copy_file(const char *from, const char *to)
{
	char	 buf[65536];
	ssize_t	 n;
	int	 in, out;

	if ((in = open(from, O_RDONLY)) == -1)
		die("opening the template");
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		die("creating the test database");
	while ((n = read(in, buf, sizeof buf)) > 0) {
		if (write(out, buf, (size_t)n) != n)
			die("copying the template");
	}
	if (n < 0)
		die("reading the template");
	close(in);
	close(out);
}

void
fx_sql(const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(fx_store->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fixture: %s: %s\n", sql, msg);
		sqlite3_free(msg);
		ck_abort_msg("fixture SQL failed");
	}
}

void
fx_mail_compose(void)
{
	ck_assert_msg(mail_compose(fx_store, &fx_err) == GERR_OK, "%s",
	    fx_err.msg);
}

int64_t
fx_sql_int(const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	if (sqlite3_prepare_v2(fx_store->db, sql, -1, &st, NULL) !=
	    SQLITE_OK)
		ck_abort_msg("bad test SQL: %s: %s", sql,
		    sqlite3_errmsg(fx_store->db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (v);
}

/* The test library and its resources (fixture.h). */
static const char test_data[] =
    "INSERT INTO establishment (code, name, kind, tz, checkin_code) "
    "  VALUES ('TST', 'Test library', 'library', 'Europe/Paris', "
    "  'TST-0001');"
    "INSERT INTO hours_weekly SELECT e.id, w.value, 0, 1440 FROM "
    "  establishment e, json_each('[1,2,3,4,5,6,7]') AS w "
    "  WHERE e.code = 'TST';"
    "INSERT INTO resource (code, name, type, establishment_id, library_id, "
    "  capacity, public, granularity, min_duration, max_duration, "
    "  day_quota, month_quota, places_max) "
    "  SELECT c.value ->> 0, 'Test ' || (c.value ->> 0), c.value ->> 1, "
    "  u.id, t.id, c.value ->> 2, c.value ->> 3, c.value ->> 4, "
    "  c.value ->> 5, c.value ->> 6, c.value ->> 7, c.value ->> 8, 1 "
    "  FROM establishment u, establishment t, json_each('["
    "  [\"T-G1\",\"group_room\",1,1,30,30,120,120,240],"
    "  [\"T-G2\",\"group_room\",1,1,30,30,120,120,240],"
    "  [\"T-C1\",\"carrel\",1,1,60,60,240,0,0],"
    "  [\"T-WS\",\"workshop\",3,1,30,0,0,0,0],"
    "  [\"T-FORM\",\"training_room\",1,0,30,30,0,0,0]"
    "  ]') AS c WHERE u.code = 'UJJ' AND t.code = 'TST';"
    /* 2026-11-27 14:00-15:30 Paris is 13:00Z-14:30Z. */
    "INSERT INTO session (resource_id, start, end, places) SELECT r.id, "
    "  unixepoch('2026-11-27 13:00:00'), unixepoch('2026-11-27 14:30:00'), "
    "  3 FROM resource r WHERE r.code = 'T-WS';";

void
fx_setup(void)
{
	snprintf(test_dir, sizeof test_dir, "%s", "/tmp/guichet-test-XXXXXX");
	if (mkdtemp(test_dir) == NULL)
		die("mkdtemp");
	snprintf(test_path, sizeof test_path, "%s/test.db", test_dir);
	copy_file(template_path, test_path);
	gerror_clear(&fx_err);
	if (store_open(test_path, 0, &fx_store, &fx_err) != GERR_OK)
		die("opening the test database");
	clock_set(FX_NOW);
	fx_sql(test_data);
	nloaded = 0;
	fx_admin = fx_account("admin");
	fx_desk = fx_account("desk.mirail");
	fx_patron = account_actor(ACTOR_PATRON, "patron");
	fx_system = account_actor(ACTOR_SYSTEM, "sweeper");
}

void
fx_teardown(void)
{
	const char	*suffix[] = { "", "-wal", "-shm", "-journal" };
	char		 path[160];
	size_t		 i;

	for (i = 0; i < nloaded; i++)
		account_free(loaded[i]);
	nloaded = 0;
	account_free(fx_patron);
	account_free(fx_system);
	fx_admin = fx_desk = fx_patron = fx_system = NULL;
	store_close(fx_store);
	fx_store = NULL;
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(path, sizeof path, "%s%s", test_path, suffix[i]);
		unlink(path);
	}
	rmdir(test_dir);
	clock_set(-1);
}

const char *
fx_db_path(void)
{
	return (test_path);
}

struct account *
fx_account(const char *login)
{
	struct account	*a;

	ck_assert_msg(account_load(fx_store, login, &a) == GERR_OK,
	    "no demo account %s", login);
	ck_assert_uint_lt(nloaded, sizeof loaded / sizeof loaded[0]);
	loaded[nloaded++] = a;
	return (a);
}

enum gerr
fx_op_id(const struct account *a, const char *op_id, const char *kind,
    json_t *payload, json_t **result)
{
	enum gerr	e;

	ck_assert_msg(payload != NULL, "bad test payload for %s", kind);
	e = op_apply(fx_store, a, op_id, kind, payload, result, &fx_err);
	json_decref(payload);
	return (e);
}

enum gerr
fx_op(const struct account *a, const char *kind, json_t *payload,
    json_t **result)
{
	return (fx_op_id(a, NULL, kind, payload, result));
}

enum gerr
fx_book(const struct account *a, const char *resource, const char *start,
    const char *end, const char *email, char *id)
{
	json_t		*res = NULL;
	enum gerr	 e;

	e = fx_op(a, "book", json_pack("{s:s,s:s,s:s,s:s}", "resource",
	    resource, "start", start, "end", end, "email", email), &res);
	if (e == GERR_OK && id != NULL) {
		ck_assert_ptr_nonnull(res);
		snprintf(id, UUID_LEN, "%s", json_string_value(
		    json_object_get(res, "id")));
	}
	json_decref(res);
	return (e);
}

int
fx_status(const char *id)
{
	struct booking	b;

	if (booking_find(fx_store, id, &b) != GERR_OK)
		return (-1);
	return ((int)b.status);
}

int64_t
fx_local(const char *date, const char *hhmm)
{
	int32_t	day;
	int	min;

	ck_assert_int_eq(tz_parse_date(date, &day), 0);
	ck_assert_int_eq(tz_parse_hhmm(hhmm, &min), 0);
	return (tz_local_to_utc(FX_ZONE, day, min));
}

void
fx_clock(const char *date, const char *hhmm)
{
	clock_set(fx_local(date, hhmm));
}
