/* config: option files (see config.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static err_code push(cfg_args *a, const char *s, size_t len, err *e)
{
    char **v = realloc(a->argv, (a->argc + 1) * sizeof *v);
    if (!v)
        return err_set(e, E_NOMEM, "out of memory reading options");
    a->argv = v;
    if (!(v[a->argc] = malloc(len + 1)))
        return err_set(e, E_NOMEM, "out of memory reading options");
    memcpy(v[a->argc], s, len);
    v[a->argc++][len] = '\0';
    return E_OK;
}

/* The value at p: quoted (escapes \" and \\) or bare to a '#' or the end; trailing blanks
 * dropped. Written into out (as long as the line). false on an unterminated quote. */
static bool read_value(const char *p, char *out, size_t *len)
{
    size_t n = 0;
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                p++;
            out[n++] = *p;
        }
        if (*p != '"')
            return false;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && *p != '#')
            return false;
    } else {
        while (*p && *p != '#')
            out[n++] = *p++;
        while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
            n--;
    }
    *len = n;
    return true;
}

err_code cfg_read_args(const char *path, cfg_option_known known, cfg_args *args, err *e)
{
    memset(args, 0, sizeof *args);
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(e, E_IO, "cannot read %s: %s", path, strerror(errno));
    char line[8192], value[8192];
    size_t lineno = 0;
    err_code rc = E_OK;
    while (rc == E_OK && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        char *name = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '=' && *p != '#')
            p++;
        size_t nlen = (size_t)(p - name);
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '=')
            for (p++; *p == ' ' || *p == '\t'; p++)
                ;
        char opt[128];
        snprintf(opt, sizeof opt, "%.*s", (int)(nlen < 100 ? nlen : 100), name);
        bool takes = false;
        size_t vlen = 0;
        if (!known(opt, &takes)) {
            rc = err_set(e, E_PARSE, "%s:%zu: unknown option '%s'", path, lineno, opt);
        } else if (!read_value(p, value, &vlen)) {
            rc = err_set(e, E_PARSE, "%s:%zu: unterminated quote in the value of '%s'", path,
                         lineno, opt);
        } else if (takes && vlen == 0) {
            rc = err_set(e, E_PARSE, "%s:%zu: option '%s' needs a value", path, lineno, opt);
        } else if (!takes && vlen > 0) {
            rc = err_set(e, E_PARSE, "%s:%zu: option '%s' takes no value", path, lineno, opt);
        } else {
            char dashed[140];
            int dl = snprintf(dashed, sizeof dashed, "--%s", opt);
            rc = push(args, dashed, (size_t)dl, e);
            if (rc == E_OK && takes)
                rc = push(args, value, vlen, e);
        }
    }
    if (rc == E_OK && ferror(f))
        rc = err_set(e, E_IO, "cannot read %s", path);
    fclose(f);
    if (rc)
        cfg_args_done(args);
    return rc;
}

void cfg_args_done(cfg_args *args)
{
    for (size_t i = 0; i < args->argc; i++)
        free(args->argv[i]);
    free(args->argv);
    memset(args, 0, sizeof *args);
}
