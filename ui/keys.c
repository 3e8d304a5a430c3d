#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgfile.h"

extern const char fl_default_keys[];
extern const size_t fl_default_keys_len;

static const struct {
    const char *name;
    int key;
} NAMED[] = {
    {"Enter", K_ENTER}, {"Tab", K_TAB},     {"S-Tab", K_BTAB},   {"BSpace", K_BSPACE},
    {"Esc", K_ESC},     {"Space", ' '},     {"Up", K_UP},        {"Down", K_DOWN},
    {"Left", K_LEFT},   {"Right", K_RIGHT}, {"PgUp", K_PGUP},    {"PgDn", K_PGDN},
    {"Home", K_HOME},   {"End", K_END},     {"Del", K_DEL},      {"Ins", K_INS},
};

/* Decodes one UTF-8 character that makes up the whole of s; -1 otherwise. */
static int utf8_single(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    int n, cp;
    if (u[0] < 0x80)
        n = 1, cp = u[0];
    else if ((u[0] & 0xe0) == 0xc0)
        n = 2, cp = u[0] & 0x1f;
    else if ((u[0] & 0xf0) == 0xe0)
        n = 3, cp = u[0] & 0x0f;
    else if ((u[0] & 0xf8) == 0xf0)
        n = 4, cp = u[0] & 0x07;
    else
        return -1;
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (u[i] & 0x3f);
    }
    return u[n] ? -1 : cp;
}

int km_key_parse(const char *name)
{
    if (!name || !*name)
        return K_NONE;
    for (size_t i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++)
        if (strcasecmp(name, NAMED[i].name) == 0)
            return NAMED[i].key;
    if ((name[0] == 'F' || name[0] == 'f') && name[1]) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (!*end && n >= 1 && n <= 12)
            return K_F1 + (int)n - 1;
    }
    if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] && !name[3]) {
        char c = name[2];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return K_CTRL(c);
    }
    int cp = utf8_single(name);
    return cp > ' ' && cp != 127 ? cp : K_NONE;
}

void km_key_name(int key, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++)
        if (NAMED[i].key == key) {
            snprintf(buf, size, "%s", NAMED[i].name);
            return;
        }
    if (key >= K_F1 && key <= K_F12)
        snprintf(buf, size, "F%d", key - K_F1 + 1);
    else if (key > 0 && key < 32)
        snprintf(buf, size, "C-%c", 'a' + key - 1);
    else if (key > ' ' && key < 0x80)
        snprintf(buf, size, "%c", key);
    else if (key >= 0x80 && key < 0x800)
        snprintf(buf, size, "%c%c", 0xc0 | (key >> 6), 0x80 | (key & 0x3f));
    else if (key >= 0x800 && key < 0x10000)
        snprintf(buf, size, "%c%c%c", 0xe0 | (key >> 12), 0x80 | ((key >> 6) & 0x3f),
                 0x80 | (key & 0x3f));
    else
        snprintf(buf, size, "?");
}

void km_init(keymap *km)
{
    memset(km, 0, sizeof *km);
}

void km_done(keymap *km)
{
    free(km->v);
    memset(km, 0, sizeof *km);
}

err_code km_bind(keymap *km, const char *context, int key, action act, err *e)
{
    for (size_t i = 0; i < km->len; i++)
        if (km->v[i].key == key && strcmp(km->v[i].context, context) == 0) {
            km->v[i].act = act;
            return E_OK;
        }
    if (km->len == km->cap) {
        size_t cap = km->cap ? km->cap * 2 : 64;
        km_binding *v = realloc(km->v, cap * sizeof *v);
        if (!v)
            return err_set(e, E_NOMEM, "out of memory for key bindings");
        km->v = v;
        km->cap = cap;
    }
    km_binding *b = &km->v[km->len++];
    snprintf(b->context, sizeof b->context, "%s", context);
    b->key = key;
    b->act = act;
    return E_OK;
}

static const km_binding *find(const keymap *km, const char *context, int key)
{
    for (size_t i = 0; i < km->len; i++)
        if (km->v[i].key == key && strcmp(km->v[i].context, context) == 0)
            return &km->v[i];
    return NULL;
}

action km_lookup(const keymap *km, const char *context, int key)
{
    const km_binding *b = context ? find(km, context, key) : NULL;
    if (!b)
        b = find(km, "global", key);
    return b ? b->act : ACT_NONE;
}

int km_key_of(const keymap *km, const char *context, action act)
{
    for (size_t i = 0; i < km->len; i++)
        if (km->v[i].act == act && strcmp(km->v[i].context, context) == 0)
            return km->v[i].key;
    return K_NONE;
}

typedef struct load_ctx {
    keymap *km;
    err_code rc; /* E_NOMEM stops the load */
    err *e;
} load_ctx;

static const char *load_line(void *ctx, int argc, char **argv, char *msg, size_t size)
{
    load_ctx *lc = ctx;
    bool unbind = strcmp(argv[0], "unbind") == 0;
    if (!unbind && strcmp(argv[0], "bind") != 0) {
        snprintf(msg, size, "unknown directive '%s' (bind or unbind)", argv[0]);
        return msg;
    }
    if (argc != (unbind ? 3 : 4)) {
        snprintf(msg, size, unbind ? "usage: unbind CONTEXT KEY" : "usage: bind CONTEXT KEY ACTION");
        return msg;
    }
    if (strlen(argv[1]) >= KM_CONTEXT_MAX) {
        snprintf(msg, size, "context name too long '%s'", argv[1]);
        return msg;
    }
    int key = km_key_parse(argv[2]);
    if (key == K_NONE) {
        snprintf(msg, size, "unknown key '%s'", argv[2]);
        return msg;
    }
    action act = unbind ? ACT_NONE : act_find(argv[3]);
    if (!unbind && act == ACT_NONE) {
        snprintf(msg, size, "unknown action '%s'", argv[3]);
        return msg;
    }
    if (lc->rc == E_OK)
        lc->rc = km_bind(lc->km, argv[1], key, act, lc->e);
    return NULL;
}

err_code km_load(keymap *km, const char *name, const char *text, size_t len, strbuf *diag,
                 size_t *nbad, err *e)
{
    load_ctx lc = {km, E_OK, e};
    size_t bad = 0;
    err_code rc = cfg_read(name, text, len, load_line, &lc, diag, &bad, e);
    if (rc == E_OK)
        rc = lc.rc;
    if (nbad)
        *nbad = bad;
    return rc;
}

err_code km_load_default(keymap *km, strbuf *diag, err *e)
{
    return km_load(km, "default.keys", fl_default_keys, fl_default_keys_len, diag, NULL, e);
}
