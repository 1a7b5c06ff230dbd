/*
 * The messages screen: the pop-ups and events shown now and coming for
 * the library under the grid's cursor and for the campus instance, whose
 * messages every library shows. Adding one asks, one prompt after the
 * other, where (the library, or CAMPUS), which kind, the text, the first
 * day and for how many days: R10 (at most a week) is the core's to
 * refuse, with its reason. Removing asks first. Writes go through
 * op_apply, P2 is checked there; the screen says beforehand, with the
 * reason, when the account may not manage the messages here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "ops.h"
#include "query.h"
#include "settings.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

#define CAMPUS	"CAMPUS"

struct msgv {
	struct establishment	 e;		/* the library */
	struct message_info	*m;		/* now and coming */
	size_t			 n;
	struct nav		 nav;
	char			 ro[512];	/* why not P2 here, or "" */
	/* The message being added, one prompt after the other. */
	struct establishment	 to;
	char			 kind[16];
	char			 text[256];
	int32_t			 from;
};

/* The messages that show now or later; the past ones are gone. */
static void
mv_load(struct ui *ui, struct msgv *v)
{
	struct message_info	*m;
	size_t			 n, i;
	int64_t			 now = clock_now();

	free(v->m);
	v->m = NULL;
	v->n = 0;
	if (query_messages(ui->store, v->e.code, NULL, 0, &m, &n) != GERR_OK) {
		ui_message(ui, 1, "%s", _("cannot read the messages"));
		return;
	}
	for (i = 0; i < n; i++)
		if (m[i].ends > now)
			m[v->n++] = m[i];
	v->m = m;
	v->nav.n = (int)v->n;
	nav_fit(&v->nav, v->nav.page);
}

/* After a change: the screens read again (reload hooks); the header
 * shows a new pop-up at once. */
static int
changed(struct ui *ui)
{
	return (library_changed(ui) | UI_HEADER);
}

/* R10's limit, as the core reads it. */
static long long
max_days(struct ui *ui)
{
	return ((long long)setting_get(ui->store, SET_MESSAGE_MAX_DAYS));
}

/* Each answer is checked as it is given: a refusal keeps the question
 * open with the text typed, never after the last one. */
static int
days_check(struct ui *ui, const char *text, void *arg)
{
	char	*ep;
	long	 days;

	(void)arg;
	days = strtol(text, &ep, 10);
	while (*ep == ' ')
		ep++;
	if (ep == text || *ep != '\0' || days < 1 || days > max_days(ui)) {
		ui_message(ui, 1, _("'%s': type a number of days, 1 to %lld "
		    "(R10)"), text, max_days(ui));
		return (UI_STATUS);
	}
	return (0);
}

/* Last question: how many days; then the core decides (R10). */
static int
add_days(struct ui *ui, const char *text, void *arg)
{
	struct msgv	*v = arg;
	json_t		*p;
	char		 f[CLOCK_ISO_LEN], t[CLOCK_ISO_LEN];
	long		 days = strtol(text, NULL, 10);
	enum gerr	 e;

	/* Whole local days, the last one included. */
	clock_format_iso(tz_day_start(v->to.tz, v->from), v->to.tz, f);
	clock_format_iso(tz_day_start(v->to.tz, v->from + (int32_t)days),
	    v->to.tz, t);
	p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "establishment", v->to.code,
	    "kind", v->kind, "text", v->text, "from", f, "to", t);
	e = library_apply(ui, "message_add", p, NULL, N_("message not added"));
	json_decref(p);
	if (e != GERR_OK)
		return (UI_DRAW_ALL | UI_STATUS);
	ui_message(ui, 0, ngettext("Message added on %s for %ld day.",
	    "Message added on %s for %ld days.", (unsigned long)days),
	    v->to.code, days);
	return (changed(ui));
}

static int
from_check(struct ui *ui, const char *text, void *arg)
{
	struct msgv	*v = arg;
	int32_t		 today = tz_local_day(v->to.tz, clock_now());

	if (text[strspn(text, " ")] == '\0')
		v->from = today;
	else if (parse_date(text, today, &v->from) != 0) {
		ui_message(ui, 1, _("'%s' is not a date: type 2026-12-20, "
		    "20/12, +1 or tomorrow"), text);
		return (UI_STATUS);
	}
	if (v->from < today) {
		ui_message(ui, 1, _("'%s' is in the past: a message starts "
		    "today or later"), text);
		return (UI_STATUS);
	}
	return (0);
}

