/* The filter language on small files whose every answer is worked out by hand: each
 * operator, precedence, the derived fields, dates and zones, quoted names, regex flags, the
 * missing-value rules, every error message with its position, completion, quoting and the
 * caret formatting. Results are written as one character per row, "1" when selected. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "loader.h"
#include "outcome.h"
#include "roles.h"

typedef struct fixture {
    dataset *ds;
    roles r;
    outcome o;
    flt_ctx ctx;
    bool has_roles;
    char bits[1024];
} fixture;

/* Loads csv (text_cols: comma-separated column names forced to free text, or NULL) and
 * detects roles; ro may be NULL for the defaults. */
static void load(fixture *fx, const char *csv, const char *text_cols, const role_opts *ro)
{
    memset(fx, 0, sizeof *fx);
    ld_opts lo;
    ld_opts_init(&lo);
    const char *texts[8];
    char names[256] = "";
    size_t nt = 0;
    if (text_cols) {
        snprintf(names, sizeof names, "%s", text_cols);
        for (char *tok = strtok(names, ","); tok && nt < 8; tok = strtok(NULL, ","))
            texts[nt++] = tok;
        lo.text_cols = texts;
        lo.ntext_cols = nt;
    }
    err e = {0};
    cr_assert_eq(ld_csv_mem(&fx->ds, "t.csv", csv, strlen(csv), &lo, &e), E_OK, "%s", e.msg);
    role_opts def;
    role_opts_init(&def);
    cr_assert_eq(role_detect(&fx->r, fx->ds, ro ? ro : &def, &e), E_OK, "%s", e.msg);
    cr_assert_eq(out_build(&fx->o, fx->ds, &fx->r, &e), E_OK, "%s", e.msg);
    fx->has_roles = true;
    fx->ctx = (flt_ctx){.ds = fx->ds, .r = &fx->r, .o = &fx->o};
}

/* A file without label or prediction: no roles, no derived fields. */
static void load_plain(fixture *fx, const char *csv)
{
    memset(fx, 0, sizeof *fx);
    ld_opts lo;
    ld_opts_init(&lo);
    err e = {0};
    cr_assert_eq(ld_csv_mem(&fx->ds, "t.csv", csv, strlen(csv), &lo, &e), E_OK, "%s", e.msg);
    fx->ctx = (flt_ctx){.ds = fx->ds};
}

static void unload(fixture *fx)
{
    if (fx->has_roles) {
        out_done(&fx->o);
        role_done(&fx->r);
    }
    ds_free(fx->ds);
}

/* The rows an expression selects, as "0110...". */
static const char *sel(fixture *fx, const char *expr)
{
    filter *f = NULL;
    err e = {0};
    flt_error w = {0};
    err_code rc = flt_compile(&f, expr, &fx->ctx, &e, &w);
    cr_assert_eq(rc, E_OK, "%s -> %s (at %zu)", expr, e.msg, w.pos);
    cr_assert_str_eq(flt_text(f), expr);
    bitmap b;
    cr_assert_eq(bm_init(&b, fx->ds->nrows, true, &e), E_OK);
    cr_assert_eq(flt_eval(f, &b, &e), E_OK, "%s -> %s", expr, e.msg);
    for (size_t i = 0; i < fx->ds->nrows; i++)
        fx->bits[i] = bm_get(&b, i) ? '1' : '0';
    fx->bits[fx->ds->nrows] = '\0';
    bm_done(&b);
    flt_free(f);
    return fx->bits;
}

#define SEL(fx, expr, want) cr_assert_str_eq(sel(fx, expr), want, "%s", expr)

/* The error an expression gives: code, position, length and the whole message. */
static void fails(fixture *fx, const char *expr, err_code code, size_t pos, size_t len,
                  const char *msg)
{
    filter *f = NULL;
    err e = {0};
    flt_error w = {77, 77};
    err_code rc = flt_compile(&f, expr, &fx->ctx, &e, &w);
    cr_assert_null(f, "%s compiled", expr);
    cr_assert_eq(rc, code, "%s: code %s, want %s (%s)", expr, err_name(rc), err_name(code), e.msg);
    cr_assert_eq(e.code, code);
    cr_assert_str_eq(e.msg, msg, "%s", expr);
    cr_assert_eq(w.pos, pos, "%s: pos %zu, want %zu (%s)", expr, w.pos, pos, e.msg);
    cr_assert_eq(w.len, len, "%s: len %zu, want %zu (%s)", expr, w.len, len, e.msg);
}

/* Ten e-mails. Hand-worked facts used below:
 * row  subject          body (words)                  group     date (UTC)        links p_spam label pred outcome
 *  1   Win money now    Click to unsubscribe today(4) spam      2002-08-01 10:00  3     0.95   spam  spam TP
 *  2   Meeting at noon  See you at the meeting (5)    easy_ham  2002-08-01 23:30  0     0.10   ham   ham  TN
 *  3   Re: project      UNSUBSCRIBE me please (3)     hard_ham  2002-08-02 00:00  1     0.85   ham   spam FP
 *  4   Cheap meds       Buy cheap meds online (4)     spam      2002-08-03 12:00  5     0.40   spam  ham  FN
 *  5   (missing)        Hello\nthere (2)              easy_ham  (missing)         2     0.20   ham   ham  TN
 *  6   Lunch?           (missing)                     easy_ham  2002-07-31 08:00  (m)   0.05   ham   ham  TN
 *  7   Free offer       Limited time offer (3)        spam      2002-08-05 00:00  4     0.99   spam  spam TP
 *  8   Status report    Weekly status attached (3)    hard_ham  2001-12-31 23:59:59 0   0.55   ham   spam FP
 *  9   Café news        Les nouvelles du café (4)     easy_ham  2002-08-04 09:15  1     0.30   ham   ham  TN
 * 10   Prize            You won a prize (4)           spam      2002-08-06 18:00  2     0.70   spam  spam TP
 * Errors: rows 3, 4, 8. Confidence max(p, 1-p); margin |2p - 1|. */
static const char SPAM_CSV[] =
    "id,subject,body,corpus_group,date,links,prob_spam,prob_ham,label,prediction\n"
    "1,Win money now,Click to unsubscribe today,spam,2002-08-01T10:00:00Z,3,0.95,0.05,spam,spam\n"
    "2,Meeting at noon,See you at the meeting,easy_ham,2002-08-01T23:30:00Z,0,0.10,0.90,ham,ham\n"
    "3,Re: project,UNSUBSCRIBE me please,hard_ham,2002-08-02T00:00:00Z,1,0.85,0.15,ham,spam\n"
    "4,Cheap meds,Buy cheap meds online,spam,2002-08-03T12:00:00Z,5,0.40,0.60,spam,ham\n"
    "5,,\"Hello\nthere\",easy_ham,,2,0.20,0.80,ham,ham\n"
    "6,Lunch?,,easy_ham,2002-07-31T08:00:00Z,,0.05,0.95,ham,ham\n"
    "7,Free offer,Limited time offer,spam,2002-08-05T00:00:00Z,4,0.99,0.01,spam,spam\n"
    "8,Status report,Weekly status attached,hard_ham,2001-12-31T23:59:59Z,0,0.55,0.45,ham,spam\n"
    "9,Café news,Les nouvelles du café,easy_ham,2002-08-04T09:15:00Z,1,0.30,0.70,ham,ham\n"
    "10,Prize,You won a prize,spam,2002-08-06T18:00:00Z,2,0.70,0.30,spam,spam\n";

static fixture fx;

