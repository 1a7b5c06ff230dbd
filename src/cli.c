/*
 * The command line: parsing, dispatch and the helpers every command
 * shares to log in and write. The commands live in one file a subject
 * (cli_impl.h), each a table of entries with their options; the tables
 * drive parsing (getopt_long, global options -c, -d, -u and --json
 * before or after the command, "--" ending the options), dispatch to
 * subcommands and --help. Commands read through query.h and write only
 * through op_apply(); a refusal prints one line on standard error (or the
 * API's error object with --json) and exits with the status of SPEC.md
 * section 7.
 */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "backend.h"
#include "cli_impl.h"
#include "clock.h"
#include "conf.h"
#include "i18n.h"
#include "mail.h"
#include "ops.h"
#include "rights.h"
#include "store.h"
#include "sync.h"
#include "ui.h"
#include "xmalloc.h"

#include <sodium.h>

/* The subjects' tables, in the order --help lists them. */
static const struct cli_cmd *const cmd_tables[] = {
	cli_admin_cmds, cli_booking_cmds, cli_place_cmds, cli_sync_cmds,
	cli_staff_cmds, cli_qr_cmds
};

/* getopt_long's codes for the global options; a command's own options
 * are OPT_BASE + their index in its table. */
enum {
	OPT_JSON = 256,
	OPT_BASE
};

static const struct option global_longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "database", required_argument, NULL, 'd' },
	{ "user", required_argument, NULL, 'u' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};
#define GLOBAL_SHORTOPTS	"c:d:u:h"

/* Options of a command, by name. */

static int
opt_index(const struct cli_args *a, const char *name)
{
	int	i;

	for (i = 0; a->cmd->opts != NULL && a->cmd->opts[i].name != NULL; i++)
		if (strcmp(a->cmd->opts[i].name, name) == 0)
			return (i);
	fatalx("%s: no option --%s in the table", a->cmd->name, name);
}

const char *
cli_opt(const struct cli_args *a, const char *name)
{
	return (a->value[opt_index(a, name)]);
}

int
cli_flag(const struct cli_args *a, const char *name)
{
	return (a->set[opt_index(a, name)]);
}

/* Opening the database and logging in. */

char *
cli_db_path(struct cli *c)
{
	if (c->db_path != NULL)
		return (xstrdup(c->db_path));
	if (c->cfg.database != NULL)
		return (xstrdup(c->cfg.database));
	return (conf_default_database());
}

static int
open_db(struct cli *c)
{
	struct gerror	err;
	enum gerr	e;

	/* A malformed backend URL is a configuration error, before any
	 * work is taken (not "offline" after). */
	if (c->cfg.backend_url != NULL && (e = backend_check_url(
	    c->cfg.backend_url, &err)) != GERR_OK)
		return (cli_fail(c, e, err.msg));
	c->dbfile = cli_db_path(c);
	if ((e = store_open(c->dbfile, 0, &c->s, &err)) != GERR_OK)
		return (cli_fail(c, e, err.msg));
	store_set_desk(c->s, c->cfg.backend_url != NULL);
	return (0);
}

char *
cli_read_password(void)
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

int
cli_login(struct cli *c, struct account **out)
{
	const char	*who = c->login != NULL ? c->login : c->cfg.account;
	char		*password;
	struct gerror	 err;
	enum gerr	 e;

	if (who == NULL)
		return (cli_fail(c, GERR_BAD_LOGIN, _("this command changes data "
		    "and needs a staff login: add -u ACCOUNT")));
	if ((password = cli_read_password()) == NULL)
		return (cli_fail(c, GERR_BAD_LOGIN, _("no password: set "
		    "GUICHET_PASSWORD or run from a terminal")));
	if (c->cfg.backend_url != NULL)
		e = sync_login(c->s, c->cfg.backend_url, who, password, out,
		    &err);
	else
		e = account_login(c->s, who, password, out, &err);
	sodium_memzero(password, strlen(password));
	free(password);
	if (e != GERR_OK)
		return (cli_fail(c, e, err.msg));
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
	enum gerr		 e;

	if ((e = sync_run(c->s, c->cfg.backend_url, &rep, &err)) !=
	    GERR_OK) {
		/* Queued and fine offline; a desk that cannot read its own
		 * outbox must say so (exit 6). */
		if (e != GERR_UNREACHABLE)
			return (cli_fail(c, e, err.msg));
		if (!c->json)
			fprintf(stderr, ngettext("guichet: queued, %d "
			    "operation waiting for the backend: %s\n",
			    "guichet: queued, %d operations waiting for the "
			    "backend: %s\n", rep.pending), rep.pending,
			    err.msg);
		return (0);
	}
	if (sync_conflicts(c->s, 1, op_id, &cf, &n) != GERR_OK || n == 0) {
		free(cf);
		return (0);
	}
	/* Refused, but what it wanted holds on the backend all the same. */
	if (strcmp(cf[0].acknowledged_by, SYNC_SELF_ACK) == 0) {
		sync_conflicts_free(cf, n);
		return (0);
	}
	snprintf(msg, sizeof msg, _("the backend refused it: %s (see 'guichet "
	    "conflicts')"), cf[0].message);
	err.code = gerr_from_code(cf[0].error);
	sync_conflicts_free(cf, n);
	return (cli_fail(c, err.code == GERR__COUNT ? GERR_BAD_STATE :
	    err.code, msg));
}

