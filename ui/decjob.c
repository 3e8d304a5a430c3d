/* decjob: decisions off the input loop (see decjob.h). */
#include "decjob.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static err_code run(bg_task *t, void *arg, err *e)
{
    (void)t; /* dec_compute has no progress: it is one pass per section */
    dec_runner *r = arg;
    return dec_compute(r->d, r->opt, r->o, r->b, &r->sel, e);
}

void dr_init(dec_runner *r, decisions *d, const dec_opts *opt, const outcome *o,
             const binning *b)
{
    memset(r, 0, sizeof *r);
    r->d = d;
    r->opt = opt;
    r->o = o;
    r->b = b;
    r->valid = d != NULL;
    r->serial = 1;
}

void dr_done(dec_runner *r)
{
    bg_stop(&r->task);
    bm_done(&r->sel);
    memset(r, 0, sizeof *r);
}

void dr_invalidate(dec_runner *r)
{
    if (r->d)
        r->wanted = true;
}

bool dr_poll(dec_runner *r, const eng_result *res, bool may_start)
{
    if (!r->d)
        return false;
    if (r->task.running && bg_poll(&r->task)) {
        if (r->task.rc == E_OK) {
            r->valid = true;
            r->serial = r->job_serial;
            r->state[0] = '\0';
        } else {
            snprintf(r->state, sizeof r->state, "decisions: %.140s", r->task.e.msg);
        }
    }
    if (r->wanted && may_start && !r->task.running) {
        r->wanted = false;
        err e = {0};
        bm_done(&r->sel);
        if (bm_copy(&r->sel, &res->sel, &e) != E_OK) {
            snprintf(r->state, sizeof r->state, "decisions: out of memory");
            return false;
        }
        r->valid = false; /* the worker owns the selection part from now on */
        r->job_serial = res->serial;
        if (bg_start(&r->task, run, r, &e) != E_OK) {
            snprintf(r->state, sizeof r->state, "decisions: %.140s", e.msg);
            return false;
        }
        snprintf(r->state, sizeof r->state, "computing the decisions for this selection…");
    }
    return r->task.running;
}

const decisions *dr_current(const dec_runner *r, uint64_t serial)
{
    return r->valid && r->serial == serial ? r->d : NULL;
}

const char *dr_state(const dec_runner *r)
{
    return r->state;
}
