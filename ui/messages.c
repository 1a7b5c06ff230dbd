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
	int			 cur, top;
	char			 ro[512];	/* why not P2 here, or "" */
	/* The message being added, one prompt after the other. */
	struct establishment	 to;
	char			 kind[16];
	char			 text[256];
	int32_t			 from;
};

static const struct key_entry msg_keys[];


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
	if (query_messages(ui->s, v->e.code, NULL, 0, &m, &n) != GERR_OK) {
		ui_message(ui, 1, "%s", _("cannot read the messages"));
		return;
	}
	for (i = 0; i < n; i++)
		if (m[i].ends > now)
			m[v->n++] = m[i];
	v->m = m;
	if (v->cur >= (int)v->n)
		v->cur = v->n > 0 ? (int)v->n - 1 : 0;
}

static int
changed(struct ui *ui)
{
	struct msgv	*v = ui_find(ui, msg_keys);

	ui_wrote(ui);
	if (v != NULL)
		mv_load(ui, v);
	/* The header shows a new pop-up at once. */
	return (UI_DRAW_ALL | UI_HEADER | UI_STATUS);
}

/* Last question: how many days; then the core decides (R10). */
static int
add_days(struct ui *ui, const char *text, const char *arg)
{
	struct msgv	*v = ui_find(ui, msg_keys);
	struct gerror	 err;
	json_t		*p;
	char		 f[CLOCK_ISO_LEN], t[CLOCK_ISO_LEN], *ep;
	long		 days;
	enum gerr	 e;

	(void)arg;
	if (v == NULL)
		return (0);
	days = strtol(text, &ep, 10);
	while (*ep == ' ')
		ep++;
	if (ep == text || *ep != '\0' || days < 1 || days > 366) {
		ui_message(ui, 1, _("'%s': type a number of days, 1 to %lld "
		    "(R10)"), text, (long long)setting_get(ui->s,
		    SET_MESSAGE_MAX_DAYS));
		return (UI_STATUS);
	}
	/* Whole local days, the last one included. */
	clock_format_iso(tz_day_start(v->to.tz, v->from), v->to.tz, f);
	clock_format_iso(tz_day_start(v->to.tz, v->from + (int32_t)days),
	    v->to.tz, t);
	p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "establishment", v->to.code,
	    "kind", v->kind, "text", v->text, "from", f, "to", t);
	gerror_clear(&err);
	e = op_apply(ui->s, ui->account, NULL, "message_add", p, NULL, &err);
	json_decref(p);
	if (e != GERR_OK) {
		ui_message(ui, 1, _("message not added: %s"), err.msg);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	ui_message(ui, 0, ngettext("Message added on %s for %ld day.",
	    "Message added on %s for %ld days.", (unsigned long)days),
	    v->to.code, days);
	return (changed(ui));
}

static int
add_from(struct ui *ui, const char *text, const char *arg)
{
	struct msgv	*v = ui_find(ui, msg_keys);
	char		 label[80];

	(void)arg;
	if (v == NULL)
		return (0);
	if (text[strspn(text, " ")] == '\0')
		v->from = tz_local_day(v->to.tz, clock_now());
	else if (tz_parse_date(text, &v->from) != 0) {
		ui_message(ui, 1, _("'%s' is not a date: type YYYY-MM-DD"),
		    text);
		return (UI_STATUS);
	}
	snprintf(label, sizeof label, _("For how many days (1-%lld, R10)? "),
	    (long long)setting_get(ui->s, SET_MESSAGE_MAX_DAYS));
	ui_push(ui, prompt_new(N_("New message"), label, "1", add_days));
	return (UI_DRAW);
}

static int
add_text(struct ui *ui, const char *text, const char *arg)
{
	struct msgv	*v = ui_find(ui, msg_keys);

	(void)arg;
	if (v == NULL)
		return (0);
	if (text[strspn(text, " ")] == '\0') {
		ui_message(ui, 1, "%s", _("a message needs a text: nothing "
		    "added"));
		return (UI_STATUS);
	}
	snprintf(v->text, sizeof v->text, "%s", text);
	ui_push(ui, prompt_new(N_("New message"),
	    _("From (YYYY-MM-DD, empty: today): "), "", add_from));
	return (UI_DRAW);
}

