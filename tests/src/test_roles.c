/* Role detection: every naming style the manual lists, overrides, and the errors that name
 * the flag which settles an ambiguity. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fl_test.h"
#include "roles.h"

static err_code detect(const char *csv, roles *r, const role_opts *o, dataset **ds, err *e)
{
    *ds = fl_load_str(csv);
    role_opts def;
    role_opts_init(&def);
    return role_detect(r, *ds, o ? o : &def, e);
}

static const char *colname(const dataset *ds, int c)
{
    return c >= 0 ? ds->cols[c].name : "(none)";
}

Test(role, label_prediction_prob_prefix)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("id,f,label,prediction,prob_spam,prob_ham\n"
                        "1,a,spam,spam,0.9,0.1\n2,b,ham,spam,0.6,0.4\n3,c,ham,ham,0.2,0.8\n",
                        &r, NULL, &ds, &e),
                 E_OK, "%s", e.msg);
    cr_assert_str_eq(colname(ds, r.label), "label");
    cr_assert_str_eq(colname(ds, r.pred), "prediction");
    cr_assert_str_eq(colname(ds, r.id), "id");
    cr_assert_eq(r.task, TASK_BINARY);
    cr_assert_eq(r.nclass, 2);
    cr_assert_str_eq(r.classes[0], "ham"); /* byte order */
    cr_assert_str_eq(r.classes[1], "spam");
    cr_assert_eq(r.positive, 1); /* the second class */
    cr_assert_str_eq(colname(ds, r.score_col[0]), "prob_ham");
    cr_assert_str_eq(colname(ds, r.score_col[1]), "prob_spam");
    cr_assert_eq(ds->cols[4].role, ROLE_SCORE);
    cr_assert_eq(ds->cols[1].role, ROLE_FEATURE);
    role_done(&r);
    ds_free(ds);
}

Test(role, y_true_y_pred_proba_with_symbols)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("row_id,age,y_true,y_pred,proba_<=50K,proba_>50K\n"
                        "1,30,<=50K,<=50K,0.8,0.2\n2,40,>50K,<=50K,0.7,0.3\n",
                        &r, NULL, &ds, &e),
                 E_OK, "%s", e.msg);
    cr_assert_str_eq(colname(ds, r.label), "y_true");
    cr_assert_str_eq(colname(ds, r.pred), "y_pred");
    cr_assert_str_eq(colname(ds, r.id), "row_id");
    cr_assert_str_eq(r.classes[0], "<=50K");
    cr_assert_str_eq(r.classes[1], ">50K");
    cr_assert_str_eq(colname(ds, r.score_col[1]), "proba_>50K");
    role_done(&r);
    ds_free(ds);
}

Test(role, target_predicted_score_multiclass)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("id,x,target,predicted,score_A,score_B,score_C\n"
                        "1,3,A,A,0.5,0.3,0.2\n2,4,B,C,0.1,0.4,0.5\n3,5,C,C,0.1,0.1,0.8\n",
                        &r, NULL, &ds, &e),
                 E_OK, "%s", e.msg);
    cr_assert_eq(r.task, TASK_MULTICLASS);
    cr_assert_eq(r.nclass, 3);
    cr_assert_eq(r.positive, CLASS_NA);
    cr_assert_str_eq(colname(ds, r.score_col[2]), "score_C");
    role_done(&r);
    ds_free(ds);
}

Test(role, other_label_and_score_spellings)
{
    static const char *const files[] = {
        "truth,pred,p_a,p_b\na,a,0.6,0.4\nb,a,0.7,0.3\n",
        "actual,yhat,a_prob,b_prob\na,a,0.6,0.4\nb,a,0.7,0.3\n",
        "gold,predicted,score_a,score_b\na,a,0.6,0.4\nb,a,0.7,0.3\n",
        "Y,PREDICTION\na,a\nb,a\n",
        "Label,Y_Pred\na,a\nb,a\n",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        roles r;
        dataset *ds;
        err e = {0};
        cr_assert_eq(detect(files[i], &r, NULL, &ds, &e), E_OK, "file %zu: %s", i, e.msg);
        cr_assert_eq(r.label, 0, "file %zu", i);
        cr_assert_eq(r.pred, 1, "file %zu", i);
        cr_assert_eq(r.nclass, 2);
        if (i < 3) {
            cr_assert_not_null(r.score_col, "file %zu", i);
            cr_assert_eq(r.score_col[0], 2);
            cr_assert_eq(r.score_col[1], 3);
        }
        role_done(&r);
        ds_free(ds);
    }
}

Test(role, single_score_column_is_positive_class)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("label,prediction,probability\n0,1,0.7\n1,1,0.9\n0,0,0.2\n", &r, NULL,
                        &ds, &e),
                 E_OK, "%s", e.msg);
    cr_assert_eq(r.task, TASK_BINARY);
    cr_assert_str_eq(r.classes[0], "0");
    cr_assert_str_eq(r.classes[1], "1");
    cr_assert_eq(r.positive_score_col, 2);
    cr_assert_null(r.score_col);
    role_done(&r);
    ds_free(ds);
}

