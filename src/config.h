/* config: a file of options (faultline.conf in the working directory, or --config FILE),
 * one per line, written as on the command line without the leading dashes:
 *     # release gate for the spam model
 *     levels 2
 *     min-support = 1%
 *     filter "corpus_group != \"easy_ham\""
 *     fail-if error_rate > 0.05
 *     cluster-all
 * A value runs to the end of the line (quotes optional, with \" and \\ inside quotes); '#'
 * starts a comment outside quotes. The options become arguments placed before the command
 * line's, so that a flag given on the command line overrides the file (and repeatable ones,
 * such as filter, add up). */
#ifndef SRC_CONFIG_H
#define SRC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Whether an option exists and whether it takes a value; supplied by the program, which owns
 * the option table. */
typedef bool (*cfg_option_known)(const char *name, bool *takes_value);

typedef struct cfg_args {
    char **argv;  /* owned strings: "--name", then "value" when it takes one */
    size_t argc;
} cfg_args;

/* Reads path into args. E_IO (unreadable), E_PARSE "path:LINE: unknown option 'x'" or
 * "path:LINE: option 'x' needs a value" / "takes no value", E_NOMEM. */
err_code cfg_read_args(const char *path, cfg_option_known known, cfg_args *args, err *e);
void cfg_args_done(cfg_args *args);

#endif
