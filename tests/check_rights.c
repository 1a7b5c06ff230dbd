/*
 * Rights (SPEC.md section 4) of the demo accounts, as one table of
 * (account, operation, target, expected code, what the message cites),
 * each row run through op_apply() on a fresh copy of the demo. A refused
 * row must leave the change log as it was; an accepted one adds to it.
 */
#include "config.h"

#include <string.h>

#include <stdlib.h>

#include "fixture.h"
#include "session.h"

enum what {
	BOOK,		/* target: a resource */
	RESOURCE_SET,	/* target: a resource (P9) */
	SESSION_ADD,	/* target: a capacity resource (P9) */
	SETTING,	/* target: a global setting (R12) */
	MESSAGE_ADD,	/* target: an establishment (P2) */
	HOURS_WEEK,	/* target: an establishment (P4) */
	CLOSE,		/* target: an establishment (P4) */
	SWEEP,		/* target: none */
};

static const struct row {
	const char	*login;
	enum what	 what;
	const char	*target;
	enum gerr	 want;
	const char	*cites;		/* in the message, or NULL */
} matrix[] = {
	/* Desk accounts: P8 on their holder, not internal rooms. */
	{ "desk.mirail", BOOK, "BUC-G1", GERR_OK, NULL },
	{ "desk.mirail", BOOK, "CRL-G2", GERR_OK, NULL },
	{ "desk.mirail", BOOK, "BUC-C1", GERR_OK, NULL },
	{ "desk.mirail", BOOK, "CROG-FORM1", GERR_RESOURCE_INTERNAL, "(R8)" },
	{ "desk.mirail", BOOK, "ESPE-G1", GERR_FORBIDDEN, "(P8)" },
	{ "desk.mirail", RESOURCE_SET, "BUC-G1", GERR_FORBIDDEN, "(P9)" },
	{ "desk.mirail", HOURS_WEEK, "BUC", GERR_FORBIDDEN, "(P4)" },
	{ "desk.mirail", MESSAGE_ADD, "BUC", GERR_FORBIDDEN, "(P2)" },
	{ "desk.mirail", SETTING, "max_days_ahead", GERR_FORBIDDEN_R12, "(R12)" },
	{ "desk.mirail", SWEEP, NULL, GERR_FORBIDDEN, "(R5, R6)" },
	{ "desk.crog", BOOK, "CROG-G1", GERR_OK, NULL },
	{ "desk.crog", BOOK, "CLAP-FORM1", GERR_RESOURCE_INTERNAL, "(R8)" },
	{ "desk.espe", BOOK, "BUC-G1", GERR_FORBIDDEN, "(P8)" },
	{ "desk.espe", BOOK, "ESPE-G1", GERR_OK, NULL },
	/* Training rooms: only their referent. */
	{ "ref.formation.crog", BOOK, "CROG-FORM1", GERR_OK, NULL },
	{ "ref.formation.crog", BOOK, "CLAP-FORM1", GERR_RESOURCE_INTERNAL,
	    "(R8)" },
	{ "ref.formation.crog", BOOK, "CROG-G1", GERR_FORBIDDEN, "(P8" },
	{ "ref.formation.crog", RESOURCE_SET, "CROG-FORM1", GERR_OK, NULL },
	{ "ref.formation.clap", BOOK, "CLAP-FORM1", GERR_OK, NULL },
	{ "ref.formation.clap", BOOK, "CROG-FORM1", GERR_RESOURCE_INTERNAL,
	    "(R8)" },
	/* Library referents: group rooms of their library. */
	{ "ref.buc", RESOURCE_SET, "BUC-G1", GERR_OK, NULL },
	{ "ref.buc", RESOURCE_SET, "CRL-G1", GERR_FORBIDDEN, "(P9" },
	{ "ref.buc", RESOURCE_SET, "BUC-C1", GERR_FORBIDDEN, "(P9" },
	{ "ref.buc", BOOK, "BUC-G2", GERR_OK, NULL },
	{ "ref.buc", BOOK, "CRL-G1", GERR_FORBIDDEN, "(P8" },
	{ "ref.buc", BOOK, "CROG-FORM1", GERR_RESOURCE_INTERNAL, "(R8)" },
	{ "ref.buc", SESSION_ADD, "BUC-AT-ZOTERO", GERR_FORBIDDEN, "(P9" },
	{ "ref.buc", SETTING, "max_days_ahead", GERR_FORBIDDEN_R12, "(R12)" },
	{ "ref.buc", SETTING, "allowed_domains", GERR_FORBIDDEN_R12, "(R12)" },
	{ "ref.buc", HOURS_WEEK, "BUC", GERR_OK, NULL },
	{ "ref.buc", HOURS_WEEK, "CAMPUS", GERR_OK, NULL },
	{ "ref.buc", HOURS_WEEK, "CRL", GERR_FORBIDDEN, "(P4)" },
	{ "ref.buc", MESSAGE_ADD, "BUC", GERR_OK, NULL },
	{ "ref.buc", MESSAGE_ADD, "CAMPUS", GERR_FORBIDDEN, "(charter 2.2.1" },
	{ "ref.buc", MESSAGE_ADD, "ESPE", GERR_FORBIDDEN, "(P2)" },
	{ "ref.buc", CLOSE, "BUC", GERR_OK, NULL },
	{ "ref.buc", CLOSE, "CLAP", GERR_FORBIDDEN, "(P4)" },
	{ "ref.crl", RESOURCE_SET, "CRL-G1", GERR_OK, NULL },
	{ "ref.crl", RESOURCE_SET, "BUC-G1", GERR_FORBIDDEN, "(P9" },
	{ "ref.espe", RESOURCE_SET, "ESPE-G1", GERR_OK, NULL },
	{ "ref.espe", BOOK, "BUC-G1", GERR_FORBIDDEN, "(P8)" },
	/* Communication: messages of CRL only. */
	{ "ref.com", MESSAGE_ADD, "CRL", GERR_OK, NULL },
	{ "ref.com", MESSAGE_ADD, "BUC", GERR_FORBIDDEN, "(P2)" },
	{ "ref.com", MESSAGE_ADD, "CAMPUS", GERR_FORBIDDEN, "(P2)" },
	{ "ref.com", HOURS_WEEK, "CRL", GERR_FORBIDDEN, "(P4)" },
	{ "ref.com", BOOK, "CRL-G1", GERR_FORBIDDEN, "(P8)" },
	{ "ref.com", RESOURCE_SET, "CRL-G1", GERR_FORBIDDEN, "(P9)" },
	/* Workshops and visits. */
	{ "ref.ateliers", RESOURCE_SET, "BUC-AT-ZOTERO", GERR_OK, NULL },
	{ "ref.ateliers", SESSION_ADD, "BUC-AT-ZOTERO", GERR_OK, NULL },
	{ "ref.ateliers", SESSION_ADD, "CROG-AT-BIBLIO", GERR_OK, NULL },
	{ "ref.ateliers", RESOURCE_SET, "BUC-G1", GERR_FORBIDDEN, "(P9" },
	{ "ref.ateliers", SESSION_ADD, "BUC-VISITE", GERR_FORBIDDEN, "(P9" },
	{ "ref.visites.buc", SESSION_ADD, "BUC-VISITE", GERR_OK, NULL },
	{ "ref.visites.buc", SESSION_ADD, "CROG-VISITE", GERR_FORBIDDEN,
	    "(P9" },
	{ "ref.visites.crog", RESOURCE_SET, "CROG-VISITE", GERR_OK, NULL },
	{ "ref.visites.crog", RESOURCE_SET, "BUC-VISITE", GERR_FORBIDDEN,
	    "(P9" },
	/* The super-administrator. */
	{ "admin", SETTING, "max_days_ahead", GERR_OK, NULL },
	{ "admin", SETTING, "allowed_domains", GERR_OK, NULL },
	{ "admin", BOOK, "CLAP-FORM1", GERR_OK, NULL },
	{ "admin", RESOURCE_SET, "ESPE-G2", GERR_OK, NULL },
	{ "admin", HOURS_WEEK, "ESPE", GERR_OK, NULL },
	{ "admin", MESSAGE_ADD, "CAMPUS", GERR_OK, NULL },
	{ "admin", SWEEP, NULL, GERR_OK, NULL },
};
#define NROWS	((int)(sizeof matrix / sizeof matrix[0]))

