/* tfidf: hand-worked weights on three tiny documents, vocabulary order and cut-offs, row
 * subsets, repeated and missing texts, cancellation.
 *
 * The three documents (stop list: "the"):
 *   d0 "Refund late, REFUND!"       refund x2, late x1
 *   d1 "refund missing the"         refund x1, missing x1      ("the" is a stop word)
 *   d2 "late missing refund item"   refund, late, missing, item x1 each
 * D = 3. df: refund 3, late 2, missing 2, item 1 (dropped: min_df 2).
 * Vocabulary by df descending, ties by bytes: 0 refund, 1 late, 2 missing.
 * idf(refund) = ln(4/4) + 1 = 1
 * idf(late) = idf(missing) = ln(4/3) + 1 = 0.28768207245178 + 1 = 1.2876820724517808
 * d0: tf(refund) = 1 + ln 2 = 1.6931471805599454, tf(late) = 1
 *     raw (1.69314718, 1.28768207), norm = sqrt(2.86674737 + 1.65812511) = 2.12717477
 *     -> refund 1.69314718 / 2.12717477 = 0.79596054, late 1.28768207 / 2.12717477 = 0.60534851
 * d1: raw (1, 1.28768207), norm = sqrt(1 + 1.65812511) = 1.63037576
 *     -> refund 1 / 1.63037576 = 0.61335554, missing 1.28768207 / 1.63037576 = 0.78980693
 * d2: raw (1, 1.28768207, 1.28768207), norm = sqrt(1 + 2 * 1.65812511) = 2.07755872
 *     -> refund 0.48133417, late = missing = 0.61980538 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tfidf.h"

typedef struct fixture {
    column col;
    tok_stop *stop;
    char name[8];
} fixture;

/* A text column of n cells; NULL cells are missing. */
static void make_col(fixture *f, const char *const *cells, size_t n)
{
    err e = {0};
    memset(f, 0, sizeof *f);
    strcpy(f->name, "text");
    f->col.name = f->name;
    f->col.type = COL_TEXT;
    f->col.role = ROLE_TEXT;
    cr_assert_eq(sd_new(&f->col.dict, &e), E_OK);
    f->col.code = malloc(n * sizeof *f->col.code);
    cr_assert(f->col.code);
    for (size_t i = 0; i < n; i++) {
        f->col.code[i] = CODE_NA;
        if (cells[i])
            cr_assert_eq(sd_intern(f->col.dict, cells[i], strlen(cells[i]), &f->col.code[i], &e),
                         E_OK);
    }
    const char stop[] = "the\n";
    cr_assert_eq(tok_stop_new(&f->stop, stop, strlen(stop), &e), E_OK);
}

static void free_col(fixture *f)
{
    sd_free(f->col.dict);
    free(f->col.code);
    tok_stop_free(f->stop);
}

#define EXPECT_NEAR(got, want)                                                                     \
    cr_expect(fabs((got) - (want)) < 1e-12, "%s = %.17g, expected %.17g", #got, (double)(got),    \
              (double)(want))

static const char *const DOCS[] = {"Refund late, REFUND!", "refund missing the",
                                   "late missing refund item"};

static void expect_term(const tfidf *m, uint32_t t, const char *s)
{
    cr_assert_lt(t, m->nterms);
    cr_expect_str_eq(sd_str(m->terms, t), s);
    cr_expect_eq(tfidf_term(m, s, strlen(s)), t);
}

/* Entry k of row i is (term, count, value). */
static void expect_entry(const tfidf *m, size_t i, size_t k, uint32_t term, uint32_t count,
                         double val)
{
    size_t p = m->rowptr[i] + k;
    cr_assert_lt(p, m->rowptr[i + 1], "row %zu has no entry %zu", i, k);
    cr_expect_eq(m->col[p], term, "row %zu entry %zu", i, k);
    cr_expect_eq(m->count[p], count, "row %zu entry %zu", i, k);
    EXPECT_NEAR(m->val[p], val);
}

