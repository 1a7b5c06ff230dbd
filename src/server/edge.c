/*
 * The edge: connections before they are requests. libmicrohttpd renews a
 * connection's idle timeout on any byte, so a client trickling one header
 * line every few seconds holds a connection for ever, and a thousand such
 * took the server down (slowloris). Here:
 *
 * - each client address (an IPv6 address by its /64) has at most
 *   `connections_per_address` connections at once (the trusted proxy, if
 *   any, is not limited: it speaks for many);
 * - a request must arrive whole, headers and body, within
 *   `request_seconds` of the connection's start or of the end of the
 *   connection's previous request; a watchdog shuts down the socket of a
 *   connection past its deadline (libmicrohttpd then closes it), so the
 *   workers keep serving the others.
 *
 * The time a handler takes and the reply do not count (http.c marks
 * them); a deferred login waits without a deadline.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "server.h"
#include "xmalloc.h"

struct edge_conn {
	int			 fd;
	int64_t			 deadline;	/* 0 while busy */
	int			 shut;
	unsigned char		 key[17];	/* family, then address */
	int			 limited;
	struct edge_conn	*prev, *next;
};

struct edge_count {
	unsigned char	key[17];
	int		n;
};

static pthread_mutex_t	 edge_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 edge_cond = PTHREAD_COND_INITIALIZER;
static struct edge_conn	*edge_list;
static struct edge_count *edge_counts;
static size_t		 edge_ncounts, edge_capcounts;
static int		 edge_per_address, edge_seconds, edge_stopping;
static int		 edge_running;
static unsigned char	 edge_proxy[17];
static pthread_t	 edge_thread;

static int64_t
mono_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec);
}

/* The key an address is counted by: IPv4 whole, IPv6 by its /64. */
static int
address_key(const struct sockaddr *sa, unsigned char key[17])
{
	memset(key, 0, 17);
	if (sa == NULL)
		return (-1);
	if (sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, 4);
		return (0);
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			key[0] = 4;
			memcpy(key + 1, a6->s6_addr + 12, 4);
			return (0);
		}
		key[0] = 6;
		memcpy(key + 1, a6->s6_addr, 8);
		return (0);
	}
	return (-1);
}

static struct edge_count *
count_of(const unsigned char key[17])
{
	size_t	i;

	for (i = 0; i < edge_ncounts; i++)
		if (memcmp(edge_counts[i].key, key, 17) == 0)
			return (&edge_counts[i]);
	return (NULL);
}

enum MHD_Result
edge_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
	unsigned char		 key[17];
	struct edge_count	*c;
	enum MHD_Result		 ok = MHD_YES;

	(void)cls;
	(void)len;
	if (edge_per_address <= 0 || address_key(sa, key) != 0 ||
	    memcmp(key, edge_proxy, 17) == 0)
		return (MHD_YES);
	pthread_mutex_lock(&edge_lock);
	if ((c = count_of(key)) != NULL && c->n >= edge_per_address)
		ok = MHD_NO;
	pthread_mutex_unlock(&edge_lock);
	return (ok);
}

void
edge_notify(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo	*ci;
	struct edge_conn		*e = *ctx;
	struct edge_count		*c;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		e = xcalloc(1, sizeof *e);
		e->fd = -1;
		if ((ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD)) != NULL)
			e->fd = ci->connect_fd;
		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		e->limited = ci != NULL && address_key(ci->client_addr,
		    e->key) == 0 && memcmp(e->key, edge_proxy, 17) != 0;
		pthread_mutex_lock(&edge_lock);
		e->deadline = mono_s() + edge_seconds;
		if ((e->next = edge_list) != NULL)
			edge_list->prev = e;
		edge_list = e;
		if (e->limited) {
			if ((c = count_of(e->key)) == NULL) {
				if (edge_ncounts == edge_capcounts) {
					edge_capcounts = edge_capcounts * 2 +
					    16;
					edge_counts = xreallocarray(
					    edge_counts, edge_capcounts,
					    sizeof *edge_counts);
				}
				c = &edge_counts[edge_ncounts++];
				memcpy(c->key, e->key, 17);
				c->n = 0;
			}
			c->n++;
		}
		pthread_mutex_unlock(&edge_lock);
		*ctx = e;
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_CLOSED || e == NULL)
		return;
	/* Out of the list before libmicrohttpd closes the descriptor: the
	 * watchdog never shuts a descriptor reused by another. */
	pthread_mutex_lock(&edge_lock);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		edge_list = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	if (e->limited && (c = count_of(e->key)) != NULL && --c->n <= 0)
		*c = edge_counts[--edge_ncounts];
	pthread_mutex_unlock(&edge_lock);
	free(e);
	*ctx = NULL;
}

static struct edge_conn *
edge_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo	*ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return (ci != NULL ? ci->socket_context : NULL);
}

void
edge_busy(struct MHD_Connection *conn, int busy)
{
	struct edge_conn	*e = edge_of(conn);

	if (e == NULL)
		return;
	pthread_mutex_lock(&edge_lock);
	e->deadline = busy ? 0 : mono_s() + edge_seconds;
	pthread_mutex_unlock(&edge_lock);
}

static void *
watchdog(void *arg)
{
	struct edge_conn	*e;
	struct timespec		 ts;
	int64_t			 now;

	(void)arg;
	pthread_mutex_lock(&edge_lock);
	while (!edge_stopping) {
		now = mono_s();
		for (e = edge_list; e != NULL; e = e->next)
			if (!e->shut && e->deadline != 0 && e->deadline < now &&
			    e->fd >= 0) {
				shutdown(e->fd, SHUT_RDWR);
				e->shut = 1;
			}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000 * 1000;
		if (ts.tv_nsec >= 1000 * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&edge_cond, &edge_lock, &ts);
	}
	pthread_mutex_unlock(&edge_lock);
	return (NULL);
}

int
edge_start(int per_address, int seconds, const struct sockaddr *proxy)
{
	edge_per_address = per_address;
	edge_seconds = seconds;
	if (proxy != NULL)
		address_key(proxy, edge_proxy);
	if (pthread_create(&edge_thread, NULL, watchdog, NULL) != 0)
		return (-1);
	edge_running = 1;
	return (0);
}

void
edge_stop(void)
{
	if (!edge_running)
		return;
	pthread_mutex_lock(&edge_lock);
	edge_stopping = 1;
	pthread_cond_signal(&edge_cond);
	pthread_mutex_unlock(&edge_lock);
	pthread_join(edge_thread, NULL);
	edge_running = 0;
}
