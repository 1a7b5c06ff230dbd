/*
 * The charter's rules R1-R14 (SPEC.md section 3), each on both sides of
 * its boundary, through the one door op_apply(). Refusals must carry the
 * rule's error code and cite the rule in their message.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "fixture.h"
#include "mail.h"
#include "rules.h"
#include "settings.h"
#include "slot.h"
#include "store.h"
#include "tz.h"

#define DAY	"2026-11-27"	/* tomorrow, a Friday */

static enum gerr
book(const char *resource, const char *start, const char *end,
    const char *email)
{
	return (fx_book(fx_admin, resource, start, end, email, NULL));
}

static enum gerr
book_id(const char *resource, const char *start, const char *end,
    const char *email, char *id)
{
	return (fx_book(fx_admin, resource, start, end, email, id));
}

static int64_t
count_bookings(void)
{
	return (fx_sql_int("SELECT count(*) FROM booking"));
}

/* A booking's id, with the key of its e-mail links for a patron. */
static json_t *
with_key(const struct account *a, const char *id)
{
	char	key[MAIL_KEY_LEN];

	if (a->actor != ACTOR_PATRON)
		return (json_pack("{s:s}", "id", id));
	ck_assert_int_eq(mail_key(fx_store, id, key), GERR_OK);
	return (json_pack("{s:s,s:s}", "id", id, "key", key));
}

static enum gerr
cancel(const struct account *a, const char *id, const char *reason)
{
	json_t	*p = with_key(a, id);

	if (reason != NULL)
		json_object_set_new(p, "reason", json_string(reason));
	return (fx_op(a, "cancel", p, NULL));
}

/* A patron booking on the web. */
static enum gerr
web_book(const char *resource, const char *start, const char *end,
    const char *email, char *id)
{
	return (fx_book(fx_patron, resource, start, end, email, id));
}

/* R1 */

START_TEST(test_r1_books_up_to_the_windows_last_day_and_no_further)
{
	/* Today is 2026-11-26: the 31st day ahead is 2026-12-27. */
	fx_assert_ok(book("T-G1", "2026-12-27T10:00", "2026-12-27T11:00",
	    FX_EMAIL));
	fx_assert_ok(book("T-G2", "2026-12-27T23:30", "2026-12-28T00:00",
	    FX_EMAIL2));
	fx_assert_gerr(book("T-G1", "2026-12-28T10:00", "2026-12-28T11:00",
	    FX_EMAIL), GERR_TOO_FAR_AHEAD, "(R1)");
	fx_assert_gerr(book("T-G1", "2026-12-28T00:00", "2026-12-28T00:30",
	    FX_EMAIL2), GERR_TOO_FAR_AHEAD, "(R1)");
}
END_TEST

START_TEST(test_r1_refuses_the_past_but_takes_a_slot_begun)
{
	fx_clock("2026-11-26", "10:30");
	fx_assert_gerr(book("T-G1", "2026-11-26T10:00", "2026-11-26T10:30",
	    FX_EMAIL), GERR_IN_PAST, "(R1)");
	fx_assert_gerr(book("T-G1", "2026-11-25T10:00", "2026-11-25T11:00",
	    FX_EMAIL), GERR_IN_PAST, "(R1)");
	/* Started but not ended: still bookable (at the desk). */
	fx_assert_ok(book("T-G1", "2026-11-26T10:00", "2026-11-26T11:00",
	    FX_EMAIL));
}
END_TEST

/* R2 */

START_TEST(test_r2_refuses_a_malformed_address_on_any_resource)
{
	static const char *const bad[] = {
		"", "nobody", "a@b", "@etu.univ-tlse2.fr", "a@",
		"a..b@etu.univ-tlse2.fr", ".a@etu.univ-tlse2.fr",
		"a.@etu.univ-tlse2.fr", "a b@etu.univ-tlse2.fr",
		"a@-etu.univ-tlse2.fr", "a@etu..univ-tlse2.fr",
		"a@etu.univ-tlse2.fr.", "a@etu_x.univ-tlse2.fr",
	};
	int64_t	before = count_bookings();
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fx_assert_gerr(book("T-G1", DAY "T10:00", DAY "T11:00",
		    bad[i]), GERR_BAD_EMAIL, "(R2)");
	}
	/* A line break is not text of an address at all (R16). */
	fx_assert_gerr(book("T-G1", DAY "T10:00", DAY "T11:00",
	    "a@etu.univ-tlse2.fr\n"), GERR_BAD_TEXT, "(R16)");
	/* Internal resources take any well-formed contact, not a bad one. */
	fx_assert_gerr(book("T-FORM", DAY "T10:00", DAY "T11:00",
	    "trainer@@gmail.com"), GERR_BAD_EMAIL, "(R2)");
	ck_assert_int_eq(count_bookings(), before);
}
END_TEST

START_TEST(test_r2_takes_only_the_allowed_domains_exactly)
{
	char		id[UUID_LEN];
	struct booking	b;

	fx_assert_ok(book_id("T-G1", DAY "T10:00", DAY "T11:00",
	    "Jane.Doe@ETU.UNIV-TLSE2.FR", id));
	ck_assert_int_eq(booking_find(fx_store, id, &b), GERR_OK);
	ck_assert_str_eq(b.email, "jane.doe@etu.univ-tlse2.fr");
	fx_assert_gerr(book("T-G1", DAY "T12:00", DAY "T13:00",
	    "x@sub.univ-tlse2.fr"), GERR_DOMAIN_NOT_ALLOWED, "(R2)");
	fx_assert_gerr(book("T-G1", DAY "T12:00", DAY "T13:00",
	    "x@univ-tlse2.fr.example.com"), GERR_DOMAIN_NOT_ALLOWED, "(R2)");
	fx_assert_gerr(book("T-G1", DAY "T12:00", DAY "T13:00",
	    "x@gmail.com"), GERR_DOMAIN_NOT_ALLOWED, "(R2)");
	fx_assert_ok(book("T-G1", DAY "T12:00", DAY "T13:00",
	    "x@univ-tlse2.fr"));
}
END_TEST

START_TEST(test_r2_an_internal_room_takes_any_contact_a_public_one_not)
{
	fx_assert_ok(book("T-FORM", DAY "T10:00", DAY "T11:00",
	    "trainer@gmail.com"));
	/* The same address on a public room is refused. */
	fx_assert_gerr(book("T-G1", DAY "T10:00", DAY "T11:00",
	    "trainer@gmail.com"), GERR_DOMAIN_NOT_ALLOWED, "(R2)");
}
END_TEST

/* R3 */

START_TEST(test_r3_refuses_times_off_the_resources_grid)
{
	fx_assert_gerr(book("T-G1", DAY "T10:15", DAY "T11:15", FX_EMAIL),
	    GERR_BAD_GRANULARITY, "(R3)");
	fx_assert_gerr(book("T-G1", DAY "T10:00", DAY "T10:45", FX_EMAIL),
	    GERR_BAD_GRANULARITY, "(R3)");
	fx_assert_gerr(book("T-G1", DAY "T10:00:30", DAY "T11:00", FX_EMAIL),
	    GERR_BAD_GRANULARITY, "(R3)");
	/* The carrel's grid is 60 min. */
	fx_assert_gerr(book("T-C1", DAY "T10:30", DAY "T11:30", FX_EMAIL),
	    GERR_BAD_GRANULARITY, "(R3)");
	fx_assert_ok(book("T-G1", DAY "T10:30", DAY "T11:00", FX_EMAIL));
	fx_assert_ok(book("T-C1", DAY "T10:00", DAY "T11:00", FX_EMAIL));
}
END_TEST

START_TEST(test_r3_refuses_a_booking_too_long_or_too_short)
{
	fx_assert_gerr(book("T-G1", DAY "T10:00", DAY "T12:30", FX_EMAIL),
	    GERR_TOO_LONG, "(R3)");
	fx_assert_gerr(book("T-G1", DAY "T10:00", DAY "T10:00", FX_EMAIL),
	    GERR_TOO_SHORT, "(R3)");
	fx_assert_gerr(book("T-G1", DAY "T11:00", DAY "T10:00", FX_EMAIL),
	    GERR_TOO_SHORT, "(R3)");
	fx_assert_ok(book("T-G1", DAY "T10:00", DAY "T12:00", FX_EMAIL));
	/* A minimum set by the resource's referent. */
	fx_assert_ok(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:i}",
	    "resource", "T-G2", "min_duration", 60), NULL));
	fx_assert_gerr(book("T-G2", DAY "T10:00", DAY "T10:30", FX_EMAIL2),
	    GERR_TOO_SHORT, "(R3)");
	fx_assert_ok(book("T-G2", DAY "T10:00", DAY "T11:00", FX_EMAIL2));
}
END_TEST

START_TEST(test_r3_the_day_quota_counts_per_patron_day_and_type)
{
	fx_assert_ok(book("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL));
	fx_assert_ok(book("T-G2", DAY "T14:00", DAY "T14:30", FX_EMAIL));
	fx_assert_ok(book("T-G1", DAY "T16:00", DAY "T16:30", FX_EMAIL));
	fx_assert_gerr(book("T-G2", DAY "T17:00", DAY "T17:30", FX_EMAIL),
	    GERR_QUOTA_DAY, "(R3)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2026-11-27"));
	/* Per patron, per day and per type. */
	fx_assert_ok(book("T-G2", DAY "T17:00", DAY "T17:30", FX_EMAIL2));
	fx_assert_ok(book("T-G1", "2026-11-28T17:00", "2026-11-28T17:30",
	    FX_EMAIL));
	fx_assert_ok(book("T-C1", DAY "T18:00", DAY "T19:00", FX_EMAIL));
	/* The quotas count over the holder: a demo Mirail room too. */
	fx_assert_gerr(fx_book(fx_admin, "BUC-G1", DAY "T19:00",
	    DAY "T19:30", FX_EMAIL, NULL), GERR_QUOTA_DAY, "(R3)");
}
END_TEST

/* A refused booking gets the longest one that fits offered. */
START_TEST(test_a_refused_booking_is_offered_the_longest_that_fits)
{
	struct booking_req	q;
	struct resource		r;
	struct gerror		err;
	int64_t			end = 0;

	fx_assert_ok(book("T-G1", DAY "T09:00", DAY "T10:00", FX_EMAIL));
	ck_assert_int_eq(resource_find(fx_store, "T-G2", &r), GERR_OK);
	memset(&q, 0, sizeof q);
	q.resource = &r;
	q.start = fx_local(DAY, "14:00");
	q.end = fx_local(DAY, "16:00");
	q.email = FX_EMAIL;
	q.places = 1;
	q.origin = ORIGIN_PHONE;
	/* 1 h booked, 2 h a day: 14:00-15:00 fits, 14:00-16:00 does not. */
	ck_assert_int_eq(rules_check_booking(fx_store, &q, FX_NOW, &err),
	    GERR_QUOTA_DAY);
	ck_assert_int_eq(rules_fit_end(fx_store, &q, FX_NOW, &end, &err),
	    GERR_OK);
	ck_assert_int_eq(end, fx_local(DAY, "15:00"));
	/* A quota used up leaves nothing to offer, and says why. */
	fx_assert_ok(book("T-G1", DAY "T11:00", DAY "T12:00", FX_EMAIL));
	ck_assert_int_eq(rules_fit_end(fx_store, &q, FX_NOW, &end, &err),
	    GERR_QUOTA_DAY);
	ck_assert_ptr_nonnull(strstr(err.msg, "(R3)"));
}
END_TEST

START_TEST(test_r3_a_booking_across_midnight_counts_on_each_day)
{
	/* 23:00-01:00 counts one hour on each day. */
	fx_assert_ok(book("T-G1", DAY "T23:00", "2026-11-28T01:00",
	    FX_EMAIL));
	fx_assert_ok(book("T-G2", DAY "T10:00", DAY "T11:00", FX_EMAIL));
	fx_assert_gerr(book("T-G2", DAY "T12:00", DAY "T12:30", FX_EMAIL),
	    GERR_QUOTA_DAY, "(R3)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2026-11-27"));
	fx_assert_ok(book("T-G2", "2026-11-28T10:00", "2026-11-28T11:00",
	    FX_EMAIL));
	fx_assert_gerr(book("T-G2", "2026-11-28T12:00", "2026-11-28T12:30",
	    FX_EMAIL), GERR_QUOTA_DAY, "(R3)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2026-11-28"));
	/* The new booking's second day is checked too. */
	fx_assert_ok(book("T-G1", "2026-11-28T12:00", "2026-11-28T13:30",
	    FX_EMAIL2));
	fx_assert_gerr(book("T-G2", DAY "T23:00", "2026-11-28T01:00",
	    FX_EMAIL2), GERR_QUOTA_DAY, "(R3)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2026-11-28"));
	fx_assert_ok(book("T-G2", DAY "T23:30", "2026-11-28T00:30",
	    FX_EMAIL2));
}
END_TEST

