/* Tests of the CSV loader: parsing, type inference, messages, threads, standard input and
 * the shared prediction files. Expected values are worked out by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "dataset.h"
#include "fl_test.h"
#include "loader.h"
#include "strbuf.h"

/* ---- helpers -------------------------------------------------------------------------- */

static dataset *load_n(const char *csv, size_t len, const ld_opts *o)
{
    ld_opts def;
    if (!o) {
        ld_opts_init(&def);
        o = &def;
    }
    dataset *ds = NULL;
    err e = {0};
    err_code rc = ld_csv_mem(&ds, "test.csv", csv, len, o, &e);
    cr_assert_eq(rc, E_OK, "load failed: %s", e.msg);
    return ds;
}

static dataset *load(const char *csv, const ld_opts *o)
{
    return load_n(csv, strlen(csv), o);
}

/* Loads csv expecting a failure; returns the code and leaves the message in *e. */
static err_code load_fail_n(const char *csv, size_t len, const ld_opts *o, err *e)
{
    ld_opts def;
    if (!o) {
        ld_opts_init(&def);
        o = &def;
    }
    dataset *ds = NULL;
    err_code rc = ld_csv_mem(&ds, "test.csv", csv, len, o, e);
    cr_assert_neq(rc, E_OK, "load of a bad input succeeded");
    cr_assert_null(ds);
    return rc;
}

static err_code load_fail(const char *csv, err *e)
{
    return load_fail_n(csv, strlen(csv), NULL, e);
}

static const column *col(const dataset *ds, const char *name)
{
    int i = ds_col_find(ds, name);
    cr_assert_geq(i, 0, "no column %s", name);
    return &ds->cols[i];
}

/* The string of a categorical or text cell, NULL when missing. */
static const char *str(const dataset *ds, const char *name, size_t row)
{
    const column *c = col(ds, name);
    cr_assert(c->type == COL_CAT || c->type == COL_TEXT, "%s is %s", name, col_type_name(c->type));
    cr_assert_lt(row, ds->nrows);
    return c->code[row] == CODE_NA ? NULL : sd_str(c->dict, c->code[row]);
}

static double num(const dataset *ds, const char *name, size_t row)
{
    const column *c = col(ds, name);
    cr_assert(c->type == COL_NUM || c->type == COL_TIME, "%s is %s", name, col_type_name(c->type));
    cr_assert_lt(row, ds->nrows);
    return c->num[row];
}

static void expect_msg(const err *e, const char *want)
{
    cr_expect(strstr(e->msg, want) != NULL, "message '%s' lacks '%s'", e->msg, want);
}

/* ---- parsing -------------------------------------------------------------------------- */

Test(ld, basic_columns_and_types)
{
    dataset *ds = load("id,kind,score\n1,cat,0.5\n2,dog,1.25\n3,cat,-2\n", NULL);
    cr_assert_eq(ds->nrows, 3);
    cr_assert_eq(ds->ncols, 3);
    cr_assert_eq(ds->delimiter, ',');
    cr_assert_eq(ds->nbytes, 44);
    cr_assert_str_eq(ds->source, "test.csv");
    cr_assert_eq(col(ds, "id")->type, COL_NUM);
    cr_assert(col(ds, "id")->is_integer);
    cr_assert_eq(col(ds, "kind")->type, COL_CAT);
    cr_assert_eq(sd_count(col(ds, "kind")->dict), 2);
    cr_assert_str_eq(str(ds, "kind", 2), "cat");
    cr_assert_eq(col(ds, "kind")->code[0], col(ds, "kind")->code[2]);
    cr_assert_eq(col(ds, "score")->type, COL_NUM);
    cr_assert_not(col(ds, "score")->is_integer);
    cr_assert(num(ds, "score", 1) == 1.25);
    cr_assert(num(ds, "score", 2) == -2.0);
    for (size_t c = 0; c < ds->ncols; c++)
        cr_assert_eq(ds->cols[c].role, ROLE_FEATURE);
    ds_free(ds);
}

Test(ld, quoted_commas_quotes_and_newlines)
{
    dataset *ds = load("id,t\n"
                       "1,\"a,b\"\n"
                       "2,\"say \"\"hi\"\"\"\n"
                       "3,\"line1\nline2\r\nline3\"\n"
                       "4,\"  padded  \"\n"
                       "5,  trimmed  \n",
                       NULL);
    cr_assert_eq(ds->nrows, 5);
    cr_assert_str_eq(str(ds, "t", 0), "a,b");
    cr_assert_str_eq(str(ds, "t", 1), "say \"hi\"");
    cr_assert_str_eq(str(ds, "t", 2), "line1\nline2\r\nline3");
    cr_assert_str_eq(str(ds, "t", 3), "  padded  ");
    cr_assert_str_eq(str(ds, "t", 4), "trimmed");
    ds_free(ds);
}

Test(ld, crlf_records)
{
    dataset *ds = load("a,b\r\nx,1\r\ny,2\r\n", NULL);
    cr_assert_eq(ds->nrows, 2);
    cr_assert_str_eq(col(ds, "b")->name, "b");
    cr_assert_str_eq(str(ds, "a", 1), "y");
    cr_assert(num(ds, "b", 1) == 2.0);
    ds_free(ds);
}

Test(ld, last_line_without_newline)
{
    dataset *ds = load("a,b\nx,1\ny,2", NULL);
    cr_assert_eq(ds->nrows, 2);
    cr_assert(num(ds, "b", 1) == 2.0);
    ds_free(ds);
}

Test(ld, blank_lines_are_skipped)
{
    dataset *ds = load("\n\na,b\n\nx,1\n   \ny,2\n\n", NULL);
    cr_assert_eq(ds->nrows, 2);
    cr_assert_str_eq(str(ds, "a", 1), "y");
    ds_free(ds);
}

Test(ld, bom_is_stripped)
{
    dataset *ds = load("\xEF\xBB\xBFname,v\nx,1\n", NULL);
    cr_assert_str_eq(ds->cols[0].name, "name");
    cr_assert_str_eq(str(ds, "name", 0), "x");
    cr_assert_eq(ds->nbytes, 14);
    ds_free(ds);
}

