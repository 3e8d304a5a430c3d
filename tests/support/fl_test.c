#include "fl_test.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

dataset *fl_load_str(const char *csv)
{
    ld_opts o;
    ld_opts_init(&o);
    dataset *ds = NULL;
    err e = {0};
    err_code rc = ld_csv_mem(&ds, "test.csv", csv, strlen(csv), &o, &e);
    cr_assert(rc == E_OK, "load failed: %s", e.msg);
    return ds;
}

dataset *fl_load_file(const char *path)
{
    ld_opts o;
    ld_opts_init(&o);
    dataset *ds = NULL;
    err e = {0};
    char full[4096];
    if (path[0] == '/')
        snprintf(full, sizeof full, "%s", path);
    else
        snprintf(full, sizeof full, "%s/%s", FL_SOURCE_DIR, path);
    err_code rc = ld_csv_file(&ds, full, &o, &e);
    cr_assert(rc == E_OK, "load of %s failed: %s", full, e.msg);
    return ds;
}

const char *fl_shared(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", FL_SHARED_DATA, name);
    return buf;
}

char *fl_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int fl_run(const char *args, char **out, char **errout)
{
    char outp[] = "/tmp/fl_test_outXXXXXX", errp[] = "/tmp/fl_test_errXXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >'%s' 2>'%s' </dev/null", FL_SOURCE_DIR,
             FL_BINARY, args, outp, errp);
    int st = system(cmd);
    *out = fl_read_file(outp, NULL);
    if (errout)
        *errout = fl_read_file(errp, NULL);
    unlink(outp);
    unlink(errp);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
