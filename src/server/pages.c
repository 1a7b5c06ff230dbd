/*
 * The patrons' pages (SPEC.md section 7, "Patrons' pages"): small HTML
 * pages served by guichetd for people with a phone or a library PC, not
 * API clients. No JavaScript; French by default, English when the
 * browser's Accept-Language prefers it (or ?lang=en); everything shown is
 * escaped (html.h).
 *
 *   GET  /booking/ID?key=K	the booking every e-mail links to
 *   POST /booking/ID		confirm (R5), cancel with an optional word
 *				(R11), validate presence with the code (R6)
 *   GET  /validate?l=LIB&c=CODE	the QR code's target: the code is
 *				filled in, the patron gives the address
 *   POST /validate		presence of that address's booking now (R6)
 *
 * Showing never changes anything (mail scanners open links). A change is a
 * POST of a form, refused unless it carries the token of the page it came
 * from (a MAC of the page and the time it was made, valid a day) and, when
 * the browser says where it comes from (Origin), comes from this site. The
 * writes go through op_apply as the patron, as the API's do. A refusal is
 * a sentence saying what to do, never an error object.
 *
 * The sentences are a table of French and English (pages_text.c); the
 * forms' tokens, Origin check and decoding are in form.c.
 */
#include "config.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "html.h"
#include "mail.h"
#include "ops.h"
#include "pages_impl.h"
#include "patron.h"
#include "rules.h"
#include "server.h"
#include "session.h"
#include "settings.h"
#include "store.h"
#include "xmalloc.h"

/* One page being made. */
struct page {
	struct request	*r;
	enum plang	 lang;
	int		 suspended;	/* waiting for the writer */
	struct html	 h;
	/* The form's fields (POST), decoded; NULL when absent. */
	char		*f_token, *f_key, *f_action, *f_reason, *f_code;
	char		*f_email, *f_library, *f_lang;
};

static const char *
say(const struct page *p, enum say which)
{
	return (pages_say(p->lang, which));
}


static void
begin(struct page *p, const char *title, const char *library)
{
	html_init(&p->h);
	html_rawf(&p->h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>",
	    p->lang == PLANG_FR ? "fr" : "en");
	html_text(&p->h, title);
	if (library != NULL) {
		html_raw(&p->h, " — ");
		html_text(&p->h, library);
	}
	html_raw(&p->h, "</title>\n<style>\n"
	    "body { font-family: sans-serif; line-height: 1.45; "
	    "max-width: 36em; margin: 0 auto; padding: 0.5em 1em; "
	    "color: #111; background: #fff; }\n"
	    "h1 { font-size: 1.5em; margin: 0.2em 0 0.6em; }\n"
	    "h2 { font-size: 1.15em; margin-top: 1.4em; }\n"
	    ".lib { color: #444; margin: 0.6em 0 0; font-weight: bold; }\n"
	    ".ok, .no { padding: 0.6em 0.8em; border-radius: 4px; "
	    "font-weight: bold; }\n"
	    ".ok { background: #e3f4e1; border: 2px solid #2b7a25; }\n"
	    ".no { background: #fbe7e7; border: 2px solid #a52121; }\n"
	    "dt { font-weight: bold; margin-top: 0.4em; }\n"
	    "dd { margin-left: 0; }\n"
	    "label { display: block; margin: 0.6em 0 0.2em; }\n"
	    "input[type=text], input[type=email] { font-size: 1.1em; "
	    "width: 100%; box-sizing: border-box; padding: 0.4em; }\n"
	    "button { font-size: 1.1em; padding: 0.5em 1em; margin-top: "
	    "0.6em; }\n"
	    "footer { margin-top: 2em; color: #444; font-size: 0.9em; }\n"
	    "</style>\n</head>\n<body>\n<header>\n");
	if (library != NULL) {
		html_raw(&p->h, "<p class=\"lib\">");
		html_text(&p->h, library);
		html_raw(&p->h, "</p>\n");
	}
	html_raw(&p->h, "<h1>");
	html_text(&p->h, title);
	html_raw(&p->h, "</h1>\n</header>\n<main>\n");
}

