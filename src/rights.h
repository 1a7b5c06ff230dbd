/*
 * Accounts and their grants, and the rights checks of SPEC.md section 4.
 * A grant is (account, establishment, permissions, scope); the scope
 * narrows P8 and P9 to some resources. Internal resources (R8) are covered
 * only by a scope that names their type or the resource itself.
 */
#ifndef GUICHET_RIGHTS_H
#define GUICHET_RIGHTS_H

#include <jansson.h>

#include "domain.h"

struct grant {
	int64_t		 establishment_id;
	char		 establishment[CODE_LEN];
	unsigned	 perms;			/* enum perm bits */
	char		 types[160];		/* "group_room,carrel"; "" all */
	char		 exclude[160];		/* excluded types */
	int64_t		 library_id;		/* 0: any library */
	char		 library[CODE_LEN];
	char		 resources[256];	/* "BUC-G1,BUC-G2"; "" any */
};

/* Who makes an operation. */
enum actor {
	ACTOR_STAFF,	/* a logged-in account: its grants decide */
	ACTOR_PATRON,	/* a patron through the server's public flows */
	ACTOR_SYSTEM,	/* the sweeper (R5, R6) */
};

#define ACCOUNT_SESSION_LEN	65	/* session.h's SESSION_TOKEN_LEN */

struct account {
	int64_t		 id;
	enum actor	 actor;
	char		 login[LOGIN_LEN];
	char		 name[NAME_LEN];
	int		 enabled;
	/* Everything everywhere, and R12. */
	int		 superadmin;
	struct grant	*grants;	/* owned */
	size_t		 ngrants;
	/* The server session it acts through (its token's hash, set by
	 * guichetd), or "": a password it changes ends the account's
	 * other sessions, never this one. */
	char		 session[ACCOUNT_SESSION_LEN];
};

/* Load an account and its grants; free with account_free. */
enum gerr	 account_load(struct store *s, const char *login,
		     struct account **out);
/* Every account's login, as a JSON array of strings, appended to *out. */
enum gerr	 account_logins(struct store *s, json_t **out);
/* A patron or system actor with no grants. */
struct account	*account_actor(enum actor actor, const char *login);
void		 account_free(struct account *a);

/* Check a password against the account's argon2id hash (libsodium). */
enum gerr	 account_login(struct store *s, const char *login,
		     const char *password, struct account **out,
		     struct gerror *err);
/* Hash a password with argon2id; returns a string the caller frees. */
char		*account_hash_password(const char *password);
/* Whether a password hash is one guichet would make (argon2id with costs
 * no higher than its own, bounded): others are refused and never checked. */
int		 account_hash_bounded(const char *hash);

/* May the account use perm (P1-P7) on this establishment? */
enum gerr	 rights_check(struct store *s, const struct account *a,
		     unsigned perm, int64_t establishment_id,
		     struct gerror *err);
/* May the account use perm (P8 or P9) on this resource? */
enum gerr	 rights_check_resource(const struct account *a, unsigned perm,
		     const struct resource *r, struct gerror *err);
/* Whether the account plans bookings anywhere (P8): a desk's role, the
 * one that may read patrons' bookings in bulk (change log, snapshot). */
int		 rights_plans(const struct account *a);
/*
 * P7: may the account give this grant (or take it back: one revokes only
 * what one could have granted)? It needs P7 on the grant's establishment
 * and may grant only what it holds itself there: the same permissions,
 * and for P8 and P9 a scope as narrow as its own or narrower (an empty
 * exclusion list is the widest; naming an internal type is never
 * narrower than "all types", R8; named resources must each be within
 * its own scope, read from the store).
 */
enum gerr	 rights_check_grant(struct store *s, const struct account *a,
		     const struct grant *n, struct gerror *err);
/* Only the super-administrator changes global settings (R12). */
enum gerr	 rights_check_super(const struct account *a,
		     struct gerror *err);

#endif
