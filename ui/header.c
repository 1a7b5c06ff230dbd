/*
 * The two header lines: the library, the date and time, the backend's
 * state and pending operations (in words, so that offline shows without
 * colors too), the account; then occupancy, today's hours, the last sync,
 * open conflicts and the library's pop-up messages, one at a time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "hours.h"
#include "query.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"

/*
 * What the header says of the backend: state and pending operations, in
 * words, so that offline shows without colors too.
 */
static void
sync_text(struct ui *ui, char *out, size_t size)
{
	const struct sync_report	*r = &ui->sync_rep;
	const char			*dash = ui_sym(ui, "\xe2\x80\x94", "-");

	if (!ui_has_backend(ui))
		snprintf(out, size, "%s", _("standalone"));
	else if (ui->account == NULL)
		out[0] = '\0';		/* no sync before a login */
	else if (r->online && r->pending == 0)
		snprintf(out, size, "%s", _("online"));
	else if (r->online)
		snprintf(out, size, ngettext("online %s %d pending",
		    "online %s %d pending", r->pending), dash, r->pending);
	else if (r->last_error[0] == '\0' && r->last_sync[0] == '\0')
		snprintf(out, size, ngettext("not synced yet %s %d pending",
		    "not synced yet %s %d pending", r->pending), dash,
		    r->pending);
	else
		snprintf(out, size, ngettext("OFFLINE %s %d pending",
		    "OFFLINE %s %d pending", r->pending), dash, r->pending);
}

/* Offline must not look like the rest of the header. */
static int
sync_alarm(struct ui *ui)
{
	const struct sync_report	*r = &ui->sync_rep;

	return (ui_has_backend(ui) && ui->account != NULL && !r->online &&
	    (r->last_error[0] != '\0' || r->last_sync[0] != '\0'));
}

/* The second line's note on sync: the last good one, open conflicts. */
static int
sync_note(struct ui *ui, const char *tz, int x)
{
	const struct sync_report	*r = &ui->sync_rep;
	char				 text[128], hhmm[TZ_HHMM_LEN];
	int64_t				 t;
	int32_t				 day;
	int				 min, off;

	if (!ui_has_backend(ui) || ui->account == NULL || x >= COLS - 4)
		return (x);
	if (r->last_sync[0] != '\0' &&
	    clock_parse_iso(r->last_sync, "UTC", &t) == 0) {
		tz_utc_to_local(tz, t, &day, &min, &off);
		tz_format_hhmm(min, hhmm);
		snprintf(text, sizeof text, _("  last sync %s"), hhmm);
		x += ui_put(ui->header, 1, x, text, COLS - x);
	}
	if (r->conflicts > 0 && x < COLS - 4) {
		snprintf(text, sizeof text, ngettext("  ! %d conflict "
		    "(C)", "  ! %d conflicts (C)", r->conflicts),
		    r->conflicts);
		wattron(ui->header, A_BOLD);
		x += ui_put(ui->header, 1, x, text, COLS - x);
		wattroff(ui->header, A_BOLD);
	}
	return (x);
}

void
header_draw(struct ui *ui)
{
	struct establishment	 e;
	struct message_info	*m = NULL;
	size_t			 nm = 0, i;
	char			 line[1024], date[TZ_DATE_LEN], state[128];
	char			 mline[sizeof m->text + CODE_LEN + 64];
	const char		*tz = TZ_DEFAULT;
	int64_t			 now = clock_now();
	int32_t			 day;
	int			 min, off, len, x;
	static const char *const wd[] = { "", N_("Mon"), N_("Tue"),
	    N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };

	memset(&e, 0, sizeof e);
	if (ui->library[0] != '\0' &&
	    establishment_find(ui->store, ui->library, &e) == GERR_OK)
		tz = e.tz;
	tz_utc_to_local(tz, now, &day, &min, &off);
	tz_format_date(day, date);
	sync_text(ui, state, sizeof state);
	werase(ui->header);
	wbkgdset(ui->header, ' ' | ui_attr(ui, C_HEADER));
	wattrset(ui->header, ui_attr(ui, C_HEADER));
	for (x = 0; x < COLS; x++) {
		mvwaddch(ui->header, 0, x, ' ');
		mvwaddch(ui->header, 1, x, ' ');
	}
	len = snprintf(line, sizeof line, " %s %s %s %02d:%02d:%02d  ",
	    e.code[0] ? e.code : "guichet", _(wd[tz_weekday(day)]), date,
	    min / 60, min % 60, (int)(((now % 60) + 60) % 60));
	x = ui_put(ui->header, 0, 0, line, COLS);
	/* The backend's state: offline in the late colors, bold. */
	if (sync_alarm(ui))
		wattrset(ui->header, ui_attr(ui, C_LATE) | A_BOLD);
	x += ui_put(ui->header, 0, x, state, COLS - x);
	wattrset(ui->header, ui_attr(ui, C_HEADER));
	snprintf(line + len, sizeof line - (size_t)len, "%s%s%s", state,
	    state[0] ? "  " : "", ui->account != NULL ? ui->account->login :
	    _("(not logged in)"));
	x += ui_put(ui->header, 0, x, state[0] ? "  " : "", COLS - x);
	ui_put(ui->header, 0, x, ui->account != NULL ? ui->account->login :
	    _("(not logged in)"), COLS - x);
	if (e.name[0] != '\0' && COLS > 70) {
		int	room = COLS - ui_width(line) - 2;

		if (room > 8)
			ui_put(ui->header, 0, COLS - room, e.name, room - 1);
	}
	x = 0;
	if (e.code[0] != '\0') {
		struct hours	h;
		char		 a[TZ_HHMM_LEN], b[TZ_HHMM_LEN];

		snprintf(line, sizeof line, _(" occupancy %d%% (%d/%d)"),
		    e.jauge > 0 ? e.occupancy * 100 / e.jauge : 0,
		    e.occupancy, e.jauge);
		x = ui_put(ui->header, 1, 0, line, COLS);
		/* Today's hours, as SCENARIOS reads them to a caller. */
		if (hours_for_day(ui->store, e.id, day, &h) == GERR_OK) {
			tz_format_hhmm(h.open_min, a);
			tz_format_hhmm(h.close_min, b);
			if (h.open)
				snprintf(line, sizeof line, _("  open %s%s%s"),
				    a, ui_sym(ui, "\xe2\x80\x93", "-"), b);
			else
				snprintf(line, sizeof line, "  %s",
				    _("closed today"));
			x += ui_put(ui->header, 1, x, line, COLS - x);
		}
		query_messages(ui->store, e.code, "popup", now, &m, &nm);
	}
	x = sync_note(ui, tz, x);
	/*
	 * One pop-up at a time, in turn every 4 s of the wall clock (the
	 * desk's clock may be fixed), counted; m reads them whole.
	 */
	if (nm > 0 && x < COLS - 4) {
		i = (size_t)((time(NULL) / 4) % (time_t)nm);
		if (nm > 1)
			snprintf(mline, sizeof mline, "  %s %zu/%zu %s: %s",
			    ui_sym(ui, "\xe2\x96\xb2", "!"), i + 1, nm,
			    m[i].establishment, m[i].text);
		else
			snprintf(mline, sizeof mline, "  %s %s: %s",
			    ui_sym(ui, "\xe2\x96\xb2", "!"),
			    m[i].establishment, m[i].text);
		ui_put(ui->header, 1, x, mline, COLS - x);
	}
	free(m);
	wnoutrefresh(ui->header);
}
