/*
 * Rights: every write is checked here against the grants of the account
 * that made it, by the desk and again by the backend. A refusal says which
 * permission was missing and where, so a screen can show it as is.
 */
#include "config.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "rights.h"
#include "xmalloc.h"

/* Whether word is one of the comma-separated items of list. */
static int
in_list(const char *list, const char *word)
{
	size_t		 n = strlen(word);
	const char	*p = list;

	while (*p != '\0') {
		const char	*end = strchr(p, ',');
		size_t		 len = end != NULL ? (size_t)(end - p) :
				    strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return (1);
		if (end == NULL)
			break;
		p = end + 1;
	}
	return (0);
}

enum gerr
account_logins(struct store *s, json_t **out)
{
	sqlite3_stmt	*st = store_stmt(s, "SELECT login FROM account ORDER BY "
			    "login");
	int		 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(*out, json_string((const char *)
		    sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? GERR_OK : GERR_STORAGE);
}

struct account *
account_actor(enum actor actor, const char *login)
{
	struct account	*a = xcalloc(1, sizeof *a);

	a->actor = actor;
	a->enabled = 1;
	strlcpy_g(a->login, login, sizeof a->login);
	return (a);
}

void
account_free(struct account *a)
{
	if (a == NULL)
		return;
	free(a->grants);
	free(a);
}

enum gerr
account_load(struct store *s, const char *login, struct account **out)
{
	sqlite3_stmt	*st;
	struct account	*a;
	struct grant	*g;
	int		 rc;

	*out = NULL;
	st = store_stmt(s, "SELECT id, login, name, enabled, superadmin "
	    "FROM account WHERE login = ?");
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return (rc == SQLITE_DONE ? GERR_NOT_FOUND : GERR_STORAGE);
	}
	a = account_actor(ACTOR_STAFF, (const char *)sqlite3_column_text(st,
	    1));
	a->id = sqlite3_column_int64(st, 0);
	strlcpy_g(a->name, (const char *)sqlite3_column_text(st, 2),
	    sizeof a->name);
	a->enabled = sqlite3_column_int(st, 3);
	a->superadmin = sqlite3_column_int(st, 4);
	sqlite3_reset(st);

	st = store_stmt(s, "SELECT g.establishment_id, e.code, g.perms, "
	    "g.scope_types, g.scope_exclude, g.scope_library, "
	    "coalesce(l.code, ''), g.scope_resources FROM account_grant g "
	    "JOIN establishment e ON e.id = g.establishment_id "
	    "LEFT JOIN establishment l ON l.id = g.scope_library "
	    "WHERE g.account_id = ? ORDER BY g.id");
	sqlite3_bind_int64(st, 1, a->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->grants = xreallocarray(a->grants, a->ngrants + 1,
		    sizeof *a->grants);
		g = &a->grants[a->ngrants++];
		memset(g, 0, sizeof *g);
		g->establishment_id = sqlite3_column_int64(st, 0);
		strlcpy_g(g->establishment, (const char *)
		    sqlite3_column_text(st, 1), sizeof g->establishment);
		g->perms = (unsigned)sqlite3_column_int(st, 2);
		strlcpy_g(g->types, (const char *)sqlite3_column_text(st, 3),
		    sizeof g->types);
		strlcpy_g(g->exclude, (const char *)sqlite3_column_text(st, 4),
		    sizeof g->exclude);
		g->library_id = sqlite3_column_int64(st, 5);
		strlcpy_g(g->library, (const char *)sqlite3_column_text(st, 6),
		    sizeof g->library);
		strlcpy_g(g->resources, (const char *)sqlite3_column_text(st,
		    7), sizeof g->resources);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		account_free(a);
		return (GERR_STORAGE);
	}
	*out = a;
	return (GERR_OK);
}

