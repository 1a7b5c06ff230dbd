/*
 * A growing text buffer for HTML (the patrons' pages, the HTML part of
 * e-mails): raw text is appended as is, text from people and data always
 * through html_text(), which escapes the five characters that matter in
 * HTML (& < > " ').
 */
#ifndef GUICHET_HTML_H
#define GUICHET_HTML_H

#include <stddef.h>

struct html {
	char	*buf;		/* always NUL-terminated */
	size_t	 len;
	size_t	 cap;
};

/* Start an empty buffer. */
void	 html_init(struct html *h);
/* Append markup as is. */
void	 html_raw(struct html *h, const char *str);
void	 html_rawf(struct html *h, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append text, escaped. */
void	 html_text(struct html *h, const char *str);
void	 html_textf(struct html *h, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append n bytes as is. */
void	 html_add(struct html *h, const char *p, size_t n);
/* The text, which the caller now owns and frees; the buffer is empty
 * and holds nothing (html_free is then not needed). */
char	*html_steal(struct html *h);
void	 html_free(struct html *h);

#endif
