/*
 * The command line. Global options (-c, -d, -u, --json) are accepted
 * before or after the command. Each command is an entry of cmd_table with
 * its options; the table drives parsing, dispatch and --help. Commands read
 * through query.h and write only through op_apply(); a refusal prints one
 * line on standard error (or the API's error object with --json) and exits
 * with the status of SPEC.md section 7.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "demo.h"
#include "export.h"
#include "hours.h"
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
#include "ui.h"
#include "xmalloc.h"

#include <sodium.h>

#define EXIT_RULE	1
#define EXIT_USAGE	2
#define EXIT_FORBIDDEN	3
#define EXIT_NOT_FOUND	4

#define MAX_ARGS	16

struct cli {
	struct conf	 cfg;
	const char	*conf_path;
	const char	*db_path;
	const char	*login;
	int		 json;
	struct store	*s;
	char		*dbfile;	/* owned */
	/* Options and positional arguments of the command. */
	const char	*opt[32];
	int		 flag[32];
	const char	*args[MAX_ARGS];
	int		 nargs;
};

/* An option of a command: --name VALUE, or a --name flag. */
struct cli_opt {
	const char	*name;
	int		 takes_value;
};

struct cli_cmd {
	const char		*name;
	int			(*run)(struct cli *);
	const struct cli_opt	*opts;
	int			 min_args, max_args;
	const char		*usage;
	const char		*help;
};

/* Output. */

static int
fail(struct cli *c, enum gerr code, const char *msg)
{
	const struct gerr_info	*info = gerr_info(code);
	json_t			*o;

	if (c->json) {
		o = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", info->code,
		    "message", msg, "rule", info->rule);
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else if (info->rule != NULL || code == GERR_BAD_STATE ||
	    code == GERR_NEEDS_CONFIRMATION)
		fprintf(stderr, _("guichet: refused (%s): %s\n"), info->code,
		    msg);
	else
		fprintf(stderr, "guichet: %s\n", msg);
	return (info->exit);
}

static int
usage_error(struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
usage_error(struct cli *c, const char *fmt, ...)
{
	va_list	ap;
	char	msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return (fail(c, GERR_BAD_REQUEST, msg));
}

/* A string member of an object, or "". */
static const char *
jstr(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return (v != NULL ? v : "");
}

/* One grant of an account, as "  BUC: P1 P2 ... (scope)". */
static void
print_grant(json_t *g)
{
	int	perms = (int)json_integer_value(json_object_get(g, "perms")), i;

	printf("    %-7s", jstr(g, "establishment"));
	for (i = 0; i < 9; i++)
		if (perms & (1 << i))
			printf(" %s", perm_id((enum perm)(1 << i)));
	if (*jstr(g, "types") || *jstr(g, "exclude") || *jstr(g, "library") ||
	    *jstr(g, "resources"))
		printf("  (P8/P9 on%s%s%s%s%s%s%s%s)", *jstr(g, "types") ?
		    " types " : "", jstr(g, "types"), *jstr(g, "exclude") ?
		    " except " : "", jstr(g, "exclude"), *jstr(g, "library") ?
		    " in " : "", jstr(g, "library"), *jstr(g, "resources") ?
		    " resources " : "", jstr(g, "resources"));
	putchar('\n');
}

static void
print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY);
	putchar('\n');
}

/* The end of a listing: the JSON array, or a line saying it is empty
 * when nothing was printed; frees arr. */
static int
list_done(struct cli *c, json_t *arr, size_t shown, const char *none)
{
	if (c->json)
		print_json(arr);
	else if (shown == 0)
		printf("%s\n", none);
	json_decref(arr);
	return (0);
}

/* Options of the current command, by name. */
static const char *
opt(struct cli *c, const struct cli_cmd *cmd, const char *name)
{
	int	i;

	for (i = 0; cmd->opts != NULL && cmd->opts[i].name != NULL; i++)
		if (strcmp(cmd->opts[i].name, name) == 0)
			return (c->opt[i]);
	return (NULL);
}

static int
flag(struct cli *c, const struct cli_cmd *cmd, const char *name)
{
	int	i;

	for (i = 0; cmd->opts != NULL && cmd->opts[i].name != NULL; i++)
		if (strcmp(cmd->opts[i].name, name) == 0)
			return (c->flag[i]);
	return (0);
}

static const struct cli_cmd	*current;
#define OPT(name)	opt(c, current, name)
#define FLAG(name)	flag(c, current, name)

/* Opening the database and logging in. */

static int
open_db(struct cli *c, int flags)
{
	struct gerror	err;
	enum gerr	e;

	if (c->db_path != NULL)
		c->dbfile = xstrdup(c->db_path);
	else if (c->cfg.database != NULL)
		c->dbfile = xstrdup(c->cfg.database);
	else
		c->dbfile = conf_default_database();
	e = store_open(c->dbfile, flags, &c->s, &err);
	if (e != GERR_OK)
		return (fail(c, e, err.msg));
	c->s->desk = c->cfg.backend_url != NULL;
	return (0);
}

static char *
read_password(void)
{
	struct termios	 old, noecho;
	char		 buf[256];
	int		 fd;
	ssize_t		 n;
	const char	*env = getenv("GUICHET_PASSWORD"), *prompt;

	if (env != NULL)
		return (xstrdup(env));
	if ((fd = open("/dev/tty", O_RDWR)) == -1)
		return (NULL);
	prompt = _("Password: ");
	if (write(fd, prompt, strlen(prompt)) != (ssize_t)strlen(prompt) ||
	    tcgetattr(fd, &old) != 0) {
		close(fd);
		return (NULL);
	}
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSAFLUSH, &noecho);
	n = read(fd, buf, sizeof buf - 1);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) != 1)
		n = -1;
	close(fd);
	if (n <= 0)
		return (NULL);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return (xstrdup(buf));
}

static int
login(struct cli *c, struct account **out)
{
	const char	*who = c->login != NULL ? c->login : c->cfg.account;
	char		*password;
	struct gerror	 err;
	enum gerr	 e;

	if (who == NULL)
		return (fail(c, GERR_BAD_LOGIN, _("this command changes data and "
		    "needs a staff login: add -u ACCOUNT")));
	if ((password = read_password()) == NULL)
		return (fail(c, GERR_BAD_LOGIN, _("no password: set "
		    "GUICHET_PASSWORD or run from a terminal")));
	if (c->cfg.backend_url != NULL)
		e = sync_login(c->s, c->cfg.backend_url, who, password, out,
		    &err);
	else
		e = account_login(c->s, who, password, out, &err);
	sodium_memzero(password, strlen(password));
	free(password);
	if (e != GERR_OK)
		return (fail(c, e, err.msg));
	return (0);
}

/*
 * On a desk with a backend, sync right after a write, so that the backend
 * (the authority) decides now when it can be reached. Returns the exit
 * status: a refusal of op_id by the backend is a conflict (1).
 */
static int
sync_after(struct cli *c, const char *op_id)
{
	struct sync_report	 rep;
	struct gerror		 err;
	struct conflict		*cf = NULL;
	size_t			 n;
	char			 msg[600];

	if (sync_run(c->s, c->cfg.backend_url, &rep, &err) != GERR_OK) {
		if (!c->json)
			fprintf(stderr, _("guichet: queued, %d operation(s) "
			    "waiting for the backend: %s\n"), rep.pending,
			    err.msg);
		return (0);
	}
	if (sync_conflicts(c->s, 1, op_id, &cf, &n) != GERR_OK || n == 0) {
		free(cf);
		return (0);
	}
	snprintf(msg, sizeof msg, _("the backend refused it: %s (see 'guichet "
	    "conflicts')"), cf[0].message);
	err.code = gerr_from_code(cf[0].error);
	sync_conflicts_free(cf, n);
	return (fail(c, err.code == GERR__COUNT ? GERR_BAD_STATE : err.code,
	    msg));
}

static const char *
mail_from(struct cli *c)
{
	return (c->cfg.mail_from != NULL ? c->cfg.mail_from :
	    "guichet@localhost");
}

/* Send the patrons' e-mails an operation queued, when SMTP is set up: a
 * failure leaves them queued ('guichet mail --send' or the next write). */
static void
send_mail(struct cli *c)
{
	struct gerror	err;

	if (c->s->desk || c->cfg.smtp_url == NULL || mail_waiting(c->s) == 0)
		return;
	if (mail_send(c->s, c->cfg.smtp_url, mail_from(c), c->cfg.link_base,
	    50, NULL, &err) !=
	    GERR_OK && !c->json)
		fprintf(stderr, _("guichet: e-mail queued: %s\n"), err.msg);
}

