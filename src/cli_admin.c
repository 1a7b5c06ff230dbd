/*
 * Administration: the database, global settings (R12), accounts and
 * their grants (P7), passwords, statistics (P6), exports (P8) and the
 * patrons' e-mails waiting.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_impl.h"
#include "clock.h"
#include "demo.h"
#include "export.h"
#include "i18n.h"
#include "mail.h"
#include "ops.h"
#include "query.h"
#include "record.h"
#include "replica.h"
#include "rights.h"
#include "rules.h"
#include "stats.h"
#include "store.h"
#include "sync.h"
#include "tz.h"
#include "xmalloc.h"

#include <sodium.h>

/* A desk's replica: empty until the first sync fills it. */
static int
init_replica(struct cli *c)
{
	struct sync_report	 rep;
	struct gerror		 err;
	struct account		*acct = NULL;
	enum gerr		 e;
	int			 rc;

	store_set_desk(c->s, 1);
	if (c->login != NULL) {
		if ((rc = cli_login(c, &acct)) != 0)
			return (rc);
		account_free(acct);
	}
	if ((e = sync_run(c->s, c->cfg.backend_url, &rep, &err)) != GERR_OK)
		return (cli_fail(c, e, err.msg));
	if (c->json)
		return (0);
	if (query_last_change(c->s) == 0 && replica_cursor(c->s) == 0 &&
	    rep.pulled == 0)
		printf(_("created %s, an empty replica of %s: log in (-u "
		    "ACCOUNT) to fetch the data\n"), c->dbfile,
		    c->cfg.backend_url);
	else
		printf(_("created %s, a replica of %s\n"), c->dbfile,
		    c->cfg.backend_url);
	return (0);
}

/* Remove a database and its WAL files (init --force). */
static void
remove_database(const char *path)
{
	char	*side;

	unlink(path);
	side = xasprintf("%s-wal", path);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", path);
	unlink(side);
	free(side);
}

