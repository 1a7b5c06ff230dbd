/*
 * The places: resources and their settings (P9), opening hours and
 * closures (R4, R13), messages (R10) and head counts (P5).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_impl.h"
#include "clock.h"
#include "hours.h"
#include "i18n.h"
#include "ops.h"
#include "query.h"
#include "record.h"
#include "store.h"
#include "tz.h"

static int
cmd_resources(struct cli *c, struct cli_args *a)
{
	struct resource	*r;
	size_t		 n, i;
	json_t		*arr;
	char		 pol[64];

	if (query_resources(c->s, cli_opt(a, "library"), &r, &n) != GERR_OK)
		return (cli_fail(c, store_error(c->s, NULL, ""),
		    _("cannot read the resources")));
	arr = json_array();
	if (!c->json)
		/* TRANSLATORS: column headings, padded by bytes: keep all
		 * but the last in ASCII. */
		printf("%-15s %-13s %-6s %-7s %4s  %s\n", _("CODE"), _("TYPE"),
		    _("PLACE"), _("HOLDER"), _("CAP"), _("POLICY"));
	for (i = 0; i < n; i++) {
		if (c->json) {
			json_array_append_new(arr, record_resource(&r[i]));
			continue;
		}
		if (rtype_capacity(r[i].type))
			snprintf(pol, sizeof pol, ngettext("sessions, %d "
			    "place a patron", "sessions, %d places a patron",
			    r[i].places_max), r[i].places_max);
		else
			snprintf(pol, sizeof pol, _("%d min grid, max %d, "
			    "%d/day, %d/month"), r[i].granularity,
			    r[i].max_duration, r[i].day_quota,
			    r[i].month_quota);
		printf("%-15s %-13s %-6s %-7s %4d  %s%s%s\n", r[i].code,
		    rtype_name(r[i].type), r[i].library, r[i].establishment,
		    r[i].capacity, pol, r[i].enabled ? "" : _(" [disabled]"),
		    r[i].public ? "" : _(" [internal]"));
	}
	free(r);
	/* The heading stands for an empty list. */
	return (cli_list_done(c, arr, 1, ""));
}

/* One KEY=VALUE of 'resource' into the payload p; -1 after a usage error
 * was printed. */
static int
resource_setting(struct cli *c, json_t *p, const char *arg)
{
	char	 key[64], *end;
	const char *eq = strchr(arg, '='), *v;
	long	 n;

	if (eq == NULL || (size_t)(eq - arg) >= sizeof key) {
		cli_usage_error(c, _("'%s': settings are written KEY=VALUE"),
		    arg);
		return (-1);
	}
	memcpy(key, arg, (size_t)(eq - arg));
	key[eq - arg] = '\0';
	v = eq + 1;
	n = strtol(v, &end, 10);
	if (strcmp(key, "enabled") == 0 || strcmp(key, "public") == 0) {
		if (strcmp(v, "yes") == 0 || strcmp(v, "1") == 0)
			json_object_set_new(p, key, json_true());
		else if (strcmp(v, "no") == 0 || strcmp(v, "0") == 0)
			json_object_set_new(p, key, json_false());
		else {
			cli_usage_error(c, _("%s takes yes or no"), key);
			return (-1);
		}
	} else if (*end == '\0' && v[0] != '\0')
		json_object_set_new(p, key, json_integer(n));
	else
		json_object_set_new(p, key, json_string(v));
	return (0);
}

static int
cmd_resource(struct cli *c, struct cli_args *a)
{
	struct resource	 r;
	json_t		*p, *result = NULL, *o;
	int		 i, rc;

	if (resource_find(c->s, a->argv[0], &r) != GERR_OK)
		return (cli_fail(c, GERR_NOT_FOUND, _("no such resource: list "
		    "them with 'guichet resources'")));
	if (a->argc == 1) {
		o = record_resource(&r);
		cli_print_json(o);
		json_decref(o);
		return (0);
	}
	p = json_pack("{s:s}", "resource", r.code);
	for (i = 1; i < a->argc; i++)
		if (resource_setting(c, p, a->argv[i]) != 0) {
			json_decref(p);
			return (EXIT_USAGE);
		}
	if ((rc = cli_submit(c, "resource_set", p, &result)) == 0)
		cli_print_json(result);
	json_decref(result);
	return (rc);
}

