/*
 * What the commands share to speak: refusals (text or the API's error
 * object), JSON and listings, bookings, and the dates and times they read
 * and write in a library's zone.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>

#include "cli_impl.h"
#include "clock.h"
#include "i18n.h"
#include "tz.h"
#include "xmalloc.h"

int
cli_fail(struct cli *c, enum gerr code, const char *msg)
{
	const struct gerr_info	*info = gerr_info(code);
	json_t			*o;

	if (c->json) {
		o = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", info->code,
		    "message", msg, "rule", info->rule);
		cli_print_json(o);
		json_decref(o);
	} else if (info->rule != NULL || code == GERR_BAD_STATE ||
	    code == GERR_NEEDS_CONFIRMATION)
		fprintf(stderr, _("guichet: refused (%s): %s\n"), info->code,
		    msg);
	else
		fprintf(stderr, "guichet: %s\n", msg);
	return (info->exit);
}

int
cli_usage_error(struct cli *c, const char *fmt, ...)
{
	va_list	ap;
	char	msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return (cli_fail(c, GERR_BAD_REQUEST, msg));
}

const char *
cli_jstr(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return (v != NULL ? v : "");
}

void
cli_print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY);
	putchar('\n');
}

int
cli_list_done(struct cli *c, json_t *arr, size_t shown, const char *none)
{
	if (c->json)
		cli_print_json(arr);
	else if (shown == 0)
		printf("%s\n", none);
	json_decref(arr);
	return (0);
}

void
cli_print_booking(struct cli *c, json_t *result, const char *verb)
{
	json_t	*id = json_object_get(result, "id");

	if (c->json)
		cli_print_json(result);
	else if (verb == NULL)
		printf("%s\n", json_string_value(id));
	else
		printf("%s %s (%s)\n", verb, json_string_value(id),
		    json_string_value(json_object_get(result, "status")));
}

void
cli_print_freed(struct cli *c, json_t *result, const char *key)
{
	json_t		*list = json_object_get(result, key), *b;
	size_t		 i;
	const char	*verb;

	if (c->json) {
		cli_print_json(result);
		return;
	}
	/* TRANSLATORS: what happened to a booking, at the head of its line. */
	/* R13: a list refused for confirmation is not cancelled yet. */
	verb = strcmp(key, "freed") == 0 ? _("freed") : strcmp(key,
	    "to_cancel") == 0 ? _("to_cancel") : _("cancelled");
	/* An interval in ISO 8601's start/end form. */
	json_array_foreach(list, i, b)
		printf("%s %s  %s  %s/%s  %s\n", verb,
		    json_string_value(json_object_get(b, "id")),
		    json_string_value(json_object_get(b, "resource")),
		    json_string_value(json_object_get(b, "start")),
		    json_string_value(json_object_get(b, "end")),
		    json_string_value(json_object_get(b, "email")));
	if (json_array_size(list) == 0)
		printf("%s\n", strcmp(key, "freed") == 0 ? _("nothing freed") :
		    strcmp(key, "to_cancel") == 0 ? _("nothing to cancel") :
		    _("nothing cancelled"));
}

int
cli_confirm(const char *question)
{
	char	 buf[16];
	FILE	*tty = fopen("/dev/tty", "r+");
	int	 yes = 0;

	if (tty == NULL)
		return (0);
	fprintf(tty, "%s [y/N] ", question);
	fflush(tty);
	if (fgets(buf, sizeof buf, tty) != NULL)
		yes = buf[0] == 'y' || buf[0] == 'Y' || buf[0] == 'o' ||
		    buf[0] == 'O';
	fclose(tty);
	return (yes);
}

/* Dates and times. */

const char *
cli_zone(struct cli *c)
{
	return (c->cfg.timezone != NULL ? c->cfg.timezone : TZ_DEFAULT);
}

int
cli_parse_day(struct cli *c, const char *str, const char *tz, int32_t *day)
{
	if (str == NULL) {
		*day = tz_local_day(tz, clock_now());
		return (0);
	}
	if (tz_parse_date(str, day) != 0) {
		cli_usage_error(c, _("'%s' is not a date: write it YYYY-MM-DD"),
		    str);
		return (-1);
	}
	return (0);
}

void
cli_local_iso(int32_t day, int minute, char *buf, size_t len)
{
	char	date[TZ_DATE_LEN];

	day += minute / 1440;
	minute %= 1440;
	tz_format_date(day, date);
	snprintf(buf, len, "%sT%02d:%02d", date, minute / 60, minute % 60);
}

void
cli_fmt_local(int64_t t, const char *tz, char *date, char *hhmm)
{
	int32_t	day;
	int	minute;

	tz_utc_to_local(tz, t, &day, &minute, NULL);
	if (date != NULL)
		tz_format_date(day, date);
	if (hhmm != NULL)
		tz_format_hhmm(minute, hhmm);
}

/*
 * R16: what a command prints to a terminal is escaped anyway. A text that
 * came in before R16 (or from an older replica) may hold control
 * characters: an escape sequence printed raw would drive the staff's
 * terminal (OSC 52 writes its clipboard). On a terminal, standard output
 * goes through this filter: C0 controls but newline and tab, DEL and the
 * C1 controls (U+0080-U+009F) become '?'. JSON (escaped by jansson) and
 * output to a file or pipe are left as they are.
 */
struct safe_out {
	FILE	*to;
	int	 c2;	/* the last byte was 0xC2: maybe a C1 character */
};

static ssize_t
safe_write(void *cookie, const char *buf, size_t len)
{
	struct safe_out	*o = cookie;
	unsigned char	 c;
	size_t		 i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)buf[i];
		if (o->c2) {
			o->c2 = 0;
			if (c >= 0x80 && c <= 0x9f) {
				putc('?', o->to);
				continue;
			}
			putc(0xc2, o->to);
		}
		if (c == 0xc2)
			o->c2 = 1;
		else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			putc('?', o->to);
		else
			putc(c, o->to);
	}
	if (memchr(buf, '\n', len) != NULL)
		fflush(o->to);
	return ((ssize_t)len);
}

static int
safe_close(void *cookie)
{
	struct safe_out	*o = cookie;

	if (o->c2)
		putc(0xc2, o->to);
	fflush(o->to);
	free(o);
	return (0);
}

void
cli_safe_stdout(struct cli *c)
{
	static cookie_io_functions_t	 io = { NULL, safe_write, NULL,
					    safe_close };
	struct safe_out			*o;
	FILE				*f, *to;
	int				 fd;

	if (c->json || !isatty(STDOUT_FILENO))
		return;
	fflush(stdout);
	if ((fd = dup(STDOUT_FILENO)) < 0 || (to = fdopen(fd, "w")) == NULL)
		return;
	o = xcalloc(1, sizeof *o);
	o->to = to;
	if ((f = fopencookie(o, "w", io)) == NULL) {
		fclose(to);
		free(o);
		return;
	}
	stdout = f;
}
