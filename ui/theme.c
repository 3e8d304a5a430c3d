#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgfile.h"

extern const char fl_theme_default[], fl_theme_light[], fl_theme_high_contrast[],
    fl_theme_mono[];
extern const size_t fl_theme_default_len, fl_theme_light_len, fl_theme_high_contrast_len,
    fl_theme_mono_len;

static const char *const ROLE_NAMES[] = {
#define UI_ROLE_NAME(id, name) name,
    UI_ROLES(UI_ROLE_NAME)
#undef UI_ROLE_NAME
};

static const struct {
    const char *name;
    const char *text;
    const size_t *len;
} BUILTIN[] = {
    {"default", fl_theme_default, &fl_theme_default_len},
    {"light", fl_theme_light, &fl_theme_light_len},
    {"high-contrast", fl_theme_high_contrast, &fl_theme_high_contrast_len},
    {"mono", fl_theme_mono, &fl_theme_mono_len},
};

static const char *const COLOUR_NAMES[] = {"black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white"};

const char *th_role_name(ui_role r)
{
    return r < UI_NROLES ? ROLE_NAMES[r] : "";
}

int th_role_find(const char *name)
{
    for (int i = 0; i < UI_NROLES; i++)
        if (strcmp(ROLE_NAMES[i], name) == 0)
            return i;
    return -1;
}

void th_init(theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "default");
    for (int i = 0; i < UI_NROLES; i++)
        t->role[i] = (th_style){TH_DEFAULT, TH_DEFAULT, 0};
}

/* A colour word: name, bright-name, default, or 0..255; -2 when it is none of them. */
static int parse_colour(const char *s)
{
    if (strcasecmp(s, "default") == 0)
        return TH_DEFAULT;
    int bright = 0;
    if (strncasecmp(s, "bright-", 7) == 0) {
        bright = 8;
        s += 7;
    }
    for (int i = 0; i < 8; i++)
        if (strcasecmp(s, COLOUR_NAMES[i]) == 0)
            return i + bright;
    if (bright || !*s)
        return -2;
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < 0 || v > 255 ? -2 : (int)v;
}

static int parse_attr(const char *s)
{
    static const struct {
        const char *name;
        int bit;
    } A[] = {{"bold", TH_BOLD}, {"dim", TH_DIM}, {"reverse", TH_REVERSE},
             {"underline", TH_UNDERLINE}, {"normal", 0}};
    for (size_t i = 0; i < sizeof A / sizeof A[0]; i++)
        if (strcasecmp(s, A[i].name) == 0)
            return A[i].bit;
    return -1;
}

static const char *color_line(theme *t, int argc, char **argv, char *msg, size_t size)
{
    if (argc < 4) {
        snprintf(msg, size, "usage: color ROLE FG BG [bold|dim|reverse|underline ...]");
        return msg;
    }
    int r = th_role_find(argv[1]);
    if (r < 0) {
        snprintf(msg, size, "unknown role '%s'", argv[1]);
        return msg;
    }
    int fg = parse_colour(argv[2]), bg = parse_colour(argv[3]);
    if (fg == -2 || bg == -2) {
        snprintf(msg, size, "unknown colour '%s'", fg == -2 ? argv[2] : argv[3]);
        return msg;
    }
    int attr = 0;
    for (int i = 4; i < argc; i++) {
        int a = parse_attr(argv[i]);
        if (a < 0) {
            snprintf(msg, size, "unknown attribute '%s'", argv[i]);
            return msg;
        }
        attr |= a;
    }
    t->role[r] = (th_style){(int16_t)fg, (int16_t)bg, (uint8_t)attr};
    return NULL;
}

static const char *gradient_line(theme *t, int argc, char **argv, char *msg, size_t size)
{
    if (argc != 2 + UI_HEAT_STEPS || strcmp(argv[1], "heat") != 0) {
        snprintf(msg, size, "usage: gradient heat C0 C1 C2 C3 C4 C5 C6");
        return msg;
    }
    int c[UI_HEAT_STEPS];
    for (int i = 0; i < UI_HEAT_STEPS; i++)
        if ((c[i] = parse_colour(argv[2 + i])) == -2) {
            snprintf(msg, size, "unknown colour '%s'", argv[2 + i]);
            return msg;
        }
    for (int i = 0; i < UI_HEAT_STEPS; i++)
        t->role[UI_HEAT_0 + i].fg = (int16_t)c[i];
    return NULL;
}

static const char *theme_line(void *ctx, int argc, char **argv, char *msg, size_t size)
{
    theme *t = ctx;
    if (strcmp(argv[0], "color") == 0 || strcmp(argv[0], "colour") == 0)
        return color_line(t, argc, argv, msg, size);
    if (strcmp(argv[0], "gradient") == 0)
        return gradient_line(t, argc, argv, msg, size);
    snprintf(msg, size, "unknown directive '%s' (color or gradient)", argv[0]);
    return msg;
}

