/*
 * What staff may now do through the one door (issue 8, second part): a
 * new resource with its policy (P9), changing and cancelling sessions
 * (P9, R11, R13), a library's public information and establishment code
 * (P5, R6), disabling and enabling accounts (P7), a closure of CAMPUS
 * (P4, R13). The rights and scope refusals are one table of cases; each
 * refused case must leave the change log as it was.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "replica.h"

static int64_t
log_count(void)
{
	return (fx_sql_int("SELECT count(*) FROM change_log"));
}

/* A new resource's payload: code, type, holder, library. */
static json_t *
new_resource(const char *code, const char *type, const char *holder,
    const char *library)
{
	return (json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", code, "name",
	    "Nouvelle ressource", "type", type, "establishment", holder,
	    "library", library));
}

enum what {
	RESOURCE_ADD,	/* target: "TYPE LIBRARY" on UJJ (P9 and its scope) */
	SESSION_CANCEL,	/* target: a capacity resource's demo-free session */
	ESTAB_SET,	/* target: an establishment (P5) */
	ACCOUNT_OFF,	/* target: an account to disable (P7) */
	CLOSE_CAMPUS,	/* target: none (P4 on CAMPUS) */
};

static const struct row {
	const char	*login;
	enum what	 what;
	const char	*target;
	enum gerr	 want;
	const char	*cites;
} matrix[] = {
	/* P9 with its scope: a referent adds its library's group rooms. */
	{ "ref.buc", RESOURCE_ADD, "group_room BUC", GERR_OK, NULL },
	{ "ref.buc", RESOURCE_ADD, "group_room CROG", GERR_FORBIDDEN, "(P9" },
	{ "ref.buc", RESOURCE_ADD, "workshop BUC", GERR_FORBIDDEN, "(P9" },
	{ "ref.buc", RESOURCE_ADD, "training_room BUC",
	    GERR_RESOURCE_INTERNAL, "(R8)" },
	{ "ref.ateliers", RESOURCE_ADD, "workshop CROG", GERR_OK, NULL },
	{ "ref.ateliers", RESOURCE_ADD, "visit CROG", GERR_FORBIDDEN, "(P9" },
	{ "ref.visites.buc", RESOURCE_ADD, "visit BUC", GERR_OK, NULL },
	{ "ref.visites.buc", RESOURCE_ADD, "visit CROG", GERR_FORBIDDEN,
	    "(P9" },
	{ "ref.formation.crog", RESOURCE_ADD, "training_room CROG", GERR_OK,
	    NULL },
	{ "ref.formation.crog", RESOURCE_ADD, "training_room CLAP",
	    GERR_RESOURCE_INTERNAL, "(R8)" },
	{ "desk.mirail", RESOURCE_ADD, "group_room BUC", GERR_FORBIDDEN,
	    "(P9)" },
	{ "ref.com", RESOURCE_ADD, "group_room CRL", GERR_FORBIDDEN, "(P9)" },
	{ "admin", RESOURCE_ADD, "carrel CRL", GERR_OK, NULL },
	/* Sessions: the workshops' referent, not the desk nor a room's. */
	{ "ref.ateliers", SESSION_CANCEL, "T-WS", GERR_OK, NULL },
	{ "desk.mirail", SESSION_CANCEL, "T-WS", GERR_FORBIDDEN, "(P9)" },
	{ "ref.buc", SESSION_CANCEL, "T-WS", GERR_FORBIDDEN, "(P9" },
	{ "ref.visites.buc", SESSION_CANCEL, "T-WS", GERR_FORBIDDEN, "(P9" },
	/* P5 on the library itself. */
	{ "ref.buc", ESTAB_SET, "BUC", GERR_OK, NULL },
	{ "ref.buc", ESTAB_SET, "CROG", GERR_FORBIDDEN, "(P5)" },
	{ "ref.buc", ESTAB_SET, "UJJ", GERR_FORBIDDEN, "(P5)" },
	{ "desk.mirail", ESTAB_SET, "BUC", GERR_FORBIDDEN, "(P5)" },
	{ "ref.com", ESTAB_SET, "CRL", GERR_FORBIDDEN, "(P5)" },
	{ "admin", ESTAB_SET, "CROG", GERR_OK, NULL },
	/* P7: only whom one could have granted, never oneself. */
	{ "admin", ACCOUNT_OFF, "desk.crog", GERR_OK, NULL },
	{ "ref.buc", ACCOUNT_OFF, "desk.crog", GERR_FORBIDDEN, "(P7)" },
	{ "ref.buc", ACCOUNT_OFF, "desk.mirail", GERR_FORBIDDEN, "(P7)" },
	{ "ref.buc", ACCOUNT_OFF, "ref.buc", GERR_FORBIDDEN, "(P7)" },
	{ "ref.buc", ACCOUNT_OFF, "admin", GERR_FORBIDDEN,
	    "super-administrator" },
	{ "ref.buc", ACCOUNT_OFF, "ref.crog", GERR_FORBIDDEN, "(P7)" },
	{ "desk.mirail", ACCOUNT_OFF, "desk.crog", GERR_FORBIDDEN, "(P7)" },
	{ "ref.com", ACCOUNT_OFF, "desk.crog", GERR_FORBIDDEN, "(P7)" },
	{ "admin", ACCOUNT_OFF, "admin", GERR_FORBIDDEN, "(P7)" },
	{ "admin", ACCOUNT_OFF, "nobody.here", GERR_NOT_FOUND, NULL },
	/* The campus's closure: P4 on CAMPUS. */
	{ "ref.buc", CLOSE_CAMPUS, NULL, GERR_OK, NULL },
	{ "admin", CLOSE_CAMPUS, NULL, GERR_OK, NULL },
	{ "desk.mirail", CLOSE_CAMPUS, NULL, GERR_FORBIDDEN, "(P4)" },
	{ "ref.ateliers", CLOSE_CAMPUS, NULL, GERR_FORBIDDEN, "(P4)" },
	{ "ref.com", CLOSE_CAMPUS, NULL, GERR_FORBIDDEN, "(P4)" },
};

