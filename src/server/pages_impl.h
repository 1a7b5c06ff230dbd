/*
 * Inside the patrons' pages (pages.c): their words (pages_text.c) and
 * their forms' safety and decoding (form.c). Only pages*.c and form.c
 * include this header.
 */
#ifndef GUICHET_PAGES_IMPL_H
#define GUICHET_PAGES_IMPL_H

#include <stddef.h>

#include "patron.h"

struct request;

/* Every sentence of the pages, in French and in English. */
enum say {
	S_TITLE_BOOKING,
	S_TITLE_VALIDATE,
	S_WHERE,
	S_WHEN,
	S_STATE,
	S_CONFIRM_H,
	S_CONFIRM_P,
	S_CONFIRM_B,
	S_PRESENCE_H,
	S_PRESENCE_P,
	S_CODE,
	S_PRESENCE_B,
	S_CANCEL_H,
	S_CANCEL_P,
	S_REASON,
	S_CANCEL_B,
	S_VALIDATE_P,
	S_EMAIL,
	S_DESK,
	S_OTHER_LANG,
	S_DONE_CONFIRM,
	S_DONE_CANCEL,
	S_DONE_PRESENT,
	S_DONE_VALIDATE,
	S_BAD_LINK,
	S_NO_BOOKING,
	S_BAD_FORM,
	S_NOT_FORM,
	S_THROTTLED,
	S_UNAVAILABLE,
	S_TOO_EARLY,
	S_TOO_LATE,
	S_BAD_CODE_LIB,
	S_BAD_CODE,
	S_NOT_CONFIRMED,
	S_BAD_STATE,
	S_BAD_TEXT,
	S_BAD_EMAIL,
	S_NOTHING_NOW,
	S_REFUSED,
	S_NOT_FOUND,
	S_FINAL,
	S__COUNT
};

/* The sentence s in the language lang (a table's string: its blanks are
 * filled by pages.c's fill(), never by printf). */
const char	*pages_say(enum plang lang, enum say which);
/* The language of request r: forced ("fr" or "en", the form's; NULL for
 * ?lang=), else the first of fr and en in Accept-Language by quality,
 * else French. */
enum plang	 pages_language(struct request *r, const char *forced);

/* form.c. The token of page's forms, made now, into out (size bytes). */
void		 form_token_make(struct request *r, const char *page,
		     char *out, size_t size);
/* Whether token is one form_token_make made for page within a day. */
int		 form_token_good(struct request *r, const char *page,
		     const char *token);
/* Whether a POST may come from where the browser says it comes from
 * (Origin): no Origin, or this site's. */
int		 form_origin_good(struct request *r);
/* The field name of an urlencoded body of len bytes, decoded; NULL when
 * absent, bad (%00, a bad escape) or too long. The caller frees it. */
char		*form_field(const char *body, size_t len, const char *name);
/* Trim the spaces around s in place; s may be NULL. Returns s. */
char		*form_trim(char *str);

#endif