START_TEST(test_r3_the_month_quota_counts_per_patron_month_and_type)
{
	fx_assert_ok(book("T-G1", "2026-12-01T10:00", "2026-12-01T12:00",
	    FX_EMAIL));
	fx_assert_ok(book("T-G1", "2026-12-02T10:00", "2026-12-02T12:00",
	    FX_EMAIL));
	fx_assert_gerr(book("T-G1", "2026-12-03T10:00", "2026-12-03T10:30",
	    FX_EMAIL), GERR_QUOTA_MONTH, "(R3)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2026-12"));
	/* Another month, another type, another patron. */
	fx_assert_ok(book("T-G1", DAY "T10:00", DAY "T10:30", FX_EMAIL));
	fx_assert_ok(book("T-C1", "2026-12-03T10:00", "2026-12-03T11:00",
	    FX_EMAIL));
	fx_assert_ok(book("T-G1", "2026-12-03T10:00", "2026-12-03T10:30",
	    FX_EMAIL2));
}
END_TEST

START_TEST(test_r3_a_booking_across_a_months_end_counts_in_each)
{
	/* November: 180 min before the booking across the month's end. */
	fx_assert_ok(book("T-G1", DAY "T10:00", DAY "T12:00", FX_EMAIL));
	fx_assert_ok(book("T-G1", "2026-11-28T10:00", "2026-11-28T11:00",
	    FX_EMAIL));
	/* 90 min on 30 November would make 270 in November. */
	fx_assert_gerr(book("T-G1", "2026-11-30T22:30", "2026-12-01T00:30",
	    FX_EMAIL), GERR_QUOTA_MONTH, "(R3)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2026-11"));
	fx_assert_ok(book("T-G1", "2026-11-30T23:00", "2026-12-01T01:00",
	    FX_EMAIL));
	fx_assert_gerr(book("T-G1", "2026-11-29T10:00", "2026-11-29T10:30",
	    FX_EMAIL), GERR_QUOTA_MONTH, "(R3)");
	/* December already has its first hour. */
	fx_assert_ok(book("T-G1", "2026-12-02T10:00", "2026-12-02T12:00",
	    FX_EMAIL));
	fx_assert_ok(book("T-G1", "2026-12-03T10:00", "2026-12-03T11:00",
	    FX_EMAIL));
	fx_assert_gerr(book("T-G1", "2026-12-04T10:00", "2026-12-04T10:30",
	    FX_EMAIL), GERR_QUOTA_MONTH, "(R3)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2026-12"));
	/* The new booking's second month is checked too. */
	fx_assert_ok(book("T-G2", "2026-12-02T10:00", "2026-12-02T12:00",
	    FX_EMAIL2));
	fx_assert_ok(book("T-G2", "2026-12-03T13:00", "2026-12-03T14:30",
	    FX_EMAIL2));
	fx_assert_gerr(book("T-G2", "2026-11-30T23:00", "2026-12-01T01:00",
	    FX_EMAIL2), GERR_QUOTA_MONTH, "(R3)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2026-12"));
	fx_assert_ok(book("T-G2", "2026-11-30T23:00", "2026-12-01T00:30",
	    FX_EMAIL2));
}
END_TEST

/* Cancelled, no_show and expired bookings do not count; present does. */
START_TEST(test_r3_only_live_and_present_bookings_count)
{
	char	id[UUID_LEN];

	fx_sql("INSERT INTO booking (id, resource_id, start, end, email, "
	    "origin, status, created_at, changed_at) SELECT s.value ->> 0, "
	    "r.id, unixepoch(s.value ->> 1), unixepoch(s.value ->> 2), "
	    "s.value ->> 3, 'desk', s.value ->> 4, 0, 0 FROM resource r, "
	    "json_each('["
	    "[\"00000000-0000-4000-8000-000000000001\",\"2026-11-27 06:00\","
	    "\"2026-11-27 08:00\",\"" FX_EMAIL "\",\"cancelled\"],"
	    "[\"00000000-0000-4000-8000-000000000002\",\"2026-11-27 08:00\","
	    "\"2026-11-27 10:00\",\"" FX_EMAIL "\",\"no_show\"],"
	    "[\"00000000-0000-4000-8000-000000000003\",\"2026-11-27 10:00\","
	    "\"2026-11-27 12:00\",\"" FX_EMAIL "\",\"expired\"],"
	    "[\"00000000-0000-4000-8000-000000000004\",\"2026-11-27 12:00\","
	    "\"2026-11-27 14:00\",\"" FX_EMAIL2 "\",\"present\"]"
	    "]') AS s WHERE r.code = 'T-G2'");
	fx_assert_ok(book("T-G1", DAY "T16:00", DAY "T18:00", FX_EMAIL));
	fx_assert_gerr(book("T-G1", DAY "T18:00", DAY "T18:30", FX_EMAIL2),
	    GERR_QUOTA_DAY, "(R3)");
	/* A cancelled booking frees its minutes at once. */
	fx_assert_ok(book_id("T-G1", "2026-11-28T10:00", "2026-11-28T12:00",
	    FX_EMAIL2, id));
	fx_assert_gerr(book("T-G2", "2026-11-28T14:00", "2026-11-28T14:30",
	    FX_EMAIL2), GERR_QUOTA_DAY, "(R3)");
	fx_assert_ok(cancel(fx_admin, id, "asked by phone"));
	fx_assert_ok(book("T-G2", "2026-11-28T14:00", "2026-11-28T16:00",
	    FX_EMAIL2));
}
END_TEST

/* R14: a change is checked as new, without counting itself. */
START_TEST(test_r14_a_change_is_checked_as_new_without_itself)
{
	char		 a[UUID_LEN], b[UUID_LEN];
	struct booking	 bk;
	json_t		*p;

	fx_assert_ok(book_id("T-G1", DAY "T10:00", DAY "T11:30", FX_EMAIL, a));
	fx_assert_ok(book_id("T-G2", DAY "T14:00", DAY "T14:30", FX_EMAIL, b));
	/* Shorten, then extend back to the day's 120 min. */
	fx_assert_ok(fx_op(fx_admin, "change", json_pack("{s:s,s:s}", "id", a,
	    "end", DAY "T11:00"), NULL));
	fx_assert_ok(fx_op(fx_admin, "change", json_pack("{s:s,s:s}", "id", a,
	    "end", DAY "T11:30"), NULL));
	/* Move over its own old slot. */
	fx_assert_ok(fx_op(fx_admin, "change", json_pack("{s:s,s:s,s:s}",
	    "id", a, "start", DAY "T10:30", "end", DAY "T12:00"), NULL));
	ck_assert_int_eq(booking_find(fx_store, a, &bk), GERR_OK);
	ck_assert_int_eq(bk.start, fx_local(DAY, "10:30"));
	ck_assert_int_eq(bk.end, fx_local(DAY, "12:00"));
	ck_assert_int_eq(bk.version, 4);
	/* One slot more is over the day's quota; longer is too long. */
	p = json_pack("{s:s,s:s}", "id", a, "end", DAY "T12:30");
	fx_assert_gerr(fx_op(fx_admin, "change", p, NULL), GERR_QUOTA_DAY,
	    "(R3)");
	fx_assert_gerr(fx_op(fx_admin, "change", json_pack("{s:s,s:s,s:s}",
	    "id", b, "start", DAY "T13:00", "end", DAY "T15:30"), NULL),
	    GERR_TOO_LONG, "(R3)");
	/* Onto another booking's slot (R7), or off the grid. */
	fx_assert_ok(book("T-G2", DAY "T16:00", DAY "T17:00", FX_EMAIL2));
	fx_assert_gerr(fx_op(fx_admin, "change", json_pack("{s:s,s:s,s:s}",
	    "id", b, "start", DAY "T16:30", "end", DAY "T17:00"), NULL),
	    GERR_SLOT_TAKEN, "(R7)");
	fx_assert_gerr(fx_op(fx_admin, "change", json_pack("{s:s,s:s}",
	    "id", b, "end", DAY "T14:45"), NULL), GERR_BAD_GRANULARITY,
	    "(R3)");
	/* Another room, same times. */
	fx_assert_ok(fx_op(fx_admin, "change", json_pack("{s:s,s:s}", "id", b,
	    "resource", "T-G1"), NULL));
	ck_assert_int_eq(booking_find(fx_store, b, &bk), GERR_OK);
	ck_assert_str_eq(bk.resource, "T-G1");
	ck_assert_int_eq(booking_find(fx_store, a, &bk), GERR_OK);
	ck_assert_int_eq(bk.end, fx_local(DAY, "12:00"));
	/* A cancelled booking does not change. */
	fx_assert_ok(cancel(fx_admin, a, "no longer needed"));
	fx_assert_gerr(fx_op(fx_admin, "change", json_pack("{s:s,s:s}", "id",
	    a, "end", DAY "T11:00"), NULL), GERR_BAD_STATE, NULL);
}
END_TEST

/* R14: shortening never breaks a quota, even one lowered meanwhile. */
START_TEST(test_r14_shortening_never_breaks_a_quota)
{
	char	a[UUID_LEN];

	fx_assert_ok(book_id("T-G1", DAY "T10:00", DAY "T11:30", FX_EMAIL, a));
	fx_assert_ok(book("T-G2", DAY "T14:00", DAY "T14:30", FX_EMAIL));
	/* The referent lowers the quota to 1 h: the patron is at 2 h. */
	fx_assert_ok(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:i}",
	    "resource", "T-G1", "day_quota", 60), NULL));
	/* 2 h 00 to 1 h 30: still over, yet less; a reduction passes. */
	fx_assert_ok(fx_op(fx_admin, "change", json_pack("{s:s,s:s}", "id", a,
	    "end", DAY "T11:00"), NULL));
	/* Starting later is a reduction too. */
	fx_assert_ok(fx_op(fx_admin, "change", json_pack("{s:s,s:s}", "id", a,
	    "start", DAY "T10:30"), NULL));
	/* Extending back is not: the quota applies. */
	fx_assert_gerr(fx_op(fx_admin, "change", json_pack("{s:s,s:s}", "id",
	    a, "end", DAY "T11:30"), NULL), GERR_QUOTA_DAY, "(R3)");
}
END_TEST

