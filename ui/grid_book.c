/*
 * Booking from the grid: Enter on a cell opens the form (or a booking's
 * detail), after the checks that refuse whoever the patron is; 'f' lists
 * what is free from now for a duration and a number of people.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "query.h"
#include "rules.h"
#include "settings.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "grid.h"
#include "xmalloc.h"

/*
 * What refuses a booking whoever the patron is, said before the form
 * opens rather than after the e-mail is typed: a slot over (R1), a day
 * beyond the window (R1), a full session (R7). The core's own words.
 */
static int
before_form(struct ui *ui, const struct grid_row *r, int64_t start,
    int64_t end, const struct session_info *si)
{
	int64_t	now = clock_now(), ahead;
	int32_t	today, day;
	char	date[TZ_DATE_LEN], hm[TZ_HHMM_LEN];

	if (end <= now) {
		ui_message(ui, 1, "%s", _("the booking ends in the past (R1)"));
		return (1);
	}
	ahead = setting_get(ui->store, SET_MAX_DAYS_AHEAD);
	today = tz_local_day(r->resource.tz, now);
	day = tz_local_day(r->resource.tz, start);
	tz_format_date(day, date);
	if (day - today > ahead) {
		ui_message(ui, 1, _("%s is %d days ahead: bookings open %lld "
		    "days ahead at most (R1)"), date, (int)(day - today),
		    (long long)ahead);
		return (1);
	}
	if (si != NULL && si->taken >= si->places) {
		grid_hhmm(r->resource.tz, si->start, hm);
		ui_message(ui, 1, _("the session of %s on %s at %s is full: "
		    "%d/%d places taken (R7)"), r->resource.code, date, hm,
		    si->taken, si->places);
		return (1);
	}
	return (0);
}

int
grid_enter(struct ui *ui, struct screen *s)
{
	struct gridv			*v = s->data;
	const struct grid_row		*r = grid_cur_row(v);
	const struct booking		*b;
	const struct session_info	*si;
	struct gerror			 err;
	int64_t				 a, e, start, end;
	int				 m, g, dur;

	if (r == NULL)
		return (0);
	grid_col_span(v, r, v->col, &a, &e);
	m = grid_col_minute(v, v->col);
	/* A session takes one more participant (SCENARIOS 16:30); its
	 * participants are found with '/'. An exclusive cell's booking
	 * opens its detail. */
	if (!rtype_capacity(r->resource.type) &&
	    (b = grid_cell_booking(r, a, e)) != NULL) {
		ui_push(ui, detail_new(ui, b->id));
		return (UI_DRAW);
	}
	if (rights_check_resource(ui->account, PERM_PLANNING, &r->resource,
	    &err) != GERR_OK) {
		ui_message(ui, 1, _("read-only: %s"), err.msg);
		return (UI_STATUS);
	}
	if (before_form(ui, r, a, e, NULL))
		return (UI_STATUS);
	if (grid_col_closed(v, r, v->col)) {
		ui_message(ui, 1, _("%s is closed at this time%s%s (R4)"),
		    r->resource.library, r->hours.reason[0] ? ": " : "",
		    r->hours.reason);
		return (UI_STATUS);
	}
	if (rtype_capacity(r->resource.type)) {
		if ((si = grid_cell_session(r, a, e)) == NULL) {
			ui_message(ui, 1, _("%s has no session at this time"),
			    r->resource.code);
			return (UI_STATUS);
		}
		if (before_form(ui, r, si->start, si->end, si))
			return (UI_STATUS);
		ui_push(ui, form_new(ui, r, si->start, si->end, 1));
		return (UI_DRAW);
	}
	g = r->resource.granularity > 0 ? r->resource.granularity : v->step;
	/* From the cell's instant, so that the second 02:00 of the day the
	 * clocks go back is itself (SPEC 3). */
	dur = r->resource.min_duration > g ? r->resource.min_duration : g;
	start = a - (int64_t)(m % g) * 60;
	end = start + (int64_t)dur * 60;
	if (before_form(ui, r, start, end, NULL))
		return (UI_STATUS);
	ui_push(ui, form_new(ui, r, start, end, 0));
	return (UI_DRAW);
}

static int
freenow_pick(struct ui *ui, const struct list_item *it)
{
	struct gridv	*v = grid_view(ui);
	size_t		 i;

	grid_goto(ui, grid_today(ui), it->resource, it->start);
	for (i = 0; v != NULL && i < v->g->nrows; i++)
		if (strcmp(v->g->rows[i].resource.code, it->resource) == 0) {
			ui_push(ui, form_new(ui, &v->g->rows[i], it->start,
			    it->end, 2));
			break;
		}
	return (UI_DRAW_ALL);
}

