/*
 * Configuration through iniparser. iniparser is lenient (LIBRARIES.md):
 * every value is read as a string and validated here; unknown sections and
 * keys are errors rather than silently ignored; a line too long for it is
 * refused before it is loaded.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <iniparser/iniparser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "conf.h"
#include "i18n.h"
#include "tz.h"
#include "xmalloc.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define OFF(f)	offsetof(struct conf, f)

const struct conf_key conf_keys[] = {
	{ "backend", "url", CONFIG_URL, OFF(backend_url), NULL, NULL, 0, 0,
	    "central backend: sqlite:PATH or http(s)://host:port; absent is "
	    "standalone" },
	{ "desk", "database", CONFIG_STRING, OFF(database), NULL, NULL, 0, 0,
	    "local database (default $XDG_DATA_HOME/guichet/guichet.db)" },
	{ "desk", "account", CONFIG_STRING, OFF(account), NULL, NULL, 0, 0,
	    "account proposed at login and used by -u's absence" },
	{ "desk", "library", CONFIG_STRING, OFF(library), NULL, NULL, 0, 0,
	    "library code shown first (e.g. BUC)" },
	{ "desk", "timezone", CONFIG_ZONE, OFF(timezone), TZ_DEFAULT,
	    NULL, 0, 0, "zone for dates typed without an establishment" },
	{ "desk", "sync_seconds", CONFIG_INT, OFF(sync_seconds), "30", NULL,
	    1, 3600, "seconds between two syncs of a desk with its backend" },
	{ "display", "colors", CONFIG_CHOICE, OFF(colors), "auto",
	    "auto|always|never", 0, 0, "use colors (NO_COLOR also turns them "
	    "off)" },
	{ "display", "ascii", CONFIG_BOOL, OFF(ascii), "no", NULL, 0, 0,
	    "draw with ASCII only" },
	{ "mail", "smtp_url", CONFIG_STRING, OFF(smtp_url), NULL, NULL, 0, 0,
	    "SMTP server, e.g. smtp://127.0.0.1:25" },
	{ "mail", "from", CONFIG_STRING, OFF(mail_from), NULL, NULL, 0, 0,
	    "sender address of patrons' e-mails" },
	{ "mail", "link_base", CONFIG_STRING, OFF(link_base), NULL, NULL, 0, 0,
	    "public URL of guichetd: the e-mails' links to the patrons' "
	    "pages, the QR codes' validation page; without it e-mails "
	    "carry no link" },
	{ "server", "listen", CONFIG_STRING, OFF(listen), "127.0.0.1:8470",
	    NULL, 0, 0, "address and port guichetd listens on" },
	{ "server", "database", CONFIG_STRING, OFF(server_db), NULL, NULL, 0,
	    0, "central database of guichetd" },
	{ "server", "threads", CONFIG_INT, OFF(threads), "4", NULL, 1, 256,
	    "worker threads of guichetd" },
	{ "server", "session_hours", CONFIG_INT, OFF(session_hours), "12",
	    NULL, 1, 720, "lifetime of a login session" },
	{ "server", "sweep_seconds", CONFIG_INT, OFF(sweep_seconds), "60",
	    NULL, 0, 86400, "how often guichetd expires unconfirmed bookings "
	    "(R5) and frees late ones (R6); 0 turns the sweeper off" },
	{ "server", "trusted_proxy", CONFIG_STRING, OFF(trusted_proxy), NULL,
	    NULL, 0, 0, "address of the reverse proxy whose X-Forwarded-For "
	    "names the client (for throttles and limits)" },
	{ "server", "connections_per_address", CONFIG_INT,
	    OFF(connections_per_address), "32", NULL, 0, 10000,
	    "connections one client address may hold at once; 0 is no limit" },
	{ "server", "request_seconds", CONFIG_INT, OFF(request_seconds), "20",
	    NULL, 1, 3600, "seconds a connection has to send a whole request" },
	{ NULL, NULL, 0, 0, NULL, NULL, 0, 0, NULL }
};

static char	ini_error[256];

static int	capture(const char *, ...) __attribute__((format(printf, 1, 2)));

/* iniparser's error callback: keep its message for ours. */
static int
capture(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ini_error, sizeof ini_error, fmt, ap);
	va_end(ap);
	return (0);
}

/*
 * The line of a key in a section (or of the section's header when key is
 * NULL), for messages: iniparser does not keep lines. 0 if not found.
 */
static int
line_of(const char *path, const char *section, const char *key)
{
	FILE	*f = fopen(path, "r");
	char	*line = NULL, *p, *e, cur[128] = "";
	size_t	 cap = 0, klen = key != NULL ? strlen(key) : 0;
	int	 n = 0, found = 0;

	if (f == NULL)
		return (0);
	/* A section's first header; a key's last line, which wins. */
	while (!(key == NULL && found) && getline(&line, &cap, f) != -1) {
		n++;
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (*p == '[' && (e = strchr(p, ']')) != NULL) {
			snprintf(cur, sizeof cur, "%.*s", (int)(e - p - 1),
			    p + 1);
			if (key == NULL && strcasecmp(cur, section) == 0)
				found = n;
			continue;
		}
		if (key != NULL && strcasecmp(cur, section) == 0 &&
		    strncasecmp(p, key, klen) == 0 && (p[klen] == '=' ||
		    isspace((unsigned char)p[klen])))
			found = n;
	}
	free(line);
	fclose(f);
	return (found);
}

