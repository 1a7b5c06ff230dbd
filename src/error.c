/* The table of error codes: see error.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "error.h"

static const struct gerr_info table[GERR__COUNT] = {
	[GERR_OK] =			{ "ok", NULL, 200, 0 },
	[GERR_TOO_FAR_AHEAD] =		{ "too_far_ahead", "R1", 422, 1 },
	[GERR_IN_PAST] =		{ "in_past", "R1", 422, 1 },
	[GERR_BAD_EMAIL] =		{ "bad_email", "R2", 422, 1 },
	[GERR_DOMAIN_NOT_ALLOWED] =	{ "domain_not_allowed", "R2", 422, 1 },
	[GERR_BAD_GRANULARITY] =	{ "bad_granularity", "R3", 422, 1 },
	[GERR_TOO_SHORT] =		{ "too_short", "R3", 422, 1 },
	[GERR_TOO_LONG] =		{ "too_long", "R3", 422, 1 },
	[GERR_QUOTA_DAY] =		{ "quota_day", "R3", 422, 1 },
	[GERR_QUOTA_MONTH] =		{ "quota_month", "R3", 422, 1 },
	[GERR_PLACES_MAX] =		{ "places_max", "R3", 422, 1 },
	[GERR_OUTSIDE_HOURS] =		{ "outside_hours", "R4", 422, 1 },
	[GERR_CLOSED] =			{ "closed", "R4", 422, 1 },
	[GERR_BAD_TIME] =		{ "bad_time", NULL, 422, 1 },
	[GERR_TOO_LATE] =		{ "too_late", "R6", 422, 1 },
	[GERR_TOO_EARLY] =		{ "too_early", "R6", 422, 1 },
	[GERR_BAD_CODE] =		{ "bad_code", "R6", 422, 1 },
	[GERR_NOT_CONFIRMED] =		{ "not_confirmed", "R6", 422, 1 },
	[GERR_NOT_LATE] =		{ "not_late", "R6", 422, 1 },
	[GERR_SLOT_TAKEN] =		{ "slot_taken", "R7", 409, 1 },
	[GERR_CAPACITY_FULL] =		{ "capacity_full", "R7", 409, 1 },
	[GERR_RESOURCE_INTERNAL] =	{ "resource_internal", "R8", 403, 3 },
	[GERR_RESOURCE_DISABLED] =	{ "resource_disabled", "R9", 422, 1 },
	[GERR_MESSAGE_TOO_LONG] =	{ "message_too_long", "R10", 422, 1 },
	[GERR_REASON_REQUIRED] =	{ "reason_required", "R11", 422, 1 },
	[GERR_NEEDS_CONFIRMATION] =	{ "needs_confirmation", "R13", 409, 1 },
	[GERR_CAPACITY_BELOW_BOOKED] =	{ "capacity_below_booked", "R13", 409,
					    1 },
	[GERR_TOO_OLD] =		{ "too_old", "R15", 422, 1 },
	[GERR_CLOCK_AHEAD] =		{ "clock_ahead", "R15", 422, 1 },
	[GERR_BAD_TEXT] =		{ "bad_text", "R16", 422, 1 },
	[GERR_FORBIDDEN] =		{ "forbidden", NULL, 403, 3 },
	[GERR_FORBIDDEN_R12] =		{ "forbidden", "R12", 403, 3 },
	[GERR_BAD_LOGIN] =		{ "bad_login", NULL, 401, 3 },
	[GERR_NOT_FOUND] =		{ "not_found", NULL, 404, 4 },
	[GERR_BAD_REQUEST] =		{ "bad_request", NULL, 400, 2 },
	[GERR_BAD_STATE] =		{ "bad_state", NULL, 409, 1 },
	[GERR_IDEMPOTENCY] =		{ "idempotency_mismatch", NULL, 422, 1 },
	[GERR_STORAGE] =		{ "storage", NULL, 500, 6 },
	[GERR_UNREACHABLE] =		{ "unreachable", NULL, 503, 5 },
	[GERR_THROTTLED] =		{ "throttled", NULL, 429, 3 },
};

const struct gerr_info *
gerr_info(enum gerr code)
{
	if ((unsigned)code >= GERR__COUNT)
		code = GERR_STORAGE;
	return (&table[code]);
}

const char *
gerr_code(enum gerr code)
{
	return (gerr_info(code)->code);
}

enum gerr
gerr_from_code(const char *name)
{
	int	i;

	for (i = 0; i < GERR__COUNT; i++)
		if (strcmp(table[i].code, name) == 0)
			return ((enum gerr)i);
	return (GERR__COUNT);
}

enum gerr
gerror_set(struct gerror *err, enum gerr code, const char *fmt, ...)
{
	va_list	ap;

	if (err != NULL) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return (code);
}

void
gerror_clear(struct gerror *err)
{
	if (err != NULL) {
		err->code = GERR_OK;
		err->msg[0] = '\0';
	}
}
