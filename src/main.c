/* guichet: the reception desk's terminal application. */
#include "config.h"

#include <locale.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* Parsers and printf keep the dot whatever the locale. */
	setlocale(LC_NUMERIC, "C");
	return (cli_main(argc, argv));
}
