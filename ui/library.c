/*
 * What the screens of one library share (hours, messages, statistics,
 * staff, QR code): the library under the grid's cursor, its writes through
 * op_apply with the refusal on the status line, and R13's second step.
 * A closure or shorter hours that would cancel live bookings are refused
 * by the core with their list: the screen shows it, asks once, and
 * confirms for those ids only, so that a booking made meanwhile is never
 * cancelled unseen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ops.h"
#include "screen.h"
#include "xmalloc.h"

int
library_find(struct ui *ui, struct establishment *e)
{
	if (establishment_find(ui->store, ui->library, e) == GERR_OK)
		return (0);
	ui_message(ui, 1, "%s", _("no library under the cursor: move to one "
	    "of its rooms"));
	return (-1);
}

enum gerr
library_apply(struct ui *ui, const char *kind, json_t *p, json_t **res,
    const char *what)
{
	struct gerror	err;
	enum gerr	e;

	gerror_clear(&err);
	e = op_apply(ui->store, ui->account, NULL, kind, p, res, &err);
	if (e != GERR_OK && (e != GERR_NEEDS_CONFIRMATION || res == NULL ||
	    library_listed(*res) == 0))
		ui_message(ui, 1, _("%s: %s"), _(what), err.msg);
	return (e);
}

int
library_changed(struct ui *ui)
{
	ui_wrote(ui);
	return (UI_RELOAD | UI_DRAW_ALL | UI_STATUS);
}

void
library_json_free(void *arg)
{
	json_decref(arg);
}

size_t
library_listed(json_t *res)
{
	return (json_array_size(json_object_get(res, "to_cancel")));
}

size_t
library_cancelled(json_t *res)
{
	return (json_array_size(json_object_get(res, "cancelled")));
}

/* One line of the list: room, time, patron. */
static char *
booking_line(json_t *b)
{
	const char	*start = json_string_value(json_object_get(b, "start"));
	const char	*end = json_string_value(json_object_get(b, "end"));
	const char	*name = json_string_value(json_object_get(b, "name"));
	char		*line;

	if (start == NULL || strlen(start) < 16 || end == NULL ||
	    strlen(end) < 16)
		start = end = "????????????????";
	if (asprintf(&line, "%-12s %.5s-%.5s  %s%s%s",
	    json_string_value(json_object_get(b, "resource")), start + 11,
	    end + 11, name != NULL && name[0] != '\0' ? name : "",
	    name != NULL && name[0] != '\0' ? "  " : "",
	    json_string_value(json_object_get(b, "email"))) < 0)
		return (xstrdup("?"));
	return (line);
}

void
library_ask_listed(struct ui *ui, const char *question, json_t *res,
    json_t *p, int (*yes)(struct ui *ui, void *arg))
{
	json_t	*list = json_object_get(res, "to_cancel"), *b, *ids;
	char	**lines;
	size_t	  n = json_array_size(list), i;

	lines = xreallocarray(NULL, n > 0 ? n : 1, sizeof *lines);
	ids = json_array();
	json_array_foreach(list, i, b) {
		lines[i] = booking_line(b);
		json_array_append(ids, json_object_get(b, "id"));
	}
	json_object_set_new(p, "confirm", json_true());
	json_object_set_new(p, "ids", ids);
	ui_confirm(ui, question, lines, n, yes, p, library_json_free);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
