/*
 * jsontext_dump writes what json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)
 * writes, byte for byte: every escape, UTF-8 of each length, integers at
 * both ends, reals, nesting, key order, and thousands of random values;
 * and it fails where json_dumps fails (text that is not UTF-8).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "jsontext.h"

/* Compare the two texts of v, then free v. */
static void
same(json_t *v)
{
	char	*want, *got;
	size_t	 len = 0;

	want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	got = jsontext_dump(v, &len);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(len, strlen(want));
	free(want);
	free(got);
	json_decref(v);
}

START_TEST(test_each_escape_as_jansson_writes_it)
{
	char	all[128];
	int	i;

	/* Every ASCII byte but NUL, then NUL inside a string. */
	for (i = 1; i < 128; i++)
		all[i - 1] = (char)i;
	all[127] = '\0';
	same(json_string(all));
	same(json_stringn("a\0b", 3));
	same(json_string("\"quoted\" \\ back/slash\b\f\n\r\t\x1f\x7f"));
	same(json_string(""));
}
END_TEST

START_TEST(test_utf8_of_each_length_as_it_is)
{
	same(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9a "
	    "\xef\xbf\xbf \xf4\x8f\xbf\xbf \xc2\x80"));
	same(json_pack("{s:s}", "cl\xc3\xa9", "\xe2\x80\xa8"));
}
END_TEST

START_TEST(test_numbers_and_constants)
{
	same(json_integer(0));
	same(json_integer(-1));
	same(json_integer(INT64_MAX));
	same(json_integer(INT64_MIN));
	same(json_pack("[f,f,f,f,f,f]", 1.0, 0.1, -0.0, 1e300, 2.5e-7,
	    123456789012345678.0));
	same(json_pack("[b,b,n]", 1, 0));
	same(json_true());
	same(json_null());
}
END_TEST

START_TEST(test_nesting_and_key_order)
{
	same(json_object());
	same(json_array());
	same(json_pack("{s:{}, s:[], s:[{}, []], s:{s:[i, {s:n}]}}", "z",
	    "a", "m", "b", "c", 1, "d"));
	/* Insertion order, not sorted; a key set again keeps its place. */
	same(json_pack("{s:i, s:i, s:i, s:i}", "zeta", 1, "alpha", 2,
	    "mu", 3, "alpha", 4));
}
END_TEST

/* A small deterministic generator (xorshift64). */
static uint64_t	rnd_state = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return ((unsigned)(rnd_state % n));
}

static json_t *
rnd_string(void)
{
	static const char	*parts[] = { "a", "Z", "0", " ", "\"", "\\",
	    "/", "\n", "\t", "\x01", "\x1f", "\x7f", "\xc3\xa9",
	    "\xe2\x82\xac", "\xf0\x9f\x93\x9a", "{", "}", ",", ":", "null" };
	char			 b[256];
	const char		*p;
	size_t			 len = 0, k;
	unsigned		 i, n = rnd(12);

	for (i = 0; i < n; i++) {
		p = parts[rnd(sizeof parts / sizeof parts[0])];
		k = strlen(p);
		memcpy(b + len, p, k);
		len += k;
	}
	return (json_stringn(b, len));
}

static json_t *
rnd_value(int depth)
{
	json_t		*v;
	json_t		*key;
	unsigned	 i, n;

	switch (rnd(depth > 3 ? 6 : 8)) {
	case 0:
		return (rnd_string());
	case 1:
		return (json_integer((json_int_t)(rnd_state >> rnd(64))));
	case 2:
		return (json_integer(-(json_int_t)rnd(100000)));
	case 3:
		return (json_real((double)rnd(1000000) / (1 + rnd(1000))));
	case 4:
		return (json_boolean(rnd(2)));
	case 5:
		return (json_null());
	case 6:
		v = json_array();
		for (i = 0, n = rnd(5); i < n; i++)
			json_array_append_new(v, rnd_value(depth + 1));
		return (v);
	default:
		v = json_object();
		for (i = 0, n = rnd(5); i < n; i++) {
			key = rnd_string();
			json_object_set_new(v, json_string_value(key),
			    rnd_value(depth + 1));
			json_decref(key);
		}
		return (v);
	}
}

START_TEST(test_random_values_the_same)
{
	int	i;

	for (i = 0; i < 3000; i++)
		same(rnd_value(0));
}
END_TEST

START_TEST(test_fails_where_jansson_fails)
{
	static const char	*bad[] = { "\xff", "\xc0\xaf", "\xed\xa0\x80",
	    "\xf4\x90\x80\x80", "\xe2\x82", "a\x80" };
	json_t			*v;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* json_string checks its text: build it unchecked. */
		v = json_pack("[s]", "ok");
		json_array_append_new(v, json_stringn_nocheck(bad[i],
		    strlen(bad[i])));
		ck_assert_ptr_null(json_dumps(v, JSON_COMPACT |
		    JSON_ENCODE_ANY));
		ck_assert_ptr_null(jsontext_dump(v, NULL));
		json_decref(v);
	}
	ck_assert_ptr_null(jsontext_dump(NULL, NULL));
}
END_TEST

Suite *
suite_json(void)
{
	Suite	*s = suite_create("json");
	TCase	*tc = tcase_create("dump");

	tcase_add_test(tc, test_each_escape_as_jansson_writes_it);
	tcase_add_test(tc, test_utf8_of_each_length_as_it_is);
	tcase_add_test(tc, test_numbers_and_constants);
	tcase_add_test(tc, test_nesting_and_key_order);
	tcase_add_test(tc, test_random_values_the_same);
	tcase_add_test(tc, test_fails_where_jansson_fails);
	suite_add_tcase(s, tc);
	return (s);
}