/* R4 */

static enum gerr
hours_week(int weekday, const char *open, const char *close)
{
	json_t	*p = json_pack("{s:s,s:i}", "establishment", "TST", "weekday",
	    weekday);

	if (open == NULL)
		json_object_set_new(p, "closed", json_true());
	else {
		json_object_set_new(p, "open", json_string(open));
		json_object_set_new(p, "close", json_string(close));
	}
	return (fx_op(fx_admin, "hours_week", p, NULL));
}

START_TEST(test_r4_refuses_a_booking_outside_the_weekly_hours)
{
	fx_assert_ok(hours_week(5, "08:00", "20:00"));
	fx_assert_gerr(book("T-G1", DAY "T07:30", DAY "T08:30", FX_EMAIL),
	    GERR_OUTSIDE_HOURS, "(R4)");
	fx_assert_gerr(book("T-G1", DAY "T19:30", DAY "T20:30", FX_EMAIL),
	    GERR_OUTSIDE_HOURS, "(R4)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "08:00-20:00"));
	fx_assert_ok(book("T-G1", DAY "T08:00", DAY "T09:00", FX_EMAIL));
	fx_assert_ok(book("T-G1", DAY "T19:00", DAY "T20:00", FX_EMAIL));
	/* Thursday keeps its own hours. */
	fx_assert_ok(book("T-G1", "2026-12-03T07:00", "2026-12-03T08:00",
	    FX_EMAIL2));
}
END_TEST

START_TEST(test_r4_refuses_a_closed_weekday_even_across_midnight)
{
	fx_assert_ok(hours_week(6, NULL, NULL));
	fx_assert_gerr(book("T-G1", "2026-11-28T10:00", "2026-11-28T11:00",
	    FX_EMAIL), GERR_CLOSED, "(R4)");
	/* Across midnight into the closed Saturday. */
	fx_assert_gerr(book("T-G1", DAY "T23:30", "2026-11-28T00:30",
	    FX_EMAIL), GERR_CLOSED, "(R4)");
	fx_assert_ok(book("T-G1", DAY "T23:30", "2026-11-28T00:00",
	    FX_EMAIL));
	fx_assert_ok(book("T-G1", "2026-11-29T10:00", "2026-11-29T11:00",
	    FX_EMAIL));
	/* Saturday open in the morning only: across midnight is outside. */
	fx_assert_ok(hours_week(6, "09:00", "12:00"));
	fx_assert_gerr(book("T-G2", DAY "T23:30", "2026-11-28T00:30",
	    FX_EMAIL2), GERR_OUTSIDE_HOURS, "(R4)");
	fx_assert_ok(book("T-G1", "2026-11-28T10:00", "2026-11-28T11:00",
	    FX_EMAIL));
}
END_TEST

START_TEST(test_r4_a_closed_date_or_its_own_hours_override_the_week)
{
	fx_assert_ok(fx_op(fx_admin, "close", json_pack("{s:s,s:s,s:s}",
	    "establishment", "TST", "date", "2026-11-29", "reason",
	    "Inventaire"), NULL));
	fx_assert_gerr(book("T-G1", "2026-11-29T10:00", "2026-11-29T11:00",
	    FX_EMAIL), GERR_CLOSED, "(R4)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "Inventaire"));
	fx_assert_ok(book("T-G1", "2026-11-28T10:00", "2026-11-28T11:00",
	    FX_EMAIL));
	/* Exceptional hours on a date override the week. */
	fx_assert_ok(fx_op(fx_admin, "hours_date", json_pack("{s:s,s:s,s:s,"
	    "s:s}", "establishment", "TST", "date", "2026-11-30", "open",
	    "10:00", "close", "12:00"), NULL));
	fx_assert_gerr(book("T-G1", "2026-11-30T09:30", "2026-11-30T10:30",
	    FX_EMAIL), GERR_OUTSIDE_HOURS, "(R4)");
	fx_assert_ok(book("T-G1", "2026-11-30T10:00", "2026-11-30T11:00",
	    FX_EMAIL));
	/* A session on a closed date is closed too (R4 for sessions). */
	fx_assert_ok(fx_op(fx_admin, "close", json_pack("{s:s,s:s,s:s}",
	    "establishment", "TST", "date", "2026-11-27", "reason",
	    "Inventaire"), NULL));
	fx_assert_gerr(web_book("T-WS", "2026-11-27T14:00", "2026-11-27T15:30",
	    FX_EMAIL, NULL), GERR_CLOSED, "(R4)");
	/* Reopened, the date follows the week again. */
	fx_assert_ok(fx_op(fx_admin, "open", json_pack("{s:s,s:s}",
	    "establishment", "TST", "date", "2026-11-29"), NULL));
	fx_assert_ok(book("T-G1", "2026-11-29T10:00", "2026-11-29T11:00",
	    FX_EMAIL));
}
END_TEST

/* R5 */

START_TEST(test_r5_a_first_web_booking_waits_for_its_own_link)
{
	char		 id[UUID_LEN];
	struct booking	 b;
	json_t		*res = NULL;

	fx_assert_ok(web_book("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL,
	    id));
	ck_assert_int_eq(booking_find(fx_store, id, &b), GERR_OK);
	ck_assert_int_eq(b.status, STATUS_PENDING);
	ck_assert_int_eq(b.origin, ORIGIN_WEB);
	/* Still pending for the second booking until the link is used. */
	fx_assert_ok(web_book("T-G1", DAY "T12:00", DAY "T12:30", FX_EMAIL,
	    NULL));
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM booking WHERE "
	    "email = '" FX_EMAIL "' AND status = 'pending_confirmation'"), 2);
	/* Staff may not confirm for the patron. */
	fx_assert_gerr(fx_op(fx_admin, "confirm", json_pack("{s:s}", "id",
	    id), NULL), GERR_FORBIDDEN, "(R5)");
	/* Only with the key of its e-mail's link. */
	fx_assert_gerr(fx_op(fx_patron, "confirm", json_pack("{s:s}", "id",
	    id), NULL), GERR_FORBIDDEN, NULL);
	fx_assert_gerr(fx_op(fx_patron, "confirm", json_pack("{s:s,s:s}", "id",
	    id, "key", "00000000000000000000000000000000"), NULL),
	    GERR_FORBIDDEN, NULL);
	ck_assert_int_eq(fx_status(id), STATUS_PENDING);
	fx_assert_ok(fx_op(fx_patron, "confirm", with_key(fx_patron, id), NULL));
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
	/* A patron who confirmed once books confirmed. */
	fx_assert_ok(web_book("T-G1", DAY "T13:00", DAY "T13:30", FX_EMAIL,
	    id));
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
	/* Desk, phone and walk-in bookings are confirmed at once. */
	fx_assert_ok(fx_op(fx_desk, "book", json_pack("{s:s,s:s,s:s,s:s,s:s}",
	    "resource", "T-G2", "start", DAY "T10:00", "end", DAY "T11:00",
	    "email", FX_EMAIL2, "origin", "phone"), &res));
	ck_assert_str_eq(json_string_value(json_object_get(res, "status")),
	    "confirmed");
	ck_assert_str_eq(json_string_value(json_object_get(res, "origin")),
	    "phone");
	json_decref(res);
	fx_assert_ok(fx_book(fx_desk, "T-G2", DAY "T11:00", DAY "T11:30",
	    "walkin@univ-tlse2.fr", id));
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
	/* A patron cannot pretend to be the desk. */
	fx_assert_gerr(fx_op(fx_patron, "book", json_pack("{s:s,s:s,s:s,s:s,"
	    "s:s}", "resource", "T-G2", "start", DAY "T15:00", "end",
	    DAY "T16:00", "email", "third@univ-tlse2.fr", "origin", "desk"),
	    NULL), GERR_FORBIDDEN, NULL);
}
END_TEST

START_TEST(test_r5_an_unconfirmed_booking_expires_and_frees_its_slot)
{
	char	id[UUID_LEN];
	json_t	*res = NULL;

	fx_assert_ok(web_book("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL,
	    id));
	ck_assert_int_eq(fx_status(id), STATUS_PENDING);
	clock_set(FX_NOW + 2 * 3600 - 60);	/* 1 h 59 later */
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
	ck_assert_int_eq(fx_status(id), STATUS_PENDING);
	fx_assert_gerr(book("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL2),
	    GERR_SLOT_TAKEN, "(R7)");
	clock_set(FX_NOW + 2 * 3600);
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), &res));
	ck_assert_int_ge(json_integer_value(json_object_get(res, "expired")),
	    1);
	json_decref(res);
	ck_assert_int_eq(fx_status(id), STATUS_EXPIRED);
	/* The slot is free again. */
	fx_assert_ok(book("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL2));
	/* The sweep is the system's. */
	fx_assert_gerr(fx_op(fx_desk, "sweep", json_object(), NULL),
	    GERR_FORBIDDEN, NULL);
}
END_TEST

/* R6 */

static enum gerr
free_late(const struct account *a, const char *id)
{
	return (fx_op(a, "free_late", json_pack("{s:[s]}", "ids", id), NULL));
}

static enum gerr
checkin(const struct account *a, const char *id, const char *code)
{
	json_t	*p = json_pack("{s:s}", "id", id);

	if (code != NULL)
		json_object_set_new(p, "code", json_string(code));
	return (fx_op(a, "checkin", p, NULL));
}

START_TEST(test_r6_frees_a_booking_only_once_late)
{
	char	 id[UUID_LEN];

	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-26T10:30",
	    "2026-11-26T11:30", FX_EMAIL, id));
	fx_clock("2026-11-26", "10:45");
	fx_assert_gerr(free_late(fx_desk, id), GERR_NOT_LATE, "(R6)");
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
	fx_clock("2026-11-26", "10:46");
	fx_assert_ok(free_late(fx_desk, id));
	ck_assert_int_eq(fx_status(id), STATUS_NO_SHOW);
	/* Kept on record, and its slot is free. */
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM booking WHERE id = "
	    "(SELECT id FROM booking WHERE status = 'no_show' AND email = '"
	    FX_EMAIL "')"), 1);
	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-26T11:00",
	    "2026-11-26T11:30", FX_EMAIL2, NULL));
	/* Twice is a state error, not a rule. */
	fx_assert_gerr(free_late(fx_desk, id), GERR_BAD_STATE, NULL);
}
END_TEST