static void expect_three_docs(const tfidf *m, const size_t *row_of_doc)
{
    cr_assert_eq(m->nterms, 3);
    expect_term(m, 0, "refund");
    expect_term(m, 1, "late");
    expect_term(m, 2, "missing");
    cr_expect_eq(tfidf_term(m, "item", 4), UINT32_MAX);
    cr_expect_eq(tfidf_term(m, "the", 3), UINT32_MAX);
    cr_expect_eq(m->df[0], 3);
    cr_expect_eq(m->df[1], 2);
    EXPECT_NEAR(m->idf[0], 1.0);
    EXPECT_NEAR(m->idf[1], 1.2876820724517808);
    EXPECT_NEAR(m->idf[2], 1.2876820724517808);
    size_t r0 = row_of_doc[0], r1 = row_of_doc[1], r2 = row_of_doc[2];
    cr_expect_eq(m->rowptr[r0 + 1] - m->rowptr[r0], 2);
    expect_entry(m, r0, 0, 0, 2, 0.7959605415681652);
    expect_entry(m, r0, 1, 1, 1, 0.6053485081062916);
    cr_expect_eq(m->rowptr[r1 + 1] - m->rowptr[r1], 2);
    expect_entry(m, r1, 0, 0, 1, 0.6133555370249717);
    expect_entry(m, r1, 1, 2, 1, 0.7898069290660905);
    cr_expect_eq(m->rowptr[r2 + 1] - m->rowptr[r2], 3);
    expect_entry(m, r2, 0, 0, 1, 0.48133416873660545);
    expect_entry(m, r2, 1, 1, 1, 0.6198053799406072);
    expect_entry(m, r2, 2, 2, 1, 0.6198053799406072);
}