const char *
cli_mail_from(struct cli *c)
{
	return (c->cfg.mail_from != NULL ? c->cfg.mail_from :
	    "guichet@localhost");
}

/* Write the patrons' e-mails an operation queued, and send them when SMTP
 * is set up: a failure leaves them queued ('guichet mail --send' or the
 * next write). */
static void
send_mail(struct cli *c)
{
	struct gerror	err;

	if (store_desk(c->s))
		return;
	if (mail_compose(c->s, &err) != GERR_OK && !c->json)
		fprintf(stderr, _("guichet: e-mail queued: %s\n"), err.msg);
	if (c->cfg.smtp_url == NULL || mail_waiting(c->s) == 0)
		return;
	if (mail_send(c->s, c->cfg.smtp_url, cli_mail_from(c),
	    c->cfg.link_base, 50, NULL, &err) != GERR_OK && !c->json)
		fprintf(stderr, _("guichet: e-mail queued: %s\n"), err.msg);
}

int
cli_apply(struct cli *c, const struct account *a, const char *kind,
    json_t *payload, json_t **out)
{
	struct gerror	 err;
	json_t		*result = NULL;
	enum gerr	 e;
	char		 op_id[UUID_LEN];
	int		 rc;

	uuid_make(op_id);
	if ((e = op_apply(c->s, a, op_id, kind, payload, &result, &err)) !=
	    GERR_OK) {
		/* A refusal's details (R13's lists) go to the caller. */
		if (out != NULL)
			*out = result;
		else
			json_decref(result);
		return (cli_fail(c, e, err.msg));
	}
	if (store_desk(c->s) && !op_kind_local(kind) &&
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

int
cli_submit(struct cli *c, const char *kind, json_t *p, json_t **result)
{
	struct account	*a = NULL;
	int		 rc;

	*result = NULL;
	if ((rc = cli_login(c, &a)) == 0)
		rc = cli_apply(c, a, kind, p, result);
	json_decref(p);
	account_free(a);
	return (rc);
}

/* Help. */

static void
usage(FILE *f)
{
	const struct cli_cmd	*cmd;
	size_t			 i;

	fprintf(f, _("usage: guichet [-c FILE] [-d FILE] [-u ACCOUNT] [--json] "
	    "[COMMAND ...]\n\nWithout a command, opens the full-screen "
	    "interface. Commands:\n"));
	for (i = 0; i < sizeof cmd_tables / sizeof cmd_tables[0]; i++)
		for (cmd = cmd_tables[i]; cmd->name != NULL; cmd++)
			fprintf(f, "  %-10s %s\n", cmd->name, _(cmd->help));
	fprintf(f, "%s", _("\n'guichet COMMAND --help' shows a command's "
	    "options; see guichet(1).\n"));
}

/* A command's usage lines (one a subcommand) and what it does. */
static void
command_help(const struct cli_cmd *cmd)
{
	const struct cli_cmd	*sub;

	if (cmd->subs == NULL) {
		printf(_("usage: guichet %s\n  %s\n"), cmd->usage,
		    _(cmd->help));
		return;
	}
	printf("%s\n", _(cmd->help));
	for (sub = cmd->subs; sub->name != NULL; sub++)
		printf("  guichet %s\n      %s\n", sub->usage, _(sub->help));
}

static const struct cli_cmd *
find_cmd(const struct cli_cmd *table, const char *name)
{
	for (; table->name != NULL; table++)
		if (strcmp(table->name, name) == 0)
			return (table);
	return (NULL);
}

/* "a, b or c": the names of a table, for a refusal. */
static void
names(const struct cli_cmd *table, char *buf, size_t len)
{
	const struct cli_cmd	*t;
	size_t			 off = 0;

	buf[0] = '\0';
	for (t = table; t->name != NULL && off < len; t++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    t == table ? "" : t[1].name != NULL ? ", " : _(" or "),
		    t->name);
}

/* Parsing. */

/* A global option met while parsing; 0 if ch is not one. */
static int
global_opt(struct cli *c, int ch)
{
	switch (ch) {
	case 'c':
		c->conf_path = optarg;
		return (1);
	case 'd':
		c->db_path = optarg;
		return (1);
	case 'u':
		c->login = optarg;
		return (1);
	case OPT_JSON:
		c->json = 1;
		return (1);
	}
	return (0);
}

/* The option getopt_long refused, as the user wrote it. */
static const char *
bad_option(char **argv, char *buf, size_t len)
{
	if (optopt != 0 && optopt < OPT_JSON) {
		snprintf(buf, len, "-%c", optopt);
		return (buf);
	}
	return (argv[optind - 1]);
}

/*
 * Parse a command's options and arguments (argv[0] is its name) into a,
 * with the global options; 1 when --help was asked (and printed), 0, or
 * the exit status of a usage error.
 */
static int
parse_args(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv,
    struct cli_args *a)
{
	struct option	 lo[CLI_MAX_OPTS + 8];
	size_t		 n = 0, k;
	int		 ch, i;
	char		 buf[8];

	memset(a, 0, sizeof *a);
	a->cmd = cmd;
	for (i = 0; cmd->opts != NULL && cmd->opts[i].name != NULL; i++) {
		if (i == CLI_MAX_OPTS)
			fatalx("%s: too many options", cmd->name);
		lo[n].name = cmd->opts[i].name;
		lo[n].has_arg = cmd->opts[i].takes_value ? required_argument :
		    no_argument;
		lo[n].flag = NULL;
		lo[n++].val = OPT_BASE + i;
	}
	for (k = 0; k < sizeof global_longopts / sizeof global_longopts[0];
	    k++)
		lo[n++] = global_longopts[k];
	optind = 0;	/* GNU: start again, on a new argv */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":" GLOBAL_SHORTOPTS, lo,
	    NULL)) != -1) {
		if (global_opt(c, ch))
			continue;
		if (ch == 'h') {
			command_help(cmd);
			return (1);
		}
		if (ch == '?')
			return (cli_usage_error(c, _("unknown option %s; usage: "
			    "guichet %s"), bad_option(argv, buf, sizeof buf),
			    cmd->usage));
		if (ch == ':')
			return (cli_usage_error(c, _("%s needs a value"),
			    bad_option(argv, buf, sizeof buf)));
		a->value[ch - OPT_BASE] = optarg;
		a->set[ch - OPT_BASE] = 1;
	}
	for (i = optind; i < argc; i++) {
		if (a->argc == CLI_MAX_ARGS)
			return (cli_usage_error(c, _("usage: guichet %s"),
			    cmd->usage));
		a->argv[a->argc++] = argv[i];
	}
	if (a->argc < cmd->min_args || a->argc > cmd->max_args)
		return (cli_usage_error(c, _("usage: guichet %s"), cmd->usage));
	return (0);
}

