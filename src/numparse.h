/* numparse: decimal numbers as written in CSV files, converted to the nearest double.
 * Accepted: optional sign, digits, optional fraction, optional exponent ("12", "-3.5",
 * ".5", "1.", "2e-7", "+1E+05"), with spaces or tabs around them (quoted cells).
 * Rejected: hexadecimal, "inf", "nan", thousands separators ("1,000"), trailing junk, and
 * values that overflow a double. The result is exactly what strtod gives in the C locale:
 * short inputs take an exact fast path, the rest go through strtod. */
#ifndef SRC_NUMPARSE_H
#define SRC_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>

/* Parses s[0..len). The byte s[len] must be readable and must not be able to continue a
 * number (a NUL, as libcsv and strdict provide, or a space): the slow path hands the text to
 * strtod, which stops there. strtod follows LC_NUMERIC, so a caller that may run under
 * another numeric locale must switch its thread to the C locale (uselocale) first. */
bool np_parse(const char *s, size_t len, double *out);

#endif
