/*
 * E-mails: see mail.h. Messages are in French, the patrons' language:
 * multipart/alternative with the text and its HTML form, both UTF-8 in
 * quoted-printable so that no line is longer than 76 characters (SMTP
 * refuses lines over 998); the subject is encoded as RFC 2047 says, the
 * Date is RFC 5322's in English whatever the locale. Sending
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
#include "html.h"
#include "mail.h"
#include "patron.h"
#include "rules.h"
#include "settings.h"
#include "store.h"
#include "tz.h"
#include "xmalloc.h"

/* Attempts before a message is given up. */
#define MAIL_TRIES	10
/* Characters a line of a quoted-printable body (RFC 2045 section 6.7). */
#define QP_LINE		76

/* The secret behind the links and the pages' tokens, made on first use. */
static enum gerr
link_secret(struct store *s, unsigned char *secret)
{
	char		*hex, made[2 * crypto_auth_KEYBYTES + 1];
	sqlite3_stmt	*st;
	size_t		 len;
	int		 ok;

	if ((hex = store_setting(s, "link_secret")) == NULL) {
		randombytes_buf(secret, crypto_auth_KEYBYTES);
		sodium_bin2hex(made, sizeof made, secret,
		    crypto_auth_KEYBYTES);
		/* Two threads may race to make it: the first one wins, and
		 * both read it back. */
		st = store_stmt(s, "INSERT OR IGNORE INTO setting VALUES "
		    "('link_secret', ?)");
		sqlite3_bind_text(st, 1, made, -1, SQLITE_STATIC);
		if (store_step_done(st) != SQLITE_DONE)
			return (GERR_STORAGE);
		if ((hex = store_setting(s, "link_secret")) == NULL)
			return (GERR_STORAGE);
	}
	ok = sodium_hex2bin(secret, crypto_auth_KEYBYTES, hex, strlen(hex),
	    NULL, &len, NULL) == 0 && len == crypto_auth_KEYBYTES;
	free(hex);
	return (ok ? GERR_OK : GERR_STORAGE);
}

enum gerr
mail_mac(struct store *s, const char *what, char *out)
{
	unsigned char	 secret[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];

	if (link_secret(s, secret) != GERR_OK)
		return (GERR_STORAGE);
	crypto_auth(mac, (const unsigned char *)what, strlen(what), secret);
	sodium_memzero(secret, sizeof secret);
	/* Half the MAC is plenty for a link: 128 bits. */
	sodium_bin2hex(out, MAIL_KEY_LEN, mac, (MAIL_KEY_LEN - 1) / 2);
	return (GERR_OK);
}

enum gerr
mail_key(struct store *s, const char *id, char *out)
{
	return (mail_mac(s, id, out));
}

/* What a patron's e-mail says, by kind. */
struct mail_text {
	const char	*subject;	/* before ": resource, when" */
	int		 presence;	/* how to validate presence (R6) */
};

static const struct mail_text mail_texts[] = {
	[MAIL_CONFIRMED] = { "Réservation confirmée", 1 },
	[MAIL_PENDING] = { "Confirmez votre réservation", 1 },
	[MAIL_CANCELLED] = { "Réservation annulée", 0 },
	[MAIL_EXPIRED] = { "Réservation annulée", 0 },
	[MAIL_NO_SHOW] = { "Réservation libérée", 0 },
};

/* The settings an e-mail's text says (R5, R6), read once a round. */
struct mail_settings {
	long long	confirm_hours;
	long long	late_minutes;
	long long	early_minutes;
};