/*
 * Whether a row is free for walk-ins over [start, end): what the rules say
 * of any patron (enabled, R3's length, R4's hours, R7's overlap). The
 * patron's own checks (R2, R3's quotas) wait for the form, which has the
 * e-mail: rules_check_booking() without one refuses everything.
 */
static int
free_for(struct ui *ui, const struct grid_row *r, int64_t start,
    int64_t end)
{
	const struct resource	*res = &r->resource;
	int			 min = (int)((end - start) / 60);

	if (!res->enabled || (res->max_duration > 0 &&
	    min > res->max_duration) || min < res->min_duration)
		return (0);
	if (rules_check_hours(ui->store, res, start, end, NULL) != GERR_OK)
		return (0);
	return (grid_cell_booking(r, start, end) == NULL);
}

/* "Free now", second question: for how many people (seats). */
static int
people_check(struct ui *ui, const char *text, void *arg)
{
	char	*ep;
	long	 l = strtol(text, &ep, 10);

	(void)arg;
	while (*ep == ' ')
		ep++;
	if (ep == text || *ep != '\0' || l <= 0 || l > 1000) {
		ui_message(ui, 1, _("'%s': type a number of people"), text);
		return (UI_STATUS);
	}
	return (0);
}

static int
freenow_people(struct ui *ui, const char *text, void *arg)
{
	struct gridv		*v = grid_view(ui);
	struct list_item	*it = NULL;
	size_t			 n = 0, i;
	int			 dur, g, people;
	int64_t			 now = clock_now(), start, end;
	char			 hm[2][TZ_HHMM_LEN], title[128], *ep;
	int32_t			 d;
	int			 min, off;
	long			 l;

	(void)arg;
	if (v == NULL)
		return (0);
	dur = v->freenow_min;
	l = strtol(text, &ep, 10);
	people = (int)l;
	grid_goto(ui, grid_today(ui), NULL, now);
	for (i = 0; i < v->g->nrows; i++) {
		const struct grid_row	*r = &v->g->rows[i];

		/* Enough seats for everyone: a carrel is not for four. */
		if (v->ro[i] || rtype_capacity(r->resource.type) ||
		    !r->resource.enabled || r->resource.seats < people)
			continue;
		g = r->resource.granularity > 0 ? r->resource.granularity : 30;
		tz_utc_to_local(r->resource.tz, now, &d, &min, &off);
		start = tz_local_to_utc(r->resource.tz, d, min / g * g);
		end = tz_local_to_utc(r->resource.tz, d, min / g * g +
		    (dur + g - 1) / g * g);
		if (!free_for(ui, r, start, end))
			continue;
		it = xreallocarray(it, n + 1, sizeof *it);
		memset(&it[n], 0, sizeof *it);
		tz_format_hhmm(min / g * g, hm[0]);
		tz_format_hhmm(min / g * g + (dur + g - 1) / g * g, hm[1]);
		snprintf(it[n].text, sizeof it[n].text, ngettext("%-14s "
		    "%s-%s  %d seat  %s", "%-14s %s-%s  %d seats  %s",
		    r->resource.seats), r->resource.code, hm[0], hm[1],
		    r->resource.seats, r->resource.name);
		snprintf(it[n].resource, sizeof it[n].resource, "%s",
		    r->resource.code);
		it[n].start = start;
		it[n].end = end;
		n++;
	}
	if (n == 0) {
		ui_message(ui, 0, ngettext("Nothing is free from now for %d "
		    "min with %d seat.", "Nothing is free from now for %d "
		    "min with %d seats.", people), dur, people);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	snprintf(title, sizeof title, ngettext("Free from now for %d min, "
	    "%d person", "Free from now for %d min, %d people", people), dur,
	    people);
	ui_push(ui, list_new(title, it, n, freenow_pick));
	return (UI_DRAW_ALL);
}

/* "Free now", first question: for how long. */
static int
minutes_check(struct ui *ui, const char *text, void *arg)
{
	char	*ep;
	long	 l = strtol(text, &ep, 10);

	(void)arg;
	while (*ep == ' ')
		ep++;
	if (ep == text || *ep != '\0' || l <= 0 || l > 24 * 60) {
		ui_message(ui, 1, _("'%s': type a duration in minutes"),
		    text);
		return (UI_STATUS);
	}
	return (0);
}

static int
freenow_done(struct ui *ui, const char *text, void *arg)
{
	struct gridv	*v = arg;

	v->freenow_min = (int)strtol(text, NULL, 10);
	ui_push(ui, prompt_new(N_("Free now"), _("For how many people? "),
	    "1", people_check, freenow_people, v));
	return (UI_DRAW);
}

int
grid_freenow(struct ui *ui, struct screen *s)
{
	ui_push(ui, prompt_new(N_("Free now"), _("For how many minutes? "),
	    "60", minutes_check, freenow_done, s->data));
	return (UI_DRAW);
}

