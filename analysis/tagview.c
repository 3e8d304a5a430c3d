/* tagview: per-row arrays and slices of the review state (see tagview.h). */
#include "tagview.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

err_code tv_init(tag_view *v, size_t nrows, err *e)
{
    memset(v, 0, sizeof *v);
    v->nrows = nrows;
    v->combo = calloc(nrows ? nrows : 1, sizeof *v->combo);
    v->note = malloc((nrows ? nrows : 1) * sizeof *v->note);
    v->combo_mask = calloc(16, sizeof *v->combo_mask);
    v->capcombo = 16;
    v->ncombo = 1; /* code 0: no tag */
    if (!v->combo || !v->note || !v->combo_mask || sd_new(&v->notes, e)) {
        tv_done(v);
        return err_set(e, E_NOMEM, "out of memory for the tag view");
    }
    for (size_t i = 0; i < nrows; i++)
        v->note[i] = CODE_NA;
    v->ft = (flt_tags){0, v->names, v->combo, v->combo_mask, v->note, v->notes};
    return E_OK;
}

void tv_done(tag_view *v)
{
    free(v->combo);
    free(v->combo_mask);
    free(v->note);
    sd_free(v->notes);
    free(v->marked);
    memset(v, 0, sizeof *v);
}

/* The code of a set of tags, added when new. Sets are few (reviewers use a handful of tag
 * combinations), so a linear search is enough. */
static err_code combo_of(tag_view *v, uint64_t mask, uint32_t *code, err *e)
{
    for (size_t k = 0; k < v->ncombo; k++)
        if (v->combo_mask[k] == mask) {
            *code = (uint32_t)k;
            return E_OK;
        }
    if (v->ncombo == v->capcombo) {
        uint64_t *m = realloc(v->combo_mask, 2 * v->capcombo * sizeof *m);
        if (!m)
            return err_set(e, E_NOMEM, "out of memory for the tag view");
        v->combo_mask = m;
        v->capcombo *= 2;
        v->ft.combo_mask = m;
    }
    v->combo_mask[v->ncombo] = mask;
    *code = (uint32_t)v->ncombo++;
    return E_OK;
}

err_code tv_sync(tag_view *v, const tag_state *t, err *e)
{
    for (size_t i = 0; i < v->nmarked; i++) {
        v->combo[v->marked[i]] = 0;
        v->note[v->marked[i]] = CODE_NA;
    }
    v->nmarked = 0;
    size_t n = tg_count_rows(t);
    if (n > v->capmarked) {
        uint32_t *m = realloc(v->marked, n * sizeof *m);
        if (!m)
            return err_set(e, E_NOMEM, "out of memory for the tag view");
        v->marked = m;
        v->capmarked = n;
    }
    for (size_t i = 0; i < n; i++) {
        const tg_row *r = tg_row_at(t, i);
        if (r->row >= v->nrows)
            continue;
        uint32_t code = 0;
        err_code rc = combo_of(v, r->mask, &code, e);
        if (!rc && r->note)
            rc = sd_intern(v->notes, r->note, strlen(r->note), &v->note[r->row], e);
        if (rc)
            return rc;
        v->combo[r->row] = code;
        v->marked[v->nmarked++] = r->row;
    }
    v->ft.ntags = tg_ntags(t);
    for (size_t k = 0; k < v->ft.ntags; k++)
        v->names[k] = tg_tag_name(t, k);
    return E_OK;
}

static void fill_slice(tag_slice *s, int tag, size_t n, size_t nerr, size_t N, size_t E,
                       size_t min_support)
{
    s->tag = tag;
    s->n = n;
    s->nerr = nerr;
    s->rate = n ? (double)nerr / (double)n : NAN;
    if (n)
        st_wilson(nerr, n, &s->lo, &s->hi);
    else
        s->lo = s->hi = NAN;
    double base = N ? (double)E / (double)N : NAN;
    s->lift = base > 0 ? s->rate / base : NAN;
    s->p = n ? st_slice_p_two_sided(nerr, n, E, N) : NAN;
    s->small = n < min_support;
}

void tv_slices(const tag_state *t, const outcome *o, const bitmap *sel, size_t min_support,
               tag_slice *out, size_t *nout)
{
    size_t nt = tg_ntags(t), N = 0, E = 0;
    size_t n[TG_MAX_TAGS] = {0}, ne[TG_MAX_TAGS] = {0}, any = 0, any_err = 0;
    for (size_t i = 0; i < o->n; i++) {
        if ((sel && !bm_get(sel, i)) || o->err[i] == OUT_UNKNOWN)
            continue;
        N++;
        E += o->err[i] == OUT_ERROR;
    }
    for (size_t i = 0; i < tg_count_rows(t); i++) {
        const tg_row *r = tg_row_at(t, i);
        if (r->row >= o->n || (sel && !bm_get(sel, r->row)) || o->err[r->row] == OUT_UNKNOWN ||
            !r->mask)
            continue;
        bool wrong = o->err[r->row] == OUT_ERROR;
        any++;
        any_err += wrong;
        for (size_t k = 0; k < nt; k++)
            if (r->mask >> k & 1u) {
                n[k]++;
                ne[k] += wrong;
            }
    }
    for (size_t k = 0; k < nt; k++)
        fill_slice(&out[k], (int)k, n[k], ne[k], N, E, min_support);
    fill_slice(&out[nt], -1, any, any_err, N, E, min_support);
    fill_slice(&out[nt + 1], -2, N - any, E - any_err, N, E, min_support);
    *nout = nt + 2;
}