/* The first paragraph of a patron's e-mail, by kind; the caller frees. */
static char *
opening(const struct mail_settings *set, enum mail_kind kind,
    const struct booking *b, const char *reason, int internal)
{
	long long	 hours = set->confirm_hours;
	long long	 late = set->late_minutes;
	int		 patron = strcmp(b->changed_by, "patron") == 0;
	int		 said = reason != NULL && *reason != '\0';

	switch (kind) {
	case MAIL_CONFIRMED:
		return (xstrdup(internal ? "Cette réservation est "
		    "enregistrée." : "Votre réservation est confirmée."));
	case MAIL_PENDING:
		return (xasprintf("C'est votre première réservation : "
		    "confirmez-la dans les %lld heures depuis la page de la "
		    "réservation (lien ci-dessous), sinon elle sera annulée "
		    "et le créneau libéré. Les réservations suivantes n'auront "
		    "pas besoin de confirmation.", hours));
	case MAIL_CANCELLED:
		if (patron)
			return (xasprintf("Vous avez annulé votre réservation."
			    "%s%s", said ? " Votre mot : " : "", said ?
			    reason : ""));
		return (xasprintf("Votre réservation a été annulée par la "
		    "bibliothèque.%s%s", said ? " Motif : " : "", said ?
		    reason : ""));
	case MAIL_EXPIRED:
		return (xasprintf("Votre réservation n'a pas été confirmée "
		    "dans les %lld heures : elle est annulée et le créneau est "
		    "de nouveau disponible. Vous pouvez réserver à nouveau.",
		    hours));
	case MAIL_NO_SHOW:
	default:
		return (xasprintf("Votre présence n'a pas été validée dans les "
		    "%lld minutes après le début : la réservation est annulée "
		    "et la place est de nouveau disponible. Si vous étiez là, "
		    "dites-le à l'accueil de la bibliothèque.", late));
	}
}

/*
 * Queue: what the e-mail is about, as the booking is now, and nothing
 * more. Its text needs the resource, the library, three settings and the
 * link's MAC, none of them the rules: mail_compose writes it after the
 * operation's commit (issue 12), before anything reads or sends it.
 */
