/* Scripted runs of the explorer without a terminal: keys go through the same key map and
 * dispatch as on screen, background recomputes are waited for, and the frame is dumped. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_script.h"
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

Test(app, opening_screen_golden)
{
    script_settle(&A);
    fl_golden_check("app_open_80x24.txt", script_screen(&A));
}

Test(app, dive_into_confusion_cell_narrows_every_pane)
{
    script_settle(&A);
    script_keys(&A, "C l Enter");
    const metrics *m = &eng_current(F.eng)->m;
    cr_assert_eq(eng_filter_count(F.eng), 1);
    cr_assert_str_eq(eng_filter_text(F.eng, 0), "label == \"ham\" && prediction == \"spam\"");
    size_t cell = 13; /* the fixture's ham -> spam cell */
    cr_assert_eq(eng_current(F.eng)->nsel, cell);
    cr_assert_eq(m->nerr, cell);
    const char *s = script_screen(&A);
    cr_assert(strstr(s, "13/120") != NULL, "%s", s);
    cr_assert(strstr(s, "dived: label == \"ham\" && prediction == \"spam\" (13 rows)"), "%s", s);
    script_keys(&A, "E");
    cr_assert(strstr(script_screen(&A), "Error cases · 13 (by loss)") != NULL);
    script_keys(&A, "Enter");
    cr_assert(strstr(script_screen(&A), "Why it matters") != NULL);
    script_keys(&A, "q BSpace");
    cr_assert_eq(eng_filter_count(F.eng), 0);
    cr_assert(strstr(script_screen(&A), "120/120") != NULL);
    script_keys(&A, "u");
    cr_assert_eq(eng_filter_count(F.eng), 1);
    script_keys(&A, "C-r");
    cr_assert_eq(eng_filter_count(F.eng), 0);
}

Test(app, bad_filter_shows_caret_and_stays_in_prompt)
{
    script_settle(&A);
    script_keys(&A, "/");
    script_type(&A, "grp == \"gamma\" && lenght > 3");
    cr_assert_str_eq(A.prm_error,
                     "                  ^^^^^^ unknown column 'lenght'; did you mean length?");
    fl_golden_check("app_bad_filter.txt", script_screen(&A));
    app_key(&A, K_ENTER);
    cr_assert_eq(A.mode, MODE_FILTER);
    cr_assert_eq(eng_filter_count(F.eng), 0);
    app_key(&A, K_ESC);
    cr_assert_eq(A.mode, MODE_MAIN);
}

Test(app, filter_prompt_completes_and_applies)
{
    script_settle(&A);
    script_keys(&A, "/");
    script_type(&A, "gr");
    app_key(&A, K_TAB);
    script_type(&A, "== gamma");
    cr_assert_str_eq(A.prm.buf, "grp == gamma");
    app_key(&A, K_ENTER);
    script_settle(&A);
    cr_assert_eq(eng_current(F.eng)->nsel, 40);
    cr_assert(strstr(script_screen(&A), "filter  grp == gamma") != NULL);
}

Test(app, grid_and_too_small)
{
    script_settle(&A);
    cr_assert_eq(app_resize(&A, 40, 132, NULL), E_OK);
    const char *s = script_screen(&A);
    cr_assert(strstr(s, "Slices (") && strstr(s, "Heatmap") && strstr(s, "Confusion") &&
              strstr(s, "Clusters") && strstr(s, "Error cases"));
    script_keys(&A, "B"); /* a pane outside the grid takes the side slot */
    cr_assert(strstr(script_screen(&A), "Calibration") != NULL);
    script_keys(&A, "R");
    cr_assert(strstr(script_screen(&A), "Column ranking") != NULL);
    cr_assert_eq(app_resize(&A, 12, 50, NULL), E_OK);
    cr_assert(strstr(script_screen(&A), "terminal too small: 50x12, need 60x16") != NULL);
}

Test(app, palette_runs_actions_by_name)
{
    script_settle(&A);
    script_keys(&A, "C :");
    script_type(&A, "cm-col");
    app_key(&A, K_ENTER);
    cr_assert(strstr(script_screen(&A), "Confusion (column %)") != NULL);
    script_keys(&A, "?");
    cr_assert(strstr(script_screen(&A), "Keys of the confusion pane") != NULL);
    script_keys(&A, "q q");
    cr_assert(A.quit);
}

Test(app, heatmap_pickers_and_discovered_slices)
{
    script_settle(&A);
    script_keys(&A, "H x");
    script_type(&A, "length");
    app_key(&A, K_ENTER);
    script_settle(&A);
    const heatmap *h = &eng_current(F.eng)->hm;
    cr_assert(h->valid);
    cr_assert_str_eq(F.p.b.dim[h->x.dim].name, "length");
    script_keys(&A, "b");
    cr_assert(eng_current(F.eng)->hm.x.equal_width);
    script_keys(&A, "S t");
    const char *s = script_screen(&A);
    cr_assert(strstr(s, "Slices · Discovered") != NULL, "%s", s);
    cr_assert(strstr(s, "grp = gamma") != NULL, "%s", s);
}

/* The clusters arrive off the input loop; Enter pushes the cluster's rows as a filter with
 * its label, and undo and redo take it off and put it back. */
Test(app, cluster_dive_undo_redo)
{
    script_settle(&A);
    script_keys(&A, "K");
    const char *s = script_screen(&A);
    cr_assert(strstr(s, "Clusters (") != NULL, "%s", s);
    const clu_result *cr = A.env.clusters;
    cr_assert_not_null(cr);
    cr_assert_geq(cr->k, 2);
    size_t size0 = cr->c[0].size;
    script_keys(&A, "Enter");
    cr_assert_eq(eng_current(F.eng)->nsel, size0);
    cr_assert(strncmp(eng_filter_text(F.eng, 0), "cluster 1:", 10) == 0, "%s",
              eng_filter_text(F.eng, 0));
    cr_assert(strstr(script_screen(&A), "filter  cluster 1:") != NULL);
    script_keys(&A, "u");
    cr_assert_eq(eng_filter_count(F.eng), 0);
    cr_assert_eq(eng_current(F.eng)->nsel, F.p.ds->nrows);
    script_keys(&A, "C-r");
    cr_assert_eq(eng_filter_count(F.eng), 1);
    cr_assert_eq(eng_current(F.eng)->nsel, size0);
}
