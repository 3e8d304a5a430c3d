/* The PCRE2 wrapper: flags, UTF-8 (valid and broken), match offsets, compile errors with
 * their offsets, match-limit errors, and matching from several threads. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "regex.h"

static rx *compile(const char *pat, unsigned flags)
{
    rx *re = NULL;
    err e = {0};
    cr_assert_eq(rx_compile(&re, pat, strlen(pat), flags, &e, NULL), E_OK, "%s: %s", pat,
                 e.msg);
    return re;
}

static int match(const char *pat, unsigned flags, const char *s)
{
    rx *re = compile(pat, flags);
    int m = rx_match(re, s, strlen(s));
    rx_free(re);
    return m;
}

Test(rx, plain_match_and_no_match)
{
    cr_assert_eq(match("unsubscribe", 0, "click to unsubscribe now"), 1);
    cr_assert_eq(match("unsubscribe", 0, "click to UNSUBSCRIBE now"), 0);
    cr_assert_eq(match("", 0, ""), 1); /* the empty pattern matches everything */
    cr_assert_eq(match("a", 0, ""), 0);
}

Test(rx, uses_the_jit_here)
{
    rx *re = compile("refund(ed)?", RX_CASELESS);
    cr_assert(rx_is_jit(re), "PCRE2 on this platform has a JIT");
    cr_assert_str_eq(rx_pattern(re), "refund(ed)?");
    cr_assert_eq(rx_flags(re), RX_CASELESS);
    rx_free(re);
}

Test(rx, flag_letters)
{
    cr_assert_eq(rx_flag_of('i'), RX_CASELESS);
    cr_assert_eq(rx_flag_of('m'), RX_MULTILINE);
    cr_assert_eq(rx_flag_of('s'), RX_DOTALL);
    cr_assert_eq(rx_flag_of('x'), RX_EXTENDED);
    cr_assert_eq(rx_flag_of('g'), 0);
    cr_assert_eq(rx_flag_of('I'), 0);
}

Test(rx, caseless_is_unicode_aware)
{
    cr_assert_eq(match("fa[iï]lure", RX_CASELESS, "FAÏLURE"), 1);
    cr_assert_eq(match("fa[iï]lure", 0, "FAÏLURE"), 0);
    cr_assert_eq(match("straße", RX_CASELESS, "STRAßE"), 1);
}

Test(rx, word_boundaries_know_accented_letters)
{
    /* without Unicode properties, é would not be a word character and \b would fail */
    cr_assert_eq(match("\\bcafé\\b", 0, "un café noir"), 1);
    cr_assert_eq(match("\\w+", 0, "é"), 1);
}

Test(rx, multiline_dotall_extended)
{
    const char *s = "Hello\nthere";
    cr_assert_eq(match("^there", 0, s), 0);
    cr_assert_eq(match("^there", RX_MULTILINE, s), 1);
    cr_assert_eq(match("hello.there", RX_CASELESS, s), 0);
    cr_assert_eq(match("hello.there", RX_CASELESS | RX_DOTALL, s), 1);
    cr_assert_eq(match("h e l l o  # a comment", RX_EXTENDED | RX_CASELESS, s), 1);
    cr_assert_eq(match("h e l l o", 0, s), 0);
}

Test(rx, invalid_utf8_subject_still_matches)
{
    /* without PCRE2_MATCH_INVALID_UTF this would be error -23 */
    const char s[] = "\xff\xfe refund \xc3";
    cr_assert_eq(match("refund", 0, s), 1);
    cr_assert_eq(match("nothing", 0, s), 0);
}

Test(rx, subject_need_not_be_nul_terminated)
{
    rx *re = compile("world$", 0);
    const char *s = "hello world and more";
    cr_assert_eq(rx_match(re, s, 11), 1);
    cr_assert_eq(rx_match(re, s, strlen(s)), 0);
    cr_assert_eq(rx_match(re, NULL, 0), 0);
    rx_free(re);
}

Test(rx, pattern_need_not_be_nul_terminated)
{
    rx *re = NULL;
    err e = {0};
    cr_assert_eq(rx_compile(&re, "abc)))", 3, 0, &e, NULL), E_OK, "%s", e.msg);
    cr_assert_str_eq(rx_pattern(re), "abc");
    cr_assert_eq(rx_match(re, "xabcx", 5), 1);
    rx_free(re);
}

Test(rx, first_match_gives_offset_and_length)
{
    rx *re = compile("wor\\w+", 0);
    size_t off = 99, len = 99;
    cr_assert_eq(rx_first_match(re, NULL, "hello world, worm", 17, &off, &len), 1);
    cr_assert_eq(off, 6);
    cr_assert_eq(len, 5);
    rx_md *md = NULL;
    err e = {0};
    cr_assert_eq(rx_md_new(&md, re, &e), E_OK);
    cr_assert_eq(rx_first_match(re, md, "a worm", 6, &off, &len), 1);
    cr_assert_eq(off, 2);
    cr_assert_eq(len, 4);
    off = len = 7;
    cr_assert_eq(rx_first_match(re, md, "nothing", 7, &off, &len), 0);
    cr_assert_eq(off, 7, "untouched without a match");
    rx_md_free(md);
    rx_free(re);
}