/* Hours (R4) and closures (R13). */

static int
find_establishment(struct cli *c, const char *code, struct establishment *e)
{
	if (establishment_find(c->s, code, e) == GERR_OK)
		return (0);
	return (cli_fail(c, GERR_NOT_FOUND, _("no such establishment: "
	    "'guichet resources' shows the codes (PLACE and HOLDER)")));
}

static int
hours_show(struct cli *c, struct cli_args *a)
{
	static const char *const wd[] = { "", N_("Mon"), N_("Tue"),
	    N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
	const char		*days_s = cli_opt(a, "days");
	struct establishment	 e;
	struct hours		 h;
	int32_t			 day;
	long			 days = 7, i;
	char			 date[TZ_DATE_LEN], t0[TZ_HHMM_LEN];
	char			 t1[TZ_HHMM_LEN], *end;
	const char		*name;
	json_t			*arr;
	int			 rc;

	if ((rc = find_establishment(c, a->argv[0], &e)) != 0)
		return (rc);
	if (cli_parse_day(c, cli_opt(a, "date"), e.tz, &day) != 0)
		return (EXIT_USAGE);
	if (days_s != NULL) {
		days = strtol(days_s, &end, 10);
		if (*end != '\0' || days < 1 || days > 366)
			return (cli_usage_error(c, _("--days takes 1 to 366")));
	}
	arr = json_array();
	for (i = 0; i < days; i++, day++) {
		if (hours_for_day(c->s, e.id, day, &h) != GERR_OK) {
			json_decref(arr);
			return (cli_fail(c, GERR_STORAGE, _("cannot read the "
			    "hours")));
		}
		tz_format_date(day, date);
		tz_format_hhmm(h.open_min, t0);
		tz_format_hhmm(h.close_min, t1);
		name = _(wd[tz_weekday(day)]);
		if (c->json)
			json_array_append_new(arr, h.open ?
			    json_pack("{s:s,s:s,s:s,s:s}", "date", date, "open",
			    t0, "close", t1, "reason", h.reason) :
			    json_pack("{s:s,s:b,s:s}", "date", date, "closed",
			    1, "reason", h.reason));
		else if (h.open)
			printf("%s %s  %s-%s%s%s\n", date, name, t0, t1,
			    h.exceptional ? _("  (exceptional) ") : "",
			    h.reason);
		else
			printf(_("%s %s  closed%s%s\n"), date, name,
			    h.reason[0] ? ": " : "", h.reason);
	}
	return (cli_list_done(c, arr, 1, ""));
}

/*
 * Apply an hours operation and print what it did. A closure or shorter
 * hours over live bookings are refused first (R13): list them (as to be
 * cancelled: nothing is yet), ask once, and confirm for those bookings
 * (their ids), not for whatever is live by then.
 */
static int
hours_write(struct cli *c, const char *kind, json_t *p)
{
	struct account	*acct = NULL;
	json_t		*result = NULL, *ids, *b;
	size_t		 i;
	int		 rc;

	if ((rc = cli_login(c, &acct)) != 0) {
		json_decref(p);
		return (rc);
	}
	rc = cli_apply(c, acct, kind, p, &result);
	if (rc != 0 && result != NULL &&
	    json_array_size(json_object_get(result, "to_cancel")) > 0) {
		cli_print_freed(c, result, "to_cancel");
		if (!c->json && cli_confirm(_("Cancel these bookings with the "
		    "change's reason?"))) {
			ids = json_array();
			json_array_foreach(json_object_get(result,
			    "to_cancel"), i, b)
				json_array_append(ids, json_object_get(b,
				    "id"));
			json_object_set_new(p, "ids", ids);
			json_object_set_new(p, "confirm", json_true());
			json_decref(result);
			result = NULL;
			rc = cli_apply(c, acct, kind, p, &result);
		}
	}
	if (rc == 0) {
		if (c->json || json_array_size(json_object_get(result,
		    "cancelled")) > 0 || strcmp(kind, "close") == 0)
			cli_print_freed(c, result, "cancelled");
		else
			printf("%s\n", _("done"));
	}
	json_decref(p);
	json_decref(result);
	account_free(acct);
	return (rc);
}

static int
hours_set(struct cli *c, struct cli_args *a)
{
	const char		*weekday = cli_opt(a, "weekday");
	const char		*date = cli_opt(a, "date");
	const char		*open = cli_opt(a, "open");
	const char		*close = cli_opt(a, "close");
	int			 closed = cli_flag(a, "closed"), rc;
	struct establishment	 e;
	json_t			*p;
	long			 wd;
	char			*end;

	if ((rc = find_establishment(c, a->argv[0], &e)) != 0)
		return (rc);
	if (weekday == NULL && date == NULL)
		return (cli_usage_error(c, _("hours set needs --weekday N or "
		    "--date YYYY-MM-DD")));
	if (!closed && (open == NULL || close == NULL))
		return (cli_usage_error(c, _("hours set needs --open HH:MM and "
		    "--close HH:MM (or --closed)")));
	if (weekday != NULL) {
		wd = strtol(weekday, &end, 10);
		if (*end != '\0' || wd < 1 || wd > 7)
			return (cli_usage_error(c, _("--weekday takes 1 "
			    "(Monday) to 7 (Sunday)")));
		p = json_pack("{s:s,s:I,s:s?}", "establishment", e.code,
		    "weekday", (json_int_t)wd, "reason", cli_opt(a, "reason"));
		if (closed)
			json_object_set_new(p, "closed", json_true());
	} else
		p = json_pack("{s:s,s:s,s:s?}", "establishment", e.code,
		    "date", date, "reason", cli_opt(a, "reason"));
	if (!closed) {
		json_object_set_new(p, "open", json_string(open));
		json_object_set_new(p, "close", json_string(close));
	}
	if (cli_flag(a, "yes"))
		json_object_set_new(p, "confirm", json_true());
	return (hours_write(c, weekday != NULL ? "hours_week" : "hours_date",
	    p));
}

/* hours close and hours open: one day. */
static int
hours_day(struct cli *c, struct cli_args *a)
{
	const char		*date = cli_opt(a, "date");
	struct establishment	 e;
	json_t			*p;
	int			 rc;

	if ((rc = find_establishment(c, a->argv[0], &e)) != 0)
		return (rc);
	if (date == NULL)
		return (cli_usage_error(c, _("hours %s needs --date "
		    "YYYY-MM-DD"), a->cmd->name));
	p = json_pack("{s:s,s:s,s:s?}", "establishment", e.code, "date", date,
	    "reason", cli_opt(a, "reason"));
	if (cli_flag(a, "yes"))
		json_object_set_new(p, "confirm", json_true());
	return (hours_write(c, a->cmd->name, p));
}

/* Messages (R10). */

static int
messages_list(struct cli *c, struct cli_args *a)
{
	struct message_info	*m;
	json_t			*arr;
	char			 f[CLOCK_ISO_LEN], t[CLOCK_ISO_LEN];
	const char		*code = a->argc > 0 ? a->argv[0] : NULL;
	int64_t			 now = clock_now();
	size_t			 n, i, shown = 0;

	if (query_messages(c->s, code, NULL, 0, &m, &n) != GERR_OK)
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "messages")));
	arr = json_array();
	for (i = 0; i < n; i++) {
		/* What shows now or later; the past is gone. */
		if (m[i].ends <= now)
			continue;
		clock_format_iso(m[i].starts, m[i].tz, f);
		clock_format_iso(m[i].ends, m[i].tz, t);
		if (c->json)
			json_array_append_new(arr, json_pack("{s:I,s:s,s:s,"
			    "s:s,s:s,s:s}", "id", (json_int_t)m[i].id,
			    "establishment", m[i].establishment, "kind",
			    m[i].kind, "text", m[i].text, "from", f, "to", t));
		else
			printf("%lld  %-6s %-5s %.16s .. %.16s  %s\n",
			    (long long)m[i].id, m[i].establishment, m[i].kind,
			    f, t, m[i].text);
		shown++;
	}
	free(m);
	return (cli_list_done(c, arr, shown, _("no message")));
}

