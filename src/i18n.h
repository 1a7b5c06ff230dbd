/*
 * Translations: _() translates a string now, N_() only marks one for
 * xgettext (tables of static strings, translated where they are shown).
 * ngettext() picks a plural form. Without NLS they give the English
 * text back.
 */
#ifndef GUICHET_I18N_H
#define GUICHET_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s)	gettext(s)
#else
#define _(s)	((const char *)(s))
#define ngettext(s, p, n)	((n) == 1 ? (s) : (p))
#endif
#define N_(s)	(s)

#endif