static void spam_setup(void)
{
    load(&fx, SPAM_CSV, "subject,body", NULL);
    cr_assert_eq(fx.ds->cols[1].type, COL_TEXT);
    cr_assert_eq(fx.ds->cols[3].type, COL_CAT);
    cr_assert_eq(fx.ds->cols[4].type, COL_TIME);
    cr_assert_eq(fx.ds->cols[5].type, COL_NUM);
    cr_assert_eq(fx.r.task, TASK_BINARY);
}

static void teardown(void)
{
    unload(&fx);
}

TestSuite(flt, .fini = teardown);

/* ---- comparisons ---- */

Test(flt, numeric_comparisons, .init = spam_setup)
{
    SEL(&fx, "links > 2", "1001001000");
    SEL(&fx, "links >= 2", "1001101001");
    SEL(&fx, "links < 1", "0100000100");
    SEL(&fx, "links <= 1", "0110000110");
    SEL(&fx, "links == 0", "0100000100");
    SEL(&fx, "links != 0", "1011101011"); /* row 6 (missing) is not != 0 */
    SEL(&fx, "links = 0", "0100000100");  /* a single = is == */
    SEL(&fx, "links <> 0", "1011101011");
    SEL(&fx, "links == 3.0", "1000000000");
    SEL(&fx, "links > -1", "1111101111");
    SEL(&fx, "links < 3e0", "0110100111");
    SEL(&fx, "prob_spam == 0.85", "0010000000"); /* exact double comparison */
    SEL(&fx, "prob_spam > .9", "1000001000");
}

Test(flt, value_on_the_left_is_mirrored, .init = spam_setup)
{
    SEL(&fx, "2 < links", "1001001000");
    SEL(&fx, "2 >= links", "0110100111");
    SEL(&fx, "0 == links", "0100000100");
    SEL(&fx, "\"spam\" == corpus_group", "1001001001");
}

Test(flt, in_and_between, .init = spam_setup)
{
    SEL(&fx, "links in {0, 5}", "0101000100");
    SEL(&fx, "links in {5, 0, 5,}", "0101000100");
    SEL(&fx, "links not in {0, 5}", "1010101011");
    SEL(&fx, "links between 1 and 3", "1010100011");
    SEL(&fx, "links not between 1 and 3", "0101001100");
    SEL(&fx, "links between 3 and 1", "0000000000"); /* empty range */
    SEL(&fx, "links BETWEEN 1 AND 3", "1010100011");
    SEL(&fx, "links between 1 && 3", "1010100011");
}

Test(flt, text_equality_and_sets, .init = spam_setup)
{
    SEL(&fx, "corpus_group == \"spam\"", "1001001001");
    SEL(&fx, "corpus_group == 'hard_ham'", "0010000100");
    SEL(&fx, "corpus_group == spam", "1001001001"); /* a bare word is a value */
    SEL(&fx, "corpus_group != spam", "0110110110");
    SEL(&fx, "corpus_group in {easy_ham, \"hard_ham\"}", "0110110110");
    SEL(&fx, "corpus_group not in {spam}", "0110110110");
    SEL(&fx, "corpus_group == \"Spam\"", "0000000000"); /* case-sensitive */
    SEL(&fx, "corpus_group == nothing_like_this", "0000000000");
    SEL(&fx, "corpus_group != nothing_like_this", "1111111111");
    SEL(&fx, "subject == \"Café news\"", "0000000010");
    SEL(&fx, "subject != \"Prize\"", "1111011110"); /* row 5 missing */
    SEL(&fx, "body == \"Hello\\nthere\"", "0000100000");
    SEL(&fx, "subject in {Prize, \"Lunch?\"}", "0000010001");
}

Test(flt, regexes_and_flags, .init = spam_setup)
{
    SEL(&fx, "body =~ /unsubscribe/", "1000000000");
    SEL(&fx, "body =~ /unsubscribe/i", "1010000000");
    SEL(&fx, "body ~ /unsubscribe/i", "1010000000");
    SEL(&fx, "body =~ \"unsubscribe\"", "1000000000");
    SEL(&fx, "body !~ /unsubscribe/i", "0101101111"); /* row 6 (missing) never matches */
    SEL(&fx, "!(body =~ /unsubscribe/i)", "0101111111");
    SEL(&fx, "subject =~ /^re:/i", "0010000000");
    SEL(&fx, "body =~ /^there/", "0000000000");
    SEL(&fx, "body =~ /^there/m", "0000100000");
    SEL(&fx, "body =~ /hello.there/i", "0000000000");
    SEL(&fx, "body =~ /hello.there/is", "0000100000");
    SEL(&fx, "body =~ /h e l l o/xi", "0000100000");
    SEL(&fx, "body =~ /\\bcafé\\b/", "0000000010");
    SEL(&fx, "body =~ /CAFÉ/i", "0000000010");
    SEL(&fx, "subject =~ /\\?$/", "0000010000");
    SEL(&fx, "body =~ /a\\/b|offer/", "0000001000");
    SEL(&fx, "body =~ //", "1111101111");
    SEL(&fx, "corpus_group =~ /_ham$/", "0110110110");
    SEL(&fx, "label =~ /^sp/", "1001001001");
}

Test(flt, the_product_brief_example, .init = spam_setup)
{
    /* corpus_group == "hard_ham" && body =~ /unsubscribe/i && prob_spam > 0.8 */
    SEL(&fx, "corpus_group == \"hard_ham\" && body =~ /unsubscribe/i && prob_spam > 0.8",
        "0010000000");
}

Test(flt, logic_and_precedence, .init = spam_setup)
{
    /* label spam: 1 4 7 10; error: 3 4 8; links == 0: 2 8; links > 2: 1 4 7 */
    SEL(&fx, "label == spam || error && links == 0", "1001001101");
    SEL(&fx, "(label == spam || error) && links == 0", "0000000100");
    SEL(&fx, "!error && links > 2", "1000001000");
    SEL(&fx, "!(error && links > 2)", "1110111111");
    SEL(&fx, "not error and links > 2 or row == 4", "1001001000");
    SEL(&fx, "NOT error AND links > 2 OR row == 4", "1001001000");
    SEL(&fx, "error || links > 2 && label == ham", "0011000100");
    SEL(&fx, "(error || links > 2) && label == ham", "0010000100");
    SEL(&fx, "! links > 2", "0110110111"); /* ! applies to the whole comparison */
    SEL(&fx, "!!error", "0011000100");
    SEL(&fx, "((((error))))", "0011000100");
    SEL(&fx, "error && error && correct", "0000000000");
    SEL(&fx, "error || correct", "1111111111");
    SEL(&fx, "true", "1111111111");
    SEL(&fx, "false", "0000000000");
    SEL(&fx, "false || links == 5", "0001000000");
    SEL(&fx, "!false && true", "1111111111");
}

Test(flt, booleans_compare_with_booleans, .init = spam_setup)
{
    SEL(&fx, "error == true", "0011000100");
    SEL(&fx, "error == false", "1100111011");
    SEL(&fx, "error != false", "0011000100");
    SEL(&fx, "false == error", "1100111011");
    SEL(&fx, "missing(subject) == false", "1111011111");
    /* links > 2 (1 4 7) against error (3 4 8); missing links is just false */
    SEL(&fx, "(links > 2) == error", "0101110011");
    SEL(&fx, "(links > 2) != error", "1010001100");
    SEL(&fx, "error == (body =~ /x/)", "1100111011");
}

