/*
 * QR codes of the libraries' validation pages (SPEC.md section 7, "QR
 * codes"), with libqrencode: the matrix, and its renderings — in a
 * terminal (half blocks, or ASCII where the terminal has no UTF-8), and as
 * a printable A4 or A5 poster in SVG or PNG with the code printed under
 * it. No ncurses here: the interface draws qr_text()'s lines.
 */
#ifndef GUICHET_QR_H
#define GUICHET_QR_H

#include <stdint.h>

#include "error.h"

/* A QR code: size x size modules, 1 for dark, without its quiet zone. */
struct qr {
	int		 size;
	unsigned char	*dark;
};

/* Encode text (level M); *out is freed with qr_free. */
enum gerr	 qr_make(const char *text, struct qr **out, struct gerror *err);
void		 qr_free(struct qr *q);

/*
 * The validation page of a library, with its code filled in:
 * BASE/validate?l=LIBRARY&c=CODE (percent-encoded). The caller frees it.
 */
char		*qr_url(const char *base, const char *library,
		     const char *code);

/* Modules of quiet zone around the code in a terminal (4 on paper). */
#define QR_TERMINAL_QUIET	2

/*
 * The code as lines of text, with q modules of quiet zone around it: with
 * half blocks (two modules a character cell, utf8 set) or ASCII ("##" a
 * module, one line a row). Light modules are drawn, for light text on a
 * dark terminal; invert draws the dark ones. The caller frees it; *width
 * and *height (may be NULL) are its size in columns and lines.
 */
char		*qr_text(const struct qr *c, int utf8, int invert, int quiet,
		     int *width, int *height);

enum qr_paper {
	QR_A4,
	QR_A5,
};

/* What a poster says around its code. */
struct qr_poster {
	const char	*library;	/* its name */
	const char	*code;		/* the establishment's code */
	const char	*page;		/* where to type it: BASE/validate */
	enum qr_paper	 paper;
};

/* The poster as an SVG document (mm units); the caller frees it. */
char		*qr_svg(const struct qr *c, const struct qr_poster *p);
/* The poster as a 1-bit PNG at 150 dpi, written to path. */
enum gerr	 qr_png(const struct qr *c, const struct qr_poster *p,
		     const char *path, struct gerror *err);

#endif