/*
 * Thursday 2026-12-10: two weeks ahead, past the demo's bookings (which
 * end ten days after today), inside R1's window, every library open.
 */
static json_t *
payload(const struct row *r)
{
	switch (r->what) {
	case BOOK:
		return (json_pack("{s:s,s:s,s:s,s:s,s:s}", "resource",
		    r->target, "start", "2026-12-10T10:00", "end",
		    "2026-12-10T11:00", "email", "rights@etu.univ-tlse2.fr",
		    "origin", "phone"));
	case RESOURCE_SET:
		return (json_pack("{s:s,s:s}", "resource", r->target,
		    "confirm_message", "Merci de venir a l'heure."));
	case SESSION_ADD:
		return (json_pack("{s:s,s:s,s:s,s:i}", "resource", r->target,
		    "start", "2026-12-10T16:00", "end", "2026-12-10T17:30",
		    "places", 5));
	case SETTING:
		return (json_pack("{s:s,s:s}", "key", r->target, "value",
		    strcmp(r->target, "allowed_domains") == 0 ?
		    "univ-tlse2.fr" : "40"));
	case MESSAGE_ADD:
		return (json_pack("{s:s,s:s,s:s,s:s,s:s}", "establishment",
		    r->target, "kind", "event", "text", "Conference", "from",
		    "2026-12-01T08:00", "to", "2026-12-02T20:00"));
	case HOURS_WEEK:
		/* Longer hours: no booking left outside them (R13). */
		return (json_pack("{s:s,s:i,s:s,s:s}", "establishment",
		    r->target, "weekday", 6, "open", "07:00", "close",
		    "21:00"));
	case CLOSE:
		return (json_pack("{s:s,s:s,s:s,s:b}", "establishment",
		    r->target, "date", "2026-12-25", "reason", "Noel",
		    "confirm", 1));
	case SWEEP:
		return (json_object());
	}
	return (NULL);
}

