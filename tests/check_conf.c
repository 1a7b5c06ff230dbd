/*
 * Configuration: the iniparser wrapper refuses what iniparser would let
 * through (unknown sections and keys, bad values, over-long lines) and
 * says where, with the file and the line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "fixture.h"

static char	dir[64];
static char	path[128];
static struct conf	cfg;
static struct gerror	err;

static void
conf_setup(void)
{
	snprintf(dir, sizeof dir, "%s", "/tmp/guichet-conf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/guichet.ini", dir);
	/* No user file: only what the test writes is read. */
	setenv("XDG_CONFIG_HOME", dir, 1);
	memset(&cfg, 0, sizeof cfg);
	gerror_clear(&err);
}

static void
conf_teardown(void)
{
	conf_free(&cfg);
	unlink(path);
	rmdir(dir);
}

static void
write_ini(const char *text)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Load text as the -c file: the error names the file and line. */
static enum gerr
load(const char *text)
{
	conf_free(&cfg);
	write_ini(text);
	return (conf_load(&cfg, path, &err));
}

static void
assert_refused_at(const char *text, int line, const char *cites)
{
	char	where[160];

	snprintf(where, sizeof where, "%s:%d:", path, line);
	ck_assert_msg(load(text) == GERR_BAD_REQUEST, "accepted: %s", text);
	ck_assert_msg(strstr(err.msg, where) != NULL, "no %s in: %s", where,
	    err.msg);
	if (cites != NULL)
		ck_assert_msg(strstr(err.msg, cites) != NULL, "no %s in: %s",
		    cites, err.msg);
}

START_TEST(test_no_key_gives_the_defaults_each_key_its_value)
{
	ck_assert_int_eq(load(""), GERR_OK);
	ck_assert_ptr_null(cfg.backend_url);
	ck_assert_str_eq(cfg.colors, "auto");
	ck_assert_str_eq(cfg.timezone, "Europe/Paris");
	ck_assert_str_eq(cfg.listen, "127.0.0.1:8470");
	ck_assert_int_eq(cfg.threads, 4);
	ck_assert_int_eq(cfg.ascii, 0);
	ck_assert_int_eq(load(
	    "; a comment\n"
	    "[backend]\n"
	    "url = sqlite:/srv/guichet/central.db\n"
	    "\n"
	    "[Display]\n"
	    "colors = never\n"
	    "ascii = On\n"
	    "[server]\n"
	    "threads = 16\n"
	    "session_hours = 720\n"
	    "[desk]\n"
	    "library = BUC\n"), GERR_OK);
	ck_assert_str_eq(cfg.backend_url, "sqlite:/srv/guichet/central.db");
	ck_assert_str_eq(cfg.colors, "never");
	ck_assert_int_eq(cfg.ascii, 1);
	ck_assert_int_eq(cfg.threads, 16);
	ck_assert_int_eq(cfg.session_hours, 720);
	ck_assert_str_eq(cfg.library, "BUC");
	/* Sections alone are fine. */
	ck_assert_int_eq(load("[mail]\n[server]\n"), GERR_OK);
}
END_TEST

START_TEST(test_an_unknown_section_or_key_is_refused_with_its_line)
{
	assert_refused_at("[desk]\nlibrary = BUC\n[printer]\nport = 9100\n",
	    3, "printer");
	assert_refused_at("[desk]\nlibrary = BUC\ncolour = red\n", 3,
	    "colour");
	assert_refused_at("[display]\n\n\nascii = no\nfont = big\n", 5,
	    "font");
}
END_TEST

START_TEST(test_a_bad_value_is_refused_with_its_line)
{
	assert_refused_at("[display]\nascii = maybe\n", 2, "ascii");
	assert_refused_at("[display]\nascii = Offf\n", 2, "ascii");
	assert_refused_at("[display]\ncolors = blue\n", 2, "auto|always|never");
	assert_refused_at("[server]\nthreads = 0\n", 2, "threads");
	assert_refused_at("[server]\nthreads = 257\n", 2, "threads");
	assert_refused_at("[server]\nthreads = four\n", 2, "threads");
	assert_refused_at("[server]\nthreads = 010x\n", 2, "threads");
	assert_refused_at("[server]\nlisten = x\nsession_hours = \n", 3,
	    "session_hours");
	/* Decimal, not octal (iniparser's getint would read 8). */
	ck_assert_int_eq(load("[server]\nthreads = 010\n"), GERR_OK);
	ck_assert_int_eq(cfg.threads, 10);
}
END_TEST

START_TEST(test_a_line_longer_than_iniparser_takes_is_refused)
{
	char	*text;
	size_t	 len;

	/* A line of 1022 characters is the longest iniparser takes. */
	for (len = 1022; len <= 1030; len++) {
		text = malloc(len + 64);
		ck_assert_ptr_nonnull(text);
		snprintf(text, len + 64, "[desk]\nlibrary = %0*d\n",
		    (int)(len - strlen("library = ")), 0);
		if (len == 1022) {
			ck_assert_msg(load(text) == GERR_OK, "%zu: %s", len,
			    err.msg);
			ck_assert_uint_eq(strlen(cfg.library), len -
			    strlen("library = "));
		} else
			assert_refused_at(text, 2, "line");
		free(text);
	}
	text = malloc(5000);
	ck_assert_ptr_nonnull(text);
	snprintf(text, 5000, "[desk]\n; %04000d\n", 0);
	assert_refused_at(text, 2, "line");
	free(text);
}
END_TEST

