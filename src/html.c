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
	h->buf = xmalloc(h->cap);
	h->buf[0] = '\0';
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
		h->buf = xrealloc(h->buf, h->cap);
	}
	memcpy(h->buf + h->len, p, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

void
html_raw(struct html *h, const char *str)
{
	html_add(h, str, strlen(str));
}

void
html_rawf(struct html *h, const char *fmt, ...)
{
	va_list	 ap;
	char	*str;

	va_start(ap, fmt);
	str = xvasprintf(fmt, ap);
	va_end(ap);
	html_raw(h, str);
	free(str);
}

void
html_text(struct html *h, const char *str)
{
	const char	*p;
	size_t		 n;

	for (p = str; *p != '\0'; p += n) {
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
	char	*str;

	va_start(ap, fmt);
	str = xvasprintf(fmt, ap);
	va_end(ap);
	html_text(h, str);
	free(str);
}

char *
html_steal(struct html *h)
{
	char	*str = h->buf;

	/* Empty, and nothing held: appending again starts a new text. */
	h->buf = NULL;
	h->len = h->cap = 0;
	return (str);
}

void
html_free(struct html *h)
{
	free(h->buf);
	h->buf = NULL;
	h->len = h->cap = 0;
}
