/*
 * The sweeper: what the backend does by itself. Every interval, on its own
 * connection, it applies the "sweep" operation as the system (R5, R6):
 * unconfirmed bookings expire after confirm_hours, and, when auto_release
 * is on, bookings not validated late_minutes after their start become
 * no-shows; through the writer like any write: logged, replicated. Every few
 * seconds it also sends the patrons' e-mails the operations queued.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mail.h"
#include "ops.h"
#include "log.h"
#include "server.h"
#include "session.h"
#include "store.h"
#include "xmalloc.h"

static pthread_t	 thread;
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 wake = PTHREAD_COND_INITIALIZER;
static int		 stopping, running;
static int		 interval;
static char		*database;
static char		*smtp_url;
static char		*mail_from;
static char		*link_base;

/* How often the queue of e-mails is sent, when SMTP is set up. */
#define MAIL_SECONDS	5

static void
sweep_once(struct store *s, struct account *system)
{
	struct gerror	 err;
	json_t		*p = json_object(), *result = NULL;

	(void)s;
	if (writer_apply(system, NULL, "sweep", p, &result, &err) != GERR_OK)
		log_warnx("sweep: %s", err.msg);
	else if (json_integer_value(json_object_get(result, "expired")) > 0 ||
	    json_integer_value(json_object_get(result, "freed")) > 0)
		log_info("sweep: %lld expired, %lld freed",
		    (long long)json_integer_value(json_object_get(result,
		    "expired")), (long long)json_integer_value(
		    json_object_get(result, "freed")));
	else
		log_debug("sweep: nothing to expire or free");
	json_decref(result);
	json_decref(p);
}

static void *
sweeper_main(void *arg)
{
	struct store	*s = NULL;
	struct account	*system = account_actor(ACTOR_SYSTEM, "sweeper");
	struct timespec	 until;
	struct gerror	 err;
	time_t		 next_sweep = 0, now;
	int		 tick;

	(void)arg;
	pthread_setname_np(pthread_self(), "sweeper");
	if (store_open(database, 0, &s, &err) != GERR_OK) {
		log_warnx("sweeper: %s", err.msg);
		account_free(system);
		return (NULL);
	}
	tick = smtp_url != NULL && interval > MAIL_SECONDS ? MAIL_SECONDS :
	    interval;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		pthread_mutex_unlock(&lock);
		now = time(NULL);
		if (now >= next_sweep) {
			sweep_once(s, system);
			next_sweep = now + interval;
			if (store_begin(s, NULL) == GERR_OK) {
				session_prune(s);
				store_commit(s, NULL);
			}
		}
		if (smtp_url != NULL && mail_waiting(s) > 0 && mail_send(s,
		    smtp_url, mail_from, link_base, 100, NULL, &err) !=
		    GERR_OK)
			log_warnx("mail: %s", err.msg);
		pthread_mutex_lock(&lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += tick;
		while (!stopping && pthread_cond_timedwait(&wake, &lock,
		    &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&lock);
	store_close(s);
	account_free(system);
	return (NULL);
}

int
sweeper_start(const char *db, int seconds, const char *smtp,
    const char *from, const char *base)
{
	if (seconds <= 0 && smtp == NULL)
		return (0);
	database = xstrdup(db);
	/* With the sweep off, the thread only sends e-mail. */
	interval = seconds > 0 ? seconds : 1 << 30;
	if (smtp != NULL) {
		smtp_url = xstrdup(smtp);
		mail_from = xstrdup(from != NULL ? from : "guichet@localhost");
		if (base != NULL)
			link_base = xstrdup(base);
	}
	if (pthread_create(&thread, NULL, sweeper_main, NULL) != 0)
		return (-1);
	running = 1;
	return (0);
}

void
sweeper_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = 0;
	free(database);
	free(smtp_url);
	free(mail_from);
	free(link_base);
}
