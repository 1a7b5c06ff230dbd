/*
 * Errors a user, a patron, the network or the disk can cause. Each has a
 * stable code (SPEC.md section 3), the rule it enforces, the HTTP status
 * the server answers with and the exit status of the command line.
 */
#ifndef GUICHET_ERROR_H
#define GUICHET_ERROR_H

#include <stdarg.h>

enum gerr {
	GERR_OK = 0,
	GERR_TOO_FAR_AHEAD,	/* R1 */
	GERR_IN_PAST,		/* R1 */
	GERR_BAD_EMAIL,		/* R2 */
	GERR_DOMAIN_NOT_ALLOWED,	/* R2 */
	GERR_BAD_GRANULARITY,	/* R3 */
	GERR_TOO_SHORT,		/* R3 */
	GERR_TOO_LONG,		/* R3 */
	GERR_QUOTA_DAY,		/* R3 */
	GERR_QUOTA_MONTH,	/* R3 */
	GERR_PLACES_MAX,	/* R3: places a patron in a session */
	GERR_OUTSIDE_HOURS,	/* R4 */
	GERR_CLOSED,		/* R4 */
	GERR_BAD_TIME,		/* SPEC 3 "Times": no such local time */
	GERR_TOO_LATE,		/* R6 */
	GERR_TOO_EARLY,		/* R6 */
	GERR_BAD_CODE,		/* R6 */
	GERR_NOT_CONFIRMED,	/* R6 */
	GERR_NOT_LATE,		/* R6 */
	GERR_SLOT_TAKEN,	/* R7 */
	GERR_CAPACITY_FULL,	/* R7 */
	GERR_RESOURCE_INTERNAL,	/* R8 */
	GERR_RESOURCE_DISABLED,	/* R9 */
	GERR_MESSAGE_TOO_LONG,	/* R10 */
	GERR_REASON_REQUIRED,	/* R11 */
	GERR_NEEDS_CONFIRMATION,	/* R13 */
	GERR_CAPACITY_BELOW_BOOKED,	/* R13 */
	GERR_TOO_OLD,		/* R15: made before the offline horizon */
	GERR_CLOCK_AHEAD,	/* R15: made after the backend's clock + skew */
	GERR_BAD_TEXT,		/* R16 */
	GERR_FORBIDDEN,		/* rights P1-P9 */
	GERR_FORBIDDEN_R12,	/* "forbidden" too, citing R12 */
	GERR_BAD_LOGIN,
	GERR_NOT_FOUND,
	GERR_BAD_REQUEST,
	GERR_BAD_STATE,
	GERR_IDEMPOTENCY,	/* a key again, another payload */
	GERR_STORAGE,
	GERR_UNREACHABLE,
	GERR_THROTTLED,		/* too many failed logins or requests */
	GERR__COUNT
};

struct gerr_info {
	const char	*code;		/* stable name: "quota_day" */
	const char	*rule;		/* "R3", or NULL */
	int		 http;		/* HTTP status */
	int		 exit;		/* guichet(1) exit status */
};

/* An error with its message: what is wrong and what to do. */
struct gerror {
	enum gerr	 code;
	char		 msg[512];
};

const struct gerr_info	*gerr_info(enum gerr code);
const char		*gerr_code(enum gerr code);
/* Look a code up by name; GERR__COUNT if unknown. */
enum gerr		 gerr_from_code(const char *name);

/* Set err (may be NULL) and return code, so "return gerror_set(...)". */
enum gerr	 gerror_set(struct gerror *err, enum gerr code,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		 gerror_clear(struct gerror *err);

#endif
