#include "metrics_fast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "radix.h"

/* The helpers below repeat metrics.c's arithmetic operation for operation: equal inputs
 * then give equal bits, which the tests check against met_compute. */

static bool class_row_ok(const outcome *o, size_t i)
{
    return o->err[i] != OUT_UNKNOWN && o->y[i] < o->nclass && o->yhat[i] < o->nclass;
}

static bool row_scores(const outcome *o, size_t i, double *p)
{
    for (uint32_t k = 0; k < o->nclass; k++) {
        double v = out_score(o, i, k);
        if (isnan(v)) {
            if (!(o->score && !o->score[k]))
                return false;
            v = 0;
        }
        p[k] = v;
    }
    return true;
}

static double row_log_loss(const double *p, uint32_t k, uint32_t y)
{
    double sum = 0, pt = 0;
    for (uint32_t j = 0; j < k; j++) {
        double v = p[j] < OUT_EPS ? OUT_EPS : p[j] > 1 - OUT_EPS ? 1 - OUT_EPS : p[j];
        sum += v;
        if (j == y)
            pt = v;
    }
    return -log(pt / sum);
}

void mf_prep_done(mf_prep *p)
{
    free(p->row);
    free(p->cbin);
    free(p->order);
    memset(p, 0, sizeof *p);
}

/* Scored rows by positive score, negatives first among equal scores: the stable sort keeps
 * the order in which rows are fed, all negatives and then all positives. Then a positive's
 * "negatives at or below" is simply the negatives already walked past. */
static err_code build_order(mf_prep *p, const outcome *o, const double *pos_score, err *e)
{
    size_t m = 0;
    for (size_t i = 0; i < p->n; i++)
        m += p->cbin[i] != MF_UNSCORED;
    uint64_t *key = malloc((m ? m : 1) * sizeof *key);
    p->order = malloc((m ? m : 1) * sizeof *p->order);
    if (!key || !p->order) {
        free(key);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t at = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->n; i++) {
            if (p->cbin[i] == MF_UNSCORED || (o->y[i] == o->positive) != (pass == 1))
                continue;
            key[at] = rdx_key_double(pos_score[i]);
            p->order[at++] = (uint32_t)i | (pass ? MF_POS : 0);
        }
    err_code rc = rdx_sort(key, p->order, m, e);
    if (rc == E_OK)
        for (size_t j = 1; j < m; j++)
            if (key[j] == key[j - 1])
                p->order[j] |= MF_TIE;
    p->norder = m;
    free(key);
    return rc;
}

err_code mf_prep_build(mf_prep *p, const outcome *o, err *e)
{
    memset(p, 0, sizeof *p);
    if (o->task == TASK_REGRESSION || !o->y || !o->yhat || !o->err)
        return err_set(e, E_USAGE, "fast metrics: not a classification outcome");
    if (o->n > MF_MAX_ROWS)
        return err_set(e, E_RANGE, "fast metrics: more than %zu rows", MF_MAX_ROWS);
    p->n = o->n;
    p->k = o->nclass;
    p->scored = o->nclass && out_has_scores(o);
    p->binary = p->scored && o->nclass == 2 && o->positive < 2;
    if (!p->scored)
        return E_OK;
    uint32_t k = o->nclass;
    size_t n = o->n ? o->n : 1;
    p->row = malloc(n * sizeof *p->row);
    p->cbin = malloc(n);
    double *pp = malloc(k * sizeof *pp);
    double *pos = p->binary ? malloc(n * sizeof *pos) : NULL;
    if (!p->row || !p->cbin || !pp || (p->binary && !pos)) {
        free(pp);
        free(pos);
        mf_prep_done(p);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < o->n; i++) {
        p->cbin[i] = MF_UNSCORED;
        memset(&p->row[i], 0, sizeof p->row[i]);
        if (!class_row_ok(o, i) || !row_scores(o, i, pp))
            continue;
        double c;
        if (o->conf) {
            c = o->conf[i];
        } else {
            c = pp[0];
            for (uint32_t j = 1; j < k; j++)
                c = pp[j] > c ? pp[j] : c;
        }
        if (isnan(c))
            continue;
        uint32_t y = o->y[i];
        double t;
        if (p->binary) {
            double d = pp[o->positive] - (y == o->positive);
            t = d * d;
            pos[i] = pp[o->positive];
        } else {
            t = 0;
            for (uint32_t j = 0; j < k; j++) {
                double d = pp[j] - (j == y);
                t += d * d;
            }
        }
        p->row[i] = (mf_row){t, row_log_loss(pp, k, y), c};
        p->cbin[i] = (uint8_t)(met_bin_of(c) | (o->err[i] == OUT_CORRECT ? MF_OK_BIT : 0));
    }
    free(pp);
    err_code rc = p->binary ? build_order(p, o, pos, e) : E_OK;
    free(pos);
    if (rc != E_OK)
        mf_prep_done(p);
    return rc;
}

