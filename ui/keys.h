/* keys: the explorer's own key codes (term.c translates curses' codes into them, so nothing
 * else sees curses), their names as key maps write them, and the key map: bindings of a key
 * in a context (a pane's name, or "global") to an action. Lookup tries the focused pane's
 * context, then "global". The default map is a data file compiled into the binary and read
 * through the same parser as a user's file, which overrides one binding at a time. */
#ifndef UI_KEYS_H
#define UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"
#include "err.h"
#include "strbuf.h"

/* Printable keys are their Unicode code point; control keys are 1..31 (Ctrl-A = 1). */
enum {
    K_NONE = -1,
    K_TAB = 9,
    K_ENTER = 13,
    K_ESC = 27,
    K_SPECIAL = 0x110000, /* above every code point */
    K_UP, K_DOWN, K_LEFT, K_RIGHT, K_PGUP, K_PGDN, K_HOME, K_END,
    K_BSPACE, K_DEL, K_BTAB, K_INS,
    K_F1, K_F2, K_F3, K_F4, K_F5, K_F6, K_F7, K_F8, K_F9, K_F10, K_F11, K_F12,
    K_RESIZE,  /* the terminal changed size */
    K_MOUSE,   /* a mouse event: term_mouse() tells which */
    K_TIMEOUT  /* no key within the poll interval */
};

#define K_CTRL(c) ((c) & 0x1f)

/* Parses a key name: a single character, "Enter", "Tab", "S-Tab", "BSpace", "Esc", "Space",
 * "Up" "Down" "Left" "Right", "PgUp" "PgDn" "Home" "End" "Del" "Ins", "F1".."F12", "C-x".
 * K_NONE when the name is unknown. */
int km_key_parse(const char *name);
/* Writes the key's name as km_key_parse reads it (UTF-8 for printable keys). */
void km_key_name(int key, char *buf, size_t size);

#define KM_CONTEXT_MAX 16

typedef struct km_binding {
    char context[KM_CONTEXT_MAX]; /* "global" or a pane name */
    int key;
    action act; /* ACT_NONE: unbound (a user file may remove a default) */
} km_binding;

typedef struct keymap {
    size_t len, cap;
    km_binding *v; /* owned */
} keymap;

void km_init(keymap *km);
void km_done(keymap *km);
/* Adds or replaces the binding of key in context. E_NOMEM. */
err_code km_bind(keymap *km, const char *context, int key, action act, err *e);
/* The action of key in context, else in "global"; ACT_NONE when unbound. */
action km_lookup(const keymap *km, const char *context, int key);
/* The first key bound to act in context (exactly), or K_NONE. */
int km_key_of(const keymap *km, const char *context, action act);

/* Reads lines "bind CONTEXT KEY ACTION" (and "unbind CONTEXT KEY"); bad lines are reported
 * in diag as "name:LINE: message" and skipped. *nbad (may be NULL) counts them. E_NOMEM. */
err_code km_load(keymap *km, const char *name, const char *text, size_t len, strbuf *diag,
                 size_t *nbad, err *e);
/* The compiled-in default bindings (ui/keymaps/default.keys). */
err_code km_load_default(keymap *km, strbuf *diag, err *e);

#endif
