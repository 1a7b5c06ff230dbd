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
 *     operation (one BEGIN IMMEDIATE transaction) each. The same booking
 *     rows are then written with a bare prepared INSERT into a second
 *     fresh database, one transaction a row as op_apply does, and into a
 *     third in a single transaction. The ratio is what the door costs:
 *     rights, the rules reading the store (R1-R4, R7), the JSON result and
 *     the patron, change_log and op_result rows written beside the booking.
 *     Only op_apply() itself is timed, not the building of its payload.
 * (b) On the database of (a): query_grid() for one full day of the bench
 *     library, then `guichet grid` as a whole process on that database.
 *
 * The bench library is open 06:00-24:00 every day and its 40 rooms take
 * half-hour bookings with no quota; every booking has its own patron, so
 * only R1's window has to be widened (through a "setting" operation).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "clock.h"
#include "demo.h"
#include "domain.h"
#include "ops.h"
#include "query.h"
#include "rights.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

#define BENCH_NOW	"2026-11-02T09:00:00+01:00"	/* a Monday */
#define BENCH_ZONE	"Europe/Paris"
#define BENCH_LIBRARY	"BENCH"
/* A domain of the demo's allow-list (R2). */
#define BENCH_DOMAIN	"etu.univ-tlse2.fr"
#define BENCH_ROOMS	40
/* 06:00 to midnight keeps clear of the 02:00-03:00 DST changes. */
#define BENCH_OPEN	360
#define BENCH_CLOSE	1440
#define BENCH_STEP	30
#define BENCH_SLOTS	((BENCH_CLOSE - BENCH_OPEN) / BENCH_STEP)
#define BENCH_PER_DAY	(BENCH_ROOMS * BENCH_SLOTS)
#define BENCH_DEFAULT_N	100000
/* The "setting" operation takes max_days_ahead up to 10000 days. */
#define BENCH_MAX_N	((long)BENCH_PER_DAY * 9999)
#define BENCH_GRID_RUNS	200
#define BENCH_PROC_RUNS	20
/* A guichet that has not answered by then is stuck: skip its figure. */
#define BENCH_PROC_TIMEOUT	30

extern char	**environ;

/* One booking of the bench, the same for op_apply and the raw inserts. */
struct slot {
	char		 id[UUID_LEN];
	int		 room;		/* 0 .. BENCH_ROOMS - 1 */
	int64_t		 start;
	int64_t		 end;
	char		 email[64];
};

static char			 tmpdir[256];
static int			 keep;
static volatile sig_atomic_t	 timed_out;

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "bench_core: %s: %s\n", path, strerror(errno));
	return (0);
}

/* Remove the temporary folder, whatever guichet may have left in it. */
static void
cleanup(void)
{
	if (tmpdir[0] == '\0')
		return;
	if (keep) {
		fprintf(stderr, "bench_core: kept %s\n", tmpdir);
		return;
	}
	if (nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "bench_core: %s: %s\n", tmpdir,
		    strerror(errno));
}

static __attribute__((format(printf, 1, 2), noreturn)) void
die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("bench_core: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);	/* cleanup() runs from atexit */
}

