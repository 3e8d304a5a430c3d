/* --filter: the filter language and its effect on the report, black-box through the binary.
 *
 * Contract (manual, FILTER SYNTAX and --filter): expressions over column names (backquoted
 * when they hold spaces or symbols) and derived fields (label, pred, error, correct,
 * confidence, score[class], margin, loss, outcome, row, len(col), tokens(col), missing(col));
 * operators == != < <= > >= in between =~ !~ && || ! and parentheses; a missing cell satisfies
 * no comparison (not even !=). Repeated filters are ANDed. The JSON report gains "filter" (the
 * expressions) and "selected" (the rows selected), and every section describes the selection.
 * A bad expression is a usage error (exit 2) shown with a caret under the offending part;
 * nothing typed makes the program crash. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"

#define FILTER_CSV "tests/data/cli3/filter.csv"

/* Appends s to dst (capacity cap) in single quotes, safe for the shell. */
static void sh_quote(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(dst);
    cr_assert(n + 2 < cap);
    dst[n++] = '\'';
    for (; *s; s++) {
        if (*s == '\'') {
            cr_assert(n + 5 < cap);
            memcpy(dst + n, "'\\''", 4);
            n += 4;
        } else {
            cr_assert(n + 2 < cap);
            dst[n++] = *s;
        }
    }
    dst[n++] = '\'';
    dst[n] = '\0';
}

/* `faultline report FILE --format json --levels 0 --filter EXPR`: exit status, stdout and
 * stderr (pool-owned). The search is switched off: these tests are about the selection. */
static int run_filter(const char *file, const char *expr, char **out, char **serr)
{
    char args[8192];
    snprintf(args, sizeof args, "report '%s' --format json --levels 0 --filter ", file);
    sh_quote(args, sizeof args, expr);
    return cli_run(args, out, serr);
}

/* Expected selection sizes on tests/data/cli3/filter.csv (40 rows; age missing in 4 rows, city
 * in 7, note in 1, when in 1; row 2's note is "café lazy", 9 characters in 10 bytes; row 13's
 * note is "first line\nthe second line", row 26's "Alpha\nbeta gamma"). Classes neg/pos, the
 * positive class is pos (second in byte order), prediction = y_pred, scores prob_neg/prob_pos.
 * Every count was computed offline with pandas 1.5.3 on the same file (read with
 * keep_default_na=False, na_values=[""]), one boolean mask per expression:
 *   comparisons on a column with missing cells exclude the missing rows (age.notna() & ...),
 *   between = inclusive on both ends, `in` = isin, regexes with Python's re and the flags
 *   re.I / re.M / re.S / re.X (missing notes excluded, also for !~),
 *   error = y_true != y_pred, confidence = max(prob_neg, prob_pos), margin = |prob_pos -
 *   prob_neg|, loss = -ln p(true class), outcome from (y_true, y_pred) with pos positive,
 *   row = 1-based data row, len = str.len() (characters), tokens = str.split() length.
 * No value sits within 0.005 of a threshold, so rounding cannot move a row across. */
