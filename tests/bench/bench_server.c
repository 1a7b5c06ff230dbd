/*
 * Benchmark of guichetd: what the HTTP API costs against the core's one
 * door called in-process. It is a program, not a test: it prints figures,
 * and fails only when it cannot set itself up (or the server dies).
 *
 * A demo database is made through the core, with a bench library of
 * exclusive rooms open 06:00-24:00 and R1's window widened so that the
 * T bookings of the run (-n, 50000 by default) never conflict: they fill
 * the 31 days from tomorrow evenly, and each has its own patron. Two
 * copies of it are made: one is served by the real guichetd (on a free
 * loopback port, GUICHET_NOW fixed, its request log in a file), the other
 * is written in-process.
 *
 * (a) T * 4/5 bookings through POST /api/v1/bookings as admin, in three
 *     equal runs with 1, 8 and 32 concurrent clients: threads, each with
 *     its own session (logged in once, before any timing), its own
 *     keep-alive connection (a plain HTTP/1.1 client, raw_do: libcurl
 *     cost 70-100 us of CPU a request on the processors guichetd uses;
 *     the other requests go through libcurl), and its own share of
 *     the slots. Bookings per second (wall time of the run), p50 and p99
 *     of each request, and the statuses (all should be 201). Every 201 is
 *     durable (the server's group commit, synchronous = FULL): just
 *     before each run and just after it, bare prepared INSERTs of one
 *     booking row a transaction with synchronous = FULL on a fresh
 *     database of the same folder give the disk's rate of durable commits
 *     (both together: it drifts within seconds), and the run's rate is
 *     divided by it (goal: 1.5 at 8 clients). Meanwhile one more client,
 *     with no session, reads GET /api/v1/establishments in a loop: a
 *     public GET's latency under the write load, 200 a second (-g RATE;
 *     -g 0 for back to back, which is a load of its own: thousands of
 *     GETs a second sharing the CPUs with the bookings).
 * (b) The same bookings, in the same order, through op_apply("book") as
 *     admin on the in-process copy (NORMAL, checkpointed by a thread as
 *     the server's writer is), one run against each HTTP run: rate,
 *     p50 and p99 of op_apply alone, and the ratio API / in-process.
 * (c) The last T/5 bookings as queued operations {"id", "kind": "book",
 *     "payload"} through POST /api/v1/ops in batches (-b, 100 by default)
 *     from one client, and the same operations in-process.
 * (d) The 31-day window, now T bookings, pulled back: GET /api/v1/changes
 *     paged with limit=1000 from after=0 until exhausted (the whole change
 *     log: it has no date window), then GET /api/v1/bookings?date=D&
 *     library=BENCH for each of the 31 days. Client-side JSON parsing is
 *     included in the times, as a client pays it.
 *
 * At the end the server is stopped with SIGTERM and its database is
 * checked to hold the T bookings. Client and server share the machine's
 * CPUs: the HTTP figures include the clients' own work (the CPU: line
 * says how much).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>

#include "bench.h"
#include "clock.h"
#include "domain.h"
#include "rights.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

#define BENCH_LOGIN	"admin"
#define BENCH_PASSWORD	"demo"
#define BENCH_DAYS	31
#define BENCH_DEFAULT_N	50000
#define BENCH_MAX_N	1000000L	/* 896 rooms: codes stay short */
#define BENCH_MAX_CLIENTS 32
#define BENCH_OPS_BATCH	100
#define BENCH_PAGE	1000		/* /changes limit: the most it takes */
#define BENCH_START_WAIT 10		/* seconds for guichetd to answer */
#define BENCH_STOP_WAIT	30		/* seconds for it to stop */
#define BENCH_SHOW	5		/* refusals printed a run */
#define BENCH_BARE	400		/* bare FULL inserts before a run */

static const int	 bench_clients[] = { 1, 8, 32 };
#define BENCH_RUNS	(int)(sizeof bench_clients / sizeof bench_clients[0])

/* One booking of the bench, the same over HTTP and in-process. */
struct slot {
	char		 id[UUID_LEN];		/* the booking's */
	char		 op[UUID_LEN];		/* the operation's */
	char		 room[CODE_LEN];
	char		 start[CLOCK_ISO_LEN];
	char		 end[CLOCK_ISO_LEN];
	char		 email[64];
};

/* A reply body gathered by libcurl. */
struct buf {
	char		*p;
	size_t		 len;
	size_t		 size;
};

/* One HTTP client: a session, a handle, one keep-alive connection. */
struct client {
	CURL			*h;
	struct curl_slist	*headers;
	char			 token[128];
	struct buf		 body;
	long			 connects;	/* connections opened */
	int			 fd;		/* raw_do's connection, or -1 */
	char			 in[16384];	/* what raw_do has read */
	size_t			 nin;

	/* A run: the slots first, first + step, ... below last. */
	pthread_t		 thread;
	pthread_barrier_t	*go;
	const struct slot	*slots;
	long			 first, last, step;
	double			*lat;		/* microseconds, by slot */
	int			*status;	/* HTTP status, by slot */
	char			*shown[BENCH_SHOW];	/* refusals' bodies */
	int			 nshown;
};

/* The public reader of a run: GET /establishments until told to stop. */
struct getter {
	struct client	 c;
	pthread_t	 thread;
	atomic_int	 stop;
	double		*lat;		/* microseconds, by GET */
	size_t		 n;
	size_t		 size;
	long		 bad;		/* answers other than 200 */
	long		 bad_status;	/* the last of them */
	long		 rate;		/* GETs a second, 0: back to back */
};

