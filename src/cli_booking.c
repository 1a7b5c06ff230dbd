/*
 * The desk's day: the grid of a day, the bookings, and the commands that
 * make and change them (R3-R7, R11, R14).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_impl.h"
#include "clock.h"
#include "i18n.h"
#include "ops.h"
#include "query.h"
#include "record.h"
#include "rules.h"
#include "slot.h"
#include "store.h"
#include "tz.h"

#define NO_RESOURCE	N_("no such resource: list them with 'guichet " \
			    "resources'")
#define NO_BOOKING	N_("no such booking: find its id with 'guichet " \
			    "bookings'")

/* The character of one 30-minute column of a grid row: the booking
 * that holds it, or a freed one (no_show) if none does. */
static char
grid_cell(const struct grid *g, const struct grid_row *row, int64_t t,
    int64_t now)
{
	const struct booking	*b, *held = NULL;
	size_t			 i;

	for (i = 0; i < row->nbookings; i++) {
		b = &row->bookings[i];
		if (b->start > t || b->end <= t)
			continue;
		if (status_live(b->status)) {
			held = b;
			break;
		}
		if (held == NULL)
			held = b;
	}
	return (slot_info(slot_of(held, now, g->late))->ascii);
}

/* The legend of the states a row shows. */
static void
grid_legend(const char *date)
{
	static const enum slot	 shown[] = { SLOT_FREE, SLOT_BOOKED,
	    SLOT_PENDING, SLOT_PRESENT, SLOT_LATE, SLOT_FREED, SLOT_CLOSED };
	size_t			 i;

	printf(_("%s  legend:"), date);
	for (i = 0; i < sizeof shown / sizeof shown[0]; i++)
		printf("  %c %s", slot_info(shown[i])->ascii,
		    _(slot_info(shown[i])->legend));
	putchar('\n');
}

/*
 * The day as text, one character a 30-minute slot. Slots are instants
 * (query_slots): on the day the clocks go back the repeated hour shows
 * twice, on the day they go forward the skipped one not at all.
 */
static void
grid_text(const struct grid *g)
{
	const struct grid_row	*row;
	const char		*lib = "";
	int64_t			 now = clock_now(), *at = NULL, open_at = 0;
	int			 o, m;
	size_t			 i, k, n = 0;
	char			 a[TZ_HHMM_LEN], b[TZ_HHMM_LEN];
	char			 date[TZ_DATE_LEN];

	tz_format_date(g->day, date);
	grid_legend(date);
	for (i = 0; i < g->nrows; i++) {
		row = &g->rows[i];
		if (strcmp(lib, row->resource.library) != 0) {
			lib = row->resource.library;
			free(at);
			at = NULL;
			n = 0;
			o = row->hours.open_min / 60 * 60;
			if (!row->hours.open) {
				printf(_("\n%s  closed%s%s\n"), lib,
				    row->hours.reason[0] ? ": " : "",
				    row->hours.reason);
			} else {
				n = query_slots(row->resource.tz, g->day, o,
				    row->hours.close_min, 30, &at);
				open_at = tz_local_to_utc(row->resource.tz,
				    g->day, row->hours.open_min);
				tz_format_hhmm(row->hours.open_min, a);
				tz_format_hhmm(row->hours.close_min, b);
				printf(_("\n%s  open %s-%s\n%-15s "), lib, a, b,
				    "");
				/* A label every two hours: 4 columns. */
				for (k = 0; k < n; k += 4) {
					tz_utc_to_local(row->resource.tz,
					    at[k], NULL, &m, NULL);
					printf("%02d  ", m / 60);
				}
				putchar('\n');
			}
		}
		printf("%-15s ", row->resource.code);
		if (rtype_capacity(row->resource.type)) {
			if (row->nsessions == 0)
				printf("%s", _("no session"));
			for (k = 0; k < row->nsessions; k++) {
				cli_fmt_local(row->sessions[k].start,
				    row->resource.tz, NULL, a);
				cli_fmt_local(row->sessions[k].end,
				    row->resource.tz, NULL, b);
				printf("%s%s-%s %d/%d", k ? ", " : "", a, b,
				    row->sessions[k].taken,
				    row->sessions[k].places);
			}
		} else if (!row->hours.open)
			putchar(slot_info(SLOT_CLOSED)->ascii);
		else {
			for (k = 0; k < n; k++)
				putchar(at[k] < open_at ? ' ' :
				    grid_cell(g, row, at[k], now));
		}
		if (!row->resource.public)
			printf("%s", _("  (internal)"));
		else if (!row->resource.enabled)
			printf("%s", _("  (disabled)"));
		putchar('\n');
	}
	free(at);
}