/* Microseconds on a clock that never steps back. */
static double
now_us(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		die("clock_gettime: %s", strerror(errno));
	return ((double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

/* Nearest-rank percentile of a sorted array. */
static double
percentile(const double *v, size_t n, unsigned p)
{
	size_t	rank = (p * n + 99) / 100;

	return (v[rank > 0 ? rank - 1 : 0]);
}

static double
mean(const double *v, size_t n)
{
	double	sum = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return (sum / (double)n);
}

/* splitmix64: cheap, well mixed, and the same on every run. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

/*
 * A version 4 UUID from a number: scattered over the key space like the
 * random ones clients make, so the indexes see the same insert pattern,
 * but repeatable.
 */
static void
uuid_of(uint64_t n, char *out)
{
	uint64_t	hi = mix(n * 2), lo = mix(n * 2 + 1);

	snprintf(out, UUID_LEN, "%08x-%04x-4%03x-%04x-%012llx",
	    (unsigned)(hi >> 32), (unsigned)(hi >> 16) & 0xffff,
	    (unsigned)hi & 0xfff, 0x8000 | ((unsigned)(lo >> 48) & 0x3fff),
	    (unsigned long long)lo & 0xffffffffffffULL);
}

static long
gcd(long a, long b)
{
	long	t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return (a);
}

/*
 * Lay the n bookings out from tomorrow on: slot j is room j % 40 at the
 * (j / 40)th half hour of day j / 1440. They are taken in a scattered
 * order (a stride coprime with n visits every slot once), as a desk takes
 * them, rather than sorted by time, which would only ever append.
 */
static struct slot *
slots_make(long n, int32_t today)
{
	struct slot	*v, *sl;
	long		 i, j, k, stride = 7919;
	int32_t		 day;
	int		 minute;

	while (gcd(stride, n) != 1)
		stride += 2;
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
		uuid_of((uint64_t)j, sl->id);
		snprintf(sl->email, sizeof sl->email, "p%ld@%s", j,
		    BENCH_DOMAIN);
	}
	return (v);
}

/*
 * Add the bench library and its rooms. This is seed data, written
 * straight into the store like demo_load() does: no operation creates
 * establishments or resources.
 */
static void
library_add(struct store *s, int64_t *rooms)
{
	sqlite3_stmt	*st;
	struct gerror	 err;
	int64_t		 lib;
	int		 i;
	char		 code[CODE_LEN], name[NAME_LEN];

	if (store_begin(s, &err) != GERR_OK)
		die("%s", err.msg);
	st = store_stmt(s, "INSERT INTO establishment (code, name, kind, tz) "
	    "VALUES (?, 'Bench library', 'library', ?)");
	sqlite3_bind_text(st, 1, BENCH_LIBRARY, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, BENCH_ZONE, -1, SQLITE_STATIC);
	if (store_step_done(st) != SQLITE_DONE)
		goto fail;
	lib = sqlite3_last_insert_rowid(s->db);
	for (i = 1; i <= 7; i++) {
		st = store_stmt(s, "INSERT INTO hours_weekly VALUES "
		    "(?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, lib);
		sqlite3_bind_int(st, 2, i);
		sqlite3_bind_int(st, 3, BENCH_OPEN);
		sqlite3_bind_int(st, 4, BENCH_CLOSE);
		if (store_step_done(st) != SQLITE_DONE)
			goto fail;
	}
	/* Held by the library itself; no duration limit, no quota. */
	for (i = 0; i < BENCH_ROOMS; i++) {
		snprintf(code, sizeof code, "%s-R%02d", BENCH_LIBRARY, i + 1);
		snprintf(name, sizeof name, "Bench room %d", i + 1);
		st = store_stmt(s, "INSERT INTO resource (code, name, type, "
		    "establishment_id, library_id, granularity) VALUES "
		    "(?1, ?2, 'group_room', ?3, ?3, ?4)");
		sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, lib);
		sqlite3_bind_int(st, 4, BENCH_STEP);
		if (store_step_done(st) != SQLITE_DONE)
			goto fail;
		rooms[i] = sqlite3_last_insert_rowid(s->db);
	}
	if (store_commit(s, &err) != GERR_OK)
		die("%s", err.msg);
	return;

fail:
	store_error(s, &err, "adding the bench library");
	store_rollback(s);
	die("%s", err.msg);
}

/* A fresh database with the demo and the bench library. */
static struct store *
bench_open(const char *name, int64_t *rooms)
{
	struct store	*s;
	struct gerror	 err;
	char		*path;

	path = xasprintf("%s/%s", tmpdir, name);
	if (store_open(path, STORE_CREATE, &s, &err) != GERR_OK)
		die("%s", err.msg);
	free(path);
	if (demo_load(s, &err) != GERR_OK)
		die("loading the demo: %s", err.msg);
	library_add(s, rooms);
	return (s);
}

/* Bookings of the bench library, to check that every write landed. */
static long
bench_count(struct store *s)
{
	sqlite3_stmt	*st;
	long		 n = -1;

	st = store_stmt(s, "SELECT count(*) FROM booking b JOIN resource r "
	    "ON r.id = b.resource_id JOIN establishment l ON "
	    "l.id = r.library_id WHERE l.code = ?");
	sqlite3_bind_text(st, 1, BENCH_LIBRARY, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (n);
}

static void
bench_check(struct store *s, const char *what, long n)
{
	long	got = bench_count(s);

	if (got != n)
		die("%s: %ld bookings written, %ld expected", what, got, n);
}

/* R1: open the window to the last day of the bench, as the admin. */
static void
window_open(struct store *s, const struct account *a, int days)
{
	json_t		*payload;
	struct gerror	 err;
	char		 value[32];

	if (days <= store_setting_int(s, "max_days_ahead", 31))
		return;
	snprintf(value, sizeof value, "%d", days);
	payload = json_pack("{s:s,s:s}", "key", "max_days_ahead", "value",
	    value);
	if (payload == NULL)
		die("json_pack: out of memory");
	if (op_apply(s, a, NULL, "setting", payload, NULL, &err) != GERR_OK)
		die("setting max_days_ahead: %s", err.msg);
	json_decref(payload);
}

/* (a) Each booking through the door; lat gets each call's microseconds. */
static double
bench_op(struct store *s, const struct account *a, const struct slot *v,
    long n, double *lat)
{
	json_t		*payload;
	struct gerror	 err;
	enum gerr	 e;
	char		 op[UUID_LEN], room[CODE_LEN];
	char		 start[CLOCK_ISO_LEN], end[CLOCK_ISO_LEN];
	double		 t0, total = 0;
	long		 i;

	for (i = 0; i < n; i++) {
		snprintf(room, sizeof room, "%s-R%02d", BENCH_LIBRARY,
		    v[i].room + 1);
		clock_format_iso(v[i].start, BENCH_ZONE, start);
		clock_format_iso(v[i].end, BENCH_ZONE, end);
		/* Apart from the booking's, so the two never collide. */
		uuid_of((uint64_t)(n + i), op);
		payload = json_pack("{s:s,s:s,s:s,s:s,s:s}", "resource", room,
		    "start", start, "end", end, "email", v[i].email, "id",
		    v[i].id);
		if (payload == NULL)
			die("json_pack: out of memory");
		t0 = now_us();
		e = op_apply(s, a, op, "book", payload, NULL, &err);
		lat[i] = now_us() - t0;
		json_decref(payload);
		if (e != GERR_OK)
			die("booking %ld refused (%s): %s", i, gerr_code(e),
			    err.msg);
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
		die("preparing the insert: %s", sqlite3_errmsg(s->db));
	t0 = now_us();
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
	t = now_us() - t0;
	sqlite3_finalize(st);
	return (t / 1e6);

fail:
	sqlite3_finalize(st);
	store_rollback(s);
	die("%s", err.msg);
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
		t0 = now_us();
		if (query_grid(s, day, BENCH_LIBRARY, &g) != GERR_OK)
			die("query_grid: %s", sqlite3_errmsg(s->db));
		if (i > 0)
			lat[i - 1] = now_us() - t0;
		*rows = g->nrows;
		*bookings = 0;
		for (r = 0; r < g->nrows; r++)
			*bookings += g->rows[r].nbookings;
		query_grid_free(g);
	}
}

/* No work here: waitpid returns EINTR and the loop kills the child. */
static void
on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/*
 * Run a program with no input and its output thrown away. Returns 0 if it
 * exited with status 0, with *ms its wall time; otherwise -1 and why.
 */
static int
spawn_wait(char **argv, char **envp, double *ms, char *why, size_t len)
{
	posix_spawn_file_actions_t	 fa;
	pid_t				 pid;
	double				 t0;
	int				 rc, status;

	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
	    0) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY,
	    0) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, 1, 2) != 0)
		die("posix_spawn_file_actions: %s", strerror(errno));
	t0 = now_us();
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		snprintf(why, len, "cannot run %s: %s", argv[0],
		    strerror(rc));
		return (-1);
	}
	timed_out = 0;
	alarm(BENCH_PROC_TIMEOUT);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
		if (timed_out && kill(pid, SIGKILL) != 0 && errno != ESRCH)
			die("kill: %s", strerror(errno));
	}
	alarm(0);
	*ms = (now_us() - t0) / 1e3;
	if (timed_out)
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

