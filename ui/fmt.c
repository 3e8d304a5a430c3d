#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *fmt_count(size_t n, char *buf, size_t size)
{
    char raw[32];
    int len = snprintf(raw, sizeof raw, "%zu", n);
    char out[48];
    int o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = raw[i];
    }
    out[o] = '\0';
    snprintf(buf, size, "%s", out);
    return buf;
}

const char *fmt_pct(double v, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "–");
    else
        snprintf(buf, size, "%.1f%%", v * 100.0);
    return buf;
}

const char *fmt_interval(double lo, double hi, char *buf, size_t size)
{
    if (isnan(lo) || isnan(hi))
        snprintf(buf, size, "%s", "");
    else
        snprintf(buf, size, "[%.1f–%.1f]", lo * 100.0, hi * 100.0);
    return buf;
}

const char *fmt_q(double q, char *buf, size_t size)
{
    if (isnan(q))
        snprintf(buf, size, "–");
    else if (q >= 0.001)
        snprintf(buf, size, "%.3f", q);
    else if (q < 1e-300)
        snprintf(buf, size, "<1e-300");
    else {
        int ex = (int)floor(log10(q));
        double m = q / pow(10.0, ex);
        if (m >= 9.5) {
            m = 1;
            ex++;
        }
        snprintf(buf, size, "%.0fe%d", m, ex);
    }
    return buf;
}

const char *fmt_lift(double v, char *buf, size_t size)
{
    if (isnan(v) || isinf(v))
        snprintf(buf, size, "–");
    else
        snprintf(buf, size, "×%.1f", v);
    return buf;
}