static int
cmd_grid(struct cli *c, struct cli_args *a)
{
	const char	*library = cli_opt(a, "library");
	struct grid	*g;
	int32_t		 day;
	json_t		*arr, *o, *bs;
	size_t		 i, k;

	if (cli_parse_day(c, cli_opt(a, "date"), cli_zone(c), &day) != 0)
		return (EXIT_USAGE);
	if (query_grid(c->s, day, library, &g) != GERR_OK)
		return (cli_fail(c, GERR_STORAGE, _("cannot read the day's "
		    "grid")));
	if (g->nrows == 0 && library != NULL) {
		query_grid_free(g);
		return (cli_fail(c, GERR_NOT_FOUND, _("no resource in that "
		    "library: list them with 'guichet resources'")));
	}
	if (c->json) {
		arr = json_array();
		for (i = 0; i < g->nrows; i++) {
			o = record_resource(&g->rows[i].resource);
			bs = json_array();
			for (k = 0; k < g->rows[i].nbookings; k++)
				json_array_append_new(bs, record_booking(
				    &g->rows[i].bookings[k],
				    g->rows[i].resource.tz));
			json_object_set_new(o, "open",
			    json_boolean(g->rows[i].hours.open));
			json_object_set_new(o, "bookings", bs);
			json_array_append_new(arr, o);
		}
		cli_print_json(arr);
		json_decref(arr);
	} else
		grid_text(g);
	query_grid_free(g);
	return (0);
}

static int
cmd_bookings(struct cli *c, struct cli_args *a)
{
	const char		*date = cli_opt(a, "date");
	const char		*addr = cli_opt(a, "email");
	const char		*status = cli_opt(a, "status");
	struct booking_filter	 f;
	struct booking		*b;
	struct resource		 r;
	size_t			 n, i;
	int32_t			 day;
	char			 email[EMAIL_LEN], d[TZ_DATE_LEN];
	char			 t0[TZ_HHMM_LEN], t1[TZ_HHMM_LEN];
	enum status		 st;
	json_t			*arr;
	const char		*tz = cli_zone(c);

	memset(&f, 0, sizeof f);
	f.status = -1;
	f.resource = cli_opt(a, "resource");
	f.library = cli_opt(a, "library");
	if (f.resource != NULL) {
		if (resource_find(c->s, f.resource, &r) != GERR_OK)
			return (cli_fail(c, GERR_NOT_FOUND, _(NO_RESOURCE)));
		tz = r.tz;
	}
	if (date != NULL) {
		if (cli_parse_day(c, date, tz, &day) != 0)
			return (EXIT_USAGE);
		f.from = tz_day_start(tz, day);
		f.to = tz_day_start(tz, day + 1);
	}
	if (addr != NULL) {
		if (rules_email_normalise(addr, email) != 0)
			return (cli_usage_error(c, _("'%s' is not an e-mail "
			    "address"), addr));
		f.email = email;
	}
	if (status != NULL) {
		if (status_parse(status, &st) != 0)
			return (cli_usage_error(c, _("'%s' is not a status: "
			    "pending_confirmation, confirmed, present, "
			    "cancelled, no_show or expired"), status));
		f.status = (int)st;
	}
	if (query_bookings(c->s, &f, &b, &n) != GERR_OK)
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "bookings")));
	arr = json_array();
	for (i = 0; i < n; i++) {
		if (c->json) {
			json_array_append_new(arr, record_booking(&b[i], tz));
			continue;
		}
		cli_fmt_local(b[i].start, tz, d, t0);
		cli_fmt_local(b[i].end, tz, NULL, t1);
		printf("%s  %-14s %s %s-%s  %-20s %s%s%s\n", b[i].id,
		    b[i].resource, d, t0, t1, status_name(b[i].status),
		    b[i].email, b[i].name[0] ? " " : "", b[i].name);
	}
	free(b);
	return (cli_list_done(c, arr, n, _("no booking")));
}

