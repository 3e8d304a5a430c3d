/* tokenize: UTF-8 word splitting with a small case-folding table (see tokenize.h). */
#include "tokenize.h"

#include <stdint.h>
#include <stdlib.h>

#include "strdict.h"

struct tok_stop {
    strdict *words;
};

/* Non-ASCII code points that separate words, as inclusive ranges sorted by start. Everything
 * else above U+007F counts as a word character (letters, digits, combining marks). */
static const uint32_t SEPARATORS[][2] = {
    {0x0080, 0x00A9}, {0x00AB, 0x00B4}, {0x00B6, 0x00B9}, {0x00BB, 0x00BF},
    {0x00D7, 0x00D7}, {0x00F7, 0x00F7}, {0x037E, 0x037E}, {0x0387, 0x0387},
    {0x055A, 0x055F}, {0x0589, 0x058A}, {0x05BE, 0x05BE}, {0x05C0, 0x05C0},
    {0x05C3, 0x05C3}, {0x05F3, 0x05F4}, {0x0609, 0x060D}, {0x061B, 0x061F},
    {0x066A, 0x066D}, {0x06D4, 0x06D4}, {0x0964, 0x0965}, {0x0E4F, 0x0E4F},
    {0x0E5A, 0x0E5B}, {0x10FB, 0x10FB}, {0x1360, 0x1368}, {0x166D, 0x166E},
    {0x1680, 0x1680}, {0x16EB, 0x16ED}, {0x180E, 0x180E}, {0x2000, 0x2BFF},
    {0x2E00, 0x2E7F}, {0x3000, 0x3004}, {0x3008, 0x3020}, {0x3030, 0x3030},
    {0xD800, 0xF8FF}, {0xFD3E, 0xFD3F}, {0xFE00, 0xFE1F}, {0xFE30, 0xFE6F},
    {0xFEFF, 0xFEFF}, {0xFF00, 0xFF0F}, {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40},
    {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF}, {0xE0000, 0x10FFFF},
};

static bool is_separator(uint32_t cp)
{
    size_t lo = 0, hi = sizeof SEPARATORS / sizeof SEPARATORS[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < SEPARATORS[mid][0])
            hi = mid;
        else if (cp > SEPARATORS[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

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

static bool ascii_word(unsigned char b)
{
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

size_t tok_next(const char *s, size_t len, size_t *pos, char buf[TOK_MAX + 1])
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = *pos;
    while (i < len) {
        size_t n = 0;      /* bytes written to buf */
        bool long_ = false; /* the run outgrew TOK_MAX: skip it */
        while (i < len) {
            unsigned char b = u[i];
            if (b < 0x80) {
                if (!ascii_word(b))
                    break;
                if (n < TOK_MAX)
                    buf[n++] = (char)((b >= 'A' && b <= 'Z') ? b + 32 : b);
                else
                    long_ = true;
                i++;
                continue;
            }
            uint32_t cp;
            size_t w = decode(u, len, i, &cp);
            if (w == 0 || is_separator(cp))
                break;
            char tmp[4];
            size_t m = encode(fold(cp), tmp);
            if (n + m <= TOK_MAX) {
                for (size_t k = 0; k < m; k++)
                    buf[n++] = tmp[k];
            } else {
                long_ = true;
            }
            i += w;
        }
        if (n > 0 && !long_) {
            buf[n] = '\0';
            *pos = i;
            return n;
        }
        /* Skip the separator (one byte of invalid UTF-8, or one whole code point). */
        if (i < len) {
            uint32_t cp;
            size_t w = u[i] < 0x80 ? 1 : decode(u, len, i, &cp);
            i += w ? w : 1;
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
    err_code rc = sd_new(&s->words, e);
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
            while ((n = tok_next(text + j, end - j, &pos, buf)) > 0) {
                uint32_t code;
                rc = sd_intern(s->words, buf, n, &code, e);
                if (rc)
                    goto fail;
            }
        }
        i = end + 1;
    }
    *out = s;
    return E_OK;
fail:
    tok_stop_free(s);
    return rc;
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