START_TEST(test_the_staff_operations_follow_the_charters_matrix)
{
	const struct row	*r = &matrix[_i];
	const struct account	*a = fx_account(r->login);
	json_t			*p = NULL;
	const char		*kind = NULL;
	char			 type[32], lib[16], code[32];
	int64_t			 before = log_count();

	switch (r->what) {
	case RESOURCE_ADD:
		ck_assert_int_eq(sscanf(r->target, "%31s %15s", type, lib), 2);
		snprintf(code, sizeof code, "%s-NEW", lib);
		p = new_resource(code, type, "UJJ", lib);
		kind = "resource_add";
		break;
	case SESSION_CANCEL:
		p = json_pack("{s:s,s:s,s:s}", "resource", r->target, "start",
		    "2026-11-27T14:00", "reason", "intervenant malade");
		kind = "session_cancel";
		break;
	case ESTAB_SET:
		p = json_pack("{s:s,s:s,s:i}", "establishment", r->target,
		    "info", "Ouvert pendant les vacances", "jauge", 210);
		kind = "establishment_set";
		break;
	case ACCOUNT_OFF:
		p = json_pack("{s:s,s:b}", "login", r->target, "enabled", 0);
		kind = "account_set";
		break;
	case CLOSE_CAMPUS:
		p = json_pack("{s:s,s:s,s:s,s:b}", "establishment", "CAMPUS",
		    "date", "2026-12-24", "reason", "pont de Noël", "confirm",
		    1);
		kind = "close";
		break;
	}
	fx_assert_gerr(fx_op(a, kind, p, NULL), r->want, r->cites);
	if (r->want == GERR_OK)
		ck_assert_int_gt(log_count(), before);
	else
		ck_assert_int_eq(log_count(), before);
}
END_TEST

