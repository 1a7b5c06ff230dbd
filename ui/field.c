/*
 * A line of typed text, kept as UTF-8 and edited at a cursor (a byte
 * offset, always at the start of a character). A field filled in advance
 * is "fresh": the first character typed replaces it, as a selected
 * default does in a dialog, so "4" in a field showing "1" means 4.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "screen.h"

static int
cont(const struct field *f, size_t i)
{
	return (i < f->len && ((unsigned char)f->buf[i] & 0xc0) == 0x80);
}

void
field_set(struct field *f, const char *text, int fresh)
{
	size_t	n = strlen(text);

	if (n >= sizeof f->buf)
		n = sizeof f->buf - 1;
	memcpy(f->buf, text, n);
	f->buf[n] = '\0';
	f->len = f->pos = n;
	f->fresh = fresh && n > 0;
}

/* Insert a printable character at the cursor; 0 if it was refused. */
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
	if (n == (size_t)-1)
		return (0);
	if (f->fresh)
		field_set(f, "", 0);
	if (f->pos > f->len)
		f->pos = f->len;
	if (f->len + n >= sizeof f->buf)
		return (0);
	memmove(f->buf + f->pos + n, f->buf + f->pos, f->len - f->pos + 1);
	memcpy(f->buf + f->pos, mb, n);
	f->len += n;
	f->pos += n;
	return (1);
}

/* Remove the character before the cursor, not the last byte. */
int
field_backspace(struct field *f)
{
	size_t	at;

	f->fresh = 0;
	if (f->pos > f->len)
		f->pos = f->len;
	if (f->pos == 0)
		return (0);
	at = f->pos;
	do
		at--;
	while (at > 0 && cont(f, at));
	memmove(f->buf + at, f->buf + f->pos, f->len - f->pos + 1);
	f->len -= f->pos - at;
	f->pos = at;
	return (1);
}

static int
width_of(const char *p, size_t left)
{
	wchar_t		 wc;
	mbstate_t	 ps;
	size_t		 n;
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

/* Columns the text takes on the terminal. */
int
field_width(const struct field *f)
{
	return (width_of(f->buf, f->len));
}

int
field_cursor(const struct field *f)
{
	return (width_of(f->buf, f->pos < f->len ? f->pos : f->len));
}

/* The editing keys (keys_field in keys.c). */
int
field_left(struct field *f)
{
	f->fresh = 0;
	if (f->pos == 0)
		return (0);
	do
		f->pos--;
	while (f->pos > 0 && cont(f, f->pos));
	return (1);
}

int
field_right(struct field *f)
{
	f->fresh = 0;
	if (f->pos >= f->len)
		return (0);
	do
		f->pos++;
	while (cont(f, f->pos));
	return (1);
}

int
field_home(struct field *f)
{
	f->fresh = 0;
	f->pos = 0;
	return (1);
}

int
field_end(struct field *f)
{
	f->fresh = 0;
	f->pos = f->len;
	return (1);
}

int
field_delete(struct field *f)
{
	if (!field_right(f))
		return (0);
	return (field_backspace(f));
}

/* ^U: all before the cursor. */
int
field_kill(struct field *f)
{
	f->fresh = 0;
	memmove(f->buf, f->buf + f->pos, f->len - f->pos + 1);
	f->len -= f->pos;
	f->pos = 0;
	return (1);
}

/* ^W: the word before the cursor, and the blanks after it. */
int
field_kill_word(struct field *f)
{
	size_t	at = f->pos;

	f->fresh = 0;
	while (at > 0 && f->buf[at - 1] == ' ')
		at--;
	while (at > 0 && f->buf[at - 1] != ' ')
		at--;
	memmove(f->buf + at, f->buf + f->pos, f->len - f->pos + 1);
	f->len -= f->pos - at;
	f->pos = at;
	return (1);
}
