/*
 * The libmicrohttpd glue. MHD calls http_access several times a request:
 * first with the headers (we make the request's context, refuse ambiguous
 * framing and oversized declared bodies at once), then with pieces of the
 * body (gathered up to SERVER_BODY_MAX), then a last time with none, when
 * we route, run the handler and queue the one reply. Answering only on the
 * last call keeps keep-alive working (LIBRARIES.md).
 *
 * MHD's parser is lenient (two Content-Length, Content-Length with
 * Transfer-Encoding, HTTP/1.1 without Host): such requests are refused
 * here with 400 and the connection closed, so no proxy in front can be
 * made to disagree with us about where a request ends.
 *
 * Each worker thread has its own SQLite connection (a thread-specific
 * key), opened on first use and closed when MHD stops the thread.
 */
#include "config.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"
#include "record.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"


static pthread_key_t	 http_store_key;
static const char	*http_database;

static void
store_destroy(void *p)
{
	store_close(p);
}

int
http_init(const char *database)
{
	http_database = database;
	return (pthread_key_create(&http_store_key, store_destroy));
}

/* This thread's connection, opened on first use. */
static struct store *
thread_store(struct gerror *err)
{
	struct store	*s = pthread_getspecific(http_store_key);

	if (s != NULL)
		return (s);
	if (store_open(http_database, 0, &s, err) != GERR_OK)
		return (NULL);
	if (pthread_setspecific(http_store_key, s) != 0) {
		store_close(s);
		gerror_set(err, GERR_STORAGE, "cannot keep a connection");
		return (NULL);
	}
	return (s);
}

static int64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

json_t *
http_error_object(enum gerr code, const char *msg)
{
	const struct gerr_info	*gi = gerr_info(code);
	json_t			*e;

	e = json_pack("{s:s, s:s}", "code", gi->code, "message", msg);
	if (gi->rule != NULL)
		json_object_set_new(e, "rule", json_string(gi->rule));
	return (e);
}

/* The same suspension as the writer's (writer_submit): waiting, then
 * done() in a worker once woken. */
void
http_defer(struct request *r, void (*resume)(struct request *))
{
	r->done = resume;
	r->waiting = WAIT_WRITER;
	MHD_suspend_connection(r->conn);
}

void
http_wake(struct request *r)
{
	struct MHD_Connection	*conn = r->conn;

	r->waiting = WAIT_DONE;
	MHD_resume_connection(conn);
}

void
http_reply(struct request *r, int status, json_t *body)
{
	json_decref(r->reply);
	r->status = status;
	r->reply = body;
}

static void
reply_error(struct request *r, int status, enum gerr code, const char *msg)
{
	http_reply(r, status, json_pack("{s:o}", "error",
	    http_error_object(code, msg)));
}

void
http_error(struct request *r, enum gerr code, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	reply_error(r, gerr_info(code)->http, code, msg);
}

void
http_gerror(struct request *r, const struct gerror *err)
{
	reply_error(r, gerr_info(err->code)->http, err->code,
	    err->msg[0] != '\0' ? err->msg : gerr_code(err->code));
}

json_t *
http_body_object(struct request *r)
{
	json_error_t	 jerr;
	json_t		*v;

	if (r->len == 0)
		return (json_object());
	v = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL) {
		http_error(r, GERR_BAD_REQUEST, "the body is not valid JSON "
		    "(line %d, column %d): %s", jerr.line, jerr.column,
		    jerr.text);
		return (NULL);
	}
	if (!json_is_object(v)) {
		json_decref(v);
		http_error(r, GERR_BAD_REQUEST, "the body must be a JSON "
		    "object");
		return (NULL);
	}
	return (v);
}

const char *
http_arg(struct request *r, const char *key)
{
	return (MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    key));
}

/* What the headers say about framing, and the first thing wrong in them. */
struct framing {
	int		 lengths;
	int		 encodings;
	int		 hosts;
	const char	*wrong;
	int		 status;
};

/* A header name is a token (RFC 9110 5.1): "Transfer-Encoding :" is not
 * Transfer-Encoding to us, and must not be to a proxy either. */
static int
is_token(const char *k, size_t n)
{
	size_t	i;

	if (n == 0)
		return (0);
	for (i = 0; i < n; i++)
		if (k[i] <= 0x20 || k[i] >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}",
		    k[i]) != NULL)
			return (0);
	return (1);
}

