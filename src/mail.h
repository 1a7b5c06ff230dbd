/*
 * E-mails to patrons (SPEC.md: confirmations, R5's confirmation request,
 * R11's cancellation with its reason, R13's closures, R5 expiry and R6
 * no-shows). An operation queues its e-mail in its own transaction, on the
 * backend that decides only (a desk's replica queues nothing: the backend
 * does when the operation reaches it); mail_send() sends the queue over
 * SMTP with libcurl, and what cannot be sent stays queued for the next try.
 * Each e-mail links to the booking's page on guichetd (confirm, cancel,
 * validate presence) and, when presence is validated (R6), says how; an
 * internal resource's contact (R8) gets the confirmation only, with no
 * link. The code of the entrance is never in an e-mail.
 */
#ifndef GUICHET_MAIL_H
#define GUICHET_MAIL_H

#include "domain.h"

enum mail_kind {
	MAIL_CONFIRMED,		/* booked and confirmed */
	MAIL_PENDING,		/* R5: confirm within H hours */
	MAIL_CANCELLED,		/* R11, R13: with the reason */
	MAIL_EXPIRED,		/* R5: not confirmed in time */
	MAIL_NO_SHOW,		/* R6: freed after G minutes late */
};

/*
 * The key of a booking's e-mail links (confirm, cancel): a MAC of its id
 * under this database's secret, so that only the patron who received the
 * e-mail can use them. Into a buffer of MAIL_KEY_LEN.
 */
#define MAIL_KEY_LEN	33
enum gerr	 mail_key(struct store *s, const char *id, char *out);
/* The same MAC of any text (the pages' tokens), into MAIL_KEY_LEN. The
 * secret is made on first use, in the caller's transaction if any. */
enum gerr	 mail_mac(struct store *s, const char *what, char *out);

/* Queue the e-mail of a booking's event; reason may be NULL, and so may
 * r, the booking's resource if the caller has it loaded already. */
enum gerr	 mail_queue(struct store *s, enum mail_kind kind,
		     const struct booking *b, const struct resource *r,
		     const char *reason);

/*
 * Write the subject and body of the e-mails queued since the last call, in
 * transactions of their own (mail_queue keeps what they are about; their
 * text is no part of the operation: issue 12). mail_send and mail_list do
 * it first; a desk's replica has nothing to write.
 */
enum gerr	 mail_compose(struct store *s, struct gerror *err);

/*
 * Send at most max queued e-mails through smtp_url ("smtp://host:port")
 * from the address from; links point to link_base (the server's public
 * URL; without one, the lines with links are left out). *sent (may be
 * NULL) is how many went. GERR_UNREACHABLE when the SMTP server cannot be
 * reached: the queue waits.
 */
enum gerr	 mail_send(struct store *s, const char *smtp_url,
		     const char *from, const char *base, int max, int *sent,
		     struct gerror *err);

/* An e-mail waiting in the queue. */
struct mail_info {
	int64_t		 id;
	char		 to[EMAIL_LEN];
	char		 subject[512];
	int		 attempts;
	char		 error[256];	/* of the last attempt */
};

/* The e-mails waiting, oldest first; the caller frees *out. */
enum gerr	 mail_list(struct store *s, struct mail_info **out, size_t *n);

/* E-mails waiting in the queue. */
int		 mail_waiting(struct store *s);

#endif
