/*
 * Commands for what staff manage besides the day's bookings (issue 8):
 * sessions of workshops and visits (P9, R11, R13), a library's public
 * information and establishment code (P5, R6), a new resource (P9, as
 * 'resources add' in cli_place.c's table). Each writes through one
 * operation (ops_staff.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_impl.h"
#include "clock.h"
#include "domain.h"
#include "i18n.h"
#include "query.h"
#include "record.h"
#include "rights.h"
#include "tz.h"
#include "xmalloc.h"

/* KEY=VALUE words into a payload: numbers as numbers, yes/no as
 * booleans, the rest as text; -1 after a usage error. */
static int
key_values(struct cli *c, struct cli_args *a, int first, json_t *p)
{
	char	*eq, *end, key[64];
	long	 n;
	int	 i;

	for (i = first; i < a->argc; i++) {
		if ((eq = strchr(a->argv[i], '=')) == NULL ||
		    eq == a->argv[i] || (size_t)(eq - a->argv[i]) >= sizeof key) {
			cli_usage_error(c, _("'%s': settings are written "
			    "KEY=VALUE"), a->argv[i]);
			return (-1);
		}
		snprintf(key, sizeof key, "%.*s", (int)(eq - a->argv[i]),
		    a->argv[i]);
		n = strtol(eq + 1, &end, 10);
		if (strcmp(eq + 1, "yes") == 0)
			json_object_set_new(p, key, json_true());
		else if (strcmp(eq + 1, "no") == 0)
			json_object_set_new(p, key, json_false());
		else if (*end == '\0' && eq[1] != '\0' &&
		    strcmp(key, "checkin_code") != 0 && strcmp(key, "name") != 0)
			json_object_set_new(p, key, json_integer(n));
		else
			json_object_set_new(p, key, json_string(eq + 1));
	}
	return (0);
}

/* resources add CODE --type T --name N --holder E --library L [K=V..] */
int
cli_resources_add(struct cli *c, struct cli_args *a)
{
	const char	*type = cli_opt(a, "type"), *name = cli_opt(a, "name");
	const char	*lib = cli_opt(a, "library");
	const char	*holder = cli_opt(a, "holder");
	struct resource	*v = NULL;
	char		 held[CODE_LEN];
	json_t		*p, *result = NULL;
	size_t		 n = 0;
	int		 rc;

	if (type == NULL || name == NULL || lib == NULL)
		return (cli_usage_error(c, _("usage: guichet %s"),
		    a->cmd->usage));
	/* By default, held as the library's other resources are (UJJ for
	 * the Mirail libraries), or by the library itself. */
	if (holder == NULL) {
		if (query_resources(c->s, lib, &v, &n) == GERR_OK && n > 0)
			strlcpy_g(held, v[0].establishment, sizeof held);
		else
			strlcpy_g(held, lib, sizeof held);
		free(v);
		holder = held;
	}
	p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", a->argv[0], "type",
	    type, "name", name, "library", lib, "establishment", holder);
	if (key_values(c, a, 1, p) != 0) {
		json_decref(p);
		return (EXIT_USAGE);
	}
	if ((rc = cli_submit(c, "resource_add", p, &result)) == 0) {
		if (c->json)
			cli_print_json(result);
		else
			printf(_("resource %s added (%s, %s)\n"),
			    cli_jstr(result, "code"), cli_jstr(result, "type"),
			    cli_jstr(result, "library"));
	}
	json_decref(result);
	return (rc);
}

/* The resource a sessions command names, a capacity one. */
static int
session_resource(struct cli *c, const char *code, struct resource *r)
{
	if (resource_find(c->s, code, r) != GERR_OK)
		return (cli_fail(c, GERR_NOT_FOUND, _("no such resource: list "
		    "them with 'guichet resources'")));
	if (!rtype_capacity(r->type))
		return (cli_usage_error(c, _("%s is not a workshop, a visit nor a "
		    "training: it has no sessions"), r->code));
	return (0);
}

