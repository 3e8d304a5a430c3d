#include "infer.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "timeparse.h"
#include "utf8.h"

#define EXAMPLE_MAX 40

/* ASCII case-insensitive comparison with a lower-case token, independent of the locale. */
static bool eq_lower(const char *s, size_t len, const char *tok)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (tok[i] == '\0' || c != (unsigned char)tok[i])
            return false;
    }
    return tok[len] == '\0';
}

static bool eq_nocase(const char *s, size_t len, const char *tok)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)tok[i];
        if (b == '\0')
            return false;
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b + 32);
        if (a != b)
            return false;
    }
    return tok[len] == '\0';
}

bool inf_is_na_token(const inf_na *na, const char *s, size_t len)
{
    if (len == 0)
        return true;
    if (len <= 4) {
        if ((s[0] | 0x20) == 'n') {
            if (eq_lower(s, len, "na") || eq_lower(s, len, "n/a") || eq_lower(s, len, "nan") ||
                eq_lower(s, len, "null") || eq_lower(s, len, "none"))
                return true;
        } else if (len == 1 && s[0] == '?') {
            return true;
        }
    }
    for (size_t i = 0; i < na->nextra; i++)
        if (eq_nocase(s, len, na->extra[i]))
            return true;
    return false;
}

bool inf_parse_time(const char *s, size_t len, bool epoch, double *out)
{
    return tp_parse(s, len, out) || (epoch && np_parse(s, len, out));
}

bool inf_mostly(size_t ok, size_t bad)
{
    return ok >= 1 && bad * 20 <= ok + bad;
}

void inf_sniff_cell(inf_sniff *k, const inf_na *na, bool epoch, const char *s, size_t len)
{
    if (inf_is_na(na, s, len))
        return;
    double v;
    k->nonmissing++;
    if (np_parse(s, len, &v))
        k->num++;
    if (inf_parse_time(s, len, epoch, &v))
        k->time++;
}

inf_mode inf_sniff_mode(const inf_sniff *k, bool forced_text, bool forced_time)
{
    if (forced_text)
        return INF_STR;
    if (forced_time)
        return INF_TIME;
    if (inf_mostly(k->num, k->nonmissing - k->num))
        return INF_NUM;
    if (inf_mostly(k->time, k->nonmissing - k->time))
        return INF_TIME;
    return INF_STR;
}

char *inf_example(const char *s, size_t len)
{
    size_t n = u8_prefix(s, len, EXAMPLE_MAX);
    char *x = malloc(n + 4);
    if (!x)
        return NULL;
    memcpy(x, s, n);
    if (n < len)
        memcpy(x + n, "...", 4);
    else
        x[n] = '\0';
    return x;
}

static bool has_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
            return true;
    }
    return false;
}

/* Values of every distinct string as a number (as_time false) or a time; NAN where it does
 * not parse. Returns false early once the bad cells exceed the 5% allowance. */
static bool try_values(const strdict *d, const size_t *count, size_t nonmissing, bool as_time,
                       bool epoch, double *val)
{
    size_t ok = 0, bad = 0, allowed = nonmissing / 20;
    uint32_t n = sd_count(d);
    for (uint32_t c = 0; c < n; c++) {
        const char *s = sd_str(d, c);
        size_t len = sd_len(d, c);
        bool parsed = as_time ? inf_parse_time(s, len, epoch, &val[c]) : np_parse(s, len, &val[c]);
        if (parsed) {
            ok += count[c];
        } else {
            val[c] = NAN;
            bad += count[c];
            if (bad > allowed)
                return false;
        }
    }
    return inf_mostly(ok, bad);
}

