/* ldsource: where a load's bytes come from: memory, a file read with pread (by several
 * threads at once), or standard input, which is copied as it is read into an unlinked
 * temporary file (the spool) so that it can be read again for line numbers or a second
 * pass. No parsing here. */
#ifndef SRC_LDSOURCE_H
#define SRC_LDSOURCE_H

#include <stddef.h>

#include "err.h"

typedef struct lsrc {
    const char *name; /* borrowed; the input as messages name it */
    const char *mem;  /* borrowed; the whole input for ld_csv_mem, else NULL */
    int fd;           /* a file that pread can read (not owned), or -1 */
    size_t size;      /* bytes in the input */
} lsrc;

/* Makes input bytes [off, off + n) available in *out: a pointer into memory, or read into
 * buf (n bytes). Returns 0, an errno, or -1 when the file ended early. Thread-safe. */
int lsrc_get(const lsrc *s, size_t off, size_t n, char *buf, const char **out);
/* Reads up to n bytes from a stream, stopping early only at its end. Returns 0 or errno. */
int lsrc_read_full(int fd, char *buf, size_t n, size_t *got);
/* Writes all n bytes. Returns 0 or errno. */
int lsrc_write_full(int fd, const char *buf, size_t n);
/* Creates the spool in $TMPDIR (default /tmp) and unlinks it at once, so that it goes away
 * with the descriptor (*fd, owned by the caller). Returns 0 or errno. */
int lsrc_spool(int *fd);
/* The message for a failed read: errno, or -1 (the file shrank). Returns E_IO. */
err_code lsrc_io_error(const lsrc *s, int eno, err *e);

#endif
