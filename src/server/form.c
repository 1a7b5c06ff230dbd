/*
 * The patrons' pages' forms (pages.c): the token that ties a form to the
 * page it came from (a MAC of the page and the time it was made), the
 * check of where the browser says a POST comes from (Origin), and the
 * decoding of an application/x-www-form-urlencoded body.
 */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "mail.h"
#include "pages_impl.h"
#include "server.h"
#include "xmalloc.h"

#define TOKEN_LIFE	86400		/* seconds a page's forms are good */
#define TOKEN_SKEW	300		/* a token from the future, at most */
#define FIELD_MAX	1024		/* bytes of a form field */

/* The token of a page's forms: when it was made and a MAC of both. */
void
form_token_make(struct request *r, const char *page, char *out, size_t size)
{
	char	 what[256], mac[MAIL_KEY_LEN];
	int64_t	 now = clock_now();

	snprintf(what, sizeof what, "form|%s|%lld", page, (long long)now);
	if (mail_mac(r->store, what, mac) != GERR_OK)
		mac[0] = '\0';
	snprintf(out, size, "%lld.%s", (long long)now, mac);
}

int
form_token_good(struct request *r, const char *page, const char *token)
{
	char		 what[256], mac[MAIL_KEY_LEN], *dot;
	long long	 made;
	int64_t		 now = clock_now();

	if (token == NULL)
		return (0);
	made = strtoll(token, &dot, 10);
	if (dot == token || *dot != '.' || made > now + TOKEN_SKEW ||
	    made < now - TOKEN_LIFE || strlen(dot + 1) != MAIL_KEY_LEN - 1)
		return (0);
	snprintf(what, sizeof what, "form|%s|%lld", page, made);
	if (mail_mac(r->store, what, mac) != GERR_OK)
		return (0);
	return (sodium_memcmp(mac, dot + 1, MAIL_KEY_LEN - 1) == 0);
}

/* scheme://host[:port] of a URL, into out. */
static void
origin_of(const char *url, char *out, size_t size)
{
	const char	*p = strstr(url, "://");
	size_t		 n;

	if (p == NULL) {
		out[0] = '\0';
		return;
	}
	n = (size_t)(p + 3 - url) + strcspn(p + 3, "/?#");
	snprintf(out, size, "%.*s", (int)n, url);
}

/*
 * Whether a POST may come from where the browser says it comes from: no
 * Origin (an old browser; the token still guards), or this site's, by the
 * public URL of the e-mails' links or by the Host the browser asked.
 */
int
form_origin_good(struct request *r)
{
	const char	*o, *host;
	char		 mine[256];

	o = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
	if (o == NULL)
		return (1);
	if (server_conf.link_base != NULL) {
		origin_of(server_conf.link_base, mine, sizeof mine);
		if (mine[0] != '\0' && strcasecmp(o, mine) == 0)
			return (1);
	}
	host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (host == NULL)
		return (0);
	snprintf(mine, sizeof mine, "http://%s", host);
	if (strcasecmp(o, mine) == 0)
		return (1);
	snprintf(mine, sizeof mine, "https://%s", host);
	return (strcasecmp(o, mine) == 0);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* A field of an application/x-www-form-urlencoded body, decoded; NULL
 * when absent, bad (%00, a bad escape) or too long. */
char *
form_field(const char *body, size_t len, const char *name)
{
	const char	*p = body, *end = body + len, *amp, *eq;
	size_t		 nlen = strlen(name);
	char		*out, *o;
	int		 hi, lo;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    memcmp(p, name, nlen) == 0) {
			if (amp - eq > FIELD_MAX)
				return (NULL);
			out = o = xmalloc((size_t)(amp - eq));
			for (p = eq + 1; p < amp; p++) {
				if (*p == '+')
					*o++ = ' ';
				else if (*p == '%') {
					if (amp - p < 3 ||
					    (hi = hexval(p[1])) < 0 ||
					    (lo = hexval(p[2])) < 0 ||
					    hi + lo == 0) {
						free(out);
						return (NULL);
					}
					*o++ = (char)(hi * 16 + lo);
					p += 2;
				} else
					*o++ = *p;
			}
			*o = '\0';
			return (out);
		}
		p = amp + 1;
	}
	return (NULL);
}

/* Trim spaces around a field in place. */
char *
form_trim(char *str)
{
	char	*e;

	if (str == NULL)
		return (NULL);
	while (*str == ' ' || *str == '\t')
		memmove(str, str + 1, strlen(str));
	e = str + strlen(str);
	while (e > str && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return (str);
}