static err_code convert(column *col, size_t nrows, const double *val, const size_t *count,
                        col_type type, size_t *first_bad_row, err *e)
{
    double *num = malloc((nrows ? nrows : 1) * sizeof *num);
    if (!num)
        return err_set(e, E_NOMEM, "out of memory");
    size_t nbad = 0, first = SIZE_MAX;
    for (uint32_t c = 0; c < sd_count(col->dict); c++)
        if (isnan(val[c]))
            nbad += count[c];
    for (size_t i = 0; i < nrows; i++) {
        uint32_t code = col->code[i];
        num[i] = code == CODE_NA ? NAN : val[code];
        if (code != CODE_NA && isnan(num[i]) && first == SIZE_MAX)
            first = i;
    }
    char *example = NULL;
    if (first != SIZE_MAX) {
        uint32_t code = col->code[first];
        example = inf_example(sd_str(col->dict, code), sd_len(col->dict, code));
        if (!example) {
            free(num);
            return err_set(e, E_NOMEM, "out of memory");
        }
    }
    free(col->code);
    col->code = NULL;
    sd_free(col->dict);
    col->dict = NULL;
    col->num = num;
    col->type = type;
    col->nbad = nbad;
    col->nmissing += nbad;
    free(col->bad_example);
    col->bad_example = example;
    *first_bad_row = first;
    if (type == COL_NUM)
        inf_set_integer(col, nrows);
    return E_OK;
}

/* Whether more than half of the distinct values hold white space (stops once it knows). */
static bool mostly_spaced(const strdict *d)
{
    uint32_t n = sd_count(d), yes = 0;
    for (uint32_t c = 0; c < n; c++) {
        yes += has_space(sd_str(d, c), sd_len(d, c));
        if ((uint64_t)yes * 2 > n)
            return true;
        if ((uint64_t)(yes + (n - c - 1)) * 2 <= n)
            return false;
    }
    return false;
}

/* Without counting rows: false when more distinct values fail than 5% of the cells allow
 * (each of them occurs at least once), which settles most string columns at once. */
static bool may_convert(const strdict *d, size_t nonmissing, bool as_time, bool epoch)
{
    size_t allowed = nonmissing / 20, bad = 0;
    uint32_t n = sd_count(d);
    for (uint32_t c = 0; c < n; c++) {
        double v;
        const char *s = sd_str(d, c);
        size_t len = sd_len(d, c);
        bool ok = as_time ? inf_parse_time(s, len, epoch, &v) : np_parse(s, len, &v);
        if (!ok && ++bad > allowed)
            return false;
    }
    return n > bad;
}

err_code inf_finish_str(column *col, size_t nrows, bool forced_text, bool forced_time,
                        size_t *first_bad_row, err *e)
{
    *first_bad_row = SIZE_MAX;
    uint32_t n = sd_count(col->dict);
    if (forced_text) {
        col->type = COL_TEXT;
        return E_OK;
    }
    size_t nonmissing = nrows - col->nmissing;
    err_code rc = E_OK;
    for (int pass = 0; pass < 2; pass++) {
        bool as_time = forced_time ? pass == 0 : pass == 1;
        if (!may_convert(col->dict, nonmissing, as_time, forced_time))
            continue;
        size_t *count = calloc(n ? n : 1, sizeof *count);
        double *val = malloc((n ? n : 1) * sizeof *val);
        if (!count || !val) {
            free(count);
            free(val);
            return err_set(e, E_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < nrows; i++)
            if (col->code[i] != CODE_NA)
                count[col->code[i]]++;
        bool ok = try_values(col->dict, count, nonmissing, as_time, forced_time, val);
        if (ok)
            rc = convert(col, nrows, val, count, as_time ? COL_TIME : COL_NUM, first_bad_row, e);
        free(count);
        free(val);
        if (ok)
            return rc;
    }
    bool many = n > 20 && (size_t)n * 10 > nonmissing;
    col->type = many && mostly_spaced(col->dict) ? COL_TEXT : COL_CAT;
    return E_OK;
}

void inf_set_integer(column *col, size_t nrows)
{
    bool whole = true;
    for (size_t i = 0; i < nrows && whole; i++) {
        double v = col->num[i];
        whole = isnan(v) || v == floor(v);
    }
    col->is_integer = whole;
}
