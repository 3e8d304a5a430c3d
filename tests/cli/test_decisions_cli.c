/* The decision flags end to end: --compare (joined by id and by row order) and --pred2 with
 * hand-counted both-right / fixed / new-error / both-wrong rows and McNemar's p worked by
 * hand, the comparison's filter fields, --costs and --cost-fp / --cost-fn against hand-summed
 * costs, --protected on the adult sample against rates counted from the CSV here, --fail-if on
 * the new figures, and bad inputs with their exit codes (2 usage, 3 input). */
#include <stdarg.h>

#include "cli_common.h"

#define ADULT "samples/adult_predictions.csv"

/* Twelve rows; A = pred, B = the other model (pred_b here, pred in the other files):
 *   both right: 1-5; fixed (A wrong, B right): 6; new errors (A right, B wrong): 7-10;
 *   both wrong: 11, 12.  McNemar: b = 1, c = 4, p = 2 P(X <= 1 | 5, 1/2) = 2 * 6/32 = 0.375.
 *   A's errors: 6 (a -> b), 11 (a -> b), 12 (b -> a). */
static const char MAIN_CSV[] = "id,label,pred,pred_b,x\n"
                               "1,a,a,a,u\n2,a,a,a,v\n3,b,b,b,u\n4,b,b,b,v\n5,a,a,a,u\n"
                               "6,a,b,a,v\n7,a,a,b,u\n8,b,b,a,v\n9,a,a,b,u\n10,b,b,a,v\n"
                               "11,a,b,b,u\n12,b,a,a,v\n";
/* The other model by id: rows reversed, plus a row this file does not have (ignored). */
static const char OTHER_BY_ID[] = "id,label,pred\n"
                                  "99,a,a\n12,b,a\n11,a,b\n10,b,a\n9,a,b\n8,b,a\n7,a,b\n"
                                  "6,a,a\n5,a,a\n4,b,b\n3,b,b\n2,a,a\n1,a,a\n";
/* By row order: no id column. */
static const char OTHER_BY_ORDER[] = "label,pred\n"
                                     "a,a\na,a\nb,b\nb,b\na,a\na,a\na,b\nb,a\na,b\nb,a\n"
                                     "a,b\nb,a\n";
/* By row order with the label of row 4 changed. */
static const char OTHER_BAD_LABEL[] = "label,pred\n"
                                      "a,a\na,a\nb,b\na,b\na,a\na,a\na,b\nb,a\na,b\nb,a\n"
                                      "a,b\nb,a\n";

typedef struct files {
    char dir[64];
    char main[128], by_id[128], by_order[128], bad_label[128], costs[128], bad_costs[128],
        three[128];
} files;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

static void make_files(files *fs)
{
    snprintf(fs->dir, sizeof fs->dir, "/tmp/fl-decisions-XXXXXX");
    cr_assert_not_null(mkdtemp(fs->dir));
    snprintf(fs->main, sizeof fs->main, "%s/main.csv", fs->dir);
    snprintf(fs->by_id, sizeof fs->by_id, "%s/other_id.csv", fs->dir);
    snprintf(fs->by_order, sizeof fs->by_order, "%s/other_order.csv", fs->dir);
    snprintf(fs->bad_label, sizeof fs->bad_label, "%s/other_bad.csv", fs->dir);
    snprintf(fs->costs, sizeof fs->costs, "%s/costs.csv", fs->dir);
    snprintf(fs->bad_costs, sizeof fs->bad_costs, "%s/bad_costs.csv", fs->dir);
    snprintf(fs->three, sizeof fs->three, "%s/three.csv", fs->dir);
    write_file(fs->main, MAIN_CSV);
    write_file(fs->by_id, OTHER_BY_ID);
    write_file(fs->by_order, OTHER_BY_ORDER);
    write_file(fs->bad_label, OTHER_BAD_LABEL);
    /* a true a predicted b costs 5, a true b predicted a costs 1 */
    write_file(fs->costs, "true\\pred,a,b\na,0,5\nb,1,0\n");
    write_file(fs->bad_costs, "true\\pred,a,b\na,0,x\nb,1,0\n");
    write_file(fs->three, "label,pred\na,a\nb,c\nc,c\na,b\n");
}

static void remove_files(const files *fs)
{
    unlink(fs->main);
    unlink(fs->by_id);
    unlink(fs->by_order);
    unlink(fs->bad_label);
    unlink(fs->costs);
    unlink(fs->bad_costs);
    unlink(fs->three);
    rmdir(fs->dir);
}

