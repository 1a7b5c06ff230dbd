/*
 * The guichetd backend, over HTTP(S) with libcurl. One easy handle is
 * reused, so the connection stays open between calls. Timeouts are short:
 * a desk that cannot reach the server says so and keeps working on its
 * replica (SPEC.md section 6); it never waits long on the network.
 */
#include "config.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "i18n.h"
#include "record.h"
#include "clock.h"
#include "xmalloc.h"

#define HTTP_CONNECT_MS	2000
#define HTTP_TOTAL_MS	30000
#define HTTP_REPLY_MAX	(64 * 1024 * 1024)

struct buffer {
	char	*data;
	size_t	 len;
};

static size_t
gather(char *p, size_t size, size_t n, void *arg)
{
	struct buffer	*b = arg;
	size_t		 len = size * n;

	if (b->len + len > HTTP_REPLY_MAX)
		return (0);
	b->data = xrealloc(b->data, b->len + len + 1);
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return (len);
}

static enum gerr
ht_open(struct backend *b, struct gerror *err)
{
	static int	 initialised;
	CURL		*c;

	if (!initialised) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return (gerror_set(err, GERR_UNREACHABLE, _("libcurl "
			    "cannot start")));
		initialised = 1;
	}
	if ((c = curl_easy_init()) == NULL)
		return (gerror_set(err, GERR_UNREACHABLE, _("libcurl cannot "
		    "start")));
	b->data = c;
	return (GERR_OK);
}

/* One call of the API; *reply (may be NULL) is the parsed answer. */
static enum gerr
call(struct backend *b, const char *method, const char *path,
    const char *token, json_t *body, long *status, json_t **reply,
    struct gerror *err)
{
	CURL			*c = b->data;
	struct curl_slist	*h = NULL;
	struct buffer		 buf = { NULL, 0 };
	char			*url, *text = NULL, *auth = NULL;
	CURLcode		 rc;
	json_t			*j, *e;
	enum gerr		 code;
	long			 left;

