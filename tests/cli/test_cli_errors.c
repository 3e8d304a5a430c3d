/* Bad input and usage errors. Contract: exit 0 ok, 2 usage error, 3 input error; a bad file
 * gives a clear message on stderr naming the file and the line (and the column where it
 * applies), never a crash. Line numbers are physical lines of the file (1 = the header), so the
 * fixtures put quoted multi-line fields before the faulty record to tell lines from records. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"

/* Runs `faultline report FILE --format json` and returns its exit status; stderr in *serr. */
static int report_err(const char *file, char **serr)
{
    char args[1024], *out = NULL;
    snprintf(args, sizeof args, "report '%s' --format json", file);
    int rc = cli_run(args, &out, serr);
    cr_expect(rc < 128, "%s: killed by signal %d (a crash)", file, rc - 128);
    return rc;
}

Test(cli_errors, ragged_row_names_file_and_physical_line)
{
    char *serr = NULL;
    int rc = report_err(CLI_DATA "ragged.csv", &serr);
    cr_expect_eq(rc, 3, "exit %d, expected 3", rc);
    cr_expect(serr && strstr(serr, "ragged.csv"), "message does not name the file: %s", serr ? serr : "");
    /* Quoted fields span lines 2-4 and 6-7, so the 4-field record is line 9 (record 6). */
    cr_expect(cli_has_number(serr, 9), "message does not name line 9: %s", serr ? serr : "");
}

Test(cli_errors, ragged_row_line_counts_blank_lines)
{
    char *serr = NULL;
    int rc = report_err(CLI_DATA "ragged_blank.csv", &serr);
    cr_expect_eq(rc, 3, "exit %d, expected 3", rc);
    /* Blank lines 2, 4 and 5 hold no record but are still lines: the 3-field row is line 6. */
    cr_expect(cli_has_number(serr, 6), "message does not name line 6: %s", serr ? serr : "");
}

Test(cli_errors, unterminated_quote)
{
    char *serr = NULL;
    int rc = report_err(CLI_DATA "unterminated.csv", &serr);
    cr_expect_eq(rc, 3, "exit %d, expected 3", rc);
    cr_expect(serr && strstr(serr, "unterminated.csv"), "message does not name the file: %s",
              serr ? serr : "");
    /* The quote opens on line 4 and never closes; the file ends after line 6. Either the
     * opening line or the end of the file is a fair place to point at. */
    cr_expect(cli_has_number(serr, 4) || cli_has_number(serr, 6) || cli_has_number(serr, 7),
              "message names no line (4, where the quote opens): %s", serr ? serr : "");
}

Test(cli_errors, invalid_utf8_names_line_and_column)
{
    char *serr = NULL;
    int rc = report_err(CLI_DATA "bad_utf8.csv", &serr);
    cr_expect_eq(rc, 3, "exit %d, expected 3", rc);
    cr_expect(serr && strstr(serr, "bad_utf8.csv"), "message does not name the file: %s",
              serr ? serr : "");
    /* Byte 0xFF in the city field of line 4 (third column). */
    cr_expect(cli_has_number(serr, 4), "message does not name line 4: %s", serr ? serr : "");
    cr_expect(serr && (strstr(serr, "city") || cli_has_number(serr, 3)),
              "message names neither column city nor column 3: %s", serr ? serr : "");
}

Test(cli_errors, empty_file)
{
    char *serr = NULL;
    int rc = report_err(CLI_DATA "empty.csv", &serr);
    cr_expect_eq(rc, 3, "exit %d, expected 3", rc);
    cr_expect(serr && strstr(serr, "empty.csv"), "message does not name the file: %s", serr ? serr : "");
}

Test(cli_errors, header_only_file)
{
    char *serr = NULL;
    int rc = report_err(CLI_DATA "header_only.csv", &serr);
    cr_expect_eq(rc, 3, "exit %d, expected 3", rc);
    cr_expect(serr && strstr(serr, "header_only.csv"), "message does not name the file: %s",
              serr ? serr : "");
}

Test(cli_errors, duplicate_column_names)
{
    char *serr = NULL;
    int rc = report_err(CLI_DATA "duplicate.csv", &serr);
    cr_expect_eq(rc, 3, "exit %d, expected 3", rc);
    cr_expect(serr && strstr(serr, "duplicate.csv"), "message does not name the file: %s",
              serr ? serr : "");
    cr_expect(serr && strstr(serr, "city"), "message does not name the duplicated column: %s",
              serr ? serr : "");
}

Test(cli_errors, nonexistent_file)
{
    char *serr = NULL;
    int rc = report_err(CLI_DATA "does_not_exist.csv", &serr);
    cr_expect_eq(rc, 3, "exit %d, expected 3", rc);
    cr_expect(serr && strstr(serr, "does_not_exist.csv"), "message does not name the path: %s",
              serr ? serr : "");
}

Test(cli_errors, nothing_on_stdout_is_mistaken_for_a_report)
{
    /* A failed run must not print a partial JSON report that a script could take for a
     * result: stdout is empty or at least not a JSON document. */
    char *out = NULL, *serr = NULL;
    int rc = cli_run("report " CLI_DATA "ragged.csv --format json", &out, &serr);
    cr_expect_neq(rc, 0);
    jm_node *r = cli_parse(out, NULL, 0);
    cr_expect(r == NULL, "a failed run printed a JSON report");
}

