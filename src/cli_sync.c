/*
 * The desk and its backend: status, sync and the conflicts the backend
 * left to handle.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli_impl.h"
#include "clock.h"
#include "domain.h"
#include "i18n.h"
#include "query.h"
#include "store.h"
#include "sync.h"
#include "tz.h"

static int
cmd_status(struct cli *c, struct cli_args *a)
{
	int			 counts[STATUS__COUNT], i;
	long long		 outbox, seq;
	struct sync_report	 rep;
	const char		*state;
	char			*was = NULL;
	json_t			*o, *cs;
	int32_t			 today = tz_local_day(cli_zone(c), clock_now());

	if (query_counts(c->s, today, cli_opt(a, "library"), counts) !=
	    GERR_OK)
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "counts")));
	seq = query_last_change(c->s);
	sync_state(c->s, &rep);
	outbox = rep.pending;
	/* The JSON says it in English (a code); the text in the user's
	 * language. */
	state = c->cfg.backend_url == NULL ? N_("standalone") : rep.online ?
	    N_("online") : N_("offline");
	/* A replica opened without its configuration: say so (it refuses
	 * to act standalone). */
	if (c->cfg.backend_url == NULL && (was = sync_backend_of(c->s)) !=
	    NULL)
		state = N_("replica without its backend");
	if (c->json) {
		cs = json_object();
		for (i = 0; i < STATUS__COUNT; i++)
			json_object_set_new(cs, status_name((enum status)i),
			    json_integer(counts[i]));
		o = json_pack("{s:s,s:s,s:s,s:o,s:I,s:I,s:i,s:s,s:s,s:s}",
		    "database", c->dbfile, "backend", c->cfg.backend_url !=
		    NULL ? c->cfg.backend_url : "standalone", "state", state,
		    "today", cs, "pending", (json_int_t)outbox, "last_change",
		    (json_int_t)seq, "conflicts", rep.conflicts, "last_sync",
		    rep.last_sync, "last_error", rep.last_error, "waiting",
		    rep.waiting);
		if (was != NULL)
			json_object_set_new(o, "replica_of", json_string(was));
		cli_print_json(o);
		json_decref(o);
		free(was);
		return (0);
	}
	if (was != NULL)
		printf(_("this database is the replica of a desk synced with "
		    "%s: without [backend] url = %s it takes no work\n"), was,
		    was);
	free(was);
	printf(ngettext("database:  %s\nbackend:   %s (%s)\npending:   %lld "
	    "operation\nconflicts: %d\n", "database:  %s\nbackend:   %s "
	    "(%s)\npending:   %lld operations\nconflicts: %d\n", outbox),
	    c->dbfile,
	    c->cfg.backend_url != NULL ? c->cfg.backend_url : _("none"),
	    _(state),
	    outbox, rep.conflicts);
	if (c->cfg.backend_url != NULL)
		printf(_("last sync: %s%s%s\n"), rep.last_sync[0] ?
		    rep.last_sync : _("never"), rep.last_error[0] ?
		    _("; last error: ") : "",
		    rep.last_error);
	if (rep.waiting[0] != '\0')
		printf(_("waiting:   the operations of %s wait until it logs "
		    "in again (guichet -u %s sync)\n"), rep.waiting,
		    rep.waiting);
	printf(_("changes:   %lld\ntoday:    "), seq);
	for (i = 0; i < STATUS__COUNT; i++)
		printf(" %s %d", status_name((enum status)i), counts[i]);
	putchar('\n');
	return (0);
}

static int
cmd_sync(struct cli *c, __attribute__((unused)) struct cli_args *a)
{
	struct sync_report	 rep;
	struct gerror		 err;
	struct account		*acct = NULL;
	enum gerr		 e;
	int			 rc;
	json_t			*o;

	if (c->cfg.backend_url == NULL)
		return (cli_usage_error(c, _("this desk has no backend: set [backend] "
		    "url in guichet.ini")));
	/* With -u, log in first: the session pushes that account's work. */
	if (c->login != NULL) {
		if ((rc = cli_login(c, &acct)) != 0)
			return (rc);
		account_free(acct);
	}
	e = sync_run(c->s, c->cfg.backend_url, &rep, &err);
	if (c->json) {
		o = json_pack("{s:b,s:i,s:i,s:i,s:i,s:i,s:i,s:s,s:s}",
		    "online", rep.online, "pushed", rep.pushed, "rejected",
		    rep.rejected, "held", rep.held, "pulled", rep.pulled,
		    "pending", rep.pending, "conflicts", rep.conflicts,
		    "waiting", rep.waiting, "error", e != GERR_OK ? err.msg :
		    "");
		cli_print_json(o);
		json_decref(o);
	} else
		printf(_("pushed %d (%d refused, %d of them already done on the "
		    "backend), pulled %d, pending %d, conflicts %d%s%s\n"),
		    rep.pushed, rep.rejected, rep.held, rep.pulled,
		    rep.pending, rep.conflicts, rep.waiting[0] ?
		    _("; waiting for a login of ") : "", rep.waiting);
	if (e != GERR_OK)
		return (c->json ? gerr_info(e)->exit : cli_fail(c, e, err.msg));
	/* A refusal whose outcome held (acknowledged by itself) leaves
	 * nobody anything to do: only a new conflict fails the command. */
	return (rep.rejected > rep.held ? EXIT_RULE : 0);
}

