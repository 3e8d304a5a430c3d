/* tokenize: token boundaries, case folding, invalid UTF-8, long runs and the stop-word list
 * shipped in analysis/stopwords_en.txt. Expected tokens are written out by hand. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fl_test.h"
#include "tokenize.h"

/* Joins the tokens of s with '|' into out. */
static void tokens(const char *s, size_t len, char *out, size_t size)
{
    size_t pos = 0, used = 0, n;
    char buf[TOK_MAX + 1];
    tok_scanner *sc = NULL;
    err e;
    cr_assert_eq(tok_scanner_new(&sc, &e), E_OK, "%s", e.msg);
    out[0] = '\0';
    while ((n = tok_next(sc, s, len, &pos, buf)) > 0) {
        cr_assert_eq(strlen(buf), n);
        cr_assert(used + n + 2 < size);
        if (used)
            out[used++] = '|';
        memcpy(out + used, buf, n + 1);
        used += n;
    }
    cr_assert_eq(pos, len);
    tok_scanner_free(sc);
}

#define EXPECT_TOKENS(text, want)                                                                  \
    do {                                                                                           \
        char got_[512];                                                                            \
        tokens((text), strlen(text), got_, sizeof got_);                                           \
        cr_expect_str_eq(got_, (want), "tokens of \"%s\"", (text));                                \
    } while (0)

Test(tok, ascii)
{
    EXPECT_TOKENS("Refund NOT issued, order #A12-b!", "refund|not|issued|order|a12|b");
    EXPECT_TOKENS("", "");
    EXPECT_TOKENS("  ...  ", "");
    EXPECT_TOKENS("don't", "don|t");
    EXPECT_TOKENS("x_y", "x|y");
}

Test(tok, latin_folding)
{
    /* É È Ç Ö Ñ are Latin-1 capitals (+0x20); Ł (U+0141) and Ž (U+017D) are odd capitals of
     * Latin Extended-A, Ā (U+0100) and Œ (U+0152) even ones; Ÿ folds back into Latin-1. */
    EXPECT_TOKENS("ÉCOLE Çà Öl Ñandú", "école|çà|öl|ñandú");
    EXPECT_TOKENS("ŁÓDŹ ŽIŽKA Āb ŒUVRE Ÿ", "łódź|žižka|āb|œuvre|ÿ");
    EXPECT_TOKENS("İstanbul", "istanbul");
    /* ß, ı and ĸ have no capital in the table and stay. */
    EXPECT_TOKENS("Straße ıĸ", "straße|ıĸ");
}

Test(tok, other_scripts)
{
    EXPECT_TOKENS("ΑΘΗΝΑ Москва ЁЖ", "αθηνα|москва|ёж");
    /* CJK punctuation (U+3001) separates; ideographs run together. */
    EXPECT_TOKENS("東京、大阪", "東京|大阪");
    /* No-break space, em dash, curly quotes, an emoji and the multiplication sign separate. */
    EXPECT_TOKENS("a\xC2\xA0" "b\xE2\x80\x94" "c \xE2\x80\x9C" "d\xE2\x80\x9D \xF0\x9F\x98\x80" "e\xC3\x97" "f",
                  "a|b|c|d|e|f");
    /* A combining accent stays inside its word. */
    EXPECT_TOKENS("cafe\xCC\x81 ok", "cafe\xCC\x81|ok");
}

Test(tok, invalid_utf8_separates)
{
    EXPECT_TOKENS("ab\xFF" "cd", "ab|cd");
    EXPECT_TOKENS("ab\xC3", "ab");               /* truncated sequence at the end */
    EXPECT_TOKENS("ab\xC0\xAF" "cd", "ab|cd");   /* overlong '/' */
    EXPECT_TOKENS("ab\xED\xA0\x80" "cd", "ab|cd"); /* a surrogate */
}

Test(tok, long_runs_skipped)
{
    char s[200];
    memset(s, 'x', TOK_MAX);
    strcpy(s + TOK_MAX, " keep ");
    memset(s + TOK_MAX + 6, 'y', TOK_MAX + 1);
    s[2 * TOK_MAX + 7] = '\0';
    char want[TOK_MAX + 8];
    memset(want, 'x', TOK_MAX);
    strcpy(want + TOK_MAX, "|keep");
    EXPECT_TOKENS(s, want);
}

Test(tok, not_nul_terminated)
{
    const char s[] = {'a', 'b', ' ', 'c', 'd'};
    char got[64];
    tokens(s, 4, got, sizeof got);
    cr_expect_str_eq(got, "ab|c");
}

Test(tok, stop_list_inline)
{
    const char text[] = "# comment\n  The \r\n\nDON'T\n  # another\nÉté\n";
    tok_stop *s = NULL;
    err e = {0};
    cr_assert_eq(tok_stop_new(&s, text, strlen(text), &e), E_OK, "%s", e.msg);
    cr_expect_eq(tok_stop_count(s), 4); /* the, don, t, été */
    cr_expect(tok_stop_has(s, "the", 3));
    cr_expect(tok_stop_has(s, "don", 3));
    cr_expect(tok_stop_has(s, "t", 1));
    cr_expect(tok_stop_has(s, "été", strlen("été")));
    cr_expect(!tok_stop_has(s, "comment", 7));
    cr_expect(!tok_stop_has(s, "th", 2));
    cr_expect(!tok_stop_has(NULL, "the", 3));
    tok_stop_free(s);
    tok_stop_free(NULL);
}

Test(tok, stop_list_shipped)
{
    size_t len = 0;
    char *text = fl_read_file(FL_SOURCE_DIR "/analysis/stopwords_en.txt", &len);
    cr_assert(text);
    tok_stop *s = NULL;
    err e = {0};
    cr_assert_eq(tok_stop_new(&s, text, len, &e), E_OK, "%s", e.msg);
    cr_expect_eq(tok_stop_count(s), 176);
    const char *in[] = {"the", "and", "of", "t", "s", "yourselves", "won", "whom"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        cr_expect(tok_stop_has(s, in[i], strlen(in[i])), "%s", in[i]);
    const char *out[] = {"refund", "error", "not_", "wrong", "late"};
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        cr_expect(!tok_stop_has(s, out[i], strlen(out[i])), "%s", out[i]);
    tok_stop_free(s);
    free(text);
}
