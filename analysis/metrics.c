#include "metrics.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sortd.h"
#include "stats.h"

/* ------------------------------------------------------------------------- helpers */

/* The next row of the selection at or after i (every row when sel is NULL); o->n at the end
 * (the caller checked that sel covers exactly o->n rows). */
static size_t row_next(const bitmap *sel, size_t i)
{
    return sel ? bm_next(sel, i) : i;
}

void met_reset(metrics *m)
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

static void set_rates(metrics *m)
{
    if (m->n == 0)
        return;
    m->error_rate = (double)m->nerr / (double)m->n;
    m->accuracy = (double)(m->n - m->nerr) / (double)m->n;
}

int met_bin_of(double c)
{
    if (isnan(c))
        return -1;
    if (!(c > 1.0 / MET_NBINS))
        return 0;
    if (c > (MET_NBINS - 1) / (double)MET_NBINS)
        return MET_NBINS - 1;
    /* c * 10 can round onto an edge (the double 0.7 times 10 gives 7.0, yet 0.7 closes bin
     * 6, (0.6, 0.7]), so the guess is settled against the edges themselves */
    int b = (int)(c * MET_NBINS);
    while (b > 0 && c <= b / (double)MET_NBINS)
        b--;
    while (b < MET_NBINS - 1 && c > (b + 1) / (double)MET_NBINS)
        b++;
    return b;
}

/* ------------------------------------------------------------------ sorting for AUC */

/* Mann-Whitney AUC of sorted positive and negative scores: each positive counts the
 * negatives below it plus half the tied ones, which equals (sum of the positives' average
 * ranks - P(P+1)/2) / (P N). Counted in halves, in integers, so ties are exact. */
static double auc_sorted(const double *pos, size_t npos, const double *neg, size_t nneg)
{
    if (npos == 0 || nneg == 0)
        return NAN;
    uint64_t u2 = 0;
    size_t lt = 0, le = 0; /* negatives < s, negatives <= s */
    for (size_t i = 0; i < npos; i++) {
        double s = pos[i];
        while (lt < nneg && neg[lt] < s)
            lt++;
        if (le < lt)
            le = lt;
        while (le < nneg && neg[le] <= s)
            le++;
        u2 += 2 * (uint64_t)lt + (uint64_t)(le - lt);
    }
    return (double)u2 / (2.0 * (double)npos * (double)nneg);
}

/* ----------------------------------------------------------------- classification */

/* Whether row i is evaluated; class indexes outside the table would be a broken outcome,
 * and are left out rather than written out of bounds. */
static bool class_row_ok(const outcome *o, size_t i)
{
    return o->err[i] != OUT_UNKNOWN && o->y[i] < o->nclass && o->yhat[i] < o->nclass;
}

/* Precision, recall and F1 per class with zero_division = 0, then the macro mean over the
 * classes seen (as truth or prediction) and the support-weighted mean, as scikit-learn. */
void met_per_class(metrics *m)
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
        /* scikit-learn's (1 + beta^2) P R / (beta^2 P + R), same operation order */
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

typedef struct calib {
    size_t n[MET_NBINS], ok[MET_NBINS];
    double conf[MET_NBINS];
} calib;

void met_finish_calibration(metrics *m, const size_t *n, const size_t *ok, const double *conf)
{
    double ece = 0, mce = 0;
    for (int b = 0; b < MET_NBINS; b++) {
        met_bin *bn = &m->bins[b];
        bn->n = n[b];
        if (!bn->n)
            continue;
        bn->accuracy = (double)ok[b] / (double)bn->n;
        bn->confidence = conf[b] / (double)bn->n;
        double gap = fabs(bn->accuracy - bn->confidence);
        ece += (double)bn->n / (double)m->nscored * gap;
        if (gap > mce)
            mce = gap;
    }
    m->ece = ece;
    m->mce = mce;
}

/* Brier score, log loss, calibration and (binary) ROC AUC over the evaluated rows whose
 * scores are all present. */