/* Whether --help (or -h) is among a command's words. */
static int
asks_help(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i],
		    "-h") == 0)
			return (1);
	return (0);
}

/* Global options may come between a command and its subcommand: move
 * the subcommand's name, the first word that is not one, to argv[1]. */
static void
sub_first(int argc, char **argv)
{
	static const char *const valued[] = { "-c", "-d", "-u", "--config",
	    "--database", "--user" };
	char	*name;
	size_t	 k;
	int	 i, skip;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		for (skip = 0, k = 0; k < sizeof valued / sizeof valued[0];
		    k++)
			if (strcmp(argv[i], valued[k]) == 0)
				skip = 1;
		if (!skip && strcmp(argv[i], "--json") != 0 &&
		    strncmp(argv[i], "--", 2) == 0 && strchr(argv[i], '=') ==
		    NULL)
			return;	/* a command's own option: not before */
		i += skip;
	}
	if (i <= 1 || i >= argc)
		return;
	name = argv[i];
	memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof *argv);
	argv[1] = name;
}

/* Find the command or subcommand argv names (argv[0] is the command's
 * name) and parse what it is given into a; 1 when --help was asked (and
 * printed), 0, or the exit status of a usage error. */
static int
resolve(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv,
    struct cli_args *a)
{
	const struct cli_cmd	*sub;
	char			 list[256];
	int			 rc;