static enum MHD_Result
count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
	struct framing	*f = cls;
	size_t		 i;

	(void)kind;
	if (f->wrong != NULL)
		return (MHD_NO);
	if (key == NULL || !is_token(key, key_size)) {
		f->wrong = "a header name with spaces or separators";
		return (MHD_NO);
	}
	/* No NUL, CR, LF nor other control character (but tab) in a value:
	 * one parser's line end is another's data. */
	for (i = 0; value != NULL && i < value_size; i++)
		if (((unsigned char)value[i] < 0x20 && value[i] != '\t') ||
		    value[i] == 0x7f) {
			f->wrong = "a control character in a header value";
			return (MHD_NO);
		}
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		f->lengths++;
		if (value == NULL || value_size == 0 ||
		    strspn(value, "0123456789") != value_size ||
		    value_size > 18)
			f->wrong = "Content-Length is not a number";
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->encodings++;
		/* Only "chunked" is understood: anything else (identity,
		 * gzip, lists) would be read another way by someone. */
		if (value == NULL || strcasecmp(value, "chunked") != 0) {
			f->wrong = "a Transfer-Encoding other than chunked";
			f->status = 501;
		}
	} else if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		f->hosts++;
	return (MHD_YES);
}

#if MHD_VERSION >= 0x00097000 && MHD_VERSION < 0x00097600
/*
 * libmicrohttpd 0.9.75 accepts lines ended by a bare LF, folds continued
 * lines into the one before, and cuts a value at a NUL, and says nothing
 * of it: a proxy in front may read those bytes otherwise. It parses the
 * request head in place, each line end (CRLF) becoming two NULs, so the
 * bytes between the end of one header's value and the next header's name
 * tell what was there: exactly two NULs for a CRLF, anything else is a
 * bare LF, a NUL inside a value or a folded line (whose value was moved).
 * Later versions refuse these themselves (and parse otherwise).
 */
struct head {
	const char	*end;		/* of the line before */
	int		 wrong;
};

static enum MHD_Result
head_line(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
	struct head	*h = cls;

	(void)kind;
	(void)key_size;
	if (h->end != NULL && (key - h->end != 2 || h->end[0] != '\0' ||
	    h->end[1] != '\0')) {
		h->wrong = 1;
		return (MHD_NO);
	}
	h->end = value != NULL ? value + value_size : key + key_size;
	return (MHD_YES);
}

static int
head_wrong(struct MHD_Connection *conn, const char *version)
{
	struct head	h;

	h.end = version + strlen(version);
	h.wrong = 0;
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, head_line, &h);
	/* After the last header, its line end and the empty line. */
	if (!h.wrong && (h.end[0] != '\0' || h.end[1] != '\0' ||
	    h.end[2] != '\0' || h.end[3] != '\0'))
		h.wrong = 1;
	return (h.wrong);
}
#else
static int
head_wrong(struct MHD_Connection *conn, const char *version)
{
	(void)conn;
	(void)version;
	return (0);
}
#endif

/* The reason to refuse the request's framing, or NULL; *status is 400 or
 * 501. */
static const char *
ambiguous(struct MHD_Connection *conn, const char *version, int *status)
{
	struct framing	f;

	memset(&f, 0, sizeof f);
	*status = 400;
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, count_framing, &f);
	if (f.wrong == NULL && head_wrong(conn, version))
		f.wrong = "lines not ended by CRLF, a folded line or a NUL";
	if (f.wrong != NULL) {
		if (f.status != 0)
			*status = f.status;
		return (f.wrong);
	}
	if (f.lengths > 1)
		return ("more than one Content-Length header");
	if (f.lengths > 0 && f.encodings > 0)
		return ("both Content-Length and Transfer-Encoding");
	if (f.encodings > 1)
		return ("more than one Transfer-Encoding header");
	if (f.hosts > 1)
		return ("more than one Host header");
	if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && f.hosts == 0)
		return ("an HTTP/1.1 request needs a Host header");
	if (strcmp(version, MHD_HTTP_VERSION_1_1) != 0 &&
	    strcmp(version, MHD_HTTP_VERSION_1_0) != 0) {
		*status = 505;
		return ("only HTTP/1.0 and HTTP/1.1 are spoken here");
	}
	return (NULL);
}

