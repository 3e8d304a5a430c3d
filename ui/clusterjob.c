/* clusterjob: clustering off the input loop, and cluster dives (see clusterjob.h). */
#include "clusterjob.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cluster_job {
    const dataset *ds;
    const roles *r;
    const outcome *o;
    const binning *b;
    bitmap sel;     /* owned copy of the selection */
    clu_opts opt;
    clu_result out;
    uint64_t serial;
};

static void job_free(cluster_job *j)
{
    if (!j)
        return;
    bm_done(&j->sel);
    free(j);
}

static err_code run(bg_task *t, void *arg, err *e)
{
    cluster_job *j = arg;
    j->opt.progress = bg_progress;
    j->opt.ctx = t;
    return clu_run(&j->out, j->ds, j->r, j->o, j->b, &j->sel, &j->opt, e);
}

void cr_init(cluster_runner *c, const clu_opts *opt, bool off)
{
    memset(c, 0, sizeof *c);
    c->opt = *opt;
    c->off = off;
    c->wanted = !off;
    if (off)
        snprintf(c->state, sizeof c->state, "clustering is off (--clusters 0)");
}

void cr_done(cluster_runner *c)
{
    bg_stop(&c->task);
    if (c->job) {
        clu_done(&c->job->out);
        job_free(c->job);
    }
    if (c->have)
        clu_done(&c->result);
    for (size_t i = 0; i < c->npushed; i++) {
        free(c->pushed[i].label);
        bm_done(&c->pushed[i].rows);
    }
    free(c->pushed);
    memset(c, 0, sizeof *c);
}

void cr_invalidate(cluster_runner *c)
{
    if (c->off)
        return;
    if (c->task.running)
        bg_cancel(&c->task);
    c->wanted = true;
}

void cr_cancel(cluster_runner *c)
{
    if (c->task.running)
        bg_cancel(&c->task);
}

static void start(cluster_runner *c, const dataset *ds, const roles *r, const outcome *o,
                  const binning *b, const eng_result *res)
{
    c->wanted = false;
    cluster_job *j = calloc(1, sizeof *j);
    err e = {0};
    if (!j || bm_copy(&j->sel, &res->sel, &e) != E_OK) {
        free(j);
        snprintf(c->state, sizeof c->state, "clustering: out of memory");
        return;
    }
    j->ds = ds;
    j->r = r;
    j->o = o;
    j->b = b;
    j->opt = c->opt;
    j->serial = res->serial;
    if (bg_start(&c->task, run, j, &e) != E_OK) {
        job_free(j);
        snprintf(c->state, sizeof c->state, "clustering: %.140s", e.msg);
        return;
    }
    c->job = j;
    snprintf(c->state, sizeof c->state, "clustering the errors…");
}

bool cr_poll(cluster_runner *c, const dataset *ds, const roles *r, const outcome *o,
             const binning *b, const eng_result *res, bool may_start)
{
    if (c->job && bg_poll(&c->task)) {
        cluster_job *j = c->job;
        c->job = NULL;
        if (c->task.rc == E_OK) {
            if (c->have)
                clu_done(&c->result);
            c->result = j->out;
            c->have = true;
            c->serial = j->serial;
            c->state[0] = '\0';
        } else {
            clu_done(&j->out);
            if (c->task.rc == E_CANCEL)
                snprintf(c->state, sizeof c->state, "clustering was cancelled");
            else
                snprintf(c->state, sizeof c->state, "clustering: %.140s", c->task.e.msg);
        }
        job_free(j);
    }
    if (c->wanted && may_start && !c->task.running)
        start(c, ds, r, o, b, res);
    if (c->task.running)
        snprintf(c->state, sizeof c->state, "clustering the errors… %d%%",
                 atomic_load(&c->task.permille) / 10);
    return c->task.running;
}

const clu_result *cr_current(const cluster_runner *c, uint64_t serial)
{
    return c->have && c->serial == serial ? &c->result : NULL;
}

const char *cr_state(const cluster_runner *c)
{
    return c->state;
}

static err_code remember(cluster_runner *c, const char *label, const bitmap *rows, err *e)
{
    for (size_t i = 0; i < c->npushed; i++)
        if (strcmp(c->pushed[i].label, label) == 0)
            return E_OK;
    if (c->npushed == c->cappushed) {
        size_t cap = c->cappushed ? 2 * c->cappushed : 8;
        pushed_rows *p = realloc(c->pushed, cap * sizeof *p);
        if (!p)
            return err_set(e, E_NOMEM, "out of memory");
        c->pushed = p;
        c->cappushed = cap;
    }
    pushed_rows *p = &c->pushed[c->npushed];
    if (!(p->label = strdup(label)))
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = bm_copy(&p->rows, rows, e);
    if (rc) {
        free(p->label);
        return rc;
    }
    c->npushed++;
    return E_OK;
}

err_code cr_dive(cluster_runner *c, engine *eng, uint64_t serial, int idx, char *label,
                 size_t size, err *e)
{
    const clu_result *cr = cr_current(c, serial);
    if (!cr || idx < 0 || (unsigned)idx >= cr->k)
        return err_set(e, E_RANGE, "the clusters changed; pick the cluster again");
    const clu_cluster *cl = &cr->c[idx];
    /* The label names the cluster by its first keywords; the serial keeps two clusterings'
     * "cluster 1" apart in undo and redo. */
    size_t used = (size_t)snprintf(label, size, "cluster %d:", idx + 1);
    for (unsigned t = 0; t < cl->nkw && t < 3 && used + 1 < size; t++)
        used += (size_t)snprintf(label + used, size - used, " %s", cl->kw[t].text);
    if (used + 1 < size)
        snprintf(label + used, size - used, " (#%llu)", (unsigned long long)serial);
    bitmap rows;
    err_code rc = bm_init(&rows, eng_binning(eng)->nrows, false, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < cl->size; i++)
        bm_set(&rows, cl->rows[i]);
    rc = eng_push_rows(eng, label, &rows, e);
    if (rc == E_OK)
        rc = remember(c, label, &rows, e);
    bm_done(&rows);
    return rc;
}

bool cr_repush(cluster_runner *c, engine *eng, const char *label, err *e, err_code *rc)
{
    for (size_t i = 0; i < c->npushed; i++)
        if (strcmp(c->pushed[i].label, label) == 0) {
            *rc = eng_push_rows(eng, label, &c->pushed[i].rows, e);
            return true;
        }
    return false;
}