Test(role, prediction_from_argmax_of_scores)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("label,prob_a,prob_b,prob_c\na,0.5,0.3,0.2\nc,0.1,0.6,0.3\n", &r, NULL,
                        &ds, &e),
                 E_OK, "%s", e.msg);
    cr_assert(r.pred_from_scores);
    cr_assert_eq(r.pred, -1);
    cr_assert_eq(r.nclass, 3); /* b comes from its score column only */
    cr_assert_str_eq(r.classes[1], "b");
    role_done(&r);
    ds_free(ds);
}

Test(role, regression_by_paired_names)
{
    roles r;
    dataset *ds;
    err e = {0};
    char csv[4096] = "diamond_id,carat,price,pred_price\n";
    for (int i = 0; i < 40; i++) {
        char line[128];
        snprintf(line, sizeof line, "%d,%.2f,%d,%.2f\n", i + 1, 0.2 + i * 0.01, 300 + 37 * i,
                 290.5 + 36.2 * i);
        strcat(csv, line);
    }
    cr_assert_eq(detect(csv, &r, NULL, &ds, &e), E_OK, "%s", e.msg);
    cr_assert_eq(r.task, TASK_REGRESSION);
    cr_assert_str_eq(colname(ds, r.label), "price");
    cr_assert_str_eq(colname(ds, r.pred), "pred_price");
    cr_assert_str_eq(colname(ds, r.id), "diamond_id");
    cr_assert_eq(r.nclass, 0);
    role_done(&r);
    ds_free(ds);
}

Test(role, numeric_classes_sorted_numerically)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("label,pred\n10,2\n2,2\n1,10\n", &r, NULL, &ds, &e), E_OK, "%s", e.msg);
    cr_assert_eq(r.task, TASK_MULTICLASS);
    cr_assert_str_eq(r.classes[0], "1");
    cr_assert_str_eq(r.classes[1], "2");
    cr_assert_str_eq(r.classes[2], "10");
    cr_assert_eq(role_class_of(&r, ds, r.label, 0), 2);
    cr_assert_eq(role_class_of(&r, ds, r.pred, 2), 2);
    role_done(&r);
    ds_free(ds);
}

Test(role, ambiguous_label_names_the_flag)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("label,target,prediction\na,a,a\nb,b,a\n", &r, NULL, &ds, &e), E_USAGE);
    cr_assert(strstr(e.msg, "--label"), "%s", e.msg);
    cr_assert(strstr(e.msg, "label") && strstr(e.msg, "target"), "%s", e.msg);
    ds_free(ds);
}

Test(role, missing_label_names_the_flag)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("truth_col,guess\na,a\nb,a\n", &r, NULL, &ds, &e), E_USAGE);
    cr_assert(strstr(e.msg, "--label"), "%s", e.msg);
    ds_free(ds);
}

Test(role, missing_prediction_names_the_flag)
{
    roles r;
    dataset *ds;
    err e = {0};
    cr_assert_eq(detect("label,guess\na,a\nb,a\n", &r, NULL, &ds, &e), E_USAGE);
    cr_assert(strstr(e.msg, "--pred"), "%s", e.msg);
    ds_free(ds);
}

Test(role, overrides_settle_everything)
{
    roles r;
    dataset *ds;
    err e = {0};
    role_opts o;
    role_opts_init(&o);
    o.label = "truth_col";
    o.pred = "guess";
    o.score = "conf";
    o.positive = "no";
    o.id = "key";
    cr_assert_eq(detect("key,truth_col,guess,conf\nk1,yes,no,0.3\nk2,no,no,0.8\n", &r, &o, &ds,
                        &e),
                 E_OK, "%s", e.msg);
    cr_assert_eq(r.label, 1);
    cr_assert_eq(r.pred, 2);
    cr_assert_eq(r.id, 0);
    cr_assert_eq(r.positive, 0); /* "no" sorts first */
    cr_assert_eq(r.positive_score_col, 3);
    role_done(&r);
    ds_free(ds);
}

Test(role, unknown_override_column_is_an_error)
{
    roles r;
    dataset *ds;
    err e = {0};
    role_opts o;
    role_opts_init(&o);
    o.label = "nope";
    cr_assert_eq(detect("label,prediction\na,a\n", &r, &o, &ds, &e), E_USAGE);
    cr_assert(strstr(e.msg, "--label nope"), "%s", e.msg);
    ds_free(ds);
}

Test(role, positive_must_be_a_class)
{
    roles r;
    dataset *ds;
    err e = {0};
    role_opts o;
    role_opts_init(&o);
    o.positive = "maybe";
    cr_assert_eq(detect("label,prediction\nyes,no\nno,no\n", &r, &o, &ds, &e), E_USAGE);
    cr_assert(strstr(e.msg, "--positive"), "%s", e.msg);
    ds_free(ds);
}

Test(role, task_override_binary_needs_two_classes)
{
    roles r;
    dataset *ds;
    err e = {0};
    role_opts o;
    role_opts_init(&o);
    o.task = TASK_BINARY;
    cr_assert_eq(detect("label,prediction\na,b\nb,c\n", &r, &o, &ds, &e), E_USAGE);
    cr_assert(strstr(e.msg, "3 classes"), "%s", e.msg);
    ds_free(ds);
}
