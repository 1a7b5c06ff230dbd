/*
 * The booking form: e-mail, name, phone, origin and end time. Every rule
 * is checked as the agent types (rules_check_email, rules_check_booking:
 * read-only) and the refusal shown with its reason, with the longest
 * booking from the same start that the rules accept (rules_fit_end), which
 * one key takes; Enter books through op_apply("book"). Esc asks before
 * dropping typed text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ops.h"
#include "query.h"
#include "rules.h"
#include "tz.h"
#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

enum { F_EMAIL, F_NAME, F_PHONE, F_ORIGIN, F_END, F__COUNT };

struct form {
	struct resource	 r;
	int64_t		 start, end;
	int		 session;	/* capacity: the end is the session's */
	struct field	 f[F__COUNT];
	int		 origin;	/* 0 phone, 1 walk-in */
	int		 focus;
	int		 ok;
	int64_t		 offer;		/* an end that fits, or 0 */
	int		 known;		/* name and phone from before */
	int		 top;		/* first field shown (small screens) */
	char		 check[768];
};

static const char *const labels[F__COUNT] = {
	N_("E-mail"), N_("Name"), N_("Phone"), N_("Origin"), N_("Ends at"),
};

static int
fields(const struct form *fm)
{
	return (fm->session ? F_END : F__COUNT);
}

/* The end the agent typed, or -1. */
static int64_t
form_end(struct form *fm)
{
	int	min;
	int32_t	d;
	int	m0, off;

	if (fm->session)
		return (fm->end);
	if (parse_time(fm->f[F_END].buf, &min) != 0)
		return (-1);
	tz_utc_to_local(fm->r.tz, fm->start, &d, &m0, &off);
	return (tz_local_to_utc(fm->r.tz, d, min));
}

/* HH:MM of an instant in the resource's time; an end at midnight is
 * 24:00. */
static void
form_hhmm(const struct form *fm, int64_t t, int end, char *out)
{
	int32_t	d;
	int	min, off;

	tz_utc_to_local(fm->r.tz, t, &d, &min, &off);
	if (end && min == 0 && t > fm->start)
		min = 24 * 60;
	tz_format_hhmm(min, out);
}

/*
 * A known patron: once the e-mail is a whole address, fill the name and
 * the phone from the patron's last booking, if the agent typed none.
 */
static void
form_known(struct ui *ui, struct form *fm)
{
	struct booking_filter	 f;
	struct booking		*b;
	size_t			 n;
	char			 norm[EMAIL_LEN];

	if (fm->f[F_NAME].len > 0 || fm->f[F_PHONE].len > 0 ||
	    rules_email_normalise(fm->f[F_EMAIL].buf, norm) != 0)
		return;
	memset(&f, 0, sizeof f);
	f.email = norm;
	f.status = -1;
	if (query_bookings(ui->store, &f, &b, &n) != GERR_OK)
		return;
	/* By start: the last one has the latest name and phone. */
	while (n > 0 && b[n - 1].name[0] == '\0' && b[n - 1].phone[0] == '\0')
		n--;
	if (n > 0) {
		field_set(&fm->f[F_NAME], b[n - 1].name, 1);
		field_set(&fm->f[F_PHONE], b[n - 1].phone, 1);
		fm->known = 1;
	}
	free(b);
}

