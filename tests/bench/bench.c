/*
 * Helpers of the benchmark programs (bench.h). Failing is always fatal
 * here: a benchmark that cannot set itself up has no figure to give, so
 * every helper dies rather than return an error, and the temporary folder
 * goes at exit.
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

#include "bench.h"
#include "clock.h"
#include "demo.h"
#include "ops.h"
#include "tz.h"
#include "xmalloc.h"

extern char	**environ;

static const char		*name = "bench";
static char			 tmpdir[256];
static int			 keep;
static volatile sig_atomic_t	 timed_out;

void
bench_init(const char *prog)
{
	name = prog;
}

void
bench_die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);	/* cleanup() runs from atexit */
}

long
bench_number(const char *opt, const char *s, long min, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "%s: -%s takes a count from %ld to %ld, not "
		    "'%s'\n", name, opt, min, max, s);
		exit(2);
	}
	return (v);
}

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "%s: %s: %s\n", name, path, strerror(errno));
	return (0);
}

/* Remove the temporary folder, whatever the children may have left in it. */
static void
cleanup(void)
{
	if (tmpdir[0] == '\0')
		return;
	if (keep) {
		fprintf(stderr, "%s: kept %s\n", name, tmpdir);
		return;
	}
	if (nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "%s: %s: %s\n", name, tmpdir, strerror(errno));
}

void
bench_tmpdir_make(int keep_it)
{
	const char	*tmp, *errstr;

	keep = keep_it;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(tmpdir, sizeof tmpdir, "%s/%s.XXXXXX", tmp,
	    name) >= sizeof tmpdir)
		bench_die("TMPDIR is too long: %s", tmp);
	if (mkdtemp(tmpdir) == NULL) {
		/* Read before tmpdir is cleared: nothing may touch errno. */
		errstr = strerror(errno);
		tmpdir[0] = '\0';
		bench_die("mkdtemp in %s: %s", tmp, errstr);
	}
	if (atexit(cleanup) != 0) {
		cleanup();
		bench_die("atexit failed");
	}
}

const char *
bench_tmpdir(void)
{
	return (tmpdir);
}

char *
bench_path(const char *file)
{
	return (xasprintf("%s/%s", tmpdir, file));
}

const char *
bench_program(int argc, char **argv, const char *env, const char *dflt)
{
	const char	*bin;

	if (argc > 1)
		return (NULL);
	if (argc == 1)
		return (argv[0]);
	if ((bin = getenv(env)) == NULL || *bin == '\0')
		return (dflt);
	return (bin);
}

void
bench_print_command(int argc, char **argv)
{
	int	i;

	printf("# command:");
	for (i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);
}

int32_t
bench_clock(int64_t *now)
{
	if (clock_parse_iso(BENCH_NOW, BENCH_ZONE, now) != 0)
		bench_die("bad BENCH_NOW: %s", BENCH_NOW);
	clock_set(*now);
	return (tz_local_day(BENCH_ZONE, *now));
}

double
bench_now_us(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		bench_die("clock_gettime: %s", strerror(errno));
	return ((double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3);
}

int
bench_cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

double
bench_percentile(const double *v, size_t n, unsigned p)
{
	size_t	rank = (p * n + 99) / 100;

	if (n == 0)
		return (0);
	return (v[rank > 0 ? rank - 1 : 0]);
}

void
bench_stats(const double *v, size_t n, struct bench_stats *st)
{
	double	*w, sum = 0;
	size_t	 i;

	memset(st, 0, sizeof *st);
	if (n == 0)
		return;
	w = xcalloc(n, sizeof *w);
	memcpy(w, v, n * sizeof *w);
	qsort(w, n, sizeof *w, bench_cmp_double);
	/* Summed in order, the mean is the same on every run of a set. */
	for (i = 0; i < n; i++)
		sum += w[i];
	st->mean = sum / (double)n;
	st->p50 = bench_percentile(w, n, 50);
	st->p99 = bench_percentile(w, n, 99);
	free(w);
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

void
bench_uuid(uint64_t n, char *out)
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

long
bench_stride(long n)
{
	long	stride = 7919;

	while (gcd(stride, n) != 1)
		stride += 2;
	return (stride);
}

/*
 * Add the bench library and its rooms. This is seed data, written
 * straight into the store like demo_load() does: no operation creates
 * establishments or resources.
 */
static void
library_add(struct store *s, int rooms, int digits, int64_t *ids)
{
	sqlite3_stmt	*st;
	struct gerror	 err;
	int64_t		 lib;
	int		 i;
	char		 code[CODE_LEN], room[NAME_LEN];

	if (store_begin(s, &err) != GERR_OK)
		bench_die("%s", err.msg);
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
	/* Exclusive rooms held by the library: no duration limit, no quota. */
	for (i = 0; i < rooms; i++) {
		snprintf(code, sizeof code, "%s-R%0*d", BENCH_LIBRARY, digits,
		    i + 1);
		snprintf(room, sizeof room, "Bench room %d", i + 1);
		st = store_stmt(s, "INSERT INTO resource (code, name, type, "
		    "establishment_id, library_id, granularity) VALUES "
		    "(?1, ?2, 'group_room', ?3, ?3, ?4)");
		sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, room, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, lib);
		sqlite3_bind_int(st, 4, BENCH_STEP);
		if (store_step_done(st) != SQLITE_DONE)
			goto fail;
		if (ids != NULL)
			ids[i] = sqlite3_last_insert_rowid(s->db);
	}
	if (store_commit(s, &err) != GERR_OK)
		bench_die("%s", err.msg);
	return;

fail:
	store_error(s, &err, "adding the bench library");
	store_rollback(s);
	bench_die("%s", err.msg);
}

struct store *
bench_db_create(const char *path, int rooms, int digits, int64_t *ids)
{
	struct store	*s;
	struct gerror	 err;

	if (store_open(path, STORE_CREATE, &s, &err) != GERR_OK)
		bench_die("%s", err.msg);
	if (demo_load(s, &err) != GERR_OK)
		bench_die("loading the demo: %s", err.msg);
	library_add(s, rooms, digits, ids);
	return (s);
}

void
bench_window_open(struct store *s, const struct account *a, int days)
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
		bench_die("json_pack: out of memory");
	if (op_apply(s, a, NULL, "setting", payload, NULL, &err) != GERR_OK)
		bench_die("setting max_days_ahead: %s", err.msg);
	json_decref(payload);
}

