/*
 * The charter's booking rules (SPEC.md section 3), written once and applied
 * by every backend through ops.c. Each check returns GERR_OK or the rule's
 * error code with a message that names the rule and its figures, e.g.
 * "this patron has 1 h 30 booked on 2026-11-26; 1 h more makes 2 h 30, 2 h
 * max a day (R3)". They only read the store.
 */
#ifndef GUICHET_RULES_H
#define GUICHET_RULES_H

#include <jansson.h>

#include "domain.h"

/* A booking as it would be, for a check before it is written. */
struct booking_req {
	const struct resource	*resource;
	int64_t			 start;
	int64_t			 end;
	const char		*email;		/* normalised, lower case */
	int			 places;
	enum origin		 origin;
	/* R14: the booking being changed, not counted against itself. */
	const char		*exclude_id;
	/* R14: its span before the change, on the same resource (else 0):
	 * a span within it is a reduction, which no quota refuses. */
	int64_t			 was_start;
	int64_t			 was_end;
	/* Out: the session of a capacity resource. */
	int64_t			 session_id;
};

/* R2: well formed; lower-cases into out (EMAIL_LEN). Returns 0 or -1. */
int		 rules_email_normalise(const char *in, char *out);
/* R2: form, and the domain allow-list unless the resource is internal. */
enum gerr	 rules_check_email(struct store *s, const char *email,
		     int internal, struct gerror *err);
/* R1-R4, R7-R9 for a new or changed booking at time now. */
enum gerr	 rules_check_booking(struct store *s, struct booking_req *q,
		     int64_t now, struct gerror *err);
/*
 * When a booking is refused, the longest one from the same start that the
 * rules accept, ending before the one asked for (SCENARIOS: "the form
 * offers 14:00-15:00"). Returns GERR_OK and sets *end, or the refusal of
 * the shortest booking the grid allows.
 */
enum gerr	 rules_fit_end(struct store *s, struct booking_req *q,
		     int64_t now, int64_t *end, struct gerror *err);
/* R4 alone: is [start, end) inside the library's hours? */
enum gerr	 rules_check_hours(struct store *s, const struct resource *r,
		     int64_t start, int64_t end, struct gerror *err);
/* Minutes the patron has of live bookings of this type and holder
 * within [from, to), not counting exclude_id (R3). */
int		 rules_patron_minutes(struct store *s, const struct resource *r,
		     const char *email, int64_t from, int64_t to,
		     const char *exclude_id);

/* R6: whether presence is asked of this resource's bookings: exclusive
 * public resources only, never sessions' places nor internal rooms. */
int		 rules_presence_applies(const struct resource *r);
/* R6: the instant after which a booking not validated may be freed: G
 * minutes after its start, or after it was made if made later (a booking
 * taken at 10:20 for the 10:00 slot is not late at once). */
int64_t		 rules_late_after(const struct booking *b, int64_t late);
/* R6: an establishment's code as typed, without spaces, in upper case
 * (" buc-4821" is "BUC-4821"), into a buffer of CODE_LEN. */
void		 rules_code_normalise(const char *in, char *out);
/*
 * R16: every text of an operation's payload (at any depth) is UTF-8 with
 * no control character (C0, DEL, C1; a message or a confirmation text may
 * keep its newlines) and at most its field's number of characters; the
 * refusal (bad_text) names the field.
 */
enum gerr	 rules_check_text(const json_t *payload, struct gerror *err);
/* R16's maximum length of a field, in characters. */
size_t		 rules_text_max(const char *field);

/* "2 h", "1 h 30", "45 min" into a buffer of 16. */
void		 rules_format_minutes(int m, char *buf);

#endif