/* A sentence in a box: ok or refused. */
static void
notice(struct page *p, int ok, const char *text)
{
	html_rawf(&p->h, "<p class=\"%s\" id=\"notice\" role=\"%s\">",
	    ok ? "ok" : "no", ok ? "status" : "alert");
	html_text(&p->h, text);
	html_raw(&p->h, "</p>\n");
}

/*
 * A sentence of the table with its blanks ("%s") filled, in order, by the
 * strings given, NULL-terminated: no printf on a table's string. The
 * caller frees it.
 */
static char *
fill(const char *t, ...)
{
	struct html	 h;
	const char	*a, *p;
	va_list		 ap;

	html_init(&h);
	va_start(ap, t);
	for (p = t; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			if ((a = va_arg(ap, const char *)) != NULL)
				html_add(&h, a, strlen(a));
			p++;
		} else
			html_add(&h, p, 1);
	}
	va_end(ap);
	return (html_steal(&h));
}

/* A sentence with its blanks filled, in a box. */
static void
noticef(struct page *p, int ok, char *text)
{
	notice(p, ok, text);
	free(text);
}

/* Escaped text with its blanks filled. */
static void
textf(struct page *p, char *text)
{
	html_text(&p->h, text);
	free(text);
}

/* Minutes as text. */
static const char *
mins(int64_t seconds, char *buf, size_t size)
{
	snprintf(buf, size, "%lld", (long long)(seconds / 60));
	return (buf);
}

/* The footer, with a link to the same page in the other language. */
static void
end(struct page *p, const char *self)
{
	html_raw(&p->h, "</main>\n<footer>\n<p>");
	html_text(&p->h, say(p, S_DESK));
	html_raw(&p->h, "</p>\n");
	if (self != NULL) {
		html_raw(&p->h, "<p><a href=\"");
		html_text(&p->h, self);
		html_rawf(&p->h, "%slang=%s\" lang=\"%s\">",
		    strchr(self, '?') != NULL ? "&amp;" : "?",
		    p->lang == PLANG_FR ? "en" : "fr",
		    p->lang == PLANG_FR ? "en" : "fr");
		html_text(&p->h, say(p, S_OTHER_LANG));
		html_raw(&p->h, "</a></p>\n");
	}
	html_raw(&p->h, "</footer>\n</body>\n</html>\n");
}

static void
reply(struct page *p, int status)
{
	free(p->r->page);
	p->r->page = html_steal(&p->h);
	p->r->status = status;
	html_free(&p->h);
}

/* A page that only says one thing. */
static void
sentence(struct page *p, int status, enum say title, const char *text)
{
	begin(p, say(p, title), NULL);
	notice(p, 0, text);
	end(p, NULL);
	reply(p, status);
}


static void
fields_free(struct page *p)
{
	free(p->f_token);
	free(p->f_key);
	free(p->f_action);
	free(p->f_reason);
	free(p->f_code);
	free(p->f_email);
	free(p->f_library);
	free(p->f_lang);
}

/*
 * Read a POST's form and check it came from the page page: its type,
 * where it comes from, its token. 0 has replied with the sentence.
 */
static int
form_read(struct page *p, const char *page, enum say title)
{
	struct request	*r = p->r;
	const char	*ct;
	const char	*b = r->body != NULL ? r->body : "";

	ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	p->f_lang = form_field(b, r->len, "lang");
	p->lang = pages_language(r, p->f_lang);
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) != 0 || (ct[33] != '\0' && ct[33] != ';')) {
		sentence(p, 415, title, say(p, S_NOT_FORM));
		return (0);
	}
	p->f_token = form_field(b, r->len, "token");
	p->f_key = form_field(b, r->len, "key");
	p->f_action = form_field(b, r->len, "action");
	p->f_reason = form_trim(form_field(b, r->len, "reason"));
	p->f_code = form_trim(form_field(b, r->len, "code"));
	p->f_email = form_trim(form_field(b, r->len, "email"));
	p->f_library = form_trim(form_field(b, r->len, "l"));
	if (!form_origin_good(r) || !form_token_good(r, page, p->f_token)) {
		sentence(p, 403, title, say(p, S_BAD_FORM));
		return (0);
	}
	return (1);
}