/* Apply a message operation; print the uid of the message it added or
 * removed. */
static int
message_write(struct cli *c, const char *kind, json_t *p)
{
	int	 added = strcmp(kind, "message_add") == 0;
	json_t	*result = NULL;
	int	 rc;

	if ((rc = cli_submit(c, kind, p, &result)) == 0) {
		if (c->json)
			cli_print_json(result);
		else
			printf(added ? _("message %s added\n") :
			    _("message %s removed\n"), cli_jstr(result, "uid"));
	}
	json_decref(result);
	return (rc);
}

static int
messages_add(struct cli *c, struct cli_args *a)
{
	const char		*kind = cli_opt(a, "kind");
	const char		*text = cli_opt(a, "text");
	struct establishment	 e;
	int32_t			 d0, d1;
	char			 f[40], t[40];
	int			 rc;

	if (kind == NULL || text == NULL || cli_opt(a, "from") == NULL ||
	    cli_opt(a, "to") == NULL)
		return (cli_usage_error(c, _("usage: guichet %s"),
		    a->cmd->usage));
	if ((rc = find_establishment(c, a->argv[0], &e)) != 0)
		return (rc);
	if (cli_parse_day(c, cli_opt(a, "from"), e.tz, &d0) != 0 ||
	    cli_parse_day(c, cli_opt(a, "to"), e.tz, &d1) != 0)
		return (EXIT_USAGE);
	/* Whole days, the last one included. */
	cli_local_iso(d0, 0, f, sizeof f);
	cli_local_iso(d1 + 1, 0, t, sizeof t);
	return (message_write(c, "message_add", json_pack("{s:s,s:s,s:s,s:s,"
	    "s:s}", "establishment", e.code, "kind", kind, "text", text,
	    "from", f, "to", t)));
}