Test(flt, fields_against_fields, .init = spam_setup)
{
    SEL(&fx, "score[spam] > score[ham]", "1010001101");
    SEL(&fx, "label == pred", "1100111011");
    SEL(&fx, "label != pred", "0011000100");
    SEL(&fx, "links < row", "0110101111");
    SEL(&fx, "corpus_group == label", "1001001001");
    SEL(&fx, "corpus_group != label", "0110110110");
}

/* ---- derived fields ---- */

Test(flt, label_pred_error_correct, .init = spam_setup)
{
    SEL(&fx, "label == \"spam\"", "1001001001");
    SEL(&fx, "pred == spam", "1010001101");
    SEL(&fx, "prediction == spam", "1010001101");
    SEL(&fx, "error", "0011000100");
    SEL(&fx, "correct", "1100111011");
    SEL(&fx, "label in {ham}", "0110110110");
}

Test(flt, outcome_binary, .init = spam_setup)
{
    SEL(&fx, "outcome == FP", "0010000100");
    SEL(&fx, "outcome == \"tp\"", "1000001001");
    SEL(&fx, "outcome in {TN, fn}", "0101110010");
    SEL(&fx, "outcome != TN", "1011001101");
    SEL(&fx, "outcome =~ /^F/", "0011000100");
}

Test(flt, scores_confidence_margin_loss, .init = spam_setup)
{
    SEL(&fx, "confidence > 0.9", "1000011000");
    SEL(&fx, "margin < 0.5", "0001000111");
    SEL(&fx, "score[spam] > 0.5", "1010001101");
    SEL(&fx, "score[\"ham\"] >= 0.9", "0100010000");
    SEL(&fx, "score[`ham`] >= 0.9", "0100010000");
    SEL(&fx, "score[SPAM] > 0.5", "1010001101"); /* class names fall back to any case */
    /* loss = -ln p(true): rows 3 (0.15), 4 (0.40) and 8 (0.45) are above 0.5 */
    SEL(&fx, "loss > 0.5", "0011000100");
}

Test(flt, row_len_tokens_missing, .init = spam_setup)
{
    SEL(&fx, "row <= 3", "1110000000");
    SEL(&fx, "row == 10", "0000000001");
    SEL(&fx, "row between 2 and 3", "0110000000");
    SEL(&fx, "len(subject) > 10", "1110000100");
    SEL(&fx, "len(subject) == 9", "0000000010"); /* "Café news": 9 characters, 10 bytes */
    SEL(&fx, "len(subject) == 0", "0000000000"); /* missing is not empty */
    SEL(&fx, "tokens(body) == 4", "1001000011");
    SEL(&fx, "tokens(body) in {2, 3}", "0010101100");
    SEL(&fx, "tokens(body) < len(corpus_group)", "0110101110");
    SEL(&fx, "missing(subject)", "0000100000");
    SEL(&fx, "missing(body)", "0000010000");
    SEL(&fx, "missing(date)", "0000100000");
    SEL(&fx, "missing(links)", "0000010000");
    SEL(&fx, "missing(label)", "0000000000");
    SEL(&fx, "missing(len(body))", "0000010000");
    SEL(&fx, "!missing(links) && links != 0", "1011101011");
    SEL(&fx, "len(label) == 4", "1001001001");
    SEL(&fx, "len(outcome) == 2", "1111111111");
}

Test(flt, time_derived_field, .init = spam_setup)
{
    SEL(&fx, "time < 2002-08-01", "0000010100"); /* the time column is "date" */
}

/* ---- dates ---- */

Test(flt, dates_are_whole_days, .init = spam_setup)
{
    SEL(&fx, "date >= 2002-08-02", "0011001011");
    SEL(&fx, "date > 2002-08-01", "0011001011");
    SEL(&fx, "date <= 2002-08-01", "1100010100");
    SEL(&fx, "date < 2002-08-01", "0000010100");
    SEL(&fx, "date == 2002-08-01", "1100000000");
    SEL(&fx, "date != 2002-08-01", "0011011111");
    SEL(&fx, "date between 2002-08-01 and 2002-08-03", "1111000000");
    SEL(&fx, "date not between 2002-08-01 and 2002-08-03", "0000011111");
    SEL(&fx, "date in {2002-08-01, 2002-08-05}", "1100001000");
    SEL(&fx, "date in {2002-08-01, 2002-08-01T23:30, 2002-08-02}", "1110000000");
    SEL(&fx, "date == \"2002-08-01\"", "1100000000");
}

Test(flt, date_times_and_zones, .init = spam_setup)
{
    SEL(&fx, "date >= 2002-08-01T23:00", "0111001011");
    SEL(&fx, "date == 2002-08-01T10:00", "1000000000");
    SEL(&fx, "date == 2002-08-01T10:00:00.000Z", "1000000000");
    SEL(&fx, "date == 2002-08-01t10:00:00z", "1000000000");
    SEL(&fx, "date == 2002-08-02T02:00+02:00", "0010000000");
    fails(&fx, "date == 2002-08-02T0200", E_PARSE, 8, 15,
          "invalid date '2002-08-02T0200': expected a time like 13:45 or 13:45:30");
    SEL(&fx, "date < 2002-08-01T12:00:00+02:00", "0000010100");
    SEL(&fx, "date <= 2002-08-01T05:00-05:00", "1000010100");
    SEL(&fx, "date == 2002-08-01T15:30+0530", "1000000000");
    SEL(&fx, "date == 2002-08-01T13:00+03", "1000000000");
    SEL(&fx, "date > 2002-08-01T23:30", "0011001011");
    SEL(&fx, "date < 1009843200", "0000000100"); /* epoch seconds of 2002-01-01 */
    SEL(&fx, "date == \"2001-12-31T23:59:59Z\"", "0000000100");
    SEL(&fx, "date < 2002-01-01 || date > 2002-08-05", "0000000101");
}

Test(flt, old_years_work)
{
    load_plain(&fx, "d,v\n0102-03-04T05:06:07Z,1\n1969-12-31T23:59:59Z,2\n1970-01-01,3\n");
    cr_assert_eq(fx.ds->cols[0].type, COL_TIME);
    SEL(&fx, "d == 0102-03-04T05:06:07Z", "100");
    SEL(&fx, "d < 1970-01-01", "110");
    SEL(&fx, "d == 1969-12-31", "010");
    SEL(&fx, "d == 0", "001");
    SEL(&fx, "d == -1", "010");
}

/* ---- names ---- */

/* Adult-style names with symbols. Classes "<=50K" < ">50K" in byte order; positive >50K.
 * row 1 TN, row 2 TP, row 3 FN, row 4 TN. */
static const char ADULT_CSV[] =
    "row_id,age,education-num,marital status,proba_<=50K,proba_>50K,y_true,y_pred\n"
    "1,25,13,Never-married,0.9,0.1,<=50K,<=50K\n"
    "2,40,9,Married,0.3,0.7,>50K,>50K\n"
    "3,50,14,Married,0.6,0.4,>50K,<=50K\n"
    "4,30,10,Divorced,0.8,0.2,<=50K,<=50K\n";

static void adult_setup(void)
{
    load(&fx, ADULT_CSV, NULL, NULL);
}

