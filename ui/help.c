#include "help.h"

#include <stdio.h>
#include <string.h>

/* The keys bound to act in context, joined by blanks; those a pane binding hides are left
 * out of the global list. */
static void keys_of(const keymap *km, const char *context, const char *pane, action act,
                    char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < km->len; i++) {
        const km_binding *b = &km->v[i];
        if (b->act != act || strcmp(b->context, context) != 0)
            continue;
        if (pane && strcmp(context, "global") == 0 && km_lookup(km, pane, b->key) != act)
            continue;
        char name[32];
        km_key_name(b->key, name, sizeof name);
        int n = snprintf(buf + len, size - len, "%s%s", len ? " " : "", name);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
}

static err_code section(const keymap *km, const char *context, const char *pane,
                        const char *heading, strbuf *out)
{
    err_code rc = sb_printf(out, "%s\n", heading);
    for (int a = 0; a < ACT_COUNT && rc == E_OK; a++) {
        char keys[128];
        keys_of(km, context, pane, (action)a, keys, sizeof keys);
        if (keys[0])
            rc = sb_printf(out, "  %-14s %-18s %s\n", keys, act_name((action)a),
                           act_help((action)a));
    }
    return rc == E_OK ? sb_puts(out, "\n") : rc;
}

err_code help_text(const keymap *km, const char *context, strbuf *out, err *e)
{
    char heading[96];
    snprintf(heading, sizeof heading, "Keys of the %s pane", context);
    err_code rc = section(km, context, NULL, heading, out);
    if (rc == E_OK)
        rc = section(km, "global", context, "Global keys", out);
    if (rc == E_OK)
        rc = sb_puts(out, "Every action also runs by name from the palette (:).\n"
                          "Keys: $XDG_CONFIG_HOME/faultline/keys, lines 'bind CONTEXT KEY "
                          "ACTION'.\n");
    return rc == E_OK ? E_OK : err_set(e, E_NOMEM, "out of memory");
}

int help_draw(canvas *cv, const char *text, int top)
{
    int w = cv->w - 4 < 100 ? cv->w - 4 : 100, h = cv->h - 2;
    canvas box = cv_sub(cv, 1, (cv->w - w) / 2, h, w);
    cv_fill(&box, UI_NORMAL);
    cv_box(&box, "Help  (q closes, arrows scroll)", UI_PANE_TITLE_FOCUS, UI_BORDER);
    int line = 0;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf - 1 ? n : sizeof buf - 1), p);
        int y = 1 + line - top;
        if (y >= 1 && y < h - 1)
            cv_text(&box, y, 2, buf, w - 4, buf[0] && buf[0] != ' ' ? UI_HEADER : UI_NORMAL);
        p = nl ? nl + 1 : p + n;
    }
    return line;
}