/* Make the folders of a path. */
static void
make_folders(const char *path)
{
	char	*dir = xstrdup(path), *slash;

	for (slash = strchr(dir + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			break;
		*slash = '/';
	}
	free(dir);
}

static int
cmd_init(struct cli *c, struct cli_args *a)
{
	struct gerror	 err;
	struct stat	 sb;
	enum gerr	 e;
	int		 demo = cli_flag(a, "demo");
	json_t		*o;

	c->dbfile = cli_db_path(c);
	if (stat(c->dbfile, &sb) == 0) {
		if (!cli_flag(a, "force"))
			return (cli_usage_error(c, _("%s exists already: add "
			    "--force to replace it (its data is lost)"),
			    c->dbfile));
		remove_database(c->dbfile);
	}
	make_folders(c->dbfile);
	if (c->cfg.backend_url != NULL && demo)
		return (cli_usage_error(c, _("this desk syncs with %s: load the "
		    "demo into the backend's database, not into the desk's "
		    "replica"), c->cfg.backend_url));
	if ((e = store_open(c->dbfile, STORE_CREATE, &c->s, &err)) != GERR_OK)
		return (cli_fail(c, e, err.msg));
	if (c->cfg.backend_url != NULL)
		return (init_replica(c));
	if ((e = demo ? demo_load(c->s, &err) : demo_settings(c->s, &err)) !=
	    GERR_OK)
		return (cli_fail(c, e, err.msg));
	if (c->json) {
		o = json_pack("{s:s,s:b}", "database", c->dbfile, "demo", demo);
		cli_print_json(o);
		json_decref(o);
	} else if (demo)
		printf(_("created %s with the demo data\nevery demo account's "
		    "password is 'demo' (desk.mirail, ref.buc, admin...)\n"),
		    c->dbfile);
	else
		printf(_("created %s\n"), c->dbfile);
	return (0);
}

static int
cmd_settings(struct cli *c, struct cli_args *a)
{
	json_t	*p, *o, *result = NULL;
	int	 rc;

	if (a->argc == 0) {
		if ((o = record_settings(c->s)) == NULL)
			return (cli_fail(c, GERR_STORAGE, _("cannot read the "
			    "settings")));
		cli_print_json(o);
		json_decref(o);
		return (0);
	}
	if (a->argc != 2)
		return (cli_usage_error(c, _("usage: guichet %s"),
		    a->cmd->usage));
	p = json_pack("{s:s,s:s}", "key", a->argv[0], "value", a->argv[1]);
	if ((rc = cli_submit(c, "setting", p, &result)) == 0) {
		if (c->json)
			cli_print_json(result);
		else
			printf("%s = %s\n", a->argv[0], a->argv[1]);
	}
	json_decref(result);
	return (rc);
}

/* Accounts (P7). */

/* One grant of an account, as "  BUC: P1 P2 ... (scope)". */
static void
print_grant(json_t *g)
{
	int	perms = (int)json_integer_value(json_object_get(g, "perms")), i;
	const char *types = cli_jstr(g, "types"), *exclude = cli_jstr(g,
		    "exclude"), *library = cli_jstr(g, "library"),
		    *resources = cli_jstr(g, "resources");

	printf("    %-7s", cli_jstr(g, "establishment"));
	for (i = 0; i < 9; i++)
		if (perms & (1 << i))
			printf(" %s", perm_id((enum perm)(1 << i)));
	if (*types || *exclude || *library || *resources)
		printf("  (P8/P9 on%s%s%s%s%s%s%s%s)", *types ? " types " : "",
		    types, *exclude ? " except " : "", exclude, *library ?
		    " in " : "", library, *resources ? " resources " : "",
		    resources);
	putchar('\n');
}

/* A new password, typed twice (or GUICHET_NEW_PASSWORD), hashed here:
 * only its argon2id hash goes into the operation. NULL if refused. */
static char *
new_password(struct cli *c)
{
	const char	*env = getenv("GUICHET_NEW_PASSWORD");
	char		*p1, *p2, *hash = NULL;
	char		*save = getenv("GUICHET_PASSWORD") != NULL ?
			    xstrdup(getenv("GUICHET_PASSWORD")) : NULL;

	if (env != NULL) {
		p1 = xstrdup(env);
		p2 = xstrdup(env);
	} else {
		/* cli_read_password() reads GUICHET_PASSWORD first: not
		 * here. */
		unsetenv("GUICHET_PASSWORD");
		p1 = cli_read_password();
		p2 = p1 != NULL ? cli_read_password() : NULL;
		if (save != NULL)
			setenv("GUICHET_PASSWORD", save, 1);
	}
	free(save);
	if (p1 == NULL || p2 == NULL)
		cli_usage_error(c, _("no new password: set "
		    "GUICHET_NEW_PASSWORD or run from a terminal"));
	else if (strcmp(p1, p2) != 0)
		cli_usage_error(c, _("the two passwords differ: nothing "
		    "changed"));
	else if (strlen(p1) < 8)
		cli_usage_error(c, _("a password has 8 characters at least"));
	else
		hash = account_hash_password(p1);
	if (p1 != NULL)
		sodium_memzero(p1, strlen(p1));
	if (p2 != NULL)
		sodium_memzero(p2, strlen(p2));
	free(p1);
	free(p2);
	return (hash);
}

/* One account as rows of the table of 'users list': a row a grant, its
 * permissions in the charter's columns P1 to P9, then the scope. */
static void
grant_rows(const char *login, json_t *o)
{
	const char	*state;
	json_t		*g;
	size_t		 k;
	int		 perms, i;

	state = json_is_true(json_object_get(o, "superadmin")) ? _("super") :
	    json_is_true(json_object_get(o, "enabled")) ? _("enabled") :
	    _("disabled");
	if (json_array_size(json_object_get(o, "grants")) == 0) {
		printf("%-20s %-9s %-7s", login, state,
		    json_is_true(json_object_get(o, "superadmin")) ? "*" : "-");
		for (i = 0; i < 9; i++)
			printf(i == 0 ? " %c" : "  %c", json_is_true(
			    json_object_get(o, "superadmin")) ? 'x' : '.');
		putchar('\n');
		return;
	}
	json_array_foreach(json_object_get(o, "grants"), k, g) {
		const char	*types = cli_jstr(g, "types");
		const char	*exclude = cli_jstr(g, "exclude");
		const char	*library = cli_jstr(g, "library");
		const char	*res = cli_jstr(g, "resources");

		perms = (int)json_integer_value(json_object_get(g, "perms"));
		printf("%-20s %-9s %-7s", k == 0 ? login : "", k == 0 ? state :
		    "", cli_jstr(g, "establishment"));
		for (i = 0; i < 9; i++)
			printf(i == 0 ? " %c" : "  %c", perms & (1 << i) ?
			    'x' : '.');
		if (perms & (PERM_PLANNING | PERM_SETTINGS))
			printf("  %s%s%s%s%s%s%s", *types ? types : _("all"),
			    *exclude ? _(" except ") : "", exclude, *library ?
			    _(" in ") : "", library, *res ? _(" only ") : "",
			    res);
		putchar('\n');
	}
}

/* Log in, then ask for the new password (users add, passwd): 0 with
 * both, or the exit status. */
static int
login_new_password(struct cli *c, struct account **acct, char **hash)
{
	int	rc;

	if ((rc = cli_login(c, acct)) != 0)
		return (rc);
	if ((*hash = new_password(c)) == NULL) {
		account_free(*acct);
		*acct = NULL;
		return (EXIT_USAGE);
	}
	return (0);
}

static int
users_list(struct cli *c, __attribute__((unused)) struct cli_args *a)
{
	struct account	*who;
	json_t		*arr = json_array(), *o;
	char		 name[LOGIN_LEN];
	size_t		 i;

	if (account_logins(c->s, &arr) != GERR_OK) {
		json_decref(arr);
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "accounts")));
	}
	if (!c->json)
		printf("%-20s %-9s %-7s P1 P2 P3 P4 P5 P6 P7 P8 P9 %s\n",
		    _("ACCOUNT"), _("STATE"), _("WHERE"), _("SCOPE (P8, P9)"));
	for (i = 0; i < json_array_size(arr); i++) {
		strlcpy_g(name, json_string_value(json_array_get(arr, i)),
		    sizeof name);
		if (account_load(c->s, name, &who) != GERR_OK)
			continue;
		o = record_account(who);
		account_free(who);
		if (c->json) {
			json_array_set_new(arr, i, o);
			continue;
		}
		grant_rows(name, o);
		json_decref(o);
	}
	return (cli_list_done(c, arr, 1, ""));
}