static const char *const kinds[] = {
	[BOOK] = "book", [RESOURCE_SET] = "resource_set",
	[SESSION_ADD] = "session_add", [SETTING] = "setting",
	[MESSAGE_ADD] = "message_add", [HOURS_WEEK] = "hours_week",
	[CLOSE] = "close", [SWEEP] = "sweep",
};

START_TEST(test_the_spec_matrix_of_rights_holds_through_the_door)
{
	const struct row	*r = &matrix[_i];
	struct account		*a = fx_account(r->login);
	int64_t			 before, after;
	json_t			*res = NULL;
	enum gerr		 e;

	before = fx_sql_int("SELECT count(*) FROM change_log");
	e = fx_op(a, kinds[r->what], payload(r), &res);
	ck_assert_msg(e == r->want, "%s %s %s: expected %s, got %s: %s",
	    r->login, kinds[r->what], r->target ? r->target : "",
	    gerr_code(r->want), gerr_code(e), fx_err.msg);
	after = fx_sql_int("SELECT count(*) FROM change_log");
	if (e == GERR_OK) {
		ck_assert_ptr_nonnull(res);
		/* A sweep may find nothing to log; every other op logs. */
		if (r->what != SWEEP)
			ck_assert_int_gt(after, before);
	} else {
		ck_assert_int_eq(after, before);
		ck_assert_msg(strstr(fx_err.msg, r->cites) != NULL,
		    "%s %s %s: message does not cite %s: %s", r->login,
		    kinds[r->what], r->target ? r->target : "", r->cites,
		    fx_err.msg);
		if (r->what != SWEEP)
			ck_assert_msg(strstr(fx_err.msg, r->login) != NULL,
			    "message does not name the account: %s",
			    fx_err.msg);
	}
	json_decref(res);
}
END_TEST