/* Apply one operation and print its result; returns the exit status. */
static int
apply(struct cli *c, const struct account *a, const char *kind,
    json_t *payload, json_t **out)
{
	struct gerror	 err;
	json_t		*result = NULL;
	enum gerr	 e;
	char		 op_id[UUID_LEN];
	int		 rc;

	uuid_make(op_id);
	e = op_apply(c->s, a, op_id, kind, payload, &result, &err);
	if (e != GERR_OK) {
		if (e == GERR_NEEDS_CONFIRMATION && out != NULL) {
			*out = result;
			return (fail(c, e, err.msg));
		}
		json_decref(result);
		return (fail(c, e, err.msg));
	}
	if (c->s->desk && strcmp(kind, "sweep") != 0 &&
	    (rc = sync_after(c, op_id)) != 0) {
		json_decref(result);
		return (rc);
	}
	send_mail(c);
	if (out != NULL)
		*out = result;
	else
		json_decref(result);
	return (0);
}

/* Log in, apply one operation and free its payload; returns the exit
 * status, and the result (the caller frees it) when applied. */
static int
submit(struct cli *c, const char *kind, json_t *p, json_t **result)
{
	struct account	*a = NULL;
	int		 rc;

	*result = NULL;
	if ((rc = login(c, &a)) == 0)
		rc = apply(c, a, kind, p, result);
	json_decref(p);
	account_free(a);
	return (rc);
}

/* Parse "YYYY-MM-DD" or complain; today (in zone tz) if NULL. */
static int
parse_day(struct cli *c, const char *s, const char *tz, int32_t *day)
{
	if (s == NULL) {
		*day = tz_local_day(tz, clock_now());
		return (0);
	}
	if (tz_parse_date(s, day) != 0) {
		usage_error(c, _("'%s' is not a date: write it YYYY-MM-DD"), s);
		return (-1);
	}
	return (0);
}

/* A local "YYYY-MM-DDTHH:MM" for a day and minute (24:00 rolls over). */
static void
local_iso(int32_t day, int minute, char *buf, size_t len)
{
	char	date[TZ_DATE_LEN];

	day += minute / 1440;
	minute %= 1440;
	tz_format_date(day, date);
	snprintf(buf, len, "%sT%02d:%02d", date, minute / 60, minute % 60);
}

static void
fmt_local(int64_t t, const char *tz, char *date, char *hhmm)
{
	int32_t	day;
	int	minute;

	tz_utc_to_local(tz, t, &day, &minute, NULL);
	if (date != NULL)
		tz_format_date(day, date);
	if (hhmm != NULL)
		tz_format_hhmm(minute, hhmm);
}

static const char *
zone(struct cli *c)
{
	return (c->cfg.timezone != NULL ? c->cfg.timezone : TZ_DEFAULT);
}

/* Commands. */

/* A desk's replica: empty until the first sync fills it. */
static int
init_replica(struct cli *c)
{
	struct sync_report	 rep;
	struct gerror		 err;
	struct account		*a = NULL;
	enum gerr		 e;
	int			 rc;

	c->s->desk = 1;
	if (c->login != NULL) {
		if ((rc = login(c, &a)) != 0)
			return (rc);
		account_free(a);
	}
	e = sync_run(c->s, c->cfg.backend_url, &rep, &err);
	if (e != GERR_OK)
		return (fail(c, e, err.msg));
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

static int
cmd_init(struct cli *c)
{
	struct gerror	 err;
	struct stat	 sb;
	enum gerr	 e;
	char		*dir, *slash, *side;
	int		 demo = FLAG("demo");

	if (c->db_path != NULL || c->cfg.database != NULL)
		c->dbfile = xstrdup(c->db_path != NULL ? c->db_path :
		    c->cfg.database);
	else
		c->dbfile = conf_default_database();
	if (stat(c->dbfile, &sb) == 0) {
		if (!FLAG("force"))
			return (usage_error(c, _("%s exists already: add --force "
			    "to replace it (its data is lost)"), c->dbfile));
		unlink(c->dbfile);
		side = xasprintf("%s-wal", c->dbfile);
		unlink(side);
		free(side);
		side = xasprintf("%s-shm", c->dbfile);
		unlink(side);
		free(side);
	}
	/* Make the folders of the default path. */
	dir = xstrdup(c->dbfile);
	for (slash = strchr(dir + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			break;
		*slash = '/';
	}
	free(dir);
	if (c->cfg.backend_url != NULL && demo)
		return (usage_error(c, _("this desk syncs with %s: load the demo "
		    "into the backend's database, not into the desk's replica"),
		    c->cfg.backend_url));
	if ((e = store_open(c->dbfile, STORE_CREATE, &c->s, &err)) != GERR_OK)
		return (fail(c, e, err.msg));
	if (c->cfg.backend_url != NULL)
		return (init_replica(c));
	e = demo ? demo_load(c->s, &err) : demo_settings(c->s, &err);
	if (e != GERR_OK)
		return (fail(c, e, err.msg));
	if (c->json) {
		json_t *o = json_pack("{s:s,s:b}", "database", c->dbfile,
		    "demo", demo);
		print_json(o);
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
cmd_resources(struct cli *c)
{
	struct resource	*r;
	size_t		 n, i;
	json_t		*arr;
	char		 pol[64];

	if (query_resources(c->s, OPT("library"), &r, &n) != GERR_OK)
		return (fail(c, store_error(c->s, NULL, ""),
		    _("cannot read the resources")));
	if (c->json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, record_resource(&r[i]));
		print_json(arr);
		json_decref(arr);
	} else {
		printf("%-15s %-13s %-6s %-7s %4s  %s\n", "CODE", "TYPE",
		    "PLACE", "HOLDER", "CAP", "POLICY");
		for (i = 0; i < n; i++) {
			if (rtype_capacity(r[i].type))
				snprintf(pol, sizeof pol, _("sessions, %d "
				    "place(s) a patron"), r[i].places_max);
			else
				snprintf(pol, sizeof pol, _("%d min grid, max "
				    "%d, %d/day, %d/month"), r[i].granularity,
				    r[i].max_duration, r[i].day_quota,
				    r[i].month_quota);
			printf("%-15s %-13s %-6s %-7s %4d  %s%s%s\n",
			    r[i].code, rtype_name(r[i].type), r[i].library,
			    r[i].establishment, r[i].capacity, pol,
			    r[i].enabled ? "" : _(" [disabled]"),
			    r[i].public ? "" : _(" [internal]"));
		}
	}
	free(r);
	return (0);
}

/* The character of one 30-minute column of a grid row. */
static char
grid_cell(const struct grid *g, const struct grid_row *row, int64_t t,
    int64_t now)
{
	size_t			 i;
	const struct booking	*b;

	for (i = 0; i < row->nbookings; i++) {
		b = &row->bookings[i];
		if (b->start > t || b->end <= t)
			continue;
		switch (b->status) {
		case STATUS_PRESENT:
			return ('P');
		case STATUS_NO_SHOW:
			continue;
		case STATUS_PENDING:
			return (query_late(b, now, g->late) ? '!' : '?');
		default:
			return (query_late(b, now, g->late) ? '!' : '#');
		}
	}
	for (i = 0; i < row->nbookings; i++) {
		b = &row->bookings[i];
		if (b->status == STATUS_NO_SHOW && b->start <= t && b->end > t)
			return ('x');
	}
	return ('.');
}

static void
grid_text(const struct grid *g)
{
	const struct grid_row	*row;
	const char		*lib = "";
	int64_t			 now = clock_now(), t;
	int			 m, o = 0, cl = 0;
	size_t			 i, k;
	char			 a[TZ_HHMM_LEN], b[TZ_HHMM_LEN];
	char			 date[TZ_DATE_LEN];

	tz_format_date(g->day, date);
	printf(_("%s  legend: . free  # booked  ? pending  P present  ! late  "
	    "x freed  - closed\n"), date);
	for (i = 0; i < g->nrows; i++) {
		row = &g->rows[i];
		if (strcmp(lib, row->resource.library) != 0) {
			lib = row->resource.library;
			o = row->hours.open_min / 60 * 60;
			cl = row->hours.close_min;
			if (!row->hours.open) {
				printf(_("\n%s  closed%s%s\n"), lib,
				    row->hours.reason[0] ? ": " : "",
				    row->hours.reason);
			} else {
				tz_format_hhmm(row->hours.open_min, a);
				tz_format_hhmm(row->hours.close_min, b);
				printf(_("\n%s  open %s-%s\n%-15s "), lib, a, b,
				    "");
				/* A label every two hours: 4 columns. */
				for (m = o; m < cl; m += 120)
					printf("%02d  ", m / 60);
				putchar('\n');
			}
		}
		printf("%-15s ", row->resource.code);
		if (rtype_capacity(row->resource.type)) {
			if (row->nsessions == 0)
				printf("%s", _("no session"));
			for (k = 0; k < row->nsessions; k++) {
				fmt_local(row->sessions[k].start,
				    row->resource.tz, NULL, a);
				fmt_local(row->sessions[k].end,
				    row->resource.tz, NULL, b);
				printf("%s%s-%s %d/%d", k ? ", " : "", a, b,
				    row->sessions[k].taken,
				    row->sessions[k].places);
			}
		} else if (!row->hours.open)
			printf("-");
		else {
			for (m = o; m < cl; m += 30) {
				if (m < row->hours.open_min) {
					putchar(' ');
					continue;
				}
				t = tz_local_to_utc(row->resource.tz, g->day,
				    m);
				putchar(grid_cell(g, row, t, now));
			}
		}
		if (!row->resource.public)
			printf("%s", _("  (internal)"));
		else if (!row->resource.enabled)
			printf("%s", _("  (disabled)"));
		putchar('\n');
	}
}

static int
cmd_grid(struct cli *c)
{
	struct grid	*g;
	int32_t		 day;
	json_t		*arr, *o, *bs;
	size_t		 i, k;

	if (parse_day(c, OPT("date"), zone(c), &day) != 0)
		return (EXIT_USAGE);
	if (query_grid(c->s, day, OPT("library"), &g) != GERR_OK)
		return (fail(c, GERR_STORAGE, _("cannot read the day's grid")));
	if (g->nrows == 0 && OPT("library") != NULL) {
		query_grid_free(g);
		return (fail(c, GERR_NOT_FOUND, _("no resource in that library: "
		    "list them with 'guichet resources'")));
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
		print_json(arr);
		json_decref(arr);
	} else
		grid_text(g);
	query_grid_free(g);
	return (0);
}

static int
cmd_bookings(struct cli *c)
{
	struct booking_filter	 f;
	struct booking		*b;
	struct resource		 r;
	size_t			 n, i;
	int32_t			 day;
	char			 email[EMAIL_LEN], date[TZ_DATE_LEN];
	char			 t0[TZ_HHMM_LEN], t1[TZ_HHMM_LEN];
	enum status		 st;
	json_t			*arr;
	const char		*tz = zone(c);

	memset(&f, 0, sizeof f);
	f.status = -1;
	f.resource = OPT("resource");
	f.library = OPT("library");
	if (f.resource != NULL) {
		if (resource_find(c->s, f.resource, &r) != GERR_OK)
			return (fail(c, GERR_NOT_FOUND, _("no such resource: "
			    "list them with 'guichet resources'")));
		tz = r.tz;
	}
	if (OPT("date") != NULL) {
		if (parse_day(c, OPT("date"), tz, &day) != 0)
			return (EXIT_USAGE);
		f.from = tz_day_start(tz, day);
		f.to = tz_day_start(tz, day + 1);
	}
	if (OPT("email") != NULL) {
		if (rules_email_normalise(OPT("email"), email) != 0)
			return (usage_error(c, _("'%s' is not an e-mail address"),
			    OPT("email")));
		f.email = email;
	}
	if (OPT("status") != NULL) {
		if (status_parse(OPT("status"), &st) != 0)
			return (usage_error(c, _("'%s' is not a status: "
			    "pending_confirmation, confirmed, present, "
			    "cancelled, no_show or expired"), OPT("status")));
		f.status = (int)st;
	}
	if (query_bookings(c->s, &f, &b, &n) != GERR_OK)
		return (fail(c, GERR_STORAGE, _("cannot read the bookings")));
	if (c->json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, record_booking(&b[i], tz));
		print_json(arr);
		json_decref(arr);
	} else {
		for (i = 0; i < n; i++) {
			fmt_local(b[i].start, tz, date, t0);
			fmt_local(b[i].end, tz, NULL, t1);
			printf("%s  %-14s %s %s-%s  %-20s %s%s%s\n", b[i].id,
			    b[i].resource, date, t0, t1,
			    status_name(b[i].status), b[i].email,
			    b[i].name[0] ? " " : "", b[i].name);
		}
		if (n == 0)
			printf("%s\n", _("no booking"));
	}
	free(b);
	return (0);
}

static int
print_booking(struct cli *c, json_t *result, const char *verb)
{
	json_t	*id = json_object_get(result, "id");

	if (c->json)
		print_json(result);
	else if (verb == NULL)
		printf("%s\n", json_string_value(id));
	else
		printf("%s %s (%s)\n", verb, json_string_value(id),
		    json_string_value(json_object_get(result, "status")));
	return (0);
}

static int
cmd_book(struct cli *c)
{
	struct resource	 r;
	json_t		*p, *result = NULL;
	int32_t		 day;
	int		 from, to, rc;
	long		 places = 1;
	char		 s0[40], s1[40], *end;

	if (resource_find(c->s, c->args[0], &r) != GERR_OK)
		return (fail(c, GERR_NOT_FOUND, _("no such resource: list them "
		    "with 'guichet resources'")));
	/* R2: an internal resource's contact address is optional. */
	if (OPT("date") == NULL || OPT("from") == NULL || OPT("to") == NULL ||
	    (OPT("email") == NULL && !resource_internal(&r)))
		return (usage_error(c, _("book needs --date, --from, --to and "
		    "--email")));
	if (parse_day(c, OPT("date"), r.tz, &day) != 0)
		return (EXIT_USAGE);
	if (tz_parse_hhmm(OPT("from"), &from) != 0 ||
	    tz_parse_hhmm(OPT("to"), &to) != 0)
		return (usage_error(c, _("times are written HH:MM, from 00:00 to "
		    "24:00")));
	if (OPT("places") != NULL) {
		places = strtol(OPT("places"), &end, 10);
		if (*end != '\0' || places < 1 || places > 1000)
			return (usage_error(c, _("--places takes a number from 1 "
			    "to 1000")));
	}
	local_iso(day, from, s0, sizeof s0);
	local_iso(day, to, s1, sizeof s1);
	p = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s,s:I,s:s?}",
	    "resource", r.code, "start", s0, "end", s1, "email", OPT("email"),
	    "name", OPT("name"), "phone", OPT("phone"), "origin",
	    OPT("origin") != NULL ? OPT("origin") : "desk", "places",
	    (json_int_t)places, "id", OPT("id"));
	rc = submit(c, "book", p, &result);
	if (rc == 0)
		print_booking(c, result, NULL);
	json_decref(result);
	return (rc);
}