/* ------------------------------------------------------------ bad cells are not fatal */

/* bad_cells.csv: 100 rows; amount holds "abc" on line 7, "12x" on line 15, an empty cell on
 * line 20 and numbers elsewhere: 2 bad cells among 99 filled ones, "a few" by any reading
 * (the contract names no threshold, so the fixture stays well clear of one). */

Test(cli_bad_cells, json_counts_bad_cells_and_keeps_numeric)
{
    jm_node *r = cli_json("report " CLI_DATA "bad_cells.csv --format json");
    CLI_EXPECT_NUM(r, "rows", 100, TOL_RATE);
    const jm_node *a = cli_column(r, "amount");
    const char *type = jm_str(jm_get(a, "type"));
    cr_expect(type && strcmp(type, "numeric") == 0, "amount: type %s, expected numeric",
              type ? type : "(none)");
    CLI_NEAR(jm_num(jm_get(a, "bad")), 2, TOL_RATE, "amount bad");
    /* The bad cells become missing; whether "missing" counts them with the empty cell (3) or
     * lists only the empty cell (1) is left open. */
    double miss = jm_num(jm_get(a, "missing"));
    cr_expect(miss == 1 || miss == 3, "amount missing %g, expected 1 or 3", miss);
}

/* 1 when some line of text holds the column name, the bad-cell count and the line number. */
static int line_mentions(const char *text, const char *name, long count, long line)
{
    if (!text)
        return 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t k = nl ? (size_t)(nl - p) : strlen(p);
        char *one = strndup(p, k);
        int hit = one && strstr(one, name) && cli_has_number(one, count) &&
                  cli_has_number(one, line);
        free(one);
        if (hit)
            return 1;
        p += k + (nl ? 1 : 0);
    }
    return 0;
}

Test(cli_bad_cells, markdown_names_column_count_and_first_line)
{
    char *md = NULL, *serr = NULL;
    int rc = cli_run("report " CLI_DATA "bad_cells.csv", &md, &serr);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, serr ? serr : "");
    /* The report states the column, how many cells were bad (2) and the first bad line (7),
     * e.g. a summary row "| amount | numeric | ... | 2 | line 7 |" or a sentence. */
    cr_expect(line_mentions(md, "amount", 2, 7),
              "no Markdown line names column amount with 2 bad cells and line 7:\n%s",
              md ? md : "");
}

/* --------------------------------------------------------------------------- usage */

static int run_usage(const char *args, char **out, char **serr)
{
    int rc = cli_run(args, out, serr);
    cr_expect(rc < 128, "faultline %s: killed by signal %d", args, rc - 128);
    return rc;
}

Test(cli_usage, unknown_flag_exits_2_with_message)
{
    char *out = NULL, *serr = NULL;
    int rc = run_usage("report " CLI_DATA "basic.csv --frobnicate", &out, &serr);
    cr_expect_eq(rc, 2, "exit %d, expected 2", rc);
    cr_expect(serr && strstr(serr, "frobnicate"), "message does not name the flag: %s",
              serr ? serr : "");
}

Test(cli_usage, unknown_format_exits_2)
{
    char *out = NULL, *serr = NULL;
    int rc = run_usage("report " CLI_DATA "basic.csv --format xml", &out, &serr);
    cr_expect_eq(rc, 2, "exit %d, expected 2", rc);
    cr_expect(serr && *serr, "no message on stderr");
}

Test(cli_usage, unknown_task_exits_2)
{
    char *out = NULL, *serr = NULL;
    int rc = run_usage("report " CLI_DATA "basic.csv --task banana", &out, &serr);
    cr_expect_eq(rc, 2, "exit %d, expected 2 (--task takes binary|multiclass|regression)", rc);
}

Test(cli_usage, report_without_file_exits_2)
{
    char *out = NULL, *serr = NULL;
    int rc = run_usage("report", &out, &serr);
    cr_expect_eq(rc, 2, "exit %d, expected 2", rc);
    cr_expect(serr && *serr, "no message on stderr");
}

Test(cli_usage, help_exits_0)
{
    char *out = NULL, *serr = NULL;
    int rc = run_usage("--help", &out, &serr);
    cr_expect_eq(rc, 0, "exit %d", rc);
    cr_expect(out && strstr(out, "report"), "--help does not mention the report command");
    cr_expect(out && strstr(out, "--format"), "--help does not mention --format");
}

Test(cli_usage, version_exits_0)
{
    char *out = NULL, *serr = NULL;
    int rc = run_usage("--version", &out, &serr);
    cr_expect_eq(rc, 0, "exit %d", rc);
    cr_expect(out && strstr(out, "faultline"), "--version output lacks \"faultline\": %s",
              out ? out : "");
}

Test(cli_usage, man_page_exists)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/man/faultline.1", FL_SOURCE_DIR);
    char *t = cli_own(fl_read_file(path, NULL));
    cr_expect(t != NULL && strstr(t, ".TH"), "%s is missing or not a man page", path);
}