/* A disabled account may do nothing, whatever its grants. */
START_TEST(test_a_disabled_account_may_do_nothing)
{
	struct account	*a;

	fx_sql("UPDATE account SET enabled = 0 WHERE login = 'ref.buc'");
	a = fx_account("ref.buc");
	fx_assert_gerr(fx_op(a, "hours_week", json_pack("{s:s,s:i,s:b}",
	    "establishment", "BUC", "weekday", 6, "closed", 1), NULL),
	    GERR_FORBIDDEN, "disabled");
}
END_TEST

/* A change to another resource needs P8 on both. */
START_TEST(test_a_change_to_another_resource_needs_p8_on_both)
{
	struct account	*ref = fx_account("ref.buc");
	json_t		*res = NULL;
	char		 id[UUID_LEN];

	fx_assert_ok(fx_op(ref, "book", json_pack("{s:s,s:s,s:s,s:s}",
	    "resource", "BUC-G1", "start", "2026-12-10T10:00", "end",
	    "2026-12-10T11:00", "email", FX_EMAIL), &res));
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(res,
	    "id")));
	json_decref(res);
	fx_assert_gerr(fx_op(ref, "change", json_pack("{s:s,s:s}", "id", id,
	    "resource", "CRL-G1"), NULL), GERR_FORBIDDEN, "(P8");
	fx_assert_ok(fx_op(ref, "change", json_pack("{s:s,s:s}", "id", id,
	    "resource", "BUC-G2"), NULL));
	/* The ESPE desk may not cancel a Mirail booking. */
	fx_assert_gerr(fx_op(fx_account("desk.espe"), "cancel",
	    json_pack("{s:s,s:s}", "id", id, "reason", "x"), NULL),
	    GERR_FORBIDDEN, "(P8)");
	ck_assert_int_eq(fx_status(id), STATUS_CONFIRMED);
}
END_TEST

static enum gerr
grant(const struct account *a, const char *login, const char *est,
    const char *perms, const char *types, const char *library)
{
	return (fx_op(a, "grant", json_pack("{s:s,s:s,s:s,s:s?,s:s?}",
	    "login", login, "establishment", est, "perms", perms, "types",
	    types, "library", library), NULL));
}

/* P7: accounts are managed by those who hold P7, and one grants only
 * what one holds, within one's own scope. */