static err_code score_metrics(metrics *m, const outcome *o, const bitmap *sel, err *e)
{
    uint32_t k = o->nclass;
    bool binary = k == 2 && o->positive < 2;
    size_t cap = m->n ? m->n : 1;
    double *p = malloc(k * sizeof *p);
    /* binary: positives' scores fill buf from the front, negatives' from the back */
    double *buf = binary ? malloc(cap * sizeof *buf) : NULL;
    if (!p || (binary && !buf)) {
        free(p);
        free(buf);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t npos = 0, nneg = 0;
    double brier = 0, ll = 0;
    calib cb = {{0}, {0}, {0}};
    for (size_t i = row_next(sel, 0); i < o->n; i = row_next(sel, i + 1)) {
        if (!class_row_ok(o, i) || !out_row_scores(o, i, p))
            continue;
        double c;
        if (o->conf) {
            c = o->conf[i];
        } else {
            c = p[0];
            for (uint32_t j = 1; j < k; j++)
                c = p[j] > c ? p[j] : c;
        }
        if (isnan(c))
            continue;
        uint32_t y = o->y[i];
        m->nscored++;
        if (binary) {
            double d = p[o->positive] - (y == o->positive);
            brier += d * d;
        } else {
            /* the row's own sum first, then the total: a per-row term that can be stored */
            double t = 0;
            for (uint32_t j = 0; j < k; j++) {
                double d = p[j] - (j == y);
                t += d * d;
            }
            brier += t;
        }
        ll += out_log_loss(p, k, y);
        int b = met_bin_of(c);
        cb.n[b]++;
        cb.ok[b] += o->err[i] == OUT_CORRECT;
        cb.conf[b] += c;
        if (binary) {
            if (y == o->positive)
                buf[npos++] = p[o->positive];
            else
                buf[cap - ++nneg] = p[o->positive];
        }
    }
    free(p);
    if (m->nscored) {
        m->brier = brier / (double)m->nscored;
        m->log_loss = ll / (double)m->nscored;
        met_finish_calibration(m, cb.n, cb.ok, cb.conf);
    }
    err_code rc = E_OK;
    if (binary && npos && nneg) {
        /* radix sorts: a filter change re-sorts up to millions of scores */
        rc = srt_doubles(buf, npos, e);
        if (rc == E_OK)
            rc = srt_doubles(buf + cap - nneg, nneg, e);
        if (rc == E_OK)
            m->roc_auc = auc_sorted(buf, npos, buf + cap - nneg, nneg);
    }
    free(buf);
    return rc;
}

static err_code classification(metrics *m, const outcome *o, const bitmap *sel, err *e)
{
    uint32_t k = o->nclass;
    if (o->n && (!o->err || !o->y || !o->yhat))
        return err_set(e, E_USAGE, "metrics: the outcome has no classes per row");
    size_t cells = (size_t)k * k;
    m->nclass = k;
    m->confusion = calloc(cells ? cells : 1, sizeof *m->confusion);
    m->per_class = calloc(k ? k : 1, sizeof *m->per_class);
    if (!m->confusion || !m->per_class)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t i = row_next(sel, 0); i < o->n; i = row_next(sel, i + 1)) {
        if (!class_row_ok(o, i)) {
            m->nunknown++;
            continue;
        }
        m->n++;
        m->nerr += o->err[i] == OUT_ERROR;
        m->confusion[(size_t)o->y[i] * k + o->yhat[i]]++;
    }
    set_rates(m);
    met_per_class(m);
    if (k && out_has_scores(o))
        return score_metrics(m, o, sel, e);
    return E_OK;
}

/* --------------------------------------------------------------------- regression */

static bool reg_row_ok(const outcome *o, size_t i)
{
    return o->err[i] != OUT_UNKNOWN && !isnan(o->ytrue[i]) && !isnan(o->ypred[i]);
}

static err_code regression(metrics *m, const outcome *o, const bitmap *sel, err *e)
{
    m->fail_above = o->fail_above;
    if (o->n && (!o->err || !o->ytrue || !o->ypred))
        return err_set(e, E_USAGE, "metrics: the outcome has no target or estimate per row");
    size_t cap = sel ? bm_count(sel) : o->n;
    double *ad = malloc((cap ? cap : 1) * sizeof *ad);
    if (!ad)
        return err_set(e, E_NOMEM, "out of memory");
    double sabs = 0, ssq = 0, sy = 0;
    for (size_t i = row_next(sel, 0); i < o->n; i = row_next(sel, i + 1)) {
        if (!reg_row_ok(o, i)) {
            m->nunknown++;
            continue;
        }
        double d = o->ypred[i] - o->ytrue[i];
        ad[m->n++] = fabs(d);
        m->nerr += o->err[i] == OUT_ERROR;
        sabs += fabs(d);
        ssq += d * d;
        sy += o->ytrue[i];
    }
    set_rates(m);
    if (m->n) {
        double nn = (double)m->n, mean = sy / nn, sstot = 0;
        /* second pass around the mean: the one-pass formula cancels badly for prices */
        for (size_t i = row_next(sel, 0); i < o->n; i = row_next(sel, i + 1))
            if (reg_row_ok(o, i))
                sstot += (o->ytrue[i] - mean) * (o->ytrue[i] - mean);
        m->mae = sabs / nn;
        m->rmse = sqrt(ssq / nn);
        m->r2 = sstot > 0 ? 1 - ssq / sstot : NAN;
        m->median_ae = st_median_inplace(ad, m->n);
    }
    free(ad);
    return E_OK;
}

/* ------------------------------------------------------------------------- public */

err_code met_compute(metrics *m, const outcome *o, const bitmap *sel, err *e)
{
    met_reset(m);
    if (sel && sel->nbits != o->n)
        return err_set(e, E_RANGE, "metrics: the selection covers %zu rows, the data has %zu",
                       sel->nbits, o->n);
    err_code rc =
        o->task == TASK_REGRESSION ? regression(m, o, sel, e) : classification(m, o, sel, e);
    if (rc != E_OK) {
        met_done(m);
        met_reset(m);
    }
    return rc;
}

void met_done(metrics *m)
{
    free(m->confusion);
    free(m->per_class);
    memset(m, 0, sizeof *m);
}