static inline void add_row(const mf_prep *p, size_t i, mf_sums *s)
{
    unsigned c = p->cbin[i];
    if (c == MF_UNSCORED)
        return;
    unsigned b = c & 0x0F;
    const mf_row *r = &p->row[i];
    s->nscored++;
    s->brier += r->brier;
    s->ll += r->ll;
    s->cn[b]++;
    s->cok[b] += (c & MF_OK_BIT) != 0;
    s->cconf[b] += r->conf;
}

void mf_sum_scores(const mf_prep *p, const bitmap *sel, size_t r0, size_t r1, mf_sums *s)
{
    memset(s, 0, sizeof *s);
    if (!p->scored)
        return;
    if (r1 > p->n)
        r1 = p->n;
    if (!sel) {
        for (size_t i = r0; i < r1; i++)
            add_row(p, i, s);
        return;
    }
    for (size_t w = r0 / 64; w * 64 < r1; w++) {
        uint64_t m = sel->w[w];
        while (m) {
            size_t i = w * 64 + (size_t)__builtin_ctzll(m);
            m &= m - 1;
            add_row(p, i, s);
        }
    }
}

void mf_auc_count(const mf_prep *p, const bitmap *sel, mf_auc *a)
{
    memset(a, 0, sizeof *a);
    if (!p->binary)
        return;
    /* A positive counts twice the negatives strictly below its score (those walked past
     * before its tie group began) plus once those at or below (all walked past so far,
     * since a group lists its negatives first): 2 lt + eq = lt + le. Branch-free, because
     * the selection and the ties are unpredictable. */
    uint64_t u2 = 0, negs = 0, start = 0, npos = 0;
    const uint32_t *ord = p->order;
    const uint64_t *w = sel ? sel->w : NULL;
    for (size_t j = 0; j < p->norder; j++) {
        uint32_t v = ord[j];
        uint32_t r = v & MF_ROW;
        uint64_t s = w ? (w[r >> 6] >> (r & 63)) & 1 : 1;
        uint64_t pos = v >> 31;
        start = (v & MF_TIE) ? start : negs;
        negs += s & (pos ^ 1);
        uint64_t take = s & pos;
        npos += take;
        u2 += (0 - take) & (negs + start);
    }
    a->u2 = u2;
    a->npos = npos;
    a->nneg = negs;
}

/* ----------------------------------------------------------- as metrics.c finishes */

static void reset(metrics *m)
{
    memset(m, 0, sizeof *m);
    m->accuracy = m->error_rate = NAN;
    m->macro_f1 = m->weighted_f1 = m->roc_auc = NAN;
    m->brier = m->log_loss = m->ece = m->mce = NAN;
    m->mae = m->rmse = m->r2 = m->median_ae = m->fail_above = NAN;
    for (int b = 0; b < MET_NBINS; b++) {
        m->bins[b].lo = b / (double)MET_NBINS;
        m->bins[b].hi = (b + 1) / (double)MET_NBINS;
        m->bins[b].accuracy = m->bins[b].confidence = NAN;
    }
}