static int
add_from(struct ui *ui, const char *text, void *arg)
{
	char	label[128];

	(void)text;
	snprintf(label, sizeof label, _("For how many days (1-%lld, R10)? "),
	    max_days(ui));
	return (prompt_push(ui, N_("New message"), label, "1", days_check,
	    add_days, arg));
}

static int
text_check(struct ui *ui, const char *text, void *arg)
{
	(void)arg;
	if (text[strspn(text, " ")] == '\0') {
		ui_message(ui, 1, "%s", _("a message needs a text"));
		return (UI_STATUS);
	}
	return (0);
}

static int
add_text(struct ui *ui, const char *text, void *arg)
{
	struct msgv	*v = arg;

	snprintf(v->text, sizeof v->text, "%s", text);
	return (prompt_push(ui, N_("New message"),
	    _("From (2026-12-20, 20/12, +1, tomorrow; empty: today): "), "",
	    from_check, add_from, v));
}

static int
kind_check(struct ui *ui, const char *text, void *arg)
{
	(void)arg;
	if (strcmp(text, "popup") != 0 && strcmp(text, "event") != 0) {
		ui_message(ui, 1, _("'%s': type popup or event"), text);
		return (UI_STATUS);
	}
	return (0);
}

static int
add_kind(struct ui *ui, const char *text, void *arg)
{
	struct msgv	*v = arg;

	snprintf(v->kind, sizeof v->kind, "%s", text);
	return (prompt_push(ui, N_("New message"), _("Text: "), "", text_check,
	    add_text, v));
}

static int
where_check(struct ui *ui, const char *text, void *arg)
{
	struct msgv	*v = arg;
	struct gerror	 err;

	if (strcasecmp(text, v->e.code) != 0 && strcasecmp(text, CAMPUS) != 0) {
		ui_message(ui, 1, _("'%s': type %s, or %s for every library"),
		    text, v->e.code, CAMPUS);
		return (UI_STATUS);
	}
	if (establishment_find(ui->store, strcasecmp(text, CAMPUS) == 0 ?
	    CAMPUS : v->e.code, &v->to) != GERR_OK) {
		ui_message(ui, 1, _("no such establishment: %s"), text);
		return (UI_STATUS);
	}
	/* Say so before the text is typed, not after. */
	gerror_clear(&err);
	if (rights_check(ui->store, ui->account, PERM_MESSAGES, v->to.id,
	    &err) != GERR_OK) {
		ui_message(ui, 1, _("read-only: %s"), err.msg);
		return (UI_STATUS);
	}
	return (0);
}

static int
add_where(struct ui *ui, const char *text, void *arg)
{
	(void)text;
	return (prompt_push(ui, N_("New message"),
	    _("Kind (popup or event): "), "popup", kind_check, add_kind, arg));
}

static int
k_add(struct ui *ui, struct screen *s)
{
	struct msgv	*v = s->data;
	char		 label[128];

	snprintf(label, sizeof label, _("Where (%s, or %s for every "
	    "library): "), v->e.code, CAMPUS);
	return (prompt_push(ui, N_("New message"), label, v->e.code,
	    where_check, add_where, v));
}

static int
remove_yes(struct ui *ui, void *arg)
{
	json_t	*p = arg;
	int	 r = UI_DRAW_ALL | UI_STATUS;

	if (library_apply(ui, "message_remove", p, NULL,
	    N_("message not removed")) == GERR_OK) {
		ui_message(ui, 0, "%s", _("Message removed."));
		r = changed(ui);
	}
	json_decref(p);
	return (r);
}

