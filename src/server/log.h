/*
 * guichetd's log, on standard error (systemd's journal takes it from
 * there), one line a message, each starting "guichetd: " (tmux's log.c):
 * log_warnx for what went wrong, log_info for what the server did,
 * log_debug for tracing, shown only with -v.
 */
#ifndef GUICHET_LOG_H
#define GUICHET_LOG_H

/* Show log_debug lines from now on. */
void	log_verbose(int on);
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, followed by ": " and strerror(errno). */
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