Test(flt, backquoted_and_hyphenated_names, .init = adult_setup)
{
    SEL(&fx, "`proba_<=50K` > 0.5", "1011");
    SEL(&fx, "`education-num` >= 13", "1010");
    SEL(&fx, "education-num >= 13", "1010");
    SEL(&fx, "`marital status` == Married", "0110");
    SEL(&fx, "`marital status` == Never-married", "1000");
    SEL(&fx, "`MARITAL STATUS` == Divorced", "0001"); /* then any case */
    SEL(&fx, "AGE > 30", "0110");
    SEL(&fx, "score[\"<=50K\"] > 0.5", "1011");
    SEL(&fx, "score[`>50K`] > 0.5", "0100");
    SEL(&fx, "label == \"<=50K\"", "1001");
    SEL(&fx, "label == \">50K\" && pred == \"<=50K\"", "0010");
    SEL(&fx, "outcome == FN", "0010");
    SEL(&fx, "outcome == TN", "1001");
}

Test(flt, a_real_column_wins_over_a_derived_name)
{
    /* "error" and "row" are real columns here; "label" is the label column anyway */
    load(&fx,
         "id,error,row,label,prediction\n"
         "1,5,x,a,a\n"
         "2,7,y,b,a\n",
         NULL, NULL);
    SEL(&fx, "error > 6", "01");
    SEL(&fx, "row == x", "10");
    SEL(&fx, "label == b", "01");
    SEL(&fx, "correct", "10");
    fails(&fx, "error", E_TYPE, 0, 5,
          "'error' is a number, not a condition: compare it, as in error > 0");
}

Test(flt, backquotes_never_mean_derived_fields, .init = spam_setup)
{
    fails(&fx, "`error`", E_PARSE, 0, 7, "unknown column 'error'");
    SEL(&fx, "`LABEL` == ham", "0110110110"); /* the column named label, any case */
}

Test(flt, a_name_with_a_backquote)
{
    load_plain(&fx, "a`b,v\n1,x\n2,y\n");
    SEL(&fx, "`a``b` == 2", "01");
}

/* ---- numeric classes and other tasks ---- */

Test(flt, numeric_classes)
{
    load(&fx,
         "id,y_true,y_pred,prob_0,prob_1\n"
         "1,0,0,0.8,0.2\n"
         "2,1,1,0.3,0.7\n"
         "3,1,0,0.6,0.4\n",
         NULL, NULL);
    cr_assert_eq(fx.r.task, TASK_BINARY);
    SEL(&fx, "label == 1", "011");
    SEL(&fx, "label == 1.0", "011");
    SEL(&fx, "label == \"1\"", "011");
    SEL(&fx, "label > 0", "011");
    SEL(&fx, "label between 1 and 1", "011");
    SEL(&fx, "pred in {0}", "101");
    SEL(&fx, "score[1] > 0.5", "010");
    SEL(&fx, "outcome == FN", "001");
    SEL(&fx, "y_true == 1", "011"); /* the column itself is numeric */
}

Test(flt, multiclass)
{
    /* margins: 0.5, 0.3, 0.4, 0.1 */
    load(&fx,
         "id,target,predicted,score_A,score_B,score_C\n"
         "1,A,A,0.7,0.2,0.1\n"
         "2,B,C,0.1,0.3,0.6\n"
         "3,C,C,0.2,0.2,0.6\n"
         "4,A,B,0.4,0.5,0.1\n",
         NULL, NULL);
    cr_assert_eq(fx.r.task, TASK_MULTICLASS);
    SEL(&fx, "margin < 0.35", "0101");
    SEL(&fx, "score[B] >= 0.3", "0101");
    SEL(&fx, "label in {A, B}", "1101");
    SEL(&fx, "error", "0101");
    SEL(&fx, "confidence >= 0.6", "1110");
    fails(&fx, "outcome == TP", E_TYPE, 0, 7,
          "outcome is not available: outcome (TP, FP, TN, FN) needs a binary task");
    fails(&fx, "score[D] > 0", E_PARSE, 6, 1, "unknown class 'D'; the classes are A, B, C");
}

/* One score column for the positive class, named "score": p for spam, 1 - p for ham. */
Test(flt, single_score_column)
{
    load(&fx,
         "id,label,prediction,score\n"
         "1,ham,ham,0.2\n"
         "2,spam,spam,0.9\n"
         "3,spam,ham,0.4\n"
         "4,ham,spam,0.6\n",
         NULL, NULL);
    cr_assert_eq(fx.r.task, TASK_BINARY);
    SEL(&fx, "score > 0.5", "0101"); /* the column */
    SEL(&fx, "score[spam] > 0.5", "0101");
    SEL(&fx, "score[ham] > 0.5", "1010");
    SEL(&fx, "confidence > 0.75", "1100");
    SEL(&fx, "margin < 0.3", "0011");
    SEL(&fx, "score[ham] < score", "0101");
    SEL(&fx, "outcome == FP", "0001");
}

Test(flt, text_columns_compared_with_each_other)
{
    load_plain(&fx, "a,b,c\nx,x,x y\ny,z,z w\nz,y,x y\n,x,\nw,w,w\n");
    SEL(&fx, "a == b", "10001");
    SEL(&fx, "a != b", "01100");
    SEL(&fx, "b == a", "10001");
    SEL(&fx, "c == \"x y\" && a == b", "10000");
    SEL(&fx, "c != a", "11100");
}

Test(flt, regression)
{
    /* abs errors 100, 1000, 100, ?, 20; failing above 50: rows 1-3; row 4 unknown */
    role_opts ro;
    role_opts_init(&ro);
    ro.fail_above = 50;
    ro.task = TASK_REGRESSION;
    load(&fx,
         "id,carat,price,pred_price\n"
         "1,0.5,1000,1100\n"
         "2,1.0,5000,4000\n"
         "3,1.5,8000,8100\n"
         "4,2.0,,9000\n"
         "5,0.3,500,520\n",
         NULL, &ro);
    cr_assert_eq(fx.r.task, TASK_REGRESSION);
    SEL(&fx, "label > 1000", "01100");
    SEL(&fx, "pred > 1000", "11110");
    SEL(&fx, "label < pred", "10101");
    SEL(&fx, "error", "11100");
    SEL(&fx, "correct", "00001");
    SEL(&fx, "!error", "00011"); /* unknown rows are rows */
    SEL(&fx, "!error && !correct", "00010");
    SEL(&fx, "loss > 500", "01000");
    SEL(&fx, "missing(label)", "00010");
    fails(&fx, "label == \"x\"", E_TYPE, 9, 3, "'label' compares with numbers, not text");
    fails(&fx, "outcome == TP", E_TYPE, 0, 7,
          "outcome is not available: outcome (TP, FP, TN, FN) needs a binary task");
    fails(&fx, "confidence > 0.5", E_TYPE, 0, 10,
          "confidence is not available: this file is a regression, with no class scores");
    fails(&fx, "score[x] > 0", E_TYPE, 0, 5,
          "score is not available: this file is a regression, with no class scores");
    fails(&fx, "label =~ /1/", E_TYPE, 6, 2, "=~ needs text; 'label' is not text");
}

Test(flt, classification_without_scores)
{
    load(&fx, "id,label,prediction\n1,a,a\n2,a,b\n", NULL, NULL);
    SEL(&fx, "error", "01");
    fails(&fx, "confidence > 0.5", E_TYPE, 0, 10,
          "confidence is not available: this file has no class scores");
    fails(&fx, "loss > 0.5", E_TYPE, 0, 4, "loss is not available: this file has no class scores");
    fails(&fx, "margin > 0.5", E_TYPE, 0, 6, "margin is not available: this file has no class scores");
}