/* The counts of the table above in a report's "compare" member. */
static void expect_counts(const jm_node *root)
{
    CLI_EXPECT_NUM(root, "compare.both_right", 5, 0);
    CLI_EXPECT_NUM(root, "compare.fixed", 1, 0);
    CLI_EXPECT_NUM(root, "compare.new_errors", 4, 0);
    CLI_EXPECT_NUM(root, "compare.both_wrong", 2, 0);
    CLI_EXPECT_NUM(root, "compare.mcnemar_p", 0.375, 1e-12);
    const jm_node *sl = jm_path(root, "compare.slices");
    cr_expect(sl && sl->type == JM_ARR && jm_len(sl) > 0, "compare.slices");
}

static char *args(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *args(const char *fmt, ...)
{
    char *buf = cli_own(malloc(2048));
    cr_assert_not_null(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, 2048, fmt, ap);
    va_end(ap);
    return buf;
}

Test(decisions_cli, compare_by_id_by_order_and_pred2)
{
    files fs;
    make_files(&fs);
    const char *common = "--levels 0 --clusters 0 --format json -q";
    expect_counts(cli_json(args("report %s %s --compare %s", fs.main, common, fs.by_id)));
    expect_counts(cli_json(args("report %s %s --compare %s", fs.main, common, fs.by_order)));
    expect_counts(cli_json(args("report %s %s --pred2 pred_b", fs.main, common)));
    /* Markdown names the two models and the counts */
    char *out, *serr;
    cr_expect_eq(cli_run(args("report %s --levels 0 --clusters 0 --pred2 pred_b", fs.main),
                         &out, &serr), 0, "%s", serr);
    cr_expect(strstr(out, "## Model comparison") && strstr(out, "| 5 | 1 | 4 | 2 |"), "%s",
              out);
    cr_expect(strstr(out, "## Next steps"), "%s", out);
    remove_files(&fs);
}

Test(decisions_cli, comparison_filter_fields)
{
    files fs;
    make_files(&fs);
    const char *common = "--levels 0 --clusters 0 --format json -q";
    jm_node *r = cli_json(args("report %s %s --compare %s --filter fixed", fs.main, common,
                               fs.by_id));
    CLI_EXPECT_NUM(r, "selected", 1, 0);
    r = cli_json(args("report %s %s --compare %s --filter broken", fs.main, common, fs.by_id));
    CLI_EXPECT_NUM(r, "selected", 4, 0);
    r = cli_json(args("report %s %s --pred2 pred_b --filter 'error2 && pred2 == a'", fs.main,
                      common));
    CLI_EXPECT_NUM(r, "selected", 3, 0); /* rows 8, 10, 12 */
    /* --pred2's column is no feature: no slice of it */
    const jm_node *slices = jm_get(r, "slices");
    for (size_t i = 0; slices && i < jm_len(slices); i++)
        cr_expect_str_neq(jm_str(jm_get(jm_at(slices, i), "column")), "pred_b");
    /* without a second model the fields are a usage error with a caret */
    char *out, *serr;
    cr_expect_eq(cli_run(args("report %s %s --filter fixed", fs.main, common), &out, &serr), 2);
    cr_expect(strstr(serr, "not available") && strstr(serr, "^^^^^"), "%s", serr);
    remove_files(&fs);
}

Test(decisions_cli, costs)
{
    files fs;
    make_files(&fs);
    const char *common = "--levels 0 --clusters 0 --format json -q";
    /* errors: 6 and 11 (a -> b, 5 each), 12 (b -> a, 1): 11 over 12 rows */
    jm_node *r = cli_json(args("report %s %s --costs %s", fs.main, common, fs.costs));
    CLI_EXPECT_NUM(r, "costs.total", 11, 1e-12);
    CLI_EXPECT_NUM(r, "costs.expected_cost", 11.0 / 12.0, 1e-12);
    /* positive class b: false positives 6 and 11 (3 each), false negative 12 (10) */
    r = cli_json(args("report %s %s --cost-fp 3 --cost-fn 10", fs.main, common));
    CLI_EXPECT_NUM(r, "costs.expected_cost", 16.0 / 12.0, 1e-12);
    /* only --cost-fn: a false positive costs 1 */
    r = cli_json(args("report %s %s --cost-fn 10", fs.main, common));
    CLI_EXPECT_NUM(r, "costs.expected_cost", 12.0 / 12.0, 1e-12);
    remove_files(&fs);
}

Test(decisions_cli, protected_on_adult)
{
    /* the groups of sex counted from the CSV: selection rate, TPR, FPR per group */
    size_t len;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FL_SOURCE_DIR, ADULT);
    char *text = cli_own(fl_read_file(path, &len));
    cr_assert_not_null(text);
    int c_sex = -1, c_true = -1, c_pred = -1;
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    {
        int k = 0;
        for (char *p = line, *q; p; p = q ? q + 1 : NULL, k++) {
            q = strchr(p, ',');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            if (l && p[l - 1] == '\r')
                l--;
            if (l == 3 && strncmp(p, "sex", 3) == 0)
                c_sex = k;
            if (l == 6 && strncmp(p, "y_true", 6) == 0)
                c_true = k;
            if (l == 6 && strncmp(p, "y_pred", 6) == 0)
                c_pred = k;
        }
    }
    cr_assert(c_sex >= 0 && c_true >= 0 && c_pred >= 0);
    /* [0] Female, [1] Male: rows, predicted positive, positives, true positives, negatives,
     * false positives (positive class ">50K") */
    double n[2] = {0}, sel[2] = {0}, pos[2] = {0}, tp[2] = {0}, neg[2] = {0}, fp[2] = {0};
    while ((line = strtok_r(NULL, "\n", &save))) {
        char cell[32][64];
        int k = 0;
        for (char *p = line, *q; p && k < 32; p = q ? q + 1 : NULL, k++) {
            cr_assert(*p != '"', "the adult sample has no quoted cells");
            q = strchr(p, ',');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            if (l && p[l - 1] == '\r')
                l--;
            snprintf(cell[k], sizeof cell[k], "%.*s", (int)l, p);
        }
        int g = strcmp(cell[c_sex], "Female") == 0 ? 0 : strcmp(cell[c_sex], "Male") == 0 ? 1
                                                                                          : -1;
        cr_assert(g >= 0, "sex '%s'", cell[c_sex]);
        bool t = strcmp(cell[c_true], ">50K") == 0, p = strcmp(cell[c_pred], ">50K") == 0;
        n[g]++;
        sel[g] += p;
        pos[g] += t;
        tp[g] += t && p;
        neg[g] += !t;
        fp[g] += !t && p;
    }
    double sr[2], tpr[2], fpr[2];
    for (int g = 0; g < 2; g++) {
        sr[g] = sel[g] / n[g];
        tpr[g] = tp[g] / pos[g];
        fpr[g] = fp[g] / neg[g];
    }
    double dp_diff = fabs(sr[1] - sr[0]);
    double dp_ratio = fmin(sr[0], sr[1]) / fmax(sr[0], sr[1]);
    double eo = fmax(fabs(tpr[1] - tpr[0]), fabs(fpr[1] - fpr[0]));
    jm_node *r = cli_json("report " ADULT " --levels 0 --clusters 0 --format json -q "
                          "--protected sex");
    CLI_EXPECT_NUM(r, "fairness[0].demographic_parity_difference", dp_diff, TOL_RATE);
    CLI_EXPECT_NUM(r, "fairness[0].demographic_parity_ratio", dp_ratio, TOL_RATE);
    CLI_EXPECT_NUM(r, "fairness[0].equalized_odds_difference", eo, TOL_RATE);
    const jm_node *groups = jm_path(r, "fairness[0].groups");
    const jm_node *fem = jm_find(groups, "value", "Female");
    cr_assert_not_null(fem);
    CLI_EXPECT_NUM(fem, "n", n[0], 0);
    CLI_EXPECT_NUM(fem, "selection_rate", sr[0], TOL_RATE);
    CLI_EXPECT_NUM(fem, "tpr", tpr[0], TOL_RATE);
    CLI_EXPECT_NUM(fem, "fpr", fpr[0], TOL_RATE);
    cr_expect(jm_is_true(jm_path(r, "fairness[0].four_fifths")) == (dp_ratio < 0.8));
    /* the gate reads the same figures, and the four-fifths finding is a next step */
    char *out, *serr;
    char cond[128];
    snprintf(cond, sizeof cond, "report " ADULT " --levels 0 --clusters 0 -q --protected sex "
                                "--fail-if 'dp_ratio < %.6f'", dp_ratio + 1e-6);
    cr_expect_eq(cli_run(cond, &out, &serr), 1, "%s", serr);
    cr_expect(strstr(serr, "gate failed: dp_ratio"), "%s", serr);
    if (dp_ratio < 0.8)
        cr_expect(strstr(out, "Check `sex` for disparate impact"), "%s", out);
}

