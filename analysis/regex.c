#include "regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

struct rx {
    pcre2_code *code; /* owned */
    char *pattern;    /* owned; NUL-terminated copy of the source pattern */
    unsigned flags;
    bool is_jit;
};

struct rx_md {
    pcre2_match_data *md;      /* owned; one ovector pair: only the whole match is reported */
    pcre2_match_context *mctx; /* owned; NULL when the pattern runs in the interpreter */
    pcre2_jit_stack *stack;    /* owned; NULL likewise */
};

/* The JIT's default stack is 32 KiB on the machine stack, which some patterns over long
 * texts exhaust (PCRE2_ERROR_JIT_STACKLIMIT). A private stack that may grow to 1 MiB makes
 * that rare without costing anything for simple patterns. */
#define RX_JIT_STACK_START ((size_t)32 * 1024)
#define RX_JIT_STACK_MAX ((size_t)1024 * 1024)

unsigned rx_flag_of(char c)
{
    switch (c) {
    case 'i':
        return RX_CASELESS;
    case 'm':
        return RX_MULTILINE;
    case 's':
        return RX_DOTALL;
    case 'x':
        return RX_EXTENDED;
    default:
        return 0;
    }
}

static uint32_t pcre2_options(unsigned flags)
{
    /* UCP makes \w, \d, \b and POSIX classes Unicode-aware: without it "\bcafé\b" fails
     * because é would not be a word character. */
    uint32_t o = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    if (flags & RX_CASELESS)
        o |= PCRE2_CASELESS;
    if (flags & RX_MULTILINE)
        o |= PCRE2_MULTILINE;
    if (flags & RX_DOTALL)
        o |= PCRE2_DOTALL;
    if (flags & RX_EXTENDED)
        o |= PCRE2_EXTENDED;
    return o;
}

err_code rx_compile(rx **out, const char *pattern, size_t len, unsigned flags, err *e,
                    size_t *erroff)
{
    if (erroff)
        *erroff = 0;
    rx *re = calloc(1, sizeof *re);
    if (!re) {
        err_set(e, E_NOMEM, "out of memory");
        return E_NOMEM;
    }
    re->pattern = malloc(len + 1);
    if (!re->pattern) {
        free(re);
        err_set(e, E_NOMEM, "out of memory");
        return E_NOMEM;
    }
    if (len)
        memcpy(re->pattern, pattern, len);
    re->pattern[len] = '\0';
    re->flags = flags;
    int code = 0;
    PCRE2_SIZE off = 0;
    re->code = pcre2_compile((PCRE2_SPTR)re->pattern, len, pcre2_options(flags), &code, &off,
                             NULL);
    if (!re->code) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "invalid pattern");
        if (off > len)
            off = len;
        if (erroff)
            *erroff = off;
        rx_free(re);
        err_set(e, E_REGEX, "regex error at offset %zu: %s", (size_t)off,
                (const char *)msg);
        return E_REGEX;
    }
    /* A failed JIT compilation (no JIT support, or out of executable memory) is not an
     * error: pcre2_match then falls back to the interpreter by itself. */
    if (pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0) {
        size_t jitsize = 0;
        re->is_jit = pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jitsize) == 0 &&
                     jitsize > 0;
    }
    *out = re;
    return E_OK;
}

void rx_free(rx *re)
{
    if (!re)
        return;
    pcre2_code_free(re->code);
    free(re->pattern);
    free(re);
}

bool rx_is_jit(const rx *re)
{
    return re->is_jit;
}

const char *rx_pattern(const rx *re)
{
    return re->pattern;
}

unsigned rx_flags(const rx *re)
{
    return re->flags;
}

err_code rx_md_new(rx_md **out, const rx *re, err *e)
{
    rx_md *m = calloc(1, sizeof *m);
    if (!m) {
        err_set(e, E_NOMEM, "out of memory");
        return E_NOMEM;
    }
    m->md = pcre2_match_data_create(1, NULL);
    if (!m->md)
        goto fail;
    if (re->is_jit) {
        m->mctx = pcre2_match_context_create(NULL);
        m->stack = pcre2_jit_stack_create(RX_JIT_STACK_START, RX_JIT_STACK_MAX, NULL);
        if (!m->mctx || !m->stack)
            goto fail;
        pcre2_jit_stack_assign(m->mctx, NULL, m->stack);
    }
    *out = m;
    return E_OK;
fail:
    rx_md_free(m);
    err_set(e, E_NOMEM, "out of memory");
    return E_NOMEM;
}

void rx_md_free(rx_md *md)
{
    if (!md)
        return;
    pcre2_match_data_free(md->md);
    pcre2_match_context_free(md->mctx);
    pcre2_jit_stack_free(md->stack);
    free(md);
}

/* PCRE2 wants a subject pointer even for an empty subject. */
static PCRE2_SPTR subject(const char *s)
{
    return (PCRE2_SPTR)(s ? s : "");
}

int rx_match_md(const rx *re, rx_md *md, const char *s, size_t len)
{
    int rc = pcre2_match(re->code, subject(s), len, 0, 0, md->md, md->mctx);
    if (rc >= 0)
        return 1; /* 0 would mean the ovector is too small: still a match */
    return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

int rx_match(const rx *re, const char *s, size_t len)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    if (!md)
        return PCRE2_ERROR_NOMEMORY;
    int rc = pcre2_match(re->code, subject(s), len, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    if (rc >= 0)
        return 1;
    return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

int rx_first_match(const rx *re, rx_md *md, const char *s, size_t len, size_t *off,
                   size_t *mlen)
{
    rx_md *own = NULL;
    if (!md) {
        if (rx_md_new(&own, re, NULL) != E_OK)
            return PCRE2_ERROR_NOMEMORY;
        md = own;
    }
    int rc = pcre2_match(re->code, subject(s), len, 0, 0, md->md, md->mctx);
    if (rc >= 0) {
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md->md);
        /* \K in a lookbehind can put the start after the end; report an empty match then */
        *off = ov[0];
        *mlen = ov[1] > ov[0] ? ov[1] - ov[0] : 0;
        rc = 1;
    } else if (rc == PCRE2_ERROR_NOMATCH) {
        rc = 0;
    }
    rx_md_free(own);
    return rc;
}

void rx_error_text(int rc, char *buf, size_t size)
{
    if (size == 0)
        return;
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
        snprintf((char *)msg, sizeof msg, "unknown matching error");
    size_t n = strlen((const char *)msg);
    if (n >= size)
        n = size - 1;
    memcpy(buf, msg, n);
    buf[n] = '\0';
}
