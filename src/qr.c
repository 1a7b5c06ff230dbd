/*
 * QR codes: see qr.h. The PNG is written here with zlib (compress2 for the
 * one IDAT chunk, crc32 for the chunks): a 1-bit grayscale image needs
 * nothing more, and zlib is already on every machine that has libcurl,
 * where libpng would be one more library for four chunks. Its text is
 * drawn with a 5x7 font of printable ASCII (accents folded: "PRESENCE"),
 * since there is no font renderer; the SVG poster has the real text.
 */
#include "config.h"

#include <errno.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "html.h"
#include "i18n.h"
#include "qr.h"
#include "xmalloc.h"

#define PNG_DPI		150
#define PAPER_QUIET	4		/* modules of quiet zone on paper */

enum gerr
qr_make(const char *text, struct qr **out, struct gerror *err)
{
	QRcode		*c;
	struct qr	*q;
	int		 i;

	*out = NULL;
	c = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (c == NULL)
		return (gerror_set(err, GERR_BAD_REQUEST, _("cannot make a QR "
		    "code of %s: %s"), text, strerror(errno)));
	q = xmalloc(sizeof *q);
	q->size = c->width;
	q->dark = xmalloc((size_t)c->width * (size_t)c->width);
	for (i = 0; i < c->width * c->width; i++)
		q->dark[i] = c->data[i] & 1;
	QRcode_free(c);
	*out = q;
	return (GERR_OK);
}

void
qr_free(struct qr *q)
{
	if (q == NULL)
		return;
	free(q->dark);
	free(q);
}

/* Append s percent-encoded (RFC 3986 unreserved characters kept). */
static void
pct(struct html *h, const char *str)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 e[3];

	for (p = (const unsigned char *)str; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			html_add(h, (const char *)p, 1);
		else {
			e[0] = '%';
			e[1] = hex[*p >> 4];
			e[2] = hex[*p & 15];
			html_add(h, e, 3);
		}
	}
}

char *
qr_url(const char *base, const char *library, const char *code)
{
	struct html	h;
	size_t		n = strlen(base);

	html_init(&h);
	while (n > 0 && base[n - 1] == '/')
		n--;
	html_add(&h, base, n);
	html_raw(&h, "/validate?l=");
	pct(&h, library);
	html_raw(&h, "&c=");
	pct(&h, code);
	return (html_steal(&h));
}

/* Whether the module at x, y (quiet zone included, q modules) is drawn. */
static int
ink(const struct qr *c, int q, int x, int y, int invert)
{
	int	dark = 0;

	x -= q;
	y -= q;
	if (x >= 0 && y >= 0 && x < c->size && y < c->size)
		dark = c->dark[y * c->size + x];
	return (invert ? dark : !dark);
}

char *
qr_text(const struct qr *c, int utf8, int invert, int quiet, int *width,
    int *height)
{
	static const char *const half[4] = { " ", "\xe2\x96\x84",
	    "\xe2\x96\x80", "\xe2\x96\x88" };	/* none, ▄, ▀, █ */
	struct html	 h;
	int		 q = quiet, n = c->size + 2 * q, x, y;

	html_init(&h);
	if (utf8) {
		for (y = 0; y < n; y += 2) {
			for (x = 0; x < n; x++)
				html_raw(&h, half[ink(c, q, x, y, invert) * 2 +
				    (y + 1 < n ? ink(c, q, x, y + 1, invert) :
				    invert)]);
			html_raw(&h, "\n");
		}
	} else {
		for (y = 0; y < n; y++) {
			for (x = 0; x < n; x++)
				html_raw(&h, ink(c, q, x, y, invert) ? "##" :
				    "  ");
			html_raw(&h, "\n");
		}
	}
	if (width != NULL)
		*width = utf8 ? n : 2 * n;
	if (height != NULL)
		*height = utf8 ? (n + 1) / 2 : n;
	return (html_steal(&h));
}

/* Paper in millimetres. */
static void
paper_mm(enum qr_paper p, int *w, int *h)
{
	*w = p == QR_A5 ? 148 : 210;
	*h = p == QR_A5 ? 210 : 297;
}