static int
cmd_change(struct cli *c)
{
	struct booking	 b;
	struct resource	 r;
	json_t		*p, *result = NULL;
	int32_t		 day;
	int		 m, rc;
	char		 iso[40];

	if (booking_find(c->s, c->args[0], &b) != GERR_OK)
		return (fail(c, GERR_NOT_FOUND, _("no such booking: find its id "
		    "with 'guichet bookings'")));
	if (resource_find(c->s, OPT("resource") != NULL ? OPT("resource") :
	    b.resource, &r) != GERR_OK)
		return (fail(c, GERR_NOT_FOUND, _("no such resource: list them "
		    "with 'guichet resources'")));
	p = json_pack("{s:s}", "id", b.id);
	if (OPT("resource") != NULL)
		json_object_set_new(p, "resource", json_string(r.code));
	day = tz_local_day(r.tz, b.start);
	if (OPT("date") != NULL && parse_day(c, OPT("date"), r.tz, &day) !=
	    0) {
		json_decref(p);
		return (EXIT_USAGE);
	}
	if ((OPT("from") != NULL && tz_parse_hhmm(OPT("from"), &m) != 0) ||
	    (OPT("to") != NULL && tz_parse_hhmm(OPT("to"), &m) != 0)) {
		json_decref(p);
		return (usage_error(c, _("times are written HH:MM")));
	}
	if (OPT("from") != NULL || OPT("date") != NULL) {
		if (OPT("from") != NULL)
			tz_parse_hhmm(OPT("from"), &m);
		else
			tz_utc_to_local(r.tz, b.start, NULL, &m, NULL);
		local_iso(day, m, iso, sizeof iso);
		json_object_set_new(p, "start", json_string(iso));
	}
	if (OPT("to") != NULL || OPT("date") != NULL) {
		if (OPT("to") != NULL)
			tz_parse_hhmm(OPT("to"), &m);
		else {
			tz_utc_to_local(r.tz, b.end, NULL, &m, NULL);
			if (m == 0)
				m = 1440;
		}
		local_iso(day, m, iso, sizeof iso);
		json_object_set_new(p, "end", json_string(iso));
	}
	if ((rc = submit(c, "change", p, &result)) == 0)
		print_booking(c, result, "changed");
	json_decref(result);
	return (rc);
}

/* cancel and checkin: an id, a kind, maybe a reason. */
static int
booking_op(struct cli *c, const char *kind, const char *verb)
{
	struct booking	 b;
	json_t		*p, *result = NULL;
	int		 rc;

	if (booking_find(c->s, c->args[0], &b) != GERR_OK)
		return (fail(c, GERR_NOT_FOUND, _("no such booking: find its id "
		    "with 'guichet bookings'")));
	p = json_pack("{s:s,s:s?}", "id", b.id, "reason", OPT("reason"));
	if ((rc = submit(c, kind, p, &result)) == 0)
		print_booking(c, result, verb);
	json_decref(result);
	return (rc);
}

