/*
 * guichetd: the central server. http.c is the libmicrohttpd glue (bodies,
 * refusals of ambiguous HTTP, replies, the request log, one SQLite
 * connection per thread); api.c holds the table of routes and their
 * handlers, which read through query.h and write only through op_apply;
 * auth.c checks passwords off the request workers and the bearer tokens
 * (the SQL of sessions and throttles is the core's session.c); edge.c
 * guards the connections (per address, and a bound on the time a request
 * may take to arrive).
 */
#ifndef GUICHET_SERVER_H
#define GUICHET_SERVER_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdint.h>
#include <sys/socket.h>

#include "rights.h"

#define SERVER_BODY_MAX		(256 * 1024)	/* bytes; 413 above */
#define SERVER_OPS_MAX		500		/* operations a batch */
#define SERVER_TOKEN_LEN	65		/* 32 bytes in hex, and NUL */

/* What a route needs from the caller. */
enum route_auth {
	ROUTE_PUBLIC,		/* anyone; a token, if given, must be valid */
	ROUTE_STAFF,		/* a valid bearer token */
};

/* One request, from its headers to its reply. */
struct request {
	struct MHD_Connection	*conn;
	const char		*method;
	const char		*path;
	int64_t			 started;	/* monotonic, microseconds */

	/* The body, gathered up to SERVER_BODY_MAX. */
	char			*body;
	size_t			 len;
	int			 too_big;
	/* Refused before the body: ambiguous framing (400). */
	const char		*refused;

	struct store		*store;		/* this thread's connection */
	struct account		*account;	/* NULL for a patron */
	char			 token[SERVER_TOKEN_LEN];
	int64_t			 session_created;
	char			 address[64];	/* client address */
	char			 param[128];	/* the {id} of the route */

	int			 status;	/* the reply */
	json_t			*reply;		/* owned; NULL for none */
	char			*page;		/* an HTML reply, owned */
	char			*location;	/* a redirection, owned */

	/* Writes handed to the writer (writer_submit): the connection is
	 * suspended until they are committed, then done() makes the reply
	 * and the worker sends it. The worker never waits for a commit. */
	struct writer_job	*jobs;		/* owned */
	size_t			 njobs;
	void			(*done)(struct request *r);
	int			 waiting;	/* WAIT_* */
#define WAIT_NONE	0
#define WAIT_WRITER	1
#define WAIT_DONE	2
	json_t			*held;		/* what the jobs point into */
	struct account		*actor;		/* a patron made for them */
	int			 ok_status;	/* the reply's, if applied */
	int64_t			 retry_after;	/* seconds, for a 429/503 */
	char			 op_id[37];	/* of an Idempotency-Key */
	size_t			*order;		/* a batch's jobs by op, owned */
	/* The answer of a password check (auth_check_later, which defers
	 * the request as the writer does: http_defer, http_wake). */
	struct account		*auth_account;
	struct gerror		 auth_err;
};

struct route {
	const char		*method;
	const char		*pattern;	/* "*" is one path segment */
	enum route_auth		 auth;
	void			(*handler)(struct request *r);
	/* The handler only reads and opens no transaction itself: the token's
	 * check and the handler run in one read transaction (one view of
	 * the data, one look at the WAL for all their statements). */
	int			 view;
};

/* Settings the handlers read; set once by main before serving. */
struct server_conf {
	const char		*database;
	int			 session_hours;
	const char		*timezone;	/* for dates with no resource */
	const char		*link_base;	/* public URL, or NULL */
	/* [server] trusted_proxy: its X-Forwarded-For names the client. */
	struct sockaddr_storage	 proxy;
	int			 has_proxy;
	/* [mail] link_base's origin: the one a browser's Origin may be. */
	char			 origin[256];
};
extern struct server_conf	 server_conf;

/* api.c: the routes, NULL-terminated. */
extern const struct route	 api_routes[];
/* Read the whole number argument key into *out (def when absent); -1 and
 * an error reply when it is not one from min to max. */
int		 api_int_arg(struct request *r, const char *key,
		     long long def, long long min, long long max,
		     long long *out);

/* api_sync.c: the desks' routes of api_routes. */
void		 api_ops_post(struct request *r);
void		 api_booking_get(struct request *r);
void		 api_snapshot_get(struct request *r);
void		 api_changes_get(struct request *r);

/* sweeper.c: R5 expiry and R6 auto-release every interval seconds, and
 * the patrons' e-mails through an SMTP URL (may be NULL) from an address,
 * with links on the server's public URL (may be NULL). */
int		 sweeper_start(const char *db, int seconds, const char *smtp,
		     const char *from, const char *base);
void		 sweeper_stop(void);