/* The end of the paragraph that presents a form, and the start of the
 * form of page with its hidden fields: the page's token, the language,
 * the booking's key (may be NULL). */
static void
form_open(struct page *p, const char *page, const char *key)
{
	char	token[80];

	html_raw(&p->h, "</p>\n<form method=\"post\">\n");
	form_token_make(p->r, page, token, sizeof token);
	html_rawf(&p->h, "<input type=\"hidden\" name=\"token\" "
	    "value=\"%s\">\n", token);
	html_rawf(&p->h, "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
	    p->lang == PLANG_FR ? "fr" : "en");
	if (key != NULL) {
		html_raw(&p->h, "<input type=\"hidden\" name=\"key\" value=\"");
		html_text(&p->h, key);
		html_raw(&p->h, "\">\n");
	}
}

/* A section's heading, then the start of its paragraph (id may be
 * NULL). */
static void
heading(struct page *p, enum say title, const char *id)
{
	html_raw(&p->h, "<h2>");
	html_text(&p->h, say(p, title));
	if (id != NULL)
		html_rawf(&p->h, "</h2>\n<p id=\"%s\">", id);
	else
		html_raw(&p->h, "</h2>\n<p>");
}

/* The attributes of the library's code field (the QR code's). */
static const char code_attrs[] = "autocomplete=\"off\" "
    "autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"31\" "
    "required";

/* A labelled field of a form, named name (its id too), with its other
 * attributes and the value it holds (NULL: none). */
static void
field(struct page *p, const char *type, const char *name, enum say label,
    const char *attrs, const char *value)
{
	html_rawf(&p->h, "<label for=\"%s\">", name);
	html_text(&p->h, say(p, label));
	html_rawf(&p->h, "</label>\n<input type=\"%s\" id=\"%s\" "
	    "name=\"%s\" %s", type, name, name, attrs);
	if (value != NULL) {
		html_raw(&p->h, " value=\"");
		html_text(&p->h, value);
		html_raw(&p->h, "\"");
	}
	html_raw(&p->h, ">\n");
}

/* A form's button, then its end; action (NULL: the form does one thing)
 * is the booking page's action, and the button's id. */
static void
submit(struct page *p, const char *id, const char *action, enum say label)
{
	if (action != NULL)
		html_rawf(&p->h, "<button type=\"submit\" name=\"action\" "
		    "value=\"%s\" id=\"%s\">", action, id);
	else
		html_rawf(&p->h, "<button type=\"submit\" id=\"%s\">", id);
	html_text(&p->h, say(p, label));
	html_raw(&p->h, "</button>\n</form>\n");
}

static void	resumed(struct request *);

/*
 * Apply an operation as a patron, through the writer (writer.c): the
 * first time, hand it over and suspend the request (p->suspended: the
 * caller returns and shows nothing); once it is committed, the page is
 * made again from the same form (resumed) and this returns the writer's
 * answer: GERR_THROTTLED when the address has written too often (the
 * same limit as the API's patrons' writes).
 */
static enum gerr
apply(struct page *p, const char *kind, json_t *payload, struct gerror *err)
{
	struct request		*r = p->r;
	struct writer_job	*j;

	gerror_clear(err);
	if (r->njobs > 0) {
		*err = r->jobs[0].err;
		return (r->jobs[0].code);
	}
	if (!session_patron_allowed(r->store, r->address))
		return (gerror_set(err, GERR_THROTTLED, "throttled"));
	account_free(r->actor);
	r->actor = account_actor(ACTOR_PATRON, "patron");
	j = xcalloc(1, sizeof *j);
	j->account = r->actor;
	j->kind = kind;
	j->payload = payload;
	json_decref(r->held);
	r->held = json_incref(payload);
	p->suspended = 1;
	writer_submit(r, j, 1, resumed);
	return (GERR_OK);
}

/* What a booking's page needs: the booking, its resource, its library. */
struct shown {
	struct booking		 b;
	struct resource		 res;
	struct establishment	 lib;
	int64_t			 early, late;
};