static char	 base_url[64];
static int	 server_port;
static pid_t	 server_pid = -1;

/*
 * Stop a server still running: registered after bench_tmpdir_make(), so
 * it runs before the folder it writes in is removed.
 */
static void
server_reap(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
		server_pid = -1;
	}
}

/*
 * Lay the n bookings out over the 31 days from tomorrow: slot j is on day
 * j % 31, at the ((j / 31) / rooms)th half hour of room (j / 31) % rooms,
 * so every day holds n / 31 of them. They are taken in a scattered order
 * (bench_stride()), as desks take them.
 */
static struct slot *
slots_make(long n, int rooms, int32_t today)
{
	struct slot	*v, *sl;
	long		 i, j, k, stride = bench_stride(n);
	int32_t		 day;
	int		 minute;

	v = xcalloc((size_t)n, sizeof *v);
	for (i = 0; i < n; i++) {
		sl = &v[i];
		j = (long)((long long)i * stride % n);
		day = today + 1 + (int32_t)(j % BENCH_DAYS);
		k = j / BENCH_DAYS;
		minute = BENCH_OPEN + (int)(k / rooms) * BENCH_STEP;
		snprintf(sl->room, sizeof sl->room, "%s-R%03ld", BENCH_LIBRARY,
		    k % rooms + 1);
		clock_format_iso(tz_local_to_utc(BENCH_ZONE, day, minute),
		    BENCH_ZONE, sl->start);
		clock_format_iso(tz_local_to_utc(BENCH_ZONE, day,
		    minute + BENCH_STEP), BENCH_ZONE, sl->end);
		bench_uuid((uint64_t)j, sl->id);
		/* Apart from the bookings', so the two never collide. */
		bench_uuid((uint64_t)(n + j), sl->op);
		snprintf(sl->email, sizeof sl->email, "p%ld@%s", j,
		    BENCH_DOMAIN);
	}
	return (v);
}

/* The booking payload of a slot, as JSON text for the API. */
static int
slot_json(const struct slot *sl, char *out, size_t size)
{
	return (snprintf(out, size, "{\"resource\":\"%s\",\"start\":\"%s\","
	    "\"end\":\"%s\",\"email\":\"%s\",\"id\":\"%s\"}", sl->room,
	    sl->start, sl->end, sl->email, sl->id));
}

/* The demo, the bench library and the window, closed (WAL folded in). */
static void
base_make(const char *path, int rooms)
{
	struct store	*s;
	struct account	*admin;

	s = bench_db_create(path, rooms, 3, NULL);
	if (account_load(s, BENCH_LOGIN, &admin) != GERR_OK)
		bench_die("cannot load the demo's %s account", BENCH_LOGIN);
	bench_window_open(s, admin, BENCH_DAYS + 9);
	account_free(admin);
	store_close(s);
}

static void
file_copy(const char *from, const char *to)
{
	FILE	*in, *out;
	char	 b[65536];
	size_t	 n;

	if ((in = fopen(from, "rb")) == NULL)
		bench_die("%s: %s", from, strerror(errno));
	if ((out = fopen(to, "wb")) == NULL)
		bench_die("%s: %s", to, strerror(errno));
	while ((n = fread(b, 1, sizeof b, in)) > 0)
		if (fwrite(b, 1, n, out) != n)
			bench_die("%s: %s", to, strerror(errno));
	if (ferror(in))
		bench_die("%s: %s", from, strerror(errno));
	fclose(in);
	if (fclose(out) != 0)
		bench_die("%s: %s", to, strerror(errno));
}

/* A loopback port nobody holds now (the kernel's pick). */
static int
free_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		bench_die("socket: %s", strerror(errno));
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
		bench_die("finding a free port: %s", strerror(errno));
	port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

/* The last lines of guichetd's log, when it fails. */
static void
log_tail(const char *log)
{
	char	*cmd;

	cmd = xasprintf("tail -n 20 '%s' >&2", log);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_server: cannot show %s\n", log);
	free(cmd);
}

static size_t
on_data(char *p, size_t size, size_t n, void *cls)
{
	struct buf	*b = cls;
	size_t		 len = size * n;

	if (b->len + len + 1 > b->size) {
		b->size = (b->len + len + 1) * 2;
		b->p = xrealloc(b->p, b->size);
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
	return (len);
}

static void
client_init(struct client *c)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	if ((c->h = curl_easy_init()) == NULL)
		bench_die("curl_easy_init failed");
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &c->body);
	c->headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	/* No 100-continue round trip for the larger batches. */
	c->headers = curl_slist_append(c->headers, "Expect:");
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
}

static void
client_free(struct client *c)
{
	int	i;

	curl_easy_cleanup(c->h);
	curl_slist_free_all(c->headers);
	if (c->fd != -1)
		close(c->fd);
	free(c->body.p);
	for (i = 0; i < c->nshown; i++)
		free(c->shown[i]);
}

/*
 * One request: POST body (GET if NULL) to the API path. Returns the HTTP
 * status, or 0 with the body saying why libcurl failed.
 */