static int
cmd_book(struct cli *c, struct cli_args *a)
{
	const char	*date = cli_opt(a, "date"), *email = cli_opt(a, "email");
	const char	*from_s = cli_opt(a, "from"), *to_s = cli_opt(a, "to");
	const char	*places_s = cli_opt(a, "places");
	const char	*origin = cli_opt(a, "origin");
	struct resource	 r;
	json_t		*p, *result = NULL;
	int32_t		 day;
	int		 from, to, rc;
	long		 places = 1;
	char		 s0[40], s1[40], *end;

	if (resource_find(c->s, a->argv[0], &r) != GERR_OK)
		return (cli_fail(c, GERR_NOT_FOUND, _(NO_RESOURCE)));
	/* R2: an internal resource's contact address is optional. */
	if (date == NULL || from_s == NULL || to_s == NULL ||
	    (email == NULL && !resource_internal(&r)))
		return (cli_usage_error(c, _("book needs --date, --from, --to "
		    "and --email")));
	if (cli_parse_day(c, date, r.tz, &day) != 0)
		return (EXIT_USAGE);
	if (tz_parse_hhmm(from_s, &from) != 0 || tz_parse_hhmm(to_s, &to) != 0)
		return (cli_usage_error(c, _("times are written HH:MM, from "
		    "00:00 to 24:00")));
	if (places_s != NULL) {
		places = strtol(places_s, &end, 10);
		if (*end != '\0' || places < 1 || places > 1000)
			return (cli_usage_error(c, _("--places takes a number "
			    "from 1 to 1000")));
	}
	cli_local_iso(day, from, s0, sizeof s0);
	cli_local_iso(day, to, s1, sizeof s1);
	p = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s,s:I,s:s?}",
	    "resource", r.code, "start", s0, "end", s1, "email", email,
	    "name", cli_opt(a, "name"), "phone", cli_opt(a, "phone"),
	    "origin", origin != NULL ? origin : "desk", "places",
	    (json_int_t)places, "id", cli_opt(a, "id"));
	if ((rc = cli_submit(c, "book", p, &result)) == 0)
		cli_print_booking(c, result, NULL);
	json_decref(result);
	return (rc);
}

static int
cmd_change(struct cli *c, struct cli_args *a)
{
	const char	*date = cli_opt(a, "date"), *res = cli_opt(a, "resource");
	const char	*from = cli_opt(a, "from"), *to = cli_opt(a, "to");
	struct booking	 b;
	struct resource	 r;
	json_t		*p, *result = NULL;
	int32_t		 day;
	int		 m, rc;
	char		 iso[40];

	if (booking_find(c->s, a->argv[0], &b) != GERR_OK)
		return (cli_fail(c, GERR_NOT_FOUND, _(NO_BOOKING)));
	if (resource_find(c->s, res != NULL ? res : b.resource, &r) != GERR_OK)
		return (cli_fail(c, GERR_NOT_FOUND, _(NO_RESOURCE)));
	day = tz_local_day(r.tz, b.start);
	if (date != NULL && cli_parse_day(c, date, r.tz, &day) != 0)
		return (EXIT_USAGE);
	if ((from != NULL && tz_parse_hhmm(from, &m) != 0) ||
	    (to != NULL && tz_parse_hhmm(to, &m) != 0))
		return (cli_usage_error(c, _("times are written HH:MM")));
	p = json_pack("{s:s}", "id", b.id);
	if (res != NULL)
		json_object_set_new(p, "resource", json_string(r.code));
	if (from != NULL || date != NULL) {
		if (from != NULL)
			tz_parse_hhmm(from, &m);
		else
			tz_utc_to_local(r.tz, b.start, NULL, &m, NULL);
		cli_local_iso(day, m, iso, sizeof iso);
		json_object_set_new(p, "start", json_string(iso));
	}
	if (to != NULL || date != NULL) {
		if (to != NULL)
			tz_parse_hhmm(to, &m);
		else {
			tz_utc_to_local(r.tz, b.end, NULL, &m, NULL);
			if (m == 0)
				m = 1440;
		}
		cli_local_iso(day, m, iso, sizeof iso);
		json_object_set_new(p, "end", json_string(iso));
	}
	if ((rc = cli_submit(c, "change", p, &result)) == 0)
		cli_print_booking(c, result, "changed");
	json_decref(result);
	return (rc);
}

/* cancel and checkin: an id, a kind, maybe a reason. */
static int
booking_op(struct cli *c, const char *id, const char *reason,
    const char *kind, const char *verb)
{
	struct booking	 b;
	json_t		*p, *result = NULL;
	int		 rc;

	if (booking_find(c->s, id, &b) != GERR_OK)
		return (cli_fail(c, GERR_NOT_FOUND, _(NO_BOOKING)));
	p = json_pack("{s:s,s:s?}", "id", b.id, "reason", reason);
	if ((rc = cli_submit(c, kind, p, &result)) == 0)
		cli_print_booking(c, result, verb);
	json_decref(result);
	return (rc);
}

static int
cmd_cancel(struct cli *c, struct cli_args *a)
{
	return (booking_op(c, a->argv[0], cli_opt(a, "reason"), "cancel",
	    "cancelled"));
}

static int
cmd_checkin(struct cli *c, struct cli_args *a)
{
	return (booking_op(c, a->argv[0], NULL, "checkin", "present"));
}

