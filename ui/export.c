#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static err_code csv_cell(strbuf *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r"))
        return sb_puts(out, s);
    err_code rc = sb_puts(out, "\"");
    for (const char *p = s; *p && rc == E_OK; p++)
        rc = *p == '"' ? sb_puts(out, "\"\"") : sb_append(out, p, 1);
    return rc == E_OK ? sb_puts(out, "\"") : rc;
}

err_code ex_selection_csv(const pane_env *env, strbuf *out, err *e)
{
    const dataset *ds = env->ds;
    err_code rc = E_OK;
    for (size_t c = 0; c < ds->ncols && rc == E_OK; c++) {
        rc = c ? sb_puts(out, ",") : E_OK;
        if (rc == E_OK)
            rc = csv_cell(out, ds->cols[c].name);
    }
    if (rc == E_OK)
        rc = sb_puts(out, "\n");
    char *cell = malloc(1 << 16);
    if (!cell)
        return err_set(e, E_NOMEM, "out of memory exporting");
    const bitmap *sel = &env->res->sel;
    for (size_t i = bm_next(sel, 0); i < sel->nbits && rc == E_OK; i = bm_next(sel, i + 1)) {
        for (size_t c = 0; c < ds->ncols && rc == E_OK; c++) {
            rc = c ? sb_puts(out, ",") : E_OK;
            if (rc == E_OK)
                rc = csv_cell(out, ds_cell_text(ds, (int)c, i, cell, 1 << 16));
        }
        if (rc == E_OK)
            rc = sb_puts(out, "\n");
    }
    free(cell);
    return rc == E_OK ? E_OK : err_set(e, E_NOMEM, "out of memory exporting");
}

err_code ex_write(pane *p, pane_env *env, const char *path, size_t *nrows, err *e)
{
    strbuf out;
    sb_init(&out);
    err_code rc;
    if (ends_with(path, ".csv"))
        rc = ex_selection_csv(env, &out, e);
    else
        rc = p->ops->export(p, env, &out, ends_with(path, ".md"), e);
    if (rc != E_OK) {
        sb_done(&out);
        return rc;
    }
    size_t lines = 0;
    for (size_t i = 0; i < out.len; i++)
        lines += out.s[i] == '\n';
    FILE *f = fopen(path, "w");
    if (!f) {
        rc = err_set(e, E_IO, "cannot write %s: %s", path, strerror(errno));
        sb_done(&out);
        return rc;
    }
    bool ok = fwrite(sb_str(&out), 1, out.len, f) == out.len;
    ok = (fclose(f) == 0) && ok;
    sb_done(&out);
    if (!ok)
        return err_set(e, E_IO, "cannot write %s: %s", path, strerror(errno));
    if (nrows && ends_with(path, ".csv")) /* quoted cells may hold line breaks */
        *nrows = env->res->nsel;
    else if (nrows) /* minus the header line (and the Markdown rule) */
        *nrows = lines - (lines ? 1 : 0) - (ends_with(path, ".md") && lines > 1 ? 1 : 0);
    return E_OK;
}

err_code ex_osc52(const char *text, strbuf *out, err *e)
{
    static const char B64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text);
    err_code rc = sb_puts(out, "\033]52;c;");
    for (size_t i = 0; i < n && rc == E_OK; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {B64[(v >> 18) & 63], B64[(v >> 12) & 63],
                     i + 1 < n ? B64[(v >> 6) & 63] : '=', i + 2 < n ? B64[v & 63] : '='};
        rc = sb_append(out, q, 4);
    }
    if (rc == E_OK)
        rc = sb_puts(out, "\a");
    return rc == E_OK ? E_OK : err_set(e, E_NOMEM, "out of memory");
}