/* The last address of X-Forwarded-For, as the trusted proxy saw it. */
static int
forwarded(struct request *r)
{
	const char	*h, *p;
	char		 buf[64];
	unsigned char	 a[16];
	size_t		 n;

	h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "X-Forwarded-For");
	if (h == NULL)
		return (0);
	p = strrchr(h, ',');
	p = p != NULL ? p + 1 : h;
	p += strspn(p, " \t");
	n = strcspn(p, " \t");
	if (n == 0 || n >= sizeof buf)
		return (0);
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, a) != 1 && inet_pton(AF_INET6, buf, a) != 1)
		return (0);
	snprintf(r->address, sizeof r->address, "%s", buf);
	return (1);
}

static int
same_address(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	if (a->sa_family != b->ss_family)
		return (0);
	if (a->sa_family == AF_INET)
		return (memcmp(&((const struct sockaddr_in *)(const void *)a)->
		    sin_addr, &((const struct sockaddr_in *)(const void *)b)->
		    sin_addr, 4) == 0);
	if (a->sa_family == AF_INET6)
		return (memcmp(&((const struct sockaddr_in6 *)(const void *)a)->
		    sin6_addr, &((const struct sockaddr_in6 *)(const void *)b)->
		    sin6_addr, 16) == 0);
	return (0);
}

static void
client_address(struct request *r)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	snprintf(r->address, sizeof r->address, "unknown");
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return;
	sa = ci->client_addr;
	/* Behind the trusted proxy, the client is the one it names. */
	if (server_conf.has_proxy && same_address(sa, &server_conf.proxy) &&
	    forwarded(r))
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, r->address,
		    sizeof r->address);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, r->address,
		    sizeof r->address);
}

/* Match a path against a pattern; "*" takes one segment into param. */
static int
match(const char *pattern, const char *path, char *param, size_t size)
{
	size_t	n;

	while (*pattern != '\0') {
		if (*pattern == '*') {
			n = strcspn(path, "/");
			if (n == 0 || n >= size)
				return (0);
			memcpy(param, path, n);
			param[n] = '\0';
			path += n;
			pattern++;
			continue;
		}
		if (*pattern != *path)
			return (0);
		pattern++;
		path++;
	}
	return (*path == '\0');
}

/*
 * A write of the JSON API from a browser: a page of another site can make
 * its visitors' browsers POST a form (urlencoded, multipart, text/plain)
 * anywhere, but cannot send application/json without asking first (CORS,
 * which we never grant). So every POST of the API says it is JSON, and a
 * browser's Origin, when it gives one, must be ours: the origin of
 * link_base, or the one of the Host asked for.
 */
static int
cross_site(struct request *r)
{
	const char	*ct, *origin, *host, *p;
	size_t		 n;

	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
		return (0);
	origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Origin");
	host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (origin != NULL && !(server_conf.origin[0] != '\0' &&
	    strcasecmp(origin, server_conf.origin) == 0)) {
		p = strstr(origin, "://");
		if (p == NULL || host == NULL || strcasecmp(p + 3, host) != 0) {
			http_error(r, GERR_FORBIDDEN, "requests from the pages "
			    "of another site (Origin %s) are refused", origin);
			return (1);
		}
	}
	if (strcmp(r->method, "POST") != 0 && r->len == 0)
		return (0);
	ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	n = ct != NULL ? strcspn(ct, "; \t") : 0;
	if (ct == NULL || n != strlen("application/json") ||
	    strncasecmp(ct, "application/json", n) != 0) {
		reply_error(r, 415, GERR_BAD_REQUEST, "the API takes JSON: "
		    "send 'Content-Type: application/json'");
		return (1);
	}
	return (0);
}