static int
messages_remove(struct cli *c, struct cli_args *a)
{
	const char	*arg = a->argv[0];
	json_t		*p;
	long		 id;
	char		*end;

	id = strtol(arg, &end, 10);
	if (uuid_valid(arg))
		p = json_pack("{s:s}", "uid", arg);
	else if (*end != '\0' || id < 1)
		return (cli_usage_error(c, _("'%s' is not a message id"), arg));
	else
		p = json_pack("{s:I}", "id", (json_int_t)id);
	return (message_write(c, "message_remove", p));
}

/* A head count for an establishment (P5): the desk's door counter. */
static int
cmd_occupancy(struct cli *c, struct cli_args *a)
{
	json_t		*p, *result = NULL;
	char		*end;
	long		 n;
	int		 rc;

	n = strtol(a->argv[1], &end, 10);
	if (*end != '\0' || n < 0 || n > 1000000)
		return (cli_usage_error(c, _("'%s' is not a head count"),
		    a->argv[1]));
	p = json_pack("{s:s,s:I}", "establishment", a->argv[0], "count",
	    (json_int_t)n);
	if ((rc = cli_submit(c, "occupancy", p, &result)) == 0) {
		if (c->json)
			cli_print_json(result);
		else
			printf(_("%s: %ld present, %lld %% of the jauge\n"),
			    a->argv[0], n, (long long)json_integer_value(
			    json_object_get(result, "percent")));
	}
	json_decref(result);
	return (rc);
}

