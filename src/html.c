/*
 * HTML buffers: see html.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "xmalloc.h"

void
html_init(struct html *h)
{
	h->cap = 256;
	h->s = xmalloc(h->cap);
	h->s[0] = '\0';
	h->len = 0;
}

void
html_add(struct html *h, const char *p, size_t n)
{
	if (h->len + n + 1 > h->cap) {
		if (h->cap == 0)
			h->cap = 256;
		while (h->len + n + 1 > h->cap)
			h->cap *= 2;
		h->s = xrealloc(h->s, h->cap);
	}
	memcpy(h->s + h->len, p, n);
	h->len += n;
	h->s[h->len] = '\0';
}

void
html_raw(struct html *h, const char *s)
{
	html_add(h, s, strlen(s));
}

void
html_rawf(struct html *h, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	html_raw(h, s);
	free(s);
}

void
html_text(struct html *h, const char *s)
{
	const char	*p;
	size_t		 n;

	for (p = s; *p != '\0'; p += n) {
		n = strcspn(p, "&<>\"'");
		html_add(h, p, n);
		switch (p[n]) {
		case '&':
			html_raw(h, "&amp;");
			break;
		case '<':
			html_raw(h, "&lt;");
			break;
		case '>':
			html_raw(h, "&gt;");
			break;
		case '"':
			html_raw(h, "&quot;");
			break;
		case '\'':
			html_raw(h, "&#39;");
			break;
		default:
			return;
		}
		n++;
	}
}

void
html_textf(struct html *h, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	html_text(h, s);
	free(s);
}

char *
html_steal(struct html *h)
{
	char	*s = h->s;

	/* Empty, and nothing held: appending again starts a new text. */
	h->s = NULL;
	h->len = h->cap = 0;
	return (s);
}

void
html_free(struct html *h)
{
	free(h->s);
	h->s = NULL;
	h->len = h->cap = 0;
}
