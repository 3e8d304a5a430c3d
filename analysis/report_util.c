/* report_util: the JSON and Markdown writing helpers every report section shares
 * (report_int.h). */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void rj_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* Full precision so that a reader recovers the exact double. */
void rj_num(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        fputs("null", f);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.17g", v);
}

void rj_key(FILE *f, const char *k, bool *first)
{
    if (!*first)
        fputc(',', f);
    *first = false;
    rj_str(f, k);
    fputc(':', f);
}

void rj_kv_num(FILE *f, const char *k, double v, bool *first)
{
    rj_key(f, k, first);
    rj_num(f, v);
}

void rj_kv_size(FILE *f, const char *k, size_t v, bool *first)
{
    rj_key(f, k, first);
    fprintf(f, "%zu", v);
}

void rj_kv_bool(FILE *f, const char *k, bool v, bool *first)
{
    rj_key(f, k, first);
    fputs(v ? "true" : "false", f);
}

void rj_kv_str(FILE *f, const char *k, const char *v, bool *first)
{
    rj_key(f, k, first);
    if (v)
        rj_str(f, v);
    else
        fputs("null", f);
}

const char *rm_thousands(size_t v, char *buf, size_t size)
{
    char raw[32];
    int len = snprintf(raw, sizeof raw, "%zu", v);
    size_t j = 0;
    for (int i = 0; i < len && j + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            buf[j++] = ',';
        buf[j++] = raw[i];
    }
    buf[j] = '\0';
    return buf;
}

const char *rm_num(double v, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "–");
    else
        snprintf(buf, size, "%.4f", v);
    return buf;
}

const char *rm_pct(double v, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "–");
    else
        snprintf(buf, size, "%.1f%%", 100 * v);
    return buf;
}

/* p-values: "3e-09" style when tiny, else 3 significant digits. */
const char *rm_pval(double v, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "–");
    else if (v < 1e-300)
        snprintf(buf, size, "<1e-300");
    else if (v < 1e-3)
        snprintf(buf, size, "%.0e", v);
    else
        snprintf(buf, size, "%.3g", v);
    return buf;
}

/* Table cells must not break the table: pipes escaped, line breaks as spaces, long text cut
 * after max characters (code points, so that a UTF-8 sequence is never split). */
void rm_cell(FILE *f, const char *s, size_t max)
{
    size_t n = 0;
    const char *p = s;
    for (; *p; p++) {
        bool starts_char = ((unsigned char)*p & 0xC0) != 0x80;
        if (starts_char && n++ == max)
            break;
        if (*p == '|')
            fputs("\\|", f);
        else if (*p == '\n' || *p == '\r' || *p == '\t')
            fputc(' ', f);
        else
            fputc(*p, f);
    }
    if (*p)
        fputs("…", f);
}

