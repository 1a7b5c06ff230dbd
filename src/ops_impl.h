/*
 * Inside the one door (ops.c): the context of an operation, the payload
 * readers and write helpers the handlers share, and the handlers, by
 * subject. Only the ops*.c files include this header.
 */
#ifndef GUICHET_OPS_IMPL_H
#define GUICHET_OPS_IMPL_H

#include <jansson.h>

#include "mail.h"
#include "ops.h"

struct op_ctx {
	struct store		*s;
	const struct account	*a;
	const char		*op_id;
	json_t			*payload;
	json_t			*result;	/* owned until handed over */
	/* The instant the rules judge by: the backend's clock, or when a
	 * desk made the operation (R15, op_apply_at). */
	int64_t			 now;
	int64_t			 applied;	/* the backend's clock */
	struct gerror		*err;

	/* The booking op_notify read, for the op_booking_done that
	 * follows it (nothing writes the booking between): one read. */
	struct booking		 seen;
	int			 has_seen;
	/* op_book's booking as it wrote it, in seen, and its resource:
	 * what its e-mail needs, without reading them again. */
	int			 written;
	const struct resource	*written_in;
	/* The result as op_booking_done logged it: an applied op_result
	 * points at that change_log row (text_seq) instead of holding
	 * the same JSON text again. */
	json_t			*text_of;	/* a reference */
	int64_t			 text_seq;
};

/* Payload readers: each sets a bad_request error naming the field. A
 * missing optional field is GERR_OK with NULL (op_int: GERR_NOT_FOUND). */
enum gerr	 op_str(struct op_ctx *c, const char *key, int required,
		     const char **out);
/* A text of at most max bytes, so that no record cuts it. */
enum gerr	 op_text(struct op_ctx *c, const char *key, int required,
		     size_t max, const char **out);
enum gerr	 op_int(struct op_ctx *c, const char *key, int required,
		     long long min, long long max, long long *out);
int		 op_bool(struct op_ctx *c, const char *key);
/* An ISO 8601 instant, local to tz without an offset. */
enum gerr	 op_time(struct op_ctx *c, const char *key, const char *tz,
		     int64_t *out);
enum gerr	 op_resource(struct op_ctx *c, const char *key,
		     struct resource *r);
enum gerr	 op_establishment(struct op_ctx *c, struct establishment *est);
enum gerr	 op_booking(struct op_ctx *c, struct booking *b,
		     struct resource *r);

/* Append to the change log; data is stolen. */
enum gerr	 op_log(struct op_ctx *c, const char *entity, const char *id,
		     json_t *data);
/* Reload a booking after a write, log it and make it the result. */
enum gerr	 op_booking_done(struct op_ctx *c, const char *id,
		     const char *tz);
/* Queue the patron's e-mail about a booking, as it is now. */
enum gerr	 op_notify(struct op_ctx *c, enum mail_kind kind,
		     const char *id, const char *reason);
enum gerr	 op_set_status(struct op_ctx *c, const struct booking *b,
		     enum status st, const char *reason);
/* A patron acts on a booking through the links of its e-mails only. */
enum gerr	 op_patron_key(struct op_ctx *c, const struct booking *b);
/* Staff need P8 on the resource; patrons and the system pass. */
enum gerr	 op_may_plan(struct op_ctx *c, const struct resource *r);

/* The handlers. */
enum gerr	 op_book(struct op_ctx *c);
enum gerr	 op_change(struct op_ctx *c);
enum gerr	 op_cancel(struct op_ctx *c);
enum gerr	 op_checkin(struct op_ctx *c);
enum gerr	 op_confirm(struct op_ctx *c);
enum gerr	 op_validate(struct op_ctx *c);
enum gerr	 op_free_late(struct op_ctx *c);
enum gerr	 op_sweep(struct op_ctx *c);
enum gerr	 op_hours_week(struct op_ctx *c);
enum gerr	 op_hours_date(struct op_ctx *c);
enum gerr	 op_close(struct op_ctx *c);
enum gerr	 op_open(struct op_ctx *c);
enum gerr	 op_message_add(struct op_ctx *c);
enum gerr	 op_message_remove(struct op_ctx *c);
enum gerr	 op_occupancy(struct op_ctx *c);
enum gerr	 op_resource_set(struct op_ctx *c);
enum gerr	 op_setting(struct op_ctx *c);
enum gerr	 op_session_add(struct op_ctx *c);
enum gerr	 op_account_add(struct op_ctx *c);
enum gerr	 op_grant(struct op_ctx *c);
enum gerr	 op_revoke(struct op_ctx *c);
enum gerr	 op_passwd(struct op_ctx *c);
/* ops_staff.c */
enum gerr	 op_resource_add(struct op_ctx *c);
enum gerr	 op_session_change(struct op_ctx *c);
enum gerr	 op_session_cancel(struct op_ctx *c);
enum gerr	 op_establishment_set(struct op_ctx *c);
enum gerr	 op_account_set(struct op_ctx *c);
/* ops_place.c: R13, the live bookings a change of hours leaves outside
 * them (op_stranded), then cancelled or listed (op_strand_cancel). */
enum gerr	 op_stranded(struct op_ctx *c, const struct establishment *est,
		     int32_t day, int weekday, char ***ids, size_t *n);
enum gerr	 op_strand_cancel(struct op_ctx *c, char **ids, size_t n,
		     int closing, const char *reason, json_t **list,
		     int *confirmed);
/* R13 on CAMPUS: op_close's work for every library at once. */
enum gerr	 op_close_campus(struct op_ctx *c,
		     const struct establishment *campus, int32_t day,
		     const char *reason);

#endif