Test(ld, delimiter_detection)
{
    static const struct {
        const char *csv;
        char delim;
        size_t ncols;
    } cases[] = {
        {"a;b;c\n1;2;3\n", ';', 3},         {"a\tb\tc\n1\t2\t3\n", '\t', 3}, {"a|b\n1|2\n", '|', 2},
        {"a,b;c\n1,2;3\n", ',', 2},     /* one each: a tie goes to the comma */
        {"a;b|c|d\n1;2|3|4\n", '|', 3}, /* the most frequent wins */
        {"\"x;y\";z\n1;2\n", ';', 2},   /* quoted delimiters do not count */
        {"\"x,y,z\";a;b\n1;2;3\n", ';', 3}, {"single\n1\n", ',', 1}, /* none: comma */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dataset *ds = load(cases[i].csv, NULL);
        cr_expect_eq(ds->delimiter, cases[i].delim, "case %zu", i);
        cr_expect_eq(ds->ncols, cases[i].ncols, "case %zu", i);
        ds_free(ds);
    }
    dataset *ds = load("\"x;y\";z\n1;2\n", NULL);
    cr_assert_str_eq(ds->cols[0].name, "x;y");
    ds_free(ds);
}

Test(ld, delimiter_given)
{
    ld_opts o;
    ld_opts_init(&o);
    o.delimiter = ';';
    dataset *ds = load("a,b;c\n1,5;2\n", &o);
    cr_assert_eq(ds->ncols, 2);
    cr_assert_str_eq(ds->cols[0].name, "a,b");
    cr_assert_str_eq(str(ds, "a,b", 0), "1,5");
    ds_free(ds);
    o.delimiter = '\t';
    ds = load("a b\tc\n1 2\t3\n", &o);
    cr_assert_str_eq(ds->cols[0].name, "a b");
    ds_free(ds);
}

Test(ld, tab_delimited_keeps_empty_fields)
{
    dataset *ds = load("a\tb\tc\n1\t\t3\n\t2\t\n", NULL);
    cr_assert_eq(ds->nrows, 2);
    cr_assert(isnan(num(ds, "b", 0)));
    cr_assert(isnan(num(ds, "a", 1)));
    cr_assert(isnan(num(ds, "c", 1)));
    cr_assert(num(ds, "b", 1) == 2.0);
    ds_free(ds);
}

Test(ld, empty_header_name_is_generated)
{
    dataset *ds = load(",a,,column_3\n1,2,3,4\n", NULL);
    cr_assert_str_eq(ds->cols[0].name, "column_1");
    cr_assert_str_eq(ds->cols[1].name, "a");
    cr_assert_str_eq(ds->cols[2].name, "column_3_2"); /* column_3 is taken */
    cr_assert_str_eq(ds->cols[3].name, "column_3");
    ds_free(ds);
}

Test(ld, names_with_symbols)
{
    dataset *ds = load("proba_<=50K,proba_>50K,x.box\n0.25,0.75,3\n", NULL);
    cr_assert(num(ds, "proba_<=50K", 0) == 0.25);
    cr_assert(num(ds, "proba_>50K", 0) == 0.75);
    ds_free(ds);
}

/* ---- missing values ------------------------------------------------------------------- */

Test(ld, missing_tokens_in_numbers)
{
    dataset *ds = load("v\n1\nNA\nn/a\nNaN\nnull\nNONE\n?\n\"\"\n\n2\nnan\nN/A\nNull\n", NULL);
    /* the blank line is skipped: a one-column file cannot hold an empty cell unquoted */
    cr_assert_eq(ds->nrows, 12);
    const column *c = col(ds, "v");
    cr_assert_eq(c->type, COL_NUM);
    cr_assert_eq(c->nmissing, 10);
    cr_assert_eq(c->nbad, 0);
    cr_assert(num(ds, "v", 0) == 1.0);
    cr_assert(num(ds, "v", 8) == 2.0);
    for (size_t r = 1; r < 8; r++)
        cr_assert(isnan(num(ds, "v", r)), "row %zu", r);
    cr_assert(ds_is_missing(ds, 0, 1));
    ds_free(ds);
}

Test(ld, missing_tokens_in_strings)
{
    dataset *ds = load("s,k\nx,1\nNA,2\n,3\n\"\",4\nnone,5\ny,6\n", NULL);
    const column *c = col(ds, "s");
    cr_assert_eq(c->type, COL_CAT);
    cr_assert_eq(c->nmissing, 4);
    cr_assert_eq(sd_count(c->dict), 2);
    cr_assert_null(str(ds, "s", 1));
    cr_assert_null(str(ds, "s", 2));
    cr_assert_null(str(ds, "s", 3));
    cr_assert_str_eq(str(ds, "s", 5), "y");
    ds_free(ds);
}

Test(ld, extra_missing_tokens)
{
    static const char *const na[] = {"-", "missing"};
    ld_opts o;
    ld_opts_init(&o);
    o.na = na;
    o.nna = 2;
    dataset *ds = load("v,s\n1,a\n-,-\nMISSING,Missing\n4,b\n", &o);
    cr_assert_eq(col(ds, "v")->type, COL_NUM);
    cr_assert_eq(col(ds, "v")->nmissing, 2);
    cr_assert_eq(col(ds, "v")->nbad, 0);
    cr_assert_eq(col(ds, "s")->nmissing, 2);
    cr_assert_eq(sd_count(col(ds, "s")->dict), 2);
    ds_free(ds);
}

Test(ld, all_missing_column_is_categorical)
{
    dataset *ds = load("a,b\n1,\n2,NA\n", NULL);
    cr_assert_eq(col(ds, "b")->type, COL_CAT);
    cr_assert_eq(col(ds, "b")->nmissing, 2);
    cr_assert_eq(sd_count(col(ds, "b")->dict), 0);
    ds_free(ds);
}

/* ---- numbers -------------------------------------------------------------------------- */

Test(ld, numbers_are_exact)
{
    static const char *const cells[] = {"0.1",
                                        "1e-7",
                                        "123456789012345678",
                                        "2.2250738585072014e-308",
                                        "4.9e-324",
                                        "1.7976931348623157e308",
                                        "-0",
                                        ".5",
                                        "+3",
                                        "1.",
                                        "0.30000000000000004",
                                        "9007199254740993",
                                        "  7.25  ",
                                        "6.02214076E+23",
                                        "0.000001"};
    size_t n = sizeof cells / sizeof cells[0];
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "v\n");
    for (size_t i = 0; i < n; i++)
        sb_printf(&b, "\"%s\"\n", cells[i]);
    dataset *ds = load(b.s, NULL);
    cr_assert_eq(col(ds, "v")->type, COL_NUM);
    cr_assert_eq(col(ds, "v")->nbad, 0);
    for (size_t i = 0; i < n; i++) {
        double want = strtod(cells[i], NULL);
        double got = num(ds, "v", i);
        cr_expect(memcmp(&got, &want, sizeof got) == 0, "%s: %.17g != %.17g", cells[i], got, want);
    }
    ds_free(ds);
    sb_done(&b);
}

