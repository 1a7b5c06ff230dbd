/*
 * Password checks off the request workers. argon2id costs 64 MiB and
 * tens of milliseconds a hash: run inside libmicrohttpd's workers, a
 * flood of logins would hold every connection of those workers (a public
 * GET took seconds behind 24 logins). Instead a login's connection is
 * suspended, its check queued to AUTH_HASHERS threads of their own (at a
 * lower priority, so the workers go first on a busy machine), and the
 * connection resumed with the answer. The queue is bounded: beyond it a
 * login is answered 503 at once.
 *
 * Sessions, the throttle and their SQL are in the core (session.h).
 */
#include "config.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "server.h"
#include "session.h"
#include "store.h"
#include "xmalloc.h"

#define AUTH_HASHERS	2	/* concurrent argon2id checks */
#define AUTH_QUEUE_MAX	64	/* logins waiting for a check */
#define AUTH_NICE	10	/* the checkers' lower priority */

struct auth_job {
	struct request	*r;
	char		*login;
	char		*password;
	struct auth_job	*next;
};

static pthread_mutex_t	 auth_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 auth_cond = PTHREAD_COND_INITIALIZER;
static struct auth_job	*auth_head, **auth_tail = &auth_head;
static int		 auth_queued, auth_stopping, auth_started;
static pthread_t	 auth_threads[AUTH_HASHERS];
static const char	*auth_database;

static void
job_free(struct auth_job *j)
{
	free(j->login);
	sodium_memzero(j->password, strlen(j->password));
	free(j->password);
	free(j);
}

static void
check(struct store *s, struct auth_job *j)
{
	struct request	*r = j->r;

	gerror_clear(&r->auth_err);
	if (s == NULL)
		gerror_set(&r->auth_err, GERR_UNREACHABLE, "the database "
		    "cannot be opened: try again later");
	else
		account_login(s, j->login, j->password, &r->auth_account,
		    &r->auth_err);
}

static void *
hasher(void *arg)
{
	struct store	*s = NULL;
	struct gerror	 err;
	struct auth_job	*j;

	(void)arg;
	pthread_setname_np(pthread_self(), "hasher");
#ifdef SYS_gettid
	/* Behind the request workers when the processors are busy. */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
	    AUTH_NICE);
#endif
	if (store_open(auth_database, 0, &s, &err) != GERR_OK) {
		log_warnx("%s", err.msg);
		s = NULL;
	}
	pthread_mutex_lock(&auth_lock);
	for (;;) {
		while (auth_head == NULL && !auth_stopping)
			pthread_cond_wait(&auth_cond, &auth_lock);
		if (auth_head == NULL)
			break;
		j = auth_head;
		if ((auth_head = j->next) == NULL)
			auth_tail = &auth_head;
		auth_queued--;
		pthread_mutex_unlock(&auth_lock);
		check(s, j);
		http_wake(j->r);
		job_free(j);
		pthread_mutex_lock(&auth_lock);
	}
	pthread_mutex_unlock(&auth_lock);
	store_close(s);
	return (NULL);
}

int
auth_start(const char *database)
{
	int	i;

	auth_database = database;
	for (i = 0; i < AUTH_HASHERS; i++)
		if (pthread_create(&auth_threads[i], NULL, hasher, NULL) != 0)
			return (-1);
		else
			auth_started++;
	return (0);
}

void
auth_stop(void)
{
	int	i;

	pthread_mutex_lock(&auth_lock);
	auth_stopping = 1;
	pthread_cond_broadcast(&auth_cond);
	pthread_mutex_unlock(&auth_lock);
	for (i = 0; i < auth_started; i++)
		pthread_join(auth_threads[i], NULL);
	auth_started = 0;
}

int
auth_check_later(struct request *r, const char *login, const char *password,
    void (*done)(struct request *))
{
	struct auth_job	*j;

	pthread_mutex_lock(&auth_lock);
	if (auth_stopping || auth_started == 0 ||
	    auth_queued >= AUTH_QUEUE_MAX) {
		pthread_mutex_unlock(&auth_lock);
		return (-1);
	}
	j = xcalloc(1, sizeof *j);
	j->r = r;
	j->login = xstrdup(login);
	j->password = xstrdup(password);
	/* Suspended before it is queued: it cannot be woken before. */
	http_defer(r, done);
	*auth_tail = j;
	auth_tail = &j->next;
	auth_queued++;
	pthread_cond_signal(&auth_cond);
	pthread_mutex_unlock(&auth_lock);
	return (0);
}

enum gerr
auth_session_check(struct store *s, const char *token, struct account **out,
    int64_t *created)
{
	char		login[LOGIN_LEN];
	enum gerr	e;
	int		own;

	*out = NULL;
	/* One read transaction for both: one look at the WAL, one lock (or
	 * the route's, http.c). */
	own = !store_in_transaction(s);
	if (own && store_begin_read(s, NULL) != GERR_OK)
		return (GERR_STORAGE);
	if ((e = session_find(s, token, login, created)) == GERR_OK &&
	    (account_load(s, login, out) != GERR_OK || !(*out)->enabled)) {
		account_free(*out);
		*out = NULL;
		e = GERR_BAD_LOGIN;
	}
	/* What it does, it does through this session (op_passwd). */
	if (e == GERR_OK)
		session_digest(token, (*out)->session);
	if (own && store_commit(s, NULL) != GERR_OK && e == GERR_OK) {
		account_free(*out);
		*out = NULL;
		e = GERR_STORAGE;
	}
	return (e);
}