err_code th_parse(theme *t, const char *name, const char *text, size_t len, strbuf *diag,
                  size_t *nbad, err *e)
{
    size_t bad = 0;
    err_code rc = cfg_read(name, text, len, theme_line, t, diag, &bad, e);
    if (nbad)
        *nbad = bad;
    return rc;
}

/* Reads a whole small file; NULL when it does not exist or cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb;
    sb_init(&sb);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (sb_append(&sb, buf, n) != E_OK)
            break;
    fclose(f);
    *len = sb.len;
    return sb_take(&sb);
}

err_code th_load(theme *t, const char *name, strbuf *diag, err *e)
{
    th_init(t);
    snprintf(t->name, sizeof t->name, "%s", name);
    bool found = false;
    err_code rc;
    char fname[96];
    snprintf(fname, sizeof fname, "%s.theme", name);
    /* the default underlies every theme, so a partial theme still gives every role a style */
    if ((rc = th_parse(t, "default.theme", fl_theme_default, fl_theme_default_len, diag, NULL,
                       e)) != E_OK)
        return rc;
    for (size_t i = 0; i < sizeof BUILTIN / sizeof BUILTIN[0]; i++)
        if (strcmp(BUILTIN[i].name, name) == 0) {
            found = true;
            if (i > 0 && (rc = th_parse(t, fname, BUILTIN[i].text, *BUILTIN[i].len, diag, NULL,
                                        e)) != E_OK)
                return rc;
        }
    char dir[1024], path[1200];
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(dir, sizeof dir, "%s/faultline", xdg);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.config/faultline", home);
    else
        dir[0] = '\0';
    if (dir[0] && !strchr(name, '/')) {
        snprintf(path, sizeof path, "%s/%s", dir, fname);
        size_t len;
        char *text = slurp(path, &len);
        if (text) {
            found = true;
            rc = th_parse(t, fname, text, len, diag, NULL, e);
            free(text);
            if (rc != E_OK)
                return rc;
        }
    }
    if (!found)
        return err_set(e, E_USAGE, "--theme %s: no such theme (default, light, high-contrast, "
                                   "mono, or a file %s in %s)",
                       name, fname, dir[0] ? dir : "$XDG_CONFIG_HOME/faultline");
    return E_OK;
}

/* RGB of the xterm 256-colour palette, for the 8-colour fallback. */
static void rgb_of(int c, int *r, int *g, int *b)
{
    static const int BASIC[16][3] = {
        {0, 0, 0},       {205, 0, 0},     {0, 205, 0},     {205, 205, 0},
        {0, 0, 238},     {205, 0, 205},   {0, 205, 205},   {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
        {92, 92, 255},   {255, 0, 255},   {0, 255, 255},   {255, 255, 255}};
    if (c < 16) {
        *r = BASIC[c][0], *g = BASIC[c][1], *b = BASIC[c][2];
    } else if (c < 232) {
        static const int L[6] = {0, 95, 135, 175, 215, 255};
        c -= 16;
        *r = L[c / 36], *g = L[(c / 6) % 6], *b = L[c % 6];
    } else {
        *r = *g = *b = 8 + (c - 232) * 10;
    }
}

int th_nearest8(int c)
{
    if (c < 0)
        return c;
    if (c < 8)
        return c;
    if (c < 16)
        return c - 8;
    int r, g, b;
    rgb_of(c, &r, &g, &b);
    /* classify by which channels are clearly on, as the eye sees hue rather than distance */
    int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
    if (mx < 60)
        return 0;
    int bits = (r * 2 > mx ? 1 : 0) | (g * 2 > mx ? 2 : 0) | (b * 2 > mx ? 4 : 0);
    return bits;
}

th_style th_effective(const theme *t, ui_role r, int ncolors)
{
    th_style s = t->role[r];
    if (ncolors <= 0) {
        s.fg = s.bg = TH_DEFAULT;
        if (r == UI_ROW_CURSOR || r == UI_PANE_TITLE_FOCUS)
            s.attr |= TH_REVERSE;
        return s;
    }
    if (ncolors < 256) {
        if (s.fg >= ncolors)
            s.fg = (int16_t)th_nearest8(s.fg);
        if (s.bg >= ncolors)
            s.bg = (int16_t)th_nearest8(s.bg);
    }
    return s;
}

static theme active_theme; /* the active theme singleton */
static bool active_set;

const theme *th_active(void)
{
    if (!active_set) {
        th_init(&active_theme);
        th_parse(&active_theme, "default.theme", fl_theme_default, fl_theme_default_len, NULL,
                 NULL, NULL);
        active_set = true;
    }
    return &active_theme;
}

void th_set_active(const theme *t)
{
    active_theme = *t;
    active_set = true;
}
