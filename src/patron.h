/*
 * What patrons read, in their words: a booking's time in words, in French
 * (the patrons' language, the default) or English. Shared by the e-mails (mail.c) and
 * the server's pages, so that both say the same thing the same way.
 * These strings are per request, not per process: they do not go through
 * gettext, whose language is the process's.
 */
#ifndef GUICHET_PATRON_H
#define GUICHET_PATRON_H

#include <stdint.h>

#include "domain.h"

enum plang {
	PLANG_FR,
	PLANG_EN,
};

#define PATRON_WHEN_LEN	128

/* "lundi 30 novembre 2026, de 14 h 00 à 16 h 00" in the zone tz. */
void	 patron_when(enum plang l, const char *tz, int64_t start, int64_t end,
	     char *out);
/* "14 h 00" or "14:00": an instant's local time of day. */
void	 patron_time(enum plang l, const char *tz, int64_t t, char *out,
	     size_t size);
/* "lundi 30 novembre 2026": an instant's local date. */
void	 patron_date(enum plang l, const char *tz, int64_t t, char *out,
	     size_t size);

/* The status of a booking in words: "confirmée", "confirmed". */
const char	*patron_status(enum plang l, enum status st);

#endif
