/* ldheader: the column names of a load. Checks them (valid UTF-8, no duplicates), names
 * the empty ones, and finds the columns a caller named in the options. */
#ifndef SRC_LDHEADER_H
#define SRC_LDHEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ldreport.h"

/* Index of the column called name: an exact match first, else one that differs only in
 * ASCII case; -1 when none. */
int lhdr_find(const char *const *names, size_t n, const char *name);

/* Sets flags[c] for each column named in list; E_USAGE naming the first unknown one (what:
 * "time" or "text", for the message). */
err_code lhdr_flag(const char *const *names, size_t n, const char *const *list, size_t nlist,
                   bool *flags, const char *what, const lrep_where *w, err *e);

/* Checks names[0..n) (owned strings): E_PARSE for a name that is not valid UTF-8 or appears
 * twice (both positions given). An empty name is replaced by column_N (N its 1-based
 * position), made unique with a suffix if a real column is already called that. */
err_code lhdr_check(char **names, size_t n, const lrep_where *w, err *e);

#endif