static int
cmd_free_late(struct cli *c, struct cli_args *a)
{
	const char	*est = cli_opt(a, "establishment");
	json_t		*p, *ids, *result;
	int		 i, rc;

	p = json_object();
	if (a->argc > 0) {
		ids = json_array();
		for (i = 0; i < a->argc; i++)
			json_array_append_new(ids, json_string(a->argv[i]));
		json_object_set_new(p, "ids", ids);
	}
	if (est != NULL)
		json_object_set_new(p, "establishment", json_string(est));
	if ((rc = cli_submit(c, "free_late", p, &result)) == 0)
		cli_print_freed(c, result, "freed");
	json_decref(result);
	return (rc);
}

static int
cmd_sweep(struct cli *c, __attribute__((unused)) struct cli_args *a)
{
	struct account	*sweeper = account_actor(ACTOR_SYSTEM, "sweeper");
	json_t		*p, *result = NULL;
	int		 rc;

	/* A desk with a backend: the backend sweeps (R5, R6); a timer
	 * that runs this on such a desk does no harm and says so. */
	if (store_desk(c->s)) {
		account_free(sweeper);
		fprintf(stderr, "%s\n", _("guichet: this desk syncs with a "
		    "backend, which runs the sweep (R5, R6): nothing done "
		    "here"));
		return (0);
	}
	p = json_object();
	if ((rc = cli_apply(c, sweeper, "sweep", p, &result)) == 0) {
		if (c->json)
			cli_print_json(result);
		else
			printf(_("expired %lld, freed %lld\n"),
			    (long long)json_integer_value(json_object_get(
			    result, "expired")), (long long)json_integer_value(
			    json_object_get(result, "freed")));
	}
	json_decref(p);
	json_decref(result);
	account_free(sweeper);
	return (rc);
}

static const struct cli_opt opts_grid[] = {
	{ "date", CLI_VALUE }, { "library", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_bookings[] = {
	{ "date", CLI_VALUE }, { "resource", CLI_VALUE },
	{ "email", CLI_VALUE }, { "status", CLI_VALUE },
	{ "library", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_book[] = {
	{ "date", CLI_VALUE }, { "from", CLI_VALUE }, { "to", CLI_VALUE },
	{ "email", CLI_VALUE }, { "name", CLI_VALUE }, { "phone", CLI_VALUE },
	{ "origin", CLI_VALUE }, { "places", CLI_VALUE }, { "id", CLI_VALUE },
	{ NULL, 0 }
};
static const struct cli_opt opts_change[] = {
	{ "date", CLI_VALUE }, { "from", CLI_VALUE }, { "to", CLI_VALUE },
	{ "resource", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_cancel[] = {
	{ "reason", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_free_late[] = {
	{ "establishment", CLI_VALUE }, { NULL, 0 }
};

const struct cli_cmd cli_booking_cmds[] = {
	{ .name = "grid", .run = cmd_grid, .opts = opts_grid,
	  .usage = "grid [--date YYYY-MM-DD] [--library CODE]",
	  .help = N_("show a day's grid, one row per resource") },
	{ .name = "bookings", .run = cmd_bookings, .opts = opts_bookings,
	  .usage = "bookings [--date D] [--resource CODE] [--email ADDR] "
	  "[--status S] [--library CODE]",
	  .help = N_("list bookings") },
	{ .name = "book", .run = cmd_book, .opts = opts_book,
	  .min_args = 1, .max_args = 1,
	  .usage = "book RESOURCE --date D --from HH:MM --to HH:MM --email ADDR "
	  "[--name T] [--phone T] [--origin phone|walk-in|desk] [--places N] "
	  "[--id UUID]",
	  .help = N_("book a resource; prints the booking's id") },
	{ .name = "change", .run = cmd_change, .opts = opts_change,
	  .min_args = 1, .max_args = 1,
	  .usage = "change ID [--date D] [--from HH:MM] [--to HH:MM] "
	  "[--resource CODE]",
	  .help = N_("extend, shorten or move a booking (R14)") },
	{ .name = "cancel", .run = cmd_cancel, .opts = opts_cancel,
	  .min_args = 1, .max_args = 1, .usage = "cancel ID --reason TEXT",
	  .help = N_("cancel a booking, saying why (R11)") },
	{ .name = "checkin", .run = cmd_checkin, .min_args = 1, .max_args = 1,
	  .usage = "checkin ID",
	  .help = N_("validate a patron's presence (R6)") },
	{ .name = "free-late", .run = cmd_free_late, .opts = opts_free_late,
	  .max_args = CLI_MAX_ARGS,
	  .usage = "free-late [--establishment CODE] [ID ...]",
	  .help = N_("free the bookings of late patrons (R6)") },
	{ .name = "sweep", .run = cmd_sweep, .usage = "sweep",
	  .help = N_("expire unconfirmed bookings (R5), free late ones (R6)") },
	{ .name = NULL }
};