static long
client_do(struct client *c, const char *path, const char *body, size_t len)
{
	char		 url[512];
	long		 status = 0, connects = 0;
	CURLcode	 rc;

	snprintf(url, sizeof url, "%s%s", base_url, path);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	if (body != NULL) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)len);
	} else
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	c->body.len = 0;
	if (c->body.p != NULL)
		c->body.p[0] = '\0';
	rc = curl_easy_perform(c->h);
	if (rc != CURLE_OK) {
		on_data((char *)(uintptr_t)curl_easy_strerror(rc), 1,
		    strlen(curl_easy_strerror(rc)), &c->body);
		return (0);
	}
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c->h, CURLINFO_NUM_CONNECTS, &connects);
	c->connects += connects;
	return (status);
}

/*
 * The timed requests' client: HTTP/1.1 over one keep-alive socket, a
 * tenth of libcurl's CPU (which shares the 2 processors with guichetd).
 * The same request as client_do (the session's token, JSON, a length),
 * the reply's status and body read by its Content-Length. Returns the
 * status, or 0 with the body saying what failed (the socket is then
 * closed and the next request opens another).
 */
static long
raw_do(struct client *c, const char *method, const char *path,
    const char *body, size_t len)
{
	struct sockaddr_in	 sin;
	char			 head[1024], *end, *p;
	size_t			 n, need, off;
	ssize_t			 k;
	long			 status, clen = -1;
	int			 one = 1, closing;

	c->body.len = 0;
	if (c->fd == -1) {
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)server_port);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((c->fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    connect(c->fd, (struct sockaddr *)&sin, sizeof sin) != 0)
			goto fail;
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		c->connects++;
		c->nin = 0;
	}
	n = (size_t)snprintf(head, sizeof head, "%s /api/v1%s HTTP/1.1\r\n"
	    "Host: 127.0.0.1:%d\r\n%s%s%s", method, path, server_port,
	    c->token[0] != '\0' ? "Authorization: Bearer " : "", c->token,
	    c->token[0] != '\0' ? "\r\n" : "");
	if (body != NULL)
		n += (size_t)snprintf(head + n, sizeof head - n, "Content-Type: "
		    "application/json\r\nContent-Length: %zu\r\n", len);
	n += (size_t)snprintf(head + n, sizeof head - n, "\r\n");
	if (n >= sizeof head || write(c->fd, head, n) != (ssize_t)n ||
	    (body != NULL && write(c->fd, body, len) != (ssize_t)len))
		goto fail;
	/* The head of the reply. */
	for (;;) {
		c->in[c->nin] = '\0';
		if ((end = strstr(c->in, "\r\n\r\n")) != NULL)
			break;
		if (c->nin + 1 >= sizeof c->in ||
		    (k = read(c->fd, c->in + c->nin, sizeof c->in - 1 -
		    c->nin)) <= 0)
			goto fail;
		c->nin += (size_t)k;
	}
	if (strncmp(c->in, "HTTP/1.1 ", 9) != 0 ||
	    (status = strtol(c->in + 9, NULL, 10)) < 100)
		goto fail;
	*end = '\0';
	closing = 0;
	for (p = strchr(c->in, '\n'); p != NULL; p = strchr(p + 1, '\n'))
		if (strncasecmp(p + 1, "Content-Length:", 15) == 0)
			clen = strtol(p + 16, NULL, 10);
		else if (strncasecmp(p + 1, "Connection: close", 17) == 0)
			closing = 1;
	if (clen < 0)
		goto fail;
	/* The body: what came with the head, then the rest. */
	off = (size_t)(end + 4 - c->in);
	need = (size_t)clen;
	n = c->nin - off < need ? c->nin - off : need;
	on_data(c->in + off, 1, n, &c->body);
	memmove(c->in, c->in + off + n, c->nin - off - n);
	c->nin -= off + n;
	while (c->body.len < need) {
		if ((k = read(c->fd, c->in, need - c->body.len < sizeof c->in ?
		    need - c->body.len : sizeof c->in)) <= 0)
			goto fail;
		on_data(c->in, 1, (size_t)k, &c->body);
	}
	if (closing) {
		close(c->fd);
		c->fd = -1;
	}
	return (status);
fail:
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->body.len = 0;
	on_data((char *)(uintptr_t)"raw_do: the connection failed", 1,
	    strlen("raw_do: the connection failed"), &c->body);
	return (0);
}

/* The body of the last reply as JSON, or die saying what came. */
static json_t *
client_json(struct client *c, long status, const char *what)
{
	json_error_t	 jerr;
	json_t		*v;

	v = json_loadb(c->body.p != NULL ? c->body.p : "", c->body.len, 0,
	    &jerr);
	if (v == NULL)
		bench_die("%s: status %ld, not JSON (%s): %.200s", what, status,
		    jerr.text, c->body.p != NULL ? c->body.p : "");
	return (v);
}

/* Log in as the admin: the token goes into the client's headers. */
static void
client_login(struct client *c)
{
	static const char	 body[] = "{\"login\":\"" BENCH_LOGIN "\","
	    "\"password\":\"" BENCH_PASSWORD "\"}";
	json_t			*v;
	char			 auth[160];
	long			 status;

	/* On the raw connection the timed requests will keep: libcurl's
	 * would stay open too, past the edge's connections an address. */
	status = raw_do(c, "POST", "/sessions", body, strlen(body));
	if (status != 201)
		bench_die("POST /sessions: status %ld: %.300s", status,
		    c->body.p != NULL ? c->body.p : "");
	v = client_json(c, status, "POST /sessions");
	if (!json_is_string(json_object_get(v, "token")))
		bench_die("POST /sessions: no token in %.300s", c->body.p);
	snprintf(c->token, sizeof c->token, "%s",
	    json_string_value(json_object_get(v, "token")));
	json_decref(v);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
	c->headers = curl_slist_append(c->headers, auth);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
}