START_TEST(test_r6_free_late_frees_only_the_late_bookings)
{
	char	 late[UUID_LEN], soon[UUID_LEN], here[UUID_LEN];
	json_t	*res = NULL;

	/* Made before their start: late G minutes after it (R6). */
	fx_clock("2026-11-26", "09:50");
	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-26T10:00",
	    "2026-11-26T11:00", FX_EMAIL, late));
	fx_assert_ok(fx_book(fx_desk, "T-G2", "2026-11-26T10:00",
	    "2026-11-26T11:00", FX_EMAIL2, here));
	fx_assert_ok(fx_book(fx_desk, "T-C1", "2026-11-26T11:00",
	    "2026-11-26T12:00", FX_EMAIL, soon));
	fx_clock("2026-11-26", "10:05");
	fx_assert_ok(checkin(fx_desk, here, NULL));
	fx_clock("2026-11-26", "10:16");
	fx_assert_ok(fx_op(fx_desk, "free_late", json_pack("{s:s}",
	    "establishment", "TST"), &res));
	ck_assert_uint_eq(json_array_size(json_object_get(res, "freed")), 1);
	json_decref(res);
	ck_assert_int_eq(fx_status(late), STATUS_NO_SHOW);
	ck_assert_int_eq(fx_status(here), STATUS_PRESENT);
	ck_assert_int_eq(fx_status(soon), STATUS_CONFIRMED);
}
END_TEST

START_TEST(test_r6_a_patron_validates_with_the_code_in_the_window)
{
	char	id[UUID_LEN];

	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-26T10:30",
	    "2026-11-26T11:30", FX_EMAIL, id));
	fx_clock("2026-11-26", "10:19");
	fx_assert_gerr(checkin(fx_patron, id, FX_CODE), GERR_TOO_EARLY,
	    "(R6)");
	fx_clock("2026-11-26", "10:20");
	fx_assert_gerr(checkin(fx_patron, id, "BUC-4821"), GERR_BAD_CODE,
	    "(R6)");
	fx_assert_gerr(checkin(fx_patron, id, NULL), GERR_BAD_CODE, "(R6)");
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
	fx_assert_ok(checkin(fx_patron, id, FX_CODE));
	ck_assert_int_eq(fx_status(id), STATUS_PRESENT);
	/* A present booking is never freed. */
	fx_clock("2026-11-26", "10:50");
	fx_assert_gerr(free_late(fx_desk, id), GERR_BAD_STATE, NULL);
}
END_TEST

/* The validation page's operation (R6 by address and code). */
static enum gerr
validate(const char *email, const char *code, json_t **res)
{
	return (fx_op(fx_patron, "validate", json_pack("{s:s,s:s}", "email",
	    email, "code", code), res));
}

/*
 * R6 from the QR code's page: the code is judged first and alone; then
 * the address's booking in its window is validated, and every other case
 * (no booking, pending, too early, too late, already over) is the same
 * not_found, so that an address tells nothing more.
 */
START_TEST(test_r6_the_qr_page_judges_the_code_then_tells_nothing_more)
{
	char	 a[UUID_LEN], pend[UUID_LEN], c[UUID_LEN];
	char	 msg_none[512];
	json_t	*res = NULL;

	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-26T10:30",
	    "2026-11-26T11:30", FX_EMAIL, a));
	fx_assert_ok(web_book("T-G2", "2026-11-26T10:30", "2026-11-26T11:30",
	    "first.time@univ-tlse2.fr", pend));
	fx_assert_ok(fx_book(fx_desk, "T-C1", "2026-11-26T12:00",
	    "2026-11-26T13:00", FX_EMAIL2, c));
	fx_clock("2026-11-26", "10:25");
	/* A wrong code, whatever the address. */
	fx_assert_gerr(validate(FX_EMAIL, "TST-0002", NULL), GERR_BAD_CODE,
	    "(R6)");
	fx_assert_gerr(validate("nobody@univ-tlse2.fr", "", NULL),
	    GERR_BAD_CODE, "(R6)");
	ck_assert_int_eq(fx_status(a), STATUS_CONFIRMED);
	fx_assert_ok(validate(FX_EMAIL, "TST-0001", NULL));
	ck_assert_int_eq(fx_status(a), STATUS_PRESENT);
	/* Again: the same answer, nothing changes. */
	fx_assert_ok(validate(FX_EMAIL, " tst-0001", &res));
	ck_assert_str_eq(json_string_value(json_object_get(res, "status")),
	    "present");
	json_decref(res);
	/* Nobody, pending, too early: one answer, word for word. */
	fx_assert_gerr(validate("nobody@univ-tlse2.fr", "TST-0001", NULL),
	    GERR_NOT_FOUND, "(R6)");
	snprintf(msg_none, sizeof msg_none, "%s", fx_err.msg);
	fx_assert_gerr(validate("first.time@univ-tlse2.fr", "TST-0001",
	    NULL), GERR_NOT_FOUND, "(R6)");
	ck_assert_str_eq(fx_err.msg, msg_none);
	ck_assert_int_eq(fx_status(pend), STATUS_PENDING);
	fx_assert_gerr(validate(FX_EMAIL2, "TST-0001", NULL), GERR_NOT_FOUND,
	    "(R6)");
	ck_assert_str_eq(fx_err.msg, msg_none);
	/* Too late: 12:15 and one second. */
	clock_set(fx_local("2026-11-26", "12:15") + 1);
	fx_assert_gerr(validate(FX_EMAIL2, "TST-0001", NULL), GERR_NOT_FOUND,
	    "(R6)");
	ck_assert_str_eq(fx_err.msg, msg_none);
	ck_assert_int_eq(fx_status(c), STATUS_CONFIRMED);
	/* Staff validate at the desk, not here. */
	fx_assert_gerr(fx_op(fx_desk, "validate", json_pack("{s:s,s:s}",
	    "email", FX_EMAIL2, "code", "TST-0001"), NULL), GERR_FORBIDDEN,
	    NULL);
}
END_TEST

START_TEST(test_r6_too_late_for_the_patron_not_for_the_desk)
{
	char	a[UUID_LEN], b[UUID_LEN];

	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-26T10:30",
	    "2026-11-26T11:30", FX_EMAIL, a));
	fx_assert_ok(fx_book(fx_desk, "T-G2", "2026-11-26T10:30",
	    "2026-11-26T11:30", FX_EMAIL2, b));
	fx_clock("2026-11-26", "10:45");
	fx_assert_ok(checkin(fx_patron, a, FX_CODE));
	clock_set(fx_local("2026-11-26", "10:45") + 1);
	fx_assert_gerr(checkin(fx_patron, b, FX_CODE), GERR_TOO_LATE, "(R6)");
	ck_assert_int_eq(fx_status(b), STATUS_CONFIRMED);
	/* The desk may still validate it until the end. */
	fx_clock("2026-11-26", "11:29");
	fx_assert_ok(checkin(fx_desk, b, NULL));
	ck_assert_int_eq(fx_status(b), STATUS_PRESENT);
}
END_TEST

START_TEST(test_r6_a_pending_booking_is_validated_at_the_desk_only)
{
	char	id[UUID_LEN];

	fx_assert_ok(web_book("T-G1", "2026-11-26T10:30", "2026-11-26T11:30",
	    FX_EMAIL, id));
	ck_assert_int_eq(fx_status(id), STATUS_PENDING);
	fx_clock("2026-11-26", "10:35");
	fx_assert_gerr(checkin(fx_patron, id, FX_CODE), GERR_NOT_CONFIRMED,
	    "(R6)");
	ck_assert_int_eq(fx_status(id), STATUS_PENDING);
	/* At the desk, validating confirms too. */
	fx_assert_ok(checkin(fx_desk, id, NULL));
	ck_assert_int_eq(fx_status(id), STATUS_PRESENT);
	ck_assert_int_eq(fx_sql_int("SELECT confirmed FROM patron WHERE "
	    "email = '" FX_EMAIL "'"), 1);
	fx_assert_ok(web_book("T-G1", DAY "T10:30", DAY "T11:00", FX_EMAIL,
	    id));
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
}
END_TEST

/* R7 */

START_TEST(test_r7_a_slot_holds_one_live_booking)
{
	char	id[UUID_LEN];

	fx_assert_ok(book_id("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL, id));
	fx_assert_gerr(book("T-G1", DAY "T10:30", DAY "T11:30", FX_EMAIL2),
	    GERR_SLOT_TAKEN, "(R7)");
	fx_assert_gerr(book("T-G1", DAY "T09:30", DAY "T10:30", FX_EMAIL2),
	    GERR_SLOT_TAKEN, "(R7)");
	fx_assert_gerr(book("T-G1", DAY "T10:00", DAY "T10:30", FX_EMAIL2),
	    GERR_SLOT_TAKEN, "(R7)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "10:00-11:00"));
	/* Adjacent on both sides; the same time in another room. */
	fx_assert_ok(book("T-G1", DAY "T11:00", DAY "T11:30", FX_EMAIL2));
	fx_assert_ok(book("T-G1", DAY "T09:30", DAY "T10:00", FX_EMAIL2));
	fx_assert_ok(book("T-G2", DAY "T10:00", DAY "T11:00", FX_EMAIL2));
	/* A cancelled booking no longer holds its slot. */
	fx_assert_ok(cancel(fx_admin, id, "room needed for an exam"));
	fx_assert_ok(book("T-G1", DAY "T10:00", DAY "T11:00",
	    "third@univ-tlse2.fr"));
}
END_TEST

START_TEST(test_r7_a_session_holds_its_places_one_a_patron)
{
	static const char *const who[] = { "a@univ-tlse2.fr",
	    "b@univ-tlse2.fr", "c@univ-tlse2.fr" };
	char	 first[UUID_LEN];
	size_t	 i;
	json_t	*p;

	for (i = 0; i < 3; i++)
		fx_assert_ok(web_book("T-WS", DAY "T14:00", DAY "T15:30",
		    who[i], i == 0 ? first : NULL));
	fx_assert_gerr(web_book("T-WS", DAY "T14:00", DAY "T15:30",
	    "d@univ-tlse2.fr", NULL), GERR_CAPACITY_FULL, "(R7)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "3/3"));
	/* Two places asked when one is the limit a patron. */
	p = json_pack("{s:s,s:s,s:s,s:s,s:i}", "resource", "T-WS", "start",
	    DAY "T14:00", "end", DAY "T15:30", "email", "e@univ-tlse2.fr",
	    "places", 2);
	fx_assert_gerr(fx_op(fx_patron, "book", p, NULL), GERR_PLACES_MAX,
	    "(R3)");
	/* A second place for a patron who has one. */
	fx_assert_gerr(web_book("T-WS", DAY "T14:00", DAY "T15:30", who[1],
	    NULL), GERR_PLACES_MAX, "(R3)");
	/* Not a session. */
	fx_assert_gerr(web_book("T-WS", DAY "T15:00", DAY "T16:30",
	    "d@univ-tlse2.fr", NULL), GERR_NOT_FOUND, NULL);
	/* A cancelled place is free again. */
	fx_assert_ok(cancel(fx_patron, first, NULL));
	fx_assert_ok(web_book("T-WS", DAY "T14:00", DAY "T15:30",
	    "d@univ-tlse2.fr", NULL));
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id WHERE r.code = 'T-WS' AND "
	    "b.status IN ('pending_confirmation', 'confirmed')"), 3);
}
END_TEST

/* Two processes book the same slot of the same file at once. */
START_TEST(test_r7_two_processes_booking_one_slot_make_one_booking)
{
	int	go[2], i, status, ok = 0, taken = 0;
	pid_t	pid[2];

	ck_assert_int_eq(pipe(go), 0);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0) {
			struct store	*s;
			struct account	*a;
			struct gerror	 err;
			json_t		*p;
			char		 c;
			enum gerr	 e;

			close(go[1]);
			if (store_open(fx_db_path(), 0, &s, &err) != GERR_OK)
				_exit(100);
			a = account_actor(ACTOR_SYSTEM, "racer");
			/* Wait until the parent lets both go. */
			if (read(go[0], &c, 1) != 0)
				_exit(101);
			p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "resource",
			    "T-G1", "start", DAY "T10:00", "end", DAY "T11:00",
			    "email", i == 0 ? FX_EMAIL : FX_EMAIL2, "origin",
			    "phone");
			e = op_apply(s, a, NULL, "book", p, NULL, &err);
			json_decref(p);
			account_free(a);
			store_close(s);
			_exit((int)e);
		}
	}
	close(go[0]);
	close(go[1]);	/* both children read EOF now */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert(WIFEXITED(status));
		if (WEXITSTATUS(status) == GERR_OK)
			ok++;
		else if (WEXITSTATUS(status) == GERR_SLOT_TAKEN)
			taken++;
		else
			ck_abort_msg("racer ended with %d",
			    WEXITSTATUS(status));
	}
	ck_assert_int_eq(ok, 1);
	ck_assert_int_eq(taken, 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id WHERE r.code = 'T-G1'"), 1);
}
END_TEST

