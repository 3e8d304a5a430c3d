#include "metrics_fast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "radix.h"
#include "rowiter.h"

/* The helpers below repeat metrics.c's arithmetic operation for operation: equal inputs
 * then give equal bits, which the tests check against met_compute. */

static bool class_row_ok(const outcome *o, size_t i)
{
    return o->err[i] != OUT_UNKNOWN && o->y[i] < o->nclass && o->yhat[i] < o->nclass;
}

void mf_prep_done(mf_prep *p)
{
    free(p->row);
    free(p->cbin);
    free(p->conf);
    free(p->cal_row);
    free(p->cal_conf);
    free(p->auc_key);
    free(p->rd);
    free(p->ry);
    free(p->rflag);
    bm_done(&p->rok);
    free(p->rorder);
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
    p->auc_key = malloc((p->n ? p->n : 1) * sizeof *p->auc_key);
    if (rc == E_OK && !p->auc_key)
        rc = err_set(e, E_NOMEM, "out of memory");
    /* a row's key for the sparse walk: its tie group's number, then 0 for a negative and 1
     * for a positive, so that sorting keys lists each group's negatives first */
    uint32_t group = 0;
    for (size_t i = 0; rc == E_OK && i < p->n; i++)
        p->auc_key[i] = UINT32_MAX;
    for (size_t j = 0; rc == E_OK && j < m; j++) {
        if (j > 0 && key[j] == key[j - 1])
            p->order[j] |= MF_TIE;
        else if (j > 0)
            group++;
        p->auc_key[p->order[j] & MF_ROW] = group * 2 + (p->order[j] >> 31);
    }
    p->norder = m;
    /* equal parts, each moved forward to the start of a tie group */
    p->auc_split[0] = 0;
    for (size_t k = 1; k <= MF_AUC_PARTS; k++) {
        size_t j = k == MF_AUC_PARTS ? m : m * k / MF_AUC_PARTS;
        if (j < p->auc_split[k - 1])
            j = p->auc_split[k - 1];
        while (j < m && (p->order[j] & MF_TIE))
            j++;
        p->auc_split[k] = j;
    }
    free(key);
    return rc;
}

static bool reg_row_ok(const outcome *o, size_t i)
{
    return o->err[i] != OUT_UNKNOWN && !isnan(o->ytrue[i]) && !isnan(o->ypred[i]);
}

static err_code reg_prep(mf_prep *p, const outcome *o, err *e)
{
    size_t n = o->n ? o->n : 1;
    p->rd = malloc(n * sizeof *p->rd);
    p->ry = malloc(n * sizeof *p->ry);
    p->rflag = malloc(n);
    p->rorder = malloc(n * sizeof *p->rorder);
    uint64_t *key = malloc(n * sizeof *key);
    err_code rc = p->rd && p->ry && p->rflag && p->rorder && key
                      ? bm_init(&p->rok, o->n, false, e)
                      : err_set(e, E_NOMEM, "out of memory");
    for (size_t i = 0; i < o->n && rc == E_OK; i++) {
        p->rd[i] = p->ry[i] = 0.0;
        p->rflag[i] = OUT_UNKNOWN;
        if (!reg_row_ok(o, i))
            continue;
        double d = o->ypred[i] - o->ytrue[i];
        p->rd[i] = d;
        p->ry[i] = o->ytrue[i];
        p->rflag[i] = o->err[i] == OUT_ERROR ? OUT_ERROR : OUT_CORRECT;
        bm_set(&p->rok, i);
        key[p->nrorder] = rdx_key_double(fabs(d));
        p->rorder[p->nrorder++] = (uint32_t)i;
    }
    if (rc == E_OK)
        rc = rdx_sort(key, p->rorder, p->nrorder, e);
    free(key);
    return rc;
}

