#include "ldheader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "strdict.h"
#include "utf8.h"

int lhdr_find(const char *const *names, size_t n, const char *name)
{
    for (size_t c = 0; c < n; c++)
        if (strcmp(names[c], name) == 0)
            return (int)c;
    for (size_t c = 0; c < n; c++)
        if (strcasecmp(names[c], name) == 0)
            return (int)c;
    return -1;
}

err_code lhdr_flag(const char *const *names, size_t n, const char *const *list, size_t nlist,
                   bool *flags, const char *what, const lrep_where *w, err *e)
{
    for (size_t i = 0; i < nlist; i++) {
        int c = lhdr_find(names, n, list[i]);
        if (c < 0)
            return err_set(e, E_USAGE, "%s: no column named '%s' (given as a %s column)",
                           w->src->name, list[i], what);
        flags[c] = true;
    }
    return E_OK;
}

/* The first name that is not valid UTF-8 or repeats an earlier one. */
static err_code check_unique(char **names, size_t n, strdict *seen, const lrep_where *w, err *e)
{
    for (size_t c = 0; c < n; c++) {
        const char *s = names[c];
        size_t len = strlen(s);
        if (len == 0)
            continue;
        if (u8_check(s, len) < len)
            return err_set(e, E_PARSE, "%s:%zu: column %zu: the name is not valid UTF-8",
                           w->src->name, lrep_record_line(w, 0), c + 1);
        uint32_t code, before = sd_count(seen);
        err_code rc = sd_intern(seen, s, len, &code, e);
        if (rc != E_OK)
            return rc;
        if (code != before) {
            int first = lhdr_find((const char *const *)names, n, s);
            return err_set(e, E_PARSE, "%s:%zu: duplicate column name '%s' (columns %d and %zu)",
                           w->src->name, lrep_record_line(w, 0), s, first + 1, c + 1);
        }
    }
    return E_OK;
}

/* column_N, or column_N_2, column_N_3, ... when taken. */
static err_code generate(char **name, size_t c, strdict *seen, err *e)
{
    strbuf b;
    sb_init(&b);
    err_code rc = E_OK;
    for (unsigned k = 1;; k++) {
        sb_clear(&b);
        if (sb_printf(&b, k == 1 ? "column_%zu" : "column_%zu_%u", c + 1, k) != E_OK) {
            rc = err_set(e, E_NOMEM, "out of memory");
            break;
        }
        if (sd_find(seen, b.s, b.len) == CODE_NA)
            break;
    }
    uint32_t code;
    if (rc == E_OK && (rc = sd_intern(seen, b.s, b.len, &code, e)) == E_OK) {
        char *s = sb_take(&b);
        if (!s) {
            rc = err_set(e, E_NOMEM, "out of memory");
        } else {
            free(*name);
            *name = s;
        }
    }
    sb_done(&b);
    return rc;
}

err_code lhdr_check(char **names, size_t n, const lrep_where *w, err *e)
{
    strdict *seen = NULL;
    err_code rc = sd_new(&seen, e);
    if (rc == E_OK)
        rc = check_unique(names, n, seen, w, e);
    for (size_t c = 0; rc == E_OK && c < n; c++)
        if (names[c][0] == '\0')
            rc = generate(&names[c], c, seen, e);
    sd_free(seen);
    return rc;
}