static int
add_kind(struct ui *ui, const char *text, const char *arg)
{
	struct msgv	*v = ui_find(ui, msg_keys);

	(void)arg;
	if (v == NULL)
		return (0);
	if (strcmp(text, "popup") != 0 && strcmp(text, "event") != 0) {
		ui_message(ui, 1, _("'%s': type popup or event"), text);
		return (UI_STATUS);
	}
	snprintf(v->kind, sizeof v->kind, "%s", text);
	ui_push(ui, prompt_new(N_("New message"), _("Text: "), "", add_text));
	return (UI_DRAW);
}

static int
add_where(struct ui *ui, const char *text, const char *arg)
{
	struct msgv	*v = ui_find(ui, msg_keys);
	struct gerror	 err;

	(void)arg;
	if (v == NULL)
		return (0);
	if (strcasecmp(text, v->e.code) != 0 && strcasecmp(text, CAMPUS) != 0) {
		ui_message(ui, 1, _("'%s': type %s, or %s for every library"),
		    text, v->e.code, CAMPUS);
		return (UI_STATUS);
	}
	if (establishment_find(ui->s, strcasecmp(text, CAMPUS) == 0 ? CAMPUS :
	    v->e.code, &v->to) != GERR_OK) {
		ui_message(ui, 1, _("no such establishment: %s"), text);
		return (UI_STATUS);
	}
	/* Say so before the text is typed, not after. */
	gerror_clear(&err);
	if (rights_check(ui->s, ui->account, PERM_MESSAGES, v->to.id, &err) !=
	    GERR_OK) {
		ui_message(ui, 1, _("read-only: %s"), err.msg);
		return (UI_STATUS);
	}
	ui_push(ui, prompt_new(N_("New message"),
	    _("Kind (popup or event): "), "popup", add_kind));
	return (UI_DRAW);
}

static int
k_add(struct ui *ui, struct screen *s)
{
	struct msgv	*v = s->data;
	char		 label[128];

	snprintf(label, sizeof label, _("Where (%s, or %s for every "
	    "library): "), v->e.code, CAMPUS);
	ui_push(ui, prompt_new(N_("New message"), label, v->e.code,
	    add_where));
	return (UI_DRAW);
}

static int
remove_yes(struct ui *ui, void *arg)
{
	json_t		*p = arg;
	struct gerror	 err;

	gerror_clear(&err);
	if (op_apply(ui->s, ui->account, NULL, "message_remove", p, NULL,
	    &err) != GERR_OK) {
		ui_message(ui, 1, _("message not removed: %s"), err.msg);
		json_decref(p);
		return (UI_DRAW_ALL | UI_STATUS);
	}
	json_decref(p);
	ui_message(ui, 0, "%s", _("Message removed."));
	return (changed(ui));
}

static void
payload_free(void *arg)
{
	json_decref(arg);
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
	m = &v->m[v->cur];
	gerror_clear(&err);
	if (establishment_find(ui->s, m->establishment, &e) != GERR_OK ||
	    rights_check(ui->s, ui->account, PERM_MESSAGES, e.id, &err) !=
	    GERR_OK) {
		ui_message(ui, 1, _("read-only: %s"), err.msg);
		return (UI_STATUS);
	}
	lines[0] = m->text;
	/* By this database's id: the core puts the uid in the operation,
	 * which is what a backend knows the message by. */
	ui_confirm(ui, _("Remove this message?"), lines, 1, remove_yes,
	    json_pack("{s:I}", "id", (json_int_t)m->id), payload_free);
	return (UI_DRAW);
}

static int
m_move(struct screen *s, int d)
{
	struct msgv	*v = s->data;

	v->cur += d;
	if (v->cur >= (int)v->n)
		v->cur = (int)v->n - 1;
	if (v->cur < 0)
		v->cur = 0;
	return (UI_DRAW);
}

