/* Scripted runs of the explorer without a terminal: keys go through the same key map and
 * dispatch as on screen, background recomputes are waited for, and the frame is dumped. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "fl_golden.h"
#include "ui_fixture.h"

static ui_fix F;
static app A;

static void setup(void)
{
    fix_init(&F);
    ui_input in = {.file = "fixture.csv", .ds = F.p.ds, .r = &F.p.r, .o = &F.p.o, .b = &F.p.b,
                   .eng = F.eng};
    ui_opts o;
    ui_opts_init(&o);
    o.search.threads = 1;
    cr_assert_eq(app_init(&A, &in, &o, NULL), E_OK);
    cr_assert_eq(km_load_default(&A.km, NULL, NULL), E_OK);
    cr_assert_eq(cv_init(&A.cv, 0, 0, false, NULL), E_OK);
    cr_assert_eq(app_resize(&A, 24, 80, NULL), E_OK);
}

static void teardown(void)
{
    app_done(&A);
    fix_done(&F);
}

TestSuite(app, .init = setup, .fini = teardown, .timeout = 60);

/* Waits for the background work to finish, as the loop does between keys. */
static void settle(void)
{
    struct timespec ts = {0, 2000000};
    for (int i = 0; i < 20000 && app_poll(&A); i++)
        nanosleep(&ts, NULL);
    app_poll(&A);
}

static void keys(const char *names)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", names);
    for (char *save = NULL, *k = strtok_r(buf, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
        int key = km_key_parse(k);
        cr_assert_neq(key, K_NONE, "%s", k);
        app_key(&A, key);
        settle();
    }
}

static void type(const char *s)
{
    for (; *s; s++)
        app_key(&A, (unsigned char)*s);
}

static const char *screen(void)
{
    static strbuf sb;
    int cy, cx;
    app_draw(&A, &cy, &cx);
    sb_done(&sb);
    sb_init(&sb);
    cv_dump(&A.cv, &sb, NULL, NULL);
    return sb_str(&sb);
}

Test(app, opening_screen_golden)
{
    settle();
    fl_golden_check("app_open_80x24.txt", screen());
}

Test(app, dive_into_confusion_cell_narrows_every_pane)
{
    settle();
    keys("C l Enter");
    const metrics *m = &eng_current(F.eng)->m;
    cr_assert_eq(eng_filter_count(F.eng), 1);
    cr_assert_str_eq(eng_filter_text(F.eng, 0), "label == \"ham\" && prediction == \"spam\"");
    size_t cell = 13; /* the fixture's ham -> spam cell */
    cr_assert_eq(eng_current(F.eng)->nsel, cell);
    cr_assert_eq(m->nerr, cell);
    const char *s = screen();
    cr_assert(strstr(s, "13/120") != NULL, "%s", s);
    cr_assert(strstr(s, "dived: label == \"ham\" && prediction == \"spam\" (13 rows)"), "%s", s);
    keys("E");
    cr_assert(strstr(screen(), "Error cases · 13 (by loss)") != NULL);
    keys("Enter");
    cr_assert(strstr(screen(), "Why it matters") != NULL);
    keys("q BSpace");
    cr_assert_eq(eng_filter_count(F.eng), 0);
    cr_assert(strstr(screen(), "120/120") != NULL);
    keys("u");
    cr_assert_eq(eng_filter_count(F.eng), 1);
    keys("C-r");
    cr_assert_eq(eng_filter_count(F.eng), 0);
}

Test(app, bad_filter_shows_caret_and_stays_in_prompt)
{
    settle();
    keys("/");
    type("grp == \"gamma\" && lenght > 3");
    cr_assert_str_eq(A.prm_error,
                     "                  ^^^^^^ unknown column 'lenght'; did you mean length?");
    fl_golden_check("app_bad_filter.txt", screen());
    app_key(&A, K_ENTER);
    cr_assert_eq(A.mode, MODE_FILTER);
    cr_assert_eq(eng_filter_count(F.eng), 0);
    app_key(&A, K_ESC);
    cr_assert_eq(A.mode, MODE_MAIN);
}

Test(app, filter_prompt_completes_and_applies)
{
    settle();
    keys("/");
    type("gr");
    app_key(&A, K_TAB);
    type("== gamma");
    cr_assert_str_eq(A.prm.buf, "grp == gamma");
    app_key(&A, K_ENTER);
    settle();
    cr_assert_eq(eng_current(F.eng)->nsel, 40);
    cr_assert(strstr(screen(), "filter  grp == gamma") != NULL);
}

Test(app, grid_and_too_small)
{
    settle();
    cr_assert_eq(app_resize(&A, 40, 132, NULL), E_OK);
    const char *s = screen();
    cr_assert(strstr(s, "Slices (") && strstr(s, "Heatmap") && strstr(s, "Confusion") &&
              strstr(s, "Clusters") && strstr(s, "Error cases"));
    keys("B"); /* a pane outside the grid takes the side slot */
    cr_assert(strstr(screen(), "Calibration") != NULL);
    keys("R");
    cr_assert(strstr(screen(), "Column ranking") != NULL);
    cr_assert_eq(app_resize(&A, 12, 50, NULL), E_OK);
    cr_assert(strstr(screen(), "terminal too small: 50x12, need 60x16") != NULL);
}

Test(app, palette_runs_actions_by_name)
{
    settle();
    keys("C :");
    type("cm-col");
    app_key(&A, K_ENTER);
    cr_assert(strstr(screen(), "Confusion (column %)") != NULL);
    keys("?");
    cr_assert(strstr(screen(), "Keys of the confusion pane") != NULL);
    keys("q q");
    cr_assert(A.quit);
}

Test(app, heatmap_pickers_and_discovered_slices)
{
    settle();
    keys("H x");
    type("length");
    app_key(&A, K_ENTER);
    settle();
    const heatmap *h = &eng_current(F.eng)->hm;
    cr_assert(h->valid);
    cr_assert_str_eq(F.p.b.dim[h->x.dim].name, "length");
    keys("b");
    cr_assert(eng_current(F.eng)->hm.x.equal_width);
    keys("S t");
    const char *s = screen();
    cr_assert(strstr(s, "Slices · Discovered") != NULL, "%s", s);
    cr_assert(strstr(s, "grp = gamma") != NULL, "%s", s);
}

/* The clusters arrive off the input loop; Enter pushes the cluster's rows as a filter with
 * its label, and undo and redo take it off and put it back. */
Test(app, cluster_dive_undo_redo)
{
    settle();
    keys("K");
    const char *s = screen();
    cr_assert(strstr(s, "Clusters (") != NULL, "%s", s);
    const clu_result *cr = A.env.clusters;
    cr_assert_not_null(cr);
    cr_assert_geq(cr->k, 2);
    size_t size0 = cr->c[0].size;
    keys("Enter");
    cr_assert_eq(eng_current(F.eng)->nsel, size0);
    cr_assert(strncmp(eng_filter_text(F.eng, 0), "cluster 1:", 10) == 0, "%s",
              eng_filter_text(F.eng, 0));
    cr_assert(strstr(screen(), "filter  cluster 1:") != NULL);
    keys("u");
    cr_assert_eq(eng_filter_count(F.eng), 0);
    cr_assert_eq(eng_current(F.eng)->nsel, F.p.ds->nrows);
    keys("C-r");
    cr_assert_eq(eng_filter_count(F.eng), 1);
    cr_assert_eq(eng_current(F.eng)->nsel, size0);
}