Test(ld, integer_flag)
{
    dataset *ds = load("a,b,c,d\n1,1.5,1.0,-4\n2,2,,1e3\n", NULL);
    cr_assert(col(ds, "a")->is_integer);
    cr_assert_not(col(ds, "b")->is_integer);
    cr_assert(col(ds, "c")->is_integer);
    cr_assert(col(ds, "d")->is_integer);
    cr_assert(num(ds, "d", 1) == 1000.0);
    ds_free(ds);
}

/* Text that is not a number stays text: these would be numbers to a lax parser. */
Test(ld, not_numbers)
{
    dataset *ds = load("v\n0x10\ninf\n\"1,000\"\n12abc\n1e\n--1\n1.2.3\n", NULL);
    cr_assert_eq(col(ds, "v")->type, COL_CAT);
    cr_assert_str_eq(str(ds, "v", 0), "0x10");
    cr_assert_str_eq(str(ds, "v", 2), "1,000");
    ds_free(ds);
}

/* 100 numbers with 3 bad cells (3%) stay numeric; a quoted field with two line breaks
 * before the first bad cell puts it two lines further down than its record number. */
Test(ld, numeric_with_bad_cells)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "v,note\n");
    for (int i = 0; i < 100; i++) {
        const char *v = i == 40 ? "oops" : i == 41 ? "n.a." : i == 90 ? "oops" : NULL;
        const char *note = i == 5 ? "\"two\nline\nbreaks\"" : "x";
        if (v)
            sb_printf(&b, "%s,%s\n", v, note);
        else
            sb_printf(&b, "%d.5,%s\n", i, note);
    }
    dataset *ds = load(b.s, NULL);
    const column *c = col(ds, "v");
    cr_assert_eq(c->type, COL_NUM);
    cr_assert_eq(c->nbad, 3);
    cr_assert_eq(c->nmissing, 3);
    /* row 40 is record 41; header on line 1, two extra lines from row 5: line 44 */
    cr_assert_eq(c->first_bad_line, 44);
    cr_assert_str_eq(c->bad_example, "oops");
    cr_assert(isnan(num(ds, "v", 40)));
    cr_assert(num(ds, "v", 39) == 39.5);
    cr_assert_eq(col(ds, "note")->first_bad_line, 0);
    cr_assert_null(col(ds, "note")->bad_example);
    ds_free(ds);
    sb_done(&b);
}

/* The same when the sniffed rows are strings: the column is read as strings and converted
 * afterwards; a long bad cell is shortened for the example. */
Test(ld, numeric_decided_late_with_bad_cells)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "v\n");
    for (int i = 0; i < 3000; i++) {
        if (i < 1000 ? i % 10 == 0 : false)
            sb_puts(&b, "this is a rather long bad cell that goes on and on and on\n");
        else
            sb_printf(&b, "%d\n", i);
    }
    dataset *ds = load(b.s, NULL);
    const column *c = col(ds, "v");
    cr_assert_eq(c->type, COL_NUM);
    cr_assert_eq(c->nbad, 100);
    cr_assert_eq(c->first_bad_line, 2);
    cr_assert_str_eq(c->bad_example, "this is a rather long bad cell that goes...");
    cr_assert(c->is_integer);
    cr_assert(num(ds, "v", 2999) == 2999.0);
    ds_free(ds);
    sb_done(&b);
}

/* 2000 numbers (some with leading zeros) and then 6% strings: the column was read as
 * numbers, becomes categorical, and keeps every cell's original text. */
Test(ld, late_strings_make_a_categorical_with_original_text)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "code,n\n");
    for (int i = 0; i < 2000; i++)
        sb_printf(&b, "%03d,%d\n", i % 1000, i);
    for (int i = 0; i < 128; i++)
        sb_printf(&b, "X%d,%d\n", i % 4, i);
    dataset *ds = load(b.s, NULL);
    const column *c = col(ds, "code");
    cr_assert_eq(c->type, COL_CAT);
    cr_assert_eq(c->nbad, 0);
    cr_assert_eq(c->nmissing, 0);
    cr_assert_eq(sd_count(c->dict), 1004);
    cr_assert_str_eq(str(ds, "code", 7), "007");
    cr_assert_str_eq(str(ds, "code", 1000), "000");
    cr_assert_str_eq(str(ds, "code", 2001), "X1");
    cr_assert_eq(col(ds, "n")->type, COL_NUM);
    ds_free(ds);
    sb_done(&b);
}

/* ---- times ---------------------------------------------------------------------------- */

Test(ld, iso_times_with_zones)
{
    dataset *ds = load("t\n"
                       "2024-05-01T12:00:00+02:00\n"
                       "2024-05-01T10:00:00Z\n"
                       "2024-05-01 10:00\n"
                       "2024-05-01T12:00+0200\n"
                       "2024-05-01T12:00:00+02\n"
                       "2024-05-01T10:00:00.5Z\n"
                       "2024-05-01\n"
                       "0102-08-21T15:54:46Z\n"
                       "2024-02-29T23:30-05:30\n"
                       "1969-12-31T23:59:59\n"
                       "\n"
                       "NA\n",
                       NULL);
    const column *c = col(ds, "t");
    cr_assert_eq(c->type, COL_TIME);
    cr_assert_eq(c->nmissing, 1);
    double want[] = {1714557600,   1714557600, 1714557600,     1714557600, 1714557600,
                     1714557600.5, 1714521600, -58928285114.0, 1709269200, -1};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_expect(num(ds, "t", i) == want[i], "row %zu: %.3f", i, num(ds, "t", i));
    cr_assert(isnan(num(ds, "t", 10)));
    ds_free(ds);
}

Test(ld, bad_dates_are_bad_cells)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "t\n");
    for (int i = 0; i < 40; i++)
        sb_printf(&b, "2024-01-%02dT00:00:00Z\n", 1 + i % 28);
    sb_puts(&b, "2023-02-29\n"); /* not a leap year */
    dataset *ds = load(b.s, NULL);
    const column *c = col(ds, "t");
    cr_assert_eq(c->type, COL_TIME);
    cr_assert_eq(c->nbad, 1);
    cr_assert_eq(c->first_bad_line, 42);
    cr_assert_str_eq(c->bad_example, "2023-02-29");
    ds_free(ds);
    sb_done(&b);
}

