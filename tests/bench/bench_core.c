/*
 * Benchmark of the core: what the one door for writes costs against bare
 * SQLite, and how fast a day's grid comes back from a large database. It is
 * a program, not a test: it prints figures, and fails only when it cannot
 * set itself up.
 *
 * Everything runs on temporary databases under a fixed clock, with ids
 * derived from each booking's number, so the data and the work done are
 * the same on every run; only the times change.
 *
 * (a) N bookings go through op_apply() as the super-administrator, one
 *     operation (one BEGIN IMMEDIATE transaction) each, with synchronous =
 *     NORMAL and the WAL checkpointed by a thread of its own, as the
 *     server's writer runs. The same booking rows are written in turn (a
 *     thousand each way, so that both see the same load) with a bare
 *     prepared INSERT into a second fresh database, one transaction a row
 *     as op_apply does, and then into a third in a single transaction. The
 *     ratio is what the door costs: rights, the rules reading the store
 *     (R1-R4, R7), the JSON result and the patron, change_log and e-mail
 *     rows written beside the booking (the e-mails' text is written after,
 *     by mail_compose, timed apart). Only op_apply() itself is timed,
 *     not the building of its payload. The first F of them (-f) again
 *     with synchronous = FULL, op_apply against the bare INSERT, in two
 *     more fresh databases: a commit is then an fsync.
 * (b) On the database of (a): query_grid() for one full day of the bench
 *     library, then `guichet grid` as a whole process on that database.
 *
 * The bench library is open 06:00-24:00 every day and its 40 rooms take
 * half-hour bookings with no quota; every booking has its own patron, so
 * only R1's window has to be widened (through a "setting" operation).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench.h"
#include "clock.h"
#include "domain.h"
#include "mail.h"
#include "query.h"
#include "rights.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

#define BENCH_ROOMS	40
#define BENCH_PER_DAY	(BENCH_ROOMS * BENCH_SLOTS)
#define BENCH_DEFAULT_N	100000
#define BENCH_DEFAULT_F	2000	/* bookings with synchronous = FULL */
/* The "setting" operation takes max_days_ahead up to 10000 days. */
#define BENCH_MAX_N	((long)BENCH_PER_DAY * 9999)
#define BENCH_GRID_RUNS	200
#define BENCH_PROC_RUNS	20
/* A guichet that has not answered by then is stuck: skip its figure. */
#define BENCH_PROC_TIMEOUT	30

/* One booking of the bench, the same for op_apply and the raw inserts. */
struct slot {
	char		 id[UUID_LEN];
	int		 room;		/* 0 .. BENCH_ROOMS - 1 */
	int64_t		 start;
	int64_t		 end;
	char		 email[64];
};

/*
 * Lay the n bookings out from tomorrow on: slot j is room j % 40 at the
 * (j / 40)th half hour of day j / 1440. They are taken in a scattered
 * order (bench_stride()), as a desk takes them, rather than sorted by
 * time, which would only ever append.
 */
static struct slot *
slots_make(long n, int32_t today)
{
	struct slot	*v, *sl;
	long		 i, j, k, stride = bench_stride(n);
	int32_t		 day;
	int		 minute;

	v = xcalloc((size_t)n, sizeof *v);
	for (i = 0; i < n; i++) {
		sl = &v[i];
		j = (long)((long long)i * stride % n);
		day = today + 1 + (int32_t)(j / BENCH_PER_DAY);
		k = j % BENCH_PER_DAY;
		minute = BENCH_OPEN + (int)(k / BENCH_ROOMS) * BENCH_STEP;
		sl->room = (int)(k % BENCH_ROOMS);
		sl->start = tz_local_to_utc(BENCH_ZONE, day, minute);
		sl->end = tz_local_to_utc(BENCH_ZONE, day, minute + BENCH_STEP);
		bench_uuid((uint64_t)j, sl->id);
		snprintf(sl->email, sizeof sl->email, "p%ld@%s", j,
		    BENCH_DOMAIN);
	}
	return (v);
}

/* A fresh database in the temporary folder, rooms BENCH-R01 on. */
static struct store *
db_open(const char *name, int64_t *rooms)
{
	struct store	*s;
	char		*path;

	path = bench_path(name);
	s = bench_db_create(path, BENCH_ROOMS, 2, rooms);
	free(path);
	return (s);
}

static void
db_check(struct store *s, const char *what, long n)
{
	long	got = bench_count(s);

	if (got != n)
		bench_die("%s: %ld bookings written, %ld expected", what, got,
		    n);
}

/*
 * Pages a connection wrote to the WAL since the last call: the pages a
 * commit dirties, what a write costs in the kernel.
 */
