/* explorer: sets up what the loop needs - locale, theme, key map, terminal - runs the loop,
 * and gives the terminal back. */
#include "explorer.h"

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "term.h"

void ui_opts_init(ui_opts *o)
{
    memset(o, 0, sizeof *o);
    srch_opts_init(&o->search);
    clu_opts_init(&o->cluster);
    o->search_min_support_pct = NAN;
}

/* The user's key file over the defaults, when there is one. */
static err_code load_keys(keymap *km, strbuf *diag, err *e)
{
    err_code rc = km_load_default(km, diag, e);
    if (rc != E_OK)
        return rc;
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char path[1200];
    if (xdg && *xdg)
        snprintf(path, sizeof path, "%s/faultline/keys", xdg);
    else if (home && *home)
        snprintf(path, sizeof path, "%s/.config/faultline/keys", home);
    else
        return E_OK;
    FILE *f = fopen(path, "rb");
    if (!f)
        return E_OK;
    strbuf text;
    sb_init(&text);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && rc == E_OK)
        rc = sb_append(&text, buf, n);
    fclose(f);
    if (rc == E_OK)
        rc = km_load(km, "keys", sb_str(&text), text.len, diag, NULL, e);
    sb_done(&text);
    return rc;
}

/* The explorer opens on the heatmap of the two columns that matter most, and keeps more
 * error cases than the report lists. */
static void choose_views(engine *eng)
{
    eng_set_ncases(eng, 500);
    const eng_result *res = eng_current(eng);
    if (res->hm.valid)
        return;
    int axis[2] = {-1, -1};
    for (size_t i = 0, k = 0; i < res->rank.len && k < 2; i++)
        if (res->rank.v[i].col >= 0)
            axis[k++] = (int)res->rank.v[i].dim;
    if (axis[1] >= 0)
        eng_set_heatmap(eng, axis[0], axis[1], false, NULL);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static err_code loop(app *a, err *e)
{
    int h, w;
    term_size(&h, &w);
    err_code rc = app_resize(a, h, w, e);
    double last_key = now_ms();
    while (rc == E_OK && !a->quit) {
        bool busy = app_poll(a);
        int cy, cx;
        app_draw(a, &cy, &cx);
        term_draw(&a->cv, cy, cx);
        /* While work runs, wake to take it in: every 4 ms in the half second after a key,
         * so that a recompute shows as soon as it is done, then every 50 ms (the spinner of
         * a long search) so that waiting costs no CPU. */
        int wait = !busy ? 1000 : now_ms() - last_key < 500 ? 4 : 50;
        int key = term_read_key(wait);
        if (term_take_cancel())
            app_key(a, K_CTRL('c'));
        if (key != K_TIMEOUT) {
            last_key = now_ms();
            app_key(a, key);
        }
    }
    return rc;
}

err_code ui_explore(const ui_input *in, const ui_opts *opt, err *e)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C"); /* numbers are formatted with a point whatever the locale */
    const char *cs = nl_langinfo(CODESET);
    bool utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    const char *nc = getenv("NO_COLOR");
    bool mono = opt->mono || (nc && *nc);
    const char *tname = opt->theme ? opt->theme : mono ? "mono" : "default";

    strbuf diag;
    sb_init(&diag);
    theme th;
    err_code rc = th_load(&th, tname, &diag, e);
    if (rc != E_OK) {
        sb_done(&diag);
        return rc;
    }
    th_set_active(&th);
    app a;
    if ((rc = app_init(&a, in, opt, e)) != E_OK) {
        sb_done(&diag);
        return rc;
    }
    if ((rc = load_keys(&a.km, &diag, e)) != E_OK ||
        (rc = cv_init(&a.cv, 0, 0, opt->ascii || !utf8, e)) != E_OK) {
        app_done(&a);
        sb_done(&diag);
        return rc;
    }
    if (diag.len) { /* the first bad line on the status line; the rest load anyway */
        const char *nl = strchr(sb_str(&diag), '\n');
        app_say(&a, true, "%.*s", (int)(nl ? nl - sb_str(&diag) : (long)diag.len),
                sb_str(&diag));
    }
    sb_done(&diag);
    choose_views(in->eng);
    term_opts to = {.mono = mono, .mouse = true};
    if ((rc = term_begin(&to, e)) != E_OK) {
        app_done(&a);
        return rc;
    }
    a.env.mono = term_colors() == 0;
    term_apply_theme(th_active());
    rc = loop(&a, e);
    term_end();
    app_done(&a);
    return rc;
}