char *
qr_svg(const struct qr *c, const struct qr_poster *p)
{
	struct html	 h;
	int		 w, ht, x, y, n = c->size + 2 * PAPER_QUIET;
	double		 side, mod, left, top, k;

	paper_mm(p->paper, &w, &ht);
	k = w / 210.0;			/* text scales with the paper */
	side = w * 0.70;
	mod = side / n;
	left = (w - side) / 2;
	top = ht * 0.22;
	html_init(&h);
	html_rawf(&h, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%dmm\" "
	    "height=\"%dmm\" viewBox=\"0 0 %d %d\">\n<title>", w, ht, w, ht);
	html_text(&h, p->library);
	html_raw(&h, "</title>\n");
	html_rawf(&h, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
	    "<g font-family=\"DejaVu Sans, Arial, sans-serif\" "
	    "text-anchor=\"middle\" fill=\"#000\">\n", w, ht);
	html_rawf(&h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
	    "font-weight=\"bold\">Validez votre présence</text>\n", w / 2.0,
	    ht * 0.07, 12 * k);
	html_rawf(&h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\">"
	    "Validate your presence</text>\n", w / 2.0, ht * 0.07 + 9 * k,
	    7 * k);
	html_rawf(&h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
	    "font-weight=\"bold\">", w / 2.0, ht * 0.07 + 22 * k, 8 * k);
	html_text(&h, p->library);
	html_raw(&h, "</text>\n</g>\n<path fill=\"#000\" d=\"");
	for (y = 0; y < c->size; y++)
		for (x = 0; x < c->size; x++)
			if (c->dark[y * c->size + x])
				html_rawf(&h, "M%.3f %.3fh%.3fv%.3fh-%.3fz",
				    left + (x + PAPER_QUIET) * mod, top +
				    (y + PAPER_QUIET) * mod, mod, mod, mod);
	html_raw(&h, "\"/>\n<g font-family=\"DejaVu Sans, Arial, sans-serif\" "
	    "text-anchor=\"middle\" fill=\"#000\">\n");
	y = (int)(top + side + 16 * k);
	html_rawf(&h, "<text x=\"%.1f\" y=\"%d\" font-size=\"%.1f\">Code"
	    "</text>\n", w / 2.0, y - (int)(11 * k), 6 * k);
	html_rawf(&h, "<text x=\"%.1f\" y=\"%d\" font-size=\"%.1f\" "
	    "font-weight=\"bold\" font-family=\"DejaVu Sans Mono, monospace\""
	    " letter-spacing=\"1\">", w / 2.0, y + (int)(3 * k), 16 * k);
	html_text(&h, p->code);
	html_rawf(&h, "</text>\n<text x=\"%.1f\" y=\"%d\" font-size=\"%.1f\">"
	    "Pas de lecteur de QR code ? Tapez ce code sur la page</text>\n",
	    w / 2.0, y + (int)(16 * k), 5 * k);
	html_rawf(&h, "<text x=\"%.1f\" y=\"%d\" font-size=\"%.1f\">"
	    "No QR reader? Type this code on the page</text>\n", w / 2.0,
	    y + (int)(23 * k), 4.5 * k);
	html_rawf(&h, "<text x=\"%.1f\" y=\"%d\" font-size=\"%.1f\" "
	    "font-family=\"DejaVu Sans Mono, monospace\">", w / 2.0,
	    y + (int)(32 * k), 5.5 * k);
	html_text(&h, p->page);
	html_rawf(&h, "</text>\n<text x=\"%.1f\" y=\"%d\" font-size=\"%.1f\">"
	    "ou passez à l’accueil — or go to the desk</text>\n</g>\n</svg>\n",
	    w / 2.0, y + (int)(42 * k), 5 * k);
	return (html_steal(&h));
}

/* The 5x7 font of printable ASCII: a byte a row, bit 4 the left. */
static const unsigned char font[95][7] = {
#include "qr_font.inc"
};

/* A character of the font for a UTF-8 sequence: accents folded. */
static int
fold(const unsigned char **pp)
{
	const unsigned char	*p = *pp;
	static const char	 c3[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTs"
				    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";

	if (*p < 0x80) {
		(*pp)++;
		return (*p >= 32 && *p < 127 ? *p : '?');
	}
	if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf) {
		*pp += 2;
		return (c3[p[1] - 0x80]);
	}
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) {
		*pp += 3;
		return ('\'');	/* ‘ ’ */
	}
	/* Skip the rest of an unknown character. */
	for ((*pp)++; (**pp & 0xc0) == 0x80; (*pp)++)
		;
	return ('?');
}

struct raster {
	int		 w, h;
	unsigned char	*px;		/* 1 black */
};

static void
fill_rect(struct raster *r, int x, int y, int w, int h)
{
	int	i, j;

	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++)
			if (i >= 0 && j >= 0 && i < r->w && j < r->h)
				r->px[j * r->w + i] = 1;
}

/* Characters of a UTF-8 text once folded. */
static int
text_len(const char *str)
{
	const unsigned char	*p = (const unsigned char *)str;
	int			 n = 0;

	while (*p != '\0') {
		fold(&p);
		n++;
	}
	return (n);
}

/* Draw text centred on line y at a scale; upper folds to capitals. A
 * scale that would not fit the width is made smaller. */
