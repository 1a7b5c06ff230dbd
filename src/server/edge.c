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
 *
 * - libmicrohttpd 0.9.75 answers a Content-Length it cannot read (a sign,
 *   a letter, an overflow) with its status line and headers twice: a
 *   proxy in front would read two answers. So guichetd's own recv() (it
 *   takes the place of the C library's for the whole program) reads the
 *   head of each request of a served connection as it comes, and refuses
 *   such a head itself with one 400 before libmicrohttpd sees it. Other
 *   descriptors (the sweeper's SMTP, say) pass through untouched.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
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

/* The scanner of a connection's request head, by descriptor. */
enum scan_state {
	SCAN_LINE,		/* at the start of a line */
	SCAN_NAME,		/* matching "content-length" */
	SCAN_COLON,		/* the name matched: ':' next */
	SCAN_WS,		/* spaces before the value */
	SCAN_DIGITS,
	SCAN_TRAIL,		/* spaces after it */
	SCAN_CR,		/* a CR: LF next */
	SCAN_OTHER,		/* another line: up to its LF */
	SCAN_EMPTY_CR,		/* a CR at the start of a line */
};

struct edge_scan {
	unsigned char	 on;		/* reading a head */
	unsigned char	 bad;		/* refused: EOF from now on */
	unsigned char	 state;
	unsigned char	 n;		/* characters of the name, or digits */
};

static struct edge_scan	*edge_scans;
static size_t		 edge_nscans;
static const char	 cl_name[] = "content-length";
static const char	 cl_refusal[] = "HTTP/1.1 400 Bad Request\r\n"
    "Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n"
    "Content-Length: 105\r\n\r\n{\"error\":{\"code\":\"bad_request\","
    "\"message\":\"refused: Content-Length is not a number of 18 digits "
    "at most\"}}";

static void
scan_reset(int fd, int on)
{
	if (fd < 0 || (size_t)fd >= edge_nscans)
		return;
	edge_scans[fd].on = (unsigned char)on;
	edge_scans[fd].bad = 0;
	edge_scans[fd].state = SCAN_LINE;
	edge_scans[fd].n = 0;
}

/* Read bytes of a head: 0 while sound, -1 at a bad Content-Length. */
static int
scan(struct edge_scan *sc, const unsigned char *p, size_t len)
{
	size_t	i;
	int	c;

	for (i = 0; i < len && sc->on; i++) {
		c = p[i];
		switch (sc->state) {
		case SCAN_LINE:
			if (c == '\r')
				sc->state = SCAN_EMPTY_CR;
			else if (c == '\n')
				sc->on = 0;	/* the head's end */
			else if ((c | 0x20) == cl_name[0]) {
				sc->state = SCAN_NAME;
				sc->n = 1;
			} else
				sc->state = SCAN_OTHER;
			break;
		case SCAN_EMPTY_CR:
			if (c == '\n')
				sc->on = 0;
			else
				sc->state = SCAN_OTHER;
			break;
		case SCAN_NAME:
			if (c == '\n')
				sc->state = SCAN_LINE;
			else if ((c | 0x20) != cl_name[sc->n] && !(c == '-' &&
			    cl_name[sc->n] == '-'))
				sc->state = SCAN_OTHER;
			else if (cl_name[++sc->n] == '\0')
				sc->state = SCAN_COLON;
			break;
		case SCAN_COLON:
			sc->state = c == ':' ? SCAN_WS : c == '\n' ?
			    SCAN_LINE : SCAN_OTHER;
			break;
		case SCAN_WS:
			if (c == ' ' || c == '\t')
				break;
			if (c < '0' || c > '9')
				return (-1);
			sc->state = SCAN_DIGITS;
			sc->n = 1;
			break;
		case SCAN_DIGITS:
			if (c >= '0' && c <= '9') {
				if (++sc->n > 18)
					return (-1);
			} else if (c == ' ' || c == '\t')
				sc->state = SCAN_TRAIL;
			else if (c == '\r')
				sc->state = SCAN_CR;
			else if (c == '\n')
				sc->state = SCAN_LINE;
			else
				return (-1);
			break;
		case SCAN_TRAIL:
			if (c == '\r')
				sc->state = SCAN_CR;
			else if (c == '\n')
				sc->state = SCAN_LINE;
			else if (c != ' ' && c != '\t')
				return (-1);
			break;
		case SCAN_CR:
			if (c != '\n')
				return (-1);
			sc->state = SCAN_LINE;
			break;
		default:	/* SCAN_OTHER */
			if (c == '\n')
				sc->state = SCAN_LINE;
			break;
		}
	}
	return (0);
}

/*
 * The recv() of the whole program (libmicrohttpd's included): the system
 * call, then the scan of a head being read. A connection with a bad
 * Content-Length gets one 400 and an end of file.
 */
ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
	struct edge_scan	*sc;
	ssize_t			 n;

	sc = fd >= 0 && (size_t)fd < edge_nscans ? &edge_scans[fd] : NULL;
	if (sc != NULL && sc->bad)
		return (0);
	n = (ssize_t)syscall(SYS_recvfrom, fd, buf, len, flags, NULL, NULL);
	if (n <= 0 || sc == NULL || !sc->on || (flags & MSG_PEEK))
		return (n);
	if (scan(sc, buf, (size_t)n) != 0) {
		sc->bad = 1;
		sc->on = 0;
		(void)syscall(SYS_sendto, fd, cl_refusal, sizeof cl_refusal - 1,
		    MSG_NOSIGNAL, NULL, 0);
		shutdown(fd, SHUT_WR);
		return (0);
	}
	return (n);
}

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
		scan_reset(e->fd, 1);
		*ctx = e;
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_CLOSED || e == NULL)
		return;
	/* Out of the list before libmicrohttpd closes the descriptor: the
	 * watchdog never shuts a descriptor reused by another. */
	scan_reset(e->fd, 0);
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
	/* The next request's head is read again. */
	if (!busy)
		scan_reset(e->fd, 1);
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
	pthread_setname_np(pthread_self(), "watchdog");
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
	struct rlimit	rl;

	edge_per_address = per_address;
	edge_seconds = seconds;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		edge_nscans = rl.rlim_cur;
	else
		edge_nscans = 65536;
	if (edge_nscans > 1 << 20)
		edge_nscans = 1 << 20;
	edge_scans = xcalloc(edge_nscans, sizeof *edge_scans);
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