char *
account_hash_password(const char *password)
{
	char	hash[crypto_pwhash_STRBYTES];

	if (crypto_pwhash_str(hash, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		fatalx("account_hash_password: out of memory");
	return (xstrdup(hash));
}

int
account_hash_bounded(const char *hash)
{
	unsigned	m, t, p;
	int		n = 0;

	/* Ours: argon2id, version 19, at most the memory and passes we use
	 * ourselves (and two passes more), one lane. A hash costlier than
	 * that would let one account make every login of it slow. */
	if (sscanf(hash, "$argon2id$v=19$m=%u,t=%u,p=%u$%n", &m, &t, &p,
	    &n) != 3 || n == 0)
		return (0);
	return (m >= 8 && m <= crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024 &&
	    t >= 1 && t <= crypto_pwhash_OPSLIMIT_INTERACTIVE + 2 && p == 1 &&
	    strlen(hash) < crypto_pwhash_STRBYTES);
}

static pthread_once_t	dummy_once = PTHREAD_ONCE_INIT;
static char		dummy_hash[crypto_pwhash_STRBYTES];

static void
dummy_make(void)
{
	if (crypto_pwhash_str(dummy_hash, "guichet", 7,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		fatalx("account_login: out of memory");
}

enum gerr
account_login(struct store *s, const char *login, const char *password,
    struct account **out, struct gerror *err)
{
	sqlite3_stmt	*st;
	char		*hash = NULL;
	int		 ok = 0, rc;
	enum gerr	 e;

	*out = NULL;
	st = store_stmt(s, "SELECT password_hash FROM account WHERE login = ? "
	    "AND enabled = 1");
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		hash = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_error(s, err, _("logging in")));
	if (hash != NULL && !account_hash_bounded(hash)) {
		/* Not a hash we would make: never worth its cost. */
		fprintf(stderr, _("guichet: the password hash of '%s' is not "
		    "one guichet makes: set its password again\n"), login);
		free(hash);
		hash = NULL;
	}
	if (hash != NULL) {
		ok = crypto_pwhash_str_verify(hash, password,
		    strlen(password)) == 0;
		free(hash);
	} else {
		/* An unknown account costs one hash too, so the time of
		 * the answer does not tell which accounts exist. */
		pthread_once(&dummy_once, dummy_make);
		/* Its answer is thrown away (a (void) cast does not quiet
		 * warn_unused_result in GCC): ok stays 0. */
		if (crypto_pwhash_str_verify(dummy_hash, password,
		    strlen(password)) == 0)
			ok = 0;
	}
	/* The same answer for an unknown account and a wrong password. */
	if (!ok)
		return (gerror_set(err, GERR_BAD_LOGIN, _("login refused for "
		    "'%s': unknown account or wrong password"), login));
	if ((e = account_load(s, login, out)) != GERR_OK)
		return (gerror_set(err, e, _("cannot load account '%s'"), login));
	return (GERR_OK);
}

/* Whether a grant's scope covers a resource (P8, P9). */
static int
scope_covers(const struct grant *g, const struct resource *r)
{
	const char	*type = rtype_name(r->type);
	int		 named = 0;

	if (g->resources[0] != '\0') {
		if (!in_list(g->resources, r->code))
			return (0);
		named = 1;
	}
	if (g->types[0] != '\0') {
		if (!in_list(g->types, type))
			return (0);
		named = 1;
	}
	if (in_list(g->exclude, type))
		return (0);
	if (g->library_id != 0 && g->library_id != r->library_id)
		return (0);
	/* R8: internal planning only for scopes that name it. */
	if (resource_internal(r) && !named)
		return (0);
	return (1);
}

enum gerr
rights_check(struct store *s, const struct account *a, unsigned perm,
    int64_t establishment_id, struct gerror *err)
{
	struct establishment	e;
	size_t			i;

	if (a->actor == ACTOR_SYSTEM || a->superadmin)
		return (GERR_OK);
	if (a->actor == ACTOR_STAFF && a->enabled) {
		for (i = 0; i < a->ngrants; i++) {
			if (a->grants[i].establishment_id ==
			    establishment_id && (a->grants[i].perms & perm))
				return (GERR_OK);
		}
	}
	if (establishment_get(s, establishment_id, &e) != GERR_OK)
		strlcpy_g(e.code, "?", sizeof e.code);
	return (gerror_set(err, GERR_FORBIDDEN, _("%s may not %s on %s (%s): "
	    "ask a referent or the super-administrator"), a->login,
	    _(perm_label((enum perm)perm)), e.code, perm_id((enum perm)perm)));
}

enum gerr
rights_check_resource(const struct account *a, unsigned perm,
    const struct resource *r, struct gerror *err)
{
	size_t	i;
	int	held = 0;

	if (a->actor == ACTOR_SYSTEM || a->superadmin)
		return (GERR_OK);
	if (a->actor == ACTOR_STAFF && a->enabled) {
		for (i = 0; i < a->ngrants; i++) {
			const struct grant	*g = &a->grants[i];

			if (g->establishment_id != r->establishment_id ||
			    !(g->perms & perm))
				continue;
			held = 1;
			if (scope_covers(g, r))
				return (GERR_OK);
		}
	}
	if (resource_internal(r))
		return (gerror_set(err, GERR_RESOURCE_INTERNAL, _("%s is a %s "
		    "for internal planning: only its referents may manage it, "
		    "%s may not (R8)"), r->code, _(rtype_label(r->type)),
		    a->login));
	if (held)
		return (gerror_set(err, GERR_FORBIDDEN, _("%s may %s on %s only "
		    "for other resources than %s (%s scope): ask its referent"),
		    a->login, _(perm_label((enum perm)perm)), r->establishment,
		    r->code, perm_id((enum perm)perm)));
	return (gerror_set(err, GERR_FORBIDDEN, _("%s may not %s on %s, which "
	    "holds %s (%s): ask a referent"), a->login,
	    _(perm_label((enum perm)perm)), r->establishment, r->code,
	    perm_id((enum perm)perm)));
}

/* Whether every item of list is in of (both non-empty lists). */
static int
subset(const char *list, const char *of)
{
	char	*copy, *tok, *save;
	int	 ok = 1;

	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && ok;
	    tok = strtok_r(NULL, ",", &save))
		ok = in_list(of, tok);
	free(copy);
	return (ok);
}

/* Whether a list of types names an internal one (R8). */
static int
names_internal(const char *types)
{
	enum rtype	t;

	for (t = 0; t < RTYPE__COUNT; t++)
		if (rtype_internal(t) && in_list(types, rtype_name(t)))
			return (1);
	return (0);
}

/*
 * Whether scope n reaches no resource that scope g does not (n is as
 * narrow as g or narrower), read from the scopes alone; a scope that
 * names resources is judged resource by resource (rights_check_grant).
 *  - library: g's, or g has none;
 *  - types: within g's list; against "all types" (an empty list), any
 *    list that names no internal type (R8: all types never reach them);
 *  - exclusions: each type g excludes, n excludes too or does not list
 *    (an empty exclusion list is the widest, not a subset of all).
 */
static int
narrower(const struct grant *n, const struct grant *g)
{
	char	*copy, *tok, *save;
	int	 ok = 1;

	if (g->library_id != 0 && g->library_id != n->library_id)
		return (0);
	if (g->resources[0] != '\0')
		return (0);
	if (g->types[0] != '\0') {
		if (n->types[0] == '\0' || !subset(n->types, g->types))
			return (0);
	} else if (names_internal(n->types))
		return (0);
	copy = xstrdup(g->exclude);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && ok;
	    tok = strtok_r(NULL, ",", &save))
		ok = in_list(n->exclude, tok) || (n->types[0] != '\0' &&
		    !in_list(n->types, tok));
	free(copy);
	return (ok);
}

/* Whether the account holds every scoped permission of n on each of the
 * resources n names (n reaches those at most). */
static int
covers_named(struct store *s, const struct account *a, const struct grant *n,
    unsigned scoped)
{
	struct resource	 r;
	char		*copy, *tok, *save;
	unsigned	 p;
	int		 ok = 1;

	copy = xstrdup(n->resources);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && ok;
	    tok = strtok_r(NULL, ",", &save)) {
		if (resource_find(s, tok, &r) != GERR_OK ||
		    r.establishment_id != n->establishment_id) {
			ok = 0;
			break;
		}
		for (p = PERM_PLANNING; p <= PERM_SETTINGS && ok; p <<= 1)
			if ((scoped & p) && rights_check_resource(a, p, &r,
			    NULL) != GERR_OK)
				ok = 0;
	}
	free(copy);
	return (ok);
}

