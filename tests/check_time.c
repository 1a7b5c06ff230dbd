/*
 * Time: calendar arithmetic, ISO 8601 instants, and local days across the
 * daylight-saving changes of Europe/Paris (2026-03-29 and 2026-10-25),
 * down to a booking that spans the change.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fixture.h"
#include "stats.h"
#include "query.h"
#include "tz.h"

static int32_t
day_of(const char *date)
{
	int32_t	day;

	ck_assert_int_eq(tz_parse_date(date, &day), 0);
	return (day);
}

/* Slots of 30 min from one local midnight to the next. */
static int64_t
slots(const char *date)
{
	int32_t	day = day_of(date);

	return ((tz_day_start(FX_ZONE, day + 1) - tz_day_start(FX_ZONE,
	    day)) / 1800);
}

START_TEST(test_day_numbers_round_trip_civil_dates)
{
	int	y, m, d;

	ck_assert_int_eq(tz_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(tz_days_from_civil(2026, 11, 26), 20783);
	tz_civil_from_days(20783, &y, &m, &d);
	ck_assert_int_eq(y, 2026);
	ck_assert_int_eq(m, 11);
	ck_assert_int_eq(d, 26);
	ck_assert_int_eq(tz_weekday(20783), 4);	/* Thursday */
	ck_assert_int_eq(tz_weekday(day_of("2026-11-29")), 7);
	ck_assert_int_eq(tz_month_days(2028, 2), 29);
	ck_assert_int_eq(tz_month_days(2100, 2), 28);
	ck_assert_int_eq(tz_month_days(2000, 2), 29);
}
END_TEST

/* ISO weeks for the statistics: the week's year is its Thursday's. */
START_TEST(test_iso_weeks_belong_to_their_thursday)
{
	static const struct {
		int		 y, m, d;
		const char	*week;
	} cases[] = {
		{ 2026, 1, 1, "2026-W01" },	/* a Thursday */
		{ 2025, 12, 29, "2026-W01" },	/* its Monday */
		{ 2026, 11, 26, "2026-W48" },
		{ 2026, 12, 31, "2026-W53" },
		{ 2027, 1, 3, "2026-W53" },	/* a Sunday */
		{ 2027, 1, 4, "2027-W01" },
	};
	char	buf[16];
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		stats_iso_week(tz_days_from_civil(cases[i].y, cases[i].m,
		    cases[i].d), buf);
		ck_assert_str_eq(buf, cases[i].week);
	}
}
END_TEST

START_TEST(test_dates_and_times_parse_strictly)
{
	int32_t	day;
	int	min;

	ck_assert_int_eq(tz_parse_date("2026-02-29", &day), -1);
	ck_assert_int_eq(tz_parse_date("2026-13-01", &day), -1);
	ck_assert_int_eq(tz_parse_date("2026-1-01", &day), -1);
	ck_assert_int_eq(tz_parse_date("2028-02-29", &day), 0);
	ck_assert_int_eq(tz_parse_hhmm("24:00", &min), 0);
	ck_assert_int_eq(min, 1440);
	ck_assert_int_eq(tz_parse_hhmm("24:01", &min), -1);
	ck_assert_int_eq(tz_parse_hhmm("10:60", &min), -1);
	ck_assert_int_eq(tz_parse_hhmm("9:00", &min), -1);
}
END_TEST

START_TEST(test_iso_instants_parse_and_print)
{
	int64_t	t;
	char	buf[CLOCK_ISO_LEN];

	ck_assert_int_eq(clock_parse_iso("2026-11-26T09:16:00Z", FX_ZONE,
	    &t), 0);
	ck_assert_int_eq(t, FX_NOW);
	ck_assert_int_eq(clock_parse_iso("2026-11-26T10:16:00+01:00",
	    FX_ZONE, &t), 0);
	ck_assert_int_eq(t, FX_NOW);
	ck_assert_int_eq(clock_parse_iso("2026-11-26T10:16", FX_ZONE, &t), 0);
	ck_assert_int_eq(t, FX_NOW);
	ck_assert_int_eq(clock_parse_iso("2026-11-26T04:16-05:00", FX_ZONE,
	    &t), 0);
	ck_assert_int_eq(t, FX_NOW);
	ck_assert_int_eq(clock_parse_iso("2026-11-26T24:00Z", FX_ZONE, &t),
	    -1);
	ck_assert_int_eq(clock_parse_iso("2026-11-26", FX_ZONE, &t), -1);
	ck_assert_int_eq(clock_parse_iso("2026-11-26T10:16+1", FX_ZONE, &t),
	    -1);
	ck_assert_int_eq(clock_parse_iso("tomorrow at ten", FX_ZONE, &t), -1);
	clock_format_iso(FX_NOW, FX_ZONE, buf);
	ck_assert_str_eq(buf, "2026-11-26T10:16:00+01:00");
	clock_format_iso(fx_local("2026-07-01", "12:00"), FX_ZONE, buf);
	ck_assert_str_eq(buf, "2026-07-01T12:00:00+02:00");
	/* Written digit by digit: seconds, offsets behind UTC and in half
	 * hours, an early year, each field padded. */
	clock_format_iso(FX_NOW + 7, "America/New_York", buf);
	ck_assert_str_eq(buf, "2026-11-26T04:16:07-05:00");
	clock_format_iso(FX_NOW + 59, "Asia/Kolkata", buf);
	ck_assert_str_eq(buf, "2026-11-26T14:46:59+05:30");
	clock_format_iso(946782245, "UTC", buf);
	ck_assert_str_eq(buf, "2000-01-02T03:04:05+00:00");
	ck_assert_int_eq(clock_parse_iso(buf, FX_ZONE, &t), 0);
	ck_assert_int_eq(t, 946782245);
}
END_TEST