/* pages.c: the patrons' HTML pages (/booking/ID, /validate). */
/* Whether a path is a page's. */
int		 pages_path(const char *path);
/* Answer a page's request (r->store may be NULL: the page says so). */
void		 pages_dispatch(struct request *r);
/* The headers of every page: type, no script, no referrer, no cache. */
void		 pages_headers(struct MHD_Response *resp);
/* The API's old e-mail links (GET): to the booking's page, 303. */
void		 pages_legacy_link(struct request *r);
/* edge.c: connections per address and the time a request may take to
 * arrive (see there). */
int		 edge_start(int per_address, int seconds,
		     const struct sockaddr *proxy);
void		 edge_stop(void);
enum MHD_Result	 edge_accept(void *cls, const struct sockaddr *sa,
		     socklen_t len);
void		 edge_notify(void *cls, struct MHD_Connection *conn, void **ctx,
		     enum MHD_ConnectionNotificationCode code);
/* A connection's request has all arrived (1), or is done (0). */
void		 edge_busy(struct MHD_Connection *conn, int busy);

/* writer.c: one thread applies every operation, in batches that share
 * one durable commit (group commit). */
struct writer_wait;
struct writer_job {
	/* Given by the caller, and kept until the answer. */
	const struct account	*account;
	const char		*op_id;		/* may be NULL */
	const char		*kind;
	json_t			*payload;
	int64_t			 made_at;	/* R15: a desk's, or 0 */
	/* A patron's write from this address, counted in the batch
	 * (session_patron_count), or NULL. */
	const char		*patron_address;

	/* The answer, once committed: result owned by the caller. */
	enum gerr		 code;
	json_t			*result;
	struct gerror		 err;

	struct writer_job	*next;
	struct writer_wait	*wait;
};
/* Open the durable connection and start the thread; -1 and why if not. */
int		 writer_start(const char *database, struct gerror *err);
/* Apply what is queued, then stop (after the daemon, before exit). */
void		 writer_stop(void);
/* Apply n operations and wait until they are committed (or failed). */
void		 writer_apply_many(struct writer_job *jobs, size_t n);
/*
 * From a handler: suspend the request's connection and hand its n
 * operations (jobs, then owned by the request) to the writer, which
 * resumes it once they are committed; then done() runs in a worker and
 * makes the reply. If the writer is stopping, they fail at once and
 * done() runs now.
 */
void		 writer_submit(struct request *r, struct writer_job *jobs,
		     size_t n, void (*done)(struct request *r));
/* op_apply through the writer: the same arguments and answer. */
enum gerr	 writer_apply(const struct account *a, const char *op_id,
		     const char *kind, json_t *payload, json_t **result,
		     struct gerror *err);

/* http.c */
/* The access handler given to MHD_start_daemon. */
enum MHD_Result	 http_access(void *cls, struct MHD_Connection *conn,
		     const char *url, const char *method, const char *version,
		     const char *upload, size_t *upload_size, void **con_cls);
void		 http_completed(void *cls, struct MHD_Connection *conn,
		     void **con_cls, enum MHD_RequestTerminationCode why);
/* Set up the per-thread connections (path is kept, not copied). */
int		 http_init(const char *database);
/* Suspend a request's connection until http_wake, then run resume in
 * its worker (called from a handler). */
void		 http_defer(struct request *r,
		     void (*resume)(struct request *r));
/* Wake a deferred request (from any thread); it must not be used after. */
void		 http_wake(struct request *r);
/* Set the reply: body is stolen (NULL for none). */
void		 http_reply(struct request *r, int status, json_t *body);
/* Reply with the error object of a code, message and rule. */
void		 http_error(struct request *r, enum gerr code, const char *fmt,
		     ...)
		    __attribute__((format(printf, 3, 4)));
void		 http_gerror(struct request *r, const struct gerror *err);
/* The body as a JSON object (an empty body is {}); NULL has replied. */
json_t		*http_body_object(struct request *r);
/* A query-string argument, or NULL. */
const char	*http_arg(struct request *r, const char *key);
/* The error object of an error, a new reference. */
json_t		*http_error_object(enum gerr code, const char *msg);

/* auth.c */
/* The password checkers: start them on a database, stop them (every
 * queued check is answered first). */
int		 auth_start(const char *database);
void		 auth_stop(void);
/* Check a password off the workers: the request is deferred and done
 * runs with r->auth_account or r->auth_err; -1 (nothing deferred) when
 * too many logins wait already. */
int		 auth_check_later(struct request *r, const char *login,
		     const char *password, void (*done)(struct request *r));
/* The account of a live token, loaded; GERR_BAD_LOGIN if none. */
enum gerr	 auth_session_check(struct store *s, const char *token,
		     struct account **out, int64_t *created);

#endif