Test(flt, no_roles_means_no_derived_fields)
{
    load_plain(&fx, "a,b\n1,x\n2,y\n3,\n");
    SEL(&fx, "a >= 2 && missing(b)", "001");
    SEL(&fx, "row > 1", "011");
    fails(&fx, "label == x", E_TYPE, 0, 5,
          "label is not available: the label and prediction columns are not known");
    fails(&fx, "time > 0", E_TYPE, 0, 4, "time is not available: no time column was found");
}

/* ---- missing values ---- */

Test(flt, missing_values_satisfy_nothing, .init = spam_setup)
{
    /* row 5: subject and date missing; row 6: body and links missing */
    SEL(&fx, "subject != \"x\"", "1111011111");
    SEL(&fx, "subject !~ /x/", "1111011111");
    SEL(&fx, "subject not in {x}", "1111011111");
    SEL(&fx, "links not between 100 and 200", "1111101111");
    SEL(&fx, "date != 2002-08-01", "0011011111");
    SEL(&fx, "!(links == 1)", "1101111101");
    SEL(&fx, "links != 1 || missing(links)", "1101111101");
    SEL(&fx, "len(body) != 3", "1111101111");
    SEL(&fx, "subject != body", "1111001111");
}

/* ---- errors ---- */

Test(flt, error_empty, .init = spam_setup)
{
    fails(&fx, "", E_PARSE, 0, 0, "empty filter");
    fails(&fx, "   \t\n", E_PARSE, 0, 0, "empty filter");
}

Test(flt, error_unknown_column_suggests, .init = spam_setup)
{
    fails(&fx, "prob_spma > 0.8", E_PARSE, 0, 9,
          "unknown column 'prob_spma'; did you mean prob_spam, prob_ham?");
    /* the brief's example with a typo: "corpus_group == \"hard_ham\" && " is 30 bytes and
     * "body =~ /unsubscribe/i && " 26 more */
    fails(&fx, "corpus_group == \"hard_ham\" && body =~ /unsubscribe/i && prob_spma > 0.8",
          E_PARSE, 56, 9, "unknown column 'prob_spma'; did you mean prob_spam, prob_ham?");
    fails(&fx, "lnks > 2", E_PARSE, 0, 4, "unknown column 'lnks'; did you mean links, loss?");
    fails(&fx, "erorr", E_PARSE, 0, 5, "unknown column 'erorr'; did you mean error?");
    fails(&fx, "xyz == 1", E_PARSE, 0, 3, "unknown column 'xyz'");
    fails(&fx, "links > 1 && x.y == 1", E_PARSE, 13, 3, "unknown column 'x.y'");
    fails(&fx, "links > nolinks", E_PARSE, 8, 7, "unknown column 'nolinks'; did you mean links?");
}

Test(flt, error_suggestions_are_quoted, .init = adult_setup)
{
    /* without backquotes the name stops at '<' */
    fails(&fx, "proba_<=50K > 0.5", E_PARSE, 8, 3, "invalid number '50K'");
    fails(&fx, "`proba_<=5K` > 1", E_PARSE, 0, 12,
          "unknown column 'proba_<=5K'; did you mean `proba_<=50K`, `proba_>50K`?");
    fails(&fx, "education_num > 1", E_PARSE, 0, 13,
          "unknown column 'education_num'; did you mean education-num?");
}

Test(flt, error_types, .init = spam_setup)
{
    fails(&fx, "subject < \"m\"", E_TYPE, 8, 1,
          "cannot compare text column 'subject' with <; use == or =~");
    fails(&fx, "corpus_group >= spam", E_TYPE, 13, 2,
          "cannot compare category column 'corpus_group' with >=; use == or =~");
    fails(&fx, "label > ham", E_TYPE, 6, 1,
          "cannot compare category column 'label' with >; use == or =~");
    fails(&fx, "pred > ham", E_TYPE, 5, 1, "cannot compare 'pred' with >; use == or =~");
    fails(&fx, "links == \"abc\"", E_TYPE, 9, 5,
          "numeric column 'links' compares with numbers, not text");
    fails(&fx, "links > 2002-01-01", E_TYPE, 8, 10,
          "numeric column 'links' compares with numbers, not a date");
    fails(&fx, "links == true", E_TYPE, 9, 4,
          "numeric column 'links' compares with numbers, not true/false");
    fails(&fx, "links in {1, \"a\"}", E_TYPE, 13, 3,
          "numeric column 'links' compares with numbers, not text");
    fails(&fx, "links in {1, a}", E_TYPE, 13, 1,
          "numeric column 'links' compares with numbers, not text");
    fails(&fx, "subject == 2024-01-01", E_TYPE, 11, 10,
          "text column 'subject' compares with text: quote the value, as in \"2024-01-01\"");
    fails(&fx, "subject == false", E_TYPE, 11, 5,
          "text column 'subject' compares with text: quote the value, as in \"false\"");
    fails(&fx, "date > \"yesterday\"", E_TYPE, 7, 11,
          "time column 'date' compares with dates like 2024-05-01; \"yesterday\" is not one");
    fails(&fx, "date > true", E_TYPE, 7, 4,
          "time column 'date' compares with dates like 2024-05-01 or numbers, not true/false");
    fails(&fx, "links < subject", E_TYPE, 6, 1,
          "cannot compare numeric column 'links' with text column 'subject'");
    fails(&fx, "subject < body", E_TYPE, 8, 1,
          "cannot compare text column 'subject' with <; use == or =~");
    fails(&fx, "date < links", E_TYPE, 5, 1,
          "cannot compare time column 'date' with numeric column 'links'");
    fails(&fx, "links =~ /3/", E_TYPE, 6, 2, "=~ needs text; numeric column 'links' is not text");
    fails(&fx, "date !~ /3/", E_TYPE, 5, 2, "!~ needs text; time column 'date' is not text");
    fails(&fx, "subject between 1 and 2", E_TYPE, 8, 7,
          "cannot use between with text column 'subject'; use in or =~");
    fails(&fx, "links between 1 and links", E_TYPE, 20, 5,
          "between takes values as bounds, as in x between 1 and 5");
    fails(&fx, "outcome == XX", E_TYPE, 11, 2, "outcome is one of TP, FP, TN, FN");
}

Test(flt, error_not_a_condition, .init = spam_setup)
{
    fails(&fx, "links", E_TYPE, 0, 5,
          "'links' is a number, not a condition: compare it, as in links > 0");
    fails(&fx, "subject", E_TYPE, 0, 7,
          "'subject' is text, not a condition: compare it, as in subject == \"x\" or "
          "subject =~ /x/");
    fails(&fx, "date", E_TYPE, 0, 4,
          "'date' is a time, not a condition: compare it, as in date >= 2024-01-01");
    fails(&fx, "error && len(body)", E_TYPE, 9, 9,
          "'len(body)' is a number, not a condition: compare it, as in len(body) > 0");
    fails(&fx, "\"spam\"", E_TYPE, 0, 6, "a value alone is not a condition: compare a column with it");
    fails(&fx, "3", E_TYPE, 0, 1, "a value alone is not a condition: compare a column with it");
    fails(&fx, "1 == 2", E_TYPE, 0, 6, "both sides are values: compare a column with a value");
    fails(&fx, "!(links)", E_TYPE, 2, 5,
          "'links' is a number, not a condition: compare it, as in links > 0");
}

