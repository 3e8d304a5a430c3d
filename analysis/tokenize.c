/* tokenize: word splitting by PCRE2 Unicode properties, with a small case-folding table
 * (see tokenize.h). */
#include "tokenize.h"

#include <stdint.h>
#include <stdlib.h>

#include "regex.h"
#include "strdict.h"

struct tok_stop {
    strdict *words;
};

/* Simple lower-case mapping for the scripts most error texts use. Latin Extended-A alternates
 * capital/small in pairs whose parity flips twice (at U+0139 and U+0179), hence the ranges. */
static uint32_t fold(uint32_t c)
{
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 0x20;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130) /* capital I with dot: its full lower case is i + combining dot */
            return 'i';
        if (c == 0x178)
            return 0xFF;
        if (c <= 0x12F || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
            return c | 1u;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1u) ? c + 1 : c;
        return c;
    }
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 0x20;
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    return c;
}

/* Decodes one code point at s[i] (s[i] >= 0x80). Returns its byte length, or 0 when the bytes
 * are not well-formed UTF-8 (overlong forms, surrogates and values past U+10FFFF included). */
static size_t decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned char b = s[i];
    size_t n;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2, c = b & 0x1Fu, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3, c = b & 0x0Fu, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4, c = b & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len - i < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0u) != 0x80u)
            return 0;
        c = (c << 6) | (s[i + k] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

static size_t encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Letters and digits of any script, with the combining marks that follow them (so that a
 * decomposed "e" + U+0301 stays one word). PCRE2 knows the Unicode properties; everything
 * else (punctuation, symbols, spaces, emoji, private use, invalid UTF-8) separates. */
static const char TOKEN_PATTERN[] = "[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}]*";

struct tok_scanner {
    rx *re;
    rx_md *md;
};

err_code tok_scanner_new(tok_scanner **out, err *e)
{
    tok_scanner *sc = calloc(1, sizeof *sc);
    if (!sc)
        return err_set(e, E_NOMEM, "out of memory for the tokeniser");
    err_code rc = rx_compile(&sc->re, TOKEN_PATTERN, sizeof TOKEN_PATTERN - 1, 0, e, NULL);
    if (!rc)
        rc = rx_md_new(&sc->md, sc->re, e);
    if (rc) {
        tok_scanner_free(sc);
        return rc;
    }
    *out = sc;
    return E_OK;
}

void tok_scanner_free(tok_scanner *sc)
{
    if (!sc)
        return;
    rx_md_free(sc->md);
    rx_free(sc->re);
    free(sc);
}

/* Folds the matched word w[0..len) (valid UTF-8: PCRE2 matched it) into buf; 0 when the
 * folded word is longer than TOK_MAX. */
static size_t fold_word(const unsigned char *w, size_t len, char buf[TOK_MAX + 1])
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t step;
        if (w[i] < 0x80) {
            cp = (w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32u : w[i];
            step = 1;
        } else {
            step = decode(w, len, i, &cp);
            if (step == 0) /* cannot happen on a PCRE2 match; treat as too long, skip it */
                return 0;
            cp = fold(cp);
        }
        char tmp[4];
        size_t m = encode(cp, tmp);
        if (n + m > TOK_MAX)
            return 0;
        for (size_t k = 0; k < m; k++)
            buf[n++] = tmp[k];
        i += step;
    }
    buf[n] = '\0';
    return n;
}

size_t tok_next(tok_scanner *sc, const char *s, size_t len, size_t *pos, char buf[TOK_MAX + 1])
{
    size_t i = *pos;
    while (i < len) {
        size_t off, mlen;
        if (rx_first_match(sc->re, sc->md, s + i, len - i, &off, &mlen) != 1 || mlen == 0)
            break;
        const unsigned char *w = (const unsigned char *)s + i + off;
        i += off + mlen;
        size_t n = fold_word(w, mlen, buf);
        if (n > 0) {
            *pos = i;
            return n;
        }
    }
    *pos = len;
    buf[0] = '\0';
    return 0;
}

err_code tok_stop_new(tok_stop **out, const char *text, size_t len, err *e)
{
    tok_stop *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(e, E_NOMEM, "out of memory for the stop-word list");
    tok_scanner *sc = NULL;
    err_code rc = sd_new(&s->words, e);
    if (!rc)
        rc = tok_scanner_new(&sc, e);
    if (rc)
        goto fail;
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && text[end] != '\n')
            end++;
        size_t j = i;
        while (j < end && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
            j++;
        if (j < end && text[j] != '#') {
            size_t pos = 0;
            char buf[TOK_MAX + 1];
            size_t n;
            while ((n = tok_next(sc, text + j, end - j, &pos, buf)) > 0) {
                uint32_t code;
                rc = sd_intern(s->words, buf, n, &code, e);
                if (rc)
                    goto fail;
            }
        }
        i = end + 1;
    }
    tok_scanner_free(sc);
    *out = s;
    return E_OK;
fail:
    tok_scanner_free(sc);
    tok_stop_free(s);
    return rc;
}

/* Generated at build time from stopwords_en.txt (cmake/embed.cmake). */
extern const char fl_stopwords_en[];
extern const size_t fl_stopwords_en_len;

err_code tok_stop_english(tok_stop **out, err *e)
{
    return tok_stop_new(out, fl_stopwords_en, fl_stopwords_en_len, e);
}

void tok_stop_free(tok_stop *s)
{
    if (!s)
        return;
    sd_free(s->words);
    free(s);
}

bool tok_stop_has(const tok_stop *s, const char *tok, size_t len)
{
    return s && sd_find(s->words, tok, len) != CODE_NA;
}

size_t tok_stop_count(const tok_stop *s)
{
    return s ? sd_count(s->words) : 0;
}
