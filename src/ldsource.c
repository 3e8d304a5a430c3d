#include "ldsource.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"

int lsrc_get(const lsrc *s, size_t off, size_t n, char *buf, const char **out)
{
    if (s->mem) {
        *out = s->mem + off;
        return 0;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(s->fd, buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno;
        if (r == 0)
            return -1;
        got += (size_t)r;
    }
    *out = buf;
    return 0;
}

int lsrc_read_full(int fd, char *buf, size_t n, size_t *got)
{
    *got = 0;
    while (*got < n) {
        ssize_t r = read(fd, buf + *got, n - *got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno;
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return 0;
}

int lsrc_write_full(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return errno;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int lsrc_spool(int *fd)
{
    const char *dir = getenv("TMPDIR");
    strbuf path;
    sb_init(&path);
    if (sb_printf(&path, "%s/faultline-stdin-XXXXXX", dir && *dir ? dir : "/tmp") != E_OK) {
        sb_done(&path);
        return ENOMEM;
    }
    *fd = mkstemp(path.s);
    int eno = *fd < 0 ? errno : 0;
    if (*fd >= 0)
        unlink(path.s);
    sb_done(&path);
    return eno;
}

err_code lsrc_io_error(const lsrc *s, int eno, err *e)
{
    if (eno == -1)
        return err_set(e, E_IO, "%s: the file changed while it was being read", s->name);
    return err_set(e, E_IO, "%s: read error: %s", s->name, strerror(eno));
}
