/*
 * libFuzzer target for configuration files: the input is written to a
 * temporary file read by conf_read_file (iniparser behind our validating
 * wrapper), then freed; LeakSanitizer checks that nothing is left.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	path[64];

static void
cleanup(void)
{
	if (path[0] != '\0')
		unlink(path);
}

/* The temporary file, made once and rewritten for each input. */
static int
setup(void)
{
	const char	*dir = getenv("TMPDIR");
	int		 fd;

	if (path[0] != '\0')
		return (0);
	snprintf(path, sizeof path, "%s/guichet-fuzz-conf.XXXXXX",
	    dir != NULL && *dir == '/' && strlen(dir) < 24 ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1) {
		perror("fuzz_conf: mkstemp");
		abort();
	}
	close(fd);
	atexit(cleanup);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	cfg;
	struct gerror	err;
	enum gerr	e;
	FILE		*f;

	setup();
	if ((f = fopen(path, "w")) == NULL) {
		perror("fuzz_conf: fopen");
		abort();
	}
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		perror("fuzz_conf: fwrite");
		abort();
	}
	fclose(f);
	memset(&cfg, 0, sizeof cfg);
	gerror_clear(&err);
	e = conf_read_file(&cfg, path, &err);
	if (e >= GERR__COUNT || (e != GERR_OK && err.msg[0] == '\0')) {
		fprintf(stderr, "fuzz_conf: error %d without a message\n",
		    (int)e);
		abort();
	}
	conf_free(&cfg);
	return (0);
}