/* Apply an account operation as acct (logged in when NULL) and print the
 * account it changed. */
static int
users_write(struct cli *c, struct account *acct, const char *kind,
    json_t *p)
{
	json_t	*result = NULL, *g;
	size_t	 i;
	int	 rc = 0;

	if (acct == NULL)
		rc = cli_login(c, &acct);
	if (rc == 0 && (rc = cli_apply(c, acct, kind, p, &result)) == 0) {
		if (c->json)
			cli_print_json(result);
		else {
			printf("%s\n", cli_jstr(result, "login"));
			json_array_foreach(json_object_get(result, "grants"), i,
			    g)
				print_grant(g);
		}
	}
	json_decref(p);
	json_decref(result);
	account_free(acct);
	return (rc);
}

/* Disable or enable an account (P7); disabling ends its sessions. */
static int
users_state(struct cli *c, struct cli_args *a)
{
	int	 on = strcmp(a->cmd->name, "enable") == 0, rc;
	json_t	*result = NULL;

	rc = cli_submit(c, "account_set", json_pack("{s:s,s:b}", "login",
	    a->argv[0], "enabled", on), &result);
	if (rc == 0 && c->json)
		cli_print_json(result);
	else if (rc == 0)
		printf(on ? _("%s enabled\n") : _("%s disabled; its sessions "
		    "are ended\n"), a->argv[0]);
	json_decref(result);
	return (rc);
}

static int
users_add(struct cli *c, struct cli_args *a)
{
	struct account	*acct = NULL;
	json_t		*p;
	char		*hash;
	int		 rc;

	if ((rc = login_new_password(c, &acct, &hash)) != 0)
		return (rc);
	p = json_pack("{s:s,s:s?,s:s}", "login", a->argv[0], "name",
	    cli_opt(a, "name"), "password_hash", hash);
	free(hash);
	return (users_write(c, acct, "account_add", p));
}

static int
users_grant(struct cli *c, struct cli_args *a)
{
	return (users_write(c, NULL, "grant", json_pack("{s:s,s:s,s:s,s:s?,"
	    "s:s?,s:s?,s:s?}", "login", a->argv[0], "establishment",
	    a->argv[1], "perms", a->argv[2], "types", cli_opt(a, "types"),
	    "exclude", cli_opt(a, "exclude"), "library", cli_opt(a, "library"),
	    "resources", cli_opt(a, "resources"))));
}