/* A local date and HH:MM as the operations take them; -1 after a usage
 * error. */
static int
local_time(struct cli *c, const char *date, const char *hhmm,
    const char *tz, char *out, size_t len)
{
	int32_t	day;
	int	min;

	if (hhmm == NULL || tz_parse_hhmm(hhmm, &min) != 0) {
		cli_usage_error(c, _("'%s' is not a time HH:MM"),
		    hhmm != NULL ? hhmm : "");
		return (-1);
	}
	if (cli_parse_day(c, date, tz, &day) != 0)
		return (-1);
	cli_local_iso(day, min, out, len);
	return (0);
}

static void
print_session(const struct resource *r, int64_t start, int64_t end,
    int places, int taken)
{
	char	d[TZ_DATE_LEN], f[TZ_HHMM_LEN], t[TZ_HHMM_LEN];

	cli_fmt_local(start, r->tz, d, f);
	cli_fmt_local(end, r->tz, NULL, t);
	printf(_("%-15s %s %s-%s  %d/%d places taken\n"), r->code, d, f, t,
	    taken, places);
}

/* sessions list RESOURCE [--date D] [--days N] */
static int
sessions_list(struct cli *c, struct cli_args *a)
{
	struct resource		 r;
	struct session_info	*v;
	json_t			*arr = json_array();
	const char		*days = cli_opt(a, "days");
	char			 s0[CLOCK_ISO_LEN], s1[CLOCK_ISO_LEN], *end;
	int32_t			 day;
	long			 n = 31;
	size_t			 i, k;
	int			 rc;

	if ((rc = session_resource(c, a->argv[0], &r)) != 0 ||
	    cli_parse_day(c, cli_opt(a, "date"), r.tz, &day) != 0) {
		json_decref(arr);
		return (rc != 0 ? rc : EXIT_USAGE);
	}
	if (days != NULL && ((n = strtol(days, &end, 10)) < 1 || n > 366 ||
	    *end != '\0')) {
		json_decref(arr);
		return (cli_usage_error(c, _("--days takes 1 to 366")));
	}
	if (query_sessions(c->s, r.id, tz_day_start(r.tz, day),
	    tz_day_start(r.tz, day + (int32_t)n), &v, &k) != GERR_OK) {
		json_decref(arr);
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "sessions")));
	}
	for (i = 0; i < k; i++) {
		if (c->json) {
			clock_format_iso(v[i].start, r.tz, s0);
			clock_format_iso(v[i].end, r.tz, s1);
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:i,"
			    "s:i}", "resource", r.code, "start", s0, "end", s1,
			    "places", v[i].places, "taken", v[i].taken));
		} else
			print_session(&r, v[i].start, v[i].end, v[i].places,
			    v[i].taken);
	}
	free(v);
	return (cli_list_done(c, arr, k, _("no session")));
}

/* Apply a session operation and print the session it left. */
static int
session_write(struct cli *c, const struct resource *r, const char *kind,
    json_t *p)
{
	json_t		*result = NULL, *b;
	int64_t		 start, end;
	size_t		 i, n;
	int		 rc;

	if ((rc = cli_submit(c, kind, p, &result)) == 0) {
		if (c->json)
			cli_print_json(result);
		else if (strcmp(kind, "session_cancel") == 0) {
			n = json_array_size(json_object_get(result,
			    "cancelled"));
			printf(ngettext("session cancelled; %zu place "
			    "cancelled, its patron e-mailed\n", "session "
			    "cancelled; %zu places cancelled, their patrons "
			    "e-mailed\n", n), n);
			json_array_foreach(json_object_get(result,
			    "cancelled"), i, b)
				printf("  %s  %s\n", cli_jstr(b, "id"),
				    cli_jstr(b, "email"));
		} else if (clock_parse_iso(cli_jstr(result, "start"), r->tz,
		    &start) == 0 && clock_parse_iso(cli_jstr(result, "end"),
		    r->tz, &end) == 0)
			print_session(r, start, end, (int)json_integer_value(
			    json_object_get(result, "places")),
			    (int)json_integer_value(json_object_get(result,
			    "taken")));
	} else if (result != NULL && !c->json)
		/* R13: the session that has more places booked. */
		json_array_foreach(json_object_get(result, "sessions"), i, b)
			if (clock_parse_iso(cli_jstr(b, "start"), r->tz,
			    &start) == 0 && clock_parse_iso(cli_jstr(b, "end"),
			    r->tz, &end) == 0)
				print_session(r, start, end,
				    (int)json_integer_value(json_object_get(b,
				    "places")), (int)json_integer_value(
				    json_object_get(b, "booked")));
	json_decref(result);
	return (rc);
}