static int
cmd_cancel(struct cli *c)
{
	return (booking_op(c, "cancel", "cancelled"));
}

static int
cmd_checkin(struct cli *c)
{
	return (booking_op(c, "checkin", "present"));
}

static void
print_freed(struct cli *c, json_t *result, const char *key)
{
	json_t	*list = json_object_get(result, key), *b;
	size_t	 i;

	if (c->json) {
		print_json(result);
		return;
	}
	json_array_foreach(list, i, b)
		printf("%s %s  %s  %s-%s  %s\n", key,
		    json_string_value(json_object_get(b, "id")),
		    json_string_value(json_object_get(b, "resource")),
		    json_string_value(json_object_get(b, "start")),
		    json_string_value(json_object_get(b, "end")) + 11,
		    json_string_value(json_object_get(b, "email")));
	if (json_array_size(list) == 0)
		printf(_("nothing %s\n"), key);
}

static int
cmd_free_late(struct cli *c)
{
	json_t		*p, *ids, *result;
	int		 i, rc;

	p = json_object();
	if (c->nargs > 0) {
		ids = json_array();
		for (i = 0; i < c->nargs; i++)
			json_array_append_new(ids, json_string(c->args[i]));
		json_object_set_new(p, "ids", ids);
	}
	if (OPT("establishment") != NULL)
		json_object_set_new(p, "establishment",
		    json_string(OPT("establishment")));
	if ((rc = submit(c, "free_late", p, &result)) == 0)
		print_freed(c, result, "freed");
	json_decref(result);
	return (rc);
}

static int
cmd_sweep(struct cli *c)
{
	struct account	*a = account_actor(ACTOR_SYSTEM, "sweeper");
	json_t		*p = json_object(), *result = NULL;
	int		 rc;

	rc = apply(c, a, "sweep", p, &result);
	if (rc == 0) {
		if (c->json)
			print_json(result);
		else
			printf(_("expired %lld, freed %lld\n"),
			    (long long)json_integer_value(json_object_get(
			    result, "expired")), (long long)json_integer_value(
			    json_object_get(result, "freed")));
	}
	json_decref(p);
	json_decref(result);
	account_free(a);
	return (rc);
}