static int
users_revoke(struct cli *c, struct cli_args *a)
{
	return (users_write(c, NULL, "revoke", json_pack("{s:s,s:s}", "login",
	    a->argv[0], "establishment", a->argv[1])));
}

/* Change a password: one's own, or another's as super-administrator. */
static int
cmd_passwd(struct cli *c, struct cli_args *a)
{
	struct account	*acct = NULL;
	json_t		*p, *result = NULL;
	char		*hash;
	int		 rc;

	if ((rc = login_new_password(c, &acct, &hash)) != 0)
		return (rc);
	p = json_pack("{s:s?,s:s}", "login", a->argc > 0 ? a->argv[0] : NULL,
	    "password_hash", hash);
	free(hash);
	rc = cli_apply(c, acct, "passwd", p, &result);
	if (rc == 0 && !c->json)
		printf(_("password of %s changed\n"), cli_jstr(result,
		    "login"));
	else if (rc == 0)
		cli_print_json(result);
	json_decref(p);
	json_decref(result);
	account_free(acct);
	return (rc);
}

/* Statistics and exports. */

/* The window of --from and --to: the month so far by default. */
static int
window(struct cli *c, struct cli_args *a, const char *tz, int32_t *from,
    int32_t *to)
{
	int	y, m, d;

	if (cli_parse_day(c, cli_opt(a, "to"), tz, to) != 0)
		return (-1);
	if (cli_opt(a, "from") != NULL)
		return (cli_parse_day(c, cli_opt(a, "from"), tz, from));
	tz_civil_from_days(*to, &y, &m, &d);
	*from = tz_days_from_civil(y, m, 1);
	return (0);
}

static void
stats_text(const struct establishment *e, const char *d0, const char *d1,
    const struct stats *st, int csv)
{
	const struct stats_row	*r;
	size_t			 i;
	int			 h, bar;
	char			 hours[16];

	if (csv)
		printf("resource,week,bookings,minutes,present,no_show,"
		    "cancelled,expired\r\n");
	else
		printf(_("%s from %s to %s\n%-15s %-9s %8s %7s %7s %7s %9s\n"),
		    e->code, d0, d1, _("RESOURCE"), _("WEEK"), _("BOOKINGS"),
		    _("HOURS"), _("PRESENT"), _("NO-SHOW"), _("CANCELLED"));
	for (i = 0; i < st->nrows; i++) {
		r = &st->rows[i];
		if (csv) {
			printf("%s,%s,%d,%d,%d,%d,%d,%d\r\n", r->resource,
			    r->week[0] ? r->week : "total", r->bookings,
			    r->minutes, r->present, r->no_show, r->cancelled,
			    r->expired);
			continue;
		}
		rules_format_minutes(r->minutes, hours);
		printf("%-15s %-9s %8d %7s %7d %7d %9d\n", r->week[0] ?
		    "" : r->resource, r->week[0] ? r->week : "total",
		    r->bookings, hours, r->present, r->no_show, r->cancelled);
	}
	if (csv)
		return;
	printf(_("\noccupancy by hour (mean head count, jauge %d)\n"),
	    st->jauge);
	for (h = 0; h < 24; h++) {
		if (st->hour[h] < 0)
			continue;
		bar = st->jauge > 0 ? (int)(st->hour[h] * 50 / st->jauge) : 0;
		printf("%02dh %-50.*s %.0f\n", h, bar > 50 ? 50 : bar,
		    "##################################################",
		    st->hour[h]);
	}
}

/* Statistics of a library (P6): bookings and no-shows by room and week,
 * occupancy by hour, as text, CSV or JSON. */
