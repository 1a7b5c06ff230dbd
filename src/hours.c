/* Opening hours: see hours.h. */
#include "config.h"

#include <string.h>

#include "hours.h"
#include "tz.h"
#include "xmalloc.h"

enum gerr
hours_for_day(struct store *s, int64_t establishment_id, int32_t day,
    struct hours *h)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(h, 0, sizeof *h);
	st = store_stmt(s, "SELECT closed, open_min, close_min, reason FROM "
	    "hours_date WHERE establishment_id = ? AND day = ?");
	sqlite3_bind_int64(st, 1, establishment_id);
	sqlite3_bind_int(st, 2, day);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		h->exceptional = 1;
		h->open = !sqlite3_column_int(st, 0);
		h->open_min = sqlite3_column_int(st, 1);
		h->close_min = sqlite3_column_int(st, 2);
		strlcpy_g(h->reason, (const char *)sqlite3_column_text(st, 3),
		    sizeof h->reason);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (GERR_OK);
	if (rc != SQLITE_DONE)
		return (GERR_STORAGE);

	st = store_stmt(s, "SELECT open_min, close_min FROM hours_weekly "
	    "WHERE establishment_id = ? AND weekday = ?");
	sqlite3_bind_int64(st, 1, establishment_id);
	sqlite3_bind_int(st, 2, tz_weekday(day));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		h->open = 1;
		h->open_min = sqlite3_column_int(st, 0);
		h->close_min = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? GERR_OK :
	    GERR_STORAGE);
}
