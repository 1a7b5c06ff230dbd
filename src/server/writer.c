/*
 * The writer: every operation guichetd applies goes through this one
 * thread and its connection, so that many share one commit (group
 * commit). A request worker queues its operations and suspends the
 * connection (writer_submit; the sweeper waits instead, writer_apply);
 * the writer takes what is queued, opens one transaction (a batch,
 * store.h), applies each operation through op_apply in its own savepoint
 * (a refusal undoes only itself and keeps its answer), commits with
 * synchronous = FULL (the WAL's fsync) and only then resumes the
 * connections, whose replies a worker then sends. Workers never wait for
 * a commit, so a GET is never stuck behind writes. A batch ends when the
 * queue is empty (the writer would be idle) or when it has run
 * WRITER_BATCH_US or taken WRITER_BATCH_MAX operations: no operation
 * waits longer than that for company, and none waits at all when it
 * comes alone. While one batch commits, the next fills.
 *
 * If the commit fails (busy, disk full), every operation of the batch is
 * answered with that storage error, a temporary failure to try again
 * (nothing of the batch was written), never a refusal.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "ops.h"
#include "server.h"
#include "session.h"
#include "store.h"
#include "xmalloc.h"

#define WRITER_BATCH_US		2000	/* a batch's longest run */
#define WRITER_BATCH_MAX	256	/* and most operations */

/* The operations of one caller, answered together: a thread waiting on
 * done, or a suspended request to resume. */
struct writer_wait {
	pthread_cond_t		 done;
	size_t			 left;		/* not yet committed */
	struct request		*request;	/* NULL for a waiting thread */
};

static pthread_t		 writer_thread;
static pthread_mutex_t		 writer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t		 writer_wake = PTHREAD_COND_INITIALIZER;
static struct writer_job	*queue_head, **queue_tail = &queue_head;
static int			 writer_running, writer_stopping;
static struct store		*writer_store;
static unsigned long long	 writer_ops, writer_batches;	/* for the log */

static int64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* The next queued operation, or NULL. */
static struct writer_job *
take(void)
{
	struct writer_job	*j;

	pthread_mutex_lock(&writer_lock);
	if ((j = queue_head) != NULL) {
		if ((queue_head = j->next) == NULL)
			queue_tail = &queue_head;
		j->next = NULL;
	}
	pthread_mutex_unlock(&writer_lock);
	return (j);
}

static void
apply_one(struct writer_job *j)
{
	gerror_clear(&j->err);
	j->result = NULL;
	/* Counted whatever the answer, as session_patron_allowed does. */
	if (j->patron_address != NULL)
		session_patron_count(writer_store, j->patron_address);
	j->code = op_apply_at(writer_store, j->account, j->op_id, j->kind,
	    j->payload, j->made_at, &j->result, &j->err);
}

/* Wake the callers of the operations of a batch. */
static void
answer(struct writer_job *done)
{
	struct writer_job	*j, *next;
	struct writer_wait	*w;

	pthread_mutex_lock(&writer_lock);
	for (j = done; j != NULL; j = next) {
		next = j->next;
		j->next = NULL;
		w = j->wait;
		if (--w->left > 0)
			continue;
		if (w->request == NULL) {
			pthread_cond_signal(&w->done);
			continue;
		}
		/* MHD calls the handler again, which sends the reply. */
		w->request->waiting = WAIT_DONE;
		MHD_resume_connection(w->request->conn);
		free(w);
	}
	pthread_mutex_unlock(&writer_lock);
}

/* Fail every operation of a batch that could not be saved. */
static void
fail_all(struct writer_job *done, const struct gerror *why)
{
	struct writer_job	*j;

	for (j = done; j != NULL; j = j->next) {
		json_decref(j->result);
		j->result = NULL;
		j->code = GERR_STORAGE;
		j->err = *why;
		j->err.code = GERR_STORAGE;
	}
}

/* One batch, from the first queued operation. */
static void
batch(struct writer_job *first)
{
	struct writer_job	*j = first, *done = NULL, **tail = &done;
	struct gerror		 err;
	int64_t			 t0 = now_us();
	int			 n = 0;

	if (store_batch_begin(writer_store, &err) != GERR_OK) {
		/* Busy past the timeout: this one fails; the next batch
		 * tries again. */
		fail_all(first, &err);
		answer(first);
		return;
	}
	for (;;) {
		apply_one(j);
		writer_ops++;
		*tail = j;
		tail = &j->next;
		/* An I/O error or a full disk may have undone the whole
		 * transaction: then store_batch_commit says it was lost. */
		if (!store_in_transaction(writer_store))
			break;
		if (++n >= WRITER_BATCH_MAX || now_us() - t0 >= WRITER_BATCH_US)
			break;
		if ((j = take()) == NULL)
			break;
	}
	if (store_batch_commit(writer_store, &err) != GERR_OK)
		fail_all(done, &err);
	writer_batches++;
	answer(done);
}

