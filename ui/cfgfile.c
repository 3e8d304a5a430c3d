#include "cfgfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits line in place into words; returns the count, or -1 for an unclosed quote. */
static int split_words(char *line, char **argv)
{
    int argc = 0;
    char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            break;
        if (argc == CFG_MAX_WORDS)
            return argc;
        if (*p == '"') {
            char *w = ++p, *out = p;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                *out++ = *p++;
            }
            if (*p != '"')
                return -1;
            p++;
            *out = '\0';
            argv[argc++] = w;
            continue;
        }
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    return argc;
}

err_code cfg_read(const char *name, const char *text, size_t len, cfg_line_fn fn, void *ctx,
                  strbuf *diag, size_t *nbad, err *e)
{
    size_t bad = 0;
    int lineno = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        lineno++;
        size_t n = end - at;
        if (n && text[at + n - 1] == '\r')
            n--;
        char *line = malloc(n + 1);
        if (!line)
            return err_set(e, E_NOMEM, "out of memory reading %s", name);
        memcpy(line, text + at, n);
        line[n] = '\0';
        char *argv[CFG_MAX_WORDS];
        char msg[256];
        int argc = split_words(line, argv);
        const char *why = NULL;
        if (argc < 0)
            why = "unclosed quote";
        else if (argc > 0)
            why = fn(ctx, argc, argv, msg, sizeof msg);
        if (why) {
            bad++;
            if (diag && sb_printf(diag, "%s:%d: %s\n", name, lineno, why) != E_OK) {
                free(line);
                return err_set(e, E_NOMEM, "out of memory reading %s", name);
            }
        }
        free(line);
        at = end + 1;
    }
    *nbad = bad;
    return E_OK;
}