Test(flt, error_booleans, .init = spam_setup)
{
    fails(&fx, "error > 1", E_TYPE, 6, 1, "true/false values compare only with == and !=");
    fails(&fx, "error == 1", E_TYPE, 9, 1,
          "'error' is true or false: compare it with true or false, or use it alone");
    fails(&fx, "links == error", E_TYPE, 0, 5,
          "'error' is true or false: compare it with true or false, or use it alone");
    fails(&fx, "error in {true}", E_TYPE, 6, 2, "'error' is true or false: use == true or == false");
    fails(&fx, "3 in {3}", E_TYPE, 0, 1, "in needs a column on its left");
    fails(&fx, "missing(error)", E_TYPE, 8, 5, "missing() takes a column; 'error' is never missing");
}

Test(flt, error_functions_and_classes, .init = spam_setup)
{
    fails(&fx, "len(links) > 3", E_TYPE, 4, 5,
          "len() counts characters in text; numeric column 'links' is not text");
    fails(&fx, "tokens(date) > 3", E_TYPE, 7, 4,
          "tokens() counts words in text; time column 'date' is not text");
    fails(&fx, "len(\"abc\") > 3", E_TYPE, 4, 5, "len() takes a column, not a value");
    fails(&fx, "foo(body) > 1", E_PARSE, 0, 3,
          "unknown function 'foo'; the functions are len, tokens and missing");
    fails(&fx, "len > 3", E_PARSE, 0, 3, "len is a function: write len(column)");
    fails(&fx, "len() > 3", E_PARSE, 0, 5, "len() needs a column, as in len(body)");
    fails(&fx, "len(body > 3", E_PARSE, 9, 1, "expected ')', not '>'");
    fails(&fx, "score[spma] > 0.5", E_PARSE, 6, 4, "unknown class 'spma'; the classes are ham, spam");
    fails(&fx, "score > 0.5", E_PARSE, 0, 5, "score needs a class, as in score[spam]");
    fails(&fx, "score[] > 0.5", E_PARSE, 6, 1, "expected a class name in [ ], not ']'");
    fails(&fx, "score[spam > 0.5", E_PARSE, 11, 1, "expected ']', not '>'");
    fails(&fx, "links[1] > 0", E_PARSE, 0, 8, "only score takes a class in [ ], as in score[spam]");
}

Test(flt, error_syntax, .init = spam_setup)
{
    fails(&fx, "links > ", E_PARSE, 8, 0, "expected a value after '>'");
    fails(&fx, "links > 2 &&", E_PARSE, 12, 0, "expected a condition after '&&'");
    fails(&fx, "links > 2 or", E_PARSE, 12, 0, "expected a condition after 'or'");
    fails(&fx, "!", E_PARSE, 1, 0, "expected a condition after '!'");
    fails(&fx, "(", E_PARSE, 1, 0, "expected a condition after '('");
    fails(&fx, "()", E_PARSE, 0, 2, "empty parentheses: put a condition inside");
    fails(&fx, "(links > 2", E_PARSE, 0, 1, "unclosed '(': add ')'");
    fails(&fx, "((links > 2) && error", E_PARSE, 0, 1, "unclosed '(': add ')'");
    fails(&fx, "(links > 2 error)", E_PARSE, 11, 5, "expected ')' or an operator, not 'error'");
    fails(&fx, "links > 2)", E_PARSE, 9, 1, "unmatched ')'");
    fails(&fx, ")", E_PARSE, 0, 1, "unexpected ')'");
    fails(&fx, "links > )", E_PARSE, 8, 1, "unexpected ')'");
    fails(&fx, "links > == 3", E_PARSE, 8, 2, "expected a column or a value, not '=='");
    fails(&fx, "links > 2 links", E_PARSE, 10, 5,
          "unexpected 'links': expected && or || or the end of the filter");
    fails(&fx, "label spam", E_PARSE, 6, 4,
          "expected an operator (==, <, in, =~, ...) before 'spam'");
    fails(&fx, "1 < links < 3", E_PARSE, 10, 1, "comparisons do not chain: join them with &&");
    fails(&fx, "links not 3", E_PARSE, 10, 1, "expected in or between after not, not '3'");
    fails(&fx, "links in 3", E_PARSE, 9, 1,
          "expected '{' and a list of values after in, as in {a, b}, not '3'");
    fails(&fx, "links in {}", E_PARSE, 9, 2, "empty set: list values, as in {a, b}");
    fails(&fx, "links in {1, 2", E_PARSE, 9, 1, "unclosed '{'");
    fails(&fx, "links in {1 2}", E_PARSE, 12, 1, "expected ',' or '}', not '2'");
    fails(&fx, "links in {(1)}", E_PARSE, 10, 1, "expected a value in the set, not '('");
    fails(&fx, "links between 1", E_PARSE, 15, 0, "expected 'and' and an upper bound after '1'");
    fails(&fx, "links between 1 and", E_PARSE, 19, 0, "expected an upper bound after 'and'");
    fails(&fx, "links between", E_PARSE, 13, 0, "expected a lower bound after 'between'");
    fails(&fx, "body =~", E_PARSE, 7, 0, "expected a regex such as /word/i after '=~'");
    fails(&fx, "body =~ links", E_PARSE, 8, 5, "expected a regex such as /word/i, not 'links'");
}

Test(flt, error_lexical, .init = spam_setup)
{
    fails(&fx, "links / 2", E_PARSE, 6, 1, "'/' starts a regex only after =~ or !~");
    fails(&fx, "links > 2 & error", E_PARSE, 10, 1, "a single '&': write && (or and)");
    fails(&fx, "links > 2 | error", E_PARSE, 10, 1, "a single '|': write || (or or)");
    fails(&fx, "links # 2", E_PARSE, 6, 1, "unexpected character '#'");
    fails(&fx, "links > 2 && \xc3\xa9", E_PARSE, 13, 2, "unknown column '\xc3\xa9'");
    fails(&fx, "links > 2 && \xff", E_PARSE, 13, 1, "unknown column '?'");
    fails(&fx, "links - 2", E_PARSE, 6, 1,
          "unexpected '-': a number follows '-' directly (-3); put names with other symbols "
          "in backquotes");
    fails(&fx, "label == \xe2\x80\x9cspam\xe2\x80\x9d", E_PARSE, 9, 3,
          "typographic quote: use \" or ' around text values");
    fails(&fx, "links > 3x", E_PARSE, 8, 2, "invalid number '3x'");
    fails(&fx, "links > 1.2.3", E_PARSE, 8, 5, "invalid number '1.2.3'");
    fails(&fx, "links > 1e", E_PARSE, 8, 2, "invalid number '1e'");
    fails(&fx, "links > 1e999", E_PARSE, 8, 5, "number out of range");
    fails(&fx, "date > 2024-13-01", E_PARSE, 7, 10, "invalid date '2024-13-01': month out of range");
    fails(&fx, "date > 2023-02-29", E_PARSE, 7, 10, "invalid date '2023-02-29': day out of range");
    fails(&fx, "date > 2024-02-30T10:00", E_PARSE, 7, 16,
          "invalid date '2024-02-30T10:00': day out of range");
    fails(&fx, "date > 2024-05-01T25:00", E_PARSE, 7, 16,
          "invalid date '2024-05-01T25:00': time of day out of range");
    fails(&fx, "date > 2024-05-01T10:00+25:00", E_PARSE, 7, 22,
          "invalid date '2024-05-01T10:00+25:00': zone offset out of range");
    fails(&fx, "date > 2024-05", E_PARSE, 7, 7,
          "invalid date '2024-05': expected a date like 2024-05-01");
    fails(&fx, "date > 2024-05-01x", E_PARSE, 7, 11,
          "invalid date '2024-05-01x': unexpected characters after it");
    fails(&fx, "subject == \"abc", E_PARSE, 11, 4, "unterminated string: close it with \"");
    fails(&fx, "subject == 'abc", E_PARSE, 11, 4, "unterminated string: close it with '");
    fails(&fx, "subject == \"a\\qb\"", E_PARSE, 13, 2,
          "unknown escape \\q in a string; use \\\\ for a backslash");
    fails(&fx, "subject == \"a\\x4\"", E_PARSE, 13, 2, "\\x needs two hex digits, as in \\x41");
    fails(&fx, "subject == \"a\\x00\"", E_PARSE, 13, 4, "\\x00 is not allowed in a string");
    fails(&fx, "`subject == 1", E_PARSE, 0, 13, "unterminated name: close it with `");
    fails(&fx, "`` == 1", E_PARSE, 0, 2, "empty column name");
    fails(&fx, "body =~ /abc", E_PARSE, 8, 4, "unterminated regex: close it with /");
    fails(&fx, "body =~ /abc\\/", E_PARSE, 8, 6, "unterminated regex: close it with /");
    fails(&fx, "body =~ /x/g", E_PARSE, 11, 1, "unknown regex flag 'g'; flags are i, m, s and x");
    fails(&fx, "body =~ /x/iU", E_PARSE, 12, 1, "unknown regex flag 'U'; flags are i, m, s and x");
}