static void *
writer_main(void *arg)
{
	struct writer_job	*j;

	(void)arg;
	pthread_setname_np(pthread_self(), "writer");
	for (;;) {
		pthread_mutex_lock(&writer_lock);
		while (queue_head == NULL && !writer_stopping)
			pthread_cond_wait(&writer_wake, &writer_lock);
		if (queue_head == NULL) {
			pthread_mutex_unlock(&writer_lock);
			break;
		}
		pthread_mutex_unlock(&writer_lock);
		if ((j = take()) != NULL)
			batch(j);
	}
	return (NULL);
}

int
writer_start(const char *database, struct gerror *err)
{
	if (store_open(database, STORE_DURABLE, &writer_store, err) !=
	    GERR_OK)
		return (-1);
	if (store_checkpointer(writer_store) != 0 ||
	    pthread_create(&writer_thread, NULL, writer_main, NULL) != 0) {
		store_close(writer_store);
		writer_store = NULL;
		gerror_set(err, GERR_STORAGE, "cannot start the writer thread");
		return (-1);
	}
	writer_running = 1;
	return (0);
}

void
writer_stop(void)
{
	if (!writer_running)
		return;
	pthread_mutex_lock(&writer_lock);
	writer_stopping = 1;
	pthread_cond_signal(&writer_wake);
	pthread_mutex_unlock(&writer_lock);
	pthread_join(writer_thread, NULL);
	log_info("writer: %llu operations in %llu commits", writer_ops,
	    writer_batches);
	store_close(writer_store);
	writer_store = NULL;
	pthread_mutex_lock(&writer_lock);
	writer_running = 0;
	writer_stopping = 0;
	pthread_mutex_unlock(&writer_lock);
}

/* Refuse operations that come while the writer stops. */
static void
refuse(struct writer_job *jobs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		jobs[i].result = NULL;
		jobs[i].code = gerror_set(&jobs[i].err, GERR_UNREACHABLE,
		    "the server is stopping: try again");
	}
}

/* Queue n jobs for w; the caller holds the lock. */
static void
enqueue(struct writer_job *jobs, size_t n, struct writer_wait *w)
{
	size_t	i;

	w->left = n;
	for (i = 0; i < n; i++) {
		jobs[i].wait = w;
		jobs[i].next = NULL;
		*queue_tail = &jobs[i];
		queue_tail = &jobs[i].next;
	}
	pthread_cond_signal(&writer_wake);
}

void
writer_apply_many(struct writer_job *jobs, size_t n)
{
	struct writer_wait	 w;

	if (n == 0)
		return;
	memset(&w, 0, sizeof w);
	pthread_cond_init(&w.done, NULL);
	pthread_mutex_lock(&writer_lock);
	if (!writer_running || writer_stopping) {
		pthread_mutex_unlock(&writer_lock);
		pthread_cond_destroy(&w.done);
		refuse(jobs, n);
		return;
	}
	enqueue(jobs, n, &w);
	while (w.left > 0)
		pthread_cond_wait(&w.done, &writer_lock);
	pthread_mutex_unlock(&writer_lock);
	pthread_cond_destroy(&w.done);
}

void
writer_submit(struct request *r, struct writer_job *jobs, size_t n,
    void (*done)(struct request *))
{
	struct writer_wait	*w;

	r->jobs = jobs;
	r->njobs = n;
	r->done = done;
	pthread_mutex_lock(&writer_lock);
	if (n == 0 || !writer_running || writer_stopping) {
		pthread_mutex_unlock(&writer_lock);
		refuse(jobs, n);
		done(r);
		return;
	}
	/* Suspended before the writer may resume it. */
	r->waiting = WAIT_WRITER;
	MHD_suspend_connection(r->conn);
	w = xcalloc(1, sizeof *w);
	w->request = r;
	enqueue(jobs, n, w);
	pthread_mutex_unlock(&writer_lock);
}

enum gerr
writer_apply(const struct account *a, const char *op_id, const char *kind,
    json_t *payload, json_t **result, struct gerror *err)
{
	struct writer_job	j;

	memset(&j, 0, sizeof j);
	j.account = a;
	j.op_id = op_id;
	j.kind = kind;
	j.payload = payload;
	writer_apply_many(&j, 1);
	if (err != NULL)
		*err = j.err;
	if (result != NULL)
		*result = j.result;
	else
		json_decref(j.result);
	return (j.code);
}
