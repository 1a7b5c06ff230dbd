/*
 * Finding a patron from the grid ('/'): their bookings by part of the
 * e-mail or of the name, in a list; Enter goes to one on the grid and
 * opens it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "query.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "grid.h"
#include "xmalloc.h"

static int
find_pick(struct ui *ui, const struct list_item *it)
{
	struct gridv	*v = grid_view(ui);
	struct booking	 b;

	if (booking_find(ui->store, it->id, &b) != GERR_OK)
		return (0);
	grid_goto(ui, tz_local_day(TZ_DEFAULT, b.start), b.resource, b.start);
	if (v != NULL)
		v->full = 1;
	ui_push(ui, detail_new(ui, b.id));
	return (UI_DRAW_ALL);
}

/*
 * A patron's bookings by part of the e-mail or of the name: today's and
 * the coming ones first, by start, then the past, the latest first.
 */
static int
find_collect(struct ui *ui, const char *text, struct list_item **out,
    size_t *nout)
{
	struct booking_filter	 f;
	struct booking		*b;
	struct list_item	*it;
	size_t			 n, i, k = 0;
	char			 s1[CLOCK_ISO_LEN];
	int64_t			 day0;
	int			 pass;

	*out = NULL;
	*nout = 0;
	memset(&f, 0, sizeof f);
	f.match = text;
	f.status = -1;
	if (query_bookings(ui->store, &f, &b, &n) != GERR_OK)
		return (-1);
	if (n == 0) {
		free(b);
		return (0);
	}
	day0 = tz_day_start(TZ_DEFAULT, tz_local_day(TZ_DEFAULT, clock_now()));
	it = xcalloc(n, sizeof *it);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			const struct booking *bk = &b[pass ? n - 1 - i : i];

			if ((bk->end > day0) != (pass == 0))
				continue;
			clock_format_iso(bk->start, TZ_DEFAULT, s1);
			s1[16] = '\0';
			s1[10] = ' ';
			snprintf(it[k].text, sizeof it[k].text,
			    "%s %-12s %-10.10s %.60s  %.100s", s1, bk->resource,
			    ui_status(bk->status), bk->name, bk->email);
			snprintf(it[k].id, sizeof it[k].id, "%s", bk->id);
			k++;
		}
	free(b);
	*out = it;
	*nout = k;
	return (0);
}

static int
find_check(struct ui *ui, const char *text, void *arg)
{
	(void)arg;
	if (strlen(text) < 2) {
		ui_message(ui, 1, "%s", _("type at least two letters of the "
		    "e-mail or the name"));
		return (UI_STATUS);
	}
	return (0);
}

static int
find_done(struct ui *ui, const char *text, void *arg)
{
	struct list_item	*it;
	size_t			 n;
	char			 title[300];

	(void)arg;
	if (find_collect(ui, text, &it, &n) != 0) {
		ui_message(ui, 1, "%s", _("cannot read the bookings"));
		return (UI_STATUS);
	}
	if (n == 0) {
		free(it);
		ui_message(ui, 0, _("No booking for '%s'."), text);
		return (UI_STATUS);
	}
	snprintf(title, sizeof title, _("Bookings matching '%.60s'"), text);
	ui_push(ui, list_new(title, it, n, find_pick));
	return (UI_DRAW_ALL);
}

int
grid_find(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_push(ui, prompt_new(N_("Find a patron"), _("Part of the e-mail or "
	    "the name: "), "", find_check, find_done, NULL));
	return (UI_DRAW);
}

