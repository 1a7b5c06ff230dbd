/*
 * guichetd: options and configuration, --init, and the life of the
 * daemon. The worker threads of libmicrohttpd's pool do the work and
 * hand every write to the writer thread (writer.c); the main thread waits for SIGTERM or SIGINT (blocked everywhere else,
 * taken with sigsuspend so none is lost), then stops the daemon, which
 * lets the handlers in flight finish before it returns.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "conf.h"
#include "demo.h"
#include "log.h"
#include "record.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

/* A connection's memory (libmicrohttpd's default is 32 KiB): 64 KiB made
 * it zero 96 KiB a request, a tenth of a booking's cycles in the
 * request threads. Heads of 16 KiB and more are refused with 431. */
#define GUICHETD_POOL	(16 * 1024)

static volatile sig_atomic_t	guichetd_stop;

static void
on_signal(int sig)
{
	(void)sig;
	guichetd_stop = 1;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: guichetd [-v] [-c FILE] [--db PATH] "
	    "[--listen ADDR:PORT]\n"
	    "       guichetd --db PATH --init [--demo]\n"
	    "       guichetd -h | -V\n");
}

/* An address alone (IPv4, or IPv6 with or without brackets). */
static int
parse_address(const char *str, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)(void *)ss;
	char			 host[64];
	size_t			 n = strlen(str);

	memset(ss, 0, sizeof *ss);
	if (n >= 2 && str[0] == '[' && str[n - 1] == ']') {
		str++;
		n -= 2;
	}
	if (n >= sizeof host)
		return (-1);
	memcpy(host, str, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		return (0);
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		return (0);
	}
	return (-1);
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into a socket address. */
static int
parse_listen(const char *str, struct sockaddr_storage *ss)
{
	char		 host[64];
	const char	*colon = strrchr(str, ':');
	char		*end;
	long		 port;

	if (colon == NULL || (size_t)(colon - str) >= sizeof host)
		return (-1);
	memcpy(host, str, (size_t)(colon - str));
	host[colon - str] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end != '\0' || port < 0 || port > 65535)
		return (-1);
	/* An IPv6 address takes brackets, or its colons read as a port. */
	if (strchr(host, ':') != NULL && host[0] != '[')
		return (-1);
	if (parse_address(host, ss) != 0)
		return (-1);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)(void *)ss)->sin_port =
		    htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)(void *)ss)->sin6_port =
		    htons((uint16_t)port);
	return (0);
}

/* The origin (scheme://host[:port]) of a URL, for Origin checks. */
static void
url_origin(const char *url, char *out, size_t size)
{
	const char	*p;
	size_t		 n;

	out[0] = '\0';
	if (url == NULL || (p = strstr(url, "://")) == NULL)
		return;
	n = (size_t)(p + 3 - url) + strcspn(p + 3, "/?#");
	if (n < size) {
		memcpy(out, url, n);
		out[n] = '\0';
	}
}

/* As many descriptors as allowed: each connection takes one. */
static unsigned
connection_limit(void)
{
	struct rlimit	rl;
	rlim_t		n;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return (1000);
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	n = rl.rlim_cur == RLIM_INFINITY ? 65536 : rl.rlim_cur;
	if (n > 65536)
		n = 65536;
	return (n > 128 ? (unsigned)(n - 64) : (unsigned)n / 2);
}

static int
init_database(const char *path, int demo)
{
	struct store	*s;
	struct gerror	 err;
	struct stat	 sb;

	if (stat(path, &sb) == 0) {
		log_warnx("%s exists already: remove it "
		    "first, or serve it", path);
		return (1);
	}
	if (store_open(path, STORE_CREATE, &s, &err) != GERR_OK) {
		log_warnx("%s", err.msg);
		return (1);
	}
	if ((demo ? demo_load(s, &err) : demo_settings(s, &err)) != GERR_OK) {
		log_warnx("%s", err.msg);
		store_close(s);
		return (1);
	}
	store_close(s);
	printf("guichetd: created %s%s\n", path, demo ? " with the demo "
	    "data (every demo account's password is 'demo')" : "");
	return (0);
}