static const struct {
    const char *expr;
    int want;
} filter_cases[] = {
    {"age > 40", 18},
    {"age >= 40", 23},
    {"age < 30", 7},
    {"age <= 30", 9},
    {"age == 40", 5},
    /* 40 rows - 4 missing - 5 equal to 40: a missing age does not satisfy != */
    {"age != 40", 31},
    /* 40 - 7 missing - 9 Paris */
    {"city != \"Paris\"", 24},
    {"city == \"New York\"", 7},
    {"city in {Paris, Lyon, \"New York\"}", 24},
    {"age in {30, 40}", 7},
    {"age between 30 and 40", 11},
    {"note =~ /^the/i", 10},
    {"note =~ /^the/", 4},
    /* ^ only at the start of the text without m; with m also after the newline of row 13 */
    {"note =~ /^the second/ || row == 1", 1},
    {"note =~ /^the second/m || row == 1", 2},
    /* . crosses the newline of row 13 only with s */
    {"note =~ /line.the/ || row == 1", 1},
    {"note =~ /line.the/s || row == 1", 2},
    /* x ignores the pattern's white space: "quick\sfox" */
    {"note =~ /quick \\s fox/x", 3},
    {"note !~ /Unsubscribe/", 28},
    {"when >= 2024-05-01", 26},
    {"when < 2024-05-10T12:00", 18},
    {"when == 2024-05-04", 1},
    {"when between 2024-05-01 and 2024-05-31", 13},
    {"`my col` > 5", 10},
    {"`my col` < -2.5", 10},
    {"!(`my col` > 0)", 17},
    /* && binds tighter than ||: Paris (9) or (Lyon and age > 50) (3) */
    {"city == \"Paris\" || city == \"Lyon\" && age > 50", 12},
    {"(city == \"Paris\" || city == \"Lyon\") && age > 50", 6},
    {"!(label == \"pos\") && age > 60", 6},
    {"error", 25},
    {"!correct", 25},
    {"correct && confidence > 0.8", 7},
    {"confidence > 0.8", 17},
    /* row 6 has prob_pos = 0.500000 exactly and is included by >= */
    {"score[pos] >= 0.5", 25},
    {"score[neg] < 0.25", 15},
    {"margin < 0.2", 6},
    {"loss > 1", 19},
    {"outcome == \"FP\"", 17},
    {"outcome in {TP, TN}", 15},
    {"label == \"pos\" && pred == \"neg\"", 8},
    {"row <= 10", 10},
    {"len(city) == 5", 15},
    {"len(note) == 9", 4},
    {"tokens(note) >= 5", 15},
    {"missing(age)", 4},
    {"missing(city) || missing(when)", 8},
};

Test(cli_filter, selected_counts_on_crafted_file)
{
    size_t k = sizeof filter_cases / sizeof filter_cases[0];
    for (size_t i = 0; i < k; i++) {
        char *out = NULL, *serr = NULL;
        int rc = run_filter(FILTER_CSV, filter_cases[i].expr, &out, &serr);
        cr_expect(rc == 0, "--filter '%s': exit %d, stderr: %s", filter_cases[i].expr, rc,
                  serr ? serr : "");
        if (rc != 0)
            continue;
        char why[128];
        jm_node *root = cli_parse(out, why, sizeof why);
        cr_expect(root != NULL, "--filter '%s': stdout is not JSON (%s)", filter_cases[i].expr,
                  why);
        if (!root)
            continue;
        double got = jm_num(jm_get(root, "selected"));
        cr_expect(got == filter_cases[i].want, "--filter '%s': selected %g, expected %d",
                  filter_cases[i].expr, got, filter_cases[i].want);
        /* the expression is echoed as given */
        const jm_node *f = jm_get(root, "filter");
        cr_expect(jm_len(f) == 1 && jm_str(jm_at(f, 0)) &&
                      strcmp(jm_str(jm_at(f, 0)), filter_cases[i].expr) == 0,
                  "--filter '%s': \"filter\" does not echo the expression",
                  filter_cases[i].expr);
        /* every row of the file has a label and a prediction: all selected rows are evaluated */
        cr_expect(jm_num(jm_path(root, "metrics.evaluated")) == filter_cases[i].want,
                  "--filter '%s': metrics.evaluated %g, expected %d", filter_cases[i].expr,
                  jm_num(jm_path(root, "metrics.evaluated")), filter_cases[i].want);
    }
}

