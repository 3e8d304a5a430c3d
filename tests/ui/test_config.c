/* Key maps, themes, the action table and the drawing primitives: plain C, tested directly. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "canvas.h"
#include "chooser.h"
#include "export.h"
#include "fl_test.h"
#include "keys.h"
#include "layout.h"
#include "prompt.h"
#include "theme.h"

Test(act, names_are_unique_and_found)
{
    for (int i = 0; i < ACT_COUNT; i++) {
        cr_assert_eq(act_find(act_name((action)i)), (action)i);
        cr_assert(strlen(act_help((action)i)) > 10);
        for (int j = i + 1; j < ACT_COUNT; j++)
            cr_assert_str_neq(act_name((action)i), act_name((action)j));
    }
    cr_assert_eq(act_find("no-such-action"), ACT_NONE);
}

Test(act, manual_lists_every_action)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/man/faultline.1", FL_SOURCE_DIR);
    char *man = fl_read_file(path, NULL);
    cr_assert(man);
    for (int i = 0; i < ACT_COUNT; i++) {
        /* man(7) escapes the hyphens of the names */
        char want[128];
        size_t k = 0;
        for (const char *p = act_name((action)i); *p && k < sizeof want - 3; p++) {
            if (*p == '-')
                want[k++] = '\\';
            want[k++] = *p;
        }
        want[k] = '\0';
        cr_expect(strstr(man, want) != NULL, "faultline.1 does not list the action %s",
                  act_name((action)i));
    }
    free(man);
}

Test(km, key_names_round_trip)
{
    static const char *const NAMES[] = {"Enter", "Tab", "S-Tab", "BSpace", "Esc", "Up", "PgDn",
                                        "F1", "F12", "C-r", "C-l", "q", "?", "/", "G", "×"};
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
        int k = km_key_parse(NAMES[i]);
        cr_assert_neq(k, K_NONE, "%s", NAMES[i]);
        char back[32];
        km_key_name(k, back, sizeof back);
        cr_assert_str_eq(back, NAMES[i]);
    }
    cr_assert_eq(km_key_parse("C-r"), 18);
    cr_assert_eq(km_key_parse("nosuchkey"), K_NONE);
    cr_assert_eq(km_key_parse(""), K_NONE);
}

Test(km, default_map_loads_cleanly_and_binds_every_action)
{
    keymap km;
    km_init(&km);
    strbuf diag;
    sb_init(&diag);
    cr_assert_eq(km_load_default(&km, &diag, NULL), E_OK);
    cr_assert_eq(diag.len, 0, "%s", sb_str(&diag));
    for (int a = 0; a < ACT_COUNT; a++) {
        bool bound = false;
        for (size_t i = 0; i < km.len; i++)
            bound |= km.v[i].act == (action)a;
        cr_expect(bound, "no default key for %s", act_name((action)a));
    }
    /* a pane's binding wins over the global one; other panes fall back to global */
    cr_assert_eq(km_lookup(&km, "cases", K_ENTER), ACT_CASE_OPEN);
    cr_assert_eq(km_lookup(&km, "slices", K_ENTER), ACT_DIVE);
    cr_assert_eq(km_lookup(&km, "heatmap", 'n'), ACT_HM_SHOW_N);
    cr_assert_eq(km_lookup(&km, "confusion", 'n'), ACT_CM_COUNTS);
    cr_assert_eq(km_lookup(&km, "slices", 'n'), ACT_NONE);
    cr_assert_eq(km_lookup(&km, "slices", K_CTRL('c')), ACT_CANCEL);
    sb_done(&diag);
    km_done(&km);
}

Test(km, bad_lines_are_reported_and_the_rest_loads)
{
    static const char TEXT[] = "# mine\n"
                               "bind global x quit\n"
                               "bind global Hyper-x quit\n"
                               "bind global y no-such-action\n"
                               "bnid global z quit\n"
                               "unbind global x\n"
                               "bind heatmap w heatmap-bins\n";
    keymap km;
    km_init(&km);
    strbuf diag;
    sb_init(&diag);
    size_t bad = 0;
    cr_assert_eq(km_load(&km, "keys", TEXT, strlen(TEXT), &diag, &bad, NULL), E_OK);
    cr_assert_eq(bad, 3);
    cr_assert_str_eq(sb_str(&diag), "keys:3: unknown key 'Hyper-x'\n"
                                    "keys:4: unknown action 'no-such-action'\n"
                                    "keys:5: unknown directive 'bnid' (bind or unbind)\n");
    cr_assert_eq(km_lookup(&km, "global", 'x'), ACT_NONE);
    cr_assert_eq(km_lookup(&km, "heatmap", 'w'), ACT_HM_BINS);
    sb_done(&diag);
    km_done(&km);
}