START_TEST(test_p7_one_grants_only_what_one_holds_in_ones_scope)
{
	struct account	*buc = fx_account("ref.buc");
	struct account	*crl = fx_account("ref.crl"), *agent;
	char		*hash = account_hash_password("correct horse");

	fx_assert_gerr(fx_op(fx_desk, "account_add", json_pack("{s:s,s:s}",
	    "login", "agent.x", "password_hash", hash), NULL),
	    GERR_FORBIDDEN, "(P7)");
	fx_assert_gerr(fx_op(buc, "account_add", json_pack("{s:s,s:s}",
	    "login", "agent.buc", "password_hash", "secret"), NULL),
	    GERR_BAD_REQUEST, NULL);
	fx_assert_ok(fx_op(buc, "account_add", json_pack("{s:s,s:s}",
	    "login", "agent.buc", "password_hash", hash), NULL));
	free(hash);
	/* Within ref.buc's own: BUC's group rooms on UJJ; P5 on BUC. */
	fx_assert_ok(grant(buc, "agent.buc", "UJJ", "P8", "group_room",
	    "BUC"));
	fx_assert_ok(grant(buc, "agent.buc", "BUC", "P5", NULL, NULL));
	/* Wider than its own scope, a permission it lacks, elsewhere. */
	fx_assert_gerr(grant(buc, "agent.buc", "UJJ", "P8", NULL, NULL),
	    GERR_FORBIDDEN, "(P7)");
	fx_assert_gerr(grant(buc, "agent.buc", "UJJ", "P8", "group_room",
	    "CRL"), GERR_FORBIDDEN, "(P7)");
	fx_assert_gerr(grant(buc, "agent.buc", "UJJ", "P1", NULL, NULL),
	    GERR_FORBIDDEN, "(P7)");
	fx_assert_gerr(grant(crl, "agent.buc", "BUC", "P5", NULL, NULL),
	    GERR_FORBIDDEN, "(P7)");
	fx_assert_gerr(grant(buc, "agent.buc", "UJJ", "P8", "group_rooms",
	    "BUC"), GERR_BAD_REQUEST, NULL);
	/* The grant is what the new account may do, and no more. */
	ck_assert_int_eq(account_load(fx_store, "agent.buc", &agent), GERR_OK);
	fx_assert_ok(fx_book(agent, "BUC-G1", "2026-11-30T19:00",
	    "2026-11-30T20:00", FX_EMAIL, NULL));
	fx_assert_gerr(fx_book(agent, "CRL-G1", "2026-11-30T16:00",
	    "2026-11-30T17:00", FX_EMAIL, NULL), GERR_FORBIDDEN, "(P8");
	account_free(agent);
	/* Revoked, gone; a password is one's own to change. */
	fx_assert_ok(fx_op(buc, "revoke", json_pack("{s:s,s:s}", "login",
	    "agent.buc", "establishment", "UJJ"), NULL));
	ck_assert_int_eq(account_load(fx_store, "agent.buc", &agent), GERR_OK);
	fx_assert_gerr(fx_book(agent, "BUC-G2", "2026-11-30T19:00",
	    "2026-11-30T20:00", FX_EMAIL, NULL), GERR_FORBIDDEN, "(P8)");
	account_free(agent);
	hash = account_hash_password("another one");
	fx_assert_gerr(fx_op(fx_desk, "passwd", json_pack("{s:s,s:s}", "login",
	    "ref.buc", "password_hash", hash), NULL), GERR_FORBIDDEN, NULL);
	fx_assert_ok(fx_op(fx_desk, "passwd", json_pack("{s:s}",
	    "password_hash", hash), NULL));
	free(hash);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM change_log WHERE "
	    "entity = 'account' AND entity_id = 'agent.buc' AND data NOT "
	    "LIKE '%argon2%'"), 4);
}
END_TEST

/*
 * Grant scopes compared (SPEC section 4, P7): each row is two scopes A
 * and B of P8 on UJJ, and whether A may give B and B may give A. Run in
 * both directions, for a grant and for a revoke (one revokes only what
 * one could have granted). An empty exclusion list is the widest; naming
 * an internal type is never narrower than "all types" (R8).
 */
