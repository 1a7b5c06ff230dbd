/* The global settings' table and their one accessor. */
#include "config.h"

#include <string.h>

#include "i18n.h"
#include "settings.h"
#include "store.h"

static const struct setting_info table[SET__COUNT] = {
	[SET_MAX_DAYS_AHEAD] = { "max_days_ahead", "R1", 0, 31, 1, 366,
	    N_("how many days ahead a booking may start") },
	[SET_ALLOWED_DOMAINS] = { "allowed_domains", "R2", SETTING_LIST, 0, 0,
	    0, N_("the e-mail domains patrons may book with, separated by "
	    "commas") },
	[SET_CONFIRM_HOURS] = { "confirm_hours", "R5", 0, 2, 1, 168,
	    N_("hours to confirm a first booking") },
	[SET_LATE_MINUTES] = { "late_minutes", "R6", 0, 15, 1, 240,
	    N_("minutes after the start before a booking is late") },
	[SET_CHECKIN_EARLY_MINUTES] = { "checkin_early_minutes", "R6", 0, 10,
	    0, 240, N_("minutes before the start from which presence may be "
	    "validated") },
	[SET_AUTO_RELEASE] = { "auto_release", "R6", 0, 1, 0, 1,
	    N_("whether the sweep frees late bookings (1) or not (0)") },
	[SET_MESSAGE_MAX_DAYS] = { "message_max_days", "R10", 0, 7, 1, 366,
	    N_("the longest a message may be shown, in days") },
	[SET_SYNC_SKEW_MINUTES] = { "sync_skew_minutes", "R15", 0, 5, 0, 1440,
	    N_("minutes a desk's operation may be made ahead of the "
	    "backend's clock") },
	[SET_OFFLINE_HORIZON_HOURS] = { "offline_horizon_hours", "R15", 0, 72,
	    1, 720, N_("hours a desk's operation may wait offline before it "
	    "is too old") },
};

const struct setting_info *
setting_info(enum setting setting)
{
	return (&table[setting]);
}

enum setting
setting_find(const char *name)
{
	int	i;

	for (i = 0; i < SET__COUNT; i++)
		if (strcmp(table[i].name, name) == 0)
			return ((enum setting)i);
	return (SET__COUNT);
}

int64_t
setting_get(struct store *s, enum setting setting)
{
	const struct setting_info	*info = &table[setting];
	int64_t				 v;

	v = store_setting_int(s, info->name, info->def);
	if (v < info->min)
		return (info->min);
	if (v > info->max)
		return (info->max);
	return (v);
}
