/*
 * Free all late bookings: list them on screen, ask once, then one
 * free_late operation with their ids (R6). Only the bookings the account
 * may plan are listed; they stay on record as no-shows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ops.h"
#include "query.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

static void
late_arg_free(void *arg)
{
	json_decref(arg);
}

static int
late_yes(struct ui *ui, void *arg)
{
	json_t		*p = arg, *res = NULL;
	struct gerror	 err;
	size_t		 n;

	gerror_clear(&err);
	if (op_apply(ui->s, ui->account, NULL, "free_late", p, &res,
	    &err) != GERR_OK)
		ui_message(ui, 1, _("nothing freed: %s"), err.msg);
	else {
		ui_wrote(ui);
		n = json_array_size(json_object_get(res, "freed"));
		ui_message(ui, 0, ngettext("Freed %zu late booking (no-show).",
		    "Freed %zu late bookings (no-shows).", n), n);
	}
	json_decref(res);
	json_decref(p);
	return (UI_RELOAD | UI_DRAW_ALL | UI_STATUS);
}

int
late_free_all(struct ui *ui)
{
	struct booking_filter	 f;
	struct booking		*b;
	struct resource		 r;
	struct gerror		 err;
	size_t			 n, i, nl = 0;
	char			**lines = NULL, a[CLOCK_ISO_LEN], q[128];
	json_t			*ids;
	int64_t			 now = clock_now();

	memset(&f, 0, sizeof f);
	f.status = -1;
	f.from = now - 24 * 3600;
	f.to = now;
	if (query_bookings(ui->s, &f, &b, &n) != GERR_OK) {
		ui_message(ui, 1, "%s", _("cannot read the bookings"));
		return (UI_STATUS);
	}
	ids = json_array();
	for (i = 0; i < n; i++) {
		if (!query_is_late(ui->s, &b[i], now) ||
		    resource_find(ui->s, b[i].resource, &r) != GERR_OK ||
		    rights_check_resource(ui->account, PERM_PLANNING, &r,
		    &err) != GERR_OK)
			continue;
		clock_format_iso(b[i].start, r.tz, a);
		lines = xreallocarray(lines, nl + 1, sizeof *lines);
		if (asprintf(&lines[nl], "! %-14s %.5s  %s", b[i].resource,
		    a + 11, b[i].email) < 0)
			lines[nl] = xstrdup(b[i].resource);
		nl++;
		json_array_append_new(ids, json_string(b[i].id));
	}
	free(b);
	if (nl == 0) {
		json_decref(ids);
		ui_message(ui, 0, "%s", _("No late booking to free."));
		return (UI_STATUS);
	}
	snprintf(q, sizeof q, ngettext("Free this %zu late booking?",
	    "Free these %zu late bookings?", nl), nl);
	ui_confirm(ui, q, lines, nl, late_yes, json_pack("{s:o}", "ids", ids),
	    late_arg_free);
	for (i = 0; i < nl; i++)
		free(lines[i]);
	free(lines);
	return (UI_DRAW);
}