static int
hours_show(struct cli *c, const struct establishment *e)
{
	static const char *const wd[] = { "", N_("Mon"), N_("Tue"),
	    N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
	struct hours	 h;
	int32_t		 day;
	long		 days = 7, i;
	char		 date[TZ_DATE_LEN], a[TZ_HHMM_LEN], b[TZ_HHMM_LEN], *end;
	json_t		*arr = json_array();

	if (parse_day(c, OPT("date"), e->tz, &day) != 0) {
		json_decref(arr);
		return (EXIT_USAGE);
	}
	if (OPT("days") != NULL) {
		days = strtol(OPT("days"), &end, 10);
		if (*end != '\0' || days < 1 || days > 366) {
			json_decref(arr);
			return (usage_error(c, _("--days takes 1 to 366")));
		}
	}
	for (i = 0; i < days; i++, day++) {
		if (hours_for_day(c->s, e->id, day, &h) != GERR_OK) {
			json_decref(arr);
			return (fail(c, GERR_STORAGE, _("cannot read the hours")));
		}
		tz_format_date(day, date);
		tz_format_hhmm(h.open_min, a);
		tz_format_hhmm(h.close_min, b);
		if (c->json)
			json_array_append_new(arr, h.open ?
			    json_pack("{s:s,s:s,s:s,s:s}", "date", date, "open",
			    a, "close", b, "reason", h.reason) :
			    json_pack("{s:s,s:b,s:s}", "date", date, "closed",
			    1, "reason", h.reason));
		else if (h.open)
			printf("%s %s  %s-%s%s%s\n", date, _(wd[tz_weekday(day)]),
			    a, b, h.exceptional ? _("  (exceptional) ") : "",
			    h.reason);
		else
			printf(_("%s %s  closed%s%s\n"), date, _(wd[tz_weekday(day)]),
			    h.reason[0] ? ": " : "", h.reason);
	}
	if (c->json)
		print_json(arr);
	json_decref(arr);
	return (0);
}

/* Ask y/N on the terminal; 0 when there is none. */
static int
confirm(const char *question)
{
	char	buf[16];
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

static int
cmd_hours(struct cli *c)
{
	struct establishment	 e;
	struct account		*a = NULL;
	const char		*sub = c->args[0];
	json_t			*p = NULL, *result = NULL;
	int			 rc;
	long			 wd;
	char			*end;

	if (c->nargs < 2)
		return (usage_error(c, _("usage: guichet hours show|set|close|"
		    "open CODE ...")));
	if (establishment_find(c->s, c->args[1], &e) != GERR_OK)
		return (fail(c, GERR_NOT_FOUND, _("no such establishment: BUC, "
		    "CLAP, CRL, CROG, CRPLM, ESPE, CAMPUS...")));
	if (strcmp(sub, "show") == 0)
		return (hours_show(c, &e));
	if (strcmp(sub, "set") == 0) {
		if (OPT("weekday") != NULL) {
			wd = strtol(OPT("weekday"), &end, 10);
			if (*end != '\0' || wd < 1 || wd > 7)
				return (usage_error(c, _("--weekday takes 1 "
				    "(Monday) to 7 (Sunday)")));
			p = json_pack("{s:s,s:I}", "establishment", e.code,
			    "weekday", (json_int_t)wd);
			if (FLAG("closed"))
				json_object_set_new(p, "closed", json_true());
		} else if (OPT("date") != NULL)
			p = json_pack("{s:s,s:s,s:s?}", "establishment",
			    e.code, "date", OPT("date"), "reason",
			    OPT("reason"));
		else
			return (usage_error(c, _("hours set needs --weekday N or "
			    "--date YYYY-MM-DD")));
		if (!FLAG("closed")) {
			if (OPT("open") == NULL || OPT("close") == NULL) {
				json_decref(p);
				return (usage_error(c, _("hours set needs --open "
				    "HH:MM and --close HH:MM (or --closed)")));
			}
			json_object_set_new(p, "open",
			    json_string(OPT("open")));
			json_object_set_new(p, "close",
			    json_string(OPT("close")));
		}
	} else if (strcmp(sub, "close") == 0 || strcmp(sub, "open") == 0) {
		if (OPT("date") == NULL)
			return (usage_error(c, _("hours %s needs --date "
			    "YYYY-MM-DD"), sub));
		p = json_pack("{s:s,s:s,s:s?}", "establishment", e.code,
		    "date", OPT("date"), "reason", OPT("reason"));
		if (FLAG("yes"))
			json_object_set_new(p, "confirm", json_true());
	} else
		return (usage_error(c, _("hours: '%s' is not show, set, close or "
		    "open"), sub));

	if ((rc = login(c, &a)) != 0) {
		json_decref(p);
		return (rc);
	}
	rc = apply(c, a, strcmp(sub, "set") == 0 ? (OPT("weekday") != NULL ?
	    "hours_week" : "hours_date") : sub, p, &result);
	if (rc != 0 && strcmp(sub, "close") == 0 && result != NULL &&
	    json_array_size(json_object_get(result, "cancelled")) > 0) {
		/* R13: list, then ask once; the confirmation is for the
		 * bookings listed (their ids), not for whatever is live. */
		print_freed(c, result, "cancelled");
		if (!c->json && confirm(_("Cancel these bookings with the "
		    "closure's reason?"))) {
			json_t	*ids = json_array(), *b;
			size_t	 i;

			json_array_foreach(json_object_get(result,
			    "cancelled"), i, b)
				json_array_append(ids, json_object_get(b,
				    "id"));
			json_object_set_new(p, "ids", ids);
			json_object_set_new(p, "confirm", json_true());
			json_decref(result);
			result = NULL;
			rc = apply(c, a, "close", p, &result);
		} else {
			json_decref(result);
			result = NULL;
		}
	}
	if (rc == 0) {
		if (strcmp(sub, "close") == 0)
			print_freed(c, result, "cancelled");
		else if (c->json)
			print_json(result);
		else
			printf("%s\n", _("done"));
	}
	json_decref(p);
	json_decref(result);
	account_free(a);
	return (rc);
}

static int
messages_list(struct cli *c)
{
	struct message_info	*m;
	json_t			*arr = json_array();
	char			 f[CLOCK_ISO_LEN], t[CLOCK_ISO_LEN];
	const char		*code = c->nargs > 1 ? c->args[1] : NULL;
	int64_t			 now = clock_now();
	size_t			 n, i;
	int			 shown = 0;

	if (query_messages(c->s, code, NULL, 0, &m, &n) != GERR_OK) {
		json_decref(arr);
		return (fail(c, GERR_STORAGE, _("cannot read the messages")));
	}
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
	return (list_done(c, arr, shown, _("no message")));
}

static int
cmd_messages(struct cli *c)
{
	struct establishment	 e;
	const char		*sub = c->nargs > 0 ? c->args[0] : "list";
	json_t			*p, *result = NULL;
	int32_t			 d0, d1;
	char			 f[40], t[40];
	long			 id;
	char			*end;
	int			 rc;

	if (strcmp(sub, "list") == 0)
		return (messages_list(c));
	if (strcmp(sub, "add") == 0) {
		if (c->nargs < 2 || OPT("kind") == NULL || OPT("text") ==
		    NULL || OPT("from") == NULL || OPT("to") == NULL)
			return (usage_error(c, _("usage: guichet messages add "
			    "CODE --kind popup|event --from YYYY-MM-DD --to "
			    "YYYY-MM-DD --text TEXT")));
		if (establishment_find(c->s, c->args[1], &e) != GERR_OK)
			return (fail(c, GERR_NOT_FOUND, _("no such "
			    "establishment")));
		if (parse_day(c, OPT("from"), e.tz, &d0) != 0 ||
		    parse_day(c, OPT("to"), e.tz, &d1) != 0)
			return (EXIT_USAGE);
		/* Whole days, the last one included. */
		local_iso(d0, 0, f, sizeof f);
		local_iso(d1 + 1, 0, t, sizeof t);
		p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "establishment", e.code,
		    "kind", OPT("kind"), "text", OPT("text"), "from", f, "to",
		    t);
		sub = "message_add";
	} else if (strcmp(sub, "remove") == 0) {
		if (c->nargs < 2)
			return (usage_error(c, _("usage: guichet messages remove "
			    "ID")));
		id = strtol(c->args[1], &end, 10);
		if (uuid_valid(c->args[1]))
			p = json_pack("{s:s}", "uid", c->args[1]);
		else if (*end != '\0' || id < 1)
			return (usage_error(c, _("'%s' is not a message id"),
			    c->args[1]));
		else
			p = json_pack("{s:I}", "id", (json_int_t)id);
		sub = "message_remove";
	} else
		return (usage_error(c, _("messages: '%s' is not list, add or "
		    "remove"), sub));
	if ((rc = submit(c, sub, p, &result)) == 0) {
		if (c->json)
			print_json(result);
		else
			printf(strcmp(sub, "message_add") == 0 ?
			    _("message %s added\n") : _("message %s removed\n"),
			    json_string_value(json_object_get(result, "uid")));
	}
	json_decref(result);
	return (rc);
}

static int
cmd_resource(struct cli *c)
{
	struct resource	 r;
	json_t		*p, *result = NULL, *o;
	int		 i, rc;
	char		*eq, *end;
	long		 n;

	if (resource_find(c->s, c->args[0], &r) != GERR_OK)
		return (fail(c, GERR_NOT_FOUND, _("no such resource: list them "
		    "with 'guichet resources'")));
	if (c->nargs == 1) {
		o = record_resource(&r);
		print_json(o);
		json_decref(o);
		return (0);
	}
	p = json_pack("{s:s}", "resource", r.code);
	for (i = 1; i < c->nargs; i++) {
		if ((eq = strchr(c->args[i], '=')) == NULL) {
			json_decref(p);
			return (usage_error(c, _("'%s': settings are written "
			    "KEY=VALUE"), c->args[i]));
		}
		*eq = '\0';
		n = strtol(eq + 1, &end, 10);
		if (strcmp(c->args[i], "enabled") == 0 || strcmp(c->args[i],
		    "public") == 0) {
			if (strcmp(eq + 1, "yes") == 0 || strcmp(eq + 1,
			    "1") == 0)
				json_object_set_new(p, c->args[i], json_true());
			else if (strcmp(eq + 1, "no") == 0 || strcmp(eq + 1,
			    "0") == 0)
				json_object_set_new(p, c->args[i],
				    json_false());
			else {
				json_decref(p);
				return (usage_error(c, _("%s takes yes or no"),
				    c->args[i]));
			}
		} else if (*end == '\0' && eq[1] != '\0')
			json_object_set_new(p, c->args[i], json_integer(n));
		else
			json_object_set_new(p, c->args[i],
			    json_string(eq + 1));
	}
	if ((rc = submit(c, "resource_set", p, &result)) == 0)
		print_json(result);
	json_decref(result);
	return (rc);
}

static int
cmd_settings(struct cli *c)
{
	json_t		*p, *o, *result = NULL;
	int		 rc;

	if (c->nargs == 0) {
		if ((o = record_settings(c->s)) == NULL)
			return (fail(c, GERR_STORAGE, _("cannot read the "
			    "settings")));
		print_json(o);
		json_decref(o);
		return (0);
	}
	if (c->nargs != 2)
		return (usage_error(c, _("usage: guichet settings [KEY VALUE]")));
	p = json_pack("{s:s,s:s}", "key", c->args[0], "value", c->args[1]);
	if ((rc = submit(c, "setting", p, &result)) == 0) {
		if (c->json)
			print_json(result);
		else
			printf("%s = %s\n", c->args[0], c->args[1]);
	}
	json_decref(result);
	return (rc);
}

static int
cmd_status(struct cli *c)
{
	int			 counts[STATUS__COUNT], i;
	long long		 outbox, seq;
	struct sync_report	 rep;
	const char		*state;
	json_t			*o, *cs;
	int32_t			 today = tz_local_day(zone(c), clock_now());

	if (query_counts(c->s, today, OPT("library"), counts) != GERR_OK)
		return (fail(c, GERR_STORAGE, _("cannot read the counts")));
	seq = query_last_change(c->s);
	sync_state(c->s, &rep);
	outbox = rep.pending;
	/* The JSON says it in English (a code); the text in the user's
	 * language. */
	state = c->cfg.backend_url == NULL ? N_("standalone") : rep.online ?
	    N_("online") : N_("offline");
	if (c->json) {
		cs = json_object();
		for (i = 0; i < STATUS__COUNT; i++)
			json_object_set_new(cs, status_name((enum status)i),
			    json_integer(counts[i]));
		o = json_pack("{s:s,s:s,s:s,s:o,s:I,s:I,s:i,s:s,s:s}",
		    "database", c->dbfile, "backend", c->cfg.backend_url !=
		    NULL ? c->cfg.backend_url : "standalone", "state", state,
		    "today", cs, "pending", (json_int_t)outbox, "last_change",
		    (json_int_t)seq, "conflicts", rep.conflicts, "last_sync",
		    rep.last_sync, "last_error", rep.last_error);
		print_json(o);
		json_decref(o);
		return (0);
	}
	printf(_("database:  %s\nbackend:   %s (%s)\npending:   %lld "
	    "operation(s)\nconflicts: %d\n"), c->dbfile,
	    c->cfg.backend_url != NULL ? c->cfg.backend_url : _("none"),
	    _(state),
	    outbox, rep.conflicts);
	if (c->cfg.backend_url != NULL)
		printf(_("last sync: %s%s%s\n"), rep.last_sync[0] ?
		    rep.last_sync : _("never"), rep.last_error[0] ?
		    _("; last error: ") : "",
		    rep.last_error);
	printf(_("changes:   %lld\ntoday:    "), seq);
	for (i = 0; i < STATUS__COUNT; i++)
		printf(" %s %d", status_name((enum status)i), counts[i]);
	putchar('\n');
	return (0);
}

/* A head count for an establishment (P5): the desk's door counter. */
static int
cmd_occupancy(struct cli *c)
{
	json_t		*p, *result = NULL;
	char		*end;
	long		 n;
	int		 rc;

	n = strtol(c->args[1], &end, 10);
	if (*end != '\0' || n < 0 || n > 1000000)
		return (usage_error(c, _("'%s' is not a head count"), c->args[1]));
	p = json_pack("{s:s,s:I}", "establishment", c->args[0], "count",
	    (json_int_t)n);
	if ((rc = submit(c, "occupancy", p, &result)) == 0) {
		if (c->json)
			print_json(result);
		else
			printf(_("%s: %ld present, %lld %% of the jauge\n"),
			    c->args[0], n, (long long)json_integer_value(
			    json_object_get(result, "percent")));
	}
	json_decref(result);
	return (rc);
}

/* The patrons' e-mails waiting; with --send, send them. */
static int
cmd_mail(struct cli *c)
{
	struct mail_info	*m;
	struct gerror		 err;
	json_t			*arr;
	size_t			 i, n;
	int			 sent = 0;
	enum gerr		 e;

	if (FLAG("send")) {
		if (c->cfg.smtp_url == NULL)
			return (usage_error(c, _("no SMTP server: set [mail] "
			    "smtp_url in guichet.ini")));
		e = mail_send(c->s, c->cfg.smtp_url, mail_from(c),
		    c->cfg.link_base, 1000, &sent, &err);
		if (!c->json)
			printf(_("sent %d, waiting %d\n"), sent,
			    mail_waiting(c->s));
		if (e != GERR_OK)
			return (fail(c, e, err.msg));
		return (0);
	}
	if (mail_list(c->s, &m, &n) != GERR_OK)
		return (fail(c, GERR_STORAGE, _("cannot read the e-mails")));
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
	return (list_done(c, arr, n, _("no e-mail waiting")));
}

/* A new password, typed twice (or GUICHET_NEW_PASSWORD), hashed here:
 * only its argon2id hash goes into the operation. NULL if refused. */
static char *
new_password(struct cli *c)
{
	const char	*env = getenv("GUICHET_NEW_PASSWORD");
	char		*a, *b, *hash;
	char		*save = getenv("GUICHET_PASSWORD") != NULL ?
			    xstrdup(getenv("GUICHET_PASSWORD")) : NULL;

	if (env != NULL)
		a = xstrdup(env), b = xstrdup(env);
	else {
		/* read_password() reads GUICHET_PASSWORD first: not here. */
		unsetenv("GUICHET_PASSWORD");
		a = read_password();
		b = a != NULL ? read_password() : NULL;
		if (save != NULL)
			setenv("GUICHET_PASSWORD", save, 1);
	}
	free(save);
	hash = NULL;
	if (a == NULL || b == NULL)
		usage_error(c, _("no new password: set GUICHET_NEW_PASSWORD or "
		    "run from a terminal"));
	else if (strcmp(a, b) != 0)
		usage_error(c, _("the two passwords differ: nothing changed"));
	else if (strlen(a) < 8)
		usage_error(c, _("a password has 8 characters at least"));
	else
		hash = account_hash_password(a);
	if (a != NULL)
		sodium_memzero(a, strlen(a));
	if (b != NULL)
		sodium_memzero(b, strlen(b));
	free(a);
	free(b);
	return (hash);
}

/* Accounts and grants (P7): list, add, grant, revoke. */
static int
cmd_users(struct cli *c)
{
	struct account	*a = NULL, *who;
	json_t		*p = NULL, *result = NULL, *arr, *o, *g;
	const char	*sub = c->nargs > 0 ? c->args[0] : "list";
	char		*hash, name[LOGIN_LEN];
	size_t		 i, k;
	int		 rc;

	if (strcmp(sub, "list") == 0) {
		arr = json_array();
		if (account_logins(c->s, &arr) != GERR_OK) {
			json_decref(arr);
			return (fail(c, GERR_STORAGE, _("cannot read the "
			    "accounts")));
		}
		for (i = 0; i < json_array_size(arr); i++) {
			strlcpy_g(name, json_string_value(json_array_get(arr,
			    i)), sizeof name);
			if (account_load(c->s, name, &who) != GERR_OK)
				continue;
			o = record_account(who);
			account_free(who);
			if (c->json) {
				json_array_set_new(arr, i, o);
				continue;
			}
			printf("%-20s %s%s%s\n", name, jstr(o, "name"),
			    json_is_true(json_object_get(o, "superadmin")) ?
			    "  [super-administrator]" : "",
			    json_is_true(json_object_get(o, "enabled")) ? "" :
			    "  [disabled]");
			json_array_foreach(json_object_get(o, "grants"), k, g)
				print_grant(g);
			json_decref(o);
		}
		if (c->json)
			print_json(arr);
		json_decref(arr);
		return (0);
	}
	if (strcmp(sub, "add") == 0 && c->nargs == 2) {
		if ((rc = login(c, &a)) != 0)
			return (rc);
		if ((hash = new_password(c)) == NULL) {
			account_free(a);
			return (EXIT_USAGE);
		}
		p = json_pack("{s:s,s:s?,s:s}", "login", c->args[1], "name",
		    OPT("name"), "password_hash", hash);
		free(hash);
		sub = "account_add";
	} else if (strcmp(sub, "grant") == 0 && c->nargs == 4) {
		p = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?}", "login",
		    c->args[1], "establishment", c->args[2], "perms",
		    c->args[3], "types", OPT("types"), "exclude",
		    OPT("exclude"), "library", OPT("library"), "resources",
		    OPT("resources"));
	} else if (strcmp(sub, "revoke") == 0 && c->nargs == 3) {
		p = json_pack("{s:s,s:s}", "login", c->args[1],
		    "establishment", c->args[2]);
	} else
		return (usage_error(c, _("usage: guichet users [list | add LOGIN "
		    "[--name T] | grant LOGIN CODE P1,P2.. [--types T,..] "
		    "[--exclude T,..] [--library CODE] [--resources R,..] | "
		    "revoke LOGIN CODE]")));
	if (a == NULL && (rc = login(c, &a)) != 0) {
		json_decref(p);
		return (rc);
	}
	rc = apply(c, a, sub, p, &result);
	if (rc == 0) {
		if (c->json)
			print_json(result);
		else {
			printf("%s\n", jstr(result, "login"));
			json_array_foreach(json_object_get(result, "grants"), i,
			    g)
				print_grant(g);
		}
	}
	json_decref(p);
	json_decref(result);
	account_free(a);
	return (rc);
}