err_code mf_prep_build(mf_prep *p, const outcome *o, err *e)
{
    memset(p, 0, sizeof *p);
    if (o->n > MF_MAX_ROWS)
        return err_set(e, E_RANGE, "fast metrics: more than %zu rows", MF_MAX_ROWS);
    if (o->task == TASK_REGRESSION) {
        if (o->n && (!o->err || !o->ytrue || !o->ypred))
            return err_set(e, E_USAGE, "fast metrics: the outcome has no target per row");
        p->n = o->n;
        p->regression = true;
        err_code rc = reg_prep(p, o, e);
        if (rc != E_OK)
            mf_prep_done(p);
        return rc;
    }
    if (o->n && (!o->y || !o->yhat || !o->err))
        return err_set(e, E_USAGE, "fast metrics: the outcome has no classes per row");
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
    p->cal_row = malloc(n * sizeof *p->cal_row);
    p->cal_conf = malloc(n * sizeof *p->cal_conf);
    double *pp = malloc(k * sizeof *pp);
    double *pos = p->binary ? malloc(n * sizeof *pos) : NULL;
    double *cv = p->conf = malloc(n * sizeof *cv);
    if (!p->row || !p->cbin || !p->cal_row || !p->cal_conf || !pp || !cv || (p->binary && !pos)) {
        free(pp);
        free(pos);
        mf_prep_done(p);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < o->n; i++) {
        p->cbin[i] = MF_UNSCORED;
        memset(&p->row[i], 0, sizeof p->row[i]);
        cv[i] = 0;
        if (!class_row_ok(o, i) || !out_row_scores(o, i, pp))
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
        p->row[i] = (mf_row){t, out_log_loss(pp, k, y)};
        cv[i] = c;
        int b = met_bin_of(c);
        p->cbin[i] = (uint8_t)(b | (o->err[i] == OUT_CORRECT ? MF_OK_BIT : 0));
        p->cal_start[b + 1]++;
    }
    free(pp);
    /* rows grouped by bin: a counting sort, stable */
    for (int b = 0; b < MET_NBINS; b++)
        p->cal_start[b + 1] += p->cal_start[b];
    size_t at[MET_NBINS];
    memcpy(at, p->cal_start, sizeof at);
    for (size_t i = 0; i < o->n; i++) {
        unsigned c = p->cbin[i];
        if (c == MF_UNSCORED)
            continue;
        size_t j = at[c & 0x0F]++;
        p->cal_row[j] = (uint32_t)i | ((c & MF_OK_BIT) ? MF_POS : 0);
        p->cal_ok[c & 0x0F] += (c & MF_OK_BIT) != 0;
        p->cal_conf[j] = cv[i];
    }
    err_code rc = p->binary ? build_order(p, o, pos, e) : E_OK;
    free(pos);
    if (rc != E_OK)
        mf_prep_done(p);
    return rc;
}

/* Brier and log-loss sums: two running sums in row order, as met_compute adds them. A row
 * left out of the score figures holds +0.0 for both, which leaves a sum unchanged bit for
 * bit (a sum that starts at +0.0 never becomes -0.0): the pass reads 16 bytes a row and
 * nothing else, and has no branch. The accumulators are locals so that they live in
 * registers. */
void mf_sum_losses(const mf_prep *p, const bitmap *sel, mf_sums *s)
{
    s->brier = s->ll = 0;
    if (!p->scored)
        return;
    const mf_row *row = p->row;
    double brier = 0, ll = 0;
    ROWS_FOR(sel, 0, p->n, i, {
        brier += row[i].brier;
        ll += row[i].ll;
    });
    s->brier = brier;
    s->ll = ll;
}

/* Calibration bins: for each bin, its rows of the selection, the correct ones among them,
 * and the sum of their confidences in row order. Two ways give the same bits:
 *  - dense selections walk each bin's rows (grouped once in the prep); a row outside the
 *    selection adds +0.0, which leaves a sum unchanged bit for bit (a sum that starts at
 *    +0.0 never becomes -0.0), so the walk has no branch to mispredict;
 *  - sparse ones visit only the selected rows, in row order, and add each confidence to its
 *    own bin and +0.0 to the others (ANDed with a mask that is all ones for its bin only):
 *    a few vector operations per row instead of a chain through memory. */
typedef double v2d __attribute__((vector_size(16)));
typedef uint64_t v2u __attribute__((vector_size(16)));
#define NPAIRS (MET_NBINS / 2)

static bool sparse(const mf_prep *p, const bitmap *sel, size_t nsel, size_t ratio)
{
    return sel && nsel < SIZE_MAX / ratio && nsel * ratio < p->n;
}