/* The places option, if given; -1 after a usage error. */
static int
places_opt(struct cli *c, struct cli_args *a, json_t *p)
{
	const char	*str = cli_opt(a, "places");
	char		*end;
	long		 n;

	if (str == NULL)
		return (0);
	n = strtol(str, &end, 10);
	if (*end != '\0' || n < 1 || n > 10000) {
		cli_usage_error(c, _("--places takes a number of places"));
		return (-1);
	}
	json_object_set_new(p, "places", json_integer(n));
	return (0);
}

/*
 * The session a subcommand names: RESOURCE into r, and --date D with
 * --from HH:MM as the resource's local ISO 8601 time into start (size
 * bytes). 0, or the exit status after the error is said.
 */
static int
session_named(struct cli *c, struct cli_args *a, struct resource *r,
    char *start, size_t size)
{
	int	rc;

	if ((rc = session_resource(c, a->argv[0], r)) != 0)
		return (rc);
	if (cli_opt(a, "date") == NULL)
		return (cli_usage_error(c, _("usage: guichet %s"),
		    a->cmd->usage));
	if (local_time(c, cli_opt(a, "date"), cli_opt(a, "from"), r->tz,
	    start, size) != 0)
		return (EXIT_USAGE);
	return (0);
}

/* sessions add RESOURCE --date D --from HH:MM --to HH:MM [--places N] */
static int
sessions_add(struct cli *c, struct cli_args *a)
{
	struct resource	 r;
	char		 f[40], t[40];
	json_t		*p;
	int		 rc;

	if ((rc = session_named(c, a, &r, f, sizeof f)) != 0)
		return (rc);
	if (local_time(c, cli_opt(a, "date"), cli_opt(a, "to"), r.tz, t,
	    sizeof t) != 0)
		return (EXIT_USAGE);
	p = json_pack("{s:s,s:s,s:s}", "resource", r.code, "start", f, "end",
	    t);
	if (places_opt(c, a, p) != 0) {
		json_decref(p);
		return (EXIT_USAGE);
	}
	return (session_write(c, &r, "session_add", p));
}

/* sessions change RESOURCE --date D --from HH:MM [--places N]
 * [--new-date D] [--new-from HH:MM] [--new-to HH:MM] */