Test(ld, epoch_numbers_only_in_named_time_columns)
{
    const char *csv = "t,u\n1714557600,1\n1714557600.25,2\n2024-05-01,3\n";
    dataset *ds = load("t,u\n1714557600,1\n1714557601,2\n", NULL);
    cr_assert_eq(col(ds, "t")->type, COL_NUM);
    ds_free(ds);
    static const char *const tc[] = {"t"};
    ld_opts o;
    ld_opts_init(&o);
    o.time_cols = tc;
    o.ntime_cols = 1;
    ds = load(csv, &o);
    cr_assert_eq(col(ds, "t")->type, COL_TIME);
    cr_assert(num(ds, "t", 0) == 1714557600.0);
    cr_assert(num(ds, "t", 1) == 1714557600.25);
    cr_assert(num(ds, "t", 2) == 1714521600.0);
    cr_assert_eq(col(ds, "u")->type, COL_NUM);
    ds_free(ds);
}

Test(ld, unknown_forced_column_is_an_error)
{
    static const char *const tc[] = {"nope"};
    ld_opts o;
    ld_opts_init(&o);
    o.text_cols = tc;
    o.ntext_cols = 1;
    err e = {0};
    cr_assert_eq(load_fail_n("a,b\n1,2\n", 8, &o, &e), E_USAGE);
    expect_msg(&e, "nope");
}

/* ---- text or categorical -------------------------------------------------------------- */

Test(ld, text_versus_categorical)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "sentence,phrase,code\n");
    /* sentence: 30 distinct values with spaces in 30 rows (30 > max(20, 3)): text.
     * phrase: 10 distinct values with spaces, 3 times each: categorical.
     * code: 30 distinct values without spaces: categorical. */
    for (int i = 0; i < 30; i++)
        sb_printf(&b, "the quick fox number %d,a phrase %d,C%d\n", i, i % 10, i);
    dataset *ds = load(b.s, NULL);
    cr_assert_eq(col(ds, "sentence")->type, COL_TEXT);
    cr_assert_eq(col(ds, "phrase")->type, COL_CAT);
    cr_assert_eq(col(ds, "code")->type, COL_CAT);
    cr_assert_str_eq(str(ds, "sentence", 29), "the quick fox number 29");
    /* a text dictionary drops its index but still finds values */
    cr_assert_eq(sd_find(col(ds, "sentence")->dict, "the quick fox number 3", 22), 3);
    cr_assert_eq(sd_find(col(ds, "code")->dict, "C7", 2), 7);
    ds_free(ds);
    sb_done(&b);
}

Test(ld, text_forced)
{
    static const char *const tc[] = {"code", "n"};
    ld_opts o;
    ld_opts_init(&o);
    o.text_cols = tc;
    o.ntext_cols = 2;
    dataset *ds = load("code,n\nA,1\nB,2\nA,3\n", &o);
    cr_assert_eq(col(ds, "code")->type, COL_TEXT);
    cr_assert_eq(col(ds, "n")->type, COL_TEXT);
    cr_assert_str_eq(str(ds, "n", 2), "3");
    cr_assert_eq(sd_count(col(ds, "code")->dict), 2);
    ds_free(ds);
}

Test(ld, large_field)
{
    size_t n = (size_t)1 << 20;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = i % 100 == 99 ? '\n' : i % 10 == 9 ? ',' : (char)('a' + i % 26);
    big[n] = '\0';
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "id,body\n1,\"");
    sb_append(&b, big, n);
    sb_puts(&b, "\"\n2,short\n");
    dataset *ds = load(b.s, NULL);
    cr_assert_eq(ds->nrows, 2);
    const column *c = col(ds, "body");
    cr_assert_eq(sd_len(c->dict, c->code[0]), n);
    cr_assert(memcmp(sd_str(c->dict, c->code[0]), big, n) == 0);
    cr_assert_str_eq(str(ds, "body", 1), "short");
    ds_free(ds);
    sb_done(&b);
    free(big);
}

Test(ld, wide_file)
{
    strbuf b;
    sb_init(&b);
    for (int c = 0; c < 3000; c++)
        sb_printf(&b, "%sc%d", c ? "," : "", c);
    sb_puts(&b, "\n");
    for (int r = 0; r < 40; r++) {
        for (int c = 0; c < 3000; c++)
            sb_printf(&b, c % 2 ? "%s%d" : "%sv%d", c ? "," : "", (r + c) % 7);
        sb_puts(&b, "\n");
    }
    dataset *ds = load(b.s, NULL);
    cr_assert_eq(ds->ncols, 3000);
    cr_assert_eq(ds->nrows, 40);
    cr_assert_eq(col(ds, "c0")->type, COL_CAT);
    cr_assert_str_eq(str(ds, "c2998", 39), "v6"); /* (39 + 2998) % 7 */
    cr_assert(num(ds, "c2999", 39) == 0.0);
    ds_free(ds);
    sb_done(&b);
}

/* ---- errors --------------------------------------------------------------------------- */