static enum gerr
shown_load(struct request *r, const char *id, struct shown *w)
{
	enum gerr	e;

	if ((e = booking_find(r->store, id, &w->b)) != GERR_OK)
		return (e);
	if (resource_find(r->store, w->b.resource, &w->res) != GERR_OK ||
	    establishment_get(r->store, w->res.library_id, &w->lib) !=
	    GERR_OK)
		return (GERR_STORAGE);
	w->early = setting_get(r->store, SET_CHECKIN_EARLY_MINUTES) *
	    60;
	w->late = setting_get(r->store, SET_LATE_MINUTES) * 60;
	return (GERR_OK);
}

/* The sentence of a refusal on a booking's page. */
static void
booking_refusal(struct page *p, const struct shown *w,
    const struct gerror *err)
{
	char	t[16], m[24];

	switch (err->code) {
	case GERR_TOO_EARLY:
		patron_time(p->lang, w->res.tz, w->b.start - w->early, t,
		    sizeof t);
		noticef(p, 0, fill(say(p, S_TOO_EARLY), t, mins(w->early, m,
		    sizeof m), NULL));
		break;
	case GERR_TOO_LATE:
		patron_time(p->lang, w->res.tz, w->b.start + w->late, t,
		    sizeof t);
		noticef(p, 0, fill(say(p, S_TOO_LATE), t, NULL));
		break;
	case GERR_BAD_CODE:
		noticef(p, 0, fill(say(p, S_BAD_CODE_LIB), w->lib.name, NULL));
		break;
	case GERR_NOT_CONFIRMED:
		notice(p, 0, say(p, S_NOT_CONFIRMED));
		break;
	case GERR_BAD_STATE:
		noticef(p, 0, fill(say(p, S_BAD_STATE),
		    patron_status(p->lang, w->b.status), NULL));
		break;
	case GERR_FORBIDDEN:
		notice(p, 0, say(p, S_BAD_LINK));
		break;
	case GERR_THROTTLED:
		notice(p, 0, say(p, S_THROTTLED));
		break;
	case GERR_BAD_REQUEST:
		notice(p, 0, say(p, S_BAD_TEXT));
		break;
	case GERR_STORAGE:
	case GERR_UNREACHABLE:
		notice(p, 0, say(p, S_UNAVAILABLE));
		break;
	default:
		if (strcmp(gerr_code(err->code), "bad_text") == 0)
			notice(p, 0, say(p, S_BAD_TEXT));
		else
			notice(p, 0, say(p, S_REFUSED));
		break;
	}
}