/* The window of --from and --to: the month so far by default. */
static int
window(struct cli *c, const char *tz, int32_t *from, int32_t *to)
{
	int	y, m, d;

	if (parse_day(c, OPT("to"), tz, to) != 0)
		return (-1);
	if (OPT("from") != NULL)
		return (parse_day(c, OPT("from"), tz, from));
	tz_civil_from_days(*to, &y, &m, &d);
	*from = tz_days_from_civil(y, m, 1);
	return (0);
}

/* Statistics of a library (P6): bookings and no-shows by room and week,
 * occupancy by hour, as text or CSV. */
static int
cmd_stats(struct cli *c)
{
	struct establishment	 e;
	struct account		*a = NULL;
	struct stats		 st;
	struct gerror		 err;
	const char		*lib = OPT("library") != NULL ? OPT("library") :
				    c->cfg.library;
	int32_t			 from, to;
	size_t			 i;
	int			 rc, h, bar;
	char			 d0[TZ_DATE_LEN], d1[TZ_DATE_LEN], hours[16];

	if (lib == NULL || establishment_find(c->s, lib, &e) != GERR_OK)
		return (usage_error(c, _("stats needs --library CODE (BUC, CRL, "
		    "UJJ...)")));
	if (window(c, e.tz, &from, &to) != 0)
		return (EXIT_USAGE);
	if ((rc = login(c, &a)) != 0)
		return (rc);
	if (rights_check(c->s, a, PERM_STATS, e.id, &err) != GERR_OK) {
		account_free(a);
		return (fail(c, err.code, err.msg));
	}
	account_free(a);
	if (stats_collect(c->s, e.code, from, to, &st) != GERR_OK)
		return (fail(c, GERR_STORAGE, _("cannot read the statistics")));
	tz_format_date(from, d0);
	tz_format_date(to, d1);
	if (FLAG("csv"))
		printf("resource,week,bookings,minutes,present,no_show,"
		    "cancelled,expired\r\n");
	else
		printf(_("%s from %s to %s\n%-15s %-9s %8s %7s %7s %7s %9s\n"),
		    e.code, d0, d1, _("RESOURCE"), _("WEEK"), _("BOOKINGS"),
		    _("HOURS"), _("PRESENT"), _("NO-SHOW"), _("CANCELLED"));
	for (i = 0; i < st.nrows; i++) {
		const struct stats_row	*r = &st.rows[i];

		if (FLAG("csv")) {
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
	if (!FLAG("csv")) {
		printf(_("\noccupancy by hour (mean head count, jauge %d)\n"),
		    st.jauge);
		for (h = 0; h < 24; h++) {
			if (st.hour[h] < 0)
				continue;
			bar = st.jauge > 0 ? (int)(st.hour[h] * 50 / st.jauge) :
			    0;
			printf("%02dh %-50.*s %.0f\n", h, bar > 50 ? 50 : bar,
			    "##################################################",
			    st.hour[h]);
		}
	}
	stats_free(&st);
	return (0);
}

/* Bookings as CSV or iCalendar, those the account plans (P8) only. */
static int
cmd_export(struct cli *c)
{
	struct booking_filter	 f;
	struct booking		*b, *mine;
	struct resource		 r;
	struct account		*a = NULL;
	int32_t			 from, to;
	size_t			 n, k = 0, i;
	int			 rc, ical;
	const char		*tz = zone(c);

	if (strcmp(c->args[0], "csv") != 0 && strcmp(c->args[0], "ical") != 0)
		return (usage_error(c, _("export csv or export ical")));
	ical = strcmp(c->args[0], "ical") == 0;
	if (window(c, tz, &from, &to) != 0)
		return (EXIT_USAGE);
	if ((rc = login(c, &a)) != 0)
		return (rc);
	memset(&f, 0, sizeof f);
	f.status = -1;
	f.library = OPT("library");
	f.resource = OPT("resource");
	f.from = tz_day_start(tz, from);
	f.to = tz_day_start(tz, to + 1);
	if (query_bookings(c->s, &f, &b, &n) != GERR_OK) {
		account_free(a);
		return (fail(c, GERR_STORAGE, _("cannot read the bookings")));
	}
	/* Patrons' data to those who plan their bookings only. */
	mine = n > 0 ? xcalloc(n, sizeof *mine) : NULL;
	for (i = 0; i < n; i++)
		if (resource_find(c->s, b[i].resource, &r) == GERR_OK &&
		    rights_check_resource(a, PERM_PLANNING, &r, NULL) ==
		    GERR_OK)
			mine[k++] = b[i];
	account_free(a);
	rc = export_bookings(stdout, ical ? EXPORT_ICAL : EXPORT_CSV, c->s,
	    mine, k, clock_now());
	free(b);
	free(mine);
	if (rc != 0)
		return (fail(c, GERR_STORAGE, _("cannot write the export")));
	return (0);
}

/* Change a password: one's own, or another's as super-administrator. */
static int
cmd_passwd(struct cli *c)
{
	struct account	*a = NULL;
	json_t		*p, *result = NULL;
	char		*hash;
	int		 rc;

	if ((rc = login(c, &a)) != 0)
		return (rc);
	if ((hash = new_password(c)) == NULL) {
		account_free(a);
		return (EXIT_USAGE);
	}
	p = json_pack("{s:s?,s:s}", "login", c->nargs > 0 ? c->args[0] : NULL,
	    "password_hash", hash);
	free(hash);
	rc = apply(c, a, "passwd", p, &result);
	if (rc == 0 && !c->json)
		printf(_("password of %s changed\n"), jstr(result, "login"));
	else if (rc == 0)
		print_json(result);
	json_decref(p);
	json_decref(result);
	account_free(a);
	return (rc);
}

static int
cmd_sync(struct cli *c)
{
	struct sync_report	 rep;
	struct gerror		 err;
	struct account		*a = NULL;
	enum gerr		 e;
	int			 rc;
	json_t			*o;

	if (c->cfg.backend_url == NULL)
		return (usage_error(c, _("this desk has no backend: set [backend] "
		    "url in guichet.ini")));
	/* With -u, log in first: the session pushes that account's work. */
	if (c->login != NULL) {
		if ((rc = login(c, &a)) != 0)
			return (rc);
		account_free(a);
	}
	e = sync_run(c->s, c->cfg.backend_url, &rep, &err);
	if (c->json) {
		o = json_pack("{s:b,s:i,s:i,s:i,s:i,s:i,s:s,s:s}", "online",
		    rep.online, "pushed", rep.pushed, "rejected", rep.rejected,
		    "pulled", rep.pulled, "pending", rep.pending, "conflicts",
		    rep.conflicts, "waiting", rep.waiting, "error",
		    e != GERR_OK ? err.msg : "");
		print_json(o);
		json_decref(o);
	} else
		printf(_("pushed %d (%d refused), pulled %d, pending %d, "
		    "conflicts %d%s%s\n"), rep.pushed, rep.rejected, rep.pulled,
		    rep.pending, rep.conflicts, rep.waiting[0] ?
		    _("; waiting for a login of ") : "", rep.waiting);
	if (e != GERR_OK)
		return (c->json ? gerr_info(e)->exit : fail(c, e, err.msg));
	return (rep.rejected > 0 ? EXIT_RULE : 0);
}

static int
cmd_conflicts(struct cli *c)
{
	struct account	*a = NULL;
	struct gerror	 err;
	struct conflict	*cf;
	json_t		*arr, *payload;
	char		 at[CLOCK_ISO_LEN];
	size_t		 i, n;
	int		 rc;
	enum gerr	 e;

	if (OPT("ack") != NULL) {
		if ((rc = login(c, &a)) != 0)
			return (rc);
		e = sync_acknowledge(c->s, OPT("ack"), a->login, &err);
		account_free(a);
		if (e != GERR_OK)
			return (fail(c, e, err.msg));
		if (!c->json)
			printf(_("acknowledged %s\n"), OPT("ack"));
		return (0);
	}
	if (sync_conflicts(c->s, FLAG("all"), NULL, &cf, &n) != GERR_OK)
		return (fail(c, GERR_STORAGE, _("cannot read the conflicts")));
	arr = json_array();
	for (i = 0; i < n; i++) {
		payload = json_loads(cf[i].payload, 0, NULL);
		clock_format_iso(cf[i].at, zone(c), at);
		if (c->json) {
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,"
			    "s:s,s:s,s:s,s:s,s:o*}", "op", cf[i].op_id, "kind",
			    cf[i].kind, "account", cf[i].account, "error",
			    cf[i].error, "message", cf[i].message, "at", at,
			    "acknowledged_by", cf[i].acknowledged_by,
			    "payload", payload));
			continue;
		}
		printf(_("%s  %s by %s at %.16s: %s (%s)%s%s\n"), cf[i].op_id,
		    cf[i].kind, cf[i].account, at, cf[i].message, cf[i].error,
		    cf[i].acknowledged_by[0] ? _(", acknowledged by ") : "",
		    cf[i].acknowledged_by);
		/* What staff need to call the patron back. */
		if (json_object_get(payload, "email") != NULL)
			printf("    %s %s %s  %s %s..%s\n", jstr(payload,
			    "email"), jstr(payload, "name"), jstr(payload,
			    "phone"), jstr(payload, "resource"), jstr(payload,
			    "start"), jstr(payload, "end"));
		json_decref(payload);
	}
	sync_conflicts_free(cf, n);
	return (list_done(c, arr, n, _("no conflict")));
}

