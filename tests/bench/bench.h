/*
 * What the benchmark programs share: their temporary folder, the way they
 * fail, their clock and timing summaries, the repeatable ids, the bench
 * library they add to the demo, and the running of a child under the
 * bench's clock. The programs print figures; this module prints only on
 * the way out (bench_die(), the folder kept or not removed).
 */
#ifndef GUICHET_BENCH_H
#define GUICHET_BENCH_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "domain.h"
#include "rights.h"
#include "store.h"

#define BENCH_NOW	"2026-11-02T09:00:00+01:00"	/* a Monday */
#define BENCH_ZONE	"Europe/Paris"
#define BENCH_LIBRARY	"BENCH"
/* A domain of the demo's allow-list (R2). */
#define BENCH_DOMAIN	"etu.univ-tlse2.fr"
/* 06:00 to midnight keeps clear of the 02:00-03:00 DST changes. */
#define BENCH_OPEN	360
#define BENCH_CLOSE	1440
#define BENCH_STEP	30
#define BENCH_SLOTS	((BENCH_CLOSE - BENCH_OPEN) / BENCH_STEP)

/* Mean and nearest-rank percentiles of a set of times. */
struct bench_stats {
	double		 mean;
	double		 p50;
	double		 p99;
};

/* One booking through op_apply("book"): the fields of its payload. */
struct bench_booking {
	const char	*op;		/* the operation's id, or NULL */
	const char	*room;
	const char	*start;
	const char	*end;
	const char	*email;
	const char	*id;		/* the booking's */
};

/* Name the program, for the messages of bench_die() and the others. */
void		 bench_init(const char *);

/* Print "name: message" on stderr and exit 1 (the folder is removed). */
void		 bench_die(const char *, ...)
		     __attribute__((format(printf, 1, 2), noreturn));

/*
 * Parse the argument of option -opt as a count from min to max, or exit 2
 * saying what it takes.
 */
long		 bench_number(const char *, const char *, long, long);

/*
 * Make the temporary folder under TMPDIR and remove it at exit, whatever
 * was left in it, unless keep is set. Handlers a program registers with
 * atexit() afterwards run before the removal.
 */
void		 bench_tmpdir_make(int);
/* The temporary folder. */
const char	*bench_tmpdir(void);
/* A path in the temporary folder; the caller frees it. */
char		*bench_path(const char *);

/*
 * The program a bench runs: its one argument, else the environment
 * variable env if set, else dflt. NULL if there is more than one argument.
 */
const char	*bench_program(int, char **, const char *, const char *);

/* Print "# command: argv..." so a run's figures say how they were made. */
void		 bench_print_command(int, char **);

/* Fix the core's clock at BENCH_NOW into *now; returns that day. */
int32_t		 bench_clock(int64_t *);

/* Microseconds on a clock that never steps back. */
double		 bench_now_us(void);
/* Order doubles for qsort(). */
int		 bench_cmp_double(const void *, const void *);
/* Nearest-rank percentile of a sorted array; 0 if it is empty. */
double		 bench_percentile(const double *, size_t, unsigned);
/* Summarise v[0 .. n) through a sorted copy; v is left as it is. */
void		 bench_stats(const double *, size_t, struct bench_stats *);

/*
 * A version 4 UUID from a number into UUID_LEN bytes: scattered over the
 * key space like the random ones clients make, so the indexes see the
 * same insert pattern, but repeatable.
 */
void		 bench_uuid(uint64_t, char *);
/*
 * A stride coprime with n: i * stride % n visits every slot once in a
 * scattered order, as desks take bookings, rather than always appending.
 */
long		 bench_stride(long);

/*
 * A fresh database at path with the demo and the bench library of rooms
 * rooms, their codes BENCH-R and width digits; ids, if not NULL, gets
 * their row ids. Returns the open store.
 */
struct store	*bench_db_create(const char *, int, int, int64_t *);
/* R1: open the window to days ahead (if it is shorter), as a. */
void		 bench_window_open(struct store *, const struct account *,
		     int);
/* Bookings of the bench library, to check that every write landed. */
long		 bench_count(struct store *);
/*
 * One booking through op_apply as a; returns the call's microseconds
 * (the payload's making is not timed). A refusal is fatal, named what and
 * i: the bench's bookings never conflict, so one means the bench is wrong.
 */
double		 bench_book(struct store *, const struct account *,
		     const struct bench_booking *, const char *, long);

/*
 * The bare rate the door is measured against: n booking rows through one
 * prepared INSERT, a BEGIN IMMEDIATE transaction each, on s with its
 * synchronous setting as it is (bench_durable() for FULL). Rows go to the
 * room of row id room, from now + 1 day on, half an hour each, ids from
 * number base on. Returns the seconds; lat (may be NULL) gets each
 * transaction's microseconds.
 */
double		 bench_bare(struct store *, int64_t, uint64_t, long, int64_t,
		     double *);
/* synchronous = FULL on s (on = 1) or NORMAL (on = 0). */
void		 bench_durable(struct store *, int);

/*
 * The environment of a guichet child: ours, with the bench's clock, and a
 * config folder of its own (the temporary one) so no guichet.ini of the
 * user's changes the run. Free it with bench_strv_free().
 */
char		**bench_child_env(void);
/* Free a NULL-terminated array of strings and the strings. */
void		 bench_strv_free(char **);
/*
 * Start argv[0] with no input and its output (stdout and stderr) in out,
 * created if need be. Returns posix_spawn's error, 0 if it started.
 */
int		 bench_spawn(char **, char **, const char *, pid_t *);
/*
 * Wait for pid into *status; after seconds it is killed with SIGKILL.
 * Returns 1 if it was, else 0.
 */
int		 bench_wait(pid_t, unsigned, int *);

#endif
