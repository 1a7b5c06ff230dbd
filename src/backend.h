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
	enum gerr	(*open)(struct backend *b, struct gerror *err);
	/* Check a login; *token (caller frees) for the later calls. */
	enum gerr	(*login)(struct backend *b, const char *login,
			    const char *password, char **token,
			    struct gerror *err);
	/* ops: [{"id", "kind", "account", "payload"}...], all made by one
	 * account, whose token is given; *out: the API's results. */
	enum gerr	(*push)(struct backend *b, const char *token,
			    json_t *ops, json_t **out, struct gerror *err);
	/* {"changes": [...], "last": N} after a sequence. */
	enum gerr	(*pull)(struct backend *b, const char *token,
			    int64_t after, int limit, json_t **out,
			    struct gerror *err);
	/* replica_snapshot() of the backend for a window of bookings. */
	enum gerr	(*snapshot)(struct backend *b, const char *token,
			    int64_t from, int64_t to, json_t **out,
			    struct gerror *err);
	/* One booking's record; *out NULL when the backend has none. */
	enum gerr	(*booking)(struct backend *b, const char *token,
			    const char *id, json_t **out, struct gerror *err);
	void		(*close)(struct backend *b);
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
enum gerr	 backend_open(const char *url, struct backend **out,
		     struct gerror *err);
void		 backend_close(struct backend *b);
/* Whether a backend URL is well formed (sqlite:PATH, http(s)://HOST[:PORT]);
 * GERR_OK, or GERR_BAD_REQUEST with what to write instead. */
enum gerr	 backend_check_url(const char *url, struct gerror *err);
/*
 * One bound for a whole command: every backend opened from now on shares
 * a deadline ms from now (0: each backend its own BACKEND_BOUND_MS).
 */
void		 backend_bound(int ms);
/* Milliseconds left before the deadline (0 when past). */
long		 backend_left(const struct backend *b);

extern const struct backend_impl	backend_sqlite;
extern const struct backend_impl	backend_http;

#endif