	*reply = NULL;
	/* One bound for the whole command (backend.h), not per call. */
	if ((left = backend_left(b)) <= 0)
		return (gerror_set(err, GERR_UNREACHABLE, _("backend %s gave no "
		    "answer within %d s: the work stays queued"), b->url,
		    BACKEND_BOUND_MS / 1000));
	url = xasprintf("%s" API_PREFIX "%s", b->url, path);
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left <
	    HTTP_CONNECT_MS ? left : (long)HTTP_CONNECT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left < HTTP_TOTAL_MS ? left :
	    (long)HTTP_TOTAL_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, gather);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &buf);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	h = curl_slist_append(h, "Accept: application/json");
	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	if (body != NULL) {
		text = json_dumps(body, JSON_COMPACT);
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	rc = curl_easy_perform(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(h);
	free(auth);
	free(text);
	free(url);
	if (rc != CURLE_OK) {
		free(buf.data);
		return (gerror_set(err, GERR_UNREACHABLE, _("backend %s cannot "
		    "be reached: %s"), b->url, curl_easy_strerror(rc)));
	}
	j = buf.data != NULL ? json_loads(buf.data, JSON_DECODE_ANY, NULL) :
	    NULL;
	free(buf.data);
	if (*status >= 500 || (j == NULL && *status != 204 &&
	    *status != 404)) {
		json_decref(j);
		return (gerror_set(err, GERR_UNREACHABLE, _("backend %s answered "
		    "%ld: try again later"), b->url, *status));
	}
	if (*status >= 400 && *status != 404) {
		e = json_object_get(json_object_get(j, "error"), "code");
		code = e != NULL ? gerr_from_code(json_string_value(e)) :
		    GERR_BAD_REQUEST;
		if (code == GERR__COUNT)
			code = GERR_BAD_REQUEST;
		if (*status == 401)
			code = GERR_BAD_LOGIN;
		gerror_set(err, code, "%s", json_string_value(json_object_get(
		    json_object_get(j, "error"), "message")) != NULL ?
		    json_string_value(json_object_get(json_object_get(j,
		    "error"), "message")) : _("refused by the backend"));
		json_decref(j);
		return (code);
	}
	*reply = j;
	return (GERR_OK);
}

static enum gerr
ht_login(struct backend *b, const char *login, const char *password,
    char **token, struct gerror *err)
{
	json_t		*body, *reply;
	long		 status;
	enum gerr	 e;

	*token = NULL;
	body = json_pack("{s:s,s:s}", "login", login, "password", password);
	e = call(b, "POST", "/sessions", NULL, body, &status, &reply, err);
	json_decref(body);
	if (e != GERR_OK)
		return (e);
	if (!json_is_string(json_object_get(reply, "token"))) {
		json_decref(reply);
		return (gerror_set(err, GERR_UNREACHABLE, _("backend %s sent no "
		    "session token"), b->url));
	}
	*token = xstrdup(json_string_value(json_object_get(reply, "token")));
	json_decref(reply);
	return (GERR_OK);
}

static enum gerr
ht_push(struct backend *b, const char *token, json_t *ops, json_t **out,
    struct gerror *err)
{
	json_t		*body, *list, *op, *reply;
	size_t		 i;
	long		 status;
	enum gerr	 e;

	*out = NULL;
	list = json_array();
	json_array_foreach(ops, i, op)
		json_array_append_new(list, json_pack("{s:O,s:O,s:O,s:O*}",
		    "id", json_object_get(op, "id"), "kind", json_object_get(op,
		    "kind"), "payload", json_object_get(op, "payload"),
		    "made_at", json_object_get(op, "made_at")));
	body = json_pack("{s:o}", "ops", list);
	e = call(b, "POST", "/ops", token, body, &status, &reply, err);
	json_decref(body);
	if (e != GERR_OK)
		return (e);
	*out = json_incref(json_object_get(reply, "results"));
	json_decref(reply);
	if (!json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
		return (gerror_set(err, GERR_UNREACHABLE, _("backend %s sent no "
		    "results"), b->url));
	}
	return (GERR_OK);
}

static enum gerr
ht_pull(struct backend *b, const char *token, int64_t after, int limit,
    json_t **out, struct gerror *err)
{
	char	 path[96];
	long	 status;

	snprintf(path, sizeof path, "/changes?after=%lld&limit=%d",
	    (long long)after, limit);
	return (call(b, "GET", path, token, NULL, &status, out, err));
}

static enum gerr
ht_snapshot(struct backend *b, const char *token, int64_t from, int64_t to,
    json_t **out, struct gerror *err)
{
	char	 path[160], f[CLOCK_ISO_LEN], t[CLOCK_ISO_LEN];
	long	 status;

	clock_format_iso(from, "UTC", f);
	clock_format_iso(to, "UTC", t);
	/* The offset "+00:00" needs escaping in a query string. */
	f[19] = 'Z';
	f[20] = '\0';
	t[19] = 'Z';
	t[20] = '\0';
	snprintf(path, sizeof path, "/snapshot?from=%s&to=%s", f, t);
	return (call(b, "GET", path, token, NULL, &status, out, err));
}

static enum gerr
ht_booking(struct backend *b, const char *token, const char *id,
    json_t **out, struct gerror *err)
{
	char		*path, *esc;
	long		 status;
	enum gerr	 e;

	esc = curl_easy_escape(b->data, id, 0);
	path = xasprintf("/bookings/%s", esc != NULL ? esc : "");
	curl_free(esc);
	e = call(b, "GET", path, token, NULL, &status, out, err);
	free(path);
	if (e == GERR_OK && status == 404) {
		json_decref(*out);
		*out = NULL;
	}
	return (e);
}

static void
ht_close(struct backend *b)
{
	if (b->data != NULL)
		curl_easy_cleanup(b->data);
}

const struct backend_impl backend_http = {
	.scheme = "http",
	.open = ht_open,
	.login = ht_login,
	.push = ht_push,
	.pull = ht_pull,
	.snapshot = ht_snapshot,
	.booking = ht_booking,
	.close = ht_close,
};