static int
k_remove(struct ui *ui, struct screen *s)
{
	struct msgv		*v = s->data;
	struct message_info	*m;
	struct establishment	 e;
	struct gerror		 err;
	char			*lines[1];

	if (v->n == 0)
		return (0);
	m = &v->m[v->nav.cur];
	gerror_clear(&err);
	if (establishment_find(ui->store, m->establishment, &e) != GERR_OK ||
	    rights_check(ui->store, ui->account, PERM_MESSAGES, e.id, &err) !=
	    GERR_OK) {
		ui_message(ui, 1, _("read-only: %s"), err.msg);
		return (UI_STATUS);
	}
	lines[0] = m->text;
	/* By this database's id: the core puts the uid in the operation,
	 * which is what a backend knows the message by. */
	ui_confirm(ui, _("Remove this message?"), lines, 1, remove_yes,
	    json_pack("{s:I}", "id", (json_int_t)m->id), library_json_free);
	return (UI_DRAW);
}

/* The whole text of a message, wrapped, in a popup. */
static int
k_open(struct ui *ui, struct screen *s)
{
	struct msgv	*v = s->data;

	if (v->n == 0)
		return (0);
	ui_push(ui, text_new(v->m[v->nav.cur].establishment,
	    v->m[v->nav.cur].text));
	return (UI_DRAW);
}

static const struct key_entry msg_keys[] = {
	{ 'a', "a", N_("add a message, here or on the campus, for whole days (R10)"),
	    k_add },
	{ 'd', "d", N_("remove the message (asks first)"), k_remove },
	{ UI_FKEY(KEY_DC), N_("Delete"), N_("remove the message (asks first)"),
	    k_remove },
	{ '\r', N_("Enter"), N_("read the message in full"), k_open },
	{ 0, NULL, NULL, NULL }
};

static void
msg_draw(struct ui *ui, struct screen *s, int all)
{
	struct msgv		*v = s->data;
	struct message_info	*m;
	WINDOW			*w = s->win;
	char			 line[4400], f[CLOCK_ISO_LEN], t[CLOCK_ISO_LEN];
	int64_t			 now = clock_now();
	int			 y, i;

	(void)all;
	werase(w);
	snprintf(line, sizeof line, _("Messages of %s and %s, now and "
	    "coming"), v->e.code, CAMPUS);
	y = ui_heading(ui, w, line, v->ro);
	if (v->n == 0) {
		ui_put(w, y, 2, _("No message now or to come."),
		    getmaxx(w) - 4);
		wnoutrefresh(w);
		return;
	}
	nav_fit(&v->nav, getmaxy(w) - y);
	for (i = v->nav.top; i < (int)v->n && y < getmaxy(w); i++, y++) {
		m = &v->m[i];
		clock_format_iso(m->starts, m->tz, f);
		clock_format_iso(m->ends, m->tz, t);
		/* "now" or the day it starts; instants cut to the minute. */
		snprintf(line, sizeof line, "%-6s %-6s %-5s %.10s %.5s .. "
		    "%.10s %.5s  %s", m->starts <= now ? _("now") : _("later"),
		    m->establishment, m->kind, f, f + 11, t, t + 11, m->text);
		ui_row(w, y, line, i == v->nav.cur, A_NORMAL);
	}
	wnoutrefresh(w);
}

static void
msg_reload(struct ui *ui, struct screen *s)
{
	mv_load(ui, s->data);
}

static void
msg_free(struct screen *s)
{
	struct msgv	*v = s->data;

	free(v->m);
	free(v);
}

struct screen *
messages_new(struct ui *ui)
{
	struct screen		*s;
	struct msgv		*v;
	struct establishment	 c;
	struct gerror		 err, cerr;

	v = xcalloc(1, sizeof *v);
	if (library_find(ui, &v->e) != 0) {
		free(v);
		return (NULL);
	}
	/* Read-only when neither here nor on the campus (P2). */
	gerror_clear(&err);
	gerror_clear(&cerr);
	if (rights_check(ui->store, ui->account, PERM_MESSAGES, v->e.id,
	    &err) != GERR_OK && (establishment_find(ui->store, CAMPUS, &c) !=
	    GERR_OK || rights_check(ui->store, ui->account, PERM_MESSAGES,
	    c.id, &cerr) != GERR_OK))
		snprintf(v->ro, sizeof v->ro, "%s", err.msg);
	mv_load(ui, v);
	s = ui_screen_new(N_("Messages"), msg_keys);
	s->data = v;
	s->nav = &v->nav;
	s->common = 1;
	s->reload = msg_reload;
	s->draw = msg_draw;
	s->free = msg_free;
	return (s);
}
