/* theme: colour roles and the themes that give them colours. Panes draw with roles, never
 * raw colours. A theme file holds lines
 *     color ROLE FG BG [bold] [dim] [reverse] [underline]
 *     gradient heat C0 C1 C2 C3 C4 C5 C6
 * where a colour is a name (default black red green yellow blue magenta cyan white, or
 * bright-NAME) or a number 0..255, and the gradient gives the foreground of heat.0..heat.6
 * (error rate from low to high). The default theme is compiled in; others (light,
 * high-contrast, mono) too, and a file of the same name in $XDG_CONFIG_HOME/faultline/
 * overrides one role at a time. Bad lines are reported as "light.theme:12: unknown colour
 * 'purpel'" and the rest of the file still applies. */
#ifndef UI_THEME_H
#define UI_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "strbuf.h"

#define UI_ROLES(_)                                                                           \
    _(NORMAL, "normal") _(HEADER, "header") _(FILTER, "filter") _(STATUS, "status")           \
    _(STATUS_ERR, "status.error") _(PANE_TITLE, "pane.title")                                 \
    _(PANE_TITLE_FOCUS, "pane.title.focus") _(BORDER, "border") _(ROW_CURSOR, "row.cursor")   \
    _(ROW_DIM, "row.dim") _(BAR, "bar") _(BAR_CI, "bar.ci") _(HEAT_0, "heat.0")               \
    _(HEAT_1, "heat.1") _(HEAT_2, "heat.2") _(HEAT_3, "heat.3") _(HEAT_4, "heat.4")           \
    _(HEAT_5, "heat.5") _(HEAT_6, "heat.6") _(CM_DIAG, "cm.diag") _(CM_OFF, "cm.off")         \
    _(MATCH, "match") _(KEY, "key") _(TAG_1, "tag.1") _(TAG_2, "tag.2") _(TAG_3, "tag.3")     \
    _(TAG_4, "tag.4") _(TAG_5, "tag.5") _(TAG_6, "tag.6") _(TAG_7, "tag.7") _(TAG_8, "tag.8") \
    _(TAG_9, "tag.9")

typedef enum {
#define UI_ROLE_ENUM(id, name) UI_##id,
    UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
    UI_NROLES
} ui_role;

#define UI_HEAT_STEPS 7
#define UI_TAG_ROLES 9 /* tag.1 .. tag.9: tag i is drawn with tag.(i % 9 + 1) */
#define TH_DEFAULT (-1) /* the terminal's default colour */

enum { TH_BOLD = 1, TH_DIM = 2, TH_REVERSE = 4, TH_UNDERLINE = 8 };

typedef struct th_style {
    int16_t fg, bg; /* 0..255 or TH_DEFAULT */
    uint8_t attr;   /* TH_* bits */
} th_style;

typedef struct theme {
    char name[64];
    th_style role[UI_NROLES];
} theme;

const char *th_role_name(ui_role r);
/* The role named name, or -1. */
int th_role_find(const char *name);

/* Every role in the terminal's default colours, no attributes. */
void th_init(theme *t);
/* Applies a theme file's lines over t (bad lines reported into diag, counted in *nbad when
 * nbad is non-NULL). E_NOMEM only. */
err_code th_parse(theme *t, const char *name, const char *text, size_t len, strbuf *diag,
                  size_t *nbad, err *e);
/* Loads the theme called name: the compiled-in file of that name (default, light,
 * high-contrast, mono), then $XDG_CONFIG_HOME/faultline/NAME.theme (or
 * ~/.config/faultline/...) over it when that exists. E_USAGE for a name that is neither
 * compiled in nor a user file; bad lines go to diag. */
err_code th_load(theme *t, const char *name, strbuf *diag, err *e);

/* The style to use on a terminal with ncolors colours (256, 8, or 0 for monochrome): colours
 * above the terminal's range map to the nearest of the 8 basic ones; with no colours only the
 * attributes stay (and reverse marks the cursor row whatever the theme says). */
th_style th_effective(const theme *t, ui_role r, int ncolors);
/* The nearest of the 8 basic colours to colour c of the 256-colour palette. */
int th_nearest8(int c);

/* The active theme: one of the two singletons of the UI layer. th_active() is never NULL
 * (the built-in default until th_set_active is called). */
const theme *th_active(void);
void th_set_active(const theme *t);

#endif
