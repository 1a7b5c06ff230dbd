/*
 * The global settings (R12): one table gives each its name, the rule it
 * tunes, its default, its limits and what it means. The core, the
 * interface, the command line and the man page read them from here.
 */
#ifndef GUICHET_SETTINGS_H
#define GUICHET_SETTINGS_H

#include <stdint.h>

struct store;

enum setting {
	SET_MAX_DAYS_AHEAD,		/* R1 */
	SET_ALLOWED_DOMAINS,		/* R2, a list: no number */
	SET_CONFIRM_HOURS,		/* R5 */
	SET_LATE_MINUTES,		/* R6 */
	SET_CHECKIN_EARLY_MINUTES,	/* R6 */
	SET_AUTO_RELEASE,		/* R6 */
	SET_MESSAGE_MAX_DAYS,		/* R10 */
	SET_SYNC_SKEW_MINUTES,		/* R15 */
	SET_OFFLINE_HORIZON_HOURS,	/* R15 */
	SET__COUNT
};

struct setting_info {
	const char	*name;
	const char	*rule;
	/* A list of words rather than a number (allowed_domains). */
#define SETTING_LIST	0x1
	int		 flags;
	int64_t		 def, min, max;
	const char	*text;		/* N_() */
};

const struct setting_info	*setting_info(enum setting setting);
/* A setting by name; SET__COUNT if there is none. */
enum setting			 setting_find(const char *name);
/* A number setting's value: the stored one, its default when unset or
 * unreadable, kept within its limits. */
int64_t				 setting_get(struct store *s,
				    enum setting setting);

#endif