Test(flt, error_regex_offsets, .init = spam_setup)
{
    /* the pattern starts at byte 9; PCRE2 points after "(unclosed", at the closing '/' */
    fails(&fx, "body =~ /(unclosed/", E_REGEX, 18, 0,
          "regex error at offset 9: missing closing parenthesis");
    fails(&fx, "error && body =~ /ab[z-a]cd/i", E_REGEX, 23, 1,
          "regex error at offset 5: range out of order in character class");
    fails(&fx, "body =~ \"(x\"", E_REGEX, 11, 0, "regex error at offset 2: missing closing parenthesis");
    /* escapes were removed from this pattern: the caret covers the whole string */
    fails(&fx, "body =~ \"\\\\(x\\t(\"", E_REGEX, 8, 9,
          "regex error at offset 5: missing closing parenthesis");
}

Test(flt, error_depth_limit, .init = spam_setup)
{
    size_t n = 10000;
    char *s = malloc(2 * n + 16);
    memset(s, '(', n);
    strcpy(s + n, "error");
    memset(s + n + 5, ')', n);
    s[2 * n + 5] = '\0';
    fails(&fx, s, E_PARSE, FLT_MAX_DEPTH, 1, "nested too deeply (more than 200 levels)");
    memset(s, '!', n);
    fails(&fx, s, E_PARSE, FLT_MAX_DEPTH, 1, "nested too deeply (more than 200 levels)");
    for (size_t i = 0; i < n; i++)
        s[i] = i % 2 ? '(' : '!';
    fails(&fx, s, E_PARSE, FLT_MAX_DEPTH, 1, "nested too deeply (more than 200 levels)");
    free(s);
    /* exactly at the limit is fine */
    char ok[2 * FLT_MAX_DEPTH + 16];
    memset(ok, '(', FLT_MAX_DEPTH);
    strcpy(ok + FLT_MAX_DEPTH, "error");
    memset(ok + FLT_MAX_DEPTH + 5, ')', FLT_MAX_DEPTH);
    ok[2 * FLT_MAX_DEPTH + 5] = '\0';
    SEL(&fx, ok, "0011000100");
}

Test(flt, long_flat_chains_need_no_depth, .init = spam_setup)
{
    /* 5000 terms joined by && and || are lists, not deep trees */
    size_t n = 5000;
    char *s = malloc(n * 24);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(s + o, "%slinks != %zu", i ? (i % 7 ? " && " : " || ") : "", i + 7);
    filter *f = NULL;
    err e = {0};
    cr_assert_eq(flt_compile(&f, s, &fx.ctx, &e, NULL), E_OK, "%s", e.msg);
    flt_free(f);
    free(s);
}

Test(flt, errors_leave_out_untouched_and_where_optional, .init = spam_setup)
{
    filter *f = (filter *)&fx; /* any non-NULL value */
    cr_assert_eq(flt_compile(&f, "links >", &fx.ctx, NULL, NULL), E_PARSE);
    cr_assert_eq(f, (filter *)&fx);
}

Test(flt, eval_checks_the_bitmap_size, .init = spam_setup)
{
    filter *f = NULL;
    err e = {0};
    cr_assert_eq(flt_compile(&f, "error", &fx.ctx, &e, NULL), E_OK);
    bitmap b;
    cr_assert_eq(bm_init(&b, 3, false, &e), E_OK);
    cr_assert_eq(flt_eval(f, &b, &e), E_RANGE);
    cr_assert_str_eq(e.msg, "filter: the bitmap has 3 rows, the data 10");
    bm_done(&b);
    flt_free(f);
    flt_free(NULL);
}

Test(flt, regex_list_for_highlighting, .init = spam_setup)
{
    filter *f = NULL;
    err e = {0};
    cr_assert_eq(flt_compile(&f,
                             "body =~ /offer/i && subject !~ /x/ && !(body =~ /y/) && "
                             "(label =~ /s/ || !!(subject =~ /z/))",
                             &fx.ctx, &e, NULL),
                 E_OK, "%s", e.msg);
    const rx *re[8];
    int col[8];
    size_t n = flt_regexes(f, re, col, 8);
    cr_assert_eq(n, 3);
    /* found in some order: /offer/i on body (2), /s/ on label (-1... or its column), /z/ */
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rx_pattern(re[i]), "offer") == 0) {
            cr_assert_eq(col[i], 2);
            cr_assert_eq(rx_flags(re[i]), RX_CASELESS);
            seen |= 1;
        } else if (strcmp(rx_pattern(re[i]), "s") == 0) {
            cr_assert_eq(col[i], 8); /* label is the "label" column */
            seen |= 2;
        } else if (strcmp(rx_pattern(re[i]), "z") == 0) {
            cr_assert_eq(col[i], 1);
            seen |= 4;
        }
    }
    cr_assert_eq(seen, 7);
    cr_assert_eq(flt_regexes(f, re, col, 1), 3, "the count does not depend on max");
    flt_free(f);
}

/* ---- completion ---- */

Test(flt, completion, .init = spam_setup)
{
    const char *out[32];
    size_t n = flt_complete(&fx.ctx, "prob", out, 32);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(out[0], "prob_spam");
    cr_assert_str_eq(out[1], "prob_ham");
    /* columns first (links, label), then derived fields (label is a column here), then
     * functions */
    n = flt_complete(&fx.ctx, "l", out, 32);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(out[0], "links");
    cr_assert_str_eq(out[1], "label");
    cr_assert_str_eq(out[2], "loss");
    cr_assert_str_eq(out[3], "len(");
    n = flt_complete(&fx.ctx, "SC", out, 32);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(out[0], "score[");
    n = flt_complete(&fx.ctx, "`pro", out, 32);
    cr_assert_eq(n, 2);
    n = flt_complete(&fx.ctx, "", out, 3);
    cr_assert_eq(n, 10 + 10 + 3, "10 columns, 10 derived fields, 3 functions");
    cr_assert_str_eq(out[0], "id");
    n = flt_complete(&fx.ctx, "zzz", out, 32);
    cr_assert_eq(n, 0);
    n = flt_complete(&fx.ctx, NULL, NULL, 0);
    cr_assert_eq(n, 23);
    n = flt_complete(&fx.ctx, "o", out, 32);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(out[0], "outcome");
}