static void per_class(metrics *m)
{
    uint32_t k = m->nclass;
    double fsum = 0, fw = 0;
    size_t present = 0;
    for (uint32_t c = 0; c < k; c++) {
        size_t support = 0, predicted = 0, tp = m->confusion[(size_t)c * k + c];
        for (uint32_t j = 0; j < k; j++) {
            support += m->confusion[(size_t)c * k + j];
            predicted += m->confusion[(size_t)j * k + c];
        }
        met_class *pc = &m->per_class[c];
        pc->support = support;
        pc->precision = predicted ? (double)tp / (double)predicted : 0;
        pc->recall = support ? (double)tp / (double)support : 0;
        double den = pc->precision + pc->recall;
        pc->f1 = den > 0 ? 2 * pc->precision * pc->recall / den : 0;
        if (support || predicted) {
            present++;
            fsum += pc->f1;
        }
        fw += pc->f1 * (double)support;
    }
    if (present)
        m->macro_f1 = fsum / (double)present;
    if (m->n)
        m->weighted_f1 = fw / (double)m->n;
}

static void finish_calibration(metrics *m, const mf_sums *s)
{
    double ece = 0, mce = 0;
    for (int b = 0; b < MET_NBINS; b++) {
        met_bin *bn = &m->bins[b];
        bn->n = s->cn[b];
        if (!bn->n)
            continue;
        bn->accuracy = (double)s->cok[b] / (double)bn->n;
        bn->confidence = s->cconf[b] / (double)bn->n;
        double gap = fabs(bn->accuracy - bn->confidence);
        ece += (double)bn->n / (double)m->nscored * gap;
        if (gap > mce)
            mce = gap;
    }
    m->ece = ece;
    m->mce = mce;
}

err_code mf_finish(metrics *m, const outcome *o, const size_t *confusion, size_t nsel,
                   const mf_sums *s, const mf_auc *a, err *e)
{
    reset(m);
    uint32_t k = o->nclass;
    size_t cells = (size_t)k * k;
    m->nclass = k;
    m->confusion = malloc((cells ? cells : 1) * sizeof *m->confusion);
    m->per_class = calloc(k ? k : 1, sizeof *m->per_class);
    if (!m->confusion || !m->per_class) {
        met_done(m);
        reset(m);
        return err_set(e, E_NOMEM, "out of memory");
    }
    memcpy(m->confusion, confusion, cells * sizeof *m->confusion);
    for (size_t c = 0; c < cells; c++) {
        m->n += confusion[c];
        m->nerr += c / k != c % k ? confusion[c] : 0;
    }
    m->nunknown = nsel - m->n;
    if (m->n) {
        m->error_rate = (double)m->nerr / (double)m->n;
        m->accuracy = (double)(m->n - m->nerr) / (double)m->n;
    }
    per_class(m);
    if (s && s->nscored) {
        m->nscored = s->nscored;
        m->brier = s->brier / (double)m->nscored;
        m->log_loss = s->ll / (double)m->nscored;
        finish_calibration(m, s);
    }
    if (a && a->npos && a->nneg)
        m->roc_auc = (double)a->u2 / (2.0 * (double)a->npos * (double)a->nneg);
    return E_OK;
}

err_code mf_compute(metrics *m, const mf_prep *p, const outcome *o, const bitmap *sel, err *e)
{
    if (sel && sel->nbits != o->n) {
        reset(m);
        return err_set(e, E_RANGE, "metrics: the selection covers %zu rows, the data has %zu",
                       sel->nbits, o->n);
    }
    uint32_t k = o->nclass;
    size_t *cm = calloc(k ? (size_t)k * k : 1, sizeof *cm);
    if (!cm) {
        reset(m);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t nsel = 0;
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < o->n; i = sel ? bm_next(sel, i + 1) : i + 1) {
        nsel++;
        if (class_row_ok(o, i))
            cm[(size_t)o->y[i] * k + o->yhat[i]]++;
    }
    mf_sums s;
    mf_auc a;
    mf_sum_scores(p, sel, 0, o->n, &s);
    mf_auc_count(p, sel, &a);
    err_code rc = mf_finish(m, o, cm, nsel, &s, &a, e);
    free(cm);
    return rc;
}
