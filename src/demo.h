/*
 * The demo dataset of SPEC.md section 5: establishments and hours, global
 * settings, resources of every type with their stable codes, the demo
 * accounts (password "demo", hashed with argon2id), messages, sessions and
 * a few weeks of bookings in every status around today (by the clock, so
 * the demo is alive on any date).
 */
#ifndef GUICHET_DEMO_H
#define GUICHET_DEMO_H

#include "store.h"

/* The settings every new database starts with (R1, R2, R5, R6, R10). */
enum gerr	 demo_settings(struct store *s, struct gerror *err);
/* Load the whole demo into an empty database. */
enum gerr	 demo_load(struct store *s, struct gerror *err);

#endif