static int
sessions_change(struct cli *c, struct cli_args *a)
{
	struct resource		 r;
	struct session_info	*v;
	const char		*nd = cli_opt(a, "new-date");
	char			 f[40], nf[40], nt[40], d[TZ_DATE_LEN];
	char			 hf[TZ_HHMM_LEN], ht[TZ_HHMM_LEN];
	int64_t			 start;
	size_t			 k, i;
	json_t			*p;
	int			 rc;

	if ((rc = session_named(c, a, &r, f, sizeof f)) != 0)
		return (rc);
	p = json_pack("{s:s,s:s}", "resource", r.code, "start", f);
	if (places_opt(c, a, p) != 0) {
		json_decref(p);
		return (EXIT_USAGE);
	}
	if (nd != NULL || cli_opt(a, "new-from") != NULL ||
	    cli_opt(a, "new-to") != NULL) {
		/* What is not given stays as it is. */
		if (clock_parse_iso(f, r.tz, &start) != 0 ||
		    query_sessions(c->s, r.id, start, start + 1, &v, &k) !=
		    GERR_OK) {
			json_decref(p);
			return (cli_fail(c, GERR_STORAGE, _("cannot read the "
			    "sessions")));
		}
		for (i = 0; i < k && v[i].start != start; i++)
			;
		if (i == k) {
			free(v);
			json_decref(p);
			return (cli_fail(c, GERR_NOT_FOUND, _("no session then: "
			    "'guichet sessions list RESOURCE' shows them")));
		}
		cli_fmt_local(v[i].start, r.tz, d, hf);
		cli_fmt_local(v[i].end, r.tz, NULL, ht);
		free(v);
		if (local_time(c, nd != NULL ? nd : d, cli_opt(a, "new-from") !=
		    NULL ? cli_opt(a, "new-from") : hf, r.tz, nf,
		    sizeof nf) != 0 || local_time(c, nd != NULL ? nd : d,
		    cli_opt(a, "new-to") != NULL ? cli_opt(a, "new-to") : ht,
		    r.tz, nt, sizeof nt) != 0) {
			json_decref(p);
			return (EXIT_USAGE);
		}
		json_object_set_new(p, "new_start", json_string(nf));
		json_object_set_new(p, "new_end", json_string(nt));
	}
	return (session_write(c, &r, "session_change", p));
}

/* sessions cancel RESOURCE --date D --from HH:MM --reason TEXT [--yes] */
static int
sessions_cancel(struct cli *c, struct cli_args *a)
{
	struct resource	 r;
	const char	*reason = cli_opt(a, "reason");
	char		 f[40], q[256];
	int		 rc;

	if ((rc = session_named(c, a, &r, f, sizeof f)) != 0)
		return (rc);
	/* R11: the reason is checked by the operation (reason_required). */
	if (!cli_flag(a, "yes") && reason != NULL) {
		snprintf(q, sizeof q, _("Cancel the session of %s at %s and "
		    "every place booked in it, e-mailing the patrons?"),
		    r.code, f);
		if (!cli_confirm(q))
			return (cli_usage_error(c, _("nothing cancelled: confirm "
			    "on the terminal, or give --yes")));
	}
	return (session_write(c, &r, "session_cancel", json_pack("{s:s,s:s,"
	    "s:s?}", "resource", r.code, "start", f, "reason", reason)));
}

/*
 * establishment CODE [info=TEXT] [jauge=N] [name=TEXT] [checkin_code=C]:
 * show a library's public information, or change it (P5). The
 * establishment code shows to an account with P5 there (-u) only.
 */
static int
cmd_establishment(struct cli *c, struct cli_args *a)
{
	struct establishment	 e;
	struct account		*acct = NULL;
	json_t			*p, *result = NULL;
	int			 rc;

	if (establishment_find(c->s, a->argv[0], &e) != GERR_OK)
		return (cli_fail(c, GERR_NOT_FOUND, _("no such establishment: "
		    "'guichet hours show CODE' takes the same codes")));
	if (a->argc == 1) {
		result = record_establishment(c->s, e.code);
		if (c->login == NULL || cli_login(c, &acct) != 0 ||
		    rights_check(c->s, acct, PERM_INFO, e.id, NULL) !=
		    GERR_OK)
			json_object_del(result, "checkin_code");
		account_free(acct);
		if (c->json)
			cli_print_json(result);
		else {
			printf("%s  %s\n", cli_jstr(result, "code"),
			    cli_jstr(result, "name"));
			printf(_("jauge: %lld, present: %lld\n"),
			    (long long)json_integer_value(json_object_get(
			    result, "jauge")), (long long)json_integer_value(
			    json_object_get(result, "occupancy")));
			if (json_object_get(result, "checkin_code") != NULL)
				printf(_("establishment code: %s\n"),
				    cli_jstr(result, "checkin_code"));
			if (*cli_jstr(result, "info") != '\0')
				printf("\n%s\n", cli_jstr(result, "info"));
		}
		json_decref(result);
		return (0);
	}
	p = json_pack("{s:s}", "establishment", e.code);
	if (key_values(c, a, 1, p) != 0) {
		json_decref(p);
		return (EXIT_USAGE);
	}
	if ((rc = cli_submit(c, "establishment_set", p, &result)) == 0) {
		if (c->json)
			cli_print_json(result);
		else {
			printf(_("%s changed\n"), e.code);
			if (json_is_true(json_object_get(result,
			    "posters_invalid")))
				printf(_("The establishment code of %s is now "
				    "%s, at once: the QR posters and printed "
				    "codes with the old one no longer validate "
				    "presence (R6). Print new ones with "
				    "'guichet qr %s'.\n"), e.code,
				    cli_jstr(result, "checkin_code"), e.code);
		}
	}
	json_decref(result);
	return (rc);
}

