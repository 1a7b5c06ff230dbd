/*
 * JSON text from jansson values, byte for byte what json_dumps(v,
 * JSON_COMPACT | JSON_ENCODE_ANY) writes, for a fraction of its cost.
 */
#ifndef GUICHET_JSONTEXT_H
#define GUICHET_JSONTEXT_H

#include <stddef.h>

#include <jansson.h>

/*
 * The compact text of v, NUL-terminated, with its length in *len if len
 * is not NULL; the caller frees it. NULL where json_dumps fails too: a
 * string that is not UTF-8 (made with a _nocheck function), or a value
 * nested deeper than JSONTEXT_DEPTH (a cycle).
 */
char	*jsontext_dump(const json_t *v, size_t *len);

#define JSONTEXT_DEPTH	2048

#endif
