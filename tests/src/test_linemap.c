/* Tests of the raw-byte scanners: physical lines of records (lm), the header scan and cuts
 * between records (spl), and the growable column array (vec). */
#include <criterion/criterion.h>
#include <string.h>

#include "csvsplit.h"
#include "linemap.h"
#include "vec.h"

/* Start lines of records 0..n-1 of csv, fed in pieces of `step` bytes. */
static void lines_of(const char *csv, size_t step, size_t n, size_t *lines)
{
    size_t recs[16];
    for (size_t i = 0; i < n; i++)
        recs[i] = i;
    lm_scan s;
    lm_init(&s, ',', 0, recs, lines, n, LM_NONE);
    size_t len = strlen(csv);
    for (size_t off = 0; off < len && !lm_done(&s); off += step)
        lm_feed(&s, csv + off, len - off < step ? len - off : step);
}

Test(lm, record_start_lines)
{
    const char *csv = "h1,h2\r\n"         /* record 0, line 1 */
                      "\r\n\n"            /* blank lines 2 and 3 */
                      "a,\"b\nc\r\nd\"\n" /* record 1, lines 4-6 */
                      "  \n"              /* blank line 7 */
                      "e,f\r"             /* record 2, line 8 (lone CR ends it) */
                      "\"g\"\"h\",i\n"    /* record 3, line 9 */
                      ",\n"               /* record 4, line 10 */
                      "last,x";           /* record 5, line 11 */
    size_t want[] = {1, 4, 8, 9, 10, 11};
    for (size_t step = 1; step <= 64; step *= 2) {
        size_t lines[6];
        lines_of(csv, step, 6, lines);
        for (size_t i = 0; i < 6; i++)
            cr_expect_eq(lines[i], want[i], "record %zu, step %zu", i, step);
    }
}

Test(lm, offsets_and_open_quotes)
{
    const char *csv = "a,b\n1,\"x\ny\"\n2,\"open\nstill\nopen";
    lm_scan s;
    lm_init(&s, ',', 0, NULL, NULL, 0, 9); /* the 'y' on line 3 */
    s.to_end = true;
    lm_feed(&s, csv, strlen(csv));
    cr_assert_eq(s.off_line, 3);
    cr_assert_eq(lm_open_quote_line(&s), 4);
    lm_init(&s, ',', 0, NULL, NULL, 0, LM_NONE);
    s.to_end = true;
    lm_feed(&s, "a,b\n1,2\n", 8);
    cr_assert_eq(lm_open_quote_line(&s), 0);
}

Test(lm, count_lines)
{
    bool cr = false;
    cr_assert_eq(lm_count_lines("a\nb\r\nc\rd", 9, &cr), 3);
    cr_assert_not(cr);
    cr_assert_eq(lm_count_lines("x\r", 2, &cr), 1);
    cr_assert(cr);
    cr_assert_eq(lm_count_lines("\ny\n", 3, &cr), 1); /* that LF ends the CR's line */
    cr_assert_not(cr);
    cr_assert_eq(lm_count_lines("", 0, &cr), 0);
}

Test(lm, start_at_a_known_record)
{
    const char *csv = "h\n1\n\"a\nb\"\n3\n";
    size_t recs[] = {3}, lines[1];
    lm_scan s;
    lm_init(&s, ',', 4, recs, lines, 1, LM_NONE); /* at "\"a": record 2 on line 3 */
    s.line = 3;
    s.rec = 2;
    lm_feed(&s, csv + 4, strlen(csv) - 4);
    cr_assert_eq(lines[0], 5);
}

Test(lm, tab_delimiter_and_spaces)
{
    const char *csv = "a\tb\n\t\n \t x\n";
    size_t recs[] = {0, 1, 2}, lines[3];
    lm_scan s;
    lm_init(&s, '\t', 0, recs, lines, 3, LM_NONE);
    lm_feed(&s, csv, strlen(csv));
    cr_assert_eq(lines[0], 1);
    cr_assert_eq(lines[1], 2); /* a lone tab is two empty fields, not a blank line */
    cr_assert_eq(lines[2], 3);
}

Test(spl, header_and_delimiter)
{
    size_t end;
    char d;
    cr_assert_eq(spl_header("a;b;c\n1;2;3\n", 12, false, &end, &d), SPL_OK);
    cr_assert_eq(end, 6);
    cr_assert_eq(d, ';');
    cr_assert_eq(spl_header("\n  \n\"x,\ny\"|z\r\n", 14, false, &end, &d), SPL_OK);
    cr_assert_eq(end, 13); /* just past the CR that ends the record */
    cr_assert_eq(d, '|');
    cr_assert_eq(spl_header("a\tb,c\t", 6, false, &end, &d), SPL_MORE);
    cr_assert_eq(spl_header("a\tb,c\t", 6, true, &end, &d), SPL_OK);
    cr_assert_eq(end, 6);
    cr_assert_eq(d, '\t');
    cr_assert_eq(spl_header("\n \n", 3, true, &end, &d), SPL_EMPTY);
    cr_assert_eq(spl_header("", 0, true, &end, &d), SPL_EMPTY);
    cr_assert_eq(spl_header("a b\n", 4, true, &end, &d), SPL_OK);
    cr_assert_eq(d, ',');
}

Test(spl, cuts_outside_quotes)
{
    size_t cut;
    /* plain lines */
    const char *w = "xx,1\nyy,2\n";
    cr_assert(spl_boundary(w, strlen(w), ',', &cut));
    cr_assert_eq(cut, 5);
    /* the window starts inside a quoted field: the closing quote follows a letter */
    w = "ne one\nline two\",3\nnext,4\n";
    cr_assert(spl_boundary(w, strlen(w), ',', &cut));
    cr_assert_eq(cut, 19);
    /* an opening quote before a letter shows the window starts outside */
    w = "1,2\n3,\"a\nb\"\n5,6\n";
    cr_assert(spl_boundary(w, strlen(w), ',', &cut));
    cr_assert_eq(cut, 4);
    /* doubled quotes before a letter: inside */
    w = "in\n\"\"q\"\" x\n\",1\nz,2\n";
    cr_assert(spl_boundary(w, strlen(w), ',', &cut));
    cr_assert_eq(cut, 15);
    /* no line end */
    cr_assert_not(spl_boundary("abc", 3, ',', &cut));
}

Test(vec, push_and_take)
{
    vec v;
    vec_init(&v, sizeof(double));
    for (int i = 0; i < 300000; i++)
        cr_assert_eq(vec_push_f64(&v, i * 0.5), E_OK);
    cr_assert_eq(v.n, 300000);
    cr_assert_geq(v.cap, v.n);
    double *out = vec_take(&v, 300010);
    cr_assert_not_null(out);
    cr_assert_eq(v.n, 0);
    cr_assert_null(v.p);
    for (int i = 0; i < 300000; i++)
        cr_assert(out[i] == i * 0.5);
    out[300009] = 1; /* the room asked for is there */
    free(out);
    vec_done(&v);

    vec_init(&v, sizeof(uint32_t));
    uint32_t *one = vec_take(&v, 0); /* empty: still a valid block */
    cr_assert_not_null(one);
    free(one);
    for (uint32_t i = 0; i < 5000; i++)
        vec_push_u32(&v, i * 3);
    uint32_t *codes = vec_take(&v, 10); /* never below the count */
    for (uint32_t i = 0; i < 5000; i++)
        cr_assert_eq(codes[i], i * 3);
    free(codes);
    vec_done(&v);
}
