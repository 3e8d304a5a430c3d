#include "table.h"

#include <string.h>

static err_code cell(strbuf *out, bool md, const char *s)
{
    err_code rc = E_OK;
    for (const char *p = s; *p && rc == E_OK; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r')
            rc = sb_puts(out, " ");
        else if (md && *p == '|')
            rc = sb_puts(out, "\\|");
        else
            rc = sb_append(out, p, 1);
    }
    return rc;
}

err_code tbl_row(strbuf *out, bool md, bool header, size_t n, const char *const *cells, err *e)
{
    err_code rc = md ? sb_puts(out, "|") : E_OK;
    for (size_t i = 0; i < n && rc == E_OK; i++) {
        if (md)
            rc = sb_puts(out, " ");
        else if (i > 0)
            rc = sb_puts(out, "\t");
        if (rc == E_OK)
            rc = cell(out, md, cells[i]);
        if (rc == E_OK && md)
            rc = sb_puts(out, " |");
    }
    if (rc == E_OK)
        rc = sb_puts(out, "\n");
    if (rc == E_OK && md && header) {
        rc = sb_puts(out, "|");
        for (size_t i = 0; i < n && rc == E_OK; i++)
            rc = sb_puts(out, "---|");
        if (rc == E_OK)
            rc = sb_puts(out, "\n");
    }
    return rc == E_OK ? E_OK : err_set(e, E_NOMEM, "out of memory exporting");
}