long
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

double
bench_book(struct store *s, const struct account *a,
    const struct bench_booking *b, const char *what, long i)
{
	json_t		*payload;
	struct gerror	 err;
	enum gerr	 e;
	double		 t0, us;

	payload = json_pack("{s:s,s:s,s:s,s:s,s:s}", "resource", b->room,
	    "start", b->start, "end", b->end, "email", b->email, "id", b->id);
	if (payload == NULL)
		bench_die("json_pack: out of memory");
	t0 = bench_now_us();
	e = op_apply(s, a, b->op, "book", payload, NULL, &err);
	us = bench_now_us() - t0;
	json_decref(payload);
	if (e != GERR_OK)
		bench_die("%s %ld refused (%s): %s", what, i, gerr_code(e),
		    err.msg);
	return (us);
}

char **
bench_child_env(void)
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

void
bench_strv_free(char **v)
{
	size_t	i;

	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int
bench_spawn(char **argv, char **envp, const char *out, pid_t *pid)
{
	posix_spawn_file_actions_t	 fa;
	int				 rc;

	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
	    0) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT |
	    O_TRUNC, 0600) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, 1, 2) != 0)
		bench_die("posix_spawn_file_actions: %s", strerror(errno));
	rc = posix_spawn(pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	return (rc);
}

/* No work here: waitpid returns EINTR and bench_wait kills the child. */
static void
on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

int
bench_wait(pid_t pid, unsigned seconds, int *status)
{
	static int		 installed;
	struct sigaction	 sa;

	/* Once: the handler stays, and timed waits pay no extra call. */
	if (!installed) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_alarm;
		if (sigemptyset(&sa.sa_mask) != 0 ||
		    sigaction(SIGALRM, &sa, NULL) != 0)
			bench_die("sigaction: %s", strerror(errno));
		installed = 1;
	}
	timed_out = 0;
	alarm(seconds);
	while (waitpid(pid, status, 0) == -1) {
		if (errno != EINTR)
			bench_die("waitpid: %s", strerror(errno));
		if (timed_out && kill(pid, SIGKILL) != 0 && errno != ESRCH)
			bench_die("kill: %s", strerror(errno));
	}
	alarm(0);
	return (timed_out != 0);
}

double
bench_bare(struct store *s, int64_t room, uint64_t base, long n,
    int64_t now, double *lat)
{
	static const char	 sql[] = "INSERT INTO booking (id, "
	    "resource_id, session_id, start, end, email, name, phone, places, "
	    "origin, status, created_by, created_at, changed_by, changed_at) "
	    "VALUES (?1, ?2, NULL, ?3, ?4, ?5, '', '', 1, 'desk', "
	    "'confirmed', 'admin', ?6, 'admin', ?6)";
	sqlite3_stmt		*st;
	struct gerror		 err;
	char			 id[UUID_LEN], email[64];
	double			 t0, t1;
	int64_t			 start;
	long			 i;

	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK)
		bench_die("preparing the insert: %s", sqlite3_errmsg(s->db));
	t0 = bench_now_us();
	for (i = 0; i < n; i++) {
		bench_uuid(base + (uint64_t)i, id);
		snprintf(email, sizeof email, "bare%llu@%s",
		    (unsigned long long)(base + (uint64_t)i), BENCH_DOMAIN);
		start = now + 86400 + (int64_t)(base + (uint64_t)i) * 1800;
		t1 = bench_now_us();
		if (store_begin(s, &err) != GERR_OK)
			bench_die("%s", err.msg);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, room);
		sqlite3_bind_int64(st, 3, start);
		sqlite3_bind_int64(st, 4, start + 1800);
		sqlite3_bind_text(st, 5, email, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, now);
		if (store_step_done(st) != SQLITE_DONE)
			bench_die("inserting a bare booking: %s",
			    sqlite3_errmsg(s->db));
		if (store_commit(s, &err) != GERR_OK)
			bench_die("%s", err.msg);
		if (lat != NULL)
			lat[i] = bench_now_us() - t1;
	}
	sqlite3_finalize(st);
	return ((bench_now_us() - t0) / 1e6);
}

void
bench_durable(struct store *s, int on)
{
	if (sqlite3_exec(s->db, on ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK)
		bench_die("synchronous: %s", sqlite3_errmsg(s->db));
}