/* A client's share of a run of POST /bookings. */
static void *
client_run(void *arg)
{
	struct client	*c = arg;
	char		 body[1024];
	double		 t0;
	long		 i, status;
	int		 len;

	pthread_barrier_wait(c->go);
	for (i = c->first; i < c->last; i += c->step) {
		len = slot_json(&c->slots[i], body, sizeof body);
		t0 = bench_now_us();
		status = raw_do(c, "POST", "/bookings", body, (size_t)len);
		c->lat[i] = bench_now_us() - t0;
		c->status[i] = (int)status;
		if (status != 201 && c->nshown < BENCH_SHOW)
			c->shown[c->nshown++] = xasprintf("%ld %.300s", status,
			    c->body.p != NULL ? c->body.p : "");
	}
	return (NULL);
}

/* The statuses of a run, "201 x 1000" or "201 x 990, 409 x 10". */
static void
statuses(const int *status, long first, long n, char *out, size_t size,
    long *bad)
{
	long	count[600];
	long	i;
	int	s, len = 0;

	memset(count, 0, sizeof count);
	for (i = first; i < first + n; i++)
		count[status[i] >= 0 && status[i] < 600 ? status[i] : 0]++;
	*bad = n - count[201];
	out[0] = '\0';
	for (s = 0; s < 600; s++)
		if (count[s] > 0 && len < (int)size)
			len += snprintf(out + len, size - (size_t)len, "%s%d x "
			    "%ld", len > 0 ? ", " : "", s, count[s]);
}

static void *
getter_run(void *arg)
{
	struct getter	*g = arg;
	double		 t0, next = bench_now_us(), wait;
	long		 status;

	while (!atomic_load(&g->stop)) {
		/* Paced, a probe of the latency; else a load of its own. */
		if (g->rate > 0) {
			next += 1e6 / (double)g->rate;
			if ((wait = next - bench_now_us()) > 0)
				usleep((useconds_t)wait);
		}
		t0 = bench_now_us();
		status = raw_do(&g->c, "GET", "/establishments", NULL, 0);
		if (g->n == g->size) {
			g->size = g->size * 2 + 256;
			g->lat = xreallocarray(g->lat, g->size, sizeof *g->lat);
		}
		g->lat[g->n++] = bench_now_us() - t0;
		if (status != 200) {
			g->bad++;
			g->bad_status = status;
		}
	}
	return (NULL);
}

static void
getter_start(struct getter *g)
{
	g->n = 0;
	g->bad = 0;
	g->bad_status = 0;
	atomic_store(&g->stop, 0);
	if (pthread_create(&g->thread, NULL, getter_run, g) != 0)
		bench_die("pthread_create failed");
}

static void
getter_stop(struct getter *g)
{
	atomic_store(&g->stop, 1);
	pthread_join(g->thread, NULL);
}

/*
 * (a) Slots first .. first + n through POST /bookings by k clients at
 * once; the wall time from the start line to the last reply.
 */
static double
run_http(struct client *cl, int k, const struct slot *slots, long first,
    long n, double *lat, int *status, long *connects)
{
	pthread_barrier_t	 go;
	double			 t0;
	int			 i, j;

	if (pthread_barrier_init(&go, NULL, (unsigned)k + 1) != 0)
		bench_die("pthread_barrier_init failed");
	*connects = 0;
	for (i = 0; i < k; i++) {
		cl[i].go = &go;
		cl[i].slots = slots;
		cl[i].first = first + i;
		cl[i].last = first + n;
		cl[i].step = k;
		cl[i].lat = lat;
		cl[i].status = status;
		cl[i].connects = 0;
		if (pthread_create(&cl[i].thread, NULL, client_run,
		    &cl[i]) != 0)
			bench_die("pthread_create failed");
	}
	pthread_barrier_wait(&go);
	t0 = bench_now_us();
	for (i = 0; i < k; i++) {
		pthread_join(cl[i].thread, NULL);
		*connects += cl[i].connects;
	}
	t0 = bench_now_us() - t0;
	pthread_barrier_destroy(&go);
	for (i = 0; i < k; i++) {
		for (j = 0; j < cl[i].nshown; j++) {
			printf("  not 201 (client %d): %s\n", i, cl[i].shown[j]);
			free(cl[i].shown[j]);
		}
		cl[i].nshown = 0;
	}
	return (t0 / 1e6);
}

/* (b), (c) The same slots through op_apply in-process; op_apply timed. */
static double
run_core(struct store *s, const struct account *a, const struct slot *v,
    long first, long n, double *lat)
{
	double	total = 0;
	long	i;

	for (i = first; i < first + n; i++) {
		lat[i] = bench_book(s, a, &(struct bench_booking){
		    .op = v[i].op, .room = v[i].room, .start = v[i].start,
		    .end = v[i].end, .email = v[i].email, .id = v[i].id },
		    "in-process booking", i);
		total += lat[i];
	}
	return (total / 1e6);
}

/*
 * (c) Slots first .. first + n as operations through POST /ops, batch a
 * request; lat gets each batch's microseconds. Returns the wall time.
 */