enum gerr
mail_queue(struct store *s, enum mail_kind kind, const struct booking *b,
    const struct resource *given, const char *reason)
{
	struct resource	 r;
	sqlite3_stmt	*st;

	/* A replica leaves e-mail to its backend; an internal booking may
	 * have no contact address (R2). */
	if (s->desk || b->email[0] == '\0')
		return (GERR_OK);
	if (given != NULL && given->id == b->resource_id)
		r = *given;
	else if (resource_get(s, b->resource_id, &r) != GERR_OK)
		return (GERR_STORAGE);
	/* R8: an internal room's contact is not a patron: a confirmation
	 * (and a cancellation), no patron's page, no presence to validate. */
	if (resource_internal(&r) && kind != MAIL_CONFIRMED &&
	    kind != MAIL_CANCELLED)
		return (GERR_OK);
	st = store_stmt(s, "INSERT INTO mail (recipient, subject, body, "
	    "booking_id, created_at, kind, reason, resource_id, start, end, "
	    "name, changed_by) VALUES (?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, b->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, clock_now());
	sqlite3_bind_int(st, 4, (int)kind);
	store_bind_text(st, 5, reason);
	sqlite3_bind_int64(st, 6, r.id);
	sqlite3_bind_int64(st, 7, b->start);
	sqlite3_bind_int64(st, 8, b->end);
	sqlite3_bind_text(st, 9, b->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, b->changed_by, -1, SQLITE_STATIC);
	return (store_step_done(st) == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

/* The subject and body of a queued e-mail; the caller frees both. */
static enum gerr
compose(struct store *s, const struct mail_settings *set, enum mail_kind kind,
    const struct booking *b, const char *reason, char **subjectp,
    char **bodyp)
{
	struct resource		 r;
	struct establishment	 lib;
	char			 key[MAIL_KEY_LEN], when[PATRON_WHEN_LEN];
	char			 t0[16], t1[16];
	char			*first, *msg = NULL, *presence = NULL, *link = NULL;
	sqlite3_stmt		*st;
	int			 internal;
	int64_t			 early, late;
	enum gerr		 e;

	if ((e = resource_get(s, b->resource_id, &r)) != GERR_OK ||
	    (e = establishment_get(s, r.library_id, &lib)) != GERR_OK ||
	    (e = mail_key(s, b->id, key)) != GERR_OK)
		return (e);
	internal = resource_internal(&r);
	st = store_stmt(s, "SELECT confirm_message FROM resource WHERE "
	    "id = ?");
	sqlite3_bind_int64(st, 1, r.id);
	if (sqlite3_step(st) == SQLITE_ROW)
		msg = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	patron_when(PLANG_FR, r.tz, b->start, b->end, when);

	/* Links are written against {{base}}, the server's public URL,
	 * filled in when the e-mail is sent (mail_send); a link is a line
	 * of its own, left out when there is no public URL. */
	if (!internal)
		link = xasprintf("\n\nLa page de votre réservation (%s) :\n"
		    "{{base}}/booking/%s?key=%s", kind == MAIL_PENDING ?
		    "confirmer, annuler, valider votre présence" :
		    kind == MAIL_CONFIRMED ? "annuler, valider votre "
		    "présence" : "son état", b->id, key);
	if (!internal && mail_texts[kind].presence &&
	    rules_presence_applies(&r)) {
		early = set->early_minutes * 60;
		late = set->late_minutes * 60;
		patron_time(PLANG_FR, r.tz, b->start - early, t0, sizeof t0);
		patron_time(PLANG_FR, r.tz, b->start + late, t1, sizeof t1);
		presence = xasprintf("\n\nValidez votre présence en arrivant, "
		    "entre %s et %s : scannez le QR code affiché à l'entrée "
		    "de la bibliothèque, ou tapez le code imprimé sous le QR "
		    "code sur la page de validation (ou la page de votre "
		    "réservation) :\n{{base}}/validate?l=%s\n"
		    "Vous pouvez aussi la valider à l'accueil. Au-delà de "
		    "%lld minutes de retard sans validation, la réservation "
		    "peut être annulée et la place libérée.", t0, t1,
		    lib.code, (long long)late / 60);
	}
	first = opening(set, kind, b, reason, internal);
	*subjectp = xasprintf("%s : %s, %s", mail_texts[kind].subject, r.name,
	    when);
	*bodyp = xasprintf("Bonjour%s%s,\n\n%s\n\n%s (%s)\n%s\n%s%s%s%s%s%s%s"
	    "\n\nRéférence : %s\n", *b->name != '\0' ? " " : "", b->name,
	    first, r.name, r.code, lib.name, when, r.place[0] != '\0' ? "\n" :
	    "", r.place, link != NULL ? link : "", presence != NULL ?
	    presence : "", msg != NULL && *msg != '\0' && kind !=
	    MAIL_CANCELLED && kind != MAIL_EXPIRED && kind != MAIL_NO_SHOW ?
	    "\n\n" : "", msg != NULL && kind != MAIL_CANCELLED && kind !=
	    MAIL_EXPIRED && kind != MAIL_NO_SHOW ? msg : "", b->id);
	free(first);
	free(msg);
	free(link);
	free(presence);
	return (GERR_OK);
}

/* A queued e-mail's row: what it is about, as mail_queue kept it. */
static void
queued_from_row(sqlite3_stmt *st, int64_t *id, int *kind, char **reason,
    struct booking *b)
{
	memset(b, 0, sizeof *b);
	*id = sqlite3_column_int64(st, 0);
	*kind = sqlite3_column_int(st, 1);
	*reason = xstrdup((const char *)sqlite3_column_text(st, 2));
	strlcpy_g(b->id, (const char *)sqlite3_column_text(st, 3),
	    sizeof b->id);
	strlcpy_g(b->email, (const char *)sqlite3_column_text(st, 4),
	    sizeof b->email);
	b->resource_id = sqlite3_column_int64(st, 5);
	b->start = sqlite3_column_int64(st, 6);
	b->end = sqlite3_column_int64(st, 7);
	strlcpy_g(b->name, (const char *)sqlite3_column_text(st, 8),
	    sizeof b->name);
	strlcpy_g(b->changed_by, (const char *)sqlite3_column_text(st, 9),
	    sizeof b->changed_by);
}

/* One round of mail_compose: at most MAIL_COMPOSE_BATCH after the row
 * *after, in a transaction; how many were written, or -1. The rows are
 * looked for among the unsent ones (their index) from *after on, so that
 * a call reads each unsent row once, however many are waiting. */
#define MAIL_COMPOSE_BATCH	100
static int
compose_some(struct store *s, int64_t *after, struct gerror *err)
{
	struct mail_settings	 set;
	struct booking		 b;
	sqlite3_stmt		*st, *up;
	char			*subject, *body, *reason;
	int64_t			 id;
	int			 kind, n = 0, gone;
	enum gerr		 e = GERR_OK;

	if (store_begin(s, err) != GERR_OK)
		return (-1);
	set.confirm_hours = setting_get(s, SET_CONFIRM_HOURS);
	set.late_minutes = setting_get(s, SET_LATE_MINUTES);
	set.early_minutes = setting_get(s, SET_CHECKIN_EARLY_MINUTES);
	st = store_stmt(s, "SELECT id, kind, reason, booking_id, recipient, "
	    "resource_id, start, end, name, changed_by FROM mail WHERE "
	    "sent_at = 0 AND id > ?2 AND body = '' ORDER BY id LIMIT ?1");
	sqlite3_bind_int(st, 1, MAIL_COMPOSE_BATCH);
	sqlite3_bind_int64(st, 2, *after);
	while (e == GERR_OK && sqlite3_step(st) == SQLITE_ROW) {
		queued_from_row(st, &id, &kind, &reason, &b);
		*after = id;
		e = kind < MAIL_CONFIRMED || kind > MAIL_NO_SHOW ?
		    GERR_NOT_FOUND : compose(s, &set, (enum mail_kind)kind,
		    &b, reason, &subject, &body);
		free(reason);
		/* Its resource gone: said, and never tried. */
		if ((gone = e == GERR_NOT_FOUND)) {
			subject = xstrdup("?");
			body = xasprintf("(booking %s: its resource no longer "
			    "exists)", b.id);
			e = GERR_OK;
		} else if (e != GERR_OK)
			break;
		up = store_stmt(s, "UPDATE mail SET subject = ?1, body = ?2, "
		    "attempts = attempts + ?4, last_error = ?5 WHERE id = ?3");
		sqlite3_bind_text(up, 1, subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(up, 2, body, -1, SQLITE_STATIC);
		sqlite3_bind_int64(up, 3, id);
		sqlite3_bind_int(up, 4, gone ? MAIL_TRIES : 0);
		sqlite3_bind_text(up, 5, gone ? "nothing to send: the resource "
		    "is gone" : "", -1, SQLITE_STATIC);
		if (store_step_done(up) != SQLITE_DONE)
			e = GERR_STORAGE;
		free(subject);
		free(body);
		n++;
	}
	sqlite3_reset(st);
	if (e != GERR_OK) {
		store_error(s, err, _("writing the e-mails"));
		store_rollback(s);
		return (-1);
	}
	if (store_commit(s, err) != GERR_OK)
		return (-1);
	return (n);
}

enum gerr
mail_compose(struct store *s, struct gerror *err)
{
	int64_t	after = 0;
	int	n;

	if (s->desk)
		return (GERR_OK);
	while ((n = compose_some(s, &after, err)) == MAIL_COMPOSE_BATCH)
		;
	return (n < 0 ? GERR_STORAGE : GERR_OK);
}

enum gerr
mail_list(struct store *s, struct mail_info **out, size_t *n)
{
	sqlite3_stmt		*st;
	struct mail_info	*m;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (mail_compose(s, NULL) != GERR_OK)
		return (GERR_STORAGE);
	st = store_stmt(s, "SELECT id, recipient, subject, attempts, "
	    "last_error FROM mail WHERE sent_at = 0 ORDER BY id");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xappend(*out, *n, sizeof **out);
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
		/* "Subject: " and a word of 45 bytes would be 81 wide. */
		n = *out == '\0' ? 42 : 45;
		n = left < n ? left : n;
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

/*
 * Text in quoted-printable (RFC 2045 section 6.7): lines of at most 76
 * characters whatever the text (soft breaks), UTF-8 and '=' as =XX, a
 * space or tab at a line's end as =XX, and a dot at a line's start too
 * (some relays strip it). Line ends become hard breaks ("\n"; message()
 * makes them CRLF). Appended to h.
 */
static void
qp_encode(struct html *h, const char *text)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 enc[4];
	size_t			 col = 0, n;
	int			 raw;

	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '\n') {
			html_add(h, "\n", 1);
			col = 0;
			continue;
		}
		raw = *p >= 33 && *p <= 126 && *p != '=';
		if ((*p == ' ' || *p == '\t') && p[1] != '\n' && p[1] != '\0')
			raw = 1;
		if (*p == '.' && col == 0)
			raw = 0;
		if (raw) {
			enc[0] = (char)*p;
			n = 1;
		} else {
			enc[0] = '=';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 15];
			n = 3;
		}
		/* Room for the soft break's '=' at the end of the line. */
		if (col + n > QP_LINE - 1) {
			html_add(h, "=\n", 2);
			col = 0;
			if (*p == '.') {
				enc[0] = '=';
				enc[1] = '2';
				enc[2] = 'E';
				n = 3;
			}
		}
		html_add(h, enc, n);
		col += n;
	}
}

/*
 * The HTML part, from the text: paragraphs at blank lines, lines kept,
 * addresses of the links made links; everything escaped.
 */
static char *
html_part(const char *subject, const char *text)
{
	struct html	 h;
	const char	*p = text, *end;
	char		*url;
	size_t		 n;

	html_init(&h);
	html_raw(&h, "<!DOCTYPE html>\n<html lang=\"fr\"><head>"
	    "<meta charset=\"utf-8\">\n<title>");
	html_text(&h, subject);
	html_raw(&h, "</title></head>\n<body style=\"font-family: sans-serif;"
	    " line-height: 1.4\">\n<p>");
	while (*p != '\0') {
		if (p[0] == '\n' && p[1] == '\n') {
			while (*p == '\n')
				p++;
			if (*p != '\0')
				html_raw(&h, "</p>\n<p>");
			continue;
		}
		if (*p == '\n') {
			html_raw(&h, "<br>\n");
			p++;
			continue;
		}
		if (strncmp(p, "http://", 7) == 0 ||
		    strncmp(p, "https://", 8) == 0) {
			n = strcspn(p, " \t\n");
			url = xstrndup(p, n);
			html_raw(&h, "<a href=\"");
			html_text(&h, url);
			html_raw(&h, "\">");
			html_text(&h, url);
			html_raw(&h, "</a>");
			free(url);
			p += n;
			continue;
		}
		end = p + strcspn(p, "\nh");
		if (end == p)
			end++;
		url = xstrndup(p, (size_t)(end - p));
		html_text(&h, url);
		free(url);
		p = end;
	}
	html_raw(&h, "</p>\n</body></html>\n");
	return (html_steal(&h));
}

/* RFC 5322's date, in English whatever the locale (section 3.3). */
static void
rfc5322_date(int64_t t, char *out, size_t size)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * The message as SMTP wants it: headers, then multipart/alternative with
 * the text and its HTML form, both UTF-8 in quoted-printable, CRLF line
 * ends. The caller frees it.
 */
static char *
message(const char *from, const char *to, const char *subject,
    const char *body, int64_t id)
{
	unsigned char	 rnd[12];
	char		 date[64], boundary[40], tag[2 * sizeof rnd + 1];
	char		*b64, *html, *crlf, *p;
	const char	*q, *at;
	struct html	 m;
	size_t		 n;
	int64_t		 now = clock_now();

	rfc5322_date(now, date, sizeof date);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(tag, sizeof tag, rnd, sizeof rnd);
	/* "=_" never occurs in quoted-printable text: a safe boundary. */
	snprintf(boundary, sizeof boundary, "=_guichet_%.24s", tag);
	at = strchr(from, '@');
	b64 = encoded_subject(subject);
	html_init(&m);
	html_rawf(&m, "Date: %s\nFrom: %s\nTo: %s\nSubject: %s\n"
	    "Message-ID: <guichet.%lld.%lld.%s@%s>\nAuto-Submitted: "
	    "auto-generated\nMIME-Version: 1.0\nContent-Type: "
	    "multipart/alternative;\n boundary=\"%s\"\n\n"
	    "This is a message in MIME format.\n\n--%s\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n", date, from, to,
	    b64, (long long)id, (long long)now, tag, at != NULL && at[1] !=
	    '\0' ? at + 1 : "guichet.invalid", boundary, boundary);
	free(b64);
	qp_encode(&m, body);
	html_rawf(&m, "\n--%s\nContent-Type: text/html; charset=UTF-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n", boundary);
	html = html_part(subject, body);
	qp_encode(&m, html);
	free(html);
	html_rawf(&m, "\n--%s--\n", boundary);

	/* LF to CRLF. A line starting with a dot gets another in libcurl,
	 * which dot-stuffs what it sends (RFC 5321 section 4.5.2). */
	for (n = 0, q = m.buf; *q != '\0'; q++)
		n += *q == '\n' ? 2 : 1;
	crlf = p = xmalloc(n + 1);
	for (q = m.buf; *q != '\0'; q++) {
		if (*q == '\n')
			*p++ = '\r';
		*p++ = *q;
	}
	*p = '\0';
	html_free(&m);
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
	if ((e = mail_compose(s, err)) != GERR_OK)
		return (e);
	/* The least tried first; a message refused MAIL_TRIES times is
	 * given up (it stays listed, with its last error). */
	st = store_stmt(s, "SELECT id, recipient, subject, body FROM mail "
	    "WHERE sent_at = 0 AND attempts < ?2 ORDER BY attempts, id "
	    "LIMIT ?1");
	sqlite3_bind_int(st, 1, max);
	sqlite3_bind_int(st, 2, MAIL_TRIES);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xappend(ids, n, sizeof *ids);
		to = xappend(to, n, sizeof *to);
		subject = xappend(subject, n, sizeof *subject);
		body = xappend(body, n, sizeof *body);
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