/* Check every rule as the booking stands now. */
static void
form_check(struct ui *ui, struct form *fm)
{
	struct booking_req	 q;
	struct gerror		 err;
	char			 norm[EMAIL_LEN];
	int64_t			 end = form_end(fm), fit;
	char			 a[TZ_HHMM_LEN], b[TZ_HHMM_LEN];

	fm->ok = 0;
	fm->offer = 0;
	gerror_clear(&err);
	if (fm->f[F_EMAIL].len == 0) {
		snprintf(fm->check, sizeof fm->check, "%s",
		    _("Type the patron's e-mail."));
		return;
	}
	if (rules_check_email(ui->store, fm->f[F_EMAIL].buf,
	    resource_internal(&fm->r), &err) != GERR_OK) {
		snprintf(fm->check, sizeof fm->check, "%s", err.msg);
		return;
	}
	if (end < 0) {
		snprintf(fm->check, sizeof fm->check, "%s",
		    _("Type the end as 15:30, 15h30, 1530 or 15."));
		return;
	}
	rules_email_normalise(fm->f[F_EMAIL].buf, norm);
	memset(&q, 0, sizeof q);
	q.resource = &fm->r;
	q.start = fm->start;
	q.end = end;
	q.email = norm;
	q.places = 1;
	q.origin = fm->origin ? ORIGIN_WALK_IN : ORIGIN_PHONE;
	if (rules_check_booking(ui->store, &q, clock_now(), &err) != GERR_OK) {
		snprintf(fm->check, sizeof fm->check, "%s", err.msg);
		/* What does fit from the same start (SCENARIOS 09:05). */
		if (!fm->session && end > fm->start &&
		    rules_fit_end(ui->store, &q, clock_now(), &fit, NULL) ==
		    GERR_OK && fit > fm->start && fit < end) {
			fm->offer = fit;
			form_hhmm(fm, fm->start, 0, a);
			form_hhmm(fm, fit, 1, b);
			snprintf(fm->check, sizeof fm->check,
			    _("%s. %s-%s is possible: ^O takes it."), err.msg,
			    a, b);
		}
		return;
	}
	fm->ok = 1;
	snprintf(fm->check, sizeof fm->check, "%s",
	    _("Can be booked: Enter books it."));
}

static int
form_book(struct ui *ui, struct screen *s)
{
	struct form	*fm = s->data;
	struct gerror	 err;
	json_t		*p, *res = NULL;
	char		 a[CLOCK_ISO_LEN], b[CLOCK_ISO_LEN];
	char		 ha[TZ_HHMM_LEN], hb[TZ_HHMM_LEN];
	int64_t		 end = form_end(fm);

	form_check(ui, fm);
	if (!fm->ok) {
		ui_message(ui, 1, _("not booked: %s"), fm->check);
		return (UI_DRAW | UI_STATUS);
	}
	clock_format_iso(fm->start, fm->r.tz, a);
	clock_format_iso(end, fm->r.tz, b);
	p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "resource", fm->r.code, "start", a, "end", b,
	    "email", fm->f[F_EMAIL].buf, "name", fm->f[F_NAME].buf,
	    "phone", fm->f[F_PHONE].buf,
	    "origin", fm->origin ? "walk-in" : "phone");
	gerror_clear(&err);
	if (op_apply(ui->store, ui->account, NULL, "book", p, &res, &err) !=
	    GERR_OK) {
		json_decref(p);
		json_decref(res);
		snprintf(fm->check, sizeof fm->check, "%s", err.msg);
		fm->ok = 0;
		ui_message(ui, 1, _("not booked: %s"), err.msg);
		return (UI_DRAW | UI_STATUS);
	}
	json_decref(p);
	json_decref(res);
	ui_wrote(ui);
	/* Local HH:MM, as the grid shows it, not ISO instants. */
	form_hhmm(fm, fm->start, 0, ha);
	form_hhmm(fm, end, 1, hb);
	ui_message(ui, 0, _("Booked %s %s-%s for %s."), fm->r.code, ha, hb,
	    fm->f[F_EMAIL].buf);
	ui->msg[sizeof ui->msg - 1] = '\0';
	ui_pop(ui);
	return (UI_RELOAD | UI_DRAW_ALL | UI_STATUS);
}

/* Take the offered end: the form then books what fits. */
static int
form_take(struct ui *ui, struct screen *s)
{
	struct form	*fm = s->data;

	if (fm->offer == 0) {
		ui_message(ui, 1, "%s", _("no shorter booking to take: the "
		    "form says why this one is refused"));
		return (UI_STATUS);
	}
	{
		char	hm[TZ_HHMM_LEN];

		form_hhmm(fm, fm->offer, 1, hm);
		field_set(&fm->f[F_END], hm, 0);
	}
	form_check(ui, fm);
	return (UI_DRAW);
}