static const struct scope_case {
	const char	*a_types, *a_exclude, *a_library, *a_resources;
	const char	*b_types, *b_exclude, *b_library, *b_resources;
	int		 a_gives_b, b_gives_a;
} scope_cases[] = {
	/* No exclusion is wider than an exclusion. */
	{ "", "", NULL, "", "", "carrel", NULL, "", 1, 0 },
	{ "", "carrel", NULL, "", "", "carrel,equipment", NULL, "", 1, 0 },
	/* All types does not reach internal rooms: naming one is not
	 * narrower, in either direction. */
	{ "", "", NULL, "", "training_room", "", NULL, "", 0, 0 },
	{ "", "", NULL, "", "meeting_room", "", "CROG", "", 0, 0 },
	/* A public type named is narrower than all types... */
	{ "", "", NULL, "", "group_room", "", NULL, "", 1, 0 },
	/* ...unless all types excluded it. */
	{ "", "carrel", NULL, "", "carrel", "", NULL, "", 0, 0 },
	{ "", "carrel", NULL, "", "group_room", "", NULL, "", 1, 0 },
	/* Lists of types, libraries. */
	{ "group_room,carrel", "", NULL, "", "group_room", "", NULL, "", 1, 0 },
	{ "group_room", "", NULL, "", "group_room", "", "BUC", "", 1, 0 },
	{ "group_room", "", "BUC", "", "group_room", "", "CRL", "", 0, 0 },
	{ "group_room", "", "BUC", "", "group_room", "", "BUC", "", 1, 1 },
	/* Named resources: within the other scope, resource by resource. */
	{ "", "", NULL, "BUC-G1,BUC-G2", "", "", NULL, "BUC-G1", 1, 0 },
	{ "group_room", "", "BUC", "", "", "", NULL, "BUC-G1", 1, 0 },
	{ "group_room", "", "BUC", "", "", "", NULL, "CRL-G1", 0, 0 },
	{ "", "", NULL, "", "", "", NULL, "CROG-FORM1", 0, 0 },
	{ "training_room", "", "CROG", "", "", "", NULL, "CROG-FORM1", 1, 0 },
};
#define NSCOPES	((int)(sizeof scope_cases / sizeof scope_cases[0]))

/* Add a grant of P8 (and P7 if asked) on UJJ to login, as fixture data. */
static void
scope_grant(const char *login, const char *perms_sql, const char *types,
    const char *exclude, const char *library, const char *resources)
{
	char	sql[1024];

	snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO account (login, name, "
	    "password_hash) VALUES ('%s', '%s', 'x'); INSERT INTO "
	    "account_grant (account_id, establishment_id, perms, scope_types, "
	    "scope_exclude, scope_library, scope_resources) SELECT a.id, e.id, "
	    "%s, '%s', '%s', (SELECT id FROM establishment WHERE code = '%s'), "
	    "'%s' FROM account a, establishment e WHERE a.login = '%s' AND "
	    "e.code = 'UJJ'", login, login, perms_sql, types, exclude,
	    library != NULL ? library : "", resources, login);
	fx_sql(sql);
}

/* _i: case * 4 + direction (A to B, B to A) * 2 + grant or revoke. */
START_TEST(test_p7_grants_and_revokes_follow_the_scopes)
{
	const struct scope_case	*k = &scope_cases[_i / 4];
	int			 ba = (_i / 2) % 2, revoke = _i % 2;
	const char		*gt = ba ? k->b_types : k->a_types;
	const char		*gx = ba ? k->b_exclude : k->a_exclude;
	const char		*gl = ba ? k->b_library : k->a_library;
	const char		*gr = ba ? k->b_resources : k->a_resources;
	const char		*nt = ba ? k->a_types : k->b_types;
	const char		*nx = ba ? k->a_exclude : k->b_exclude;
	const char		*nl = ba ? k->a_library : k->b_library;
	const char		*nr = ba ? k->a_resources : k->b_resources;
	int			 want = ba ? k->b_gives_a : k->a_gives_b;
	struct account		*granter;
	json_t			*p;
	int64_t			 before;
	enum gerr		 e;

	/* P7 for the granter on its own grant row, so that the scope of
	 * P8 is the one compared. */
	scope_grant("granter", "192", gt, gx, gl, gr);
	granter = fx_account("granter");
	if (revoke) {
		scope_grant("target", "128", nt, nx, nl, nr);
		before = fx_sql_int("SELECT count(*) FROM account_grant g JOIN "
		    "account a ON a.id = g.account_id WHERE a.login = "
		    "'target'");
		e = fx_op(granter, "revoke", json_pack("{s:s,s:s}", "login",
		    "target", "establishment", "UJJ"), NULL);
		ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM account_grant "
		    "g JOIN account a ON a.id = g.account_id WHERE a.login = "
		    "'target'"), (want ? before - 1 : before));
	} else {
		fx_sql("INSERT INTO account (login, name, password_hash) "
		    "VALUES ('target', 'target', 'x')");
		p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "login", "target",
		    "establishment", "UJJ", "perms", "P8", "types", nt,
		    "exclude", nx, "resources", nr);
		if (nl != NULL)
			json_object_set_new(p, "library", json_string(nl));
		e = fx_op(granter, "grant", p, NULL);
		ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM account_grant "
		    "g JOIN account a ON a.id = g.account_id WHERE a.login = "
		    "'target'"), (want ? 1 : 0));
	}
	ck_assert_msg(want ? e == GERR_OK : e == GERR_FORBIDDEN,
	    "case %d, %s gives {types '%s' exclude '%s' library %s resources "
	    "'%s'} %s: %s", _i / 4, ba ? "B" : "A", nt, nx, nl ? nl : "-", nr,
	    revoke ? "(revoke)" : "(grant)", e == GERR_OK ? "accepted" :
	    fx_err.msg);
	if (!want)
		ck_assert_ptr_nonnull(strstr(fx_err.msg, "(P7"));
}
END_TEST