Test(cli_filter, repeated_filters_are_anded)
{
    /* age > 30 (29 rows) and city == "Paris" (9 rows): 6 rows in both (pandas, as above). */
    jm_node *root = cli_json("report '" FILTER_CSV "' --format json --levels 0 "
                             "--filter 'age > 30' --filter 'city == \"Paris\"'");
    CLI_EXPECT_NUM(root, "selected", 6, 0);
    const jm_node *f = jm_get(root, "filter");
    cr_assert_eq(jm_len(f), 2, "\"filter\" should list both expressions");
    cr_expect_str_eq(jm_str(jm_at(f, 0)), "age > 30");
    cr_expect_str_eq(jm_str(jm_at(f, 1)), "city == \"Paris\"");
}

Test(cli_filter, no_filter_selects_everything)
{
    jm_node *root = cli_json("report '" FILTER_CSV "' --format json --levels 0");
    const jm_node *sel = jm_get(root, "selected");
    /* "selected" may be omitted without a filter; when present it is every row */
    if (sel)
        cr_expect(jm_num(sel) == 40, "selected %g without a filter, expected 40", jm_num(sel));
    CLI_EXPECT_NUM(root, "metrics.evaluated", 40, 0);
}

/* adult: sex == "Female" && age > 40. pandas 1.5.3: 2007 rows, 172 errors (y_true != y_pred),
 * accuracy 1835/2007 = 0.91429995017439. */
Test(cli_filter, adult_female_over_40_metrics)
{
    jm_node *root = cli_json("report samples/adult_predictions.csv --format json --levels 0 "
                             "--filter 'sex == \"Female\" && age > 40'");
    CLI_EXPECT_NUM(root, "selected", 2007, 0);
    CLI_EXPECT_NUM(root, "metrics.evaluated", 2007, 0);
    CLI_EXPECT_NUM(root, "metrics.errors", 172, 0);
    CLI_EXPECT_NUM(root, "metrics.accuracy", 1835.0 / 2007.0, TOL_RATE);
    /* the per-column slices partition the selection */
    double sum = 0;
    const jm_node *sl = jm_get(root, "slices");
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i);
        const char *c = jm_str(jm_get(s, "column"));
        if (c && strcmp(c, "sex") == 0) {
            cr_expect_str_eq(jm_str(jm_get(s, "value")), "Female",
                             "a slice of sex outside the selection");
            sum += jm_num(jm_get(s, "n"));
        }
    }
    cr_expect(sum == 2007, "slices of sex hold %g rows, expected 2007", sum);
}

/* adult: `education-num` >= 13, pandas: 4043 rows. */
Test(cli_filter, adult_backquoted_name)
{
    jm_node *root = cli_json("report samples/adult_predictions.csv --format json --levels 0 "
                             "--filter '`education-num` >= 13'");
    CLI_EXPECT_NUM(root, "selected", 4043, 0);
}

/* The manual's own example of a backquoted name: `proba_<=50K` > 0.5, pandas: 13010 rows (no
 * score equals 0.5). */
Test(cli_filter, adult_backquoted_symbols)
{
    jm_node *root = cli_json("report samples/adult_predictions.csv --format json --levels 0 "
                             "--filter '`proba_<=50K` > 0.5'");
    CLI_EXPECT_NUM(root, "selected", 13010, 0);
}

/* spam: label == "spam" — pandas: 759 rows, 63 wrong, accuracy 696/759 = 0.91699604743083; the
 * confusion matrix only holds true-spam rows and so does the worst-errors list. */
