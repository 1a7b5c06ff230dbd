/*
 * guichet qr LIBRARY: the QR code of a library's validation page (SPEC.md
 * section 7, "QR codes"), drawn in the terminal and, with --output, a
 * printable poster (PNG or SVG) with the establishment's code under it.
 * The code is shown to an account with P5 on the library only.
 */
#include "config.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_impl.h"
#include "domain.h"
#include "i18n.h"
#include "qr.h"
#include "rights.h"
#include "xmalloc.h"

/* Whether a name ends with a suffix, ignoring case. */
static int
ends_with(const char *str, const char *suffix)
{
	size_t	n = strlen(str), m = strlen(suffix);

	return (n > m && strcasecmp(str + n - m, suffix) == 0);
}

/* The public URL of guichetd: --url, [mail] link_base, or the backend's
 * when it is guichetd's; NULL when none is known. */
static const char *
public_url(struct cli *c, struct cli_args *a)
{
	const char	*u = cli_opt(a, "url");

	if (u != NULL)
		return (u);
	if (c->cfg.link_base != NULL && c->cfg.link_base[0] != '\0')
		return (c->cfg.link_base);
	if (c->cfg.backend_url != NULL &&
	    (strncmp(c->cfg.backend_url, "http://", 7) == 0 ||
	    strncmp(c->cfg.backend_url, "https://", 8) == 0))
		return (c->cfg.backend_url);
	return (NULL);
}

static int
cmd_qr(struct cli *c, struct cli_args *a)
{
	struct establishment	 lib;
	struct account		*acc = NULL;
	struct qr		*q = NULL;
	struct qr_poster	 poster;
	struct gerror		 err;
	const char		*base, *out = cli_opt(a, "output");
	const char		*paper = cli_opt(a, "paper");
	char			*url = NULL, *page = NULL, *text, *svg;
	FILE			*f;
	json_t			*o;
	int			 rc, utf8;
	enum gerr		 e;

	if (paper != NULL && strcasecmp(paper, "a4") != 0 &&
	    strcasecmp(paper, "a5") != 0)
		return (cli_usage_error(c, _("--paper is a4 or a5, not '%s'"),
		    paper));
	if (out != NULL && !ends_with(out, ".png") && !ends_with(out, ".svg"))
		return (cli_usage_error(c, _("--output names a .png or .svg "
		    "file, not '%s'"), out));
	if ((base = public_url(c, a)) == NULL)
		return (cli_usage_error(c, _("no public URL for the validation "
		    "page: give --url https://... or set link_base in [mail] "
		    "of guichet.ini")));
	if (strncmp(base, "http://", 7) != 0 &&
	    strncmp(base, "https://", 8) != 0)
		return (cli_usage_error(c, _("the public URL '%s' must start "
		    "with http:// or https://"), base));
	if ((e = establishment_find(c->s, a->argv[0], &lib)) != GERR_OK) {
		if (e == GERR_NOT_FOUND)
			return (cli_fail(c, e, _("no library with that code: "
			    "see guichet resources")));
		return (cli_fail(c, e, _("cannot read the libraries")));
	}
	/* The code is the library's information (P5). */
	if ((rc = cli_login(c, &acc)) != 0)
		return (rc);
	if ((e = rights_check(c->s, acc, PERM_INFO, lib.id, &err)) !=
	    GERR_OK) {
		account_free(acc);
		return (cli_fail(c, e, err.msg));
	}
	account_free(acc);
	if (lib.checkin_code[0] == '\0')
		return (cli_fail(c, GERR_NOT_FOUND, _("this library has no "
		    "establishment code yet: set one first (P5)")));
	url = qr_url(base, lib.code, lib.checkin_code);
	if ((e = qr_make(url, &q, &err)) != GERR_OK) {
		free(url);
		return (cli_fail(c, e, err.msg));
	}
	page = xasprintf("%.*s/validate", (int)(strlen(base) -
	    (base[strlen(base) - 1] == '/')), base);
	if (out != NULL) {
		poster.library = lib.name;
		poster.code = lib.checkin_code;
		poster.page = page;
		poster.paper = paper != NULL && strcasecmp(paper, "a5") == 0 ?
		    QR_A5 : QR_A4;
		e = GERR_OK;
		if (ends_with(out, ".png"))
			e = qr_png(q, &poster, out, &err);
		else {
			svg = qr_svg(q, &poster);
			if ((f = fopen(out, "w")) == NULL ||
			    fputs(svg, f) == EOF || fclose(f) != 0)
				e = gerror_set(&err, GERR_STORAGE, _("cannot "
				    "write %s"), out);
			free(svg);
		}
		if (e != GERR_OK) {
			qr_free(q);
			free(url);
			free(page);
			return (cli_fail(c, e, err.msg));
		}
	}
	if (c->json) {
		o = json_pack("{s:s, s:s, s:s, s:s, s:i}", "library", lib.code,
		    "name", lib.name, "code", lib.checkin_code, "url", url,
		    "modules", q->size);
		if (out != NULL)
			json_object_set_new(o, "output", json_string(out));
		cli_print_json(o);
		json_decref(o);
	} else {
		utf8 = !cli_flag(a, "ascii") &&
		    strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
		text = qr_text(q, utf8, cli_flag(a, "invert"),
		    QR_TERMINAL_QUIET, NULL, NULL);
		fputs(text, stdout);
		free(text);
		printf("%s\n", lib.name);
		printf(_("Code: %s\n"), lib.checkin_code);
		printf("%s\n", url);
		if (out != NULL)
			printf(_("poster written to %s (%s)\n"), out,
			    poster.paper == QR_A5 ? "A5" : "A4");
	}
	qr_free(q);
	free(url);
	free(page);
	return (0);
}

static const struct cli_opt opts_qr[] = {
	{ "output", CLI_VALUE }, { "paper", CLI_VALUE }, { "url", CLI_VALUE },
	{ "ascii", CLI_FLAG }, { "invert", CLI_FLAG }, { NULL, 0 }
};

const struct cli_cmd cli_qr_cmds[] = {
	{ .name = "qr", .run = cmd_qr, .opts = opts_qr, .min_args = 1,
	  .max_args = 1, .usage = "qr LIBRARY [--output FILE.png|FILE.svg] "
	  "[--paper a4|a5] [--url URL] [--ascii] [--invert]",
	  .help = N_("the QR code of a library's validation page, and its "
	  "poster (P5)") },
	{ .name = NULL }
};
