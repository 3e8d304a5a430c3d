/* catslice: error categories as slices of the selection (see catslice.h). */
#include "catslice.h"

#include <math.h>

#include "report_int.h"
#include "stats.h"

void cat_slices(const cat_result *c, const outcome *o, const bitmap *sel, size_t min_support,
                cat_slice out[CAT_COUNT])
{
    size_t N = 0, E = 0, n[CAT_COUNT] = {0}, ne[CAT_COUNT] = {0};
    for (size_t i = 0; i < o->n && i < c->n; i++) {
        if ((sel && !bm_get(sel, i)) || o->err[i] == OUT_UNKNOWN)
            continue;
        bool wrong = o->err[i] == OUT_ERROR;
        N++;
        E += wrong;
        for (int k = 0; k < CAT_COUNT; k++)
            if (c->bits[i] & CAT_BIT(k)) {
                n[k]++;
                ne[k] += wrong;
            }
    }
    double base = N ? (double)E / (double)N : NAN;
    for (int k = 0; k < CAT_COUNT; k++) {
        cat_slice *s = &out[k];
        s->n = n[k];
        s->nerr = ne[k];
        s->rate = n[k] ? (double)ne[k] / (double)n[k] : NAN;
        if (n[k])
            st_wilson(ne[k], n[k], &s->lo, &s->hi);
        else
            s->lo = s->hi = NAN;
        s->lift = base > 0 ? s->rate / base : NAN;
        s->p = n[k] ? st_slice_p_two_sided(ne[k], n[k], E, N) : NAN;
        s->small = n[k] < min_support;
    }
}

err_code rpt_md_category_slices(FILE *f, const cat_slice s[CAT_COUNT], err *e)
{
    fputs("\n### Error rate by category\n\nEach category against the rest of the selection "
          "(evaluated rows).\n\n| category | rows | errors | error rate | 95% CI | lift | "
          "p-value |\n|---|---:|---:|---:|---|---:|---:|\n", f);
    for (int k = 0; k < CAT_COUNT; k++) {
        char a[32], b[32], c[32], d[32], g[32];
        char ci[80] = "–";
        if (s[k].n)
            snprintf(ci, sizeof ci, "%s – %s", rm_pct(s[k].lo, b, sizeof b),
                     rm_pct(s[k].hi, c, sizeof c));
        fprintf(f, "| %s%s | %zu | %zu | %s | %s | %s | %s |\n", cat_name((cat_kind)k),
                s[k].small && s[k].n ? " (small)" : "", s[k].n, s[k].nerr,
                rm_pct(s[k].rate, a, sizeof a), ci, rm_num(s[k].lift, d, sizeof d),
                rm_pval(s[k].p, g, sizeof g));
    }
    return ferror(f) ? err_set(e, E_IO, "cannot write the report") : E_OK;
}

err_code rpt_json_category_slices(FILE *f, const cat_slice s[CAT_COUNT], err *e)
{
    fputs(",\"category_slices\":[", f);
    for (int k = 0; k < CAT_COUNT; k++) {
        bool first = true;
        fputs(k ? ",{" : "{", f);
        rj_kv_str(f, "category", cat_name((cat_kind)k), &first);
        rj_kv_size(f, "rows", s[k].n, &first);
        rj_kv_size(f, "errors", s[k].nerr, &first);
        rj_kv_num(f, "error_rate", s[k].rate, &first);
        rj_kv_num(f, "ci_lo", s[k].lo, &first);
        rj_kv_num(f, "ci_hi", s[k].hi, &first);
        rj_kv_num(f, "lift", s[k].lift, &first);
        rj_kv_num(f, "p_value", s[k].p, &first);
        rj_kv_bool(f, "small", s[k].small, &first);
        fputc('}', f);
    }
    fputc(']', f);
    return ferror(f) ? err_set(e, E_IO, "cannot write the report") : E_OK;
}