static enum gerr
check_lines(const char *path, struct gerror *err)
{
	FILE	*f = fopen(path, "r");
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 len;
	int	 n = 0, in_section = 0;
	char	*p;
	enum gerr e;

	if (f == NULL)
		return (gerror_set(err, GERR_BAD_REQUEST, _("%s: cannot read: "
		    "%s"), path, strerror(errno)));
	while ((len = getline(&line, &cap, f)) != -1) {
		n++;
		/* iniparser files a key before any section nowhere. */
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (*p == '[')
			in_section = 1;
		else if (!in_section && *p != '\0' && *p != ';' && *p != '#') {
			p[strcspn(p, "\r\n")] = '\0';
			e = gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: '%s' "
			    "comes before any [section]: put it under the "
			    "section it belongs to (see guichet.ini(5))"),
			    path, n, p);
			free(line);
			fclose(f);
			return (e);
		}
		/* iniparser refuses a whole file over one long line. */
		if (len - (line[len - 1] == '\n') > 1022) {
			free(line);
			fclose(f);
			return (gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: line "
			    "longer than 1022 characters: shorten it"), path,
			    n));
		}
	}
	free(line);
	fclose(f);
	return (GERR_OK);
}

static enum gerr
set_value(struct conf *cfg, const struct conf_key *k, const char *v,
    const char *path, int line, struct gerror *err)
{
	char		*p = (char *)cfg + k->offset, *end;
	const char	*c;
	long		 n;
	size_t		 len;

	switch (k->type) {
	case CONFIG_STRING:
		free(*(char **)p);
		*(char **)p = *v != '\0' ? xstrdup(v) : NULL;
		return (GERR_OK);
	case CONFIG_BOOL:
		if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
		    strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0)
			*(int *)p = 1;
		else if (strcasecmp(v, "no") == 0 || strcasecmp(v,
		    "false") == 0 || strcasecmp(v, "off") == 0 ||
		    strcmp(v, "0") == 0)
			*(int *)p = 0;
		else
			break;
		return (GERR_OK);
	case CONFIG_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < k->min ||
		    n > k->max)
			return (gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: [%s] "
			    "%s = %s: expected a whole number from %ld to %ld"),
			    path, line, k->section, k->key, v, k->min,
			    k->max));
		*(int *)p = (int)n;
		return (GERR_OK);
	case CONFIG_ZONE:
		if (!tz_valid(v))
			return (gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: [%s] "
			    "%s = %s: no such time zone: use a name from "
			    "/usr/share/zoneinfo, such as Europe/Paris"), path,
			    line, k->section, k->key, v));
		free(*(char **)p);
		*(char **)p = xstrdup(v);
		return (GERR_OK);
	case CONFIG_URL:
		if (*v != '\0' && !(strncmp(v, "sqlite:", 7) == 0 &&
		    v[7] != '\0') && strncasecmp(v, "http://", 7) != 0 &&
		    strncasecmp(v, "https://", 8) != 0)
			return (gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: [%s] "
			    "%s = %s: expected sqlite:PATH, http://HOST:PORT or "
			    "https://HOST:PORT"), path, line, k->section, k->key,
			    v));
		free(*(char **)p);
		*(char **)p = *v != '\0' ? xstrdup(v) : NULL;
		return (GERR_OK);
	case CONFIG_CHOICE:
		len = strlen(v);
		for (c = k->choices; c != NULL && *c != '\0';) {
			const char	*bar = strchr(c, '|');
			size_t		 l = bar ? (size_t)(bar - c) :
					    strlen(c);

			if (l == len && strncmp(c, v, l) == 0) {
				free(*(char **)p);
				*(char **)p = xstrdup(v);
				return (GERR_OK);
			}
			c = bar ? bar + 1 : NULL;
		}
		return (gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: [%s] %s = %s: "
		    "expected one of %s"), path, line, k->section, k->key, v,
		    k->choices));
	}
	return (gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: [%s] %s = %s: "
	    "expected yes or no"), path, line, k->section, k->key, v));
}

/*
 * iniparser's message ("iniparser: syntax error in FILE (LINE):\n-> TEXT")
 * in our file:line: form.
 */
static enum gerr
syntax_error(const char *path, struct gerror *err)
{
	const char	*open = strrchr(ini_error, '('), *text;
	int		 line = 0;

	text = strstr(ini_error, "-> ");
	if (open != NULL)
		line = atoi(open + 1);
	if (text == NULL || line <= 0) {
		ini_error[strcspn(ini_error, "\n")] = '\0';
		return (gerror_set(err, GERR_BAD_REQUEST, _("%s: not a valid INI "
		    "file: %s"), path, ini_error));
	}
	text += 3;
	return (gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: syntax error: "
	    "'%.*s' is neither a [section] nor a key = value"), path, line,
	    (int)strcspn(text, "\r\n"), text));
}

