/*
 * Exports: see export.h. iCalendar follows RFC 5545 section 3.1: CRLF
 * line ends, lines folded at 75 octets without splitting a UTF-8
 * character, text escaped (backslash first, then ; , and new lines),
 * instants in UTC with "Z", a UID and a DTSTAMP per event.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "clock.h"
#include "export.h"
#include "tz.h"

/*
 * Whether a spreadsheet would read a cell as a formula: one that starts
 * with =, @, a tab or a carriage return, or with + or - followed by more
 * than a number (a phone such as "+33 5 61 50 42 00" stays as it is).
 */
static int
csv_formula(const char *str)
{
	if (*str == '=' || *str == '@' || *str == '\t' || *str == '\r')
		return (1);
	if (*str != '+' && *str != '-')
		return (0);
	return (str[1 + strspn(str + 1, "0123456789 .()/-")] != '\0');
}

/*
 * A CSV field (RFC 4180), quoted when it must be. A cell a spreadsheet
 * would take for a formula is quoted and starts with a quote mark inside
 * the quotes, so that CSV readers still see one field.
 */
static void
csv_field(FILE *f, const char *str, int last)
{
	const char	*p;
	int		 formula = csv_formula(str);

	if (!formula && strpbrk(str, ",\"\r\n") == NULL)
		fputs(str, f);
	else {
		fputc('"', f);
		if (formula)
			fputc('\'', f);
		for (p = str; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	}
	fputs(last ? "\r\n" : ",", f);
}

/* One content line, folded at 75 octets on UTF-8 character bounds. */
static void
ical_line(FILE *f, const char *name, const char *value, int escape)
{
	char		 line[4096];
	size_t		 n = 0, width = 0, len;
	const char	*p;

	n = (size_t)snprintf(line, sizeof line, "%s:", name);
	for (p = value; *p != '\0' && n < sizeof line - 4; p++) {
		if (escape && (*p == '\\' || *p == ';' || *p == ',')) {
			line[n++] = '\\';
			line[n++] = *p;
		} else if (escape && *p == '\n') {
			line[n++] = '\\';
			line[n++] = 'n';
		} else if ((unsigned char)*p >= 0x20 && *p != 0x7f)
			line[n++] = *p;	/* TEXT has no control characters */
	}
	line[n] = '\0';
	len = n;
	for (n = 0; n < len; n++) {
		/* A new character that would pass 75 octets: fold first. */
		if (((unsigned char)line[n] & 0xc0) != 0x80) {
			size_t	clen = 1;

			while (n + clen < len && ((unsigned char)line[n + clen] &
			    0xc0) == 0x80)
				clen++;
			if (width + clen > 75) {
				fputs("\r\n ", f);
				width = 1;
			}
		}
		fputc(line[n], f);
		width++;
	}
	fputs("\r\n", f);
}

static void
utc(int64_t t, char *buf)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y%m%dT%H%M%SZ", &tm);
}

int
export_bookings(FILE *f, enum export_format fmt, struct store *s,
    const struct booking *b, size_t n, int64_t now)
{
	struct resource	 r;
	char		 date[TZ_DATE_LEN], t0[TZ_HHMM_LEN], t1[TZ_HHMM_LEN];
	char		 a[32], z[32], stamp[32], places[16], text[1024];
	char		 uid[UUID_LEN + 16];
	int32_t		 day;
	int		 m0, m1;
	size_t		 i;

	if (fmt == EXPORT_CSV)
		fputs("id,resource,library,date,start,end,status,origin,email,"
		    "name,phone,places,cancel_reason\r\n", f);
	else {
		fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", f);
		ical_line(f, "PRODID", "-//guichet//guichet " PACKAGE_VERSION
		    "//FR", 0);
		fputs("CALSCALE:GREGORIAN\r\n", f);
		utc(now, stamp);
	}
	for (i = 0; i < n; i++) {
		if (resource_find(s, b[i].resource, &r) != GERR_OK)
			continue;
		if (fmt == EXPORT_CSV) {
			tz_utc_to_local(r.tz, b[i].start, &day, &m0, NULL);
			tz_utc_to_local(r.tz, b[i].end, NULL, &m1, NULL);
			tz_format_date(day, date);
			tz_format_hhmm(m0, t0);
			tz_format_hhmm(m1 == 0 ? 1440 : m1, t1);
			snprintf(places, sizeof places, "%d", b[i].places);
			csv_field(f, b[i].id, 0);
			csv_field(f, b[i].resource, 0);
			csv_field(f, r.library, 0);
			csv_field(f, date, 0);
			csv_field(f, t0, 0);
			csv_field(f, t1, 0);
			csv_field(f, status_name(b[i].status), 0);
			csv_field(f, origin_name(b[i].origin), 0);
			csv_field(f, b[i].email, 0);
			csv_field(f, b[i].name, 0);
			csv_field(f, b[i].phone, 0);
			csv_field(f, places, 0);
			csv_field(f, b[i].cancel_reason, 1);
			continue;
		}
		utc(b[i].start, a);
		utc(b[i].end, z);
		fputs("BEGIN:VEVENT\r\n", f);
		snprintf(uid, sizeof uid, "%s@guichet", b[i].id);
		ical_line(f, "UID", uid, 0);
		ical_line(f, "DTSTAMP", stamp, 0);
		ical_line(f, "DTSTART", a, 0);
		ical_line(f, "DTEND", z, 0);
		snprintf(text, sizeof text, "%s: %s", r.code, b[i].name[0] ?
		    b[i].name : b[i].email);
		ical_line(f, "SUMMARY", text, 1);
		snprintf(text, sizeof text, "%s, %s%s%s", r.name, r.library,
		    r.place[0] ? ", " : "", r.place);
		ical_line(f, "LOCATION", text, 1);
		ical_line(f, "STATUS", b[i].status == STATUS_PENDING ?
		    "TENTATIVE" : status_live(b[i].status) ? "CONFIRMED" :
		    "CANCELLED", 0);
		snprintf(text, sizeof text, "%s, %s; %s%s%s%s%s",
		    status_name(b[i].status), origin_name(b[i].origin),
		    b[i].email, b[i].phone[0] ? "; " : "", b[i].phone,
		    b[i].cancel_reason[0] ? "\n" : "", b[i].cancel_reason);
		ical_line(f, "DESCRIPTION", text, 1);
		fputs("END:VEVENT\r\n", f);
	}
	if (fmt == EXPORT_ICAL)
		fputs("END:VCALENDAR\r\n", f);
	return (ferror(f) ? -1 : 0);
}
