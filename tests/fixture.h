/*
 * Shared fixture of the core's Check suites. The demo database is built
 * once, at program start, into a template file (demo_load hashes the
 * passwords with argon2id, which is slow); each test gets its own copy in
 * a fresh mkdtemp directory, a fixed clock (Thursday 2026-11-26 10:16 in
 * Europe/Paris) and a test library "TST", open 00:00-24:00 every day, so
 * that midnight and daylight-saving cases are not cut by opening hours.
 *
 * TST's resources are held by UJJ (so the demo desk accounts may plan
 * them) and have no demo bookings:
 *   T-G1, T-G2	group rooms: 30 min grid, 30-120 min, 120 min/day,
 *		240 min/month (the Mirail profile)
 *   T-C1	a carrel: 60 min grid, up to 240 min, no quota
 *   T-WS	a workshop with one session on 2026-11-27 14:00-15:30,
 *		3 places, one per patron
 *   T-FORM	a training room (internal, not public)
 * TST's check-in code is "TST-0001".
 */
#ifndef GUICHET_TESTS_FIXTURE_H
#define GUICHET_TESTS_FIXTURE_H

#include <check.h>
#include <jansson.h>
#include <stdint.h>

#include "domain.h"
#include "error.h"
#include "ops.h"
#include "rights.h"
#include "store.h"

#define FX_ZONE		"Europe/Paris"
/* Thursday 2026-11-26 10:16 in Paris (UTC+1). */
#define FX_NOW		((int64_t)1795684560)
/* A patron with no demo booking, in an allowed domain. */
#define FX_EMAIL	"test.patron@etu.univ-tlse2.fr"
#define FX_EMAIL2	"other.patron@etu.univ-tlse2.fr"
#define FX_CODE		"TST-0001"

/* The store of the current test (fresh copy of the demo). */
extern struct store	*fx_store;
/* Accounts of the current test, loaded by fx_setup. */
extern struct account	*fx_admin;
extern struct account	*fx_desk;	/* desk.mirail */
extern struct account	*fx_patron;	/* ACTOR_PATRON */
extern struct account	*fx_system;	/* ACTOR_SYSTEM */
/* The last error of fx_op and friends. */
extern struct gerror	 fx_err;

/* Build the demo template; called once by main(). */
void		 fx_template_init(void);
/* Remove the template; called once by main() at the end. */
void		 fx_template_cleanup(void);

/* Checked fixture: a fresh copy of the template and the fixed clock. */
void		 fx_setup(void);
void		 fx_teardown(void);

/* The path of the current test's database. */
const char	*fx_db_path(void);

/* A demo account by login; freed by the teardown. */
struct account	*fx_account(const char *);

/*
 * Apply an operation; the payload is stolen. The result, if asked for, is
 * the caller's; the error is left in fx_err.
 */
enum gerr	 fx_op(const struct account *, const char *, json_t *,
		     json_t **);
enum gerr	 fx_op_id(const struct account *, const char *, const char *,
		     json_t *, json_t **);

/*
 * Book resource from start to end (ISO 8601, local to the resource when
 * without offset) for email, by account a (origin chosen by op_apply).
 * On success and if id is not NULL, copies the booking id (UUID_LEN).
 */
enum gerr	 fx_book(const struct account *, const char *, const char *,
		     const char *, const char *, char *);

/* The status of a booking, or -1 if there is none. */
int		 fx_status(const char *);

/* The integer answer of a SQL query (first column of the first row). */
int64_t		 fx_sql_int(const char *);
/* Write the e-mails the operations queued (mail_compose), as mail_send
 * and 'guichet mail' do before reading them. */
void		 fx_mail_compose(void);
/* Run SQL that must succeed (fixture data). */
void		 fx_sql(const char *);

/* The instant of a local date and time in Paris ("2026-11-27", "10:00"). */
int64_t		 fx_local(const char *, const char *);
/* Fix the clock at a local date and time in Paris. */
void		 fx_clock(const char *, const char *);

/* Assert an error code and that the message cites the rule, if any. */
#define fx_assert_gerr(got, want, rule) do {				\
	enum gerr fx_got_ = (got);					\
	const char *fx_rule_ = (rule);					\
	ck_assert_msg(fx_got_ == (want), "expected %s, got %s: %s",	\
	    gerr_code(want), gerr_code(fx_got_), fx_err.msg);		\
	if (fx_rule_ != NULL)						\
		ck_assert_msg(strstr(fx_err.msg, fx_rule_) != NULL,	\
		    "message does not cite %s: %s", fx_rule_,		\
		    fx_err.msg);					\
} while (0)

#define fx_assert_ok(got) do {						\
	enum gerr fx_got_ok_ = (got);					\
	ck_assert_msg(fx_got_ok_ == GERR_OK, "expected ok, got %s: %s",	\
	    gerr_code(fx_got_ok_), fx_err.msg);				\
} while (0)

Suite	*suite_time(void);
Suite	*suite_rules(void);
Suite	*suite_rights(void);
Suite	*suite_ops(void);
Suite	*suite_conf(void);
Suite	*suite_sync(void);
Suite	*suite_staff(void);

#endif