/* The booking's page, with a sentence already in it (or none). */
static void
booking_body(struct page *p, const struct shown *w, const char *key)
{
	char		 when[PATRON_WHEN_LEN], t0[16], t1[16], page[64];
	char		 deadline[96], m[24];
	int64_t		 by;
	int64_t		 now = clock_now();
	int		 live = w->b.status == STATUS_PENDING ||
			    w->b.status == STATUS_CONFIRMED;

	snprintf(page, sizeof page, "booking|%s", w->b.id);
	patron_when(p->lang, w->res.tz, w->b.start, w->b.end, when);
	html_raw(&p->h, "<dl>\n<dt>");
	html_text(&p->h, say(p, S_WHERE));
	html_raw(&p->h, "</dt>\n<dd id=\"where\">");
	html_text(&p->h, w->res.name);
	html_textf(&p->h, " (%s)", w->res.code);
	html_raw(&p->h, "<br>\n");
	html_text(&p->h, w->lib.name);
	if (w->res.place[0] != '\0') {
		html_raw(&p->h, "<br>\n");
		html_text(&p->h, w->res.place);
	}
	html_raw(&p->h, "</dd>\n<dt>");
	html_text(&p->h, say(p, S_WHEN));
	html_raw(&p->h, "</dt>\n<dd id=\"when\">");
	html_text(&p->h, when);
	html_raw(&p->h, "</dd>\n<dt>");
	html_text(&p->h, say(p, S_STATE));
	html_raw(&p->h, "</dt>\n<dd id=\"state\">");
	html_text(&p->h, patron_status(p->lang, w->b.status));
	html_raw(&p->h, "</dd>\n</dl>\n");

	if (w->b.status == STATUS_PENDING) {
		heading(p, S_CONFIRM_H, NULL);
		by = w->b.created_at + setting_get(p->r->store,
		    SET_CONFIRM_HOURS) * 3600;
		patron_date(p->lang, w->res.tz, by, deadline, 64);
		patron_time(p->lang, w->res.tz, by, t0, sizeof t0);
		snprintf(deadline + strlen(deadline), sizeof deadline -
		    strlen(deadline), ", %s", t0);
		textf(p, fill(say(p, S_CONFIRM_P), deadline, NULL));
		form_open(p, page, key);
		submit(p, "confirm", "confirm", S_CONFIRM_B);
	}
	if (live && rules_presence_applies(&w->res) &&
	    now <= w->b.start + w->late) {
		patron_time(p->lang, w->res.tz, w->b.start - w->early, t0,
		    sizeof t0);
		patron_time(p->lang, w->res.tz, w->b.start + w->late, t1,
		    sizeof t1);
		heading(p, S_PRESENCE_H, NULL);
		textf(p, fill(say(p, S_PRESENCE_P), t0, t1, mins(w->late, m,
		    sizeof m), NULL));
		form_open(p, page, key);
		field(p, "text", "code", S_CODE, code_attrs, NULL);
		submit(p, "checkin", "checkin", S_PRESENCE_B);
	}
	if (live && rules_presence_applies(&w->res) &&
	    now > w->b.start + w->late) {
		/* Past the window: the desk, not a form that would refuse. */
		patron_time(p->lang, w->res.tz, w->b.start + w->late, t1,
		    sizeof t1);
		heading(p, S_PRESENCE_H, "presence");
		textf(p, fill(say(p, S_TOO_LATE), t1, NULL));
		html_raw(&p->h, "</p>\n");
	}
	if (live && now < w->b.end) {
		heading(p, S_CANCEL_H, NULL);
		html_text(&p->h, say(p, S_CANCEL_P));
		form_open(p, page, key);
		field(p, "text", "reason", S_REASON, "maxlength=\"240\"",
		    NULL);
		submit(p, "cancel", "cancel", S_CANCEL_B);
	}
}

/* The link of the page itself, for the language switch. */
static char *
booking_self(const char *id, const char *key)
{
	return (xasprintf("%s?key=%s", id, key));
}

/* Whether the key is the booking's (the e-mail's link). */
static int
key_good(struct request *r, const char *id, const char *key)
{
	char	mine[MAIL_KEY_LEN];

	if (key == NULL || strlen(key) != MAIL_KEY_LEN - 1 ||
	    mail_key(r->store, id, mine) != GERR_OK)
		return (0);
	return (sodium_memcmp(mine, key, MAIL_KEY_LEN - 1) == 0);
}

