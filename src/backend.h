/*
 * The backends a desk syncs with (SPEC.md section 6): "sqlite:PATH", a
 * central database on the same host, applied through the same op_apply();
 * or "http(s)://host:port", guichetd, through libcurl. Both speak the API's
 * shapes: a batch of operations in, a result per operation out; changes
 * after a cursor; a snapshot; one booking; a login.
 */
#ifndef GUICHET_BACKEND_H
#define GUICHET_BACKEND_H

#include <jansson.h>
#include <stdint.h>

#include "error.h"

struct backend;

struct backend_impl {
	const char	*scheme;
	enum gerr	(*open)(struct backend *, struct gerror *);
	/* Check a login; *token (caller frees) for the later calls. */
	enum gerr	(*login)(struct backend *, const char *, const char *,
			    char **, struct gerror *);
	/* ops: [{"id", "kind", "account", "payload"}...], all made by one
	 * account, whose token is given; *results: the API's results. */
	enum gerr	(*push)(struct backend *, const char *, json_t *,
			    json_t **, struct gerror *);
	/* {"changes": [...], "last": N} after a sequence. */
	enum gerr	(*pull)(struct backend *, const char *, int64_t, int,
			    json_t **, struct gerror *);
	/* replica_snapshot() of the backend for a window of bookings. */
	enum gerr	(*snapshot)(struct backend *, const char *, int64_t,
			    int64_t, json_t **, struct gerror *);
	/* One booking's record; *out NULL when the backend has none. */
	enum gerr	(*booking)(struct backend *, const char *,
			    const char *, json_t **, struct gerror *);
	void		(*close)(struct backend *);
};

struct backend {
	const struct backend_impl	*impl;
	char				*url;	/* owned */
	void				*data;	/* the impl's */
	int64_t				 deadline;	/* backend_left() */
};

/* A command waits this long on its backend in all, then queues. */
#define BACKEND_BOUND_MS	5000

/* Open the backend a URL names; unknown schemes and malformed URLs are
 * usage errors (configuration), not "offline". */
enum gerr	 backend_open(const char *, struct backend **, struct gerror *);
void		 backend_close(struct backend *);
/* Whether a backend URL is well formed (sqlite:PATH, http(s)://HOST[:PORT]);
 * GERR_OK, or GERR_BAD_REQUEST with what to write instead. */
enum gerr	 backend_check_url(const char *, struct gerror *);
/*
 * One bound for a whole command: every backend opened from now on shares
 * a deadline ms from now (0: each backend its own BACKEND_BOUND_MS).
 */
void		 backend_bound(int);
/* Milliseconds left before the deadline (0 when past). */
long		 backend_left(const struct backend *);

extern const struct backend_impl	backend_sqlite;
extern const struct backend_impl	backend_http;

#endif