static void calibration_dense(const mf_prep *p, const bitmap *sel, mf_sums *s)
{
    const uint32_t *row = p->cal_row;
    const double *conf = p->cal_conf;
    for (int b = 0; b < MET_NBINS; b++) {
        size_t j0 = p->cal_start[b], j1 = p->cal_start[b + 1];
        double acc = 0.0;
        uint64_t n = 0, ok = 0;
        if (!sel) { /* every row: the counts are the prep's */
            for (size_t j = j0; j < j1; j++)
                acc += conf[j];
            n = j1 - j0;
            ok = p->cal_ok[b];
        } else {
            const uint64_t *w = sel->w;
            for (size_t j = j0; j < j1; j++) {
                uint32_t r = row[j] & MF_ROW;
                uint64_t in = (w[r >> 6] >> (r & 63)) & 1, bits;
                memcpy(&bits, &conf[j], sizeof bits);
                bits &= 0 - in;
                double v;
                memcpy(&v, &bits, sizeof v);
                acc += v;
                n += in;
                ok += in & (row[j] >> 31);
            }
        }
        s->cn[b] = n;
        s->cok[b] = ok;
        s->cconf[b] = acc;
    }
}

static void calibration_sparse(const mf_prep *p, const bitmap *sel, mf_sums *s)
{
    const uint8_t *cbin = p->cbin;
    const double *conf = p->conf;
    v2u mask[16][NPAIRS];
    for (unsigned b = 0; b < 16; b++)
        for (unsigned q = 0; q < NPAIRS; q++) {
            v2u m = {q * 2 == b ? ~(uint64_t)0 : 0, q * 2 + 1 == b ? ~(uint64_t)0 : 0};
            mask[b][q] = m;
        }
    uint32_t hc[4][32];
    memset(hc, 0, sizeof hc);
    v2d acc[NPAIRS];
    for (unsigned q = 0; q < NPAIRS; q++)
        acc[q] = (v2d){0.0, 0.0};
    ROWS_FOR(sel, 0, p->n, i, {
        unsigned c = cbin[i];
        if (c != MF_UNSCORED) {
            hc[i & 3][c]++;
            double v = conf[i];
            v2u vv = (v2u)(v2d){v, v};
            const v2u *m = mask[c & 0x0F];
            for (unsigned q = 0; q < NPAIRS; q++)
                acc[q] += (v2d)(vv & m[q]);
        }
    });
    for (int b = 0; b < MET_NBINS; b++) {
        for (int q = 0; q < 4; q++) {
            s->cn[b] += (size_t)hc[q][b] + hc[q][b | MF_OK_BIT];
            s->cok[b] += hc[q][b | MF_OK_BIT];
        }
        s->cconf[b] = acc[b / 2][b % 2];
    }
}

void mf_sum_calibration(const mf_prep *p, const bitmap *sel, size_t nsel, mf_sums *s)
{
    memset(s->cn, 0, sizeof s->cn);
    memset(s->cok, 0, sizeof s->cok);
    memset(s->cconf, 0, sizeof s->cconf);
    s->nscored = 0;
    if (!p->scored)
        return;
    if (sparse(p, sel, nsel, 4))
        calibration_sparse(p, sel, s);
    else
        calibration_dense(p, sel, s);
    for (int b = 0; b < MET_NBINS; b++)
        s->nscored += s->cn[b];
}

void mf_sum_scores(const mf_prep *p, const bitmap *sel, size_t nsel, mf_sums *s)
{
    mf_sum_losses(p, sel, s);
    mf_sum_calibration(p, sel, nsel, s);
}

/* A positive counts twice the negatives strictly below its score (those walked past
 * before its tie group began) plus once those at or below (all walked past so far, since a
 * group lists its negatives first): 2 lt + eq = lt + le. Branch-free, since the ties and the
 * selection are unpredictable. */
#define AUC_STEP(S)                                                                                \
    do {                                                                                           \
        uint32_t v = ord[j];                                                                       \
        uint64_t s_ = (S);                                                                         \
        uint64_t pos = v >> 31, tie = 0 - (uint64_t)((v >> 30) & 1);                               \
        start = (start & tie) | (negs & ~tie);                                                     \
        negs += s_ & (pos ^ 1);                                                                    \
        uint64_t take = s_ & pos;                                                                  \
        npos += take;                                                                              \
        u2 += (0 - take) & (negs + start);                                                         \
    } while (0)

/* A sparse selection: the selected rows' keys (tie group, then negative before positive),
 * sorted, then the same count over them; a new group begins where the group number
 * changes. Cost: a pass over the selected rows and a radix sort of their keys, instead of
 * a walk over every scored row. */