static double
run_ops(struct client *c, const struct slot *v, long first, long n,
    int batch, double *lat, long *applied, long *nbatches)
{
	json_t		*r, *results, *one;
	char		*body, pay[1024];
	size_t		 size, len, k;
	double		 t0, t1, total0;
	long		 i, b, status, shown = 0;

	size = (size_t)batch * 1400 + 64;
	body = xmalloc(size);
	*applied = 0;
	*nbatches = 0;
	total0 = bench_now_us();
	for (i = first; i < first + n; i += batch) {
		len = (size_t)snprintf(body, size, "{\"ops\":[");
		for (b = i; b < i + batch && b < first + n; b++) {
			slot_json(&v[b], pay, sizeof pay);
			len += (size_t)snprintf(body + len, size - len,
			    "%s{\"id\":\"%s\",\"kind\":\"book\",\"payload\":"
			    "%s}", b > i ? "," : "", v[b].op, pay);
		}
		len += (size_t)snprintf(body + len, size - len, "]}");
		t0 = bench_now_us();
		status = client_do(c, "/ops", body, len);
		t1 = bench_now_us();
		lat[(*nbatches)++] = t1 - t0;
		if (status != 200)
			bench_die("POST /ops: status %ld: %.300s", status,
			    c->body.p != NULL ? c->body.p : "");
		r = client_json(c, status, "POST /ops");
		results = json_object_get(r, "results");
		for (k = 0; k < json_array_size(results); k++) {
			one = json_array_get(results, k);
			if (json_is_string(json_object_get(one, "status")) &&
			    strcmp(json_string_value(json_object_get(one,
			    "status")), "applied") == 0)
				(*applied)++;
			else if (shown++ < BENCH_SHOW) {
				char	*t = json_dumps(one, JSON_COMPACT);

				printf("  not applied: %.300s\n", t);
				free(t);
			}
		}
		if ((long)json_array_size(results) != b - i)
			bench_die("POST /ops: %zu results for %ld operations",
			    json_array_size(results), b - i);
		json_decref(r);
	}
	free(body);
	return ((bench_now_us() - total0) / 1e6);
}

/*
 * (d) GET /changes from after=0, BENCH_PAGE a page, until a page comes
 * back empty. Counts the changes, those of bookings, pages and bytes.
 */
static double
pull_changes(struct client *c, long *nchanges, long *nbookings, long *pages,
    double *bytes)
{
	json_t		*r, *list, *ch;
	char		 path[128];
	long long	 after = 0;
	long		 status;
	size_t		 i, n;
	double		 t0 = bench_now_us();

	*nchanges = *nbookings = *pages = 0;
	*bytes = 0;
	for (;;) {
		snprintf(path, sizeof path, "/changes?after=%lld&limit=%d",
		    after, BENCH_PAGE);
		status = client_do(c, path, NULL, 0);
		if (status != 200)
			bench_die("GET %s: status %ld: %.300s", path, status,
			    c->body.p != NULL ? c->body.p : "");
		(*pages)++;
		*bytes += (double)c->body.len;
		r = client_json(c, status, "GET /changes");
		list = json_object_get(r, "changes");
		n = json_array_size(list);
		for (i = 0; i < n; i++) {
			ch = json_array_get(list, i);
			if (json_is_string(json_object_get(ch, "entity")) &&
			    strcmp(json_string_value(json_object_get(ch,
			    "entity")), "booking") == 0)
				(*nbookings)++;
		}
		*nchanges += (long)n;
		if (!json_is_integer(json_object_get(r, "last")))
			bench_die("GET /changes: no 'last' in the reply");
		after = json_integer_value(json_object_get(r, "last"));
		json_decref(r);
		if (n == 0)
			break;
	}
	return ((bench_now_us() - t0) / 1e6);
}

/* (d) GET /bookings?date=D&library=BENCH for each day of the window. */
static double
pull_days(struct client *c, int32_t today, double *lat, long *nbookings,
    double *bytes)
{
	json_t		*r;
	char		 path[128], date[TZ_DATE_LEN];
	long		 status;
	int		 d;
	double		 t0 = bench_now_us(), t;

	*nbookings = 0;
	*bytes = 0;
	for (d = 0; d < BENCH_DAYS; d++) {
		tz_format_date(today + 1 + d, date);
		snprintf(path, sizeof path, "/bookings?date=%s&library=%s",
		    date, BENCH_LIBRARY);
		t = bench_now_us();
		status = client_do(c, path, NULL, 0);
		if (status != 200)
			bench_die("GET %s: status %ld: %.300s", path, status,
			    c->body.p != NULL ? c->body.p : "");
		r = client_json(c, status, "GET /bookings");
		lat[d] = bench_now_us() - t;
		if (!json_is_array(r))
			bench_die("GET %s: not an array", path);
		*nbookings += (long)json_array_size(r);
		*bytes += (double)c->body.len;
		json_decref(r);
	}
	return ((bench_now_us() - t0) / 1e6);
}

/*
 * The CPU time guichetd has used, in microseconds (utime + stime of
 * /proc/PID/stat, all its threads), or -1 where there is no /proc.
 */
static double
server_cpu_us(void)
{
	char	 path[64], line[1024], *p;
	FILE	*f;
	unsigned long long ut, st;
	long	 hz = sysconf(_SC_CLK_TCK);
	int	 ok;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)server_pid);
	if (hz <= 0 || (f = fopen(path, "r")) == NULL)
		return (-1);
	ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	/* After the command's closing parenthesis: state is field 3,
	 * utime 14 and stime 15. */
	if (!ok || (p = strrchr(line, ')')) == NULL || sscanf(p + 2,
	    "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
	    &st) != 2)
		return (-1);
	return ((double)(ut + st) * 1e6 / (double)hz);
}