Test(ld, ragged_rows_name_the_physical_line)
{
    static const struct {
        const char *csv, *msg;
    } cases[] = {
        {"a,b\n1,2\n3\n", "test.csv:3: expected 2 fields, got 1"},
        {"a,b\n\"x\ny\",2\n3\n", "test.csv:4: expected 2 fields, got 1"},
        {"a,b\n\n1,2\n\n3,4,5\n", "test.csv:5: expected 2 fields, got 3"},
        {"a,b\r\n1,2\r\n3\r\n", "test.csv:3: expected 2 fields, got 1"},
        {"a,b\r\n\"p\r\nq\",2\r\n3\r\n", "test.csv:4: expected 2 fields, got 1"},
        {"a,b\n1,2\n3", "test.csv:3: expected 2 fields, got 1"},
        {"\n\na,b\n1\n", "test.csv:4: expected 2 fields, got 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err e = {0};
        cr_expect_eq(load_fail(cases[i].csv, &e), E_PARSE, "case %zu", i);
        cr_expect_str_eq(e.msg, cases[i].msg, "case %zu", i);
    }
}

Test(ld, unterminated_quote_names_where_it_opened)
{
    err e = {0};
    cr_assert_eq(load_fail("a,b\n1,2\n3,\"abc\n4,5\n6,7\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:3: unterminated quoted field (opened here, never closed)");
    cr_assert_eq(load_fail("a,b\n1,\"x\"\"y", &e), E_PARSE);
    expect_msg(&e, "test.csv:2: unterminated quoted field");
    cr_assert_eq(load_fail("\"abc\n", &e), E_PARSE);
    expect_msg(&e, "test.csv:1: unterminated quoted field");
}

Test(ld, malformed_quoting)
{
    err e = {0};
    cr_assert_eq(load_fail("a,b\n1,2\n3,\"x\"y\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:3: unexpected text after a closing quote (inside a quoted "
                            "field a quote must be doubled)");
    cr_assert_eq(load_fail("a,b\n\"m\nn\",2\n3,x\"y\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:4: quote inside an unquoted field (quote the whole field "
                            "and double the quote)");
    cr_assert_eq(load_fail("a,\"b\"c\n1,2\n", &e), E_PARSE);
    expect_msg(&e, "test.csv:1: unexpected text after a closing quote");
}

Test(ld, invalid_utf8)
{
    err e = {0};
    cr_assert_eq(load_fail("a,b\n1,ok\n2,\"x\ny\"\n3,caf\xe9\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:5: column 2 ('b'): invalid UTF-8 (bad byte at byte 4 of "
                            "the cell)");
    /* overlong form, surrogate, truncated sequence; the same check in a numeric column */
    cr_assert_eq(load_fail("a\n\xc0\xaf\n", &e), E_PARSE);
    cr_assert_eq(load_fail("a\n\xed\xa0\x80\n", &e), E_PARSE);
    cr_assert_eq(load_fail("a,b\nx,\xe2\x82\n", &e), E_PARSE);
    cr_assert_eq(load_fail("n\n1\n2\n\xff\n", &e), E_PARSE);
    expect_msg(&e, "test.csv:4: column 1 ('n')");
    cr_assert_eq(load_fail_n("a,b\n1,x\0y\n", 10, NULL, &e), E_PARSE);
    expect_msg(&e, "NUL");
    /* a long cell is checked at the end of its row, yet reported before a later one */
    cr_assert_eq(load_fail("a,b,c\n1,a long cell of text \xff,ok\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:2: column 2 ('b'): invalid UTF-8 (bad byte at byte 21 of "
                            "the cell)");
    cr_assert_eq(load_fail("a,b,c\nok,a long cell of text \xff,x\xff\n", &e), E_PARSE);
    expect_msg(&e, "column 2 ('b')");
    cr_assert_eq(load_fail("a,b\nfine,a long and fine cell\nx,another long cell\xc3\n", &e),
                 E_PARSE);
    expect_msg(&e, "test.csv:3: column 2 ('b')");
    cr_assert_eq(load_fail_n("a,b\0c\n1,2\n", 10, NULL, &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:1: column 2: the name is not valid UTF-8");
    cr_assert_eq(load_fail("caf\xe9,b\n1,2\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:1: column 1: the name is not valid UTF-8");
    /* valid multi-byte text loads */
    dataset *ds = load("a\nFA\xc3\x8fLURE \xe2\x82\xac \xf0\x9f\x98\x80\n", NULL);
    cr_assert_str_eq(str(ds, "a", 0), "FA\xc3\x8fLURE \xe2\x82\xac \xf0\x9f\x98\x80");
    ds_free(ds);
}

Test(ld, empty_and_header_only)
{
    err e = {0};
    cr_assert_eq(load_fail("", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv: empty file");
    cr_assert_eq(load_fail("\n \n\r\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv: empty file");
    cr_assert_eq(load_fail("\xEF\xBB\xBF", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv: empty file");
    cr_assert_eq(load_fail("a,b\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv: no data rows, only a header");
    cr_assert_eq(load_fail("a,b", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv: no data rows, only a header");
    cr_assert_eq(load_fail("a,b\n\n\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv: no data rows, only a header");
}

Test(ld, duplicate_names)
{
    err e = {0};
    cr_assert_eq(load_fail("a,b,c,b\n1,2,3,4\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:1: duplicate column name 'b' (columns 2 and 4)");
    cr_assert_eq(load_fail("\n\nx,x\n1,2\n", &e), E_PARSE);
    cr_assert_str_eq(e.msg, "test.csv:3: duplicate column name 'x' (columns 1 and 2)");
}

Test(ld, bad_delimiter_option)
{
    ld_opts o;
    ld_opts_init(&o);
    o.delimiter = '"';
    err e = {0};
    cr_assert_eq(load_fail_n("a\n1\n", 4, &o, &e), E_USAGE);
}

/* ---- progress and cancellation -------------------------------------------------------- */

typedef struct counter {
    int calls;
    int cancel_at;
    size_t first_total, last_done, last_total;
} counter;

static int on_progress(void *ctx, size_t done, size_t total, size_t rows)
{
    counter *c = ctx;
    (void)rows;
    if (c->calls++ == 0)
        c->first_total = total;
    cr_assert_leq(done, total);
    c->last_done = done;
    c->last_total = total;
    return c->cancel_at && c->calls >= c->cancel_at;
}

/* A CSV of about `bytes` bytes with varied cells, the same for a given seed. */
static char *make_csv(size_t bytes, unsigned seed, size_t *len)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "id,cat,num,maybe,text,ts,code,late\n");
    unsigned long x = seed * 2654435761u + 1;
    for (size_t i = 0; b.len < bytes; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(x >> 33);
        sb_printf(&b, "%zu,c%u,", i, r % 7);
        if (r % 97 == 0)
            sb_puts(&b, "oops");
        else
            sb_printf(&b, "%.6f", (double)(r % 100000) / 997.0);
        sb_puts(&b, r % 5 == 0 ? ",," : ",");
        if (r % 5 != 0)
            sb_printf(&b, "%u,", r % 1000);
        switch (r % 6) {
        case 0:
            sb_printf(&b, "\"word %u, with a comma\"", r % 5000);
            break;
        case 1:
            sb_printf(&b, "\"a \"\"quoted\"\" word %u\nand a second line\"", r % 3000);
            break;
        case 2:
            sb_puts(&b, "");
            break;
        default:
            sb_printf(&b, "plain words %u", r % 4000);
            break;
        }
        sb_printf(&b, ",2024-%02u-%02uT%02u:%02u:%02uZ,%03u,", 1 + r % 12, 1 + r % 28, r % 24,
                  r % 60, (r >> 7) % 60, r % 1000);
        /* numbers with leading zeros, then strings in the last 40%: read again as strings */
        sb_printf(&b, b.len < bytes / 10 * 6 ? "%03u\n" : "L%u\n", r % 100);
    }
    *len = b.len;
    return sb_take(&b);
}

Test(ld, progress_is_reported_and_can_cancel)
{
    size_t len;
    char *csv = make_csv(3u << 20, 1, &len);
    counter c = {0};
    ld_opts o;
    ld_opts_init(&o);
    o.progress = on_progress;
    o.progress_ctx = &c;
    dataset *ds = load_n(csv, len, &o);
    cr_assert_geq(c.calls, 1);
    cr_assert_eq(c.first_total, len);
    cr_assert_eq(c.last_total, 2 * len); /* the late column is read again */
    ds_free(ds);
    counter cancel = {.cancel_at = 1};
    o.progress_ctx = &cancel;
    err e = {0};
    cr_assert_eq(load_fail_n(csv, len, &o, &e), E_CANCEL);
    free(csv);
    /* with threads */
    csv = make_csv(9u << 20, 2, &len);
    counter cancel2 = {.cancel_at = 1};
    o.progress_ctx = &cancel2;
    o.threads = 2;
    cr_assert_eq(load_fail_n(csv, len, &o, &e), E_CANCEL);
    free(csv);
}

/* ---- threads -------------------------------------------------------------------------- */

static void expect_same(const dataset *a, const dataset *b)
{
    cr_assert_eq(a->nrows, b->nrows);
    cr_assert_eq(a->ncols, b->ncols);
    for (size_t c = 0; c < a->ncols; c++) {
        const column *x = &a->cols[c], *y = &b->cols[c];
        cr_assert_str_eq(x->name, y->name);
        cr_assert_eq(x->type, y->type, "column %s", x->name);
        cr_assert_eq(x->nmissing, y->nmissing, "column %s", x->name);
        cr_assert_eq(x->nbad, y->nbad, "column %s", x->name);
        cr_assert_eq(x->first_bad_line, y->first_bad_line, "column %s", x->name);
        cr_assert_eq(x->is_integer, y->is_integer, "column %s", x->name);
        if (x->bad_example || y->bad_example)
            cr_assert_str_eq(x->bad_example, y->bad_example);
        if (x->num) {
            cr_assert(memcmp(x->num, y->num, a->nrows * sizeof *x->num) == 0, "column %s", x->name);
            continue;
        }
        cr_assert_eq(sd_count(x->dict), sd_count(y->dict), "column %s", x->name);
        for (size_t r = 0; r < a->nrows; r++) {
            cr_assert_eq(x->code[r] == CODE_NA, y->code[r] == CODE_NA);
            if (x->code[r] == CODE_NA)
                continue;
            cr_assert_str_eq(sd_str(x->dict, x->code[r]), sd_str(y->dict, y->code[r]),
                             "column %s row %zu", x->name, r);
        }
    }
}

static void expect_threads_agree(const char *csv, size_t len)
{
    ld_opts o;
    ld_opts_init(&o);
    o.threads = 1;
    dataset *one = load_n(csv, len, &o);
    for (int t = 2; t <= 4; t++) {
        o.threads = t;
        dataset *many = load_n(csv, len, &o);
        expect_same(one, many);
        ds_free(many);
    }
    ds_free(one);
}

Test(ld, threads_give_the_same_dataset)
{
    size_t len;
    char *csv = make_csv(8u << 20, 3, &len);
    dataset *ds = load_n(csv, len, NULL);
    cr_assert_eq(col(ds, "cat")->type, COL_CAT);
    cr_assert_eq(col(ds, "num")->type, COL_NUM);
    cr_assert_gt(col(ds, "num")->nbad, 0);
    cr_assert_eq(col(ds, "maybe")->type, COL_NUM);
    cr_assert_eq(col(ds, "ts")->type, COL_TIME);
    cr_assert_eq(col(ds, "code")->type, COL_NUM);
    cr_assert_eq(col(ds, "late")->type, COL_CAT);
    cr_assert_eq(strlen(str(ds, "late", 0)), 3); /* "007", not "7" */
    ds_free(ds);
    expect_threads_agree(csv, len);
    free(csv);
}

/* A field of several MB with line breaks and no quotes spans the middle of the file: a cut
 * made there cannot see that it is inside quotes, and the loader must notice afterwards. */
Test(ld, threads_with_a_cut_inside_a_quoted_field)
{
    size_t len1, len2;
    char *a = make_csv(3u << 20, 4, &len1), *z = make_csv(3u << 20, 5, &len2);
    strbuf b;
    sb_init(&b);
    sb_append(&b, a, len1);
    sb_puts(&b, "999999,c1,1.5,2,\"");
    for (int i = 0; i < 60000; i++)
        sb_puts(&b, "a long line of text inside one quoted field, without quotes\n");
    sb_puts(&b, "\",2024-01-01T00:00:00Z,001,L1\n");
    const char *rest = strchr(z, '\n') + 1; /* without its header */
    sb_append(&b, rest, len2 - (size_t)(rest - z));
    expect_threads_agree(b.s, b.len);
    /* the same with doubled quotes inside, which the cut finder can read */
    sb_clear(&b);
    sb_append(&b, a, len1);
    sb_puts(&b, "999999,c1,1.5,2,\"");
    for (int i = 0; i < 60000; i++)
        sb_puts(&b, "a \"\"quoted\"\" word, then a line break\n");
    sb_puts(&b, "\",2024-01-01T00:00:00Z,001,L1\n");
    sb_append(&b, rest, len2 - (size_t)(rest - z));
    expect_threads_agree(b.s, b.len);
    sb_done(&b);
    free(a);
    free(z);
}

/* An error in the second half is reported with its physical line, as on one thread. */
Test(ld, threads_report_the_same_error)
{
    size_t len;
    char *csv = make_csv(8u << 20, 6, &len);
    /* the last record that starts with its id: merge the id and the next field */
    char *p = csv + len - 2;
    while (!(p[-1] == '\n' && p[0] >= '0' && p[0] <= '9' && strchr(p, ',')[1] == 'c'))
        p--;
    *strchr(p, ',') = ';';
    err e1 = {0}, e2 = {0};
    ld_opts o;
    ld_opts_init(&o);
    o.threads = 1;
    load_fail_n(csv, len, &o, &e1);
    o.threads = 2;
    load_fail_n(csv, len, &o, &e2);
    cr_assert_str_eq(e1.msg, e2.msg);
    expect_msg(&e1, "expected 8 fields, got 7");
    free(csv);
}

/* ---- robustness ----------------------------------------------------------------------- */

/* Mutated inputs either load or fail with a message; nothing crashes or leaks (run under
 * the sanitizers and valgrind). */
Test(ld, mutated_inputs_load_or_fail_cleanly)
{
    static const char *const seeds[] = {
        "a,b,c\n1,x,2024-01-01\n2,\"y,z\",2024-01-02T10:00Z\n3,,NA\n",
        "id;text\r\n1;\"multi\nline \"\"q\"\"\"\r\n2;plain\r\n",
        "\xEF\xBB\xBFn\n1\n2.5\n-3e2\nbad\n",
    };
    static const char alphabet[] = ",;\"\n\r \tax1.-\xff\xc3\xa9"
                                   "e\0";
    unsigned long x = 12345;
    char buf[256];
    for (int it = 0; it < 3000; it++) {
        const char *seed = seeds[it % 3];
        size_t len = strlen(seed);
        memcpy(buf, seed, len);
        int edits = 1 + it % 6;
        for (int k = 0; k < edits; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = (size_t)(x >> 33) % (len + 1);
            char c = alphabet[(x >> 20) % (sizeof alphabet - 1)];
            switch ((x >> 10) % 3) {
            case 0: /* replace */
                if (at < len)
                    buf[at] = c;
                break;
            case 1: /* insert */
                if (len + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = c;
                    len++;
                }
                break;
            default: /* delete */
                if (at < len) {
                    memmove(buf + at, buf + at + 1, len - at - 1);
                    len--;
                }
                break;
            }
        }
        ld_opts o;
        ld_opts_init(&o);
        dataset *ds = NULL;
        err e = {0};
        err_code rc = ld_csv_mem(&ds, "fuzz.csv", buf, len, &o, &e);
        if (rc != E_OK) {
            cr_assert_eq(rc, E_PARSE, "iteration %d: %s", it, e.msg);
            cr_assert(strncmp(e.msg, "fuzz.csv", 8) == 0, "iteration %d: %s", it, e.msg);
            cr_assert_null(ds);
            continue;
        }
        cr_assert_geq(ds->nrows, 1);
        cr_assert_geq(ds->ncols, 1);
        for (size_t c = 0; c < ds->ncols; c++) {
            const column *col = &ds->cols[c];
            cr_assert((col->num != NULL) != (col->code != NULL));
            cr_assert_leq(col->nmissing, ds->nrows);
            for (size_t r = 0; col->code && r < ds->nrows; r++)
                cr_assert(col->code[r] == CODE_NA || col->code[r] < sd_count(col->dict));
        }
        ds_free(ds);
    }
}

/* A bad cell in the last record: its line is found from the cut nearest to it. */
Test(ld, threads_report_the_same_bad_line)
{
    size_t len;
    char *csv = make_csv(8u << 20, 8, &len);
    char *z = strrchr(csv, 'Z'); /* the last record ends with ...Z,123,L45 */
    cr_assert_eq(z[1], ',');
    z[3] = 'x';
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += csv[i] == '\n';
    ld_opts o;
    ld_opts_init(&o);
    for (int t = 1; t <= 3; t++) {
        o.threads = t;
        dataset *ds = load_n(csv, len, &o);
        const column *c = col(ds, "code");
        cr_assert_eq(c->type, COL_NUM);
        cr_assert_eq(c->nbad, 1);
        cr_assert_eq(c->first_bad_line, lines, "threads %d", t);
        ds_free(ds);
    }
    free(csv);
}

/* ---- files and standard input --------------------------------------------------------- */

static char *write_temp(const char *data, size_t len)
{
    char *path = strdup("/tmp/fl_loader_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

Test(ld, file_and_missing_file)
{
    const char *csv = "a,b\nx,1\ny,2\n";
    char *path = write_temp(csv, strlen(csv));
    ld_opts o;
    ld_opts_init(&o);
    dataset *ds = NULL;
    err e = {0};
    cr_assert_eq(ld_csv_file(&ds, path, &o, &e), E_OK, "%s", e.msg);
    cr_assert_str_eq(ds->source, path);
    cr_assert_eq(ds->nrows, 2);
    ds_free(ds);
    unlink(path);
    ds = NULL;
    cr_assert_eq(ld_csv_file(&ds, path, &o, &e), E_IO);
    cr_assert_null(ds);
    expect_msg(&e, path);
    cr_assert_eq(ld_csv_file(&ds, "/tmp", &o, &e), E_IO);
    free(path);
}

Test(ld, file_errors_name_the_file)
{
    const char *csv = "a,b\n1,2\n3\n";
    char *path = write_temp(csv, strlen(csv));
    ld_opts o;
    ld_opts_init(&o);
    dataset *ds = NULL;
    err e = {0};
    cr_assert_eq(ld_csv_file(&ds, path, &o, &e), E_PARSE);
    char want[256];
    snprintf(want, sizeof want, "%s:3: expected 2 fields, got 1", path);
    cr_assert_str_eq(e.msg, want);
    unlink(path);
    free(path);
}

Test(ld, large_file_on_threads)
{
    size_t len;
    char *csv = make_csv(9u << 20, 7, &len);
    char *path = write_temp(csv, len);
    ld_opts o;
    ld_opts_init(&o);
    o.threads = 2;
    dataset *a = NULL;
    err e = {0};
    cr_assert_eq(ld_csv_file(&a, path, &o, &e), E_OK, "%s", e.msg);
    dataset *b = load_n(csv, len, NULL);
    expect_same(a, b);
    ds_free(a);
    ds_free(b);
    unlink(path);
    free(path);
    free(csv);
}

/* Feeds data to standard input through a pipe written by a thread. */
typedef struct feeder {
    pthread_t tid;
    int fd;
    const char *data;
    size_t len;
} feeder;

static void *feed(void *arg)
{
    feeder *f = arg;
    for (size_t off = 0; off < f->len;) {
        ssize_t w = write(f->fd, f->data + off, f->len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(f->fd);
    return NULL;
}

static void pipe_stdin(feeder *f, const char *data, size_t len)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_geq(dup2(p[0], STDIN_FILENO), 0);
    close(p[0]);
    *f = (feeder){.fd = p[1], .data = data, .len = len};
    cr_assert_eq(pthread_create(&f->tid, NULL, feed, f), 0);
}

Test(ld, stdin_pipe)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "\xEF\xBB\xBF"
                "code,text,v\n");
    for (int i = 0; i < 3000; i++)
        sb_printf(&b, "%03d,\"line %d\nwith a break\",%s\n", i % 1000, i,
                  i == 2500 ? "bad" : "1.5");
    for (int i = 0; i < 200; i++)
        sb_printf(&b, "X%d,t,2\n", i % 3);
    feeder f;
    pipe_stdin(&f, b.s, b.len);
    ld_opts o;
    ld_opts_init(&o);
    dataset *ds = NULL;
    err e = {0};
    err_code rc = ld_csv_file(&ds, "-", &o, &e);
    pthread_join(f.tid, NULL);
    cr_assert_eq(rc, E_OK, "%s", e.msg);
    cr_assert_str_eq(ds->source, "-");
    cr_assert_eq(ds->nbytes, b.len);
    cr_assert_eq(ds->nrows, 3200);
    cr_assert_str_eq(ds->cols[0].name, "code");
    cr_assert_eq(col(ds, "code")->type, COL_CAT); /* decided in a second pass */
    cr_assert_str_eq(str(ds, "code", 7), "007");
    cr_assert_eq(col(ds, "v")->nbad, 1);
    cr_assert_eq(col(ds, "v")->first_bad_line, 2 + 2 * 2500);
    ds_free(ds);
    sb_done(&b);
}

Test(ld, stdin_pipe_error_line)
{
    const char *csv = "a,b\n\"x\ny\",1\n2\n";
    feeder f;
    pipe_stdin(&f, csv, strlen(csv));
    ld_opts o;
    ld_opts_init(&o);
    dataset *ds = NULL;
    err e = {0};
    err_code rc = ld_csv_file(&ds, "-", &o, &e);
    pthread_join(f.tid, NULL);
    cr_assert_eq(rc, E_PARSE);
    cr_assert_str_eq(e.msg, "standard input:4: expected 2 fields, got 1");
}

Test(ld, stdin_from_a_file)
{
    const char *csv = "a,b\nx,1\n";
    char *path = write_temp(csv, strlen(csv));
    FILE *f = freopen(path, "rb", stdin);
    cr_assert_not_null(f);
    ld_opts o;
    ld_opts_init(&o);
    dataset *ds = NULL;
    err e = {0};
    cr_assert_eq(ld_csv_file(&ds, "-", &o, &e), E_OK, "%s", e.msg);
    cr_assert_eq(ds->nrows, 1);
    ds_free(ds);
    unlink(path);
    free(path);
}

/* ---- the shared prediction files ------------------------------------------------------ */

static dataset *load_shared(const char *name)
{
    return fl_load_file(fl_shared(name));
}

Test(ld, spam_predictions)
{
    dataset *ds = load_shared("spam_predictions.csv");
    cr_assert_eq(ds->nrows, 2419);
    cr_assert_eq(ds->ncols, 14);
    cr_assert_eq(col(ds, "subject")->type, COL_TEXT);
    cr_assert_eq(col(ds, "body")->type, COL_TEXT);
    cr_assert_eq(col(ds, "msg_id")->type, COL_CAT);
    cr_assert_eq(col(ds, "corpus_group")->type, COL_CAT);
    cr_assert_eq(sd_count(col(ds, "corpus_group")->dict), 3);
    cr_assert_eq(col(ds, "date")->type, COL_TIME);
    cr_assert_eq(col(ds, "date")->nmissing, 1);
    cr_assert_eq(col(ds, "date")->nbad, 0);
    cr_assert(num(ds, "date", 0) == 1030015585.0);      /* 2002-08-22T11:26:25Z */
    cr_assert(num(ds, "date", 1668) == -58928241145.0); /* 0102-08-22T04:07:35Z */
    cr_assert_eq(col(ds, "sender_domain")->nmissing, 5);
    cr_assert_eq(col(ds, "subject")->nmissing, 11 + 1); /* 11 empty, one reads "none" */
    cr_assert_eq(col(ds, "body_length")->type, COL_NUM);
    cr_assert(col(ds, "body_length")->is_integer);
    cr_assert_eq(col(ds, "prob_spam")->type, COL_NUM);
    cr_assert_not(col(ds, "prob_spam")->is_integer);
    cr_assert_str_eq(str(ds, "msg_id", 0), "easy-ham-1:00001");
    cr_assert(strncmp(str(ds, "body", 0), "Date: Wed, 21 Aug 2002 10:54:46 -0500\nFrom:", 43) == 0);
    cr_assert_eq(ds->delimiter, ',');
    ds_free(ds);
}

Test(ld, adult_predictions)
{
    dataset *ds = load_shared("adult_predictions.csv");
    cr_assert_eq(ds->nrows, 16281);
    cr_assert_eq(ds->ncols, 19);
    cr_assert_eq(col(ds, "workclass")->type, COL_CAT);
    cr_assert_eq(col(ds, "workclass")->nmissing, 963);
    cr_assert_eq(col(ds, "occupation")->nmissing, 966);
    cr_assert_eq(col(ds, "native-country")->nmissing, 274);
    cr_assert_eq(col(ds, "age")->type, COL_NUM);
    cr_assert_eq(col(ds, "proba_<=50K")->type, COL_NUM);
    cr_assert_eq(sd_count(col(ds, "y_true")->dict), 2);
    cr_assert(num(ds, "proba_<=50K", 0) == 0.998863);
    ds_free(ds);
}

Test(ld, letters_predictions)
{
    dataset *ds = load_shared("letters_predictions.csv");
    cr_assert_eq(ds->nrows, 4000);
    cr_assert_eq(ds->ncols, 45);
    cr_assert_eq(col(ds, "target")->type, COL_CAT);
    cr_assert_eq(sd_count(col(ds, "target")->dict), 26);
    cr_assert_eq(col(ds, "score_Z")->type, COL_NUM);
    cr_assert(num(ds, "id", 0) == 16001.0);
    ds_free(ds);
}

Test(ld, diamonds_predictions)
{
    dataset *ds = load_shared("diamonds_predictions.csv");
    cr_assert_eq(ds->nrows, 16182);
    cr_assert_eq(ds->ncols, 12);
    cr_assert_eq(col(ds, "cut")->type, COL_CAT);
    cr_assert_eq(sd_count(col(ds, "cut")->dict), 5);
    cr_assert_eq(col(ds, "price")->type, COL_NUM);
    cr_assert(col(ds, "price")->is_integer);
    cr_assert(num(ds, "pred_price", 0) == 276.62);
    ds_free(ds);
}
