/* JSON forms of the domain's records, shared by the CLI, the API and sync. */
#ifndef GUICHET_RECORD_H
#define GUICHET_RECORD_H

#include <jansson.h>

#include "domain.h"

/* The HTTP API's path prefix (SPEC.md section 7): guichetd serves under
 * it, the HTTP backend asks under it. */
#define API_PREFIX	"/api/v1"

/* New references the caller owns. Instants are ISO 8601 in zone tz. */
json_t	*record_booking(const struct booking *b, const char *tz);
json_t	*record_resource(const struct resource *r);
/* An account and its grants, never its password. */
struct account;
json_t	*record_account(const struct account *a);
/* An establishment's weekly hours and exceptional dates, in full. */
json_t	*record_hours(struct store *s, const struct establishment *e);
/* The global settings (R1, R2, R5, R6, R10) with the allow-list of
 * domains, without the backend's secrets; NULL on a storage error. */
json_t	*record_settings(struct store *s);
/* An establishment by its code, in full (public information, jauge,
 * establishment code), or NULL. */
json_t	*record_establishment(struct store *s, const char *code);
/* A message by its uid, or NULL. */
json_t	*record_message(struct store *s, const char *uid);

#endif