static long
pages_written(struct store *s)
{
	int	cur = 0, high = 0;

	sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &high, 1);
	return (cur);
}

/*
 * (a) Bookings from..from + count of the n through the door; lat gets
 * each call's microseconds.
 */
static double
bench_op(struct store *s, const struct account *a, const struct slot *v,
    long from, long count, long n, double *lat)
{
	char	 op[UUID_LEN], room[CODE_LEN];
	char	 start[CLOCK_ISO_LEN], end[CLOCK_ISO_LEN];
	double	 total = 0;
	long	 i;

	for (i = from; i < from + count; i++) {
		snprintf(room, sizeof room, "%s-R%02d", BENCH_LIBRARY,
		    v[i].room + 1);
		clock_format_iso(v[i].start, BENCH_ZONE, start);
		clock_format_iso(v[i].end, BENCH_ZONE, end);
		/* Apart from the booking's, so the two never collide. */
		bench_uuid((uint64_t)(n + i), op);
		lat[i] = bench_book(s, a, &(struct bench_booking){ .op = op,
		    .room = room, .start = start, .end = end,
		    .email = v[i].email, .id = v[i].id }, "booking", i);
		total += lat[i];
	}
	return (total / 1e6);
}

/*
 * (a) The same booking rows with a bare prepared INSERT, as op_book()
 * writes them: in a transaction each, or all in one.
 */
static double
bench_raw(struct store *s, const int64_t *rooms, const struct slot *v,
    long n, int one, int64_t now)
{
	static const char	 sql[] = "INSERT INTO booking (id, "
	    "resource_id, session_id, start, end, email, name, phone, places, "
	    "origin, status, created_by, created_at, changed_by, changed_at) "
	    "VALUES (?1, ?2, NULL, ?3, ?4, ?5, '', '', 1, 'desk', "
	    "'confirmed', 'admin', ?6, 'admin', ?6)";
	sqlite3_stmt		*st;
	struct gerror		 err;
	double			 t0, t;
	long			 i;

	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK)
		bench_die("preparing the insert: %s", sqlite3_errmsg(s->db));
	t0 = bench_now_us();
	if (one && store_begin(s, &err) != GERR_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		if (!one && store_begin(s, &err) != GERR_OK)
			goto fail;
		sqlite3_bind_text(st, 1, v[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, rooms[v[i].room]);
		sqlite3_bind_int64(st, 3, v[i].start);
		sqlite3_bind_int64(st, 4, v[i].end);
		sqlite3_bind_text(st, 5, v[i].email, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, now);
		if (store_step_done(st) != SQLITE_DONE) {
			store_error(s, &err, "inserting a booking");
			goto fail;
		}
		if (!one && store_commit(s, &err) != GERR_OK)
			goto fail;
	}
	if (one && store_commit(s, &err) != GERR_OK)
		goto fail;
	t = bench_now_us() - t0;
	sqlite3_finalize(st);
	return (t / 1e6);

fail:
	sqlite3_finalize(st);
	store_rollback(s);
	bench_die("%s", err.msg);
}

/*
 * (a) The n bookings through the door into s and bare into raw, a thousand
 * at a time in turn, so that both see the same machine (another program's
 * load, the page cache, the disk) and their ratio holds however loaded it
 * is. *t_op and *t_row get the seconds of each.
 */
#define BENCH_TURN	1000
static void
bench_both(struct store *s, const struct account *a, struct store *raw,
    const int64_t *rooms, const struct slot *v, long n, int64_t now,
    double *lat, double *t_op, double *t_row)
{
	long	from, count;

	*t_op = *t_row = 0;
	for (from = 0; from < n; from += count) {
		count = n - from < BENCH_TURN ? n - from : BENCH_TURN;
		*t_op += bench_op(s, a, v, from, count, n, lat);
		*t_row += bench_raw(raw, rooms, v + from, count, 0, now);
	}
}

/* (b) One day of the bench library, BENCH_GRID_RUNS times. */
static void
bench_grid(struct store *s, int32_t day, double *lat, size_t *rows,
    size_t *bookings)
{
	struct grid	*g;
	double		 t0;
	size_t		 i, r;

	/* The first run fills SQLite's page cache and prepares statements. */
	for (i = 0; i <= BENCH_GRID_RUNS; i++) {
		t0 = bench_now_us();
		if (query_grid(s, day, BENCH_LIBRARY, &g) != GERR_OK)
			bench_die("query_grid: %s", sqlite3_errmsg(s->db));
		if (i > 0)
			lat[i - 1] = bench_now_us() - t0;
		*rows = g->nrows;
		*bookings = 0;
		for (r = 0; r < g->nrows; r++)
			*bookings += g->rows[r].nbookings;
		query_grid_free(g);
	}
}