/* A referent cannot strip another library's desk of its grants. */
START_TEST(test_a_referent_cannot_strip_another_librarys_desk)
{
	struct account	*buc = fx_account("ref.buc");
	struct account	*desk;

	fx_assert_gerr(fx_op(buc, "revoke", json_pack("{s:s,s:s}", "login",
	    "desk.crog", "establishment", "UJJ"), NULL), GERR_FORBIDDEN,
	    "(P7");
	desk = fx_account("desk.crog");
	ck_assert_uint_eq(desk->ngrants, 1);
	fx_assert_ok(fx_book(desk, "CROG-G1", "2026-12-10T10:00",
	    "2026-12-10T11:00", FX_EMAIL, NULL));
	/* Nor ref.crl's own grants on UJJ. */
	fx_assert_gerr(fx_op(buc, "revoke", json_pack("{s:s,s:s}", "login",
	    "ref.crl", "establishment", "UJJ"), NULL), GERR_FORBIDDEN, "(P7");
}
END_TEST

/* Charter 2.2.1: one account per library manages its users (P7). */
START_TEST(test_one_account_per_library_holds_p7)
{
	struct account	*buc = fx_account("ref.buc");

	fx_sql("INSERT INTO account (login, name, password_hash) VALUES "
	    "('second.buc', 'Second', 'x')");
	fx_assert_gerr(grant(buc, "second.buc", "BUC", "P7", NULL, NULL),
	    GERR_FORBIDDEN, "(charter 2.2.1)");
	fx_assert_gerr(grant(fx_admin, "second.buc", "BUC", "P5 P7", NULL,
	    NULL), GERR_FORBIDDEN, "ref.buc");
	fx_assert_gerr(grant(fx_admin, "second.buc", "UJJ", "P7 P8",
	    "group_room", "BUC"), GERR_FORBIDDEN, "(charter 2.2.1)");
	/* Other permissions, and P7 for another library, are fine. */
	fx_assert_ok(grant(fx_admin, "second.buc", "BUC", "P5", NULL, NULL));
	fx_assert_ok(grant(fx_admin, "ref.buc", "BUC", "P7", NULL, NULL));
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM account_grant g JOIN "
	    "account a ON a.id = g.account_id WHERE a.login = 'second.buc' "
	    "AND (g.perms & 64) != 0"), 0);
}
END_TEST

/* Charter 2.2.1: on CAMPUS, a library's referent posts pop-ups, not
 * events. */