Test(decisions_cli, gate_on_new_figures)
{
    files fs;
    make_files(&fs);
    char *out, *serr;
    const char *base = "--levels 0 --clusters 0 -q";
    cr_expect_eq(cli_run(args("report %s %s --compare %s --fail-if 'new_errors > 3'", fs.main,
                              base, fs.by_id), &out, &serr), 1);
    cr_expect(strstr(serr, "gate failed: new_errors = 4 > 3"), "%s", serr);
    cr_expect_eq(cli_run(args("report %s %s --compare %s --fail-if 'new_errors > 4' --fail-if "
                              "'both_wrong != 2' --fail-if 'mcnemar_p < 0.37'", fs.main, base,
                              fs.by_id), &out, &serr), 0, "%s", serr);
    cr_expect_eq(cli_run(args("report %s %s --pred2 pred_b --fail-if 'fixed >= 1'", fs.main,
                              base), &out, &serr), 1);
    cr_expect_eq(cli_run(args("report %s %s --costs %s --fail-if 'expected_cost > 0.9'",
                              fs.main, base, fs.costs), &out, &serr), 1);
    cr_expect(strstr(serr, "expected_cost = 0.916667 > 0.9"), "%s", serr);
    /* data checks and categories are always there */
    cr_expect_eq(cli_run(args("report %s %s --fail-if 'duplicate_rows > 100' --fail-if "
                              "'confidently_wrong > 0'", fs.main, base), &out, &serr), 0,
                 "%s", serr);
    /* a comparison figure without a second model: usage error naming the figures */
    cr_expect_eq(cli_run(args("report %s %s --fail-if 'new_errors > 0'", fs.main, base), &out,
                         &serr), 2);
    cr_expect(strstr(serr, "unknown figure 'new_errors'"), "%s", serr);
    remove_files(&fs);
}

