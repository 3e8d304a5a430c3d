#include "fl_pipeline.h"

#include <criterion/criterion.h>

#include "fl_test.h"
#include "stats.h"

void fl_pipeline_from(fl_pipeline *p, dataset *ds)
{
    st_init();
    err e = {0};
    p->ds = ds;
    role_opts ro;
    role_opts_init(&ro);
    cr_assert_eq(role_detect(&p->r, p->ds, &ro, &e), E_OK, "%s", e.msg);
    cr_assert_eq(out_build(&p->o, p->ds, &p->r, &e), E_OK, "%s", e.msg);
    bin_opts bo;
    bin_opts_init(&bo);
    cr_assert_eq(bin_build(&p->b, p->ds, &p->r, &p->o, &bo, &e), E_OK, "%s", e.msg);
}

void fl_pipeline_str(fl_pipeline *p, const char *csv)
{
    fl_pipeline_from(p, fl_load_str(csv));
}

void fl_pipeline_done(fl_pipeline *p)
{
    bin_done(&p->b);
    out_done(&p->o);
    role_done(&p->r);
    ds_free(p->ds);
}