/*
 * The environment of guichet: ours, with the bench's clock, and a config
 * folder of its own so no guichet.ini of the user's changes the run.
 */
static char **
child_env(void)
{
	char	**env;
	size_t	  n = 0, i, j = 0;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 3, sizeof *env);
	for (i = 0; i < n; i++) {
		if (strncmp(environ[i], "GUICHET_NOW=", 12) == 0 ||
		    strncmp(environ[i], "XDG_CONFIG_HOME=", 16) == 0)
			continue;
		env[j++] = xstrdup(environ[i]);
	}
	env[j++] = xstrdup("GUICHET_NOW=" BENCH_NOW);
	env[j++] = xasprintf("XDG_CONFIG_HOME=%s", tmpdir);
	env[j] = NULL;
	return (env);
}

/* (b) `guichet -d DB grid --date DAY` as a whole process. */
static void
bench_process(const char *bin, int32_t day)
{
	struct sigaction	 sa;
	char			 date[TZ_DATE_LEN], why[512];
	char			*argv[7], **env;
	double			 ms[BENCH_PROC_RUNS];
	size_t			 i;

	if (access(bin, X_OK) != 0) {
		printf("guichet grid:    skipped (%s: %s; build it with 'make "
		    "guichet' or name it: bench_core [-n N] PATH)\n", bin,
		    strerror(errno));
		return;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	if (sigemptyset(&sa.sa_mask) != 0 ||
	    sigaction(SIGALRM, &sa, NULL) != 0)
		die("sigaction: %s", strerror(errno));
	tz_format_date(day, date);
	argv[0] = xstrdup(bin);
	argv[1] = xstrdup("-d");
	argv[2] = xasprintf("%s/op.db", tmpdir);
	argv[3] = xstrdup("grid");
	argv[4] = xstrdup("--date");
	argv[5] = xstrdup(date);
	argv[6] = NULL;
	env = child_env();

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
			qsort(ms, BENCH_PROC_RUNS, sizeof ms[0], cmp_double);
			printf("guichet grid:    mean %.1f ms, p50 %.1f ms, "
			    "p99 %.1f ms a process (%d runs of %s -d DB grid "
			    "--date %s)\n", mean(ms, BENCH_PROC_RUNS),
			    percentile(ms, BENCH_PROC_RUNS, 50),
			    percentile(ms, BENCH_PROC_RUNS, 99),
			    BENCH_PROC_RUNS, bin, date);
		}
	}
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: bench_core [-k] [-n count] [guichet]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct store	*s, *raw;
	struct account	*admin;
	struct slot	*slots;
	int64_t		 rooms[BENCH_ROOMS], now;
	int32_t		 today, day;
	double		*lat, glat[BENCH_GRID_RUNS], t_op, t_row, t_one;
	const char	*bin, *tmp, *errstr;
	size_t		 rows, bookings;
	long		 n = BENCH_DEFAULT_N;
	char		*end;
	int		 ch, i, days;

	while ((ch = getopt(argc, argv, "kn:")) != -1) {
		switch (ch) {
		case 'k':
			keep = 1;
			break;
		case 'n':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    n < 1 || n > BENCH_MAX_N) {
				fprintf(stderr, "bench_core: -n takes a count "
				    "from 1 to %ld, not '%s'\n", BENCH_MAX_N,
				    optarg);
				exit(2);
			}
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	if (argc > 1)
		usage();
	if (argc == 1)
		bin = argv[optind];
	else if ((bin = getenv("GUICHET")) == NULL || *bin == '\0')
		bin = "./guichet";

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(tmpdir, sizeof tmpdir, "%s/bench_core.XXXXXX",
	    tmp) >= sizeof tmpdir)
		die("TMPDIR is too long: %s", tmp);
	if (mkdtemp(tmpdir) == NULL) {
		errstr = strerror(errno);
		tmpdir[0] = '\0';
		die("mkdtemp in %s: %s", tmp, errstr);
	}
	if (atexit(cleanup) != 0) {
		cleanup();
		die("atexit failed");
	}
	if (clock_parse_iso(BENCH_NOW, BENCH_ZONE, &now) != 0)
		die("bad BENCH_NOW: %s", BENCH_NOW);
	clock_set(now);
	today = tz_local_day(BENCH_ZONE, now);
	days = 1 + (int)((n - 1) / BENCH_PER_DAY);
	slots = slots_make(n, today);

	printf("# bench_core: %ld bookings on %d rooms of %s over %d day%s, "
	    "clock %s, SQLite %s\n", n, BENCH_ROOMS, BENCH_LIBRARY, days,
	    days == 1 ? "" : "s", BENCH_NOW, sqlite3_libversion());
	printf("# command:");
	for (i = 0; i < optind + argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);

	/* (a) Through the door, then bare, in two fresh databases. */
	s = bench_open("op.db", rooms);
	if (account_load(s, "admin", &admin) != GERR_OK)
		die("cannot load the demo's admin account");
	window_open(s, admin, days);
	lat = xcalloc((size_t)n, sizeof *lat);
	t_op = bench_op(s, admin, slots, n, lat);
	bench_check(s, "op_apply", n);
	qsort(lat, (size_t)n, sizeof *lat, cmp_double);

	raw = bench_open("raw-row.db", rooms);
	t_row = bench_raw(raw, rooms, slots, n, 0, now);
	bench_check(raw, "raw inserts", n);
	store_close(raw);
	raw = bench_open("raw-one.db", rooms);
	t_one = bench_raw(raw, rooms, slots, n, 1, now);
	bench_check(raw, "raw inserts in one transaction", n);
	store_close(raw);

	printf("op_apply book:   %8.0f bookings/s (%.2f s; p50 %.0f us, "
	    "p99 %.0f us a booking; writes booking, patron, change_log, "
	    "op_result)\n", (double)n / t_op, t_op,
	    percentile(lat, (size_t)n, 50), percentile(lat, (size_t)n, 99));
	printf("raw, tx a row:   %8.0f bookings/s (%.2f s; booking row "
	    "only)\n", (double)n / t_row, t_row);
	printf("raw, one tx:     %8.0f bookings/s (%.2f s; booking row "
	    "only)\n", (double)n / t_one, t_one);
	printf("ratio:           op_apply is %.1fx slower than raw with a tx "
	    "a row, %.1fx slower than raw in one tx\n", t_op / t_row,
	    t_op / t_one);
	fflush(stdout);
	free(lat);
	free(slots);

	/* (b) The grid of a day in the middle of the bench. */
	day = today + 1 + days / 2;
	bench_grid(s, day, glat, &rows, &bookings);
	qsort(glat, BENCH_GRID_RUNS, sizeof glat[0], cmp_double);
	printf("query_grid:      mean %.0f us, p50 %.0f us, p99 %.0f us a "
	    "grid (%d runs; %zu rows, %zu bookings on day %d of %d)\n",
	    mean(glat, BENCH_GRID_RUNS), percentile(glat, BENCH_GRID_RUNS, 50),
	    percentile(glat, BENCH_GRID_RUNS, 99), BENCH_GRID_RUNS, rows,
	    bookings, day - today, days);
	fflush(stdout);
	account_free(admin);
	/* Closed first, so guichet finds the WAL checkpointed. */
	store_close(s);
	bench_process(bin, day);
	return (0);
}