/* R8, R9 */

START_TEST(test_r8_internal_resources_are_for_their_planners_only)
{
	fx_assert_gerr(web_book("T-FORM", DAY "T10:00", DAY "T11:00",
	    FX_EMAIL, NULL), GERR_RESOURCE_INTERNAL, "(R8)");
	fx_assert_gerr(fx_book(fx_desk, "T-FORM", DAY "T10:00", DAY "T11:00",
	    FX_EMAIL, NULL), GERR_RESOURCE_INTERNAL, "(R8)");
	/* A public room made non-public is no longer offered on the web. */
	fx_assert_ok(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:b}",
	    "resource", "T-G1", "public", 0), NULL));
	fx_assert_gerr(web_book("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL,
	    NULL), GERR_RESOURCE_INTERNAL, "(R8)");
	/* Not public is internal (R8): only scopes that name it plan it. */
	fx_assert_gerr(fx_book(fx_desk, "T-G1", DAY "T10:00", DAY "T11:00",
	    FX_EMAIL, NULL), GERR_RESOURCE_INTERNAL, "(R8)");
	fx_assert_ok(fx_book(fx_admin, "T-G1", DAY "T10:00", DAY "T11:00",
	    FX_EMAIL, NULL));
	fx_assert_ok(fx_book(fx_admin, "T-FORM", DAY "T10:00", DAY "T11:00",
	    FX_EMAIL, NULL));
	/* R2: an internal booking's contact address is optional. */
	fx_assert_ok(fx_op(fx_admin, "book", json_pack("{s:s,s:s,s:s}",
	    "resource", "T-FORM", "start", DAY "T12:00", "end", DAY "T13:00"),
	    NULL));
	fx_assert_gerr(fx_op(fx_admin, "book", json_pack("{s:s,s:s,s:s}",
	    "resource", "T-C1", "start", DAY "T12:00", "end", DAY "T13:00"),
	    NULL), GERR_BAD_REQUEST, NULL);
}
END_TEST

START_TEST(test_r9_a_disabled_resource_takes_no_booking_keeps_its_own)
{
	char	id[UUID_LEN];

	fx_assert_ok(book_id("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL, id));
	fx_assert_ok(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:b}",
	    "resource", "T-G1", "enabled", 0), NULL));
	fx_assert_gerr(book("T-G1", DAY "T12:00", DAY "T13:00", FX_EMAIL2),
	    GERR_RESOURCE_DISABLED, "(R9)");
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
	fx_assert_ok(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:b}",
	    "resource", "T-G1", "enabled", 1), NULL));
	fx_assert_ok(book("T-G1", DAY "T12:00", DAY "T13:00", FX_EMAIL2));
}
END_TEST

/* R10 */

static enum gerr
message(const struct account *a, const char *est, const char *from,
    const char *to)
{
	return (fx_op(a, "message_add", json_pack("{s:s,s:s,s:s,s:s,s:s}",
	    "establishment", est, "kind", "popup", "text", "Fermeture "
	    "exceptionnelle", "from", from, "to", to), NULL));
}

START_TEST(test_r10_a_message_lasts_a_week_at_most)
{
	fx_assert_ok(message(fx_admin, "TST", "2026-11-26T00:00",
	    "2026-12-03T00:00"));
	fx_assert_gerr(message(fx_admin, "TST", "2026-11-26T00:00",
	    "2026-12-03T01:00"), GERR_MESSAGE_TOO_LONG, "(R10)");
	fx_assert_gerr(message(fx_admin, "TST", "2026-11-26T00:00:00+01:00",
	    "2026-12-03T00:00:01+01:00"), GERR_MESSAGE_TOO_LONG, "(R10)");
	fx_assert_gerr(message(fx_admin, "TST", "2026-11-26T10:00",
	    "2026-11-26T10:00"), GERR_BAD_REQUEST, NULL);
	/* A week across the end of summer time is still a week. */
	fx_assert_ok(message(fx_admin, "TST", "2026-10-19T00:00",
	    "2026-10-26T00:00"));
	fx_assert_gerr(message(fx_admin, "TST", "2026-03-23T00:00",
	    "2026-03-30T00:30"), GERR_MESSAGE_TOO_LONG, "(R10)");
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM message m JOIN "
	    "establishment e ON e.id = m.establishment_id WHERE "
	    "e.code = 'TST'"), 2);
}
END_TEST

/* R11 */