static int
draw_text(struct raster *r, const char *str, int y, int scale, int upper)
{
	const unsigned char	*p = (const unsigned char *)str;
	int			 n = text_len(str), x, c, row, col;

	while (scale > 1 && n * 6 * scale > r->w * 9 / 10)
		scale--;
	x = (r->w - (n * 6 - 1) * scale) / 2;
	while (*p != '\0') {
		c = fold(&p);
		if (upper && c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		for (row = 0; row < 7; row++)
			for (col = 0; col < 5; col++)
				if (font[c - 32][row] & (0x10 >> col))
					fill_rect(r, x + col * scale, y + row *
					    scale, scale, scale);
		x += 6 * scale;
	}
	return (y + 9 * scale);
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG chunk: length, type, data, CRC of type and data. */
static int
chunk(FILE *f, const char *type, const unsigned char *data, uint32_t len)
{
	unsigned char	b[4];
	uLong		crc;

	put32(b, len);
	crc = crc32(0L, (const Bytef *)type, 4);
	if (len > 0)
		crc = crc32(crc, data, len);
	if (fwrite(b, 1, 4, f) != 4 || fwrite(type, 1, 4, f) != 4 ||
	    (len > 0 && fwrite(data, 1, len, f) != len))
		return (-1);
	put32(b, (uint32_t)crc);
	return (fwrite(b, 1, 4, f) == 4 ? 0 : -1);
}

/* The raster as a 1-bit grayscale PNG (0 black, 1 white). */
static int
png_write(FILE *f, const struct raster *r)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r',
	    '\n', 0x1a, '\n' };
	unsigned char	 ihdr[13], phys[9], *raw, *z;
	size_t		 stride = (size_t)(r->w + 7) / 8 + 1;
	uLongf		 zlen;
	int		 x, y, rc;
	uint32_t	 ppm = (uint32_t)(PNG_DPI / 0.0254 + 0.5);

	raw = xcalloc((size_t)r->h, stride);
	for (y = 0; y < r->h; y++) {
		raw[y * stride] = 0;		/* filter: none */
		for (x = 0; x < r->w; x++)
			if (!r->px[y * r->w + x])
				raw[y * stride + 1 + x / 8] |=
				    (unsigned char)(0x80 >> (x % 8));
	}
	zlen = compressBound((uLong)(stride * (size_t)r->h));
	z = xmalloc(zlen);
	rc = compress2(z, &zlen, raw, (uLong)(stride * (size_t)r->h), 9);
	free(raw);
	if (rc != Z_OK) {
		free(z);
		return (-1);
	}
	put32(ihdr, (uint32_t)r->w);
	put32(ihdr + 4, (uint32_t)r->h);
	ihdr[8] = 1;		/* bit depth */
	ihdr[9] = 0;		/* grayscale */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	put32(phys, ppm);
	put32(phys + 4, ppm);
	phys[8] = 1;		/* per metre */
	rc = fwrite(sig, 1, 8, f) == 8 && chunk(f, "IHDR", ihdr, 13) == 0 &&
	    chunk(f, "pHYs", phys, 9) == 0 &&
	    chunk(f, "IDAT", z, (uint32_t)zlen) == 0 &&
	    chunk(f, "IEND", NULL, 0) == 0 ? 0 : -1;
	free(z);
	return (rc);
}

enum gerr
qr_png(const struct qr *c, const struct qr_poster *p, const char *path,
    struct gerror *err)
{
	struct raster	 r;
	FILE		*f;
	int		 wmm, hmm, n = c->size + 2 * PAPER_QUIET, mod, left, top;
	int		 x, y, scale;

	paper_mm(p->paper, &wmm, &hmm);
	r.w = (int)(wmm / 25.4 * PNG_DPI + 0.5);
	r.h = (int)(hmm / 25.4 * PNG_DPI + 0.5);
	r.px = xcalloc((size_t)r.w, (size_t)r.h);
	scale = r.w / 150;		/* 8 on A4, 5 on A5 */
	y = r.h / 20;
	y = draw_text(&r, "Validez votre présence", y, scale, 1);
	y = draw_text(&r, "Validate your presence", y, scale * 5 / 8, 1);
	y += scale * 2;
	y = draw_text(&r, p->library, y, scale * 3 / 4, 0);
	mod = r.w * 7 / 10 / n;
	left = (r.w - mod * n) / 2;
	top = y + scale * 2;
	for (y = 0; y < c->size; y++)
		for (x = 0; x < c->size; x++)
			if (c->dark[y * c->size + x])
				fill_rect(&r, left + (x + PAPER_QUIET) * mod,
				    top + (y + PAPER_QUIET) * mod, mod, mod);
	y = top + n * mod + scale * 2;
	y = draw_text(&r, "Code", y, scale / 2, 0);
	y = draw_text(&r, p->code, y, scale * 3 / 2, 0);
	y += scale * 2;
	y = draw_text(&r, "Pas de lecteur de QR code ? Tapez ce code sur",
	    y, scale / 2, 0);
	y = draw_text(&r, "No QR reader? Type this code on", y, scale * 3 / 8,
	    0);
	y = draw_text(&r, p->page, y, scale * 5 / 8, 0);
	y += scale;
	draw_text(&r, "ou passez a l'accueil - or go to the desk", y,
	    scale / 2, 0);

	if ((f = fopen(path, "wb")) == NULL) {
		free(r.px);
		return (gerror_set(err, GERR_STORAGE, _("cannot write %s: %s"),
		    path, strerror(errno)));
	}
	if (png_write(f, &r) != 0 || fclose(f) != 0) {
		free(r.px);
		return (gerror_set(err, GERR_STORAGE, _("cannot write %s: %s"),
		    path, strerror(errno)));
	}
	free(r.px);
	return (GERR_OK);
}
