/*
 * Configuration: INI files read with iniparser behind one validating
 * wrapper. Files are read in order, later ones overriding earlier keys:
 * SYSCONFDIR/guichet/guichet.ini, $XDG_CONFIG_HOME/guichet/guichet.ini,
 * then the file given with -c (which must exist). No file at all is valid.
 * One table (conf_keys) drives loading, validation, defaults and the
 * list in guichet.ini(5). Errors name the file, the line, the key and the
 * bad value.
 */
#ifndef GUICHET_CONF_H
#define GUICHET_CONF_H

#include <stddef.h>

#include "error.h"

enum conf_type {
	CONFIG_STRING,
	CONFIG_BOOL,		/* yes/no, true/false, on/off, 1/0 */
	CONFIG_INT,		/* decimal */
	CONFIG_CHOICE,		/* one of a "|"-separated list */
	CONFIG_ZONE,		/* a time zone the system knows */
	CONFIG_URL,		/* a backend: sqlite:PATH, http(s)://... */
};

struct conf {
	char	*backend_url;	/* [backend] url: NULL is standalone */
	char	*database;	/* [desk] database */
	char	*account;	/* [desk] account */
	char	*library;	/* [desk] library shown first */
	char	*timezone;	/* [desk] timezone */
	int	 sync_seconds;	/* [desk] sync_seconds */
	char	*colors;	/* [display] colors: auto|always|never */
	int	 ascii;		/* [display] ascii */
	char	*smtp_url;	/* [mail] smtp_url */
	char	*mail_from;	/* [mail] from */
	char	*link_base;	/* [mail] link_base */
	char	*listen;	/* [server] listen */
	char	*server_db;	/* [server] database */
	int	 threads;	/* [server] threads */
	int	 session_hours;	/* [server] session_hours */
	int	 sweep_seconds;	/* [server] sweep_seconds: 0 is off */
	char	*trusted_proxy;	/* [server] trusted_proxy */
	int	 connections_per_address; /* [server] */
	int	 request_seconds; /* [server] request_seconds */
};

struct conf_key {
	const char		*section;
	const char		*key;
	enum conf_type	 type;
	size_t			 offset;	/* in struct conf */
	const char		*def;		/* default, or NULL */
	const char		*choices;	/* CONFIG_CHOICE */
	long			 min, max;	/* CONFIG_INT */
	const char		*doc;
};

extern const struct conf_key	conf_keys[];

/* Every key at its default (what a missing file means). */
void		 conf_defaults(struct conf *cfg);
/* Defaults, then each file of the search order; path may be NULL. */
enum gerr	 conf_load(struct conf *cfg, const char *path,
		     struct gerror *err);
/* Read one file over cfg (used by conf_load and the server). */
enum gerr	 conf_read_file(struct conf *cfg, const char *path,
		     struct gerror *err);
void		 conf_free(struct conf *cfg);
/* The default database: $XDG_DATA_HOME/guichet/guichet.db; caller frees. */
char		*conf_default_database(void);

#endif