/* The CPU time of this process (the clients and the reader), in us. */
static double
self_cpu_us(void)
{
	struct rusage	ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return (-1);
	return ((double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec));
}

/* Start guichetd on the database; returns once it answers. */
static void
server_start(const char *bin, const char *db, const char *ini, int port,
    const char *log)
{
	struct client	 c;
	char		*argv[8], listen[32], **env;
	double		 t0;
	long		 status;
	int		 rc, wstatus;

	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	argv[0] = (char *)(uintptr_t)bin;
	argv[1] = (char *)(uintptr_t)"-c";
	argv[2] = (char *)(uintptr_t)ini;
	argv[3] = (char *)(uintptr_t)"--db";
	argv[4] = (char *)(uintptr_t)db;
	argv[5] = (char *)(uintptr_t)"--listen";
	argv[6] = listen;
	argv[7] = NULL;
	env = bench_child_env();
	rc = bench_spawn(argv, env, log, &server_pid);
	bench_strv_free(env);
	if (rc != 0) {
		server_pid = -1;
		bench_die("cannot run %s: %s (build it with 'make guichetd', or "
		    "name it: bench_server [options] PATH, or GUICHETD=PATH)",
		    bin, strerror(rc));
	}

	client_init(&c);
	curl_easy_setopt(c.h, CURLOPT_TIMEOUT, 2L);
	t0 = bench_now_us();
	for (;;) {
		if (waitpid(server_pid, &wstatus, WNOHANG) == server_pid) {
			server_pid = -1;
			log_tail(log);
			bench_die("%s exited before answering", bin);
		}
		status = client_do(&c, "/establishments", NULL, 0);
		if (status == 200)
			break;
		if (bench_now_us() - t0 > BENCH_START_WAIT * 1e6) {
			log_tail(log);
			bench_die("%s did not answer on %s in %d s", bin, listen,
			    BENCH_START_WAIT);
		}
		usleep(20000);
	}
	client_free(&c);
}