START_TEST(test_dst_days_have_46_or_50_half_hours)
{
	ck_assert_int_eq(slots("2026-03-29"), 46);
	ck_assert_int_eq(slots("2026-10-25"), 50);
	ck_assert_int_eq(slots("2026-03-28"), 48);
	ck_assert_int_eq(slots("2026-10-26"), 48);
	ck_assert_int_eq(slots("2026-11-26"), 48);
}
END_TEST

START_TEST(test_dst_local_times_map_right)
{
	int32_t	spring = day_of("2026-03-29"), autumn = day_of("2026-10-25");
	int32_t	day;
	int	min, off;

	/* Spring: 02:00 CET jumps to 03:00 CEST at 01:00Z. */
	ck_assert_int_eq(tz_day_start(FX_ZONE, spring),
	    (int64_t)spring * 86400 - 3600);
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, spring, 60),
	    (int64_t)spring * 86400);
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, spring, 180),
	    (int64_t)spring * 86400 + 3600);
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, spring, 1440),
	    tz_day_start(FX_ZONE, spring + 1));
	tz_utc_to_local(FX_ZONE, (int64_t)spring * 86400 + 3600, &day, &min,
	    &off);
	ck_assert_int_eq(day, spring);
	ck_assert_int_eq(min, 180);
	ck_assert_int_eq(off, 7200);

	/* Autumn: 03:00 CEST goes back to 02:00 CET at 01:00Z. */
	ck_assert_int_eq(tz_day_start(FX_ZONE, autumn),
	    (int64_t)autumn * 86400 - 7200);
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, autumn, 180),
	    (int64_t)autumn * 86400 + 7200);
	ck_assert_int_eq(tz_day_start(FX_ZONE, autumn + 1),
	    (int64_t)(autumn + 1) * 86400 - 3600);
	tz_utc_to_local(FX_ZONE, (int64_t)autumn * 86400 + 3600, &day, &min,
	    &off);
	ck_assert_int_eq(min, 120);
	ck_assert_int_eq(off, 3600);
	ck_assert_int_eq(tz_local_day(FX_ZONE, (int64_t)autumn * 86400 -
	    7200), autumn);
	ck_assert_int_eq(tz_local_day(FX_ZONE, (int64_t)autumn * 86400 -
	    7201), autumn - 1);
}
END_TEST

/* The day grid of a test resource has the day's true length. */
START_TEST(test_dst_grid_has_the_days_true_length)
{
	struct grid	*g = NULL;
	size_t		 i;
	int		 seen = 0;

	ck_assert_int_eq(query_grid(fx_store, day_of("2026-10-25"), "TST",
	    &g), GERR_OK);
	for (i = 0; i < g->nrows; i++) {
		if (strcmp(g->rows[i].resource.code, "T-G1") != 0)
			continue;
		seen = 1;
		ck_assert_int_eq((g->rows[i].day_end - g->rows[i].day_start) /
		    1800, 50);
		ck_assert_int_eq(g->rows[i].hours.open_min, 0);
		ck_assert_int_eq(g->rows[i].hours.close_min, 1440);
	}
	query_grid_free(g);
	ck_assert(seen);
	ck_assert_int_eq(query_grid(fx_store, day_of("2026-03-29"), "TST",
	    &g), GERR_OK);
	ck_assert_uint_gt(g->nrows, 0);
	ck_assert_int_eq((g->rows[0].day_end - g->rows[0].day_start) / 1800,
	    46);
	query_grid_free(g);
}
END_TEST

static int64_t
duration(const char *id)
{
	struct booking	b;

	ck_assert_int_eq(booking_find(fx_store, id, &b), GERR_OK);
	return (b.end - b.start);
}