Test(decisions_cli, bad_inputs)
{
    files fs;
    make_files(&fs);
    char *out, *serr;
    const char *base = "--levels 0 --clusters 0 -q";
    /* the other file is missing: input error naming it */
    cr_expect_eq(cli_run(args("report %s %s --compare %s/nope.csv", fs.main, base, fs.dir),
                         &out, &serr), 3);
    cr_expect(strstr(serr, "nope.csv"), "%s", serr);
    /* labels that disagree, by row order: input error naming the row */
    cr_expect_eq(cli_run(args("report %s %s --compare %s", fs.main, base, fs.bad_label), &out,
                         &serr), 3);
    cr_expect(strstr(serr, "row 4: label 'a' differs from 'b'"), "%s", serr);
    /* a cost cell that is not a number: file:line:column */
    cr_expect_eq(cli_run(args("report %s %s --costs %s", fs.main, base, fs.bad_costs), &out,
                         &serr), 3);
    char want[200];
    snprintf(want, sizeof want, "%s:2:5:", fs.bad_costs);
    cr_expect(strstr(serr, want), "want %s in %s", want, serr);
    /* an unknown protected column, binary costs on three classes, two second models: usage */
    cr_expect_eq(cli_run(args("report %s %s --protected nosuch", fs.main, base), &out, &serr),
                 2);
    cr_expect(strstr(serr, "--protected nosuch: no such column"), "%s", serr);
    cr_expect_eq(cli_run(args("report %s %s --cost-fp 2", fs.three, base), &out, &serr), 2);
    cr_expect(strstr(serr, "binary"), "%s", serr);
    cr_expect_eq(cli_run(args("report %s %s --pred2 pred_b --compare %s", fs.main, base,
                              fs.by_id), &out, &serr), 2);
    cr_expect_eq(cli_run(args("report %s %s --target-accuracy 1.5", fs.main, base), &out,
                         &serr), 2);
    cr_expect_eq(cli_run(args("report %s %s --cost-fn abc", fs.main, base), &out, &serr), 2);
    /* --pred2 naming no column: as --pred does (an input error naming the file) */
    cr_expect_eq(cli_run(args("report %s %s --pred2 nosuch", fs.main, base), &out, &serr), 3);
    cr_expect(strstr(serr, "--pred2 nosuch: no such column"), "%s", serr);
    remove_files(&fs);
}