/* A resource with its whole policy, bookable at once, replicated. */
START_TEST(test_a_new_resource_is_bookable_at_once_with_its_policy)
{
	json_t	*p, *res = NULL;
	char	 id[UUID_LEN];

	p = new_resource("BUC-G9", "group_room", "UJJ", "BUC");
	json_object_set_new(p, "granularity", json_integer(60));
	json_object_set_new(p, "max_duration", json_integer(180));
	json_object_set_new(p, "day_quota", json_integer(180));
	json_object_set_new(p, "place", json_string("2e étage"));
	json_object_set_new(p, "confirm_message", json_string("Clé à "
	    "l'accueil."));
	json_object_set_new(p, "seats", json_integer(6));
	/* seats is not a setting: refused, nothing made. */
	fx_assert_gerr(fx_op(fx_account("ref.buc"), "resource_add",
	    json_deep_copy(p), NULL), GERR_BAD_REQUEST, "'seats'");
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM resource WHERE "
	    "code = 'BUC-G9'"), 0);
	json_object_del(p, "seats");
	fx_assert_ok(fx_op(fx_account("ref.buc"), "resource_add", p, &res));
	ck_assert_str_eq(json_string_value(json_object_get(res, "code")),
	    "BUC-G9");
	ck_assert_int_eq(json_integer_value(json_object_get(res,
	    "granularity")), 60);
	ck_assert_str_eq(json_string_value(json_object_get(res, "place")),
	    "2e étage");
	ck_assert(json_is_true(json_object_get(res, "public")));
	json_decref(res);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM change_log WHERE "
	    "entity = 'resource' AND entity_id = 'BUC-G9'"), 1);
	ck_assert_int_eq(fx_sql_int("SELECT max_duration FROM resource WHERE "
	    "code = 'BUC-G9'"), 180);
	/* Its policy holds: a 90-minute booking is off the 60-minute grid. */
	fx_assert_gerr(fx_book(fx_desk, "BUC-G9", "2026-11-27T10:00",
	    "2026-11-27T11:30", FX_EMAIL, NULL), GERR_BAD_GRANULARITY, "R3");
	fx_assert_ok(fx_book(fx_desk, "BUC-G9", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL, id));

	/* Refusals of its own, none of which leaves a resource behind. */
	fx_assert_gerr(fx_op(fx_admin, "resource_add", new_resource("BUC-G9",
	    "group_room", "UJJ", "BUC"), NULL), GERR_BAD_STATE, "exists");
	fx_assert_gerr(fx_op(fx_admin, "resource_add", new_resource("BUC G10",
	    "group_room", "UJJ", "BUC"), NULL), GERR_BAD_REQUEST, "BUC G10");
	fx_assert_gerr(fx_op(fx_admin, "resource_add", new_resource("BUC-X",
	    "pool", "UJJ", "BUC"), NULL), GERR_BAD_REQUEST, "pool");
	fx_assert_gerr(fx_op(fx_admin, "resource_add", new_resource("BUC-X",
	    "carrel", "UJJ", "UJJ"), NULL), GERR_NOT_FOUND, "UJJ");
	fx_assert_gerr(fx_op(fx_admin, "resource_add", new_resource("BUC-X",
	    "carrel", "CAMPUS", "BUC"), NULL), GERR_BAD_REQUEST, "CAMPUS");
	p = new_resource("BUC-X", "carrel", "UJJ", "BUC");
	json_object_set_new(p, "capacity", json_integer(3));
	fx_assert_gerr(fx_op(fx_admin, "resource_add", p, NULL),
	    GERR_BAD_REQUEST, "(R7)");
	p = new_resource("BUC-X", "meeting_room", "UJJ", "BUC");
	json_object_set_new(p, "public", json_true());
	fx_assert_gerr(fx_op(fx_admin, "resource_add", p, NULL),
	    GERR_RESOURCE_INTERNAL, "(R8)");
	p = new_resource("BUC-X", "carrel", "UJJ", "BUC");
	json_object_set_new(p, "name", json_string("Box\x1b[2J"));
	fx_assert_gerr(fx_op(fx_admin, "resource_add", p, NULL),
	    GERR_BAD_TEXT, "(R16)");
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM resource WHERE "
	    "code = 'BUC-X'"), 0);
	/* An internal room is not public unless said otherwise. */
	fx_assert_ok(fx_op(fx_admin, "resource_add", new_resource("BUC-X",
	    "meeting_room", "UJJ", "BUC"), NULL));
	ck_assert_int_eq(fx_sql_int("SELECT public FROM resource WHERE "
	    "code = 'BUC-X'"), 0);
}
END_TEST

/* A workshop session: places never below the booked ones, times fixed
 * once booked, a cancellation that tells every patron. */