static void
booking_page(struct page *p, const char *id)
{
	struct request	*r = p->r;
	struct shown	 w;
	struct gerror	 err;
	const char	*key;
	char		*self;
	json_t		*payload;
	enum gerr	 e;
	int		 post = strcmp(r->method, "POST") == 0;
	enum say	 done = S__COUNT;
	char		 page[64];
	int		 status = 200;

	snprintf(page, sizeof page, "booking|%s", id);
	if (post && !form_read(p, page, S_TITLE_BOOKING))
		return;
	key = post ? p->f_key : http_arg(r, "key");
	if (!post)
		p->lang = pages_language(r, NULL);
	if (!uuid_valid(id) || (e = shown_load(r, id, &w)) == GERR_NOT_FOUND) {
		sentence(p, 404, S_TITLE_BOOKING, say(p, S_NO_BOOKING));
		return;
	}
	if (e != GERR_OK) {
		sentence(p, 503, S_TITLE_BOOKING, say(p, S_UNAVAILABLE));
		return;
	}
	if (!key_good(r, id, key)) {
		sentence(p, 403, S_TITLE_BOOKING, say(p, S_BAD_LINK));
		return;
	}
	self = booking_self(id, key);
	begin(p, say(p, S_TITLE_BOOKING), w.lib.name);
	if (post) {
		payload = json_pack("{s:s, s:s}", "id", id, "key", key);
		e = GERR_BAD_REQUEST;
		gerror_set(&err, GERR_BAD_REQUEST, "no action");
		if (p->f_action != NULL && strcmp(p->f_action, "confirm") ==
		    0) {
			e = apply(p, "confirm", payload, &err);
			done = S_DONE_CONFIRM;
		} else if (p->f_action != NULL &&
		    strcmp(p->f_action, "cancel") == 0) {
			if (p->f_reason != NULL && *p->f_reason != '\0')
				json_object_set_new(payload, "reason",
				    json_string(p->f_reason));
			e = apply(p, "cancel", payload, &err);
			done = S_DONE_CANCEL;
		} else if (p->f_action != NULL &&
		    strcmp(p->f_action, "checkin") == 0) {
			json_object_set_new(payload, "code",
			    json_string(p->f_code != NULL ? p->f_code : ""));
			e = apply(p, "checkin", payload, &err);
			done = S_DONE_PRESENT;
		}
		json_decref(payload);
		if (p->suspended) {
			html_free(&p->h);
			free(self);
			return;
		}
		if (e == GERR_OK)
			notice(p, 1, say(p, done));
		else
			booking_refusal(p, &w, &err);
		/* Show the booking as it is now. */
		if (shown_load(r, id, &w) != GERR_OK) {
			html_free(&p->h);
			free(self);
			sentence(p, 503, S_TITLE_BOOKING,
			    say(p, S_UNAVAILABLE));
			return;
		}
		if (e != GERR_OK)
			status = gerr_info(err.code)->http;
	} else if (w.b.status == STATUS_PRESENT)
		notice(p, 1, say(p, S_DONE_PRESENT));
	else if (w.b.status != STATUS_PENDING &&
	    w.b.status != STATUS_CONFIRMED)
		noticef(p, 0, fill(say(p, S_FINAL),
		    patron_status(p->lang, w.b.status), NULL));
	booking_body(p, &w, key);
	end(p, self);
	free(self);
	reply(p, status);
}

/* The validation page: the QR code's target. */
static void
validate_page(struct page *p)
{
	struct request		*r = p->r;
	struct establishment	 lib;
	struct gerror		 err;
	const char		*l, *code, *email = NULL;
	char			*self;
	json_t			*payload;
	int			 post = strcmp(r->method, "POST") == 0;
	int			 have_lib, status = 200;
	char			 m0[24], m1[24];
	enum gerr		 e = GERR_OK;

	if (post && !form_read(p, "validate", S_TITLE_VALIDATE))
		return;
	if (!post)
		p->lang = pages_language(r, NULL);
	l = post ? p->f_library : http_arg(r, "l");
	code = post ? p->f_code : http_arg(r, "c");
	if (post)
		email = p->f_email;
	if (l != NULL && *l == '\0')
		l = NULL;
	have_lib = l != NULL && strlen(l) < CODE_LEN &&
	    establishment_find(r->store, l, &lib) == GERR_OK;
	if (!have_lib)
		l = NULL;
	mins(setting_get(r->store, SET_CHECKIN_EARLY_MINUTES) * 60, m0,
	    sizeof m0);
	mins(setting_get(r->store, SET_LATE_MINUTES) * 60, m1,
	    sizeof m1);
	begin(p, say(p, S_TITLE_VALIDATE), have_lib ? lib.name : NULL);
	if (post) {
		payload = json_pack("{s:s, s:s}", "email", email != NULL ?
		    email : "", "code", code != NULL ? code : "");
		if (l != NULL)
			json_object_set_new(payload, "library",
			    json_string(l));
		e = apply(p, "validate", payload, &err);
		json_decref(payload);
		if (p->suspended) {
			html_free(&p->h);
			return;
		}
		if (e == GERR_OK)
			notice(p, 1, say(p, S_DONE_VALIDATE));
		else if (err.code == GERR_THROTTLED)
			notice(p, 0, say(p, S_THROTTLED));
		else if (err.code == GERR_BAD_CODE && have_lib)
			noticef(p, 0, fill(say(p, S_BAD_CODE_LIB), lib.name,
			    NULL));
		else if (err.code == GERR_BAD_CODE)
			notice(p, 0, say(p, S_BAD_CODE));
		else if (err.code == GERR_BAD_EMAIL ||
		    err.code == GERR_BAD_REQUEST)
			notice(p, 0, say(p, S_BAD_EMAIL));
		else if (err.code == GERR_NOT_FOUND)
			noticef(p, 0, fill(say(p, S_NOTHING_NOW), m0, m1,
			    NULL));
		else if (err.code == GERR_STORAGE ||
		    err.code == GERR_UNREACHABLE)
			notice(p, 0, say(p, S_UNAVAILABLE));
		else
			notice(p, 0, say(p, S_REFUSED));
		if (e != GERR_OK)
			status = gerr_info(err.code)->http;
	}
	if (e != GERR_OK || !post) {
		html_raw(&p->h, "<p>");
		textf(p, fill(say(p, S_VALIDATE_P), m0, m1, NULL));
		form_open(p, "validate", NULL);
		if (l != NULL) {
			html_raw(&p->h, "<input type=\"hidden\" name=\"l\" "
			    "value=\"");
			html_text(&p->h, l);
			html_raw(&p->h, "\">\n");
		}
		/* Filled in from the QR code; kept after a refusal. */
		field(p, "text", "code", S_CODE, code_attrs, code != NULL &&
		    strlen(code) < CODE_LEN ? code : "");
		field(p, "email", "email", S_EMAIL, "autocomplete=\"email\" "
		    "maxlength=\"254\" required", email != NULL &&
		    strlen(email) < EMAIL_LEN ? email : "");
		submit(p, "validate", NULL, S_PRESENCE_B);
	}
	self = l != NULL ? xasprintf("validate?l=%s", l) :
	    xstrdup("validate");
	end(p, self);
	free(self);
	reply(p, status);
}

