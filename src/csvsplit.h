/* csvsplit: raw-byte scans that let the loader start before libcsv has seen anything:
 * the extent and delimiter of the header record, and places to cut a file into pieces that
 * separate threads can parse (a cut must fall between records, never inside quotes). */
#ifndef SRC_CSVSPLIT_H
#define SRC_CSVSPLIT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    SPL_OK,   /* the header record is complete */
    SPL_MORE, /* the buffer ends inside it: read more */
    SPL_EMPTY /* nothing but blank lines, and eof */
} spl_status;

/* Scans the first non-blank record of buf[0..len) (eof: nothing follows). On SPL_OK, *end
 * is the offset just past its terminator (len at eof) and *delim the most frequent of
 * , ; TAB | outside quotes in it (comma on ties or when none occurs). */
spl_status spl_header(const char *buf, size_t len, bool eof, size_t *end, char *delim);

/* Finds a cut in w[0..n), a window that starts at an unknown place in the file: the offset
 * just past an LF that ends a record. Whether the window starts inside quotes is inferred
 * from the first quote that can only be read one way (in valid strict CSV, a quote after an
 * ordinary character is inside quotes; a run of k quotes before an ordinary character starts
 * outside quotes when k is odd); with no such quote, outside is assumed. The guess may be
 * wrong, so the loader checks each cut once the piece before it is parsed. False when the
 * window holds no usable LF. */
bool spl_boundary(const char *w, size_t n, char delim, size_t *cut);

#endif
