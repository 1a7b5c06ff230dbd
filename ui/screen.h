/*
 * What the screens of ui/ share: the interface state, the stack of
 * screens, the handler results and the helpers to draw. A screen is a
 * small struct of callbacks; the main loop (ui.c) owns input, the clock
 * tick and the redraws, and acts once on what the handlers return.
 */
#ifndef GUICHET_UI_SCREEN_H
#define GUICHET_UI_SCREEN_H

#include <curses.h>
#include <stdint.h>
#include <wchar.h>

#include <jansson.h>

#include "conf.h"
#include "domain.h"
#include "rights.h"
#include "store.h"
#include "sync.h"

/* What a handler asks the loop to do, as a bitmask. */
#define UI_DRAW		0x01	/* the top screen changed */
#define UI_DRAW_ALL	0x02	/* every window, e.g. a popup closed */
#define UI_HEADER	0x04	/* the header line */
#define UI_STATUS	0x08	/* the status line */
#define UI_RELOAD	0x10	/* the data changed: reload the grid */
#define UI_QUIT		0x20

/* Function keys in key tables, apart from characters of the same value. */
#define UI_FKEY(k)	((int)(k) | 0x40000000)
#define UI_CTRL(c)	((c) & 0x1f)

struct ui;
struct screen;

typedef int (*key_fn)(struct ui *ui, struct screen *s);

/* A key binding: one table drives dispatch, the help and the hints. */
struct key_entry {
	int		 key;		/* a character, or UI_FKEY(KEY_...) */
	const char	*name;		/* as help shows it: "Enter" */
	const char	*help;		/* what it does */
	key_fn		 fn;
};

/* The hint line of a busy screen: its keys of the day, a word each. */
struct key_hint {
	int		 key;
	const char	*name;
	const char	*word;
};

/* Color pairs and their monochrome stand-ins (ui_attr). */
enum ui_color {
	C_NORMAL,
	C_HEADER,
	C_FREE,
	C_BOOKED,
	C_PENDING,
	C_PRESENT,
	C_LATE,
	C_CLOSED,
	C_READONLY,
	C_ERROR,
	C_OK,
	C_SESSION,
	C_GROUP,
	C__COUNT
};

/*
 * Shared list navigation (keys.c): a screen that shows a list points
 * s->nav at one of these and gets Up/Down/j/k, PgUp/PgDn, Home/End from
 * keys_nav. The draw sets page (the lines it shows) and calls nav_fit.
 */
struct nav {
	int	cur;		/* the line under the cursor */
	int	top;		/* the first line shown */
	int	n;		/* lines in all */
	int	page;		/* lines shown, set by the draw */
	/* No cursor: the keys scroll, and stop when the last line shows. */
	int	scroll;
};
/* Keep the cursor inside the list and on the page. */
void	 nav_fit(struct nav *v, int page);

struct field;

struct screen {
	const char		*title;		/* help's heading */
	const struct key_entry	*keys;		/* ends with a NULL name */
	/* Esc and q go back, ? opens the help (keys_common). */
	int			 common;
	struct nav		*nav;		/* keys_nav moves it, or NULL */
	/* The field under the cursor (keys_field edit it), or NULL. */
	struct field		*(*field)(struct screen *s);
	/* After keys_field changed the field (forms check again). */
	void			(*edited)(struct ui *ui, struct screen *s);
	/* The hint line, when the key table's first keys are not it. */
	const struct key_hint	*hints;
	/* The data changed (a write, a sync): read it again. */
	void			(*reload)(struct ui *ui, struct screen *s);
	/* Draw into win; all is 0 when only what changed is needed. */
	void			(*draw)(struct ui *ui, struct screen *s, int all);
	/* A typed character that no key binds (forms), or NULL. */
	int			(*text)(struct ui *ui, struct screen *s, wint_t c);
	void			(*free)(struct screen *s);
	int			 popup;		/* drawn over the screens below */
	int			 cursor;	/* shows the text cursor */
	/* Typed text would be lost by leaving: quitting asks first. */
	int			(*half_filled)(struct screen *s);
	WINDOW			*win;
	void			*data;
	struct screen		*below;
};

struct ui {
	struct store		*store;	/* "s" is always a screen in ui/ */
	const struct conf	*cfg;
	struct account		*account;	/* NULL until logged in */
	WINDOW			*header, *status;
	WINDOW			*msgwin;	/* a long message, wrapped */
	WINDOW			*body;		/* the base screen's window */
	struct screen		*top;
	struct screen		*grid;		/* the base screen, once in */
	int			 utf8;
	int			 color;
	char			 library[32];	/* shown in the header */
	char			 msg[512];	/* the status line */
	char			 lastmsg[512];	/* the last one, for ^G */
	int			 msg_error;
	int			 exit;
	int			 pending;	/* dirty flags from push/pop */
	/* With a backend: the worker, and what the header says of it. */
	struct sync_worker	*sync;
	struct sync_report	 sync_rep;
	int64_t			 data_version;	/* of the replica, as seen */
};