/* SIGTERM, and wait for it to stop (SIGKILL after BENCH_STOP_WAIT). */
static double
server_stop(const char *log)
{
	double	t0;
	int	status, killed;

	t0 = bench_now_us();
	if (kill(server_pid, SIGTERM) != 0)
		bench_die("kill: %s", strerror(errno));
	killed = bench_wait(server_pid, BENCH_STOP_WAIT, &status);
	server_pid = -1;
	if (killed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_tail(log);
		bench_die("guichetd did not stop cleanly on SIGTERM (%s)",
		    killed ? "killed" : "bad exit");
	}
	return ((bench_now_us() - t0) / 1e3);
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: bench_server [-k] [-n count] [-b batch] "
	    "[-g gets] [-t threads] [guichetd]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct client		*cl;
	struct getter		 get;
	struct store		*s, *bare;
	int64_t			 bare_room;
	double			 t_bare[BENCH_RUNS], blatv[2 * BENCH_BARE];
	struct bench_stats	 gst, bst;
	long			 nbare;
	struct account		*admin;
	struct slot		*slots;
	struct bench_stats	 st;
	FILE			*f;
	char			*base, *srv, *core, *ini, *log, shown[256];
	const char		*bin;
	double			*lat, *clat, *blat, dlat[BENCH_DAYS],
				 t_http[BENCH_RUNS], t_core[BENCH_RUNS], t,
				 t_ops, t_opscore, bytes, stop_ms,
				 cpu_server, cpu_self;
	int			*status;
	long			 n = BENCH_DEFAULT_N, batch = BENCH_OPS_BATCH,
				 threads = 4, nops, first[BENCH_RUNS + 1], per,
				 connects, bad, applied, nbatch, nch, nchb,
				 pages, nday, got, get_rate = 200;
	int64_t			 now;
	int32_t			 today;
	int			 ch, keep = 0, rooms, run, k, port;

	bench_init("bench_server");
	while ((ch = getopt(argc, argv, "b:g:kn:t:")) != -1) {
		switch (ch) {
		case 'b':
			batch = bench_number("b", optarg, 1, 500);
			break;
		case 'g':
			get_rate = bench_number("g", optarg, 0, 100000);
			break;
		case 'k':
			keep = 1;
			break;
		case 'n':
			n = bench_number("n", optarg, 5, BENCH_MAX_N);
			break;
		case 't':
			threads = bench_number("t", optarg, 1, 256);
			break;
		default:
			usage();
		}
	}
	bin = bench_program(argc - optind, argv + optind, "GUICHETD",
	    "./guichetd");
	if (bin == NULL)
		usage();
	if (access(bin, X_OK) != 0)
		bench_die("%s: %s (build it with 'make guichetd', or name it: "
		    "bench_server [options] PATH, or GUICHETD=PATH)", bin,
		    strerror(errno));

	bench_tmpdir_make(keep);
	if (atexit(server_reap) != 0)
		bench_die("atexit failed");
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		bench_die("curl_global_init failed");
	today = bench_clock(&now);

	/* The runs: n/5 operations last, the rest in three equal parts. */
	rooms = (int)((n + (long)BENCH_DAYS * BENCH_SLOTS - 1) /
	    ((long)BENCH_DAYS * BENCH_SLOTS));
	nops = n / 5;
	per = (n - nops) / BENCH_RUNS;
	first[0] = 0;
	for (run = 0; run < BENCH_RUNS; run++)
		first[run + 1] = first[run] + per +
		    (run < (n - nops) % BENCH_RUNS);
	slots = slots_make(n, rooms, today);

	printf("# bench_server: %ld bookings on %d rooms of %s over %d days, "
	    "clock %s, guichetd %s with %ld threads, SQLite %s, libcurl %s\n", n,
	    rooms, BENCH_LIBRARY, BENCH_DAYS, BENCH_NOW, bin, threads,
	    sqlite3_libversion(), curl_version_info(CURLVERSION_NOW)->version);
	bench_print_command(argc, argv);

	/* One database, served by guichetd and written in-process. */
	base = bench_path("base.db");
	srv = bench_path("server.db");
	core = bench_path("core.db");
	ini = bench_path("guichetd.ini");
	log = bench_path("guichetd.log");
	base_make(base, rooms);
	/* The bare durable inserts: a fresh database in the same folder. */
	nbare = 0;
	{
		char	*p = bench_path("bare.db");

		bare = bench_db_create(p, 1, 3, &bare_room);
		free(p);
	}
	bench_durable(bare, 1);
	file_copy(base, srv);
	file_copy(base, core);
	if ((f = fopen(ini, "w")) == NULL)
		bench_die("%s: %s", ini, strerror(errno));
	/* Every client and the public reader come from 127.0.0.1: above
	 * the edge's limit of 32 connections an address, the reader's was
	 * refused and timed only its failures. */
	fprintf(f, "[server]\nthreads = %ld\nconnections_per_address = %d\n",
	    threads, BENCH_MAX_CLIENTS + 8);
	if (fclose(f) != 0)
		bench_die("%s: %s", ini, strerror(errno));
	port = free_port();
	server_port = port;
	snprintf(base_url, sizeof base_url, "http://127.0.0.1:%d/api/v1",
	    port);
	server_start(bin, srv, ini, port, log);

	/* The sessions, before any timing: argon2id is slow on purpose. */
	cl = xcalloc(BENCH_MAX_CLIENTS, sizeof *cl);
	t = bench_now_us();
	for (k = 0; k < BENCH_MAX_CLIENTS; k++) {
		client_init(&cl[k]);
		client_login(&cl[k]);
	}
	t = bench_now_us() - t;
	printf("login:           %d sessions in %.2f s (%.0f ms a POST "
	    "/sessions, argon2id)\n", BENCH_MAX_CLIENTS, t / 1e6,
	    t / 1e3 / BENCH_MAX_CLIENTS);
	fflush(stdout);

	/* (a) Over HTTP, then (b) the same bookings in-process. */
	lat = xcalloc((size_t)n, sizeof *lat);
	clat = xcalloc((size_t)n, sizeof *clat);
	status = xcalloc((size_t)n, sizeof *status);
	memset(&get, 0, sizeof get);
	client_init(&get.c);
	get.rate = get_rate;
	for (run = 0; run < BENCH_RUNS; run++) {
		k = bench_clients[run];
		/* The disk's durable commits, bare, just before (and just
		 * after, below: its rate drifts by half within seconds). */
		t_bare[run] = bench_bare(bare, bare_room, (uint64_t)nbare,
		    BENCH_BARE, now, blatv);
		nbare += BENCH_BARE;
		getter_start(&get);
		cpu_server = server_cpu_us();
		cpu_self = self_cpu_us();
		t_http[run] = run_http(cl, k, slots, first[run],
		    first[run + 1] - first[run], lat, status, &connects);
		cpu_server = server_cpu_us() - cpu_server;
		cpu_self = self_cpu_us() - cpu_self;
		getter_stop(&get);
		t_bare[run] += bench_bare(bare, bare_room, (uint64_t)nbare,
		    BENCH_BARE, now, blatv + BENCH_BARE);
		nbare += BENCH_BARE;
		bench_stats(blatv, 2 * BENCH_BARE, &bst);
		statuses(status, first[run], first[run + 1] - first[run],
		    shown, sizeof shown, &bad);
		bench_stats(lat + first[run], (size_t)(first[run + 1] -
		    first[run]), &st);
		bench_stats(get.lat, get.n, &gst);
		printf("bare FULL:       %8.0f inserts/s (%d before the run "
		    "and %d after, a transaction each, synchronous = FULL; "
		    "p50 %.0f us, p99 %.0f us)\n", 2 * BENCH_BARE /
		    t_bare[run], BENCH_BARE, BENCH_BARE, bst.p50, bst.p99);
		printf("POST /bookings:  %8.0f bookings/s with %2d client%s "
		    "(%ld in %.2f s; p50 %.0f us, p99 %.0f us a request; %s; "
		    "%ld new connection%s)\n", (double)(first[run + 1] -
		    first[run]) / t_http[run], k, k == 1 ? " " : "s",
		    first[run + 1] - first[run], t_http[run], st.p50, st.p99,
		    shown,
		    connects, connects == 1 ? "" : "s");
		printf("durable/bare:    %8.2f with %2d client%s (%.0f durable "
		    "bookings/s over %.0f bare FULL commits/s; goal >= 1.5 at "
		    "8)\n", (double)(first[run + 1] - first[run]) /
		    t_http[run] / (2 * BENCH_BARE / t_bare[run]), k,
		    k == 1 ? " " : "s", (double)(first[run + 1] - first[run]) /
		    t_http[run], 2 * BENCH_BARE / t_bare[run]);
		printf("GET public:      p50 %.0f us, p99 %.0f us (%zu GET "
		    "/establishments during the %d-client run, %s, %ld not "
		    "200, the last %ld)\n", gst.p50, gst.p99, get.n, k,
		    get.rate > 0 ? "paced" : "back to back", get.bad,
		    get.bad_status);
		per = first[run + 1] - first[run];
		printf("CPU:             %8.0f us a booking in guichetd, %.0f "
		    "us in the clients and the reader (%.2f and %.2f CPUs "
		    "over the run; the GETs' share included)\n",
		    cpu_server / (double)per, cpu_self / (double)per,
		    cpu_server / 1e6 / t_http[run], cpu_self / 1e6 /
		    t_http[run]);
		fflush(stdout);
	}
	client_free(&get.c);
	free(get.lat);
	store_close(bare);

	if (store_open(core, 0, &s, &(struct gerror){ 0 }) != GERR_OK)
		bench_die("cannot open %s", core);
	/* Checkpointed by a thread, as the server's writer is: without
	 * it, SQLite's own checkpoint in a commit made the p99. */
	if (store_checkpointer(s) != 0)
		bench_die("cannot start the checkpointer");
	if (account_load(s, BENCH_LOGIN, &admin) != GERR_OK)
		bench_die("cannot load the demo's %s account", BENCH_LOGIN);
	for (run = 0; run < BENCH_RUNS; run++) {
		per = first[run + 1] - first[run];
		t_core[run] = run_core(s, admin, slots, first[run], per, clat);
		bench_stats(clat + first[run], (size_t)per, &st);
		printf("op_apply book:   %8.0f bookings/s in-process (the "
		    "same %ld, after the same %ld; p50 %.0f us, p99 %.0f us a "
		    "call)\n", (double)per / t_core[run], per, first[run],
		    st.p50, st.p99);
	}
	for (run = 0; run < BENCH_RUNS; run++)
		printf("ratio:           API/in-process %.2f with %2d client%s "
		    "(%.0f vs %.0f bookings/s; in-process %.1fx faster)\n",
		    t_core[run] / t_http[run], bench_clients[run],
		    bench_clients[run] == 1 ? " " : "s",
		    (double)(first[run + 1] - first[run]) / t_http[run],
		    (double)(first[run + 1] - first[run]) / t_core[run],
		    t_http[run] / t_core[run]);
	fflush(stdout);

	/* (c) The last n/5 as queued operations, then in-process. */
	blat = xcalloc((size_t)(nops / batch + 2), sizeof *blat);
	t_ops = run_ops(&cl[0], slots, first[BENCH_RUNS], nops, (int)batch,
	    blat, &applied, &nbatch);
	bench_stats(blat, (size_t)nbatch, &st);
	printf("POST /ops:       %8.0f ops/s (%ld book operations in %ld "
	    "batches of %ld: %.2f s; p50 %.1f ms, p99 %.1f ms a batch; %ld "
	    "applied)\n", (double)nops / t_ops, nops, nbatch, batch, t_ops,
	    st.p50 / 1e3, st.p99 / 1e3, applied);
	t_opscore = run_core(s, admin, slots, first[BENCH_RUNS], nops, clat);
	printf("op_apply book:   %8.0f ops/s in-process (the same %ld "
	    "operations: %.2f s); /ops over in-process %.2f\n",
	    (double)nops / t_opscore, nops, t_opscore, t_opscore / t_ops);
	fflush(stdout);
	if (bench_count(s) != n)
		bench_die("in-process: %ld bookings written, %ld expected",
		    bench_count(s), n);
	account_free(admin);
	store_close(s);

	/* (d) The whole window back. */
	t = pull_changes(&cl[0], &nch, &nchb, &pages, &bytes);
	printf("GET /changes:    %8.0f changes/s (%ld changes, %ld of "
	    "bookings, in %ld pages of %d: %.2f s, %.1f MB)\n",
	    (double)nch / t, nch, nchb, pages, BENCH_PAGE, t, bytes / 1e6);
	t = pull_days(&cl[0], today, dlat, &nday, &bytes);
	bench_stats(dlat, BENCH_DAYS, &st);
	printf("GET /bookings:   %8.0f bookings/s (%ld bookings in %d GETs "
	    "?date=D&library=%s: %.2f s; p50 %.1f ms, p99 %.1f ms a day, "
	    "%.1f MB)\n", (double)nday / t, nday, BENCH_DAYS, BENCH_LIBRARY,
	    t, st.p50 / 1e3, st.p99 / 1e3, bytes / 1e6);
	fflush(stdout);

	for (k = 0; k < BENCH_MAX_CLIENTS; k++)
		client_free(&cl[k]);
	free(cl);
	stop_ms = server_stop(log);
	if (store_open(srv, 0, &s, &(struct gerror){ 0 }) != GERR_OK)
		bench_die("cannot open %s", srv);
	got = bench_count(s);
	store_close(s);
	printf("stop:            SIGTERM to exit in %.0f ms; the server's "
	    "database holds %ld of the %ld bookings\n", stop_ms, got, n);
	if (nday != n)
		printf("  warning: the days' GETs found %ld bookings, not "
		    "%ld\n", nday, n);
	curl_global_cleanup();
	free(lat);
	free(clat);
	free(blat);
	free(status);
	free(slots);
	free(base);
	free(srv);
	free(core);
	free(ini);
	free(log);
	return (got == n ? 0 : 1);
}