static int
cmd_conflicts(struct cli *c, struct cli_args *a)
{
	const char	*ack = cli_opt(a, "ack");
	struct account	*acct = NULL;
	struct gerror	 err;
	struct conflict	*cf;
	json_t		*arr, *payload, *detail, *b, *other;
	const char	*id;
	char		 at[CLOCK_ISO_LEN], made[CLOCK_ISO_LEN];
	size_t		 i, n;
	int		 rc;
	enum gerr	 e;

	if (ack != NULL) {
		if ((rc = cli_login(c, &acct)) != 0)
			return (rc);
		e = sync_acknowledge(c->s, ack, acct->login, &err);
		account_free(acct);
		if (e != GERR_OK)
			return (cli_fail(c, e, err.msg));
		if (!c->json)
			printf(_("acknowledged %s\n"), ack);
		return (0);
	}
	if (sync_conflicts(c->s, cli_flag(a, "all"), NULL, &cf, &n) !=
	    GERR_OK)
		return (cli_fail(c, GERR_STORAGE, _("cannot read the "
		    "conflicts")));
	arr = json_array();
	for (i = 0; i < n; i++) {
		payload = json_loads(cf[i].payload, 0, NULL);
		detail = json_loads(cf[i].detail != NULL ? cf[i].detail : "{}",
		    0, NULL);
		clock_format_iso(cf[i].at, cli_zone(c), at);
		clock_format_iso(cf[i].made_at != 0 ? cf[i].made_at : cf[i].at,
		    cli_zone(c), made);
		if (c->json) {
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,"
			    "s:s,s:s,s:s,s:s,s:s,s:o*,s:o*}", "op", cf[i].op_id,
			    "kind", cf[i].kind, "account", cf[i].account,
			    "error", cf[i].error, "message", cf[i].message,
			    "at", at, "made_at", made, "acknowledged_by",
			    cf[i].acknowledged_by, "payload", payload,
			    "detail", detail));
			continue;
		}
		/* What was tried, by whom and when it was done. */
		printf(_("%s  %s by %s, done at %.16s: %s (%s)%s%s\n"),
		    cf[i].op_id, cf[i].kind, cf[i].account, made,
		    cf[i].message, cf[i].error, cf[i].acknowledged_by[0] ?
		    _(", acknowledged by ") : "", cf[i].acknowledged_by);
		/* What staff need to call the patron back: the booking as
		 * the desk had it, and what the backend has instead. */
		if (json_object_get(payload, "email") != NULL)
			printf("    %s %s %s  %s %s..%s\n", cli_jstr(payload,
			    "email"), cli_jstr(payload, "name"), cli_jstr(payload,
			    "phone"), cli_jstr(payload, "resource"), cli_jstr(payload,
			    "start"), cli_jstr(payload, "end"));
		json_object_foreach(json_object_get(detail, "desk"), id, b) {
			if (json_object_get(payload, "email") == NULL &&
			    json_is_object(b))
				printf("    %s %s %s  %s %s..%s\n", cli_jstr(b,
				    "email"), cli_jstr(b, "name"), cli_jstr(b,
				    "phone"), cli_jstr(b, "resource"),
				    cli_jstr(b, "start"), cli_jstr(b, "end"));
			other = json_object_get(json_object_get(detail,
			    "backend"), id);
			if (json_is_object(other))
				printf(_("    the backend has: %s %s..%s, %s\n"),
				    cli_jstr(other, "resource"), cli_jstr(other,
				    "start"), cli_jstr(other, "end"),
				    cli_jstr(other, "status"));
			else if (other != NULL)
				printf(_("    the backend has no such booking\n"));
		}
		json_decref(payload);
		json_decref(detail);
	}
	sync_conflicts_free(cf, n);
	return (cli_list_done(c, arr, n, _("no conflict")));
}

static const struct cli_opt opts_status[] = {
	{ "library", CLI_VALUE }, { NULL, 0 }
};
static const struct cli_opt opts_conflicts[] = {
	{ "ack", CLI_VALUE }, { "all", CLI_FLAG }, { NULL, 0 }
};

const struct cli_cmd cli_sync_cmds[] = {
	{ .name = "status", .run = cmd_status, .opts = opts_status,
	  .usage = "status [--library CODE]",
	  .help = N_("database, backend, pending operations, today's "
	  "counts") },
	{ .name = "sync", .run = cmd_sync, .usage = "sync",
	  .help = N_("push the queued operations to the backend, pull its "
	  "changes") },
	{ .name = "conflicts", .run = cmd_conflicts, .opts = opts_conflicts,
	  .usage = "conflicts [--all] [--ack OP_ID]",
	  .help = N_("operations the backend refused, to handle and "
	  "acknowledge") },
	{ .name = NULL }
};