/* ui.c: the main loop, the stack of screens, the status line. */
void	 ui_push(struct ui *ui, struct screen *s);
/* Close the top screen (freed: the caller must not use it after). */
void	 ui_pop(struct ui *ui);
/* Set the status line; error shows it as an error. */
void	 ui_message(struct ui *ui, int error, const char *fmt, ...)
	     __attribute__((format(printf, 3, 4)));
int	 ui_attr(struct ui *ui, enum ui_color c);
/* (Re)make a centred popup window of at most h x w, boxed and titled. */
void	 ui_popup(struct ui *ui, struct screen *s, int h, int w);
int	 ui_body_lines(void);
struct screen	*ui_screen_new(const char *title,
		     const struct key_entry *keys);
int	 ui_quit_key(struct ui *ui, struct screen *s);
/* Whether the desk syncs with a backend. */
int	 ui_has_backend(struct ui *ui);
/* After login: the background sync, when the desk has a backend. */
void	 ui_sync_start(struct ui *ui);
/* After a write at the desk: push it now (never waits). */
void	 ui_wrote(struct ui *ui);
/* The "sync now" key: kick the worker, or say there is no backend. */
int	 ui_sync_now(struct ui *ui);
/* Read the sync state again (at most once a second); UI_RELOAD when
 * another connection (the worker) changed the replica. */
int	 ui_sync_poll(struct ui *ui);
extern const struct key_entry ui_global_keys[];

/* confirm.c: ask y/n; on yes fn takes arg, on no arg_free (may be NULL)
 * frees it. The question and the n lines are copied. */
void	 ui_confirm(struct ui *ui, const char *question, char **lines,
	     size_t n, int (*fn)(struct ui *ui, void *arg), void *arg,
	     void (*arg_free)(void *arg));

/* header.c: draw the two header lines. */
void	 header_draw(struct ui *ui);

/* text.c */
/* Print at most n columns of UTF-8 text; returns columns used. */
int	 ui_put(WINDOW *w, int y, int x, const char *text, int n);
/* Print text from line y, cut between words at width w, on max lines
 * at most; returns the lines used. */
int	 ui_wrap(WINDOW *win, int y, int x, const char *text, int w,
	     int max);
/* The lines ui_wrap takes for a text at width w (with no maximum). */
int	 ui_wrap_lines(const char *text, int w);
/* A list screen's first lines: its title, bold, and why the account may
 * not change it (ro, or NULL), wrapped; returns the first free line. */
int	 ui_heading(struct ui *ui, WINDOW *w, const char *title,
	     const char *ro);
/* A line of a list in attr; the one under the cursor (cur) is marked
 * and reversed. */
void	 ui_row(WINDOW *w, int y, const char *line, int cur, int attr);
/* Columns a UTF-8 text takes on screen. */
int	 ui_width(const char *text);
/* A status, origin or resource type in the agent's language. */
const char *ui_status(enum status st);
const char *ui_origin(enum origin o);
const char *ui_rtype(enum rtype t);
/* A symbol, or its ASCII stand-in when the terminal is not UTF-8. */
const char *ui_sym(struct ui *ui, const char *utf8, const char *ascii);

/* keys.c */
const struct key_entry *keys_find(const struct key_entry *t, int key);
/* A key on a screen: its table, then the shared tables it takes. */
const struct key_entry *keys_lookup(struct screen *s, int key);
/* Help lines of a table: keys of the same action share one line. The
 * lines and *out are the caller's to free. */
size_t	 keys_help(const struct key_entry *t, char ***out);
void	 keys_hints(const struct screen *s, char *buf, size_t size);
/* Handlers many screens share: the help of this screen, and back. */
int	 keys_help_open(struct ui *ui, struct screen *s);
int	 keys_back(struct ui *ui, struct screen *s);
/* The tables every screen may share: back and help, list moves, editing. */
extern const struct key_entry keys_common[];
extern const struct key_entry keys_nav[];
extern const struct key_entry keys_field[];