static int
form_half(struct screen *s)
{
	struct form	*fm = s->data;

	return (fm->f[F_EMAIL].len > 0 || (!fm->known &&
	    (fm->f[F_NAME].len > 0 || fm->f[F_PHONE].len > 0)));
}

static int
discard_yes(struct ui *ui, void *arg)
{
	(void)arg;
	ui_pop(ui);
	ui_message(ui, 0, "%s", _("Booking form closed, nothing booked."));
	return (UI_DRAW_ALL | UI_STATUS);
}

static int
form_cancel(struct ui *ui, struct screen *s)
{
	if (form_half(s)) {
		ui_confirm(ui, _("Drop this half-filled booking?"), NULL, 0,
		    discard_yes, NULL, NULL);
		return (UI_DRAW);
	}
	ui_pop(ui);
	return (UI_DRAW_ALL);
}

static int
form_next(struct ui *ui, struct screen *s)
{
	struct form	*fm = s->data;

	(void)ui;
	fm->focus = (fm->focus + 1) % fields(fm);
	return (UI_DRAW);
}

static int
form_prev(struct ui *ui, struct screen *s)
{
	struct form	*fm = s->data;

	(void)ui;
	fm->focus = (fm->focus + fields(fm) - 1) % fields(fm);
	return (UI_DRAW);
}

static int
form_toggle(struct ui *ui, struct screen *s)
{
	struct form	*fm = s->data;

	if (fm->focus != F_ORIGIN)
		return (0);
	fm->origin = !fm->origin;
	form_check(ui, fm);
	return (UI_DRAW);
}

static void
form_edited(struct ui *ui, struct screen *s)
{
	struct form	*fm = s->data;

	if (fm->focus == F_EMAIL)
		form_known(ui, fm);
	form_check(ui, fm);
}

static int
form_text(struct ui *ui, struct screen *s, wint_t c)
{
	struct form	*fm = s->data;

	if (fm->focus == F_ORIGIN) {
		if (c == ' ')
			return (form_toggle(ui, s));
		return (0);
	}
	if (!field_add(&fm->f[fm->focus], c))
		return (0);
	form_edited(ui, s);
	return (UI_DRAW);
}

/* The text field under the cursor; none on the origin's choice. */
static struct field *
form_field(struct screen *s)
{
	struct form	*fm = s->data;

	return (fm->focus == F_ORIGIN ? NULL : &fm->f[fm->focus]);
}

static const struct key_entry form_keys[] = {
	{ '\r', N_("Enter"), N_("book"), form_book },
	{ 27, N_("Esc"), N_("close (asks if half filled)"), form_cancel },
	{ UI_CTRL('o'), "^O", N_("take the booking offered, that fits"),
	    form_take },
	{ '\t', N_("Tab"), N_("next field"), form_next },
	{ UI_FKEY(KEY_DOWN), N_("Down"), N_("next field"), form_next },
	{ UI_FKEY(KEY_BTAB), N_("S-Tab"), N_("previous field"), form_prev },
	{ UI_FKEY(KEY_UP), N_("Up"), N_("previous field"), form_prev },
	{ UI_FKEY(KEY_LEFT), N_("Left"), N_("origin: phone or walk-in"),
	    form_toggle },
	{ UI_FKEY(KEY_RIGHT), N_("Right"), N_("origin: phone or walk-in"),
	    form_toggle },
	{ 0, NULL, NULL, NULL }
};

