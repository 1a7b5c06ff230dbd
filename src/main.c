/* guichet: the reception desk's terminal application. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "cli.h"
#include "i18n.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* Parsers and printf keep the dot whatever the locale. */
	setlocale(LC_NUMERIC, "C");
#ifdef ENABLE_NLS
	{
		/* GUICHET_LOCALEDIR: catalogs not installed yet (tests). */
		const char	*dir = getenv("GUICHET_LOCALEDIR");

		bindtextdomain(PACKAGE, dir != NULL && dir[0] != '\0' ? dir :
		    LOCALEDIR);
		bind_textdomain_codeset(PACKAGE, "UTF-8");
		textdomain(PACKAGE);
	}
#endif
	return (cli_main(argc, argv));
}
