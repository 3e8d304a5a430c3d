/* Helpers shared by the Criterion suites: load inline CSV, read files, run the binary. */
#ifndef TESTS_FL_TEST_H
#define TESTS_FL_TEST_H

#include <stddef.h>

#include "dataset.h"
#include "loader.h"

/* Loads csv text with default options; fails the test with the loader's message on error. */
dataset *fl_load_str(const char *csv);
/* Loads a file (path relative to the source tree or absolute); fails the test on error. */
dataset *fl_load_file(const char *path);
/* Path of a prediction file in samples/ (copies of the real models' predictions), in a static
 * buffer. */
const char *fl_shared(const char *name);
/* Runs the faultline binary with args (a shell-quoted string); stdout into *out (malloc'd),
 * returns the exit status. stderr goes into *errout when non-NULL. */
int fl_run(const char *args, char **out, char **errout);
/* Reads a whole file (malloc'd, NUL-terminated); NULL when it cannot. */
char *fl_read_file(const char *path, size_t *len);

#endif