static int
cmd_stats(struct cli *c, struct cli_args *a)
{
	const char		*lib = cli_opt(a, "library");
	struct establishment	 e;
	struct account		*acct = NULL;
	struct stats		 st;
	struct gerror		 err;
	int32_t			 from, to;
	int			 rc;
	char			 d0[TZ_DATE_LEN], d1[TZ_DATE_LEN];
	json_t			*o;

	if (lib == NULL)
		lib = c->cfg.library;
	if (lib == NULL)
		return (cli_usage_error(c, _("stats needs --library CODE (or "
		    "[desk] library in guichet.ini)")));
	if (establishment_find(c->s, lib, &e) != GERR_OK)
		return (cli_fail(c, GERR_NOT_FOUND, _("no such library: "
		    "'guichet resources' shows the codes (PLACE)")));
	if (window(c, a, e.tz, &from, &to) != 0)
		return (EXIT_USAGE);
	if ((rc = cli_login(c, &acct)) != 0)
		return (rc);
	if (rights_check(c->s, acct, PERM_STATS, e.id, &err) != GERR_OK) {
		account_free(acct);
		return (cli_fail(c, err.code, err.msg));
	}
	account_free(acct);
	if (stats_collect(c->s, e.code, from, to, &st) != GERR_OK)
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "statistics")));
	tz_format_date(from, d0);
	tz_format_date(to, d1);
	if (c->json) {
		o = stats_record(&st, e.code, from, to);
		cli_print_json(o);
		json_decref(o);
	} else
		stats_text(&e, d0, d1, &st, cli_flag(a, "csv"));
	stats_free(&st);
	return (0);
}

/* Bookings as CSV or iCalendar, those the account plans (P8) only. */
static int
cmd_export(struct cli *c, struct cli_args *a)
{
	struct booking_filter	 f;
	struct booking		*b, *mine;
	struct resource		 r;
	struct account		*acct = NULL;
	int32_t			 from, to;
	size_t			 n, k = 0, i;
	int			 rc, ical;
	const char		*tz = cli_zone(c);

	if (strcmp(a->argv[0], "csv") != 0 && strcmp(a->argv[0], "ical") != 0)
		return (cli_usage_error(c, _("export csv or export ical")));
	ical = strcmp(a->argv[0], "ical") == 0;
	if (window(c, a, tz, &from, &to) != 0)
		return (EXIT_USAGE);
	if ((rc = cli_login(c, &acct)) != 0)
		return (rc);
	memset(&f, 0, sizeof f);
	f.status = -1;
	f.library = cli_opt(a, "library");
	f.resource = cli_opt(a, "resource");
	f.from = tz_day_start(tz, from);
	f.to = tz_day_start(tz, to + 1);
	if (query_bookings(c->s, &f, &b, &n) != GERR_OK) {
		account_free(acct);
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "bookings")));
	}
	/* Patrons' data to those who plan their bookings only. */
	mine = n > 0 ? xcalloc(n, sizeof *mine) : NULL;
	for (i = 0; i < n; i++)
		if (resource_find(c->s, b[i].resource, &r) == GERR_OK &&
		    rights_check_resource(acct, PERM_PLANNING, &r, NULL) ==
		    GERR_OK)
			mine[k++] = b[i];
	account_free(acct);
	rc = export_bookings(stdout, ical ? EXPORT_ICAL : EXPORT_CSV, c->s,
	    mine, k, clock_now());
	free(b);
	free(mine);
	if (rc != 0)
		return (cli_fail(c, GERR_STORAGE, _("cannot write the "
		    "export")));
	return (0);
}

/* The patrons' e-mails waiting; with --send, send them. */
static int
cmd_mail(struct cli *c, struct cli_args *a)
{
	struct mail_info	*m;
	struct gerror		 err;
	json_t			*arr;
	size_t			 i, n;
	int			 sent = 0;
	enum gerr		 e;

	if (cli_flag(a, "send")) {
		if (c->cfg.smtp_url == NULL)
			return (cli_usage_error(c, _("no SMTP server: set "
			    "[mail] smtp_url in guichet.ini")));
		e = mail_send(c->s, c->cfg.smtp_url, cli_mail_from(c),
		    c->cfg.link_base, 1000, &sent, &err);
		if (!c->json)
			printf(_("sent %d, waiting %d\n"), sent,
			    mail_waiting(c->s));
		if (e != GERR_OK)
			return (cli_fail(c, e, err.msg));
		return (0);
	}
	if (mail_list(c->s, &m, &n) != GERR_OK)
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "e-mails")));
	arr = json_array();
	for (i = 0; i < n; i++) {
		if (c->json)
			json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:i,"
			    "s:s}", "id", (json_int_t)m[i].id, "to", m[i].to,
			    "subject", m[i].subject, "attempts", m[i].attempts,
			    "error", m[i].error));
		else if (m[i].attempts > 0)
			printf(_("%lld  %s  %s  (not sent: %s)\n"),
			    (long long)m[i].id, m[i].to, m[i].subject,
			    m[i].error);
		else
			printf("%lld  %s  %s\n", (long long)m[i].id, m[i].to,
			    m[i].subject);
	}
	free(m);
	return (cli_list_done(c, arr, n, _("no e-mail waiting")));
}