START_TEST(test_a_session_keeps_its_booked_places_and_tells_its_patrons)
{
	const struct account	*ws = fx_account("ref.ateliers");
	json_t			*res = NULL, *p;
	char			 a[UUID_LEN], b[UUID_LEN];
	int64_t			 mails;

	fx_assert_ok(fx_book(fx_desk, "T-WS", "2026-11-27T14:00",
	    "2026-11-27T15:30", FX_EMAIL, a));
	fx_assert_ok(fx_book(fx_desk, "T-WS", "2026-11-27T14:00",
	    "2026-11-27T15:30", FX_EMAIL2, b));

	/* R13: below the places booked, refused with the session. */
	fx_assert_gerr(fx_op(ws, "session_change", json_pack("{s:s,s:s,s:i}",
	    "resource", "T-WS", "start", "2026-11-27T14:00", "places", 1),
	    &res), GERR_CAPACITY_BELOW_BOOKED, "R13");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "2 places booked"));
	ck_assert_int_eq(json_array_size(json_object_get(res, "sessions")), 1);
	json_decref(res);
	fx_assert_gerr(fx_op(ws, "session_change", json_pack("{s:s,s:s,s:i}",
	    "resource", "T-WS", "start", "2026-11-27T14:00", "places", 99),
	    NULL), GERR_BAD_REQUEST, "'places'");
	/* Its times stay while places are booked. */
	fx_assert_gerr(fx_op(ws, "session_change", json_pack("{s:s,s:s,s:s}",
	    "resource", "T-WS", "start", "2026-11-27T14:00", "new_start",
	    "2026-11-27T15:00"), NULL), GERR_BAD_STATE, "cancel it");
	fx_assert_gerr(fx_op(ws, "session_change", json_pack("{s:s,s:s,s:i}",
	    "resource", "T-WS", "start", "2026-11-27T16:00", "places", 2),
	    NULL), GERR_NOT_FOUND, "guichet sessions list T-WS");
	fx_assert_ok(fx_op(ws, "session_change", json_pack("{s:s,s:s,s:i}",
	    "resource", "T-WS", "start", "2026-11-27T14:00", "places", 2),
	    &res));
	ck_assert_int_eq(json_integer_value(json_object_get(res, "places")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(res, "taken")), 2);
	json_decref(res);
	fx_assert_gerr(fx_book(fx_desk, "T-WS", "2026-11-27T14:00",
	    "2026-11-27T15:30", "third.patron@etu.univ-tlse2.fr", NULL),
	    GERR_CAPACITY_FULL, "R7");

	/* R11: a reason, e-mailed to each patron. */
	fx_assert_gerr(fx_op(ws, "session_cancel", json_pack("{s:s,s:s,s:s}",
	    "resource", "T-WS", "start", "2026-11-27T14:00", "reason", "  "),
	    NULL), GERR_REASON_REQUIRED, "R11");
	fx_assert_gerr(fx_op(ws, "session_cancel", json_pack("{s:s,s:s}",
	    "resource", "T-WS", "start", "2026-11-27T14:00"), NULL),
	    GERR_REASON_REQUIRED, "R11");
	ck_assert_int_eq(fx_status(a), STATUS_CONFIRMED);
	mails = fx_sql_int("SELECT count(*) FROM mail");
	fx_assert_ok(fx_op(ws, "session_cancel", json_pack("{s:s,s:s,s:s}",
	    "resource", "T-WS", "start", "2026-11-27T14:00", "reason",
	    "intervenant malade"), &res));
	ck_assert_int_eq(json_array_size(json_object_get(res, "cancelled")),
	    2);
	json_decref(res);
	ck_assert_int_eq(fx_status(a), STATUS_CANCELLED);
	ck_assert_int_eq(fx_status(b), STATUS_CANCELLED);
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail") - mails, 2);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE body "
	    "LIKE '%intervenant malade%'"), 2);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM booking WHERE "
	    "cancel_reason LIKE '%intervenant malade'"), 2);
	/* The session is gone, replicated as removed. */
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM session s JOIN "
	    "resource r ON r.id = s.resource_id WHERE r.code = 'T-WS'"), 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM change_log WHERE "
	    "entity = 'session' AND data LIKE '%\"removed\":true%'"), 1);
	fx_assert_gerr(fx_book(fx_desk, "T-WS", "2026-11-27T14:00",
	    "2026-11-27T15:30", FX_EMAIL, NULL), GERR_NOT_FOUND, NULL);

	/* A session with no place booked moves; a new one can take the
	 * old time again. */
	fx_assert_ok(fx_op(ws, "session_add", json_pack("{s:s,s:s,s:s}",
	    "resource", "T-WS", "start", "2026-11-27T14:00", "end",
	    "2026-11-27T15:30"), NULL));
	p = json_pack("{s:s,s:s,s:s,s:s}", "resource", "T-WS", "start",
	    "2026-11-27T14:00", "new_start", "2026-11-27T16:00", "new_end",
	    "2026-11-27T17:00");
	fx_assert_ok(fx_op(ws, "session_change", p, NULL));
	fx_assert_ok(fx_book(fx_desk, "T-WS", "2026-11-27T16:00",
	    "2026-11-27T17:00", FX_EMAIL, NULL));
	fx_assert_gerr(fx_op(ws, "session_change", json_pack("{s:s,s:s,s:s,"
	    "s:s}", "resource", "T-WS", "start", "2026-11-27T16:00", "new_end",
	    "2026-11-27T15:00", "new_start", "2026-11-27T16:00"), NULL),
	    GERR_BAD_STATE, NULL);
	/* Not a capacity resource. */
	fx_assert_gerr(fx_op(fx_admin, "session_cancel", json_pack("{s:s,s:s,"
	    "s:s}", "resource", "T-G1", "start", "2026-11-27T14:00", "reason",
	    "x"), NULL), GERR_BAD_REQUEST, "sessions");
}
END_TEST