START_TEST(test_on_campus_a_librarys_referent_posts_popups_only)
{
	struct account	*buc = fx_account("ref.buc");

	fx_assert_gerr(fx_op(buc, "message_add", json_pack("{s:s,s:s,s:s,s:s,"
	    "s:s}", "establishment", "CAMPUS", "kind", "event", "text", "Expo",
	    "from", "2026-12-01T08:00", "to", "2026-12-02T20:00"), NULL),
	    GERR_FORBIDDEN, "P2)");
	fx_assert_ok(fx_op(buc, "message_add", json_pack("{s:s,s:s,s:s,s:s,"
	    "s:s}", "establishment", "CAMPUS", "kind", "popup", "text", "Wifi",
	    "from", "2026-12-01T08:00", "to", "2026-12-02T20:00"), NULL));
	fx_assert_ok(fx_op(buc, "message_add", json_pack("{s:s,s:s,s:s,s:s,"
	    "s:s}", "establishment", "BUC", "kind", "event", "text", "Expo",
	    "from", "2026-12-01T08:00", "to", "2026-12-02T20:00"), NULL));
	fx_assert_ok(fx_op(fx_admin, "message_add", json_pack("{s:s,s:s,s:s,"
	    "s:s,s:s}", "establishment", "CAMPUS", "kind", "event", "text",
	    "Expo", "from", "2026-12-01T08:00", "to", "2026-12-02T20:00"),
	    NULL));
}
END_TEST

/*
 * A password changed ends the account's other sessions in its own
 * transaction, on every backend (the core's op, not the server's reply):
 * one's own goes on through the session that changed it, and an
 * administrator's change of another's password ends them all.
 */
START_TEST(test_a_new_password_ends_the_other_sessions)
{
	char		 mine[SESSION_TOKEN_LEN], other[SESSION_TOKEN_LEN];
	char		*hash;
	int64_t		 expires;
	struct gerror	 err;

	ck_assert_int_eq(session_open(fx_store, fx_desk->login, 8, mine,
	    &expires, &err), GERR_OK);
	ck_assert_int_eq(session_open(fx_store, fx_desk->login, 8, other,
	    &expires, &err), GERR_OK);
	session_digest(mine, fx_desk->session);
	hash = account_hash_password("a new one");
	fx_assert_ok(fx_op(fx_desk, "passwd", json_pack("{s:s}",
	    "password_hash", hash), NULL));
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM session_token "
	    "WHERE account = 'desk.mirail'"), 1);
	ck_assert_int_eq(session_find(fx_store, mine, fx_desk->login,
	    &expires), GERR_OK);
	ck_assert_int_eq(session_find(fx_store, other, fx_desk->login,
	    &expires), GERR_BAD_LOGIN);
	/* Refused, nothing ends. */
	fx_assert_gerr(fx_op(fx_desk, "passwd", json_pack("{s:s,s:s}", "login",
	    "ref.buc", "password_hash", hash), NULL), GERR_FORBIDDEN, NULL);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM session_token "
	    "WHERE account = 'desk.mirail'"), 1);
	fx_assert_ok(fx_op(fx_admin, "passwd", json_pack("{s:s,s:s}", "login",
	    "desk.mirail", "password_hash", hash), NULL));
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM session_token "
	    "WHERE account = 'desk.mirail'"), 0);
	fx_desk->session[0] = '\0';
	free(hash);
}
END_TEST

Suite *
suite_rights(void)
{
	Suite	*s = suite_create("rights");
	TCase	*tc;

	tc = tcase_create("matrix");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc,
	    test_the_spec_matrix_of_rights_holds_through_the_door, 0, NROWS);
	tcase_add_test(tc, test_a_disabled_account_may_do_nothing);
	tcase_add_test(tc, test_a_change_to_another_resource_needs_p8_on_both);
	tcase_add_test(tc,
	    test_p7_one_grants_only_what_one_holds_in_ones_scope);
	suite_add_tcase(s, tc);

	tc = tcase_create("charter");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc,
	    test_p7_grants_and_revokes_follow_the_scopes, 0, NSCOPES * 4);
	tcase_add_test(tc, test_a_referent_cannot_strip_another_librarys_desk);
	tcase_add_test(tc, test_one_account_per_library_holds_p7);
	tcase_add_test(tc, test_a_new_password_ends_the_other_sessions);
	tcase_add_test(tc,
	    test_on_campus_a_librarys_referent_posts_popups_only);
	suite_add_tcase(s, tc);
	return (s);
}