static const struct cli_opt opts_init[] = {
	{ "demo", CLI_FLAG }, { "force", CLI_FLAG }, { NULL, 0 }
};
static const struct cli_opt opts_users_add[] = {
	{ "name", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_users_grant[] = {
	{ "types", CLI_VALUE }, { "exclude", CLI_VALUE },
	{ "library", CLI_VALUE }, { "resources", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_stats[] = {
	{ "library", CLI_VALUE }, { "from", CLI_VALUE }, { "to", CLI_VALUE },
	{ "csv", CLI_FLAG }, { NULL, 0 }
};
static const struct cli_opt opts_export[] = {
	{ "library", CLI_VALUE }, { "resource", CLI_VALUE },
	{ "from", CLI_VALUE }, { "to", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_mail[] = {
	{ "send", CLI_FLAG }, { NULL, 0 }
};

static const struct cli_cmd users_cmds[] = {
	{ .name = "list", .run = users_list, .usage = "users [list]",
	  .help = N_("the accounts and their grants") },
	{ .name = "add", .run = users_add, .opts = opts_users_add,
	  .min_args = 1, .max_args = 1, .usage = "users add LOGIN [--name T]",
	  .help = N_("add an account; its password is asked twice") },
	{ .name = "grant", .run = users_grant, .opts = opts_users_grant,
	  .min_args = 3, .max_args = 3,
	  .usage = "users grant LOGIN CODE P1,P2.. [--types T,..] "
	  "[--exclude T,..] [--library CODE] [--resources R,..]",
	  .help = N_("grant rights on an establishment (within one's own)") },
	{ .name = "revoke", .run = users_revoke, .min_args = 2, .max_args = 2,
	  .usage = "users revoke LOGIN CODE",
	  .help = N_("revoke an account's rights on an establishment") },
	{ .name = "disable", .run = users_state, .min_args = 1, .max_args = 1,
	  .usage = "users disable LOGIN",
	  .help = N_("disable an account; its sessions end at once (P7)") },
	{ .name = "enable", .run = users_state, .min_args = 1, .max_args = 1,
	  .usage = "users enable LOGIN",
	  .help = N_("enable a disabled account again (P7)") },
	{ .name = NULL }
};

const struct cli_cmd cli_admin_cmds[] = {
	{ .name = "init", .run = cmd_init, .opts = opts_init, .no_db = 1,
	  .usage = "init [--demo] [--force]",
	  .help = N_("create the database (with the demo data)") },
	{ .name = "settings", .run = cmd_settings, .max_args = 2,
	  .usage = "settings [KEY VALUE]",
	  .help = N_("show or change global settings (R12)") },
	{ .name = "users", .subs = users_cmds, .sub_default = "list",
	  .usage = "users [list | add LOGIN | grant LOGIN CODE PERMS | "
	  "revoke LOGIN CODE | disable LOGIN | enable LOGIN]",
	  .help = N_("accounts and their grants (P7)") },
	{ .name = "passwd", .run = cmd_passwd, .max_args = 1,
	  .usage = "passwd [LOGIN]",
	  .help = N_("change a password (another's: super-administrator)") },
	{ .name = "stats", .run = cmd_stats, .opts = opts_stats,
	  .usage = "stats --library CODE [--from D] [--to D] [--csv]",
	  .help = N_("bookings, no-shows and occupancy of a library (P6)") },
	{ .name = "export", .run = cmd_export, .opts = opts_export,
	  .min_args = 1, .max_args = 1,
	  .usage = "export csv|ical [--from D] [--to D] [--library CODE] "
	  "[--resource CODE]",
	  .help = N_("bookings for a spreadsheet or a calendar") },
	{ .name = "mail", .run = cmd_mail, .opts = opts_mail,
	  .usage = "mail [--send]",
	  .help = N_("the patrons' e-mails waiting; --send sends them over "
	  "SMTP") },
	{ .name = NULL }
};