/* P5: public information, jauge and the establishment code (R6). */
START_TEST(test_p5_sets_the_public_information_jauge_and_code)
{
	const struct account	*ref = fx_account("ref.buc");
	json_t			*res = NULL;
	int64_t			 before = log_count();

	fx_assert_ok(fx_op(ref, "establishment_set", json_pack("{s:s,s:s,s:i,"
	    "s:s}", "establishment", "BUC", "info", "Entrée par la rue.\n"
	    "Accès PMR.", "jauge", 450, "checkin_code", " buc-9034"), &res));
	ck_assert_str_eq(json_string_value(json_object_get(res,
	    "checkin_code")), "BUC-9034");
	ck_assert(json_is_true(json_object_get(res, "posters_invalid")));
	ck_assert_int_eq(json_integer_value(json_object_get(res, "jauge")),
	    450);
	json_decref(res);
	ck_assert_int_eq(log_count(), before + 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM change_log WHERE "
	    "entity = 'establishment' AND data LIKE '%Acc_s PMR%' AND data "
	    "LIKE '%BUC-9034%'"), 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM establishment WHERE "
	    "code = 'BUC' AND checkin_code = 'BUC-9034' AND jauge = 450"), 1);
	/* The same code again: the posters still hold. */
	fx_assert_ok(fx_op(ref, "establishment_set", json_pack("{s:s,s:s}",
	    "establishment", "BUC", "checkin_code", "BUC-9034"), &res));
	ck_assert(json_is_false(json_object_get(res, "posters_invalid")));
	json_decref(res);
	/* What is not given stays as it was (a regression: a change of the
	 * code alone emptied the name and the information). */
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM establishment WHERE "
	    "code = 'BUC' AND info LIKE 'Entrée par la rue.%' AND name = "
	    "'Bibliothèque universitaire centrale' AND jauge = 450"), 1);

	before = log_count();
	fx_assert_gerr(fx_op(ref, "establishment_set", json_pack("{s:s,s:s}",
	    "establishment", "BUC", "checkin_code", "B!"), NULL),
	    GERR_BAD_REQUEST, "(R6)");
	fx_assert_gerr(fx_op(ref, "establishment_set", json_pack("{s:s,s:i}",
	    "establishment", "BUC", "jauge", -4), NULL), GERR_BAD_REQUEST,
	    "'jauge'");
	fx_assert_gerr(fx_op(ref, "establishment_set", json_pack("{s:s,s:s}",
	    "establishment", "BUC", "info", "a\x07" "b"), NULL),
	    GERR_BAD_TEXT, "(R16)");
	fx_assert_gerr(fx_op(ref, "establishment_set", json_pack("{s:s}",
	    "establishment", "BUC"), NULL), GERR_BAD_REQUEST, "nothing");
	fx_assert_gerr(fx_op(fx_admin, "establishment_set", json_pack("{s:s,"
	    "s:s}", "establishment", "CAMPUS", "checkin_code", "CAMP-1"),
	    NULL), GERR_BAD_REQUEST, "not a library");
	fx_assert_gerr(fx_op(ref, "establishment_set", json_pack("{s:s,s:s}",
	    "establishment", "NOPE", "info", "x"), NULL), GERR_NOT_FOUND,
	    "NOPE");
	ck_assert_int_eq(log_count(), before);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM establishment WHERE "
	    "code = 'BUC' AND checkin_code = 'BUC-9034' AND jauge = 450"), 1);
}
END_TEST

