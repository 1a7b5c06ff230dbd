/*
 * The core's Check program: one SRunner over the suites of each module.
 * The demo template is built once here, before any test forks.
 */
#include "config.h"

#include <stdlib.h>

#include "fixture.h"

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	fx_template_init();
	sr = srunner_create(suite_time());
	srunner_add_suite(sr, suite_rules());
	srunner_add_suite(sr, suite_rights());
	srunner_add_suite(sr, suite_ops());
	srunner_add_suite(sr, suite_conf());
	srunner_add_suite(sr, suite_sync());
	srunner_add_suite(sr, suite_staff());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fx_template_cleanup();
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
