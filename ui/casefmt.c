#include "casefmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void cf_id(const pane_env *env, uint32_t row, char *buf, size_t size)
{
    if (env->r->id >= 0 && !ds_is_missing(env->ds, env->r->id, row))
        ds_cell_text(env->ds, env->r->id, row, buf, size);
    else
        snprintf(buf, size, "row %u", row + 1);
}

static const char *class_name(const pane_env *env, uint32_t k)
{
    return k == CLASS_NA || k >= env->o->nclass ? "?" : env->o->classes[k];
}

void cf_outcome(const pane_env *env, uint32_t row, char *buf, size_t size)
{
    if (env->o->y)
        snprintf(buf, size, "%s → %s", class_name(env, env->o->y[row]),
                 class_name(env, env->o->yhat[row]));
    else if (env->o->ytrue)
        snprintf(buf, size, "%.4g → %.4g", env->o->ytrue[row], env->o->ypred[row]);
    else
        snprintf(buf, size, "?");
}

int cf_text_col(const dataset *ds)
{
    for (size_t i = 0; i < ds->ncols; i++)
        if (ds->cols[i].role == ROLE_TEXT)
            return (int)i;
    return -1;
}

void cf_summary(const pane_env *env, uint32_t row, char *buf, size_t size)
{
    int tc = cf_text_col(env->ds);
    if (tc >= 0) {
        char text[1024];
        ds_cell_text(env->ds, tc, row, text, sizeof text);
        snprintf(buf, size, "\"%s\"", text);
        return;
    }
    size_t len = 0;
    buf[0] = '\0';
    const col_ranking *rk = &env->res->rank;
    int shown = 0;
    for (size_t i = 0; i < rk->len && shown < 4; i++) {
        int col = rk->v[i].col;
        if (col < 0 || env->ds->cols[col].role != ROLE_FEATURE)
            continue;
        char v[128];
        ds_cell_text(env->ds, col, row, v, sizeof v);
        int n = snprintf(buf + len, size > len ? size - len : 0, "%s%s=%s", shown ? "  " : "",
                         env->ds->cols[col].name, v[0] ? v : "(missing)");
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
        shown++;
    }
}