/*
 * Run a program with no input and its output thrown away. Returns 0 if it
 * exited with status 0, with *ms its wall time; otherwise -1 and why.
 */
static int
spawn_wait(char **argv, char **envp, double *ms, char *why, size_t len)
{
	pid_t	pid;
	double	t0;
	int	rc, status, killed;

	t0 = bench_now_us();
	rc = bench_spawn(argv, envp, "/dev/null", &pid);
	if (rc != 0) {
		snprintf(why, len, "cannot run %s: %s", argv[0],
		    strerror(rc));
		return (-1);
	}
	killed = bench_wait(pid, BENCH_PROC_TIMEOUT, &status);
	*ms = (bench_now_us() - t0) / 1e3;
	if (killed)
		snprintf(why, len, "%s did not finish in %d s", argv[0],
		    BENCH_PROC_TIMEOUT);
	else if (WIFSIGNALED(status))
		snprintf(why, len, "%s was killed by signal %d", argv[0],
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		snprintf(why, len, "%s exited with status %d", argv[0],
		    WEXITSTATUS(status));
	else
		return (0);
	return (-1);
}

/* (b) `guichet -d DB grid --date DAY` as a whole process. */
static void
bench_process(const char *bin, int32_t day)
{
	struct bench_stats	 st;
	char			 date[TZ_DATE_LEN], why[512];
	char			**argv, **env;
	double			 ms[BENCH_PROC_RUNS];
	size_t			 i;

	if (access(bin, X_OK) != 0) {
		printf("guichet grid:    skipped (%s: %s; build it with 'make "
		    "guichet' or name it: bench_core [-n N] PATH)\n", bin,
		    strerror(errno));
		return;
	}
	tz_format_date(day, date);
	argv = xcalloc(7, sizeof *argv);
	argv[0] = xstrdup(bin);
	argv[1] = xstrdup("-d");
	argv[2] = bench_path("op.db");
	argv[3] = xstrdup("grid");
	argv[4] = xstrdup("--date");
	argv[5] = xstrdup(date);
	argv[6] = NULL;
	env = bench_child_env();

	/* A first run checks it works and warms the page cache. */
	if (spawn_wait(argv, env, &ms[0], why, sizeof why) != 0)
		printf("guichet grid:    skipped (%s)\n", why);
	else {
		for (i = 0; i < BENCH_PROC_RUNS; i++) {
			if (spawn_wait(argv, env, &ms[i], why,
			    sizeof why) != 0)
				break;
		}
		if (i < BENCH_PROC_RUNS)
			printf("guichet grid:    skipped (run %zu: %s)\n",
			    i + 1, why);
		else {
			bench_stats(ms, BENCH_PROC_RUNS, &st);
			printf("guichet grid:    mean %.1f ms, p50 %.1f ms, "
			    "p99 %.1f ms a process (%d runs of %s -d DB grid "
			    "--date %s)\n", st.mean, st.p50, st.p99,
			    BENCH_PROC_RUNS, bin, date);
		}
	}
	bench_strv_free(argv);
	bench_strv_free(env);
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: bench_core [-k] [-n count] [-f count] "
	    "[guichet]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct store		*s, *raw, *sf;
	struct account		*admin;
	struct slot		*slots;
	struct bench_stats	 st;
	int64_t			 rooms[BENCH_ROOMS], now;
	int32_t			 today, day;
	double			*lat, glat[BENCH_GRID_RUNS], t_op, t_row, t_one,
				 t_opf, t_rowf, t_mail;
	struct gerror		 err;
	struct bench_stats	 stf;
	const char		*bin;
	size_t			 rows, bookings;
	long			 n = BENCH_DEFAULT_N, nf = BENCH_DEFAULT_F;
	long			 pg_op, pg_row;
	int			 ch, keep = 0, days;

	bench_init("bench_core");
	while ((ch = getopt(argc, argv, "f:kn:")) != -1) {
		switch (ch) {
		case 'f':
			nf = bench_number("f", optarg, 1, BENCH_MAX_N);
			break;
		case 'k':
			keep = 1;
			break;
		case 'n':
			n = bench_number("n", optarg, 1, BENCH_MAX_N);
			break;
		default:
			usage();
		}
	}
	bin = bench_program(argc - optind, argv + optind, "GUICHET",
	    "./guichet");
	if (bin == NULL)
		usage();

	bench_tmpdir_make(keep);
	today = bench_clock(&now);
	days = 1 + (int)((n - 1) / BENCH_PER_DAY);
	slots = slots_make(n, today);

	printf("# bench_core: %ld bookings on %d rooms of %s over %d day%s, "
	    "clock %s, SQLite %s\n", n, BENCH_ROOMS, BENCH_LIBRARY, days,
	    days == 1 ? "" : "s", BENCH_NOW, sqlite3_libversion());
	bench_print_command(argc, argv);

	if (nf > n)
		nf = n;
	/* (a) Through the door, then bare, in two fresh databases. */
	s = db_open("op.db", rooms);
	if (store_checkpointer(s) != 0)
		bench_die("cannot start the checkpointer");
	if (account_load(s, "admin", &admin) != GERR_OK)
		bench_die("cannot load the demo's admin account");
	bench_window_open(s, admin, days);
	lat = xcalloc((size_t)n, sizeof *lat);
	raw = db_open("raw-row.db", rooms);
	pages_written(s);
	pages_written(raw);
	bench_both(s, admin, raw, rooms, slots, n, now, lat, &t_op, &t_row);
	pg_op = pages_written(s);
	pg_row = pages_written(raw);
	db_check(s, "op_apply", n);
	db_check(raw, "raw inserts", n);
	store_close(raw);
	bench_stats(lat, (size_t)n, &st);
	/* Their e-mails' text, written after the commits (mail_compose). */
	t_mail = bench_now_us();
	if (mail_compose(s, &err) != GERR_OK)
		bench_die("mail_compose: %s", err.msg);
	t_mail = (bench_now_us() - t_mail) / 1e6;

	raw = db_open("raw-one.db", rooms);
	t_one = bench_raw(raw, rooms, slots, n, 1, now);
	db_check(raw, "raw inserts in one transaction", n);
	store_close(raw);

	/* The first nf again, each commit an fsync. */
	sf = db_open("op-full.db", rooms);
	bench_window_open(sf, admin, days);
	bench_durable(sf, 1);
	if (store_checkpointer(sf) != 0)
		bench_die("cannot start the checkpointer");
	raw = db_open("raw-full.db", rooms);
	bench_durable(raw, 1);
	bench_both(sf, admin, raw, rooms, slots, nf, now, lat, &t_opf,
	    &t_rowf);
	db_check(sf, "op_apply, FULL", nf);
	db_check(raw, "raw inserts, FULL", nf);
	bench_stats(lat, (size_t)nf, &stf);
	store_close(sf);
	store_close(raw);

	printf("op_apply book:   %8.0f bookings/s (%.2f s; p50 %.0f us, "
	    "p99 %.0f us a booking; NORMAL; writes booking, patron, "
	    "change_log, mail, op_result)\n", (double)n / t_op, t_op, st.p50,
	    st.p99);
	printf("mail_compose:    %8.0f e-mails/s (%ld: %.2f s; their text, "
	    "written after the commits, in batches)\n", (double)n / t_mail, n,
	    t_mail);
	printf("raw, tx a row:   %8.0f bookings/s (%.2f s; NORMAL; booking row "
	    "only)\n", (double)n / t_row, t_row);
	printf("pages written:   %8.1f a booking through op_apply, %.1f a bare "
	    "insert (WAL frames a commit)\n", (double)pg_op / n,
	    (double)pg_row / n);
	printf("raw, one tx:     %8.0f bookings/s (%.2f s; booking row "
	    "only)\n", (double)n / t_one, t_one);
	printf("op_apply FULL:   %8.0f bookings/s (%ld: %.2f s; p50 %.0f us, "
	    "p99 %.0f us a booking; synchronous = FULL)\n", (double)nf / t_opf,
	    nf, t_opf, stf.p50, stf.p99);
	printf("raw FULL, a row: %8.0f bookings/s (%ld: %.2f s; synchronous = "
	    "FULL; booking row only)\n", (double)nf / t_rowf, nf, t_rowf);
	printf("ratio:           op_apply/raw %.2f with a tx a row (NORMAL; "
	    "goal >= 0.5), %.2f in FULL, %.3f against raw in one tx\n",
	    t_row / t_op, t_rowf / t_opf, t_one / t_op);
	fflush(stdout);
	free(lat);
	free(slots);

	/* (b) The grid of a day in the middle of the bench. */
	day = today + 1 + days / 2;
	bench_grid(s, day, glat, &rows, &bookings);
	bench_stats(glat, BENCH_GRID_RUNS, &st);
	printf("query_grid:      mean %.0f us, p50 %.0f us, p99 %.0f us a "
	    "grid (%d runs; %zu rows, %zu bookings on day %d of %d)\n",
	    st.mean, st.p50, st.p99, BENCH_GRID_RUNS, rows, bookings,
	    day - today, days);
	fflush(stdout);
	account_free(admin);
	/* Closed first, so guichet finds the WAL checkpointed. */
	store_close(s);
	bench_process(bin, day);
	return (0);
}
