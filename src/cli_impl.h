/*
 * Between the files of the command line: cli.c (parsing, dispatch, the
 * shared helpers below) and one file a subject, each holding the table of
 * its commands next to their handlers: cli_booking.c (the day's grid and
 * the bookings), cli_place.c (resources, hours, messages, head counts),
 * cli_admin.c (database, settings, accounts, statistics, exports, mail)
 * and cli_sync.c (status, sync, conflicts).
 *
 * Adding a command is one entry in its subject's table and one handler:
 *
 *	static const struct cli_opt opts_frob[] = {
 *		{ "date", CLI_VALUE }, { "force", CLI_FLAG }, { NULL, 0 }
 *	};
 *	{ .name = "frob", .run = cmd_frob, .opts = opts_frob,
 *	    .min_args = 1, .max_args = 1, .usage = "frob ID [--date D]",
 *	    .help = N_("frobnicate a booking") },
 *
 * and the handler reads its options and arguments from what it is given:
 * cli_opt(a, "date") (NULL when absent), cli_flag(a, "force"),
 * a->argv[0] .. a->argv[a->argc - 1].
 */
#ifndef GUICHET_CLI_IMPL_H
#define GUICHET_CLI_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "conf.h"
#include "error.h"

/* Exit statuses that are not an error's (SPEC.md section 7). */
#define EXIT_RULE	1
#define EXIT_USAGE	2

/* The most options a command has, and positional arguments it takes. */
#define CLI_MAX_OPTS	32
#define CLI_MAX_ARGS	16

struct account;
struct store;

/* The program's state: configuration, global options, the database. */
struct cli {
	struct conf	 cfg;
	const char	*conf_path;	/* -c */
	const char	*db_path;	/* -d */
	const char	*login;		/* -u */
	int		 json;		/* --json */
	struct store	*s;
	char		*dbfile;	/* owned */
};

/* An option of a command: --name VALUE, or a --name flag. */
#define CLI_FLAG	0
#define CLI_VALUE	1
struct cli_opt {
	const char	*name;
	int		 takes_value;
};

struct cli_args;

struct cli_cmd {
	const char		*name;
	int			(*run)(struct cli *c, struct cli_args *a);
	/* NULL-terminated; NULL for none. */
	const struct cli_opt	*opts;
	int			 min_args, max_args;
	const char		*usage;		/* without "guichet " */
	const char		*help;		/* N_() */
	/* Subcommands: the first argument names one (NULL-terminated). */
	const struct cli_cmd	*subs;
	/* With subs: the one run when none is named, or NULL. */
	const char		*sub_default;
	/* Runs without opening the database first (init). */
	int			 no_db;
};

/* What a command was given: its options by name, then its arguments. */
struct cli_args {
	const struct cli_cmd	*cmd;
	const char		*value[CLI_MAX_OPTS];
	int			 set[CLI_MAX_OPTS];
	const char		*argv[CLI_MAX_ARGS];
	int			 argc;
};

/* The command tables of each subject, NULL-terminated. */
extern const struct cli_cmd	cli_booking_cmds[];
extern const struct cli_cmd	cli_place_cmds[];
extern const struct cli_cmd	cli_admin_cmds[];
extern const struct cli_cmd	cli_sync_cmds[];
extern const struct cli_cmd	cli_staff_cmds[];
extern const struct cli_cmd	cli_qr_cmds[];
/* cli_staff.c: 'resources add', in cli_place.c's table. */
int	 cli_resources_add(struct cli *c, struct cli_args *a);

/* A value option as given, or NULL; a flag, 1 if given. The name must be
 * in the command's table. */
const char	*cli_opt(const struct cli_args *a, const char *name);
int		 cli_flag(const struct cli_args *a, const char *name);

/* Print a refusal (text on stderr, or the API's error object with
 * --json); returns the exit status of code. */
int	 cli_fail(struct cli *c, enum gerr code, const char *msg);
/* A usage error (exit 2), its message formatted. */
int	 cli_usage_error(struct cli *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Output. */
void		 cli_print_json(json_t *v);
/* On a terminal, escape the control characters stdout prints (R16). */
void		 cli_safe_stdout(struct cli *c);
/* End a listing: the JSON array, or the line none when nothing was
 * shown; frees arr; returns 0. */
int		 cli_list_done(struct cli *c, json_t *arr, size_t shown,
		    const char *none);
/* A string member of an object, or "". */
const char	*cli_jstr(json_t *o, const char *key);
/* A booking's result: its id (verb NULL), or "verb ID (status)". */
void		 cli_print_booking(struct cli *c, json_t *result,
		    const char *verb);
/* The bookings listed under key in result, one line each. */
void		 cli_print_freed(struct cli *c, json_t *result,
		    const char *key);

/* Dates and times. */
const char	*cli_zone(struct cli *c);
/* "YYYY-MM-DD" in zone tz, or today if s is NULL; -1 after a usage
 * error was printed. */
int		 cli_parse_day(struct cli *c, const char *str, const char *tz,
		     int32_t *day);
/* A local "YYYY-MM-DDTHH:MM" for a day and a minute (24:00 rolls over). */
void		 cli_local_iso(int32_t day, int minute, char *buf, size_t len);
/* An instant's local date (TZ_DATE_LEN) and time (TZ_HHMM_LEN); either
 * may be NULL. */
void		 cli_fmt_local(int64_t t, const char *tz, char *date,
		    char *hhmm);

/* Logging in and writing. */
/* The password from GUICHET_PASSWORD or the terminal; NULL if none. */
char		*cli_read_password(void);
/* Log in the account of -u (or the configuration); 0 or the exit
 * status after the refusal was printed. */
int		 cli_login(struct cli *c, struct account **out);
/* Apply one operation as account a (payload kept), sync it on a desk,
 * send the mail it queued; returns the exit status, and the result in
 * out (may be NULL; also set on a refusal that has details, such as
 * R13's lists). */
int		 cli_apply(struct cli *c, const struct account *a,
		    const char *kind, json_t *payload, json_t **out);
/* Log in, apply one operation and free its payload. */
int		 cli_submit(struct cli *c, const char *kind, json_t *p,
		    json_t **result);
/* Ask y/N on the terminal; 0 when there is none. */
int		 cli_confirm(const char *question);
/* The database file the options or the configuration name (owned by
 * the caller). */
char		*cli_db_path(struct cli *c);
const char	*cli_mail_from(struct cli *c);

#endif