Test(cli_filter, spam_label_filter_restricts_every_section)
{
    jm_node *root = cli_json("report samples/spam_predictions.csv --format json --levels 0 "
                             "--filter 'label == \"spam\"'");
    CLI_EXPECT_NUM(root, "selected", 759, 0);
    CLI_EXPECT_NUM(root, "metrics.errors", 63, 0);
    CLI_EXPECT_NUM(root, "metrics.accuracy", 696.0 / 759.0, TOL_RATE);
    const jm_node *lab = jm_path(root, "confusion.labels");
    const jm_node *m = jm_path(root, "confusion.matrix");
    double total = 0;
    for (size_t i = 0; i < jm_len(m); i++) {
        for (size_t j = 0; j < jm_len(jm_at(m, i)); j++) {
            double v = jm_num(jm_at(jm_at(m, i), j));
            total += v;
            const char *truth = jm_str(jm_at(lab, i));
            if (truth && strcmp(truth, "spam") != 0)
                cr_expect(v == 0, "confusion row %s holds %g rows outside the selection", truth,
                          v);
        }
    }
    cr_expect(total == 759, "confusion matrix sums to %g, expected 759", total);
    const jm_node *w = jm_get(root, "worst");
    cr_expect(jm_len(w) > 0, "no worst errors listed");
    for (size_t i = 0; i < jm_len(w); i++)
        cr_expect_str_eq(jm_str(jm_get(jm_at(w, i), "label")), "spam",
                         "worst error %zu is not a true-spam row", i);
}

/* spam: corpus_group == "hard_ham" && body =~ /unsubscribe/i — pandas: 17 rows
 * (str.contains("unsubscribe", case=False), missing bodies excluded). */
Test(cli_filter, spam_hard_ham_unsubscribe)
{
    jm_node *root = cli_json("report samples/spam_predictions.csv --format json --levels 0 "
                             "--filter 'corpus_group == \"hard_ham\" && body =~ /unsubscribe/i'");
    CLI_EXPECT_NUM(root, "selected", 17, 0);
}

/* ---- errors ---------------------------------------------------------------------------- */

/* A bad expression: exit 2, nothing on stdout, a message on stderr with a caret; returns
 * stderr. */
static const char *expect_usage_error(const char *file, const char *expr)
{
    char *out = NULL, *serr = NULL;
    int rc = run_filter(file, expr, &out, &serr);
    cr_expect(rc < 128, "--filter '%.80s': killed by signal %d", expr, rc - 128);
    cr_expect(rc == 2, "--filter '%.80s': exit %d, expected 2 (usage error)", expr, rc);
    cr_expect(out == NULL || out[0] == '\0', "--filter '%.80s': stdout is not empty: %.200s",
              expr, out ? out : "");
    cr_expect(serr && serr[0], "--filter '%.80s': no message on stderr", expr);
    return serr ? serr : "";
}

/* Column (0-based, in bytes) at which the caret line of the message points, relative to where
 * the expression starts in the echoed line; -1000 when there is no caret line or no echo. The
 * caret line is the line right after the one that shows the expression. */
static long caret_offset(const char *serr, const char *expr)
{
    const char *echo = strstr(serr, expr);
    if (!echo)
        return -1000;
    const char *line = echo;
    while (line > serr && line[-1] != '\n')
        line--;
    long expr_col = (long)(echo - line);
    const char *next = strchr(echo, '\n');
    if (!next)
        return -1000;
    next++;
    const char *eol = strchr(next, '\n');
    size_t len = eol ? (size_t)(eol - next) : strlen(next);
    for (size_t i = 0; i < len; i++)
        if (next[i] == '^')
            return (long)i - expr_col;
    return -1000;
}

Test(cli_filter, unknown_column_suggests_the_nearest_name)
{
    /* "cty" is one letter away from "city"; "agee" from "age" */
    const char *serr = expect_usage_error(FILTER_CSV, "cty == \"Paris\"");
    cr_expect(strstr(serr, "city"), "message does not suggest city: %s", serr);
    serr = expect_usage_error(FILTER_CSV, "aeg > 3");
    cr_expect(strstr(serr, "age"), "message does not suggest age: %s", serr);
    serr = expect_usage_error("samples/spam_predictions.csv", "subjct == \"x\"");
    cr_expect(strstr(serr, "subject"), "message does not suggest subject: %s", serr);
}

