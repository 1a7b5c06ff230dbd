/*
 * The full-screen interface of the desk: login, then the day grid, over
 * the core library (queries to read, op_apply to write).
 */
#ifndef GUICHET_UI_H
#define GUICHET_UI_H

struct store;
struct conf;

/*
 * Run the interface on an open store until the agent quits. account may be
 * NULL (the login screen asks for it). Returns the process exit status.
 */
int	 ui_run(struct store *st, const struct conf *cfg, const char *account);

#endif