/* P7: a disabled account stops at once, its server sessions end. */
START_TEST(test_p7_a_disabled_account_stops_and_its_sessions_end)
{
	struct account	*crog = NULL;
	json_t		*res = NULL;

	fx_sql("INSERT INTO session_token VALUES ('h1', 'desk.crog', 0, "
	    "9999999999), ('h2', 'desk.crog', 0, 9999999999), ('h3', "
	    "'desk.clap', 0, 9999999999)");
	fx_assert_ok(fx_op(fx_admin, "account_set", json_pack("{s:s,s:b}",
	    "login", "desk.crog", "enabled", 0), &res));
	ck_assert(json_is_false(json_object_get(res, "enabled")));
	json_decref(res);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM session_token WHERE "
	    "account = 'desk.crog'"), 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM session_token"), 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM change_log WHERE "
	    "entity = 'account' AND entity_id = 'desk.crog' AND data LIKE "
	    "'%\"enabled\":false%'"), 1);
	/* Its next operation is refused, and it cannot log in. */
	ck_assert_int_eq(account_load(fx_store, "desk.crog", &crog), GERR_OK);
	fx_assert_gerr(fx_book(crog, "CROG-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL, NULL), GERR_FORBIDDEN, "disabled");
	account_free(crog);
	crog = NULL;
	ck_assert_int_eq(account_login(fx_store, "desk.crog", "demo", &crog,
	    &fx_err), GERR_BAD_LOGIN);
	/* Enabled again: it works again. */
	fx_assert_ok(fx_op(fx_admin, "account_set", json_pack("{s:s,s:b}",
	    "login", "desk.crog", "enabled", 1), NULL));
	fx_assert_ok(account_login(fx_store, "desk.crog", "demo", &crog,
	    &fx_err));
	account_free(crog);
	fx_assert_gerr(fx_op(fx_admin, "account_set", json_pack("{s:s,s:s}",
	    "login", "desk.crog", "enabled", "no"), NULL), GERR_BAD_REQUEST,
	    "'enabled'");
}
END_TEST

/* A referent disables an account it made and granted within its own. */
START_TEST(test_a_referent_disables_an_account_it_made)
{
	const struct account	*ref = fx_account("ref.buc");

	fx_assert_ok(fx_op(ref, "account_add", json_pack("{s:s,s:s}", "login",
	    "moniteur.buc", "password_hash", "$argon2id$v=19$m=65536,t=2,p=1"
	    "$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"), NULL));
	fx_assert_ok(fx_op(ref, "grant", json_pack("{s:s,s:s,s:s,s:s,s:s}",
	    "login", "moniteur.buc", "establishment", "UJJ", "perms", "P8",
	    "types", "group_room", "library", "BUC"), NULL));
	fx_assert_ok(fx_op(ref, "account_set", json_pack("{s:s,s:b}", "login",
	    "moniteur.buc", "enabled", 0), NULL));
	ck_assert_int_eq(fx_sql_int("SELECT enabled FROM account WHERE login = "
	    "'moniteur.buc'"), 0);
	/* Another library's referent could not have given that grant. */
	fx_assert_gerr(fx_op(fx_account("ref.crog"), "account_set",
	    json_pack("{s:s,s:b}", "login", "moniteur.buc", "enabled", 1),
	    NULL), GERR_FORBIDDEN, "(P7)");
}
END_TEST

/* R13 on CAMPUS: every library's bookings of that date, listed, then
 * cancelled for the list shown only. */
START_TEST(test_r13_a_campus_closure_cancels_for_the_list_shown_only)
{
	const struct account	*ref = fx_account("ref.buc");
	json_t			*res = NULL, *ids, *b;
	char			 a[UUID_LEN], late[UUID_LEN];
	size_t			 i, n;
	int64_t			 live;

	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-30T10:00",
	    "2026-11-30T11:00", FX_EMAIL, a));
	live = fx_sql_int("SELECT count(*) FROM booking b JOIN resource r ON "
	    "r.id = b.resource_id JOIN establishment l ON l.id = r.library_id "
	    "WHERE l.kind = 'library' AND b.status IN ('pending_confirmation', "
	    "'confirmed', 'present') AND b.start < 1796079600 AND b.end > "
	    "1795993200");
	ck_assert_int_ge(live, 1);
	fx_assert_gerr(fx_op(ref, "close", json_pack("{s:s,s:s,s:s}",
	    "establishment", "CAMPUS", "date", "2026-11-30", "reason", ""),
	    NULL), GERR_REASON_REQUIRED, "R11");
	fx_assert_gerr(fx_op(ref, "close", json_pack("{s:s,s:s,s:s}",
	    "establishment", "CAMPUS", "date", "2026-11-30", "reason",
	    "grève"), &res), GERR_NEEDS_CONFIRMATION, "R13");
	n = json_array_size(json_object_get(res, "to_cancel"));
	ck_assert_int_eq(n, live);
	ck_assert_int_eq(fx_status(a), STATUS_CONFIRMED);
	ids = json_array();
	json_array_foreach(json_object_get(res, "to_cancel"), i, b)
		json_array_append(ids, json_object_get(b, "id"));
	json_decref(res);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM hours_date h JOIN "
	    "establishment e ON e.id = h.establishment_id WHERE h.closed = 1 "
	    "AND e.code = 'TST' AND h.reason = 'grève'"), 0);

	/* A booking made meanwhile: the confirmation is for another list. */
	fx_assert_ok(fx_book(fx_desk, "T-G2", "2026-11-30T12:00",
	    "2026-11-30T13:00", FX_EMAIL2, late));
	fx_assert_gerr(fx_op(ref, "close", json_pack("{s:s,s:s,s:s,s:b,s:O}",
	    "establishment", "CAMPUS", "date", "2026-11-30", "reason", "grève",
	    "confirm", 1, "ids", ids), &res), GERR_NEEDS_CONFIRMATION, "R13");
	ck_assert_int_eq(json_array_size(json_object_get(res, "to_cancel")),
	    n + 1);
	ck_assert_int_eq(fx_status(a), STATUS_CONFIRMED);
	json_array_append_new(ids, json_string(late));
	json_decref(res);
	fx_assert_ok(fx_op(ref, "close", json_pack("{s:s,s:s,s:s,s:b,s:o}",
	    "establishment", "CAMPUS", "date", "2026-11-30", "reason", "grève",
	    "confirm", 1, "ids", ids), &res));
	ck_assert_int_eq(json_array_size(json_object_get(res, "cancelled")),
	    n + 1);
	json_decref(res);
	ck_assert_int_eq(fx_status(a), STATUS_CANCELLED);
	ck_assert_int_eq(fx_status(late), STATUS_CANCELLED);
	/* Every library and the campus are closed that day, and say why. */
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM hours_date h JOIN "
	    "establishment e ON e.id = h.establishment_id WHERE h.closed = 1 "
	    "AND h.reason = 'grève'"), fx_sql_int("SELECT count(*) FROM "
	    "establishment WHERE kind IN ('library', 'campus')"));
	fx_assert_gerr(fx_book(fx_desk, "BUC-G1", "2026-11-30T10:00",
	    "2026-11-30T11:00", FX_EMAIL, NULL), GERR_CLOSED, "R4");
	fx_mail_compose();
	ck_assert_int_ge(fx_sql_int("SELECT count(*) FROM mail WHERE body "
	    "LIKE '%grève%'"), n + 1);
}
END_TEST