enum gerr
conf_read_file(struct conf *cfg, const char *path, struct gerror *err)
{
	dictionary		*d;
	const char		**keys, *sec, *v;
	const struct conf_key	*k;
	int			 i, j, nsec, nkeys;
	enum gerr		 e = GERR_OK;
	char			 section[128];
	struct stat		 sb;

	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return (gerror_set(err, GERR_BAD_REQUEST, _("%s: is a directory, "
		    "not a configuration file: name the .ini file itself"),
		    path));
	if ((e = check_lines(path, err)) != GERR_OK)
		return (e);
	ini_error[0] = '\0';
	iniparser_set_error_callback(capture);
	d = iniparser_load(path);
	if (d == NULL || ini_error[0] != '\0') {
		if (d != NULL)
			iniparser_freedict(d);
		return (syntax_error(path, err));
	}
	nsec = iniparser_getnsec(d);
	for (i = 0; i < nsec && e == GERR_OK; i++) {
		sec = iniparser_getsecname(d, i);
		snprintf(section, sizeof section, "%s", sec);
		for (k = conf_keys; k->section != NULL; k++)
			if (strcmp(k->section, section) == 0)
				break;
		if (k->section == NULL) {
			e = gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: unknown "
			    "section [%s]: expected backend, desk, display, "
			    "mail or server"), path, line_of(path, section,
			    NULL), section);
			break;
		}
		nkeys = iniparser_getsecnkeys(d, section);
		if (nkeys <= 0)
			continue;
		keys = xcalloc((size_t)nkeys, sizeof *keys);
		iniparser_getseckeys(d, section, keys);
		for (j = 0; j < nkeys && e == GERR_OK; j++) {
			const char	*name = strchr(keys[j], ':');

			name = name != NULL ? name + 1 : keys[j];
			for (k = conf_keys; k->section != NULL; k++)
				if (strcmp(k->section, section) == 0 &&
				    strcmp(k->key, name) == 0)
					break;
			if (k->section == NULL) {
				e = gerror_set(err, GERR_BAD_REQUEST, _("%s:%d: "
				    "unknown key '%s' in [%s]: see "
				    "guichet.ini(5)"), path, line_of(path,
				    section, name), name, section);
				break;
			}
			v = iniparser_getstring(d, keys[j], NULL);
			if (v == NULL)
				v = "";
			e = set_value(cfg, k, v, path, line_of(path, section,
			    name), err);
		}
		free(keys);
	}
	iniparser_freedict(d);
	return (e);
}

char *
conf_default_database(void)
{
	const char	*xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return (xasprintf("%s/guichet/guichet.db", xdg));
	return (xasprintf("%s/.local/share/guichet/guichet.db",
	    home != NULL ? home : "."));
}

void
conf_defaults(struct conf *cfg)
{
	const struct conf_key	*k;

	memset(cfg, 0, sizeof *cfg);
	for (k = conf_keys; k->section != NULL; k++) {
		if (k->def != NULL && set_value(cfg, k, k->def, "(defaults)",
		    0, NULL) != GERR_OK)
			fatalx("conf_defaults: bad default for %s", k->key);
	}
}

enum gerr
conf_load(struct conf *cfg, const char *path, struct gerror *err)
{
	const char		*xdg = getenv("XDG_CONFIG_HOME");
	const char		*home = getenv("HOME");
	char			*user;
	struct stat		 sb;
	enum gerr		 e;

	conf_defaults(cfg);
	if (stat(SYSCONFDIR "/guichet/guichet.ini", &sb) == 0 &&
	    (e = conf_read_file(cfg, SYSCONFDIR "/guichet/guichet.ini",
	    err)) != GERR_OK)
		return (e);
	if (xdg != NULL && *xdg == '/')
		user = xasprintf("%s/guichet/guichet.ini", xdg);
	else
		user = xasprintf("%s/.config/guichet/guichet.ini",
		    home != NULL ? home : ".");
	e = GERR_OK;
	if (stat(user, &sb) == 0)
		e = conf_read_file(cfg, user, err);
	free(user);
	if (e != GERR_OK)
		return (e);
	if (path != NULL) {
		if (stat(path, &sb) != 0)
			return (gerror_set(err, GERR_BAD_REQUEST, _("%s: no such "
			    "configuration file"), path));
		if ((e = conf_read_file(cfg, path, err)) != GERR_OK)
			return (e);
	}
	return (GERR_OK);
}

void
conf_free(struct conf *cfg)
{
	const struct conf_key	*k;

	for (k = conf_keys; k->section != NULL; k++) {
		/* Every type but numbers and booleans holds a string. */
		if (k->type != CONFIG_INT && k->type != CONFIG_BOOL) {
			free(*(char **)((char *)cfg + k->offset));
			*(char **)((char *)cfg + k->offset) = NULL;
		}
	}
}
