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

/* "ADDR:PORT" (IPv4) into a socket address. */
static int
parse_listen(const char *s, struct sockaddr_in *sin)
{
	char		 host[64];
	const char	*colon = strrchr(s, ':');
	char		*end;
	long		 port;

	if (colon == NULL || (size_t)(colon - s) >= sizeof host)
		return (-1);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end != '\0' || port < 0 || port > 65535)
		return (-1);
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return (-1);
	return (0);
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
	struct sockaddr_in	 sin;
	struct MHD_Daemon	*d;
	struct store		*s;
	struct gerror		 err;
	struct sigaction	 sa;
	sigset_t		 block, old;

	if (parse_listen(cfg->listen, &sin) != 0) {
		log_warnx("listen address '%s' is not "
		    "ADDR:PORT (e.g. 127.0.0.1:8470)", cfg->listen);
		return (2);
	}
	/* Open (and migrate) once, before the threads open their own. */
	if (store_open(cfg->server_db, 0, &s, &err) != GERR_OK) {
		log_warnx("%s", err.msg);
		return (1);
	}
	store_close(s);
	if (http_init(cfg->server_db) != 0 || auth_init() != 0) {
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

	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD |
	    MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
	    http_access, NULL,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30U,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_END);
	if (d == NULL) {
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
	/* The writer first: it commits what is queued and resumes every
	 * suspended connection (MHD must not stop with one); what comes
	 * after is refused with 503. */
	writer_stop();
	MHD_stop_daemon(d);
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