/* Find the route, check the token, run the handler. */
static void
dispatch(struct request *r)
{
	const struct route	*rt, *found = NULL;
	const char		*path = r->path, *h;
	struct gerror		 err;
	int			 path_known = 0, view = 0;
	enum gerr		 e;

	/* The patrons' pages (pages.c): HTML, forms, no token. */
	if (pages_path(path)) {
		gerror_clear(&err);
		if ((r->store = thread_store(&err)) == NULL)
			log_warnx("%s", err.msg);
		pages_dispatch(r);
		return;
	}
	if (strncmp(path, API_PREFIX "/", strlen(API_PREFIX "/")) != 0) {
		http_error(r, GERR_NOT_FOUND, "no such route: %s (the API "
		    "is under %s)", path, API_PREFIX);
		return;
	}
	path += strlen(API_PREFIX);
	for (rt = api_routes; rt->method != NULL; rt++) {
		if (!match(rt->pattern, path, r->param, sizeof r->param))
			continue;
		path_known = 1;
		if (strcmp(rt->method, r->method) == 0) {
			found = rt;
			break;
		}
	}
	if (found == NULL) {
		if (path_known)
			reply_error(r, 405, GERR_BAD_REQUEST, "this route does "
			    "not take that method");
		else
			http_error(r, GERR_NOT_FOUND, "no such route: %s",
			    r->path);
		return;
	}
	if (cross_site(r))
		return;

	gerror_clear(&err);
	if ((r->store = thread_store(&err)) == NULL) {
		log_warnx("%s", err.msg);
		http_error(r, GERR_UNREACHABLE, "the database cannot be "
		    "opened: try again later");
		return;
	}

	/* Without it each statement is a read transaction of its own,
	 * which finds the WAL changed by the writer, drops the page cache
	 * and reads its pages again. Failing, each statement does so. */
	if (found->view)
		view = store_begin_read(r->store, NULL) == GERR_OK;
	h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (h != NULL) {
		if (strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) == 0 ||
		    strlen(h + 7) >= sizeof r->token) {
			http_error(r, GERR_BAD_LOGIN, "the Authorization "
			    "header must be 'Bearer TOKEN'");
			goto done;
		}
		snprintf(r->token, sizeof r->token, "%s", h + 7);
		e = auth_session_check(r->store, r->token, &r->account,
		    &r->session_created);
		if (e == GERR_STORAGE) {
			http_error(r, GERR_UNREACHABLE, "the database is "
			    "busy: try again");
			goto done;
		}
		if (e != GERR_OK) {
			http_error(r, GERR_BAD_LOGIN, "this session has "
			    "ended or never was: log in again");
			goto done;
		}
	} else if (found->auth == ROUTE_STAFF) {
		http_error(r, GERR_BAD_LOGIN, "log in first: POST %s/sessions, "
		    "then send 'Authorization: Bearer TOKEN'", API_PREFIX);
		goto done;
	}
	found->handler(r);
	if (r->status == 0 && r->waiting == WAIT_NONE)
		http_error(r, GERR_STORAGE, "no reply");
done:
	/* Only read in: ending it cannot fail but on a closed database. */
	if (view && store_in_transaction(r->store))
		store_commit(r->store, NULL);
}

/* A method or path for the log: what a client sent, with no space, line
 * break, escape sequence or other byte outside printable ASCII to forge
 * log lines or drive a terminal with (each becomes %XX). */
static void
log_safe(const char *in, char *out, size_t size)
{
	size_t	n = 0;

	for (; *in != '\0' && n + 5 < size; in++) {
		if ((unsigned char)*in <= 0x20 || (unsigned char)*in >= 0x7f)
			n += (size_t)snprintf(out + n, size - n, "%%%02X",
			    (unsigned char)*in);
		else
			out[n++] = *in;
	}
	out[n] = '\0';
}

static enum MHD_Result
respond(struct request *r)
{
	char			 path[256], method[64];
	struct MHD_Response	*resp;
	char			*text = NULL;
	size_t			 len = 0;
	int			 html = r->page != NULL;
	enum MHD_Result		 ret;
	int64_t			 us;

	if (r->page != NULL) {
		len = strlen(r->page);
		resp = MHD_create_response_from_buffer(len, r->page,
		    MHD_RESPMEM_MUST_FREE);
		if (resp != NULL)
			r->page = NULL;		/* MHD's now */
	} else if (r->reply != NULL) {
		text = json_dumps(r->reply, JSON_COMPACT | JSON_ENCODE_ANY);
		if (text == NULL) {
			r->status = 500;
			text = xstrdup("{\"error\":{\"code\":\"storage\","
			    "\"message\":\"cannot encode the reply\"}}");
		}
		len = strlen(text);
		resp = MHD_create_response_from_buffer(len, text,
		    MHD_RESPMEM_MUST_FREE);
	} else
		resp = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(text);
		return (MHD_NO);
	}
	if (html)
		pages_headers(resp);
	else if (r->reply != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    "application/json; charset=utf-8");
	if (r->location != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
		    r->location);
	if (r->refused != NULL || r->too_big)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	if (r->retry_after > 0) {
		snprintf(path, sizeof path, "%lld", (long long)r->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER,
		    path);
	}
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);

	us = now_us() - r->started;
	log_safe(r->path, path, sizeof path);
	log_safe(r->method, method, sizeof method);
	log_info("%s %s %d %lld.%03lld ms", method,
	    path, r->status, (long long)(us / 1000), (long long)(us % 1000));
	return (ret);
}

