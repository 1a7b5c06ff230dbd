/* guichetd's log: see log.h. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static int	verbose;

void
log_verbose(int on)
{
	verbose = on;
}

static void	log_vline(const char *, va_list, const char *)
		    __attribute__((format(printf, 1, 0)));

/* One line, written at once so that threads do not mix their lines. */
static void
log_vline(const char *fmt, va_list ap, const char *cause)
{
	char	line[1024];

	vsnprintf(line, sizeof line, fmt, ap);
	if (cause != NULL)
		fprintf(stderr, "guichetd: %s: %s\n", line, cause);
	else
		fprintf(stderr, "guichetd: %s\n", line);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vline(fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	char	 cause[256];
	int	 saved = errno;

	snprintf(cause, sizeof cause, "%s", strerror(saved));
	va_start(ap, fmt);
	log_vline(fmt, ap, cause);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vline(fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	log_vline(fmt, ap, NULL);
	va_end(ap);
}
