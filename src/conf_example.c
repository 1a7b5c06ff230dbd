/*
 * conf-example: print an example configuration file, every key of the
 * named sections commented out at its default, from the one table that
 * drives loading and validation (conf_keys). The build writes guichetd's
 * example (data/guichetd.ini) with it, so the example cannot drift.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"

/* Print doc as comment lines of at most 72 columns. */
static void
comment(const char *doc)
{
	const char	*p = doc, *sp;
	int		 col = 0;
	size_t		 len;

	while (*p != '\0') {
		sp = strchr(p, ' ');
		len = sp != NULL ? (size_t)(sp - p) : strlen(p);
		if (col == 0) {
			fputs(";", stdout);
			col = 1;
		}
		if (col + 1 + (int)len > 72 && col > 1) {
			fputs("\n;", stdout);
			col = 1;
		}
		printf(" %.*s", (int)len, p);
		col += 1 + (int)len;
		p += len;
		while (*p == ' ')
			p++;
	}
	if (col > 0)
		fputs("\n", stdout);
}

int
main(int argc, char **argv)
{
	const struct conf_key	*k;
	int			 i;

	printf("; Example configuration. Every key is shown at its default,\n"
	    "; commented out: remove the ';' before a key to change it.\n"
	    "; guichet.ini(5) lists the keys.\n");
	for (i = 1; i < argc; i++) {
		printf("\n[%s]\n", argv[i]);
		for (k = conf_keys; k->section != NULL; k++) {
			if (strcmp(k->section, argv[i]) != 0)
				continue;
			comment(k->doc);
			if (k->def != NULL)
				printf(";%s = %s\n", k->key, k->def);
			else
				printf(";%s =\n", k->key);
		}
	}
	return (ferror(stdout) ? 1 : 0);
}