START_TEST(test_r11_staff_cancel_with_a_reason_patrons_without)
{
	char		id[UUID_LEN], web[UUID_LEN];
	struct booking	b;

	fx_assert_ok(book_id("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL, id));
	fx_assert_gerr(cancel(fx_desk, id, NULL), GERR_REASON_REQUIRED,
	    "(R11)");
	fx_assert_gerr(cancel(fx_desk, id, "   "), GERR_REASON_REQUIRED,
	    "(R11)");
	fx_assert_gerr(cancel(fx_desk, id, " \t "), GERR_BAD_TEXT, "(R16)");
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
	fx_assert_ok(cancel(fx_desk, id, "Salle indisponible"));
	ck_assert_int_eq(booking_find(fx_store, id, &b), GERR_OK);
	ck_assert_int_eq(b.status, STATUS_CANCELLED);
	ck_assert_str_eq(b.cancel_reason, "Salle indisponible");
	ck_assert_str_eq(b.changed_by, "desk.mirail");
	/* The patron cancels from the e-mail link without a reason. */
	fx_assert_ok(web_book("T-G2", DAY "T10:00", DAY "T11:00", FX_EMAIL2,
	    web));
	fx_assert_ok(cancel(fx_patron, web, NULL));
	ck_assert_int_eq(fx_status(web), STATUS_CANCELLED);
}
END_TEST

/* R12 */

static enum gerr
setting(const struct account *a, const char *key, const char *value)
{
	return (fx_op(a, "setting", json_pack("{s:s,s:s}", "key", key,
	    "value", value), NULL));
}

START_TEST(test_r12_only_the_super_administrator_changes_settings)
{
	struct account	*ref = fx_account("ref.buc");

	fx_assert_gerr(setting(ref, "max_days_ahead", "40"),
	    GERR_FORBIDDEN_R12, "(R12)");
	ck_assert_str_eq(gerr_info(GERR_FORBIDDEN_R12)->code, "forbidden");
	fx_assert_gerr(setting(fx_desk, "allowed_domains", "gmail.com"),
	    GERR_FORBIDDEN_R12, "(R12)");
	fx_assert_gerr(book("T-G1", "2027-01-05T10:00", "2027-01-05T11:00",
	    FX_EMAIL), GERR_TOO_FAR_AHEAD, "(R1)");
	fx_assert_ok(setting(fx_admin, "max_days_ahead", "40"));
	fx_assert_ok(book("T-G1", "2027-01-05T10:00", "2027-01-05T11:00",
	    FX_EMAIL));
	fx_assert_gerr(book("T-G1", "2027-01-06T10:00", "2027-01-06T11:00",
	    FX_EMAIL), GERR_TOO_FAR_AHEAD, "(R1)");
	fx_assert_ok(setting(fx_admin, "allowed_domains",
	    "Example.ORG, univ-tlse2.fr"));
	fx_assert_ok(book("T-G1", DAY "T10:00", DAY "T11:00",
	    "x@example.org"));
	fx_assert_gerr(book("T-G1", DAY "T12:00", DAY "T13:00", FX_EMAIL),
	    GERR_DOMAIN_NOT_ALLOWED, "(R2)");
	fx_assert_gerr(setting(fx_admin, "max_days_ahead", "soon"),
	    GERR_BAD_REQUEST, NULL);
	fx_assert_gerr(setting(fx_admin, "colour", "1"), GERR_BAD_REQUEST,
	    NULL);
}
END_TEST

/* Each setting takes the values of its line in the settings table, and
 * is read through it: its default until set, then what was set. */
START_TEST(test_r12_settings_within_their_limits)
{
	const struct setting_info	*info;
	int				 i;
	char				 v[32];

	for (i = 0; i < SET__COUNT; i++) {
		info = setting_info((enum setting)i);
		ck_assert_int_eq(setting_find(info->name), i);
		if (info->flags & SETTING_LIST)
			continue;
		ck_assert_int_eq(setting_get(fx_store, (enum setting)i),
		    info->def);
		snprintf(v, sizeof v, "%lld", (long long)info->min - 1);
		fx_assert_gerr(setting(fx_admin, info->name, v),
		    GERR_BAD_REQUEST, info->rule);
		snprintf(v, sizeof v, "%lld", (long long)info->max + 1);
		fx_assert_gerr(setting(fx_admin, info->name, v),
		    GERR_BAD_REQUEST, info->rule);
		snprintf(v, sizeof v, "%lld", (long long)info->max);
		fx_assert_ok(setting(fx_admin, info->name, v));
		ck_assert_int_eq(setting_get(fx_store, (enum setting)i),
		    info->max);
	}
	ck_assert_int_eq(setting_find("colour"), SET__COUNT);
}
END_TEST

/* One definition of a live booking: status_live() and the SQL every
 * query uses say the same of every status; the grid's state of a booking
 * follows R5 and R6. */
START_TEST(test_live_and_slot_states_agree)
{
	struct booking	 b;
	sqlite3_stmt	*st;
	int		 i;

	st = store_stmt(fx_store, "SELECT " STATUS_LIVE_SQL("?1"));
	for (i = 0; i < STATUS__COUNT; i++) {
		sqlite3_bind_text(st, 1, status_name((enum status)i), -1,
		    SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(st, 0),
		    status_live((enum status)i));
		sqlite3_reset(st);
	}
	memset(&b, 0, sizeof b);
	b.start = 1000000;
	b.end = b.start + 3600;
	ck_assert_int_eq(slot_of(NULL, b.start, 900), SLOT_FREE);
	b.status = STATUS_CONFIRMED;
	ck_assert_int_eq(slot_of(&b, b.start + 900, 900), SLOT_BOOKED);
	ck_assert_int_eq(slot_of(&b, b.start + 901, 900), SLOT_LATE);
	b.status = STATUS_PENDING;
	ck_assert_int_eq(slot_of(&b, b.start, 900), SLOT_PENDING);
	ck_assert_int_eq(slot_of(&b, b.start + 901, 900), SLOT_LATE);
	b.status = STATUS_PRESENT;
	ck_assert_int_eq(slot_of(&b, b.start + 3000, 900), SLOT_PRESENT);
	b.status = STATUS_NO_SHOW;
	ck_assert_int_eq(slot_of(&b, b.start + 3000, 900), SLOT_FREED);
	for (i = 0; i < SLOT__COUNT; i++)
		ck_assert(slot_info((enum slot)i)->ascii > ' ' &&
		    slot_info((enum slot)i)->legend != NULL);
}
END_TEST

/* R13 */

START_TEST(test_r13_a_closure_cancels_only_the_list_confirmed)
{
	char		 a[UUID_LEN], b[UUID_LEN], c[UUID_LEN];
	struct booking	 bk;
	json_t		*res = NULL, *list;
	size_t		 i;
	int		 seen_a = 0, seen_b = 0;

	fx_assert_ok(book_id("T-G1", "2026-11-29T10:00", "2026-11-29T11:00",
	    FX_EMAIL, a));
	fx_assert_ok(book_id("T-G2", "2026-11-29T23:30", "2026-11-30T00:30",
	    FX_EMAIL2, b));
	fx_assert_ok(book_id("T-G1", "2026-11-30T10:00", "2026-11-30T11:00",
	    FX_EMAIL, c));
	fx_assert_gerr(fx_op(fx_admin, "close", json_pack("{s:s,s:s,s:s}",
	    "establishment", "TST", "date", "2026-11-29", "reason",
	    "Degat des eaux"), &res), GERR_NEEDS_CONFIRMATION, "(R13)");
	/* Listed, not said cancelled: nothing is yet. */
	ck_assert_ptr_null(json_object_get(res, "cancelled"));
	list = json_object_get(res, "to_cancel");
	ck_assert_uint_eq(json_array_size(list), 2);
	for (i = 0; i < json_array_size(list); i++) {
		const char *id = json_string_value(json_object_get(
		    json_array_get(list, i), "id"));

		seen_a |= strcmp(id, a) == 0;
		seen_b |= strcmp(id, b) == 0;
	}
	ck_assert(seen_a && seen_b);
	json_decref(res);
	/* Nothing happened yet. */
	ck_assert_int_eq(fx_status(a), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(b), STATUS_CONFIRMED);
	fx_assert_ok(book("T-C1", "2026-11-29T15:00", "2026-11-29T16:00",
	    FX_EMAIL));
	/* Confirmed for the two shown: a third came meanwhile, so the new
	 * list is shown again and nothing is cancelled. */
	fx_assert_gerr(fx_op(fx_admin, "close", json_pack("{s:s,s:s,s:s,s:b,"
	    "s:[s,s]}", "establishment", "TST", "date", "2026-11-29",
	    "reason", "Degat des eaux", "confirm", 1, "ids", a, b), &res),
	    GERR_NEEDS_CONFIRMATION, "(R13)");
	ck_assert_uint_eq(json_array_size(json_object_get(res, "to_cancel")),
	    3);
	json_decref(res);
	ck_assert_int_eq(fx_status(a), STATUS_CONFIRMED);
	/* Only a library closes: its hours are the ones R4 reads. */
	fx_assert_gerr(fx_op(fx_admin, "close", json_pack("{s:s,s:s,s:s,s:b}",
	    "establishment", "UJJ", "date", "2026-11-29", "reason", "x",
	    "confirm", 1), NULL), GERR_BAD_REQUEST, "(R4, R13)");
	/* A closure needs a reason. */
	fx_assert_gerr(fx_op(fx_admin, "close", json_pack("{s:s,s:s,s:s,s:b}",
	    "establishment", "TST", "date", "2026-11-29", "reason", " ",
	    "confirm", 1), NULL), GERR_REASON_REQUIRED, "(R11");
	fx_assert_ok(fx_op(fx_admin, "close", json_pack("{s:s,s:s,s:s,s:b}",
	    "establishment", "TST", "date", "2026-11-29", "reason",
	    "Degat des eaux", "confirm", 1), &res));
	ck_assert_uint_eq(json_array_size(json_object_get(res, "cancelled")),
	    3);
	json_decref(res);
	ck_assert_int_eq(booking_find(fx_store, a, &bk), GERR_OK);
	ck_assert_int_eq(bk.status, STATUS_CANCELLED);
	ck_assert_ptr_nonnull(strstr(bk.cancel_reason, "Degat des eaux"));
	ck_assert_int_eq(fx_status(b), STATUS_CANCELLED);
	ck_assert_int_eq(fx_status(c), STATUS_CONFIRMED);
	fx_assert_gerr(book("T-G1", "2026-11-29T10:00", "2026-11-29T11:00",
	    FX_EMAIL), GERR_CLOSED, "(R4)");
}
END_TEST

/*
 * The charter, second pass (issue 8): the desk's day made safe.
 */

/* R6: a walk-in is present from its creation and never freed; a booking
 * made after its start is late only G minutes after it was made. */
START_TEST(test_r6_a_walk_in_is_present_at_once_and_never_freed)
{
	char	 walk[UUID_LEN], phone[UUID_LEN];
	json_t	*res = NULL;

	fx_clock("2026-11-26", "10:20");
	/* "Free now" at 10:20 books from the 10:00 slot. */
	fx_assert_ok(fx_op(fx_desk, "book", json_pack("{s:s,s:s,s:s,s:s,s:s}",
	    "resource", "T-G1", "start", "2026-11-26T10:00", "end",
	    "2026-11-26T11:00", "email", FX_EMAIL, "origin", "walk-in"),
	    &res));
	ck_assert_str_eq(json_string_value(json_object_get(res, "status")),
	    "present");
	snprintf(walk, sizeof walk, "%s", json_string_value(json_object_get(res,
	    "id")));
	json_decref(res);
	fx_assert_ok(fx_op(fx_desk, "book", json_pack("{s:s,s:s,s:s,s:s,s:s}",
	    "resource", "T-G2", "start", "2026-11-26T10:00", "end",
	    "2026-11-26T11:00", "email", FX_EMAIL2, "origin", "phone"),
	    &res));
	snprintf(phone, sizeof phone, "%s", json_string_value(
	    json_object_get(res, "id")));
	json_decref(res);
	fx_clock("2026-11-26", "10:21");
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
	ck_assert_int_eq(fx_status(walk), STATUS_PRESENT);
	ck_assert_int_eq(fx_status(phone), STATUS_CONFIRMED);
	fx_assert_gerr(free_late(fx_desk, phone), GERR_NOT_LATE, "(R6)");
	fx_assert_gerr(free_late(fx_desk, walk), GERR_BAD_STATE, NULL);
	/* Made at 10:20: late from 10:35, not from 10:15. */
	fx_clock("2026-11-26", "10:35");
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
	ck_assert_int_eq(fx_status(phone), STATUS_CONFIRMED);
	fx_clock("2026-11-26", "10:36");
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
	ck_assert_int_eq(fx_status(phone), STATUS_NO_SHOW);
	ck_assert_int_eq(fx_status(walk), STATUS_PRESENT);
	/* No e-mail about being late went to the patron at the counter. */
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "recipient = '" FX_EMAIL "' AND subject LIKE 'R%lib%r%e :%'"), 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "recipient = '" FX_EMAIL2 "' AND subject LIKE 'R%lib%r%e :%'"), 1);
}
END_TEST

/* R6 frees exclusive public resources only: never session places, never
 * internal rooms. */
START_TEST(test_r6_frees_exclusive_public_resources_only)
{
	char	 place[UUID_LEN], room[UUID_LEN], form[UUID_LEN];
	json_t	*res = NULL;

	fx_assert_ok(fx_book(fx_desk, "T-WS", DAY "T14:00", DAY "T15:30",
	    FX_EMAIL, place));
	fx_assert_ok(fx_book(fx_admin, "T-FORM", DAY "T14:00", DAY "T15:00",
	    FX_EMAIL, form));
	fx_assert_ok(fx_book(fx_desk, "T-G1", DAY "T14:00", DAY "T15:00",
	    FX_EMAIL2, room));
	fx_clock(DAY, "14:40");
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), &res));
	ck_assert_int_ge(json_integer_value(json_object_get(res, "freed")), 1);
	json_decref(res);
	ck_assert_int_eq(fx_status(place), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(form), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(room), STATUS_NO_SHOW);
	fx_assert_ok(fx_op(fx_admin, "free_late", json_object(), &res));
	ck_assert_uint_eq(json_array_size(json_object_get(res, "freed")), 0);
	json_decref(res);
	fx_assert_gerr(free_late(fx_admin, place), GERR_BAD_STATE, "(R6)");
	fx_assert_gerr(free_late(fx_admin, form), GERR_BAD_STATE, "(R6)");
	ck_assert_int_eq(fx_status(place), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(form), STATUS_CONFIRMED);
}
END_TEST

/* R5: confirming one booking confirms the address. */
START_TEST(test_r5_confirming_one_booking_confirms_the_address)
{
	char	a[UUID_LEN], b[UUID_LEN], other[UUID_LEN];

	fx_assert_ok(web_book("T-G1", DAY "T10:00", DAY "T11:00", FX_EMAIL,
	    a));
	fx_clock("2026-11-26", "11:00");
	fx_assert_ok(web_book("T-G2", DAY "T12:00", DAY "T12:30", FX_EMAIL,
	    b));
	fx_assert_ok(web_book("T-G2", DAY "T13:00", DAY "T13:30", FX_EMAIL2,
	    other));
	fx_assert_ok(fx_op(fx_patron, "confirm", with_key(fx_patron, a), NULL));
	ck_assert_int_eq(fx_status(a), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(b), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(other), STATUS_PENDING);
	/* The second does not expire 2 h after it was made. */
	fx_clock("2026-11-26", "13:30");
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
	ck_assert_int_eq(fx_status(b), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(other), STATUS_EXPIRED);
}
END_TEST

/* R5: validating a pending booking at the desk confirms the address. */
START_TEST(test_r5_validating_at_the_desk_confirms_the_address)
{
	char	a[UUID_LEN], b[UUID_LEN];

	fx_assert_ok(web_book("T-G1", "2026-11-26T10:30", "2026-11-26T11:30",
	    FX_EMAIL, a));
	fx_assert_ok(web_book("T-G2", DAY "T12:00", DAY "T12:30", FX_EMAIL, b));
	fx_clock("2026-11-26", "10:35");
	fx_assert_ok(checkin(fx_desk, a, NULL));
	ck_assert_int_eq(fx_status(b), STATUS_CONFIRMED);
}
END_TEST