static void
request_free(struct request *r)
{
	size_t	i;

	if (r == NULL)
		return;
	free(r->body);
	free(r->page);
	free(r->location);
	account_free(r->account);
	json_decref(r->reply);
	for (i = 0; i < r->njobs; i++)
		json_decref(r->jobs[i].result);	/* if never answered */
	free(r->jobs);
	free(r->order);
	account_free(r->auth_account);
	json_decref(r->held);
	account_free(r->actor);
	sodium_memzero(r->token, sizeof r->token);
	free(r);
}

enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct request	*r = *con_cls;
	struct gerror	 err;
	const char	*cl;
	char		*end;
	unsigned long long declared;
	int		 status;
	char		 msg[128];

	(void)cls;
	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		r->conn = conn;
		r->method = method;
		r->path = url;
		r->started = now_us();
		client_address(r);
		*con_cls = r;
		r->refused = ambiguous(conn, version, &status);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (r->refused == NULL && cl != NULL) {
			declared = strtoull(cl, &end, 10);
			if (end == cl || *end != '\0')
				r->refused = "Content-Length is not a number";
			else if (declared > SERVER_BODY_MAX)
				r->too_big = 1;
		}
		/* A Content-Length libmicrohttpd cannot read it answers
		 * itself (400, or 413 for an overflow): a second answer of
		 * ours would be a second status line on the wire. */
		if (r->refused != NULL && strcmp(r->refused,
		    "Content-Length is not a number") == 0)
			return (MHD_NO);
		/* Answer at once: the body will not be read. */
		if (r->refused != NULL) {
			snprintf(msg, sizeof msg, "refused: %s", r->refused);
			reply_error(r, status, GERR_BAD_REQUEST, msg);
			return (respond(r));
		}
		if (r->too_big) {
			reply_error(r, 413, GERR_BAD_REQUEST, "the body is "
			    "larger than the limit of 256 KiB");
			return (respond(r));
		}
		return (MHD_YES);
	}
	if (*upload_size > 0) {
		if (!r->too_big && r->len + *upload_size > SERVER_BODY_MAX) {
			r->too_big = 1;
			free(r->body);
			r->body = NULL;
			r->len = 0;
		}
		if (!r->too_big) {
			r->body = xrealloc(r->body, r->len + *upload_size + 1);
			memcpy(r->body + r->len, upload, *upload_size);
			r->len += *upload_size;
			r->body[r->len] = '\0';
		}
		*upload_size = 0;
		return (MHD_YES);
	}
	if (r->status != 0)
		return (MHD_YES);	/* answered already */
	if (r->waiting == WAIT_DONE) {
		/* Resumed by the writer: its writes are committed. This may be
		 * another worker: its own connection for what done() reads. */
		r->waiting = WAIT_NONE;
		gerror_clear(&err);
		r->store = thread_store(&err);
		r->done(r);
		return (respond(r));
	}
	if (r->waiting != WAIT_NONE)
		return (MHD_YES);
	edge_busy(conn, 1);
	if (r->too_big)
		reply_error(r, 413, GERR_BAD_REQUEST, "the body is larger "
		    "than the limit of 256 KiB");
	else
		dispatch(r);
	if (r->waiting != WAIT_NONE)
		return (MHD_YES);	/* suspended until the writer is done */
	return (respond(r));
}

void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)why;
	edge_busy(conn, 0);
	request_free(*con_cls);
	*con_cls = NULL;
}