Test(flt, completion_without_roles)
{
    load_plain(&fx, "a,label\n1,x\n");
    const char *out[32];
    size_t n = flt_complete(&fx.ctx, "", out, 32);
    cr_assert_eq(n, 2 + 1 + 3); /* a, label, row, len( tokens( missing( */
    cr_assert_str_eq(out[2], "row");
}

/* ---- quoting and formatting ---- */

Test(flt, quote_name)
{
    char buf[64];
    const char *cases[][2] = {
        {"x.box", "x.box"},
        {"education-num", "education-num"},
        {"easy-ham-1", "easy-ham-1"},
        {"prob_spam", "prob_spam"},
        {"proba_<=50K", "`proba_<=50K`"},
        {"a b", "`a b`"},
        {"a`b", "`a``b`"},
        {"and", "`and`"},
        {"True", "`True`"},
        {"1abc", "`1abc`"},
        {"größe", "`größe`"},
        {"a-", "`a-`"},
        {"a--b", "`a--b`"},
        {"-a", "`-a`"},
        {"_x", "_x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = flt_quote_name(cases[i][0], buf, sizeof buf);
        cr_assert_str_eq(buf, cases[i][1]);
        cr_assert_eq(n, strlen(cases[i][1]));
    }
    cr_assert_eq(flt_quote_name("a b", buf, 4), 5);
    cr_assert_str_eq(buf, "`a ");
    cr_assert_eq(flt_quote_name("abc", buf, 0), 3);
}

Test(flt, quote_string)
{
    char buf[64];
    size_t n = flt_quote_string("a\"b\\c\nd\x01\té", buf, sizeof buf);
    cr_assert_str_eq(buf, "\"a\\\"b\\\\c\\nd\\x01\\té\"");
    cr_assert_eq(n, strlen(buf));
    cr_assert_eq(flt_quote_string("abcdef", buf, 4), 8);
    cr_assert_str_eq(buf, "\"ab");
    cr_assert_eq(flt_quote_string("", buf, sizeof buf), 2);
    cr_assert_str_eq(buf, "\"\"");
}

/* Names and values written by the quoting helpers read back as the same column and value,
 * whatever they hold. */
Test(flt, quoted_names_and_values_parse_back)
{
    load_plain(&fx,
               "x.box,a b,a``b,proba_<=50K,education-num,easy-ham-1,and,größe,1abc,v\n"
               "1,,x,\"q\"\"uote\",5,,a,,1,\"back\\slash\"\n"
               ",2,,\"tab\there\",,7,b,ü,,\"new\nline\"\n"
               "3,3,z,\"q\"\"uote\",6,8,,é,2,\"` and ' and \"\"\"\n");
    char q[128], v[256], expr[512];
    for (size_t c = 0; c < fx.ds->ncols; c++) {
        flt_quote_name(fx.ds->cols[c].name, q, sizeof q);
        snprintf(expr, sizeof expr, "missing(%s)", q);
        const char *bits = sel(&fx, expr);
        for (size_t i = 0; i < fx.ds->nrows; i++)
            cr_assert_eq(bits[i] == '1', ds_is_missing(fx.ds, (int)c, i), "%s row %zu", expr, i);
        const column *col = &fx.ds->cols[c];
        if (!col->dict)
            continue;
        for (uint32_t k = 0; k < sd_count(col->dict); k++) {
            flt_quote_string(sd_str(col->dict, k), v, sizeof v);
            snprintf(expr, sizeof expr, "%s == %s", q, v);
            bits = sel(&fx, expr);
            for (size_t i = 0; i < fx.ds->nrows; i++)
                cr_assert_eq(bits[i] == '1', col->code[i] == k, "%s row %zu", expr, i);
        }
    }
}

Test(flt, format_error_draws_a_caret, .init = spam_setup)
{
    const char *expr = "label == \"spam\" && prob_spma > 0.8";
    filter *f = NULL;
    err e = {0};
    flt_error w;
    cr_assert_eq(flt_compile(&f, expr, &fx.ctx, &e, &w), E_PARSE);
    char buf[512];
    flt_format_error(expr, &e, &w, buf, sizeof buf);
    cr_assert_str_eq(buf, "label == \"spam\" && prob_spma > 0.8\n"
                          "                   ^^^^^^^^^ unknown column 'prob_spma'; did you "
                          "mean prob_spam, prob_ham?");
}

Test(flt, format_error_counts_characters_not_bytes)
{
    err e = {E_PARSE, "bad"};
    flt_error w = {9, 5}; /* from the second é: 8 characters before it, 4 in the range */
    char buf[128];
    flt_format_error("é\tb == \"é\" x", &e, &w, buf, sizeof buf);
    cr_assert_str_eq(buf, "é b == \"é\" x\n        ^^^^ bad");
    w = (flt_error){14, 0}; /* the end */
    flt_format_error("é\tb == \"é\" x", &e, &w, buf, sizeof buf);
    cr_assert_str_eq(buf, "é b == \"é\" x\n            ^ bad");
    w = (flt_error){100, 100}; /* clamped */
    flt_format_error("ab", &e, &w, buf, sizeof buf);
    cr_assert_str_eq(buf, "ab\n  ^ bad");
    flt_format_error("a\xff", &e, NULL, buf, sizeof buf);
    cr_assert_str_eq(buf, "a?\nbad");
    flt_format_error("abcdef", &e, &w, buf, 5);
    cr_assert_str_eq(buf, "abcd");
    flt_format_error(NULL, NULL, NULL, buf, sizeof buf);
    cr_assert_str_eq(buf, "\n");
}

/* ---- evaluation within a selection ---- */

static const char *bits_of(const bitmap *b, char *buf)
{
    for (size_t i = 0; i < b->nbits; i++)
        buf[i] = bm_get(b, i) ? '1' : '0';
    buf[b->nbits] = '\0';
    return buf;
}

Test(flt, eval_within_a_selection, .init = spam_setup)
{
    filter *outer = NULL, *inner = NULL;
    err e = {0};
    cr_assert_eq(flt_compile(&outer, "links >= 1", &fx.ctx, &e, NULL), E_OK);
    cr_assert_eq(flt_compile(&inner, "body =~ /o/ && !(subject =~ /z/)", &fx.ctx, &e, NULL),
                 E_OK);
    bitmap within, out;
    char buf[16];
    cr_assert_eq(bm_init(&within, 10, false, &e), E_OK);
    cr_assert_eq(bm_init(&out, 10, true, &e), E_OK);
    cr_assert_eq(flt_eval(outer, &within, &e), E_OK);
    cr_assert_str_eq(bits_of(&within, buf), "1011101011");
    /* an o in the body: 1 2 4 5 7 9 10; a z in the subject: 10 */
    cr_assert_str_eq(sel(&fx, "body =~ /o/ && !(subject =~ /z/)"), "1101101010");
    cr_assert_eq(flt_eval_within(inner, &within, &out, &e), E_OK);
    cr_assert_str_eq(bits_of(&out, buf), "1001101010");
    /* the same bitmap as mask and result */
    cr_assert_eq(flt_eval_within(inner, &within, &within, &e), E_OK);
    cr_assert_str_eq(bits_of(&within, buf), "1001101010");
    bitmap wrong;
    cr_assert_eq(bm_init(&wrong, 3, false, &e), E_OK);
    cr_assert_eq(flt_eval_within(inner, &wrong, &out, &e), E_RANGE);
    bm_done(&wrong);
    bm_done(&within);
    bm_done(&out);
    flt_free(outer);
    flt_free(inner);
}