Test(cli_filter, caret_sits_under_the_unknown_name)
{
    /* the unknown name cty starts at byte 19 of the expression: the first caret must be in that
     * column of the echoed expression, so that it appears under the name on a terminal */
    const char *expr = "city == \"Paris\" && cty == \"x\"";
    const char *serr = expect_usage_error(FILTER_CSV, expr);
    long off = caret_offset(serr, expr);
    cr_expect(off != -1000, "no expression echo followed by a caret line: %s", serr);
    cr_expect(off == 19, "caret at column %ld of the expression, expected 19 (under cty):\n%s",
              off, serr);
    /* same at the very start of the expression */
    const char *expr2 = "agee > 3";
    serr = expect_usage_error(FILTER_CSV, expr2);
    off = caret_offset(serr, expr2);
    cr_expect(off == 0, "caret at column %ld of the expression, expected 0 (under agee):\n%s",
              off, serr);
}

Test(cli_filter, type_mismatch_is_a_usage_error)
{
    const char *serr = expect_usage_error("samples/spam_predictions.csv", "subject < 3");
    cr_expect(strstr(serr, "subject"), "message does not name the column: %s", serr);
    cr_expect(strchr(serr, '^'), "no caret: %s", serr);
    expect_usage_error(FILTER_CSV, "age > \"old\"");
    expect_usage_error(FILTER_CSV, "city > 3");
}

Test(cli_filter, regex_error_reports_its_offset)
{
    /* PCRE2 reports "missing closing parenthesis" at offset 9, the end of "(unclosed" */
    const char *serr = expect_usage_error("samples/spam_predictions.csv", "body =~ /(unclosed/");
    cr_expect(cli_icontains(serr, "offset") || cli_has_number(serr, 9),
              "message does not give the regex error's offset: %s", serr);
    cr_expect(strchr(serr, '^'), "no caret: %s", serr);
    expect_usage_error(FILTER_CSV, "note =~ /abc/q"); /* unknown flag */
}