static const struct cli_opt opts_init[] = {
	{ "demo", 0 }, { "force", 0 }, { NULL, 0 }
};
static const struct cli_opt opts_library[] = {
	{ "library", 1 }, { NULL, 0 }
};
static const struct cli_opt opts_grid[] = {
	{ "date", 1 }, { "library", 1 }, { NULL, 0 }
};
static const struct cli_opt opts_bookings[] = {
	{ "date", 1 }, { "resource", 1 }, { "email", 1 }, { "status", 1 },
	{ "library", 1 }, { NULL, 0 }
};
static const struct cli_opt opts_book[] = {
	{ "date", 1 }, { "from", 1 }, { "to", 1 }, { "email", 1 },
	{ "name", 1 }, { "phone", 1 }, { "origin", 1 }, { "places", 1 },
	{ "id", 1 }, { NULL, 0 }
};
static const struct cli_opt opts_change[] = {
	{ "date", 1 }, { "from", 1 }, { "to", 1 }, { "resource", 1 },
	{ NULL, 0 }
};
static const struct cli_opt opts_cancel[] = {
	{ "reason", 1 }, { NULL, 0 }
};
static const struct cli_opt opts_free_late[] = {
	{ "establishment", 1 }, { NULL, 0 }
};
static const struct cli_opt opts_hours[] = {
	{ "date", 1 }, { "days", 1 }, { "weekday", 1 }, { "open", 1 },
	{ "close", 1 }, { "closed", 0 }, { "reason", 1 }, { "yes", 0 },
	{ NULL, 0 }
};
static const struct cli_opt opts_stats[] = {
	{ "library", 1 }, { "from", 1 }, { "to", 1 }, { "csv", 0 },
	{ NULL, 0 }
};
static const struct cli_opt opts_export[] = {
	{ "library", 1 }, { "resource", 1 }, { "from", 1 }, { "to", 1 },
	{ NULL, 0 }
};
static const struct cli_opt opts_users[] = {
	{ "name", 1 }, { "types", 1 }, { "exclude", 1 }, { "library", 1 },
	{ "resources", 1 }, { NULL, 0 }
};
static const struct cli_opt opts_mail[] = {
	{ "send", 0 }, { NULL, 0 }
};
static const struct cli_opt opts_conflicts[] = {
	{ "ack", 1 }, { "all", 0 }, { NULL, 0 }
};
static const struct cli_opt opts_messages[] = {
	{ "kind", 1 }, { "from", 1 }, { "to", 1 }, { "text", 1 }, { NULL, 0 }
};