/* R6: the establishment's code, whatever its case and spaces. */
START_TEST(test_r6_the_code_is_taken_whatever_its_case_and_spaces)
{
	static const char *const ok[] = { "tst-0001", " TST-0001",
	    "TST-0001 ", "Tst - 0001", "  tst-0001" };
	char	 id[UUID_LEN];
	size_t	 i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		clock_set(FX_NOW);
		fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-26T10:30",
		    "2026-11-26T11:00", FX_EMAIL, id));
		fx_clock("2026-11-26", "10:25");
		fx_assert_ok(checkin(fx_patron, id, ok[i]));
		ck_assert_int_eq(fx_status(id), STATUS_PRESENT);
		fx_sql("DELETE FROM booking");
	}
	clock_set(FX_NOW);
	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-26T10:30",
	    "2026-11-26T11:00", FX_EMAIL, id));
	fx_clock("2026-11-26", "10:25");
	fx_assert_gerr(checkin(fx_patron, id, "TST-0002"), GERR_BAD_CODE,
	    "(R6)");
	fx_assert_gerr(checkin(fx_patron, id, "TST-00"), GERR_BAD_CODE,
	    "(R6)");
	fx_assert_gerr(checkin(fx_patron, id, "   "), GERR_BAD_CODE, "(R6)");
}
END_TEST

/* R8: an internal room's contact gets a confirmation, without the
 * patrons' links or the 15-minute warning, and cannot cancel by link. */
START_TEST(test_r8_an_internal_contact_gets_no_patron_links)
{
	char	 id[UUID_LEN], key[MAIL_KEY_LEN];

	fx_assert_ok(fx_book(fx_admin, "T-FORM", DAY "T10:00", DAY "T11:00",
	    "trainer@gmail.com", id));
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "recipient = 'trainer@gmail.com'"), 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "recipient = 'trainer@gmail.com' AND (body LIKE '%{{base}}%' OR "
	    "body LIKE '%key=%' OR body LIKE '%retard%')"), 0);
	ck_assert_int_eq(mail_key(fx_store, id, key), GERR_OK);
	fx_assert_gerr(fx_op(fx_patron, "cancel", json_pack("{s:s,s:s}", "id",
	    id, "key", key), NULL), GERR_RESOURCE_INTERNAL, "(R8)");
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
	/* A public room's patron still gets the links and the warning. */
	fx_assert_ok(fx_book(fx_admin, "T-G1", DAY "T10:00", DAY "T11:00",
	    FX_EMAIL, NULL));
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "recipient = '" FX_EMAIL "' AND body LIKE '%{{base}}%' AND "
	    "body LIKE '%retard%'"), 1);
}
END_TEST

/* R13: a capacity lowered below the places booked in a future session is
 * refused with the list; lowered above, the sessions follow it (R7). */
START_TEST(test_r13_a_capacity_below_the_places_booked_is_refused)
{
	json_t	*res = NULL, *list;

	fx_assert_ok(web_book("T-WS", DAY "T14:00", DAY "T15:30",
	    "a@univ-tlse2.fr", NULL));
	fx_assert_ok(web_book("T-WS", DAY "T14:00", DAY "T15:30",
	    "b@univ-tlse2.fr", NULL));
	fx_assert_gerr(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:i}",
	    "resource", "T-WS", "capacity", 1), &res),
	    GERR_CAPACITY_BELOW_BOOKED, "(R13)");
	list = json_object_get(res, "sessions");
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
	    list, 0), "booked")), 2);
	ck_assert_ptr_nonnull(json_object_get(json_array_get(list, 0),
	    "start"));
	json_decref(res);
	ck_assert_int_eq(fx_sql_int("SELECT capacity FROM resource WHERE "
	    "code = 'T-WS'"), 3);
	fx_assert_ok(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:i}",
	    "resource", "T-WS", "capacity", 2), NULL));
	fx_assert_gerr(web_book("T-WS", DAY "T14:00", DAY "T15:30",
	    "c@univ-tlse2.fr", NULL), GERR_CAPACITY_FULL, "(R7)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2/2"));
}
END_TEST

/* The ids of a list of bookings, in a JSON array. */
static json_t *
ids_of(json_t *list)
{
	json_t	*ids = json_array(), *b;
	size_t	 i;

	json_array_foreach(list, i, b)
		json_array_append(ids, json_object_get(b, "id"));
	return (ids);
}

/* R13: shorter hours for a date list the live bookings left outside, and
 * cancel them only when confirmed for that list; an unconfirmed run says
 * nothing is cancelled. */
START_TEST(test_r13_shorter_hours_on_a_date_cancel_the_list_confirmed)
{
	char	 early[UUID_LEN], inside[UUID_LEN], late[UUID_LEN];
	json_t	*res = NULL, *p;

	fx_assert_ok(book_id("T-G1", "2026-11-29T08:00", "2026-11-29T09:00",
	    FX_EMAIL, early));
	fx_assert_ok(book_id("T-G2", "2026-11-29T12:00", "2026-11-29T13:00",
	    FX_EMAIL, inside));
	fx_assert_ok(book_id("T-C1", "2026-11-29T17:00", "2026-11-29T19:00",
	    FX_EMAIL2, late));
	p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "establishment", "TST", "date",
	    "2026-11-29", "open", "10:00", "close", "18:00", "reason",
	    "Inventaire");
	fx_assert_gerr(fx_op(fx_admin, "hours_date", json_deep_copy(p), &res),
	    GERR_NEEDS_CONFIRMATION, "(R13)");
	ck_assert_ptr_null(json_object_get(res, "cancelled"));
	ck_assert_uint_eq(json_array_size(json_object_get(res, "to_cancel")),
	    2);
	/* Nothing changed: not the hours, not the bookings. */
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM hours_date h JOIN "
	    "establishment e ON e.id = h.establishment_id WHERE e.code = "
	    "'TST'"), 0);
	ck_assert_int_eq(fx_status(early), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(late), STATUS_CONFIRMED);
	json_object_set_new(p, "confirm", json_true());
	json_object_set_new(p, "ids", ids_of(json_object_get(res, "to_cancel")));
	json_decref(res);
	fx_assert_ok(fx_op(fx_admin, "hours_date", p, &res));
	ck_assert_uint_eq(json_array_size(json_object_get(res, "cancelled")),
	    2);
	json_decref(res);
	ck_assert_int_eq(fx_status(early), STATUS_CANCELLED);
	ck_assert_int_eq(fx_status(late), STATUS_CANCELLED);
	ck_assert_int_eq(fx_status(inside), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM booking WHERE "
	    "status = 'cancelled' AND cancel_reason LIKE '%Inventaire%'"), 2);
	/* Each patron is told, with the reason. */
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE body LIKE "
	    "'%Inventaire%'"), 2);
	/* Longer hours strand nothing. */
	fx_assert_ok(fx_op(fx_admin, "hours_date", json_pack("{s:s,s:s,s:s,"
	    "s:s}", "establishment", "TST", "date", "2026-11-29", "open",
	    "07:00", "close", "22:00"), NULL));
}
END_TEST

/* R13: a weekday's shorter hours strand the bookings of every such day,
 * not those of days with their own hours; closing the weekday too. */
START_TEST(test_r13_shorter_weekday_hours_strand_every_such_day)
{
	char	 fri[UUID_LEN], fri2[UUID_LEN], own[UUID_LEN], sat[UUID_LEN];
	json_t	*res = NULL, *p;

	/* 2026-11-27 and 2026-12-04 are Fridays (weekday 5). */
	fx_assert_ok(book_id("T-G1", DAY "T19:00", DAY "T20:00", FX_EMAIL,
	    fri));
	fx_assert_ok(book_id("T-G1", "2026-12-04T07:00", "2026-12-04T08:00",
	    FX_EMAIL, fri2));
	fx_assert_ok(book_id("T-G1", "2026-12-11T19:00", "2026-12-11T20:00",
	    FX_EMAIL2, own));
	fx_assert_ok(book_id("T-G1", "2026-11-28T19:00", "2026-11-28T20:00",
	    FX_EMAIL2, sat));
	fx_assert_ok(fx_op(fx_admin, "hours_date", json_pack("{s:s,s:s,s:s,"
	    "s:s}", "establishment", "TST", "date", "2026-12-11", "open",
	    "00:00", "close", "24:00"), NULL));
	p = json_pack("{s:s,s:i,s:s,s:s,s:s}", "establishment", "TST",
	    "weekday", 5, "open", "09:00", "close", "18:00", "reason",
	    "Horaires d'hiver");
	fx_assert_gerr(fx_op(fx_admin, "hours_week", json_deep_copy(p), &res),
	    GERR_NEEDS_CONFIRMATION, "(R13)");
	ck_assert_uint_eq(json_array_size(json_object_get(res, "to_cancel")),
	    2);
	ck_assert_int_eq(fx_status(fri), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_sql_int("SELECT close_min FROM hours_weekly h JOIN "
	    "establishment e ON e.id = h.establishment_id WHERE e.code = "
	    "'TST' AND weekday = 5"), 1440);
	/* Confirmed for another list: shown again, nothing cancelled. */
	json_object_set_new(p, "confirm", json_true());
	json_object_set_new(p, "ids", json_pack("[s]", fri));
	json_decref(res);
	fx_assert_gerr(fx_op(fx_admin, "hours_week", json_deep_copy(p), &res),
	    GERR_NEEDS_CONFIRMATION, "(R13)");
	ck_assert_int_eq(fx_status(fri), STATUS_CONFIRMED);
	json_object_set_new(p, "ids", ids_of(json_object_get(res, "to_cancel")));
	json_decref(res);
	fx_assert_ok(fx_op(fx_admin, "hours_week", p, &res));
	ck_assert_uint_eq(json_array_size(json_object_get(res, "cancelled")),
	    2);
	json_decref(res);
	ck_assert_int_eq(fx_status(fri), STATUS_CANCELLED);
	ck_assert_int_eq(fx_status(fri2), STATUS_CANCELLED);
	ck_assert_int_eq(fx_status(own), STATUS_CONFIRMED);
	ck_assert_int_eq(fx_status(sat), STATUS_CONFIRMED);
	/* A weekday closed: the Saturday booking is listed. */
	fx_assert_gerr(fx_op(fx_admin, "hours_week", json_pack("{s:s,s:i,s:b}",
	    "establishment", "TST", "weekday", 6, "closed", 1), &res),
	    GERR_NEEDS_CONFIRMATION, "(R13)");
	ck_assert_uint_eq(json_array_size(json_object_get(res, "to_cancel")),
	    1);
	json_decref(res);
	/* Cancelling needs the change's reason (R11). */
	fx_assert_gerr(fx_op(fx_admin, "hours_week", json_pack("{s:s,s:i,s:b,"
	    "s:b,s:[s]}", "establishment", "TST", "weekday", 6, "closed", 1,
	    "confirm", 1, "ids", sat), NULL), GERR_REASON_REQUIRED, "(R11");
	ck_assert_int_eq(fx_status(sat), STATUS_CONFIRMED);
}
END_TEST

/* R5, R6: a desk with a backend leaves the sweep to it. */
START_TEST(test_r5_r6_a_replica_leaves_the_sweep_to_its_backend)
{
	int64_t	before = fx_sql_int("SELECT count(*) FROM change_log");

	fx_store->desk = 1;
	fx_assert_gerr(fx_op(fx_system, "sweep", json_object(), NULL),
	    GERR_BAD_REQUEST, "(R5, R6)");
	fx_store->desk = 0;
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM change_log"), before);
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
}
END_TEST