static const struct cli_opt opts_sessions_list[] = {
	{ "date", CLI_VALUE }, { "days", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_sessions_add[] = {
	{ "date", CLI_VALUE }, { "from", CLI_VALUE }, { "to", CLI_VALUE },
	{ "places", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_sessions_change[] = {
	{ "date", CLI_VALUE }, { "from", CLI_VALUE }, { "places", CLI_VALUE },
	{ "new-date", CLI_VALUE }, { "new-from", CLI_VALUE },
	{ "new-to", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_sessions_cancel[] = {
	{ "date", CLI_VALUE }, { "from", CLI_VALUE }, { "reason", CLI_VALUE },
	{ "yes", CLI_FLAG }, { NULL, 0 }
};

static const struct cli_cmd sessions_cmds[] = {
	{ .name = "list", .run = sessions_list, .opts = opts_sessions_list,
	  .min_args = 1, .max_args = 1,
	  .usage = "sessions list RESOURCE [--date D] [--days N]",
	  .help = N_("the sessions of a workshop, visit or training") },
	{ .name = "add", .run = sessions_add, .opts = opts_sessions_add,
	  .min_args = 1, .max_args = 1,
	  .usage = "sessions add RESOURCE --date D --from HH:MM --to HH:MM "
	  "[--places N]",
	  .help = N_("add a session (P9)") },
	{ .name = "change", .run = sessions_change,
	  .opts = opts_sessions_change, .min_args = 1, .max_args = 1,
	  .usage = "sessions change RESOURCE --date D --from HH:MM "
	  "[--places N] [--new-date D] [--new-from HH:MM] [--new-to HH:MM]",
	  .help = N_("change a session's places, never below those booked "
	  "(R13), or its times while none is booked (P9)") },
	{ .name = "cancel", .run = sessions_cancel,
	  .opts = opts_sessions_cancel, .min_args = 1, .max_args = 1,
	  .usage = "sessions cancel RESOURCE --date D --from HH:MM "
	  "--reason TEXT [--yes]",
	  .help = N_("cancel a session and its places; the reason is "
	  "e-mailed to the patrons (P9, R11)") },
	{ .name = NULL }
};

const struct cli_cmd cli_staff_cmds[] = {
	{ .name = "sessions", .subs = sessions_cmds,
	  .usage = "sessions list|add|change|cancel RESOURCE ...",
	  .help = N_("sessions of workshops, visits and trainings (P9)") },
	{ .name = "establishment", .run = cmd_establishment, .min_args = 1,
	  .max_args = CLI_MAX_ARGS,
	  .usage = "establishment CODE [info=TEXT] [jauge=N] [name=TEXT] "
	  "[checkin_code=CODE]",
	  .help = N_("show or change a library's public information and its "
	  "establishment code (P5, R6)") },
	{ .name = NULL }
};
