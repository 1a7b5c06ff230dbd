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

/* Whether a space-separated list has this word: "h" is not in "Gauche". */
static int
has_word(const char *list, const char *word)
{
	size_t		 n = strlen(word);
	const char	*p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return (1);
		p += n;
	}
	return (0);
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
			if (j != k && has_word(names, _(j->name)))
				continue;	/* Backspace as 127, KEY_BACKSPACE */
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
keys_hints(const struct screen *s, char *buf, size_t size)
{
	const struct key_entry	*t, *k, *prev = NULL;
	const struct key_hint	*h;
	size_t			 len = 0;
	int			 w;

	buf[0] = '\0';
	if (s == NULL || (t = s->keys) == NULL)
		return;
	for (h = s->hints; h != NULL && h->name != NULL && len < size; h++) {
		w = snprintf(buf + len, size - len, "%s%s %s",
		    len ? "  " : "", _(h->name), _(h->word));
		if (w < 0 || (size_t)w >= size - len) {
			buf[len] = '\0';
			return;
		}
		len += (size_t)w;
	}
	if (s->hints != NULL)
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

/*
 * Shared list navigation. A list moves its cursor; a scrolled text (no
 * cursor) moves its first line and stops when its last line shows.
 */
void
nav_fit(struct nav *v, int page)
{
	int	last;

	v->page = page > 0 ? page : 1;
	if (v->scroll) {
		last = v->n - v->page;
		if (v->top > last)
			v->top = last;
		if (v->top < 0)
			v->top = 0;
		v->cur = v->top;
		return;
	}
	if (v->cur >= v->n)
		v->cur = v->n - 1;
	if (v->cur < 0)
		v->cur = 0;
	if (v->cur < v->top)
		v->top = v->cur;
	if (v->cur >= v->top + v->page)
		v->top = v->cur - v->page + 1;
	if (v->top < 0)
		v->top = 0;
}

static int
nav_by(struct screen *s, int d)
{
	struct nav	*v = s->nav;
	int		 ot = v->top, oc = v->cur;

	if (v->scroll)
		v->top += d;
	else
		v->cur += d;
	nav_fit(v, v->page);
	return (v->top != ot || v->cur != oc ? UI_DRAW : 0);
}

static int
page(struct screen *s)
{
	return (s->nav->page > 1 ? s->nav->page - 1 : 1);
}

static int n_up(struct ui *u, struct screen *s) { (void)u; return (nav_by(s, -1)); }
static int n_down(struct ui *u, struct screen *s) { (void)u; return (nav_by(s, 1)); }
static int n_pgup(struct ui *u, struct screen *s) { (void)u; return (nav_by(s, -page(s))); }
static int n_pgdn(struct ui *u, struct screen *s) { (void)u; return (nav_by(s, page(s))); }
static int n_home(struct ui *u, struct screen *s) { (void)u; return (nav_by(s, -s->nav->n)); }
static int n_end(struct ui *u, struct screen *s) { (void)u; return (nav_by(s, s->nav->n)); }

const struct key_entry keys_nav[] = {
	{ UI_FKEY(KEY_UP), N_("Up"), N_("previous line"), n_up },
	{ 'k', "k", N_("previous line"), n_up },
	{ UI_FKEY(KEY_DOWN), N_("Down"), N_("next line"), n_down },
	{ 'j', "j", N_("next line"), n_down },
	{ UI_FKEY(KEY_PPAGE), N_("PgUp"), N_("a page up"), n_pgup },
	{ UI_FKEY(KEY_NPAGE), N_("PgDn"), N_("a page down"), n_pgdn },
	{ UI_FKEY(KEY_HOME), N_("Home"), N_("the first line"), n_home },
	{ UI_FKEY(KEY_END), N_("End"), N_("the last line"), n_end },
	{ 0, NULL, NULL, NULL }
};

/* The keys every popup and secondary screen shares. */
const struct key_entry keys_common[] = {
	{ 27, N_("Esc"), N_("back"), keys_back },
	{ 'q', "q", N_("back"), keys_back },
	{ '?', "?", N_("help"), keys_help_open },
	{ 0, NULL, NULL, NULL }
};

/* Editing keys of every text field (field.c). */
static int
f_edit(struct ui *ui, struct screen *s, int (*fn)(struct field *))
{
	struct field	*f = s->field(s);

	if (f == NULL || !fn(f))
		return (0);
	if (s->edited != NULL)
		s->edited(ui, s);
	return (UI_DRAW);
}

static int f_left(struct ui *u, struct screen *s) { return (f_edit(u, s, field_left)); }
static int f_right(struct ui *u, struct screen *s) { return (f_edit(u, s, field_right)); }
static int f_home(struct ui *u, struct screen *s) { return (f_edit(u, s, field_home)); }
static int f_end(struct ui *u, struct screen *s) { return (f_edit(u, s, field_end)); }
static int f_back(struct ui *u, struct screen *s) { return (f_edit(u, s, field_backspace)); }
static int f_del(struct ui *u, struct screen *s) { return (f_edit(u, s, field_delete)); }
static int f_kill(struct ui *u, struct screen *s) { return (f_edit(u, s, field_kill)); }
static int f_word(struct ui *u, struct screen *s) { return (f_edit(u, s, field_kill_word)); }

const struct key_entry keys_field[] = {
	{ UI_FKEY(KEY_LEFT), N_("Left"), N_("cursor left in the field"),
	    f_left },
	{ UI_FKEY(KEY_RIGHT), N_("Right"), N_("cursor right in the field"),
	    f_right },
	{ UI_FKEY(KEY_HOME), N_("Home"), N_("start of the field"), f_home },
	{ UI_CTRL('a'), "^A", N_("start of the field"), f_home },
	{ UI_FKEY(KEY_END), N_("End"), N_("end of the field"), f_end },
	{ UI_CTRL('e'), "^E", N_("end of the field"), f_end },
	{ UI_FKEY(KEY_BACKSPACE), N_("Backspace"), N_("erase a character"),
	    f_back },
	{ 127, N_("Backspace"), N_("erase a character"), f_back },
	{ 8, "^H", N_("erase a character"), f_back },
	{ UI_FKEY(KEY_DC), N_("Delete"), N_("erase the character under the "
	    "cursor"), f_del },
	{ UI_CTRL('u'), "^U", N_("erase to the start of the field"), f_kill },
	{ UI_CTRL('w'), "^W", N_("erase the word before the cursor"), f_word },
	{ 0, NULL, NULL, NULL }
};

/*
 * The key's binding on a screen: the editing keys of the field under the
 * cursor first, then its own table, its list's moves, the keys popups
 * share.
 */
const struct key_entry *
keys_lookup(struct screen *s, int key)
{
	const struct key_entry	*k;

	if (s->field != NULL && s->field(s) != NULL &&
	    (k = keys_find(keys_field, key)) != NULL)
		return (k);
	if ((k = keys_find(s->keys, key)) != NULL)
		return (k);
	if (s->nav != NULL && (k = keys_find(keys_nav, key)) != NULL)
		return (k);
	if (s->common && (k = keys_find(keys_common, key)) != NULL)
		return (k);
	return (NULL);
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
