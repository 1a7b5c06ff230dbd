/* A line of typed text, kept as UTF-8. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "screen.h"

/* Append a printable character; 0 if it was refused. */
int
field_add(struct field *f, wint_t c)
{
	char		 mb[MB_LEN_MAX];
	mbstate_t	 ps;
	size_t		 n;

	if (!iswprint(c))
		return (0);
	memset(&ps, 0, sizeof ps);
	n = wcrtomb(mb, (wchar_t)c, &ps);
	if (n == (size_t)-1 || f->len + n >= sizeof f->buf)
		return (0);
	memcpy(f->buf + f->len, mb, n);
	f->len += n;
	f->buf[f->len] = '\0';
	return (1);
}

/* Remove the last character, not the last byte. */
int
field_backspace(struct field *f)
{
	if (f->len == 0)
		return (0);
	do
		f->len--;
	while (f->len > 0 && ((unsigned char)f->buf[f->len] & 0xc0) == 0x80);
	f->buf[f->len] = '\0';
	return (1);
}

/* Columns the text takes on the terminal. */
int
field_width(const struct field *f)
{
	wchar_t		 wc;
	mbstate_t	 ps;
	const char	*p = f->buf;
	size_t		 n, left = f->len;
	int		 w = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (left > 0 && (n = mbrtowc(&wc, p, left, &ps)) != 0 &&
	    n != (size_t)-1 && n != (size_t)-2) {
		cw = wcwidth(wc);
		w += cw > 0 ? cw : 1;
		p += n;
		left -= n;
	}
	return (w);
}
