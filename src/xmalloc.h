/*
 * Allocation wrappers that never return NULL: running out of memory is
 * fatal, so callers need no error path for it.
 */
#ifndef GUICHET_XMALLOC_H
#define GUICHET_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t) __attribute__((malloc));
void	*xcalloc(size_t, size_t) __attribute__((malloc));
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *) __attribute__((nonnull, malloc));
char	*xstrndup(const char *, size_t) __attribute__((nonnull, malloc));
/* Returns a new string the caller frees. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

/* Print a message and exit: for states that cannot happen. */
void	 fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Copy at most size-1 bytes and terminate; returns strlen(src). */
size_t	 strlcpy_g(char *, const char *, size_t);

#endif