static const struct cli_opt opts_library[] = {
	{ "library", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_hours_show[] = {
	{ "date", CLI_VALUE }, { "days", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_hours_set[] = {
	{ "weekday", CLI_VALUE }, { "date", CLI_VALUE },
	{ "open", CLI_VALUE }, { "close", CLI_VALUE }, { "closed", CLI_FLAG },
	{ "reason", CLI_VALUE }, { "yes", CLI_FLAG }, { NULL, 0 }
};
static const struct cli_opt opts_hours_day[] = {
	{ "date", CLI_VALUE }, { "reason", CLI_VALUE }, { "yes", CLI_FLAG },
	{ NULL, 0 }
};
static const struct cli_opt opts_messages_add[] = {
	{ "kind", CLI_VALUE }, { "from", CLI_VALUE }, { "to", CLI_VALUE },
	{ "text", CLI_VALUE }, { NULL, 0 }
};

static const struct cli_opt opts_resources_add[] = {
	{ "type", CLI_VALUE }, { "name", CLI_VALUE }, { "library", CLI_VALUE },
	{ "holder", CLI_VALUE }, { NULL, 0 }
};

static const struct cli_cmd resources_cmds[] = {
	{ .name = "list", .run = cmd_resources, .opts = opts_library,
	  .usage = "resources [list] [--library CODE]",
	  .help = N_("list the resources") },
	{ .name = "add", .run = cli_resources_add, .opts = opts_resources_add,
	  .min_args = 1, .max_args = CLI_MAX_ARGS,
	  .usage = "resources add CODE --type TYPE --name TEXT --library CODE "
	  "[--holder CODE] [KEY=VALUE ...]",
	  .help = N_("add a resource with its policy (P9), held as the "
	  "library's others unless --holder is given") },
	{ .name = NULL }
};

static const struct cli_cmd hours_cmds[] = {
	{ .name = "show", .run = hours_show, .opts = opts_hours_show,
	  .min_args = 1, .max_args = 1,
	  .usage = "hours show CODE [--date D] [--days N]",
	  .help = N_("the opening hours of N days (7) from D (today)") },
	{ .name = "set", .run = hours_set, .opts = opts_hours_set,
	  .min_args = 1, .max_args = 1,
	  .usage = "hours set CODE --weekday N|--date D --open HH:MM "
	  "--close HH:MM|--closed [--reason T] [--yes]",
	  .help = N_("the hours of a weekday, or of one date; bookings "
	  "left outside are cancelled once confirmed (R13)") },
	{ .name = "close", .run = hours_day, .opts = opts_hours_day,
	  .min_args = 1, .max_args = 1,
	  .usage = "hours close CODE --date D [--reason T] [--yes]",
	  .help = N_("close a day, cancelling its bookings once confirmed "
	  "(R13)") },
	{ .name = "open", .run = hours_day, .opts = opts_hours_day,
	  .min_args = 1, .max_args = 1,
	  .usage = "hours open CODE --date D [--reason T]",
	  .help = N_("open a day the week's hours close") },
	{ .name = NULL }
};

static const struct cli_cmd messages_cmds[] = {
	{ .name = "list", .run = messages_list, .max_args = 1,
	  .usage = "messages [list [CODE]]",
	  .help = N_("the messages shown now or later") },
	{ .name = "add", .run = messages_add, .opts = opts_messages_add,
	  .min_args = 1, .max_args = 1,
	  .usage = "messages add CODE --kind popup|event --from D --to D "
	  "--text T",
	  .help = N_("post a message for whole days (R10)") },
	{ .name = "remove", .run = messages_remove, .min_args = 1,
	  .max_args = 1, .usage = "messages remove ID",
	  .help = N_("remove a message") },
	{ .name = NULL }
};

const struct cli_cmd cli_place_cmds[] = {
	{ .name = "resources", .subs = resources_cmds, .sub_default = "list",
	  .usage = "resources [list [--library CODE] | add CODE ...]",
	  .help = N_("list the resources, or add one (P9)") },
	{ .name = "resource", .run = cmd_resource, .min_args = 1,
	  .max_args = CLI_MAX_ARGS, .usage = "resource CODE [KEY=VALUE ...]",
	  .help = N_("show or change a resource's settings (P9)") },
	{ .name = "hours", .subs = hours_cmds,
	  .usage = "hours show|set|close|open CODE ...",
	  .help = N_("show or change opening hours (R4, R13)") },
	{ .name = "messages", .subs = messages_cmds, .sub_default = "list",
	  .usage = "messages [list [CODE] | add CODE ... | remove ID]",
	  .help = N_("pop-up and event messages (R10)") },
	{ .name = "occupancy", .run = cmd_occupancy, .min_args = 2,
	  .max_args = 2, .usage = "occupancy CODE COUNT",
	  .help = N_("set the head count of an establishment (P5)") },
	{ .name = NULL }
};