Test(th, builtin_themes_parse_cleanly)
{
    static const char *const NAMES[] = {"default", "light", "high-contrast", "mono"};
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    for (size_t i = 0; i < 4; i++) {
        theme t;
        strbuf diag;
        sb_init(&diag);
        cr_assert_eq(th_load(&t, NAMES[i], &diag, NULL), E_OK, "%s", NAMES[i]);
        cr_assert_eq(diag.len, 0, "%s: %s", NAMES[i], sb_str(&diag));
        sb_done(&diag);
    }
    theme t;
    err e = {0};
    cr_assert_eq(th_load(&t, "purple-haze", NULL, &e), E_USAGE);
    cr_assert(strstr(e.msg, "no such theme") != NULL);
}

Test(th, bad_colour_reported_with_file_and_line)
{
    char text[1024] = "";
    for (int i = 1; i < 12; i++)
        strcat(text, "# filler\n");
    strcat(text, "color bar purpel default\n"
                 "color cm.diag green default bold\n"
                 "color nosuch.role red default\n"
                 "color match red blue blinking\n"
                 "gradient heat 1 2 3\n");
    theme t;
    th_init(&t);
    strbuf diag;
    sb_init(&diag);
    size_t bad = 0;
    cr_assert_eq(th_parse(&t, "light.theme", text, strlen(text), &diag, &bad, NULL), E_OK);
    cr_assert_eq(bad, 4);
    cr_assert_str_eq(sb_str(&diag),
                     "light.theme:12: unknown colour 'purpel'\n"
                     "light.theme:14: unknown role 'nosuch.role'\n"
                     "light.theme:15: unknown attribute 'blinking'\n"
                     "light.theme:16: usage: gradient heat C0 C1 C2 C3 C4 C5 C6\n");
    /* the good line in between still applies */
    cr_assert_eq(t.role[UI_CM_DIAG].fg, 2);
    cr_assert_eq(t.role[UI_CM_DIAG].attr, TH_BOLD);
    sb_done(&diag);
}

Test(th, fallbacks_for_8_colours_and_monochrome)
{
    cr_assert_eq(th_nearest8(196), 1); /* bright red -> red */
    cr_assert_eq(th_nearest8(28), 2);  /* dark green -> green */
    cr_assert_eq(th_nearest8(12), 4);
    theme t;
    th_init(&t);
    t.role[UI_BAR] = (th_style){208, TH_DEFAULT, TH_BOLD};
    th_style s8 = th_effective(&t, UI_BAR, 8), s0 = th_effective(&t, UI_BAR, 0);
    cr_assert(s8.fg >= 0 && s8.fg < 8);
    cr_assert_eq(s0.fg, TH_DEFAULT);
    cr_assert_eq(s0.attr, TH_BOLD);
    cr_assert(th_effective(&t, UI_ROW_CURSOR, 0).attr & TH_REVERSE);
}

static const char *dump(const canvas *cv)
{
    static strbuf sb;
    sb_done(&sb);
    sb_init(&sb);
    cv_dump(cv, &sb, NULL, NULL);
    return sb_str(&sb);
}

Test(cv, clipping_wide_characters_and_ascii)
{
    canvas cv;
    cr_assert_eq(cv_init(&cv, 2, 10, false, NULL), E_OK);
    cv_text(&cv, 0, 0, "ab你好cdefgh", -1, UI_NORMAL);
    cv_text_fit(&cv, 1, 0, "abcdefghijkl", 6, UI_NORMAL);
    cr_assert_str_eq(dump(&cv), "ab你好cdef\nabcde…\n");
    canvas sub = cv_sub(&cv, 1, 7, 5, 5);
    cr_assert_eq(sub.h, 1);
    cr_assert_eq(sub.w, 3);
    cv_text(&sub, 0, 0, "XYZW", -1, UI_NORMAL);
    cr_assert_str_eq(dump(&cv), "ab你好cdef\nabcde… XYZ\n");
    cv_done(&cv);
    cr_assert_eq(cv_init(&cv, 3, 8, true, NULL), E_OK);
    cv_box(&cv, "T", UI_PANE_TITLE, UI_BORDER);
    cv_bar(&cv, 1, 1, 4, 0.5, UI_BAR);
    cr_assert_str_eq(dump(&cv), "+ T ---+\n|##    |\n+------+\n");
    cv_done(&cv);
}

Test(cv, bars_and_role_layer)
{
    canvas cv;
    cr_assert_eq(cv_init(&cv, 1, 6, false, NULL), E_OK);
    cv_bar(&cv, 0, 0, 4, 0.5625, UI_BAR);
    strbuf t, r;
    sb_init(&t);
    sb_init(&r);
    cr_assert_eq(cv_dump(&cv, &t, &r, NULL), E_OK);
    cr_assert_str_eq(sb_str(&t), "██▎\n");
    cr_assert_str_eq(sb_str(&r), "kkk\n");
    cr_assert_eq(ui_strwidth("a你b"), 4);
    sb_done(&t);
    sb_done(&r);
    cv_done(&cv);
}

