/*
 * JSON text from jansson values (jsontext.h). jansson 2.14's dump keeps a
 * hash table of the containers it is inside, to refuse cycles, and builds
 * and clears it at every object and array: a booking's reply cost about
 * 40,000 instructions to dump and GET /establishments' list about 200,000,
 * more than the SQL that read it. This writer walks the value once into
 * one growing buffer.
 *
 * It writes what json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) writes: keys
 * in the object's own order (insertion order, which is jansson's when
 * JSON_SORT_KEYS is not given), "," and ":" with no space, strings with
 * '"', '\\', \b \f \n \r \t escaped and other bytes below 0x20 as \u00XX
 * (upper-case hex), '/' and every other character as they are (UTF-8
 * checked, as jansson checks it). Reals are handed to jansson itself: its
 * format has rules of its own (17 digits, ".0" added, exponent trimmed)
 * and replies seldom hold one. tests/check_json.c compares the two.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsontext.h"
#include "xmalloc.h"

struct text {
	char	*p;
	size_t	 len;
	size_t	 size;
};

/* Room for n more bytes and the NUL. */
static void
grow(struct text *t, size_t n)
{
	if (t->len + n + 1 <= t->size)
		return;
	while (t->len + n + 1 > t->size)
		t->size *= 2;
	t->p = xrealloc(t->p, t->size);
}

static void
put(struct text *t, const char *s, size_t n)
{
	grow(t, n);
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

static void
put_char(struct text *t, char c)
{
	grow(t, 1);
	t->p[t->len++] = c;
}

/* The length of the UTF-8 character at s (n bytes left), 0 if invalid:
 * jansson's rules (no overlong form, no surrogate, at most U+10FFFF). */
static size_t
utf8_length(const unsigned char *s, size_t n)
{
	uint32_t	c;
	size_t		len, i;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return (0);
	if (len > n)
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    (len == 3 && c < 0x800) || (len == 4 && c < 0x10000))
		return (0);
	return (len);
}

/* A string between quotes; -1 if it is not UTF-8. */
static int
put_string(struct text *t, const char *str, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, run = 0, k;
	char			 esc[6];

	put_char(t, '"');
	while (i < n) {
		if (s[i] >= 0x80) {
			if ((k = utf8_length(s + i, n - i)) == 0)
				return (-1);
			i += k;
			continue;
		}
		if (s[i] >= 0x20 && s[i] != '"' && s[i] != '\\') {
			i++;
			continue;
		}
		put(t, str + run, i - run);
		esc[0] = '\\';
		switch (s[i]) {
		case '"':
		case '\\':
			esc[1] = (char)s[i];
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[s[i] >> 4];
			esc[5] = hex[s[i] & 0xf];
			put(t, esc, 6);
			run = ++i;
			continue;
		}
		put(t, esc, 2);
		run = ++i;
	}
	put(t, str + run, n - run);
	put_char(t, '"');
	return (0);
}

static void
put_integer(struct text *t, json_int_t v)
{
	char			 b[24], *p = b + sizeof b;
	unsigned long long	 u;

	/* As unsigned, so that the most negative value has its digits. */
	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	put(t, p, (size_t)(b + sizeof b - p));
}

static int
put_value(struct text *t, const json_t *v, int depth)
{
	const char	*key;
	json_t		*one;
	char		*real;
	void		*it;
	size_t		 i, n;

	if (depth > JSONTEXT_DEPTH)
		return (-1);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		put_char(t, '{');
		/* json_object_iter is not const: it does not change v. */
		for (it = json_object_iter((json_t *)(uintptr_t)v), i = 0;
		    it != NULL; it = json_object_iter_next((json_t *)
		    (uintptr_t)v, it), i++) {
			if (i > 0)
				put_char(t, ',');
			key = json_object_iter_key(it);
			if (put_string(t, key, json_object_iter_key_len(it)) !=
			    0)
				return (-1);
			put_char(t, ':');
			if (put_value(t, json_object_iter_value(it),
			    depth + 1) != 0)
				return (-1);
		}
		put_char(t, '}');
		return (0);
	case JSON_ARRAY:
		put_char(t, '[');
		n = json_array_size(v);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put_char(t, ',');
			one = json_array_get(v, i);
			if (put_value(t, one, depth + 1) != 0)
				return (-1);
		}
		put_char(t, ']');
		return (0);
	case JSON_STRING:
		return (put_string(t, json_string_value(v),
		    json_string_length(v)));
	case JSON_INTEGER:
		put_integer(t, json_integer_value(v));
		return (0);
	case JSON_REAL:
		if ((real = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) ==
		    NULL)
			return (-1);
		put(t, real, strlen(real));
		free(real);
		return (0);
	case JSON_TRUE:
		put(t, "true", 4);
		return (0);
	case JSON_FALSE:
		put(t, "false", 5);
		return (0);
	case JSON_NULL:
		put(t, "null", 4);
		return (0);
	}
	return (-1);
}

char *
jsontext_dump(const json_t *v, size_t *len)
{
	struct text	t;

	if (v == NULL)
		return (NULL);
	t.size = 256;
	t.len = 0;
	t.p = xmalloc(t.size);
	if (put_value(&t, v, 0) != 0) {
		free(t.p);
		return (NULL);
	}
	t.p[t.len] = '\0';
	if (len != NULL)
		*len = t.len;
	return (t.p);
}