int
pages_path(const char *path)
{
	return (strcmp(path, "/validate") == 0 ||
	    strncmp(path, "/booking/", 9) == 0);
}

void
pages_dispatch(struct request *r)
{
	struct page	 p;
	const char	*path = r->path;

	memset(&p, 0, sizeof p);
	p.r = r;
	p.lang = PLANG_FR;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0 &&
	    strcmp(r->method, "POST") != 0) {
		p.lang = pages_language(r, NULL);
		sentence(&p, 405, S_TITLE_BOOKING, say(&p, S_NOT_FORM));
		return;
	}
	if (r->store == NULL) {
		p.lang = pages_language(r, NULL);
		sentence(&p, 503, S_TITLE_BOOKING, say(&p, S_UNAVAILABLE));
		return;
	}
	if (strcmp(path, "/validate") == 0)
		validate_page(&p);
	else if (strncmp(path, "/booking/", 9) == 0 &&
	    strchr(path + 9, '/') == NULL)
		booking_page(&p, path + 9);
	else {
		p.lang = pages_language(r, NULL);
		sentence(&p, 404, S_TITLE_BOOKING, say(&p, S_NOT_FOUND));
	}
	fields_free(&p);
}

/* The writer has committed a page's operation: make the page again from
 * the same form, now with its answer (apply). */
static void
resumed(struct request *r)
{
	pages_dispatch(r);
}

void
pages_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/html; charset=utf-8");
	/* No script, no frame, forms to this site only; the key in the
	 * address never leaves for another site in a Referer (same-origin,
	 * not no-referrer: with that, browsers send "Origin: null" on the
	 * forms' POSTs); nothing kept in caches. */
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store");
}

void
pages_legacy_link(struct request *r)
{
	struct page	 p;
	const char	*key = http_arg(r, "key");

	/* Links of e-mails sent before the pages: to the booking's page,
	 * which changes nothing by itself. */
	if (!uuid_valid(r->param) || key == NULL || strlen(key) !=
	    MAIL_KEY_LEN - 1 || strspn(key, "0123456789abcdef") !=
	    MAIL_KEY_LEN - 1) {
		memset(&p, 0, sizeof p);
		p.r = r;
		p.lang = pages_language(r, NULL);
		sentence(&p, 403, S_TITLE_BOOKING, say(&p, S_BAD_LINK));
		return;
	}
	free(r->location);
	r->location = xasprintf("/booking/%s?key=%s", r->param, key);
	free(r->page);
	r->page = xasprintf("<!DOCTYPE html>\n<title>guichet</title>\n"
	    "<p><a href=\"%s\">%s</a></p>\n", r->location, r->location);
	r->status = 303;
}