/* 01:00 to 03:00 local on 25 October is three hours, not two. */
START_TEST(test_dst_booking_autumn)
{
	char	 id[UUID_LEN];
	json_t	*res = NULL;

	fx_clock("2026-10-20", "12:00");
	fx_assert_ok(fx_book(fx_admin, "T-C1", "2026-10-25T01:00",
	    "2026-10-25T03:00", FX_EMAIL, id));
	ck_assert_int_eq(duration(id), 3 * 3600);
	/* On a 120 min room the same local times are too long. */
	fx_assert_gerr(fx_book(fx_admin, "T-G1", "2026-10-25T01:00",
	    "2026-10-25T03:00", FX_EMAIL, NULL), GERR_TOO_LONG, "(R3)");
	/* Two real hours on the grid, ending at the first 02:00. */
	fx_assert_ok(fx_book(fx_admin, "T-G1", "2026-10-25T00:00:00+02:00",
	    "2026-10-25T02:00:00+02:00", FX_EMAIL, id));
	ck_assert_int_eq(duration(id), 2 * 3600);
	/* The result shows each end with its own offset. */
	fx_assert_ok(fx_op(fx_admin, "book", json_pack("{s:s,s:s,s:s,s:s}",
	    "resource", "T-G2", "start", "2026-10-25T02:00:00+02:00", "end",
	    "2026-10-25T02:30:00+01:00", "email", FX_EMAIL2), &res));
	ck_assert_str_eq(json_string_value(json_object_get(res, "start")),
	    "2026-10-25T02:00:00+02:00");
	ck_assert_str_eq(json_string_value(json_object_get(res, "end")),
	    "2026-10-25T02:30:00+01:00");
	json_decref(res);
}
END_TEST

/* 01:00 to 03:00 local on 29 March is one hour. */
START_TEST(test_dst_booking_spring)
{
	char	id[UUID_LEN];

	fx_clock("2026-03-20", "12:00");
	fx_assert_ok(fx_book(fx_admin, "T-G1", "2026-03-29T01:00",
	    "2026-03-29T03:00", FX_EMAIL, id));
	ck_assert_int_eq(duration(id), 3600);
	/* The day quota counts real minutes: 60 booked, 60 more fit, 90
	 * do not (R3). */
	fx_assert_gerr(fx_book(fx_admin, "T-G2", "2026-03-29T10:00",
	    "2026-03-29T11:30", FX_EMAIL, NULL), GERR_QUOTA_DAY, "(R3)");
	fx_assert_ok(fx_book(fx_admin, "T-G2", "2026-03-29T10:00",
	    "2026-03-29T11:00", FX_EMAIL, NULL));
}
END_TEST

/* SPEC 3 "Times": an ambiguous local time (the repeated hour of October)
 * is the first of the two, whatever was asked before; one that does not
 * exist (the skipped hour of March) is refused with bad_time. */
START_TEST(test_dst_ambiguous_first)
{
	int32_t	autumn = day_of("2026-10-25");
	int64_t	first = (int64_t)autumn * 86400;	/* 02:00 CEST = 00:00Z */
	int64_t	t;

	/* Asked after a time of the second hour, and before: the same. */
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, autumn, 180), first + 7200);
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, autumn, 150), first + 1800);
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, autumn, 90), first - 1800);
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, autumn, 120), first);
	ck_assert_int_eq(tz_local_to_utc(FX_ZONE, autumn, 150), first + 1800);
	ck_assert_int_eq(clock_parse_iso("2026-10-25T02:30", FX_ZONE, &t), 0);
	ck_assert_int_eq(t, first + 1800);
	ck_assert_int_eq(clock_parse_iso("2026-10-25T03:00", FX_ZONE, &t), 0);
	ck_assert_int_eq(clock_parse_iso("2026-10-25T02:00", FX_ZONE, &t), 0);
	ck_assert_int_eq(t, first);
	/* With an offset, the second. */
	ck_assert_int_eq(clock_parse_iso("2026-10-25T02:30+01:00", FX_ZONE,
	    &t), 0);
	ck_assert_int_eq(t, first + 5400);
}
END_TEST