START_TEST(test_a_missing_file_is_refused_no_file_at_all_is_valid)
{
	char	missing[160];

	snprintf(missing, sizeof missing, "%s/nope.ini", dir);
	ck_assert_int_eq(conf_load(&cfg, missing, &err), GERR_BAD_REQUEST);
	ck_assert_ptr_nonnull(strstr(err.msg, missing));
	/* No file at all is valid. */
	conf_free(&cfg);
	ck_assert_int_eq(conf_load(&cfg, NULL, &err), GERR_OK);
	ck_assert_str_eq(cfg.colors, "auto");
}
END_TEST

/* The user's file is read, and -c overrides it. */
START_TEST(test_the_users_file_is_read_and_c_overrides_it)
{
	char	user[200], sub[160];
	FILE	*f;

	snprintf(sub, sizeof sub, "%s/guichet", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(user, sizeof user, "%s/guichet.ini", sub);
	f = fopen(user, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[desk]\nlibrary = CRL\naccount = desk.crl\n", f);
	fclose(f);
	ck_assert_int_eq(conf_load(&cfg, NULL, &err), GERR_OK);
	ck_assert_str_eq(cfg.library, "CRL");
	conf_free(&cfg);
	write_ini("[desk]\nlibrary = BUC\n");
	ck_assert_int_eq(conf_load(&cfg, path, &err), GERR_OK);
	ck_assert_str_eq(cfg.library, "BUC");
	ck_assert_str_eq(cfg.account, "desk.crl");
	/* A bad user file is reported with its own name. */
	conf_free(&cfg);
	f = fopen(user, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[desk]\nlibary = CRL\n", f);
	fclose(f);
	ck_assert_int_eq(conf_load(&cfg, NULL, &err), GERR_BAD_REQUEST);
	ck_assert_ptr_nonnull(strstr(err.msg, user));
	unlink(user);
	rmdir(sub);
}
END_TEST

/* A zone the system does not know is refused (glibc would use UTC). */
START_TEST(test_unknown_time_zone_refused_with_its_line)
{
	assert_refused_at("[desk]\nlibrary = BUC\ntimezone = Europe/Pariss\n",
	    3, "Europe/Pariss");
	ck_assert_ptr_nonnull(strstr(err.msg, "timezone"));
	assert_refused_at("[desk]\ntimezone = ../../etc/passwd\n", 2,
	    "timezone");
	ck_assert_int_eq(load("[desk]\ntimezone = America/Montreal\n"),
	    GERR_OK);
	ck_assert_str_eq(cfg.timezone, "America/Montreal");
}
END_TEST

/* iniparser files a key before any section nowhere: say so. */
START_TEST(test_key_before_any_section_refused)
{
	assert_refused_at("; a comment\n\nlibrary = BUC\n[desk]\n", 3,
	    "section");
}
END_TEST

/* iniparser's own syntax errors get the file:line: form. */
START_TEST(test_syntax_error_named_by_line)
{
	assert_refused_at("[desk]\nlibrary = BUC\nthis is not a key\n", 3,
	    "this is not a key");
	ck_assert_ptr_null(strstr(err.msg, "iniparser"));
	ck_assert_ptr_null(strchr(err.msg, '\n'));
}
END_TEST

START_TEST(test_directory_as_file_refused)
{
	ck_assert_int_eq(conf_load(&cfg, dir, &err), GERR_BAD_REQUEST);
	ck_assert_ptr_nonnull(strstr(err.msg, dir));
	ck_assert_msg(strstr(err.msg, "directory") != NULL, "%s", err.msg);
}
END_TEST

/* The backend is sqlite:PATH, http:// or https://, nothing else. */
START_TEST(test_backend_url_scheme_checked)
{
	assert_refused_at("[backend]\nurl = ftp://host/x\n", 2, "url");
	ck_assert_ptr_nonnull(strstr(err.msg, "ftp://host/x"));
	assert_refused_at("[backend]\nurl = /srv/central.db\n", 2, "sqlite:");
	ck_assert_int_eq(load("[backend]\nurl = sqlite:/srv/c.db\n"), GERR_OK);
	ck_assert_int_eq(load("[backend]\nurl = HTTP://h:8470\n"), GERR_OK);
	ck_assert_int_eq(load("[backend]\nurl = https://h\n"), GERR_OK);
}
END_TEST

Suite *
suite_conf(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc;

	tc = tcase_create("ini");
	tcase_add_checked_fixture(tc, conf_setup, conf_teardown);
	tcase_add_test(tc, test_no_key_gives_the_defaults_each_key_its_value);
	tcase_add_test(tc,
	    test_an_unknown_section_or_key_is_refused_with_its_line);
	tcase_add_test(tc, test_a_bad_value_is_refused_with_its_line);
	tcase_add_test(tc, test_a_line_longer_than_iniparser_takes_is_refused);
	tcase_add_test(tc,
	    test_a_missing_file_is_refused_no_file_at_all_is_valid);
	tcase_add_test(tc, test_the_users_file_is_read_and_c_overrides_it);
	tcase_add_test(tc, test_unknown_time_zone_refused_with_its_line);
	tcase_add_test(tc, test_key_before_any_section_refused);
	tcase_add_test(tc, test_syntax_error_named_by_line);
	tcase_add_test(tc, test_directory_as_file_refused);
	tcase_add_test(tc, test_backend_url_scheme_checked);
	suite_add_tcase(s, tc);
	return (s);
}