Test(cli_filter, malformed_expressions_are_usage_errors)
{
    static const char *bad[] = {
        "",          "   ",        "(age > 3",     "age > 3)",         "&&&",
        "))((",      "age >",      "age > 3 &&",   "\"abc",            "age between 3",
        "city in {a, b", "`my col > 3", "score[zzz] > 0.1", "len(nope) > 3", "when >= 2024-13-45",
        "age ==",    "|| error",   "== 3",         "age > 3 4",        "missing(",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_usage_error(FILTER_CSV, bad[i]);
}

Test(cli_filter, deep_nesting_does_not_crash)
{
    /* 200 nested parentheses around a valid condition: either evaluated (age > 3 holds for the
     * 36 rows with an age) or refused as too deep, never a crash */
    char expr[2048] = "";
    for (int i = 0; i < 200; i++)
        strcat(expr, "(");
    strcat(expr, "age > 3");
    for (int i = 0; i < 200; i++)
        strcat(expr, ")");
    char *out = NULL, *serr = NULL;
    int rc = run_filter(FILTER_CSV, expr, &out, &serr);
    cr_expect(rc == 0 || rc == 2, "200 nested parentheses: exit %d: %.300s", rc,
              serr ? serr : "");
    if (rc == 0) {
        char why[128];
        jm_node *root = cli_parse(out, why, sizeof why);
        cr_assert(root, "stdout is not JSON (%s)", why);
        CLI_EXPECT_NUM(root, "selected", 36, 0);
    }
    /* 3,000 of them, and 6,000 negations: no crash (a stack overflow would be a signal) */
    char *deep = cli_own(malloc(7000));
    deep[0] = '\0';
    for (int i = 0; i < 3000; i++)
        strcat(deep, "(");
    strcat(deep, "age");
    rc = run_filter(FILTER_CSV, deep, &out, &serr);
    cr_expect(rc == 2, "3000 unclosed parentheses: exit %d", rc);
    memset(deep, '!', 6000);
    strcpy(deep + 6000, "error");
    rc = run_filter(FILTER_CSV, deep, &out, &serr);
    cr_expect(rc == 0 || rc == 2, "6000 negations: exit %d", rc);
}

/* Writes text into a temporary file; returns its path (pool-owned). */
static char *write_tmp(const char *text)
{
    char *path = cli_own(strdup("/tmp/fl_filter_exprXXXXXX"));
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    return path;
}

Test(cli_filter, ten_thousand_character_expressions)
{
    /* a valid one: age == 0 || age == 1 || ... (over 10,000 characters); ages run 18..70 and 4
     * are missing, so every one of the 36 rows with an age is selected */
    char *expr = cli_own(malloc(20000));
    expr[0] = '\0';
    for (int i = 0; strlen(expr) < 10000; i++)
        sprintf(expr + strlen(expr), "%sage == %d", i ? " || " : "", i);
    char *path = write_tmp(expr);
    char line[512], *out = NULL, *serr = NULL;
    snprintf(line, sizeof line,
             "@BIN@ report " FILTER_CSV " --format json --levels 0 --filter \"$(cat '%s')\"",
             path);
    int rc = cli_sh(line, &out, &serr);
    unlink(path);
    cr_expect(rc == 0, "long valid filter: exit %d: %.300s", rc, serr ? serr : "");
    if (rc == 0) {
        char why[128];
        jm_node *root = cli_parse(out, why, sizeof why);
        cr_assert(root, "stdout is not JSON (%s)", why);
        CLI_EXPECT_NUM(root, "selected", 36, 0);
    }
    /* 10,000 characters of junk: a usage error */
    memset(expr, 'x', 5000);
    memset(expr + 5000, '(', 5000);
    expr[10000] = '\0';
    path = write_tmp(expr);
    snprintf(line, sizeof line,
             "@BIN@ report " FILTER_CSV " --format json --levels 0 --filter \"$(cat '%s')\"",
             path);
    rc = cli_sh(line, &out, &serr);
    unlink(path);
    cr_expect(rc == 2, "10,000 characters of junk: exit %d", rc);
    cr_expect(out == NULL || out[0] == '\0', "junk filter wrote to stdout");
}

/* Random token soup from a fixed seed: every expression either compiles (exit 0 and a JSON
 * report) or is a usage error (exit 2, empty stdout). Never a crash, never another status. */
Test(cli_filter, random_junk_never_crashes)
{
    static const char *tok[] = {
        "age", "city", "note", "when", "`my col`", "`", "\"", "\"Paris\"", "(", ")", "{", "}",
        "[", "]", "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "/", "/x/", "/(/i", "&&", "||",
        "!", "in", "between", "and", "3", "-2.5", "2024-05-01", "2024-05-01T10:00",
        "score[pos]", "score[", "len(", "tokens(", "missing(", "error", "label", "row", ",",
        "\\", "\xc3\xa9", "\x01", "1e999", "nan", "0x10", "..", "$", "*", "+", "?", "\xff",
    };
    size_t ntok = sizeof tok / sizeof tok[0];
    unsigned long long s = 0x9e3779b97f4a7c15ULL;
    for (int it = 0; it < 250; it++) {
        char expr[1024] = "";
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        int k = 1 + (int)((s >> 33) % 12);
        for (int j = 0; j < k; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            strcat(expr, tok[(s >> 33) % ntok]);
            if ((s >> 20) & 1)
                strcat(expr, " ");
        }
        char *out = NULL, *serr = NULL;
        int rc = run_filter(FILTER_CSV, expr, &out, &serr);
        cr_expect(rc == 0 || rc == 2, "--filter '%s': exit %d: %.200s", expr, rc,
                  serr ? serr : "");
        if (rc == 0) {
            char why[128];
            cr_expect(cli_parse(out, why, sizeof why) != NULL,
                      "--filter '%s': exit 0 but stdout is not JSON (%s)", expr, why);
        } else {
            cr_expect(out == NULL || out[0] == '\0', "--filter '%s': error but stdout: %.100s",
                      expr, out ? out : "");
        }
    }
}