Test(tfidf, three_documents_by_hand)
{
    fixture f;
    make_col(&f, DOCS, 3);
    tfidf *m = NULL;
    err e = {0};
    tfidf_opts o = {.stop = f.stop};
    cr_assert_eq(tfidf_build(&m, &f.col, NULL, 3, &o, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m->nrows, 3);
    const size_t rows[] = {0, 1, 2};
    expect_three_docs(m, rows);
    tfidf_free(m);
    free_col(&f);
}

/* Same documents reached through a row list that reorders them; other rows are ignored. */
Test(tfidf, row_subset_reordered)
{
    const char *cells[] = {"late missing refund item", "ignored refund late", "refund missing the",
                           "Refund late, REFUND!", "ignored ignored"};
    fixture f;
    make_col(&f, cells, 5);
    const uint32_t rows[] = {3, 2, 0};
    tfidf *m = NULL;
    err e = {0};
    tfidf_opts o = {.stop = f.stop};
    cr_assert_eq(tfidf_build(&m, &f.col, rows, 3, &o, &e), E_OK, "%s", e.msg);
    const size_t row_of_doc[] = {0, 1, 2};
    expect_three_docs(m, row_of_doc);
    tfidf_free(m);
    free_col(&f);
}

/* A repeated text counts once per row in df; a missing text is an empty document.
 * Rows: "aa bb", "aa bb", missing, "bb cc". D = 4; df(bb) = 3, df(aa) = 2, df(cc) = 1
 * (dropped).
 * idf(b) = ln(5/4) + 1 = 1.2231435513142097, idf(a) = ln(5/3) + 1 = 1.5108256237659907.
 * Row "aa bb": norm = sqrt(1.51082562^2 + 1.22314355^2) = sqrt(2.28259407 + 1.49608015)
 *   = 1.94388122 -> b 0.62922751, a 0.77722116 (terms: 0 bb, 1 aa). Row "bb cc": bb alone -> 1. */
Test(tfidf, repeats_and_missing)
{
    const char *cells[] = {"aa bb", "aa bb", NULL, "bb cc"};
    fixture f;
    make_col(&f, cells, 4);
    tfidf *m = NULL;
    err e = {0};
    cr_assert_eq(tfidf_build(&m, &f.col, NULL, 4, NULL, &e), E_OK, "%s", e.msg);
    cr_assert_eq(m->nterms, 2);
    expect_term(m, 0, "bb");
    expect_term(m, 1, "aa");
    double ia = log(5.0 / 3.0) + 1, ib = log(5.0 / 4.0) + 1, n = sqrt(ia * ia + ib * ib);
    EXPECT_NEAR(m->idf[1], 1.5108256237659907);
    EXPECT_NEAR(m->idf[0], 1.2231435513142097);
    for (size_t r = 0; r < 2; r++) {
        expect_entry(m, r, 0, 0, 1, ib / n);
        expect_entry(m, r, 1, 1, 1, ia / n);
    }
    cr_expect(fabs(ib / n - 0.62922751) < 1e-8);
    cr_expect(fabs(ia / n - 0.77722116) < 1e-8);
    cr_expect_eq(m->rowptr[3], m->rowptr[2]); /* missing: empty */
    cr_expect_eq(m->rowptr[4] - m->rowptr[3], 1);
    expect_entry(m, 3, 0, 0, 1, 1.0);
    tfidf_free(m);
    free_col(&f);
}

/* max_terms keeps the highest df; among equal df the smaller bytes win. */
Test(tfidf, cap_by_df_then_bytes)
{
    const char *cells[] = {"zz yy xx ww", "zz yy xx ww", "zz yy", "zz"};
    fixture f;
    make_col(&f, cells, 4);
    tfidf *m = NULL;
    err e = {0};
    tfidf_opts o = {.max_terms = 3};
    cr_assert_eq(tfidf_build(&m, &f.col, NULL, 4, &o, &e), E_OK, "%s", e.msg);
    cr_assert_eq(m->nterms, 3);
    expect_term(m, 0, "zz"); /* df 4 */
    expect_term(m, 1, "yy"); /* df 3 */
    expect_term(m, 2, "ww"); /* df 2, "ww" < "xx" */
    tfidf_free(m);
    free_col(&f);
}

/* Single characters never enter the vocabulary, whatever their df; two-character words and
 * numbers do. "é" is one character in two bytes; "東京" two characters. */
Test(tfidf, single_characters_left_out)
{
    const char *cells[] = {"a é 7 ok 42 東京", "a é 7 ok 42 東京"};
    fixture f;
    make_col(&f, cells, 2);
    tfidf *m = NULL;
    err e = {0};
    cr_assert_eq(tfidf_build(&m, &f.col, NULL, 2, NULL, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m->nterms, 3);
    cr_expect_neq(tfidf_term(m, "ok", 2), UINT32_MAX);
    cr_expect_neq(tfidf_term(m, "42", 2), UINT32_MAX);
    cr_expect_neq(tfidf_term(m, "東京", strlen("東京")), UINT32_MAX);
    cr_expect_eq(tfidf_term(m, "a", 1), UINT32_MAX);
    cr_expect_eq(tfidf_term(m, "é", strlen("é")), UINT32_MAX);
    cr_expect_eq(tfidf_term(m, "7", 1), UINT32_MAX);
    tfidf_free(m);
    free_col(&f);
}

static int cancel_at_end(void *ctx, double done)
{
    (void)ctx;
    return done >= 1.0;
}

Test(tfidf, cancel_and_type)
{
    fixture f;
    make_col(&f, DOCS, 3);
    tfidf *m = NULL;
    err e = {0};
    tfidf_opts o = {.progress = cancel_at_end};
    cr_expect_eq(tfidf_build(&m, &f.col, NULL, 3, &o, &e), E_CANCEL);
    cr_expect_null(m);
    f.col.type = COL_CAT;
    cr_expect_eq(tfidf_build(&m, &f.col, NULL, 3, NULL, &e), E_TYPE);
    free_col(&f);
}