START_TEST(test_dst_skipped_hour_is_refused)
{
	int64_t	t;

	ck_assert_int_eq(clock_parse_iso("2027-03-28T02:00", FX_ZONE, &t), -2);
	ck_assert_int_eq(clock_parse_iso("2027-03-28T02:30", FX_ZONE, &t), -2);
	ck_assert_int_eq(clock_parse_iso("2027-03-28T01:59", FX_ZONE, &t), 0);
	ck_assert_int_eq(clock_parse_iso("2027-03-28T03:00", FX_ZONE, &t), 0);
	/* An offset says which instant: no question. */
	ck_assert_int_eq(clock_parse_iso("2027-03-28T02:30+01:00", FX_ZONE,
	    &t), 0);
	/* Through the door: refused with bad_time, nothing stored. */
	fx_clock("2027-03-20", "12:00");
	fx_assert_gerr(fx_book(fx_admin, "T-G1", "2027-03-28T02:00",
	    "2027-03-28T02:30", FX_EMAIL, NULL), GERR_BAD_TIME, "2027-03-28T02:00");
	fx_assert_gerr(fx_book(fx_admin, "T-G1", "2027-03-28T01:30",
	    "2027-03-28T02:30", FX_EMAIL, NULL), GERR_BAD_TIME, NULL);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM booking b JOIN "
	    "resource r ON r.id = b.resource_id WHERE r.code = 'T-G1'"), 0);
	fx_assert_ok(fx_book(fx_admin, "T-G1", "2027-03-28T01:30",
	    "2027-03-28T03:00", FX_EMAIL, NULL));
}
END_TEST

/* 01:30-02:30 and 02:00-03:00 on 25 October: both read in the first
 * 02:00 hour, so they overlap (R7) and have one offset. */
START_TEST(test_dst_same_offset)
{
	json_t	*res = NULL;

	fx_clock("2026-10-20", "12:00");
	fx_assert_ok(fx_op(fx_admin, "book", json_pack("{s:s,s:s,s:s,s:s}",
	    "resource", "T-G1", "start", "2026-10-25T01:30", "end",
	    "2026-10-25T02:30", "email", FX_EMAIL), &res));
	ck_assert_str_eq(json_string_value(json_object_get(res, "end")),
	    "2026-10-25T02:30:00+02:00");
	json_decref(res);
	fx_assert_gerr(fx_book(fx_admin, "T-G1", "2026-10-25T02:00",
	    "2026-10-25T03:00", FX_EMAIL2, NULL), GERR_SLOT_TAKEN, "(R7)");
	fx_assert_ok(fx_op(fx_admin, "book", json_pack("{s:s,s:s,s:s,s:s}",
	    "resource", "T-G2", "start", "2026-10-25T02:00", "end",
	    "2026-10-25T03:00", "email", FX_EMAIL2), &res));
	ck_assert_str_eq(json_string_value(json_object_get(res, "start")),
	    "2026-10-25T02:00:00+02:00");
	json_decref(res);
}
END_TEST

/* The slots of a day's grid are instants: 50 on 25 October from 00:00 to
 * 24:00 (02:00 twice), 46 on 28 March 2027, none in the skipped hour. */
START_TEST(test_dst_grid_slots)
{
	int64_t	*at = NULL;
	size_t	 n, i;
	int	 min, twice = 0;

	n = query_slots(FX_ZONE, day_of("2026-10-25"), 0, 1440, 30, &at);
	ck_assert_uint_eq(n, 50);
	for (i = 0; i < n; i++) {
		tz_utc_to_local(FX_ZONE, at[i], NULL, &min, NULL);
		twice += min == 120;
		ck_assert_int_eq(at[i + 1] - at[i], 1800);
	}
	ck_assert_int_eq(twice, 2);
	free(at);
	n = query_slots(FX_ZONE, day_of("2027-03-28"), 0, 1440, 30, &at);
	ck_assert_uint_eq(n, 46);
	for (i = 0; i < n; i++) {
		tz_utc_to_local(FX_ZONE, at[i], NULL, &min, NULL);
		ck_assert(min < 120 || min >= 180);
	}
	free(at);
	n = query_slots(FX_ZONE, day_of("2026-11-26"), 480, 1200, 30, &at);
	ck_assert_uint_eq(n, 24);
	free(at);
}
END_TEST

Suite *
suite_time(void)
{
	Suite	*s = suite_create("time");
	TCase	*tc;

	tc = tcase_create("calendar");
	tcase_add_test(tc, test_day_numbers_round_trip_civil_dates);
	tcase_add_test(tc, test_iso_weeks_belong_to_their_thursday);
	tcase_add_test(tc, test_dates_and_times_parse_strictly);
	tcase_add_test(tc, test_iso_instants_parse_and_print);
	tcase_add_test(tc, test_dst_days_have_46_or_50_half_hours);
	tcase_add_test(tc, test_dst_local_times_map_right);
	suite_add_tcase(s, tc);

	tc = tcase_create("dst");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_dst_grid_has_the_days_true_length);
	tcase_add_test(tc, test_dst_booking_autumn);
	tcase_add_test(tc, test_dst_booking_spring);
	tcase_add_test(tc, test_dst_ambiguous_first);
	tcase_add_test(tc, test_dst_skipped_hour_is_refused);
	tcase_add_test(tc, test_dst_same_offset);
	tcase_add_test(tc, test_dst_grid_slots);
	suite_add_tcase(s, tc);
	return (s);
}