static size_t complete(void *ctx, const char *word, const char **out, size_t max)
{
    (void)ctx;
    static const char *const NAMES[] = {"has_html", "has_links", "label"};
    size_t n = 0;
    for (size_t i = 0; i < 3; i++)
        if (strncmp(NAMES[i], word, strlen(word)) == 0 && n < max)
            out[n++] = NAMES[i];
    return n;
}

static const char *history(void *ctx, size_t i)
{
    (void)ctx;
    static const char *const H[] = {"a == 1", "b == 2"};
    return i < 2 ? H[i] : NULL;
}

static void type(prompt *p, const char *s)
{
    for (; *s; s++)
        prm_key(p, (unsigned char)*s);
}

Test(prm, editing_history_and_completion)
{
    prompt p;
    prm_open(&p, "/", "", complete, history, 2, NULL);
    type(&p, "lab");
    prm_key(&p, K_TAB);
    cr_assert_str_eq(p.buf, "label ");
    type(&p, "== x");
    prm_key(&p, K_HOME);
    prm_key(&p, K_DEL);
    cr_assert_str_eq(p.buf, "abel == x");
    prm_key(&p, K_CTRL('u'));
    prm_key(&p, K_CTRL('k'));
    cr_assert_str_eq(p.buf, "");
    type(&p, "has");
    prm_key(&p, K_TAB);
    cr_assert_str_eq(p.buf, "has_");
    cr_assert(strstr(p.note, "has_html") && strstr(p.note, "has_links"));
    prm_key(&p, K_UP);
    cr_assert_str_eq(p.buf, "b == 2");
    prm_key(&p, K_UP);
    cr_assert_str_eq(p.buf, "a == 1");
    prm_key(&p, K_DOWN);
    prm_key(&p, K_DOWN);
    cr_assert_str_eq(p.buf, "has_");
    prm_key(&p, 0x00e9); /* é: two bytes, one column */
    cr_assert_eq(prm_cursor_col(&p), 5);
    prm_key(&p, K_BSPACE);
    cr_assert_str_eq(p.buf, "has_");
    cr_assert_eq(prm_key(&p, K_ENTER), PRM_ACCEPT);
    cr_assert_eq(prm_key(&p, K_ESC), PRM_CANCEL);
}

Test(ch, fuzzy_match_prefers_word_starts)
{
    cr_assert_eq(ch_score("xyz", "filter-add"), -1);
    cr_assert(ch_score("fa", "filter-add") > ch_score("fa", "heatmap-pick-x"));
    cr_assert(ch_score("cmr", "cm-row") > 0);
    chooser c;
    cr_assert_eq(ch_open(&c, "t", 3, NULL), E_OK);
    ch_set(&c, 0, "move-up", NULL);
    ch_set(&c, 1, "undo", NULL);
    ch_set(&c, 2, "pane-cases", NULL);
    ch_refilter(&c);
    cr_assert_eq(c.nmatch, 3);
    size_t chosen = 99;
    ch_key(&c, 'u', &chosen);
    ch_key(&c, 'n', &chosen);
    cr_assert_eq(c.nmatch, 1);
    cr_assert_eq(ch_key(&c, K_ENTER, &chosen), PRM_ACCEPT);
    cr_assert_eq(chosen, 1);
    ch_close(&c);
}

Test(lay, modes_by_size)
{
    layout l;
    lay_compute(&l, 24, 80);
    cr_assert_eq(l.mode, LAY_TABS);
    cr_assert_eq(l.slot[0].y, 3);
    cr_assert_eq(l.slot[0].h, 20);
    lay_compute(&l, 40, 132);
    cr_assert_eq(l.mode, LAY_GRID);
    int rows = 0;
    for (int s = 0; s < SLOT_COUNT; s++)
        if (l.slot[s].x == 0)
            rows += l.slot[s].h;
    cr_assert_eq(rows, 40 - 3, "the left column covers the area");
    lay_compute(&l, 16, 59);
    cr_assert_eq(l.mode, LAY_TOO_SMALL);
}

Test(ex, osc52_is_base64)
{
    strbuf sb;
    sb_init(&sb);
    cr_assert_eq(ex_osc52("label == \"spam\"", &sb, NULL), E_OK);
    cr_assert_str_eq(sb_str(&sb), "\033]52;c;bGFiZWwgPT0gInNwYW0i\a");
    sb_done(&sb);
}