static void
form_draw(struct ui *ui, struct screen *s, int all)
{
	struct form	*fm = s->data;
	WINDOW		*w;
	char		 line[900], d[TZ_DATE_LEN], hm[TZ_HHMM_LEN];
	int		 h, wd, i, y, cx = 0, cy = 0, rows, lw;
	int32_t		 day;
	int		 min, off;

	(void)all;
	ui_popup(ui, s, 15, 70);
	w = s->win;
	getmaxyx(w, h, wd);
	tz_utc_to_local(fm->r.tz, fm->start, &day, &min, &off);
	tz_format_date(day, d);
	tz_format_hhmm(min, hm);
	snprintf(line, sizeof line, _("%s  %s  %s from %s"), fm->r.code,
	    fm->r.name, d, hm);
	ui_put(w, 1, 2, line, wd - 4);
	/*
	 * The fields that fit (a small terminal shows fewer), scrolled so
	 * that the one under the cursor always shows, with the check line.
	 */
	rows = h - 6 > 1 ? h - 6 : 1;
	if (rows > fields(fm))
		rows = fields(fm);
	if (fm->focus < fm->top)
		fm->top = fm->focus;
	if (fm->focus >= fm->top + rows)
		fm->top = fm->focus - rows + 1;
	lw = wd < 50 ? 9 : 10;
	for (i = fm->top, y = 3; i < fields(fm) && i < fm->top + rows; i++,
	    y++) {
		wattrset(w, i == fm->focus ? A_BOLD : A_NORMAL);
		ui_put(w, y, 2, _(labels[i]), lw - 1);
		wattrset(w, A_NORMAL);
		if (i == F_ORIGIN) {
			snprintf(line, sizeof line, "%s %s   %s %s",
			    fm->origin ? "( )" : "(*)", _("phone"),
			    fm->origin ? "(*)" : "( )", _("walk-in"));
			ui_put(w, y, 2 + lw, line, wd - 4 - lw);
		} else {
			wattrset(w, fm->f[i].fresh && i == fm->focus ?
			    A_REVERSE : A_UNDERLINE);
			mvwhline(w, y, 2 + lw, ' ', wd - 4 - lw);
			ui_put(w, y, 2 + lw, fm->f[i].buf, wd - 4 - lw);
			wattrset(w, A_NORMAL);
		}
		if (i == fm->focus) {
			cy = y;
			/* On the star of the chosen origin. */
			cx = 2 + lw + (i == F_ORIGIN ? 1 + (fm->origin ?
			    ui_width(_("phone")) + 7 : 0) :
			    field_cursor(&fm->f[i]));
		}
	}
	if (fm->top > 0 || fm->top + rows < fields(fm))
		ui_put(w, 2, wd - 4, fm->top > 0 ? "^" : "v", 1);
	if (fm->session)
		ui_put(w, y++, 2, _("(a place in this session)"), wd - 4);
	wattrset(w, ui_attr(ui, fm->ok ? C_OK : C_ERROR));
	snprintf(line, sizeof line, "%s %s", fm->ok ? _("OK:") : "!",
	    fm->check);
	/* The reason and the offer may be long: cut between words. */
	if (y + 1 < h - 1)
		ui_wrap(w, y + 1, 2, line, wd - 4, h - 2 - y);
	wattrset(w, A_NORMAL);
	if (cx >= wd - 1)
		cx = wd - 2;
	wmove(w, cy, cx);
	wnoutrefresh(w);
}

static void
form_free(struct screen *s)
{
	free(s->data);
}

/* kind: 0 free cell, 1 capacity session, 2 walk-in from "free now". */
struct screen *
form_new(struct ui *ui, const struct grid_row *r, int64_t start,
    int64_t end, int kind)
{
	struct screen	*s = ui_screen_new(N_("New booking"), form_keys);
	struct form	*fm = xcalloc(1, sizeof *fm);
	int32_t		 d;
	int		 min, off;
	char		 hm[TZ_HHMM_LEN];

	fm->r = r->resource;
	fm->start = start;
	fm->end = end;
	fm->session = kind == 1;
	fm->origin = kind == 2;
	tz_utc_to_local(fm->r.tz, end, &d, &min, &off);
	if (min == 0 && end > start)
		min = 24 * 60;
	tz_format_hhmm(min, hm);
	field_set(&fm->f[F_END], hm, 1);
	s->data = fm;
	s->field = form_field;
	s->edited = form_edited;
	s->popup = 1;
	s->cursor = 1;
	s->draw = form_draw;
	s->text = form_text;
	s->free = form_free;
	s->half_filled = form_half;
	form_check(ui, fm);
	return (s);
}
