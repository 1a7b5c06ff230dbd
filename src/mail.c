/*
 * E-mails: see mail.h. Messages are plain text in UTF-8 (8bit), in French,
 * the patrons' language; the subject is encoded as RFC 2047 says. Sending
 * reads the queue outside any transaction and marks each message in its
 * own, so a slow SMTP server never holds the database.
 */
#include "config.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "mail.h"
#include "settings.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

/* Attempts before a message is given up. */
#define MAIL_TRIES	10

static const char *const weekdays[] = { "", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche" };

enum gerr
mail_key(struct store *s, const char *id, char *out)
{
	unsigned char	 secret[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	char		*hex, made[2 * crypto_auth_KEYBYTES + 1];
	sqlite3_stmt	*st;
	size_t		 len;

	/* Made once, on first use, in the caller's transaction. */
	if ((hex = store_setting(s, "link_secret")) == NULL) {
		randombytes_buf(secret, sizeof secret);
		sodium_bin2hex(made, sizeof made, secret, sizeof secret);
		st = store_stmt(s, "INSERT INTO setting VALUES ('link_secret', "
		    "?)");
		sqlite3_bind_text(st, 1, made, -1, SQLITE_STATIC);
		if (store_step_done(st) != SQLITE_DONE)
			return (GERR_STORAGE);
		hex = xstrdup(made);
	}
	if (sodium_hex2bin(secret, sizeof secret, hex, strlen(hex), NULL, &len,
	    NULL) != 0 || len != sizeof secret) {
		free(hex);
		return (GERR_STORAGE);
	}
	free(hex);
	crypto_auth(mac, (const unsigned char *)id, strlen(id), secret);
	sodium_memzero(secret, sizeof secret);
	/* Half the MAC is plenty for a link: 128 bits. */
	sodium_bin2hex(out, MAIL_KEY_LEN, mac, (MAIL_KEY_LEN - 1) / 2);
	return (GERR_OK);
}

/* Whether a booking's resource is internal (R8): type or not public. */
static int
mail_internal(struct store *s, int64_t resource_id)
{
	sqlite3_stmt	*st;
	int		 internal = 0;

	st = store_stmt(s, "SELECT type IN ('training_room', 'meeting_room') "
	    "OR public = 0 FROM resource WHERE id = ?");
	sqlite3_bind_int64(st, 1, resource_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		internal = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return (internal);
}

enum gerr
mail_queue(struct store *s, enum mail_kind kind, const struct booking *b,
    const char *reason)
{
	char		 key[MAIL_KEY_LEN], *links = NULL;
	sqlite3_stmt	*st;
	char		*subject, *body, *when, *extra = NULL, *msg = NULL;
	char		 rname[NAME_LEN] = "", library[CODE_LEN] = "";
	char		 tz[TZNAME_LEN] = TZ_DEFAULT;
	char		 t0[TZ_HHMM_LEN], t1[TZ_HHMM_LEN];
	int32_t		 day;
	int		 m0, m1, y, mo, d, rc, internal;
	int64_t		 hours;

	/* A replica leaves e-mail to its backend; an internal booking may
	 * have no contact address (R2). */
	if (s->desk || b->email[0] == '\0')
		return (GERR_OK);
	/* R8: an internal room's contact is not a patron: a confirmation
	 * (and a cancellation), no patron links, no presence warning. */
	internal = mail_internal(s, b->resource_id);
	if (internal && kind != MAIL_CONFIRMED && kind != MAIL_CANCELLED)
		return (GERR_OK);
	if (mail_key(s, b->id, key) != GERR_OK)
		return (GERR_STORAGE);
	/* Links are written against {{base}}, the server's public URL, filled
	 * in when the e-mail is sent (mail_send). */
	if (internal)
		links = NULL;
	else if (kind == MAIL_PENDING)
		links = xasprintf("Pour confirmer : {{base}}/api/v1/bookings/%s/"
		    "confirm?key=%s\nPour annuler : {{base}}/api/v1/bookings/"
		    "%s/cancel?key=%s\n", b->id, key, b->id, key);
	else if (kind == MAIL_CONFIRMED)
		links = xasprintf("Pour annuler : {{base}}/api/v1/bookings/%s/"
		    "cancel?key=%s\n", b->id, key);
	st = store_stmt(s, "SELECT r.name, l.code, l.tz, r.confirm_message "
	    "FROM resource r JOIN establishment l ON l.id = r.library_id "
	    "WHERE r.id = ?");
	sqlite3_bind_int64(st, 1, b->resource_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		strlcpy_g(rname, (const char *)sqlite3_column_text(st, 0),
		    sizeof rname);
		strlcpy_g(library, (const char *)sqlite3_column_text(st, 1),
		    sizeof library);
		strlcpy_g(tz, (const char *)sqlite3_column_text(st, 2),
		    sizeof tz);
		msg = xstrdup((const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_reset(st);
	tz_utc_to_local(tz, b->start, &day, &m0, NULL);
	tz_utc_to_local(tz, b->end, NULL, &m1, NULL);
	tz_format_hhmm(m0, t0);
	tz_format_hhmm(m1 == 0 ? 1440 : m1, t1);
	tz_civil_from_days(day, &y, &mo, &d);
	when = xasprintf("le %s %02d/%02d/%04d de %s à %s",
	    weekdays[tz_weekday(day)], d, mo, y, t0, t1);

	switch (kind) {
	case MAIL_CONFIRMED:
		subject = xasprintf("Réservation confirmée : %s %s",
		    b->resource, when);
		/* Internal contact: confirmation only (R8). */
		if (internal)
			extra = xasprintf("Votre réservation est confirmée.%s%s",
			    msg != NULL && *msg != '\0' ? "\n\n" : "",
			    msg != NULL ? msg : "");
		else
		extra = xasprintf("Votre réservation est confirmée.\n\n%s%s"
		    "Au-delà de %lld minutes de retard sans validation de "
		    "votre présence, la réservation sera annulée.",
		    msg != NULL && *msg != '\0' ? msg : "",
		    msg != NULL && *msg != '\0' ? "\n\n" : "",
		    (long long)setting_get(s, SET_LATE_MINUTES));
		break;
	case MAIL_PENDING:
		hours = setting_get(s, SET_CONFIRM_HOURS);
		subject = xasprintf("Confirmez votre réservation : %s %s",
		    b->resource, when);
		extra = xasprintf("C'est votre première réservation : "
		    "confirmez-la depuis le lien de ce message dans les %lld "
		    "heures, sinon elle sera annulée et le créneau libéré.",
		    (long long)hours);
		break;
	case MAIL_CANCELLED:
		subject = xasprintf("Réservation annulée : %s %s", b->resource,
		    when);
		extra = xasprintf("Votre réservation a été annulée%s%s.",
		    reason != NULL && *reason != '\0' ? ". Motif : " : "",
		    reason != NULL ? reason : "");
		break;
	case MAIL_EXPIRED:
		subject = xasprintf("Réservation annulée : %s %s", b->resource,
		    when);
		extra = xasprintf("Votre réservation n'a pas été confirmée "
		    "dans les %lld heures : elle est annulée et le créneau est "
		    "de nouveau disponible.", (long long)setting_get(s,
		    SET_CONFIRM_HOURS));
		break;
	default:
		subject = xasprintf("Réservation libérée : %s %s",
		    b->resource, when);
		extra = xasprintf("Votre présence n'a pas été validée %lld "
		    "minutes après le début : la réservation est annulée et le "
		    "créneau est de nouveau disponible.",
		    (long long)setting_get(s, SET_LATE_MINUTES));
		break;
	}
	body = xasprintf("Bonjour%s%s,\n\n%s\n\n%s (%s, %s) %s.\n\n"
	    "%sRéférence : %s\n", *b->name != '\0' ? " " : "", b->name, extra,
	    rname, b->resource, library, when, links != NULL ? links : "",
	    b->id);
	st = store_stmt(s, "INSERT INTO mail (recipient, subject, body, "
	    "booking_id, created_at) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, b->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, clock_now());
	rc = store_step_done(st);
	free(subject);
	free(body);
	free(extra);
	free(when);
	free(msg);
	free(links);
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

enum gerr
mail_list(struct store *s, struct mail_info **out, size_t *n)
{
	sqlite3_stmt		*st;
	struct mail_info	*m;
	int			 rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, "SELECT id, recipient, subject, attempts, "
	    "last_error FROM mail WHERE sent_at = 0 ORDER BY id");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		m = &(*out)[(*n)++];
		m->id = sqlite3_column_int64(st, 0);
		strlcpy_g(m->to, (const char *)sqlite3_column_text(st, 1),
		    sizeof m->to);
		strlcpy_g(m->subject, (const char *)sqlite3_column_text(st, 2),
		    sizeof m->subject);
		m->attempts = sqlite3_column_int(st, 3);
		strlcpy_g(m->error, (const char *)sqlite3_column_text(st, 4),
		    sizeof m->error);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

int
mail_waiting(struct store *s)
{
	sqlite3_stmt	*st = store_stmt(s, "SELECT count(*) FROM mail WHERE "
			    "sent_at = 0");
	int		 n = 0;

	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return (n);
}

struct reader {
	const char	*data;
	size_t		 left;
};

static size_t
feed(char *out, size_t size, size_t n, void *arg)
{
	struct reader	*r = arg;
	size_t		 len = size * n;

	if (len > r->left)
		len = r->left;
	memcpy(out, r->data, len);
	r->data += len;
	r->left -= len;
	return (len);
}

/* The body with its links on base, or without the lines that have links
 * when there is no base to point to. */
static char *
with_links(const char *body, const char *base)
{
	const char	*p, *nl, *at;
	char		*out, *o;
	size_t		 n = 0;

	/* One link a line: the body, and the base once a line at most. */
	for (p = body; *p != '\0'; p++)
		n += *p == '\n';
	out = o = xmalloc(strlen(body) + (n + 1) * (base != NULL ?
	    strlen(base) : 0) + 1);
	p = body;
	while (*p != '\0') {
		nl = strchr(p, '\n');
		nl = nl != NULL ? nl + 1 : p + strlen(p);
		at = strstr(p, "{{base}}");
		if (at != NULL && at < nl) {
			if (base != NULL) {
				memcpy(o, p, (size_t)(at - p));
				o += at - p;
				o = stpcpy(o, base);
				memcpy(o, at + 8, (size_t)(nl - at - 8));
				o += nl - at - 8;
			}
		} else {
			memcpy(o, p, (size_t)(nl - p));
			o += nl - p;
		}
		p = nl;
	}
	*o = '\0';
	return (out);
}

/*
 * The subject as RFC 2047 encoded words of at most 75 characters: base64
 * of at most 45 bytes each, cut between UTF-8 characters, one a folded
 * header line. The caller frees it.
 */
static char *
encoded_subject(const char *subject)
{
	const unsigned char	*p = (const unsigned char *)subject;
	size_t			 left = strlen(subject), n, len;
	char			 b64[64], *out = xstrdup(""), *tmp;

	while (left > 0) {
		n = left < 45 ? left : 45;
		while (n < left && n > 1 && (p[n] & 0xc0) == 0x80)
			n--;
		len = sodium_base64_ENCODED_LEN(n,
		    sodium_base64_VARIANT_ORIGINAL);
		sodium_bin2base64(b64, len, p, n,
		    sodium_base64_VARIANT_ORIGINAL);
		tmp = xasprintf("%s%s=?UTF-8?B?%s?=", out, *out ? "\n " : "",
		    b64);
		free(out);
		out = tmp;
		p += n;
		left -= n;
	}
	return (out);
}

/* The message as SMTP wants it: headers, CRLF line ends. */
static char *
message(const char *from, const char *to, const char *subject,
    const char *body, int64_t id)
{
	char		 date[64], *b64, *text, *crlf, *p;
	const char	*q;
	size_t		 n;
	time_t		 now = (time_t)clock_now();
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	b64 = encoded_subject(subject);
	text = xasprintf("Date: %s\nFrom: %s\nTo: %s\nSubject: %s"
	    "\nMessage-ID: <guichet-%lld-%lld@%s>\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s", date, from, to, b64,
	    (long long)id, (long long)now, strchr(from, '@') != NULL ?
	    strchr(from, '@') + 1 : "guichet", body);
	free(b64);
	/* LF to CRLF. A line starting with a dot gets another in libcurl,
	 * which dot-stuffs what it sends (RFC 5321 section 4.5.2). */
	for (n = 0, q = text; *q != '\0'; q++)
		n += *q == '\n' ? 3 : 1;
	crlf = p = xmalloc(n + 2);
	for (q = text; *q != '\0'; q++) {
		if (*q == '\n') {
			*p++ = '\r';
			*p++ = '\n';
		} else
			*p++ = *q;
	}
	*p = '\0';
	free(text);
	return (crlf);
}

enum gerr
mail_send(struct store *s, const char *smtp_url, const char *from,
    const char *base, int max, int *sent, struct gerror *err)
{
	char			*linked;
	sqlite3_stmt		*st;
	CURL			*c;
	struct curl_slist	*rcpt;
	struct reader		 r;
	char			*text, **to = NULL, **subject = NULL, **body = NULL;
	char			 error[CURL_ERROR_SIZE];
	int64_t			*ids = NULL;
	int			 n = 0, i, done = 0;
	CURLcode		 rc = CURLE_OK;
	enum gerr		 e = GERR_OK;

	if (sent != NULL)
		*sent = 0;
	/* The least tried first; a message refused MAIL_TRIES times is
	 * given up (it stays listed, with its last error). */
	st = store_stmt(s, "SELECT id, recipient, subject, body FROM mail "
	    "WHERE sent_at = 0 AND attempts < ?2 ORDER BY attempts, id "
	    "LIMIT ?1");
	sqlite3_bind_int(st, 1, max);
	sqlite3_bind_int(st, 2, MAIL_TRIES);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		to = xreallocarray(to, n + 1, sizeof *to);
		subject = xreallocarray(subject, n + 1, sizeof *subject);
		body = xreallocarray(body, n + 1, sizeof *body);
		ids[n] = sqlite3_column_int64(st, 0);
		to[n] = xstrdup((const char *)sqlite3_column_text(st, 1));
		subject[n] = xstrdup((const char *)sqlite3_column_text(st, 2));
		body[n] = xstrdup((const char *)sqlite3_column_text(st, 3));
		n++;
	}
	sqlite3_reset(st);
	if (n > 0 && (c = curl_easy_init()) != NULL) {
		for (i = 0; i < n; i++) {
			linked = with_links(body[i], base);
			text = message(from, to[i], subject[i], linked, ids[i]);
			free(linked);
			r.data = text;
			r.left = strlen(text);
			rcpt = curl_slist_append(NULL, to[i]);
			curl_easy_reset(c);
			curl_easy_setopt(c, CURLOPT_URL, smtp_url);
			curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
			    "smtp,smtps");
			curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
			curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
			curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
			curl_easy_setopt(c, CURLOPT_READDATA, &r);
			curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
			curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
			curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
			curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
			curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
			error[0] = '\0';
			rc = curl_easy_perform(c);
			curl_slist_free_all(rcpt);
			free(text);
			if (store_begin(s, NULL) == GERR_OK) {
				st = store_stmt(s, rc == CURLE_OK ? "UPDATE mail "
				    "SET sent_at = ?1, attempts = attempts + 1 "
				    "WHERE id = ?2" : "UPDATE mail SET attempts "
				    "= attempts + 1, last_error = ?3 WHERE "
				    "id = ?2");
				if (rc == CURLE_OK)
					sqlite3_bind_int64(st, 1, clock_now());
				sqlite3_bind_int64(st, 2, ids[i]);
				if (rc != CURLE_OK)
					sqlite3_bind_text(st, 3, error[0] ?
					    error : curl_easy_strerror(rc), -1,
					    SQLITE_TRANSIENT);
				store_step_done(st);
				store_commit(s, NULL);
			}
			if (rc == CURLE_OK) {
				done++;
				continue;
			}
			e = gerror_set(err, GERR_UNREACHABLE, _("cannot send "
			    "e-mail through %s: %s"), smtp_url, error[0] ?
			    error : curl_easy_strerror(rc));
			/* The server away: the rest waits. A message it
			 * refused (an address that does not exist): the next
			 * one goes on. */
			if (rc == CURLE_COULDNT_CONNECT ||
			    rc == CURLE_COULDNT_RESOLVE_HOST ||
			    rc == CURLE_OPERATION_TIMEDOUT)
				break;
		}
		curl_easy_cleanup(c);
	}
	for (i = 0; i < n; i++) {
		free(to[i]);
		free(subject[i]);
		free(body[i]);
	}
	free(to);
	free(subject);
	free(body);
	free(ids);
	if (sent != NULL)
		*sent = done;
	return (e);
}
