/*
 * The guichet command line (SPEC.md section 7): one table of subcommands
 * mapped to the core's operations (ops.h) and queries (query.h).
 */
#ifndef GUICHET_CLI_H
#define GUICHET_CLI_H

/* Run guichet with its arguments; returns the exit status. */
int	cli_main(int argc, char **argv);

#endif
