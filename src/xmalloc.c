/* Allocation wrappers: see xmalloc.h. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("guichet: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		fatalx("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		fatalx("xmalloc: out of memory allocating %zu bytes", size);
	return (p);
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		fatalx("xcalloc: zero size");
	if ((p = calloc(n, size)) == NULL)
		fatalx("xcalloc: out of memory allocating %zu * %zu bytes", n,
		    size);
	return (p);
}

void *
xrealloc(void *ptr, size_t size)
{
	return (xreallocarray(ptr, 1, size));
}

void *
xreallocarray(void *ptr, size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		fatalx("xreallocarray: zero size");
	if (SIZE_MAX / n < size)
		fatalx("xreallocarray: %zu * %zu overflows", n, size);
	if ((p = realloc(ptr, n * size)) == NULL)
		fatalx("xreallocarray: out of memory");
	return (p);
}

void *
xappend(void *ptr, size_t n, size_t size)
{
	if (n > 0 && (n & (n - 1)) != 0)
		return (ptr);
	return (xreallocarray(ptr, n > 0 ? 2 * n : 1, size));
}

char *
xstrdup(const char *str)
{
	char	*p;

	if ((p = strdup(str)) == NULL)
		fatalx("xstrdup: out of memory");
	return (p);
}

char *
xstrndup(const char *str, size_t n)
{
	char	*p;

	if ((p = strndup(str, n)) == NULL)
		fatalx("xstrndup: out of memory");
	return (p);
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*str;

	if (vasprintf(&str, fmt, ap) == -1)
		fatalx("xvasprintf: out of memory");
	return (str);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*str;

	va_start(ap, fmt);
	str = xvasprintf(fmt, ap);
	va_end(ap);
	return (str);
}

size_t
strlcpy_g(char *dst, const char *src, size_t size)
{
	size_t	len = strlen(src);

	if (size != 0) {
		size_t n = len >= size ? size - 1 : len;

		/* Never cut inside a UTF-8 character. */
		while (n < len && n > 0 && ((unsigned char)src[n] & 0xc0) ==
		    0x80)
			n--;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}