static void auc_sparse(const mf_prep *p, const bitmap *sel, size_t nsel, mf_auc *a)
{
    uint32_t *key = malloc((nsel ? nsel : 1) * sizeof *key);
    uint32_t *tmp = malloc((nsel ? nsel : 1) * sizeof *tmp);
    if (!key || !tmp) { /* no memory for the shortcut: walk everything */
        free(key);
        free(tmp);
        mf_auc parts[MF_AUC_PARTS];
        for (size_t k = 0; k < MF_AUC_PARTS; k++)
            mf_auc_count_part(p, sel, SIZE_MAX, k, &parts[k]);
        mf_auc_merge(parts, a);
        return;
    }
    const uint32_t *rk = p->auc_key;
    size_t m = 0;
    ROWS_FOR(sel, 0, p->n, i, {
        uint32_t k = rk[i];
        key[m] = k;
        m += k != UINT32_MAX;
    });
    rdx_sort_u32(key, m, tmp);
    uint64_t u2 = 0, negs = 0, start = 0, npos = 0;
    uint32_t prev = UINT32_MAX;
    for (size_t j = 0; j < m; j++) {
        uint32_t k = key[j], g = k >> 1;
        uint64_t pos = k & 1, fresh = 0 - (uint64_t)(g != prev);
        prev = g;
        start = (negs & fresh) | (start & ~fresh);
        negs += pos ^ 1;
        npos += pos;
        u2 += (0 - pos) & (negs + start);
    }
    a->u2 = u2;
    a->npos = npos;
    a->nneg = negs;
    free(key);
    free(tmp);
}

void mf_auc_count_part(const mf_prep *p, const bitmap *sel, size_t nsel, size_t part, mf_auc *a)
{
    memset(a, 0, sizeof *a);
    if (!p->binary || part >= MF_AUC_PARTS)
        return;
    if (sparse(p, sel, nsel, 6)) { /* the first part does it all */
        if (part == 0)
            auc_sparse(p, sel, nsel, a);
        return;
    }
    uint64_t u2 = 0, negs = 0, start = 0, npos = 0;
    const uint32_t *ord = p->order;
    size_t j0 = p->auc_split[part], j1 = p->auc_split[part + 1];
    if (!sel) {
        for (size_t j = j0; j < j1; j++)
            AUC_STEP(1);
    } else {
        const uint64_t *w = sel->w;
        for (size_t j = j0; j < j1; j++) {
            uint32_t r = ord[j] & MF_ROW;
            AUC_STEP((w[r >> 6] >> (r & 63)) & 1);
        }
    }
    a->u2 = u2;
    a->npos = npos;
    a->nneg = negs;
}

/* The parts split the order between tie groups, so every negative of an earlier part lies
 * strictly below every positive of a later one and counts twice for it. */
void mf_auc_merge(const mf_auc *parts, mf_auc *a)
{
    memset(a, 0, sizeof *a);
    for (size_t k = 0; k < MF_AUC_PARTS; k++) {
        a->u2 += parts[k].u2 + 2 * (uint64_t)a->nneg * parts[k].npos;
        a->npos += parts[k].npos;
        a->nneg += parts[k].nneg;
    }
}

void mf_auc_count(const mf_prep *p, const bitmap *sel, size_t nsel, mf_auc *a)
{
    mf_auc parts[MF_AUC_PARTS];
    for (size_t k = 0; k < MF_AUC_PARTS; k++)
        mf_auc_count_part(p, sel, nsel, k, &parts[k]);
    mf_auc_merge(parts, a);
}

/* ----------------------------------------------------------- as metrics.c finishes */

