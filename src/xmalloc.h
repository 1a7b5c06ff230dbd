/*
 * Allocation wrappers that never return NULL: running out of memory is
 * fatal, so callers need no error path for it.
 */
#ifndef GUICHET_XMALLOC_H
#define GUICHET_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t size) __attribute__((malloc));
void	*xcalloc(size_t n, size_t size) __attribute__((malloc));
void	*xrealloc(void *ptr, size_t size);
void	*xreallocarray(void *ptr, size_t n, size_t size);
/*
 * Room for element n of an array that only ever grows by one element at a
 * time from NULL (n is how many it holds): the allocation doubles when n
 * is zero or a power of two, so n appends copy O(n) bytes, not O(n^2).
 */
void	*xappend(void *ptr, size_t n, size_t size);
char	*xstrdup(const char *str) __attribute__((nonnull, malloc));
char	*xstrndup(const char *str, size_t n) __attribute__((nonnull, malloc));
/* Returns a new string the caller frees. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *fmt, va_list ap)
	    __attribute__((format(printf, 1, 0)));

/* Print a message and exit: for states that cannot happen. */
void	 fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* Copy at most size-1 bytes and terminate; returns strlen(src). */
size_t	 strlcpy_g(char *dst, const char *src, size_t size);

#endif
