/* The release gate and option files, end to end: --fail-if exit codes and messages, figures
 * checked against the data README's reference values for the spam file (error rate 70 / 2,419
 * = 0.028937...), unknown and unavailable figures, and faultline.conf / --config. */
#include "cli_common.h"

#define SPAM "samples/spam_predictions.csv"

static int run(const char *args, char **out, char **errs)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "report %s --levels 0 --clusters 0 %s", SPAM, args);
    return fl_run(cmd, out, errs);
}

Test(gate, passes_and_fails_on_the_error_rate)
{
    char *out, *errs;
    /* 70 errors of 2,419 rows: 0.02894 */
    cr_expect_eq(run("--fail-if 'error_rate > 0.03'", &out, &errs), 0, "%s", errs);
    cr_expect(strstr(out, "## Slices") != NULL || strlen(out) > 100); /* the report is written */
    free(out);
    free(errs);
    cr_expect_eq(run("--fail-if 'error_rate > 0.028'", &out, &errs), 1);
    cr_expect(strstr(errs, "gate failed: error_rate = 0.0289376 > 0.028") != NULL, "%s", errs);
    free(out);
    free(errs);
    /* several conditions: each failing one is named; passing ones are not */
    cr_expect_eq(run("--fail-if 'errors >= 70' --fail-if 'accuracy < 0.9' --fail-if "
                     "'rows != 2419'", &out, &errs), 1);
    cr_expect(strstr(errs, "errors = 70 >= 70") != NULL, "%s", errs);
    cr_expect(strstr(errs, "accuracy") == NULL, "%s", errs);
    cr_expect(strstr(errs, "rows") == NULL, "%s", errs);
    free(out);
    free(errs);
}

Test(gate, bad_conditions_are_usage_errors)
{
    char *out, *errs;
    cr_expect_eq(run("--fail-if 'eror_rate > 0.1'", &out, &errs), 2);
    cr_expect(strstr(errs, "unknown figure 'eror_rate'") && strstr(errs, "error_rate"), "%s", errs);
    free(out);
    free(errs);
    cr_expect_eq(run("--fail-if 'error_rate >> 0.1'", &out, &errs), 2);
    cr_expect(strstr(errs, "FIGURE OP NUMBER") != NULL, "%s", errs);
    free(out);
    free(errs);
    cr_expect_eq(run("--fail-if 'rmse > 1'", &out, &errs), 2); /* not a regression */
    free(out);
    free(errs);
}

Test(gate, config_file_and_override)
{
    char dir[] = "/tmp/fl-conf-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128], args[512];
    snprintf(path, sizeof path, "%s/gate.conf", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("# the spam model's gate\nformat json\nfilter \"label == \\\"spam\\\"\"\n"
          "fail-if = error_rate > 0.05\n",
          f);
    fclose(f);
    char *out, *errs;
    /* label == spam: 63 errors of 759 rows = 0.083 > 0.05 */
    snprintf(args, sizeof args, "--config %s", path);
    cr_expect_eq(run(args, &out, &errs), 1, "%s", errs);
    cr_expect(strstr(out, "\"selected\":759") != NULL);
    cr_expect(strstr(errs, "error_rate = 0.0830040 > 0.05") != NULL ||
                  strstr(errs, "error_rate = 0.083004 > 0.05") != NULL, "%s", errs);
    free(out);
    free(errs);
    /* the command line comes after the file: --format md wins */
    snprintf(args, sizeof args, "--config %s --format md", path);
    cr_expect_eq(run(args, &out, &errs), 1);
    cr_expect(out[0] == '#', "%.40s", out);
    free(out);
    free(errs);
    f = fopen(path, "w");
    fputs("levels 2\nfilterr x\n", f);
    fclose(f);
    snprintf(args, sizeof args, "--config %s", path);
    cr_expect_eq(run(args, &out, &errs), 2);
    cr_expect(strstr(errs, "gate.conf:2: unknown option 'filterr'") != NULL, "%s", errs);
    free(out);
    free(errs);
    unlink(path);
    rmdir(dir);
}

/* In an option file "tags" lists the tag set and "journal" names the journal (the command
 * line's --tag-names and --tags): the report's tag table follows the file's set, in order. */
Test(gate, config_tags_and_journal)
{
    char dir[] = "/tmp/fl-conftags-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char conf[128], journal[128], args[512];
    snprintf(conf, sizeof conf, "%s/t.conf", dir);
    snprintf(journal, sizeof journal, "%s/j.jsonl", dir);
    FILE *f = fopen(journal, "w");
    cr_assert_not_null(f);
    fputs("{\"key\":\"id:spam-2:00789\",\"op\":\"add\",\"tag\":\"typo\",\"reviewer\":\"x\"}\n", f);
    fclose(f);
    f = fopen(conf, "w");
    cr_assert_not_null(f);
    fprintf(f, "tags typo, offensive\njournal %s\nformat json\n", journal);
    fclose(f);
    char *out, *errs;
    snprintf(args, sizeof args, "--config %s --fail-if 'tag_typo >= 1'", conf);
    cr_expect_eq(run(args, &out, &errs), 1, "%s", errs);
    cr_expect(strstr(out, "\"by_tag\":[{\"tag\":\"typo\",\"rows\":1") != NULL, "%.300s",
              strstr(out, "\"tags\"") ? strstr(out, "\"tags\"") : out);
    cr_expect(strstr(out, "{\"tag\":\"offensive\"") != NULL);
    free(out);
    free(errs);
    unlink(conf);
    unlink(journal);
    rmdir(dir);
}
