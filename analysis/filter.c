#include "filter.h"

#include <stdlib.h>
#include <string.h>

#include "filter_int.h"

struct filter {
    char *text;        /* owned; the expression as given */
    flt_ctx ctx;       /* borrowed pointers */
    flt_arena arena;   /* owned; tree, plan, strings */
    flt_plan *plan;    /* in arena */
    flt_rxlist *rxs;   /* in arena; the regexes themselves are owned */
};

void flt_free(filter *f)
{
    if (!f)
        return;
    for (flt_rxlist *r = f->rxs; r; r = r->next)
        rx_free(r->re);
    flt_arena_done(&f->arena);
    free(f->text);
    free(f);
}

err_code flt_compile(filter **out, const char *expr, const flt_ctx *ctx, err *e,
                     flt_error *where)
{
    flt_error local;
    if (!where)
        where = &local;
    where->pos = where->len = 0;
    if (!expr)
        expr = "";
    filter *f = calloc(1, sizeof *f);
    if (!f || !(f->text = strdup(expr))) {
        free(f);
        err_set(e, E_NOMEM, "out of memory");
        return E_NOMEM;
    }
    f->ctx = *ctx;
    flt_diag d = {e, where, f->text, strlen(f->text)};
    flt_node *root = NULL;
    err_code rc = flt_parse(f->text, &f->arena, &d, &root);
    if (rc == E_OK)
        rc = flt_check(&f->ctx, &f->arena, &d, root, &f->rxs, &f->plan);
    if (rc != E_OK) {
        flt_free(f);
        return rc;
    }
    *out = f;
    return E_OK;
}

static err_code check_size(const filter *f, const bitmap *b, err *e)
{
    if (b->nbits != f->ctx.ds->nrows) {
        err_set(e, E_RANGE, "filter: the bitmap has %zu rows, the data %zu", b->nbits,
                f->ctx.ds->nrows);
        return E_RANGE;
    }
    return E_OK;
}

err_code flt_eval(const filter *f, bitmap *out, err *e)
{
    err_code rc = check_size(f, out, e);
    if (rc != E_OK || out->nbits == 0)
        return rc;
    return flt_eval_plan(&f->ctx, f->plan, NULL, out, e);
}

err_code flt_eval_within(const filter *f, const bitmap *within, bitmap *out, err *e)
{
    err_code rc = check_size(f, out, e);
    if (rc == E_OK)
        rc = check_size(f, within, e);
    if (rc != E_OK || out->nbits == 0)
        return rc;
    bitmap copy = {0, NULL};
    if (out == within) { /* the mask is read while out is written */
        if ((rc = bm_copy(&copy, within, e)) != E_OK)
            return rc;
        within = &copy;
    }
    /* the plan is exact inside the mask; the AND clears whatever it left outside */
    if ((rc = flt_eval_plan(&f->ctx, f->plan, within, out, e)) == E_OK)
        bm_and(out, within);
    bm_done(&copy);
    return rc;
}

const char *flt_text(const filter *f)
{
    return f->text;
}

size_t flt_regexes(const filter *f, const rx **re, int *col, size_t max)
{
    size_t n = 0;
    for (const flt_rxlist *r = f->rxs; r; r = r->next) {
        if (!r->selects)
            continue;
        if (n < max) {
            re[n] = r->re;
            col[n] = r->col;
        }
        n++;
    }
    return n;
}

/* Whether a field reads the review state: tag, tagged, untagged, note, or a function of them. */
static bool field_uses_tags(const flt_ctx *c, const flt_field *f)
{
    if (!f)
        return false;
    if (f->src == FS_TAGS || f->src == FS_TAGGED || f->src == FS_UNTAGGED)
        return true;
    if (c->tags && f->src == FS_CODES && f->codes == c->tags->note)
        return true;
    return field_uses_tags(c, f->arg);
}

static bool plan_uses_tags(const flt_ctx *c, const flt_plan *p)
{
    for (; p; p = p->next)
        if (field_uses_tags(c, p->f) || field_uses_tags(c, p->g) || plan_uses_tags(c, p->kids))
            return true;
    return false;
}

bool flt_uses_tags(const filter *f)
{
    return f->ctx.tags && plan_uses_tags(&f->ctx, f->plan);
}
