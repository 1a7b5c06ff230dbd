/*
 * Key tables. Each screen has one table of struct key_entry; the main
 * loop dispatches through it, the help overlay lists it and the status
 * line hints from it, so what help says is what the keys do. Keys of the
 * same action (arrows and vi keys) share one help line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

const struct key_entry *
keys_find(const struct key_entry *t, int key)
{
	if (t == NULL)
		return (NULL);
	for (; t->name != NULL; t++)
		if (t->key == key)
			return (t);
	return (NULL);
}

size_t
keys_help(const struct key_entry *t, char ***out)
{
	char	**lines = NULL, names[64];
	size_t	  n = 0;
	int	  pad;
	const struct key_entry *k;

	*out = NULL;
	if (t == NULL)
		return (0);
	for (k = t; k->name != NULL; ) {
		const struct key_entry	*j = k;
		size_t			 len = 0;

		names[0] = '\0';
		for (; j->name != NULL && j->fn == k->fn &&
		    strcmp(j->help, k->help) == 0; j++) {
			if (j != k && strstr(names, _(j->name)) != NULL)
				continue;	/* Enter as \r, \n, KEY_ENTER */
			len += (size_t)snprintf(names + len, sizeof names - len,
			    "%s%s", len ? " " : "", _(j->name));
			if (len >= sizeof names)
				len = sizeof names - 1;
		}
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		/* Pad by columns, not bytes: "Entrée" is 7 bytes wide 6. */
		pad = 16 - ui_width(names);
		if (asprintf(&lines[n], "%s%*s %s", names, pad > 0 ? pad : 0,
		    "", _(k->help)) < 0)
			lines[n] = xstrdup(_(k->help));
		n++;
		k = j;
	}
	*out = lines;
	return (n);
}

void
keys_hints(const struct key_entry *t, char *buf, size_t size)
{
	const struct key_entry	*k, *prev = NULL;
	size_t			 len = 0;
	int			 w;

	buf[0] = '\0';
	if (t == NULL)
		return;
	for (k = t; k->name != NULL && len < size; k++) {
		if (prev != NULL && prev->fn == k->fn)
			continue;
		prev = k;
		w = snprintf(buf + len, size - len, "%s%s:%s",
		    len ? "  " : "", _(k->name), _(k->help));
		if (w < 0 || (size_t)w >= size - len) {
			buf[len] = '\0';
			break;
		}
		len += (size_t)w;
	}
}

int
keys_help_open(struct ui *ui, struct screen *s)
{
	ui_push(ui, help_new(ui, s));
	return (UI_DRAW);
}

int
keys_back(struct ui *ui, struct screen *s)
{
	(void)s;
	ui_pop(ui);
	return (UI_DRAW_ALL);
}