err_code mf_finish(metrics *m, const outcome *o, const size_t *confusion, size_t nsel,
                   const mf_sums *s, const mf_auc *a, err *e)
{
    met_reset(m);
    uint32_t k = o->nclass;
    size_t cells = (size_t)k * k;
    m->nclass = k;
    m->confusion = malloc((cells ? cells : 1) * sizeof *m->confusion);
    m->per_class = calloc(k ? k : 1, sizeof *m->per_class);
    if (!m->confusion || !m->per_class) {
        met_done(m);
        met_reset(m);
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
    met_per_class(m);
    if (s && s->nscored) {
        m->nscored = s->nscored;
        m->brier = s->brier / (double)m->nscored;
        m->log_loss = s->ll / (double)m->nscored;
        met_finish_calibration(m, s->cn, s->cok, s->cconf);
    }
    if (a && a->npos && a->nneg)
        m->roc_auc = (double)a->u2 / (2.0 * (double)a->npos * (double)a->nneg);
    return E_OK;
}

/* --------------------------------------------------------------------- regression */

/* As metrics.c's regression: sum |d|, sum d^2 and sum of targets in row order, then the
 * squares around the mean in a second pass. Rows that are not ok hold +0.0, and their
 * square in the second pass is masked to +0.0, so no branch is needed. */
void mf_reg_sum(const mf_prep *p, const bitmap *sel, mf_reg_sums *s)
{
    memset(s, 0, sizeof *s);
    if (!p->regression)
        return;
    const double *rd = p->rd, *ry = p->ry;
    const uint8_t *flag = p->rflag;
    size_t n = 0, nerr = 0;
    double sabs = 0, ssq = 0, sy = 0;
    ROWS_FOR(sel, 0, p->n, i, {
        double d = rd[i];
        unsigned f = flag[i];
        n += f != OUT_UNKNOWN;
        nerr += f == OUT_ERROR;
        sabs += fabs(d);
        ssq += d * d;
        sy += ry[i];
    });
    s->n = n;
    s->nerr = nerr;
    s->sabs = sabs;
    s->ssq = ssq;
    s->sy = sy;
    if (!n)
        return;
    double mean = sy / (double)n, sstot = 0;
    ROWS_FOR(sel, 0, p->n, i, {
        double v = (ry[i] - mean) * (ry[i] - mean);
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        bits &= 0 - (uint64_t)(flag[i] != OUT_UNKNOWN);
        memcpy(&v, &bits, sizeof v);
        sstot += v;
    });
    s->sstot = sstot;
}

/* numpy's median of |d| over the ok rows of the selection: the middle one, or the mean of
 * the two middle ones, found by walking the rows in order of |d| until the middle. */
double mf_reg_median(const mf_prep *p, const bitmap *sel)
{
    if (!p->regression)
        return NAN;
    size_t m = 0;
    if (!sel) {
        m = p->nrorder;
    } else {
        for (size_t w = 0; w < bm_words(sel); w++)
            m += (size_t)__builtin_popcountll(sel->w[w] & p->rok.w[w]);
    }
    if (m == 0)
        return NAN;
    size_t want = m % 2 ? m / 2 : m / 2 - 1, seen = 0;
    double a = NAN;
    for (size_t j = 0; j < p->nrorder; j++) {
        uint32_t r = p->rorder[j];
        if (sel && !bm_get(sel, r))
            continue;
        if (seen++ < want)
            continue;
        double v = fabs(p->rd[r]);
        if (m % 2)
            return v;
        if (isnan(a)) {
            a = v;
            continue;
        }
        return (a + v) / 2;
    }
    return NAN; /* counts and walk disagree: a bug */
}

void mf_finish_regression(metrics *m, const outcome *o, size_t nsel, const mf_reg_sums *s,
                          double median)
{
    met_reset(m);
    m->fail_above = o->fail_above;
    m->n = s->n;
    m->nerr = s->nerr;
    m->nunknown = nsel - s->n;
    if (m->n) {
        m->error_rate = (double)m->nerr / (double)m->n;
        m->accuracy = (double)(m->n - m->nerr) / (double)m->n;
        double nn = (double)m->n;
        m->mae = s->sabs / nn;
        m->rmse = sqrt(s->ssq / nn);
        m->r2 = s->sstot > 0 ? 1 - s->ssq / s->sstot : NAN;
        m->median_ae = median;
    }
}

err_code mf_compute(metrics *m, const mf_prep *p, const outcome *o, const bitmap *sel, err *e)
{
    if (p->regression) {
        if (sel && sel->nbits != o->n) {
            met_reset(m);
            return err_set(e, E_RANGE, "metrics: the selection covers %zu rows, the data has %zu",
                           sel->nbits, o->n);
        }
        mf_reg_sums s;
        mf_reg_sum(p, sel, &s);
        mf_finish_regression(m, o, sel ? bm_count(sel) : o->n, &s, mf_reg_median(p, sel));
        return E_OK;
    }
    if (sel && sel->nbits != o->n) {
        met_reset(m);
        return err_set(e, E_RANGE, "metrics: the selection covers %zu rows, the data has %zu",
                       sel->nbits, o->n);
    }
    uint32_t k = o->nclass;
    size_t *cm = calloc(k ? (size_t)k * k : 1, sizeof *cm);
    if (!cm) {
        met_reset(m);
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
    mf_sum_scores(p, sel, nsel, &s);
    mf_auc_count(p, sel, nsel, &a);
    err_code rc = mf_finish(m, o, cm, nsel, &s, &a, e);
    free(cm);
    return rc;
}