	if (cmd->subs != NULL) {
		sub_first(argc, argv);
		if (argc > 1 && argv[1][0] != '-') {
			if ((sub = find_cmd(cmd->subs, argv[1])) != NULL)
				return (resolve(c, sub, argc - 1, argv + 1, a));
			names(cmd->subs, list, sizeof list);
			return (cli_usage_error(c, _("%s: '%s' is not %s"),
			    cmd->name, argv[1], list));
		}
		if (asks_help(argc, argv)) {
			command_help(cmd);
			return (1);
		}
		if (cmd->sub_default != NULL)
			return (resolve(c, find_cmd(cmd->subs,
			    cmd->sub_default), argc, argv, a));
	}
	if ((rc = parse_args(c, cmd, argc, argv, a)) != 0)
		return (rc);
	if (cmd->run == NULL) {
		names(cmd->subs, list, sizeof list);
		return (cli_usage_error(c, _("%s needs a subcommand: %s; 'guichet "
		    "%s --help' shows them"), cmd->name, list, cmd->name));
	}
	return (0);
}

/* No command: the full-screen interface, on a terminal only. */
static int
interface(struct cli *c)
{
	int	rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return (cli_usage_error(c, _("the full-screen interface needs a "
		    "terminal on standard input and output: give a command "
		    "('guichet --help' lists them)")));
	if ((rc = open_db(c)) == 0)
		rc = ui_run(c->s, &c->cfg, c->login);
	return (rc);
}

int
cli_main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "database", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli			 c;
	struct gerror			 err;
	const struct cli_cmd		*cmd = NULL;
	struct cli_args			 a;
	size_t				 i;
	int				 ch, rc;
	char				 buf[8];
	enum gerr			 e;

	memset(&c, 0, sizeof c);
	/* Global options up to the command ("+": stop there). */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:" GLOBAL_SHORTOPTS "V",
	    longopts, NULL)) != -1) {
		if (global_opt(&c, ch))
			continue;
		switch (ch) {
		case 'h':
			usage(stdout);
			return (0);
		case 'V':
			printf("guichet %s\n", PACKAGE_VERSION);
			return (0);
		case ':':
			return (cli_usage_error(&c, _("%s needs a value"),
			    bad_option(argv, buf, sizeof buf)));
		default:
			return (cli_usage_error(&c, _("unknown option %s; "
			    "'guichet --help' lists the options"),
			    bad_option(argv, buf, sizeof buf)));
		}
	}
	if (optind < argc) {
		for (i = 0; cmd == NULL &&
		    i < sizeof cmd_tables / sizeof cmd_tables[0]; i++)
			cmd = find_cmd(cmd_tables[i], argv[optind]);
		if (cmd == NULL)
			return (cli_usage_error(&c, _("'%s' is not a command; "
			    "'guichet --help' lists them"), argv[optind]));
		if ((rc = resolve(&c, cmd, argc - optind, argv + optind,
		    &a)) != 0)
			return (rc == 1 ? 0 : rc);
	}
	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
	if ((e = clock_init(&err)) != GERR_OK)
		return (cli_fail(&c, e, err.msg));
	/* One bound on the backend for the whole command (login, push,
	 * pull): past it, the work stays queued. The interface's worker
	 * bounds each of its syncs instead. */
	if (cmd != NULL)
		backend_bound(BACKEND_BOUND_MS);
	if ((e = conf_load(&c.cfg, c.conf_path, &err)) != GERR_OK)
		rc = cli_fail(&c, e, err.msg);
	else if (cmd == NULL)
		rc = interface(&c);
	else if ((rc = a.cmd->no_db ? 0 : open_db(&c)) == 0) {
		cli_safe_stdout(&c);
		rc = a.cmd->run(&c, &a);
	}
	fflush(stdout);
	store_close(c.s);
	free(c.dbfile);
	conf_free(&c.cfg);
	return (rc);
}