static int k_up(struct ui *u, struct screen *s) { (void)u; return (m_move(s, -1)); }
static int k_down(struct ui *u, struct screen *s) { (void)u; return (m_move(s, 1)); }

static const struct key_entry msg_keys[] = {
	{ 'a', "a", N_("add a message, here or on the campus, for whole days (R10)"),
	    k_add },
	{ 'd', "d", N_("remove the message (asks first)"), k_remove },
	{ UI_FKEY(KEY_DC), N_("Delete"), N_("remove the message (asks first)"),
	    k_remove },
	{ UI_FKEY(KEY_UP), N_("Up"), N_("previous"), k_up },
	{ 'k', "k", N_("previous"), k_up },
	{ UI_FKEY(KEY_DOWN), N_("Down"), N_("next"), k_down },
	{ 'j', "j", N_("next"), k_down },
	{ '?', "?", N_("help"), keys_help_open },
	{ 27, N_("Esc"), N_("back to the grid"), keys_back },
	{ 'q', "q", N_("back to the grid"), keys_back },
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
	int			 wh, wd, y, i;

	(void)all;
	getmaxyx(w, wh, wd);
	werase(w);
	wattrset(w, A_BOLD);
	snprintf(line, sizeof line, _("Messages of %s and %s, now and "
	    "coming"), v->e.code, CAMPUS);
	ui_put(w, 0, 1, line, wd - 2);
	wattrset(w, A_NORMAL);
	y = 1;
	if (v->ro[0] != '\0') {
		wattrset(w, ui_attr(ui, C_READONLY));
		snprintf(line, sizeof line, _("read-only: %s"), v->ro);
		y += ui_wrap(w, y, 1, line, wd - 2, 2);
		wattrset(w, A_NORMAL);
	}
	y++;
	if (v->n == 0) {
		ui_put(w, y, 2, _("No message now or to come."), wd - 4);
		wnoutrefresh(w);
		return;
	}
	if (v->cur < v->top)
		v->top = v->cur;
	if (v->cur >= v->top + wh - y)
		v->top = v->cur - (wh - y) + 1;
	for (i = v->top; i < (int)v->n && y < wh; i++, y++) {
		m = &v->m[i];
		clock_format_iso(m->starts, m->tz, f);
		clock_format_iso(m->ends, m->tz, t);
		/* "now" or the day it starts; instants cut to the minute. */
		snprintf(line, sizeof line, "%-6s %-6s %-5s %.10s %.5s .. "
		    "%.10s %.5s  %s", m->starts <= now ? _("now") : _("later"),
		    m->establishment, m->kind, f, f + 11, t, t + 11, m->text);
		wattrset(w, i == v->cur ? A_REVERSE : A_NORMAL);
		mvwhline(w, y, 0, ' ', wd);
		ui_put(w, y, 0, i == v->cur ? ">" : " ", 1);
		ui_put(w, y, 2, line, wd - 3);
	}
	wattrset(w, A_NORMAL);
	wnoutrefresh(w);
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
	if (establishment_find(ui->s, ui->library, &v->e) != GERR_OK) {
		free(v);
		ui_message(ui, 1, "%s", _("no library under the cursor: move "
		    "to one of its rooms"));
		return (NULL);
	}
	/* Read-only when neither here nor on the campus (P2). */
	gerror_clear(&err);
	gerror_clear(&cerr);
	if (rights_check(ui->s, ui->account, PERM_MESSAGES, v->e.id, &err) !=
	    GERR_OK && (establishment_find(ui->s, CAMPUS, &c) != GERR_OK ||
	    rights_check(ui->s, ui->account, PERM_MESSAGES, c.id, &cerr) !=
	    GERR_OK))
		snprintf(v->ro, sizeof v->ro, "%s", err.msg);
	mv_load(ui, v);
	s = ui_screen_new(N_("Messages"), msg_keys);
	s->data = v;
	s->draw = msg_draw;
	s->free = msg_free;
	return (s);
}