/* R13 on CAMPUS lists each library's bookings as a library's closure
 * does: one already ended that day is left as it is. */
START_TEST(test_r13_a_campus_closure_leaves_the_bookings_ended_that_day)
{
	const struct account	*ref = fx_account("ref.buc");
	json_t			*res = NULL, *b;
	char			 a[UUID_LEN];
	size_t			 i;
	enum gerr		 e;

	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-30T10:00",
	    "2026-11-30T11:00", FX_EMAIL, a));
	fx_clock("2026-11-30", "12:00");
	e = fx_op(ref, "close", json_pack("{s:s,s:s,s:s}", "establishment",
	    "CAMPUS", "date", "2026-11-30", "reason", "grève"), &res);
	ck_assert(e == GERR_OK || e == GERR_NEEDS_CONFIRMATION);
	json_array_foreach(json_object_get(res, "to_cancel"), i, b)
		ck_assert_str_ne(json_string_value(json_object_get(b, "id")),
		    a);
	json_array_foreach(json_object_get(res, "cancelled"), i, b)
		ck_assert_str_ne(json_string_value(json_object_get(b, "id")),
		    a);
	json_decref(res);
	ck_assert_int_eq(fx_status(a), STATUS_CONFIRMED);
}
END_TEST

/* The change log's entries of the last operations, as a desk pulls them:
 * [{"entity", "data"}...] after a sequence number. */
