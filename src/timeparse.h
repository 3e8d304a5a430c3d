/* timeparse: ISO-8601 dates and date-times to seconds since 1970-01-01T00:00:00Z.
 * Accepted: YYYY-MM-DD, or YYYY-MM-DD followed by T, t or a space and HH:MM[:SS[.frac]],
 * then optionally Z (or z), +HH:MM, +HHMM or +HH (or -). No zone means UTC. Years 0001-9999
 * (old mailers wrote 0102 for 2002; such dates are kept as written). The calendar is the
 * proleptic Gregorian one computed directly, so the result never depends on the TZ variable,
 * the locale or the C library's time functions. */
#ifndef SRC_TIMEPARSE_H
#define SRC_TIMEPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses s[0..len) (spaces or tabs around it are allowed) into *epoch (seconds, UTC, with
 * the fraction). Rejects impossible dates such as 2023-02-29 and out-of-range fields. */
bool tp_parse(const char *s, size_t len, double *epoch);

/* Days from 1970-01-01 to the given proleptic Gregorian date (negative before 1970). */
int64_t tp_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