/* field.c: a line of typed UTF-8 text, edited at a cursor. */
struct field {
	char	buf[256];
	size_t	len;
	size_t	pos;		/* the cursor, a byte offset */
	/* Filled in advance: the first character typed replaces it. */
	int	fresh;
};
int	 field_add(struct field *f, wint_t c);
int	 field_backspace(struct field *f);
int	 field_width(const struct field *f);
/* Columns before the cursor. */
int	 field_cursor(const struct field *f);
/* Set the text (a default: fresh), the cursor at its end. */
void	 field_set(struct field *f, const char *text, int fresh);
int	 field_left(struct field *f);
int	 field_right(struct field *f);
int	 field_home(struct field *f);
int	 field_end(struct field *f);
int	 field_delete(struct field *f);
int	 field_kill(struct field *f);
int	 field_kill_word(struct field *f);

/* parse.c: what the agent types, read the way people write it. */
/* 14:30, 14h30, 14h, 1430, 14, 9: minutes of the day; -1 if not a time. */
int	 parse_time(const char *text, int *min);
/* YYYY-MM-DD, DD/MM[/YYYY], +N, -N, today, tomorrow, yesterday (and in
 * French): a day number from today's; -1 if not a date. */
int	 parse_date(const char *text, int32_t today, int32_t *day);

/* login.c, grid.c, form.c, detail.c, prompt.c, list.c, help.c, late.c,
 * conflicts.c, hours.c, messages.c, stats.c */
struct screen	*login_new(const char *account);
struct screen	*grid_new(struct ui *ui);
void		 grid_goto(struct ui *ui, int32_t day, const char *resource,
		     int64_t when);
int32_t		 grid_today(struct ui *ui);
struct grid_row;
struct screen	*form_new(struct ui *ui, const struct grid_row *r,
		     int64_t start, int64_t end, int kind);
struct screen	*detail_new(struct ui *ui, const char *id);
/*
 * A prompt's callbacks take the text typed and the caller's argument
 * (not owned). check, if any, runs first: non-zero keeps the prompt open
 * with its text, the reason on the status line. done runs once the
 * prompt is closed and returns the loop's flags.
 */
typedef int (*prompt_fn)(struct ui *ui, const char *text, void *arg);
struct screen	*prompt_new(const char *title, const char *label,
		     const char *def, prompt_fn check, prompt_fn done,
		     void *arg);
/* Open a prompt on top (the next question of a chain); UI_DRAW. */
int		 prompt_push(struct ui *ui, const char *title,
		     const char *label, const char *def, prompt_fn check,
		     prompt_fn done, void *arg);
struct screen	*help_new(struct ui *ui, struct screen *from);
/* A popup showing a text whole, wrapped (the title is not translated). */
struct screen	*text_new(const char *title, const char *text);
int		 late_free_all(struct ui *ui);
/* The conflicts screen, or a message when there is none; returns flags. */
int		 conflicts_open(struct ui *ui);

/* library.c: what the screens of one library share. */
/* The library under the grid's cursor (ui->library) into e; -1, with the
 * reason on the status line, when there is none. */
int		 library_find(struct ui *ui, struct establishment *e);
/* One operation as the agent; a refusal goes on the status line after
 * what ("not changed"), except R13's list of bookings to confirm. */
enum gerr	 library_apply(struct ui *ui, const char *kind, json_t *p,
		     json_t **res, const char *what);
/* After a write: pushed to the backend, the screens read again. */
int		 library_changed(struct ui *ui);
/* ui_confirm's arg_free for a payload. */
void		 library_json_free(void *arg);
/* How many bookings res lists to cancel (R13), or cancelled. */
size_t		 library_listed(json_t *res);
size_t		 library_cancelled(json_t *res);
/* R13's second step: ask once, showing the bookings res lists; on yes,
 * yes takes p (owned) with "confirm" and those very "ids" set. */
void		 library_ask_listed(struct ui *ui, const char *question,
		     json_t *res, json_t *p,
		     int (*yes)(struct ui *ui, void *arg));

/* hours.c, messages.c, stats.c: screens of the library under the grid's
 * cursor (ui->library); NULL, with the reason on the status line, when
 * there is none or (statistics) the account may not see them. */
struct screen	*hours_new(struct ui *ui, int32_t day);
struct screen	*messages_new(struct ui *ui);
struct screen	*stats_new(struct ui *ui);
/* staff.c: sessions, library information, resources, accounts, the
 * campus's closure (P5, P7, P9, R13), of the library under the cursor. */
struct screen	*staff_new(struct ui *ui);
/* qrcode.c: the QR code of the validation page of that library (P5). */
struct screen	*qrcode_new(struct ui *ui);

struct list_item {
	char	 text[256];
	char	 id[40];		/* booking id, or "" */
	char	 resource[32];
	int64_t	 start, end;
};
/* A list to pick from; fn takes the line picked. The list owns items. */
struct screen	*list_new(const char *title, struct list_item *items,
		     size_t n, int (*fn)(struct ui *ui,
		     const struct list_item *it));

#endif