static json_t *
changes_after(int64_t seq)
{
	sqlite3_stmt	*st;
	json_t		*list = json_array();

	ck_assert_int_eq(sqlite3_prepare_v2(fx_store->db, "SELECT entity, "
	    "data FROM change_log WHERE seq > ? ORDER BY seq", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, seq);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:s,s:o}", "entity",
		    sqlite3_column_text(st, 0), "data", json_loads((const char *)
		    sqlite3_column_text(st, 1), 0, NULL)));
	sqlite3_finalize(st);
	return (list);
}

/* A desk's replica follows: a cancelled session goes, a library's
 * information and code arrive whole, a disabled account is disabled. */
START_TEST(test_a_desks_replica_follows_sessions_libraries_and_accounts)
{
	int64_t	 seq = fx_sql_int("SELECT max(seq) FROM change_log");
	json_t	*changes;
	char	 sql[256];

	fx_assert_ok(fx_book(fx_desk, "T-WS", "2026-11-27T14:00",
	    "2026-11-27T15:30", FX_EMAIL, NULL));
	fx_assert_ok(fx_op(fx_account("ref.ateliers"), "session_cancel",
	    json_pack("{s:s,s:s,s:s}", "resource", "T-WS", "start",
	    "2026-11-27T14:00", "reason", "intervenant malade"), NULL));
	fx_assert_ok(fx_op(fx_admin, "establishment_set", json_pack("{s:s,s:s,"
	    "s:s}", "establishment", "TST", "info", "Accès par le parvis",
	    "checkin_code", "TST-7777"), NULL));
	fx_assert_ok(fx_op(fx_admin, "account_set", json_pack("{s:s,s:b}",
	    "login", "desk.crog", "enabled", 0), NULL));
	changes = changes_after(seq);
	/* The replica as it was before (the session back, the old state). */
	snprintf(sql, sizeof sql, "INSERT INTO session (resource_id, start, "
	    "end, places) SELECT id, %lld, %lld, 3 FROM resource WHERE code = "
	    "'T-WS'", (long long)fx_local("2026-11-27", "14:00"),
	    (long long)fx_local("2026-11-27", "15:30"));
	fx_sql(sql);
	fx_sql("UPDATE booking SET session_id = (SELECT max(id) FROM session) "
	    "WHERE resource_id = (SELECT id FROM resource WHERE code = 'T-WS')");
	fx_sql("UPDATE establishment SET info = '', checkin_code = 'TST-0001' "
	    "WHERE code = 'TST'");
	fx_sql("UPDATE account SET enabled = 1 WHERE login = 'desk.crog'");
	ck_assert_ptr_null(replica_apply_in(fx_store, changes));
	json_decref(changes);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM session s JOIN "
	    "resource r ON r.id = s.resource_id WHERE r.code = 'T-WS'"), 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM booking WHERE "
	    "session_id IS NOT NULL AND resource_id = (SELECT id FROM resource "
	    "WHERE code = 'T-WS')"), 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM establishment WHERE "
	    "code = 'TST' AND info = 'Accès par le parvis' AND checkin_code = "
	    "'TST-7777'"), 1);
	ck_assert_int_eq(fx_sql_int("SELECT enabled FROM account WHERE login = "
	    "'desk.crog'"), 0);
}
END_TEST

Suite *
suite_staff(void)
{
	Suite	*s = suite_create("staff");
	TCase	*tc;

	tc = tcase_create("matrix");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc,
	    test_the_staff_operations_follow_the_charters_matrix, 0, sizeof matrix /
	    sizeof matrix[0]);
	suite_add_tcase(s, tc);
	tc = tcase_create("staff");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc,
	    test_a_new_resource_is_bookable_at_once_with_its_policy);
	tcase_add_test(tc,
	    test_a_session_keeps_its_booked_places_and_tells_its_patrons);
	tcase_add_test(tc, test_p5_sets_the_public_information_jauge_and_code);
	tcase_add_test(tc,
	    test_p7_a_disabled_account_stops_and_its_sessions_end);
	tcase_add_test(tc, test_a_referent_disables_an_account_it_made);
	tcase_add_test(tc,
	    test_r13_a_campus_closure_cancels_for_the_list_shown_only);
	tcase_add_test(tc,
	    test_r13_a_campus_closure_leaves_the_bookings_ended_that_day);
	tcase_add_test(tc,
	    test_a_desks_replica_follows_sessions_libraries_and_accounts);
	suite_add_tcase(s, tc);
	return (s);
}