/*
 * The demo obeys every rule (issue 8, item 12): each live booking is one
 * the rules would accept now (R1-R9, itself not counted: R14), no patron
 * is in two places at once, quotas hold over past days too, walk-ins are
 * present (R6), unconfirmed bookings are a newcomer's and younger than R5's
 * delay, sessions and internal rooms have no no-show (R6), there is a
 * head-count history, and the README's booking works.
 */
static void
demo_obeys(struct store *s, int64_t now)
{
	sqlite3_stmt		*st;
	struct booking		 b;
	struct resource		 r;
	struct booking_req	 q;
	struct gerror		 err;
	struct account		*desk;
	int32_t			 day;
	int			 y, m, d, n = 0, wd;
	int64_t			 ms, me;
	enum gerr		 e;
	json_t			*p;
	char			 date[TZ_DATE_LEN], sql[512];

	st = store_stmt(s, "SELECT " BOOKING_COLUMNS " FROM booking b WHERE "
	    "b.status IN ('pending_confirmation', 'confirmed', 'present')");
	while (sqlite3_step(st) == SQLITE_ROW) {
		booking_from_row(st, 0, &b);
		ck_assert_int_eq(resource_find(s, b.resource, &r), GERR_OK);
		n++;
		if (!rtype_capacity(r.type)) {
			day = tz_local_day(r.tz, b.start);
			ck_assert_int_eq(rules_check_hours(s, &r, b.start,
			    b.end, &err), GERR_OK);
			ck_assert_msg(r.day_quota == 0 || rules_patron_minutes(s,
			    &r, b.email, tz_day_start(r.tz, day),
			    tz_day_start(r.tz, day + 1), NULL) <= r.day_quota,
			    "%s over the day quota on %s", b.email, b.resource);
			tz_civil_from_days(day, &y, &m, &d);
			ms = tz_day_start(r.tz, tz_days_from_civil(y, m, 1));
			me = tz_day_start(r.tz, m == 12 ? tz_days_from_civil(y +
			    1, 1, 1) : tz_days_from_civil(y, m + 1, 1));
			ck_assert_msg(r.month_quota == 0 ||
			    rules_patron_minutes(s, &r, b.email, ms, me, NULL) <=
			    r.month_quota, "%s over the month quota on %s",
			    b.email, b.resource);
		}
		if (b.end <= now)
			continue;
		memset(&q, 0, sizeof q);
		q.resource = &r;
		q.start = b.start;
		q.end = b.end;
		q.email = b.email;
		q.places = b.places;
		q.origin = b.origin;
		q.exclude_id = b.id;
		e = rules_check_booking(s, &q, now, &err);
		ck_assert_msg(e == GERR_OK, "demo booking %s of %s: %s",
		    b.id, b.resource, err.msg);
	}
	sqlite3_reset(st);
	ck_assert_int_gt(n, 100);
	/* Nobody in two places at once. */
	st = store_stmt(s, "SELECT count(*) FROM booking a JOIN booking b ON "
	    "a.email = b.email AND a.id < b.id AND a.start < b.end AND "
	    "b.start < a.end WHERE a.status IN ('pending_confirmation', "
	    "'confirmed', 'present') AND b.status IN ('pending_confirmation', "
	    "'confirmed', 'present') AND a.email <> ''");
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 0);
	sqlite3_reset(st);
	snprintf(sql, sizeof sql, "SELECT "
	    "(SELECT count(*) FROM booking WHERE origin = 'walk-in' AND status "
	    "IN ('pending_confirmation', 'confirmed')) + "
	    "(SELECT count(*) FROM booking b JOIN patron p ON p.email = b.email "
	    "WHERE b.status = 'pending_confirmation' AND (p.confirmed = 1 OR "
	    "b.origin NOT IN ('web', 'app') OR b.created_at <= %lld)) + "
	    "(SELECT count(*) FROM booking b JOIN resource r ON r.id = "
	    "b.resource_id WHERE b.status = 'no_show' AND (r.public = 0 OR "
	    "r.type NOT IN ('group_room', 'carrel', 'seat', 'equipment')))",
	    (long long)(now - 2 * 3600));
	st = store_stmt(s, sql);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_msg(sqlite3_column_int(st, 0) == 0, "walk-ins not present, "
	    "unconfirmed bookings of confirmed patrons or older than R5's "
	    "delay, no-shows of sessions or internal rooms: %d",
	    sqlite3_column_int(st, 0));
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT count(*) FROM occupancy_log o JOIN "
	    "establishment e ON e.id = o.establishment_id WHERE e.code = 'BUC'");
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_ge(sqlite3_column_int(st, 0), 24);
	sqlite3_reset(st);
	/* The README: BUC-G3 next Monday 18:00-19:00 for nora.petit. */
	day = tz_local_day(FX_ZONE, now);
	wd = tz_weekday(day);
	tz_format_date(day + 8 - wd, date);
	ck_assert_int_eq(account_load(s, "desk.mirail", &desk), GERR_OK);
	snprintf(sql, sizeof sql, "%sT18:00", date);
	p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "resource", "BUC-G3", "start",
	    sql, "end", "", "email", "nora.petit@etu.univ-tlse2.fr", "origin",
	    "phone");
	snprintf(sql, sizeof sql, "%sT19:00", date);
	json_object_set_new(p, "end", json_string(sql));
	e = op_apply(s, desk, NULL, "book", p, NULL, &err);
	ck_assert_msg(e == GERR_OK, "the README's booking on %s: %s", date,
	    err.msg);
	json_decref(p);
	account_free(desk);
}

START_TEST(test_the_demo_data_obeys_the_rules)
{
	demo_obeys(fx_store, FX_NOW);
}
END_TEST

/* The same on a Sunday night and a Saturday noon. */
START_TEST(test_the_demo_data_obeys_the_rules_on_any_day)
{
	static const char *const when[] = { "2026-11-29T23:50:00+01:00",
	    "2027-03-27T12:00:00+01:00" };
	struct store	*s;
	struct gerror	 err;
	char		 path[256];
	int64_t		 now;

	ck_assert_int_eq(clock_parse_iso(when[_i], FX_ZONE, &now), 0);
	clock_set(now);
	snprintf(path, sizeof path, "%s.%d", fx_db_path(), _i);
	ck_assert_int_eq(store_open(path, STORE_CREATE, &s, &err), GERR_OK);
	ck_assert_int_eq(demo_load(s, &err), GERR_OK);
	demo_obeys(s, now);
	store_close(s);
	unlink(path);
}
END_TEST

Suite *
suite_rules(void)
{
	Suite	*s = suite_create("rules");
	TCase	*tc;

	tc = tcase_create("r1-r4");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc,
	    test_r1_books_up_to_the_windows_last_day_and_no_further);
	tcase_add_test(tc, test_r1_refuses_the_past_but_takes_a_slot_begun);
	tcase_add_test(tc, test_r2_refuses_a_malformed_address_on_any_resource);
	tcase_add_test(tc, test_r2_takes_only_the_allowed_domains_exactly);
	tcase_add_test(tc,
	    test_r2_an_internal_room_takes_any_contact_a_public_one_not);
	tcase_add_test(tc, test_r3_refuses_times_off_the_resources_grid);
	tcase_add_test(tc, test_r3_refuses_a_booking_too_long_or_too_short);
	tcase_add_test(tc,
	    test_r3_the_day_quota_counts_per_patron_day_and_type);
	tcase_add_test(tc,
	    test_a_refused_booking_is_offered_the_longest_that_fits);
	tcase_add_test(tc,
	    test_r3_a_booking_across_midnight_counts_on_each_day);
	tcase_add_test(tc,
	    test_r3_the_month_quota_counts_per_patron_month_and_type);
	tcase_add_test(tc,
	    test_r3_a_booking_across_a_months_end_counts_in_each);
	tcase_add_test(tc, test_r3_only_live_and_present_bookings_count);
	tcase_add_test(tc, test_r14_a_change_is_checked_as_new_without_itself);
	tcase_add_test(tc, test_r14_shortening_never_breaks_a_quota);
	tcase_add_test(tc, test_r4_refuses_a_booking_outside_the_weekly_hours);
	tcase_add_test(tc,
	    test_r4_refuses_a_closed_weekday_even_across_midnight);
	tcase_add_test(tc,
	    test_r4_a_closed_date_or_its_own_hours_override_the_week);
	suite_add_tcase(s, tc);

	tc = tcase_create("r5-r7");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_r5_a_first_web_booking_waits_for_its_own_link);
	tcase_add_test(tc,
	    test_r5_an_unconfirmed_booking_expires_and_frees_its_slot);
	tcase_add_test(tc, test_r6_frees_a_booking_only_once_late);
	tcase_add_test(tc, test_r6_free_late_frees_only_the_late_bookings);
	tcase_add_test(tc,
	    test_r6_a_patron_validates_with_the_code_in_the_window);
	tcase_add_test(tc,
	    test_r6_the_qr_page_judges_the_code_then_tells_nothing_more);
	tcase_add_test(tc, test_r6_too_late_for_the_patron_not_for_the_desk);
	tcase_add_test(tc,
	    test_r6_a_pending_booking_is_validated_at_the_desk_only);
	tcase_add_test(tc, test_r7_a_slot_holds_one_live_booking);
	tcase_add_test(tc, test_r7_a_session_holds_its_places_one_a_patron);
	tcase_add_test(tc,
	    test_r7_two_processes_booking_one_slot_make_one_booking);
	suite_add_tcase(s, tc);

	tc = tcase_create("r8-r13");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc,
	    test_r8_internal_resources_are_for_their_planners_only);
	tcase_add_test(tc,
	    test_r9_a_disabled_resource_takes_no_booking_keeps_its_own);
	tcase_add_test(tc, test_r10_a_message_lasts_a_week_at_most);
	tcase_add_test(tc, test_r11_staff_cancel_with_a_reason_patrons_without);
	tcase_add_test(tc,
	    test_r12_only_the_super_administrator_changes_settings);
	tcase_add_test(tc, test_r12_settings_within_their_limits);
	tcase_add_test(tc, test_live_and_slot_states_agree);
	tcase_add_test(tc, test_r13_a_closure_cancels_only_the_list_confirmed);
	suite_add_tcase(s, tc);

	tc = tcase_create("charter");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc,
	    test_r6_a_walk_in_is_present_at_once_and_never_freed);
	tcase_add_test(tc, test_r6_frees_exclusive_public_resources_only);
	tcase_add_test(tc, test_r5_confirming_one_booking_confirms_the_address);
	tcase_add_test(tc, test_r5_validating_at_the_desk_confirms_the_address);
	tcase_add_test(tc,
	    test_r6_the_code_is_taken_whatever_its_case_and_spaces);
	tcase_add_test(tc, test_r8_an_internal_contact_gets_no_patron_links);
	tcase_add_test(tc,
	    test_r13_a_capacity_below_the_places_booked_is_refused);
	tcase_add_test(tc,
	    test_r13_shorter_hours_on_a_date_cancel_the_list_confirmed);
	tcase_add_test(tc,
	    test_r13_shorter_weekday_hours_strand_every_such_day);
	tcase_add_test(tc,
	    test_r5_r6_a_replica_leaves_the_sweep_to_its_backend);
	tcase_add_test(tc, test_the_demo_data_obeys_the_rules);
	tcase_add_loop_test(tc,
	    test_the_demo_data_obeys_the_rules_on_any_day, 0, 2);
	suite_add_tcase(s, tc);
	return (s);
}
