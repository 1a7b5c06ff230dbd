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

typedef int (*key_fn)(struct ui *, struct screen *);

/* A key binding: one table drives dispatch, the help and the hints. */
struct key_entry {
	int		 key;		/* a character, or UI_FKEY(KEY_...) */
	const char	*name;		/* as help shows it: "Enter" */
	const char	*help;		/* what it does */
	key_fn		 fn;
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

struct screen {
	const char		*title;		/* help's heading */
	const struct key_entry	*keys;		/* ends with a NULL name */
	/* Draw into win; all is 0 when only what changed is needed. */
	void			(*draw)(struct ui *, struct screen *, int);
	/* A typed character that no key binds (forms), or NULL. */
	int			(*text)(struct ui *, struct screen *, wint_t);
	void			(*free)(struct screen *);
	int			 popup;		/* drawn over the screens below */
	int			 cursor;	/* shows the text cursor */
	/* Typed text would be lost by leaving: quitting asks first. */
	int			(*half_filled)(struct screen *);
	WINDOW			*win;
	void			*data;
	struct screen		*below;
};

struct ui {
	struct store		*s;
	const struct conf	*cfg;
	struct account		*account;	/* NULL until logged in */
	WINDOW			*header, *status;
	WINDOW			*body;		/* the base screen's window */
	struct screen		*top;
	struct screen		*grid;		/* the base screen, once in */
	int			 utf8;
	int			 color;
	char			 library[32];	/* shown in the header */
	char			 msg[512];	/* the status line */
	int			 msg_error;
	int			 exit;
	int			 pending;	/* dirty flags from push/pop */
	/* With a backend: the worker, and what the header says of it. */
	struct sync_worker	*sync;
	struct sync_report	 sync_rep;
	int64_t			 data_version;	/* of the replica, as seen */
};

/* ui.c */
void	 ui_push(struct ui *, struct screen *);
/* Close the top screen (freed: the caller must not use it after). */
void	 ui_pop(struct ui *);
void	 ui_message(struct ui *, int, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
int	 ui_attr(struct ui *, enum ui_color);
/* (Re)make a centred popup window of at most h x w, boxed and titled. */
void	 ui_popup(struct ui *, struct screen *, int, int);
int	 ui_body_lines(void);
struct screen	*ui_screen_new(const char *, const struct key_entry *);
/* Ask y/n; on yes fn takes arg, on no arg_free (may be NULL) frees it. */
void	 ui_confirm(struct ui *, const char *, char **, size_t,
	     int (*)(struct ui *, void *), void *, void (*)(void *));
/* Print at most n columns of UTF-8 text; returns columns used. */
int	 ui_put(WINDOW *, int, int, const char *, int);
/* Print text from line y, cut between words at width w, on max lines
 * at most; returns the lines used. */
int	 ui_wrap(WINDOW *, int, int, const char *, int, int);
/* Columns a UTF-8 text takes on screen. */
int	 ui_width(const char *);
/* A status, origin or resource type in the agent's language. */
const char *ui_status(enum status);
const char *ui_origin(enum origin);
const char *ui_rtype(enum rtype);
const char *ui_sym(struct ui *, const char *, const char *);
int	 ui_quit_key(struct ui *, struct screen *);
/* After login: the background sync, when the desk has a backend. */
void	 ui_sync_start(struct ui *);
/* After a write at the desk: push it now (never waits). */
void	 ui_wrote(struct ui *);
/* The "sync now" key: kick the worker, or say there is no backend. */
int	 ui_sync_now(struct ui *);
/* Read the sync state again (at most once a second); UI_RELOAD when
 * another connection (the worker) changed the replica. */
int	 ui_sync_poll(struct ui *);
extern const struct key_entry ui_global_keys[];

/* keys.c */
const struct key_entry *keys_find(const struct key_entry *, int);
/* Help lines of a table: keys of the same action share one line. */
size_t	 keys_help(const struct key_entry *, char ***);
void	 keys_hints(const struct key_entry *, char *, size_t);
/* Handlers many screens share: the help of this screen, and back. */
int	 keys_help_open(struct ui *, struct screen *);
int	 keys_back(struct ui *, struct screen *);
/* The data of the nearest screen on the stack with these keys, or NULL. */
void	*ui_find(struct ui *, const struct key_entry *);

/* field.c: a line of typed UTF-8 text. */
struct field {
	char	buf[256];
	size_t	len;
};
int	 field_add(struct field *, wint_t);
int	 field_backspace(struct field *);
int	 field_width(const struct field *);

/* login.c, grid.c, form.c, detail.c, prompt.c, list.c, help.c, late.c,
 * conflicts.c, hours.c, messages.c, stats.c */
struct screen	*login_new(const char *);
struct screen	*grid_new(struct ui *);
void		 grid_reload(struct ui *);
void		 grid_goto(struct ui *, int32_t, const char *, int64_t);
int32_t		 grid_today(struct ui *);
struct grid_row;
struct screen	*form_new(struct ui *, const struct grid_row *, int64_t,
		     int64_t, int);
struct screen	*detail_new(struct ui *, const char *);
struct screen	*prompt_new(const char *, const char *, const char *,
		     int (*)(struct ui *, const char *, const char *));
struct screen	*help_new(struct ui *, struct screen *);
int		 late_free_all(struct ui *);
/* The conflicts screen, or a message when there is none; returns flags. */
int		 conflicts_open(struct ui *);

/* hours.c, messages.c, stats.c: screens of the library under the grid's
 * cursor (ui->library); NULL, with the reason on the status line, when
 * there is none or (statistics) the account may not see them. */
struct screen	*hours_new(struct ui *, int32_t);
struct screen	*messages_new(struct ui *);
struct screen	*stats_new(struct ui *);
/* staff.c: sessions, library information, resources, accounts, the
 * campus's closure (P5, P7, P9, R13), of the library under the cursor. */
struct screen	*staff_new(struct ui *);
/* qrcode.c: the QR code of the validation page of that library (P5). */
struct screen	*qrcode_new(struct ui *);

struct list_item {
	char	 text[256];
	char	 id[40];		/* booking id, or "" */
	char	 resource[32];
	int64_t	 start, end;
};
struct screen	*list_new(const char *, struct list_item *, size_t,
		     int (*)(struct ui *, const struct list_item *));

#endif