enum gerr
rights_check_grant(struct store *s, const struct account *a,
    const struct grant *n, struct gerror *err)
{
	const struct grant	*g;
	unsigned		 held = 0, scoped = n->perms & (PERM_PLANNING |
				    PERM_SETTINGS), covered = 0;
	size_t			 i;
	int			 p7 = 0;

	if (a->actor == ACTOR_SYSTEM || a->superadmin)
		return (GERR_OK);
	for (i = 0; a->actor == ACTOR_STAFF && a->enabled && i < a->ngrants;
	    i++) {
		g = &a->grants[i];
		if (g->establishment_id != n->establishment_id)
			continue;
		p7 |= (g->perms & PERM_USERS) != 0;
		held |= g->perms;
		if (n->resources[0] == '\0' && narrower(n, g))
			covered |= g->perms & scoped;
	}
	if (!p7)
		return (gerror_set(err, GERR_FORBIDDEN, _("%s may not manage "
		    "users on %s (P7)"), a->login, n->establishment));
	if ((n->perms & ~held) != 0)
		return (gerror_set(err, GERR_FORBIDDEN, _("%s may grant on %s only "
		    "what it holds there (P7)"), a->login, n->establishment));
	if (n->resources[0] != '\0' && scoped != 0 && covers_named(s, a, n,
	    scoped))
		covered = scoped;
	if (covered != scoped)
		return (gerror_set(err, GERR_FORBIDDEN, _("%s may grant or "
		    "revoke P8 and P9 on %s only within its own scope, where "
		    "all types never reach internal rooms (P7)"), a->login,
		    n->establishment));
	return (GERR_OK);
}

int
rights_plans(const struct account *a)
{
	size_t	i;

	if (a->actor == ACTOR_SYSTEM || a->superadmin)
		return (1);
	for (i = 0; a->actor == ACTOR_STAFF && a->enabled && i < a->ngrants;
	    i++)
		if (a->grants[i].perms & PERM_PLANNING)
			return (1);
	return (0);
}

enum gerr
rights_check_super(const struct account *a, struct gerror *err)
{
	if (a->actor == ACTOR_SYSTEM || a->superadmin)
		return (GERR_OK);
	return (gerror_set(err, GERR_FORBIDDEN_R12, _("only the "
	    "super-administrator changes the global settings; %s may not "
	    "(R12)"), a->login));
}