static const struct cli_cmd cmd_table[] = {
	{ "init", cmd_init, opts_init, 0, 0, "init [--demo] [--force]",
	    N_("create the database (with the demo data)") },
	{ "resources", cmd_resources, opts_library, 0, 0,
	    "resources [--library CODE]", N_("list the resources") },
	{ "grid", cmd_grid, opts_grid, 0, 0,
	    "grid [--date YYYY-MM-DD] [--library CODE]",
	    N_("show a day's grid, one row per resource") },
	{ "bookings", cmd_bookings, opts_bookings, 0, 0,
	    "bookings [--date D] [--resource CODE] [--email ADDR] "
	    "[--status S] [--library CODE]", N_("list bookings") },
	{ "book", cmd_book, opts_book, 1, 1,
	    "book RESOURCE --date D --from HH:MM --to HH:MM --email ADDR "
	    "[--name T] [--phone T] [--origin phone|walk-in|desk] "
	    "[--places N]", N_("book a resource; prints the booking's id") },
	{ "change", cmd_change, opts_change, 1, 1,
	    "change ID [--date D] [--from HH:MM] [--to HH:MM] "
	    "[--resource CODE]", N_("extend, shorten or move a booking (R14)") },
	{ "cancel", cmd_cancel, opts_cancel, 1, 1, "cancel ID --reason TEXT",
	    N_("cancel a booking, saying why (R11)") },
	{ "checkin", cmd_checkin, NULL, 1, 1, "checkin ID",
	    N_("validate a patron's presence (R6)") },
	{ "free-late", cmd_free_late, opts_free_late, 0, MAX_ARGS,
	    "free-late [--establishment CODE] [ID ...]",
	    N_("free the bookings of late patrons (R6)") },
	{ "sweep", cmd_sweep, NULL, 0, 0, "sweep",
	    N_("expire unconfirmed bookings (R5), free late ones (R6)") },
	{ "hours", cmd_hours, opts_hours, 2, 2,
	    "hours show|set|close|open CODE [--date D] [--days N] "
	    "[--weekday N] [--open HH:MM --close HH:MM | --closed] "
	    "[--reason T] [--yes]", N_("show or change opening hours (R4, R13)") },
	{ "messages", cmd_messages, opts_messages, 0, 2,
	    "messages [list [CODE] | add CODE --kind popup|event --from D "
	    "--to D --text T | remove ID]", N_("pop-up and event messages (R10)") },
	{ "resource", cmd_resource, NULL, 1, MAX_ARGS,
	    "resource CODE [KEY=VALUE ...]",
	    N_("show or change a resource's settings (P9)") },
	{ "settings", cmd_settings, NULL, 0, 2, "settings [KEY VALUE]",
	    N_("show or change global settings (R12)") },
	{ "status", cmd_status, opts_library, 0, 0, "status",
	    N_("database, backend, pending operations, today's counts") },
	{ "occupancy", cmd_occupancy, NULL, 2, 2, "occupancy CODE COUNT",
	    N_("set the head count of an establishment (P5)") },
	{ "mail", cmd_mail, opts_mail, 0, 0, "mail [--send]",
	    N_("the patrons' e-mails waiting; --send sends them over SMTP") },
	{ "stats", cmd_stats, opts_stats, 0, 0,
	    "stats --library CODE [--from D] [--to D] [--csv]",
	    N_("bookings, no-shows and occupancy of a library (P6)") },
	{ "export", cmd_export, opts_export, 1, 1,
	    "export csv|ical [--from D] [--to D] [--library CODE] "
	    "[--resource CODE]",
	    N_("bookings for a spreadsheet or a calendar") },
	{ "users", cmd_users, opts_users, 0, 4,
	    "users [list | add LOGIN | grant LOGIN CODE PERMS | revoke LOGIN "
	    "CODE]", N_("accounts and their grants (P7)") },
	{ "passwd", cmd_passwd, NULL, 0, 1, "passwd [LOGIN]",
	    N_("change a password (another's: super-administrator)") },
	{ "sync", cmd_sync, NULL, 0, 0, "sync",
	    N_("push the queued operations to the backend, pull its changes") },
	{ "conflicts", cmd_conflicts, opts_conflicts, 0, 0,
	    "conflicts [--all] [--ack OP_ID]",
	    N_("operations the backend refused, to handle and acknowledge") },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL }
};

static void
usage(FILE *f)
{
	const struct cli_cmd	*cmd;

	fprintf(f, _("usage: guichet [-c FILE] [-d FILE] [-u ACCOUNT] [--json] "
	    "[COMMAND ...]\n\nWithout a command, opens the full-screen "
	    "interface. Commands:\n"));
	for (cmd = cmd_table; cmd->name != NULL; cmd++)
		fprintf(f, "  %-10s %s\n", cmd->name, _(cmd->help));
	fprintf(f, "%s", _("\n'guichet COMMAND --help' shows a command's "
	    "options; see guichet(1).\n"));
}

/* A global option at argv[*i]; 1 if taken, -1 on error. */
static int
global_opt(struct cli *c, int argc, char **argv, int *i)
{
	const char	*a = argv[*i];
	const char	**slot = NULL;

	if (strcmp(a, "--json") == 0) {
		c->json = 1;
		return (1);
	}
	if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0)
		slot = &c->conf_path;
	else if (strcmp(a, "-d") == 0 || strcmp(a, "--database") == 0)
		slot = &c->db_path;
	else if (strcmp(a, "-u") == 0 || strcmp(a, "--user") == 0)
		slot = &c->login;
	if (slot == NULL)
		return (0);
	if (*i + 1 >= argc) {
		usage_error(c, _("%s needs a value"), a);
		return (-1);
	}
	*slot = argv[++*i];
	return (1);
}

/* Parse a command's arguments into c->opt, c->flag and c->args. */
static int
parse_args(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv)
{
	int		 i, k, r;
	const char	*name, *eq;
	size_t		 len;

	for (i = 0; i < argc; i++) {
		if ((r = global_opt(c, argc, argv, &i)) != 0) {
			if (r < 0)
				return (EXIT_USAGE);
			continue;
		}
		if (strncmp(argv[i], "--", 2) != 0 || argv[i][2] == '\0') {
			if (c->nargs >= MAX_ARGS || (argv[i][0] == '-' &&
			    argv[i][1] != '\0'))
				return (usage_error(c, _("%s: unknown option %s; "
				    "usage: guichet %s"), cmd->name, argv[i],
				    cmd->usage));
			c->args[c->nargs++] = argv[i];
			continue;
		}
		name = argv[i] + 2;
		eq = strchr(name, '=');
		len = eq != NULL ? (size_t)(eq - name) : strlen(name);
		for (k = 0; cmd->opts != NULL && cmd->opts[k].name != NULL;
		    k++)
			if (strlen(cmd->opts[k].name) == len &&
			    strncmp(cmd->opts[k].name, name, len) == 0)
				break;
		if (cmd->opts == NULL || cmd->opts[k].name == NULL)
			return (usage_error(c, _("%s: unknown option --%.*s; "
			    "usage: guichet %s"), cmd->name, (int)len, name,
			    cmd->usage));
		if (!cmd->opts[k].takes_value) {
			c->flag[k] = 1;
			continue;
		}
		if (eq != NULL)
			c->opt[k] = eq + 1;
		else if (i + 1 < argc)
			c->opt[k] = argv[++i];
		else
			return (usage_error(c, _("--%s needs a value"),
			    cmd->opts[k].name));
	}
	if (c->nargs < cmd->min_args || c->nargs > cmd->max_args)
		return (usage_error(c, _("usage: guichet %s"), cmd->usage));
	return (0);
}

int
cli_main(int argc, char **argv)
{
	struct cli		 c;
	struct gerror		 err;
	const struct cli_cmd	*cmd;
	int			 i, r, rc;
	enum gerr		 e;

	memset(&c, 0, sizeof c);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i],
		    "--help") == 0) {
			if (i > 1 && argv[i - 1][0] != '-')
				break;
			usage(stdout);
			return (0);
		}
		if (strcmp(argv[i], "-V") == 0 || strcmp(argv[i],
		    "--version") == 0) {
			printf("guichet %s\n", PACKAGE_VERSION);
			return (0);
		}
		if ((r = global_opt(&c, argc, argv, &i)) < 0)
			return (EXIT_USAGE);
		if (r == 0)
			break;
	}
	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
	if ((e = clock_init(&err)) != GERR_OK)
		return (fail(&c, e, err.msg));
	if ((e = conf_load(&c.cfg, c.conf_path, &err)) != GERR_OK) {
		rc = fail(&c, e, err.msg);
		conf_free(&c.cfg);
		return (rc);
	}
	if (i >= argc) {
		/* No command: the full-screen interface. */
		if ((rc = open_db(&c, 0)) == 0)
			rc = ui_run(c.s, &c.cfg, c.login);
		store_close(c.s);
		free(c.dbfile);
		conf_free(&c.cfg);
		return (rc);
	}
	for (cmd = cmd_table; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, argv[i]) == 0)
			break;
	if (cmd->name == NULL) {
		rc = usage_error(&c, _("'%s' is not a command; 'guichet --help' "
		    "lists them"), argv[i]);
		conf_free(&c.cfg);
		return (rc);
	}
	current = cmd;
	if (i + 1 < argc && (strcmp(argv[i + 1], "--help") == 0 ||
	    strcmp(argv[i + 1], "-h") == 0)) {
		printf(_("usage: guichet %s\n  %s\n"), cmd->usage,
		    _(cmd->help));
		conf_free(&c.cfg);
		return (0);
	}
	rc = parse_args(&c, cmd, argc - i - 1, argv + i + 1);
	if (rc == 0 && cmd->run != cmd_init)
		rc = open_db(&c, 0);
	if (rc == 0)
		rc = cmd->run(&c);
	fflush(stdout);
	store_close(c.s);
	free(c.dbfile);
	conf_free(&c.cfg);
	return (rc);
}