static int
serve(struct conf *cfg)
{
	struct sockaddr_storage	 sin;
	struct MHD_Daemon	*d;
	unsigned		 limit;
	struct store		*s;
	struct gerror		 err;
	struct sigaction	 sa;
	sigset_t		 block, old;

	if (parse_listen(cfg->listen, &sin) != 0) {
		log_warnx("listen address '%s' is not ADDR:PORT (e.g. "
		    "127.0.0.1:8470 or [::1]:8470)", cfg->listen);
		return (2);
	}
	if (cfg->trusted_proxy != NULL && cfg->trusted_proxy[0] != '\0') {
		if (parse_address(cfg->trusted_proxy, &server_conf.proxy) !=
		    0) {
			log_warnx("trusted_proxy '%s' is not an IP address",
			    cfg->trusted_proxy);
			return (2);
		}
		server_conf.has_proxy = 1;
	}
	url_origin(cfg->link_base, server_conf.origin,
	    sizeof server_conf.origin);
	/* Open (and migrate) once, before the threads open their own. */
	if (store_open(cfg->server_db, 0, &s, &err) != GERR_OK) {
		log_warnx("%s", err.msg);
		return (1);
	}
	store_close(s);
	if (http_init(cfg->server_db) != 0) {
		log_warnx("cannot set up the threads");
		return (1);
	}
	if (writer_start(cfg->server_db, &err) != 0) {
		log_warnx("%s", err.msg);
		return (1);
	}
	server_conf.database = cfg->server_db;
	server_conf.session_hours = cfg->session_hours;
	server_conf.link_base = cfg->link_base;
	if (cfg->timezone != NULL && cfg->timezone[0] != '\0')
		server_conf.timezone = cfg->timezone;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0)
		return (1);
	signal(SIGPIPE, SIG_IGN);
	/* The workers inherit this mask: only the main thread takes them. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (sigprocmask(SIG_BLOCK, &block, &old) != 0)
		return (1);

	limit = connection_limit();
	if (auth_start(cfg->server_db) != 0 || edge_start(
	    cfg->connections_per_address, cfg->request_seconds,
	    server_conf.has_proxy ? (const struct sockaddr *)
	    &server_conf.proxy : NULL) != 0) {
		log_warnx("cannot start the threads");
		auth_stop();
		return (1);
	}
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD |
	    MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
	    (sin.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0), 0, edge_accept,
	    NULL, http_access, NULL,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, edge_notify, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->request_seconds,
	    /* A connection's pool holds a request's head and read buffer
	     * (bodies go to our own buffer, http.c); libmicrohttpd zeroes
	     * all of it between two requests of a keep-alive connection. */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)GUICHETD_POOL,
	    MHD_OPTION_END);
	if (d == NULL) {
		auth_stop();
		edge_stop();
		log_warnx("cannot listen on %s: %s",
		    cfg->listen, strerror(errno));
		writer_stop();
		return (1);
	}
	log_info("serving %s on http://%s" API_PREFIX " with %d "
	    "threads", cfg->server_db, cfg->listen, cfg->threads);

	if (sweeper_start(cfg->server_db, cfg->sweep_seconds, cfg->smtp_url,
	    cfg->mail_from, cfg->link_base) != 0)
		log_warnx("cannot start the sweeper");
	while (!guichetd_stop)
		sigsuspend(&old);
	log_info("stopping");
	sweeper_stop();
	/* Every login waiting for its check is answered first, then the
	 * writer commits what is queued and resumes every suspended
	 * connection (MHD must not stop with one); what comes after is
	 * refused with 503. */
	auth_stop();
	writer_stop();
	MHD_stop_daemon(d);
	edge_stop();
	log_info("stopped");
	return (0);
}

int
main(int argc, char **argv)
{
	static const struct option	longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "init", no_argument, NULL, 'i' },
		{ "demo", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf	 cfg;
	struct gerror	 err;
	struct stat	 sb;
	const char	*file = NULL, *db = NULL, *listen = NULL;
	int		 ch, init = 0, demo = 0, rc;

	while ((ch = getopt_long(argc, argv, "c:hvV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'l':
			listen = optarg;
			break;
		case 'i':
			init = 1;
			break;
		case 'D':
			demo = 1;
			break;
		case 'h':
			usage(stdout);
			return (0);
		case 'V':
			printf("guichetd %s\n", PACKAGE_VERSION);
			return (0);
		case 'v':
			log_verbose(1);
			break;
		default:
			usage(stderr);
			return (2);
		}
	}
	if (optind != argc || (demo && !init)) {
		usage(stderr);
		return (2);
	}
	if (sodium_init() < 0) {
		log_warnx("libsodium cannot start");
		return (1);
	}
	json_object_seed(0);
	if (clock_init(&err) != GERR_OK) {
		log_warnx("%s", err.msg);
		return (2);
	}

	conf_defaults(&cfg);
	if (file == NULL && stat(SYSCONFDIR "/guichet/guichetd.ini", &sb) == 0)
		file = SYSCONFDIR "/guichet/guichetd.ini";
	if (file != NULL && conf_read_file(&cfg, file, &err) != GERR_OK) {
		log_warnx("%s", err.msg);
		conf_free(&cfg);
		return (2);
	}
	if (db != NULL) {
		free(cfg.server_db);
		cfg.server_db = xstrdup(db);
	}
	if (listen != NULL) {
		free(cfg.listen);
		cfg.listen = xstrdup(listen);
	}
	if (cfg.server_db == NULL || cfg.server_db[0] == '\0') {
		log_warnx("no database: give --db PATH or "
		    "[server] database in guichetd.ini");
		conf_free(&cfg);
		return (2);
	}

	if (init)
		rc = init_database(cfg.server_db, demo);
	else
		rc = serve(&cfg);
	conf_free(&cfg);
	return (rc);
}