Test(rx, first_match_offsets_are_bytes)
{
    rx *re = compile("noir", 0);
    size_t off, len;
    cr_assert_eq(rx_first_match(re, NULL, "café noir", strlen("café noir"), &off, &len), 1);
    cr_assert_eq(off, 6); /* é is two bytes */
    cr_assert_eq(len, 4);
    rx_free(re);
}

Test(rx, empty_match)
{
    rx *re = compile("x*", 0);
    size_t off = 9, len = 9;
    cr_assert_eq(rx_first_match(re, NULL, "abc", 3, &off, &len), 1);
    cr_assert_eq(off, 0);
    cr_assert_eq(len, 0);
    rx_free(re);
}

Test(rx, compile_error_has_offset_and_message)
{
    rx *re = NULL;
    err e = {0};
    size_t off = 99;
    cr_assert_eq(rx_compile(&re, "(abc", 4, 0, &e, &off), E_REGEX);
    cr_assert_null(re);
    cr_assert_eq(off, 4);
    cr_assert_str_eq(e.msg, "regex error at offset 4: missing closing parenthesis");
    cr_assert_eq(e.code, E_REGEX);
}

Test(rx, compile_error_in_the_middle)
{
    rx *re = NULL;
    err e = {0};
    size_t off = 0;
    cr_assert_eq(rx_compile(&re, "ab[z-a]cd", 9, 0, &e, &off), E_REGEX);
    cr_assert_eq(off, 5);
    cr_assert_str_eq(e.msg, "regex error at offset 5: range out of order in character class");
}

Test(rx, invalid_utf8_pattern_is_an_error)
{
    rx *re = NULL;
    err e = {0};
    size_t off = 99;
    cr_assert_eq(rx_compile(&re, "ab\xff", 3, 0, &e, &off), E_REGEX);
    cr_assert_eq(off, 2);
    cr_assert(strstr(e.msg, "UTF-8"), "%s", e.msg);
}

Test(rx, error_offset_pointer_is_optional)
{
    rx *re = NULL;
    cr_assert_eq(rx_compile(&re, "*", 1, 0, NULL, NULL), E_REGEX);
}

Test(rx, match_limit_gives_a_negative_code_and_a_message)
{
    /* catastrophic backtracking, capped by an inline limit so the test stays fast */
    rx *re = compile("(*LIMIT_MATCH=1000)(a+)+$", 0);
    char s[64];
    memset(s, 'a', 40);
    s[40] = 'b';
    int rc = rx_match(re, s, 41);
    cr_assert_lt(rc, 0);
    char msg[128];
    rx_error_text(rc, msg, sizeof msg);
    cr_assert_str_eq(msg, "match limit exceeded");
    rx_md *md = NULL;
    cr_assert_eq(rx_md_new(&md, re, NULL), E_OK);
    cr_assert_lt(rx_match_md(re, md, s, 41), 0);
    rx_md_free(md);
    rx_free(re);
}

Test(rx, error_text_truncates)
{
    char msg[6];
    rx_error_text(-47, msg, sizeof msg);
    cr_assert_str_eq(msg, "match");
    rx_error_text(-47, msg, 0); /* no room: no write */
}

Test(rx, free_null_is_a_no_op)
{
    rx_free(NULL);
    rx_md_free(NULL);
}

Test(rx, match_data_is_reusable)
{
    rx *re = compile("^[a-c]+$", 0);
    rx_md *md = NULL;
    cr_assert_eq(rx_md_new(&md, re, NULL), E_OK);
    const char *s[] = {"abc", "abd", "", "cab", "x"};
    int want[] = {1, 0, 0, 1, 0};
    for (int round = 0; round < 100; round++)
        for (int i = 0; i < 5; i++)
            cr_assert_eq(rx_match_md(re, md, s[i], strlen(s[i])), want[i]);
    rx_md_free(md);
    rx_free(re);
}

typedef struct thread_arg {
    const rx *re;
    int hits;
    int failed;
} thread_arg;

static void *matcher(void *p)
{
    thread_arg *a = p;
    rx_md *md = NULL;
    if (rx_md_new(&md, a->re, NULL) != E_OK) {
        a->failed = 1;
        return NULL;
    }
    char s[32];
    for (int i = 0; i < 20000; i++) {
        int len = snprintf(s, sizeof s, "row %d refund", i);
        int m = rx_match_md(a->re, md, s, (size_t)len);
        if (m < 0)
            a->failed = 1;
        a->hits += m == 1;
    }
    rx_md_free(md);
    return NULL;
}

Test(rx, one_pattern_many_threads)
{
    rx *re = compile("\\d*7\\d* refund", 0);
    thread_arg args[4] = {{re, 0, 0}, {re, 0, 0}, {re, 0, 0}, {re, 0, 0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, matcher, &args[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    /* numbers below 20000 containing a 7 */
    int want = 0;
    for (int i = 0; i < 20000; i++) {
        char s[16];
        snprintf(s, sizeof s, "%d", i);
        want += strchr(s, '7') != NULL;
    }
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(args[i].failed, 0);
        cr_assert_eq(args[i].hits, want);
    }
    rx_free(re);
}
