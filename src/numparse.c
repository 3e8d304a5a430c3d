#include "numparse.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Every power of ten up to 1e22 is exact in a double, so a mantissa below 2^53 multiplied or
 * divided by one of them is correctly rounded (Clinger's fast path). */
static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define MAX_EXACT_MANTISSA ((uint64_t)1 << 53)
#define MAX_DIGITS 19 /* significant digits that always fit in a uint64 */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads a run of digits into *w (wrapping silently: the caller counts the digits). */
static const char *digits(const char *p, const char *end, uint64_t *w)
{
    uint64_t x = *w;
    for (; p < end; p++) {
        unsigned d = (unsigned)(unsigned char)*p - '0';
        if (d > 9)
            break;
        x = x * 10 + d;
    }
    *w = x;
    return p;
}

bool np_parse(const char *s, size_t len, double *out)
{
    const char *p = s, *end = s + len;
    if (len == 0)
        return false;
    if (is_blank(*p) || is_blank(end[-1])) { /* only quoted cells keep blanks */
        while (p < end && is_blank(*p))
            p++;
        while (end > p && is_blank(end[-1]))
            end--;
        if (p == end)
            return false;
    }
    const char *start = p;
    bool neg = false;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';

    /* Mantissa digits go into w, leading zeros included; more than MAX_DIGITS of them and
     * w may have wrapped, so strtod decides. */
    uint64_t w = 0;
    const char *d0 = p;
    p = digits(p, end, &w);
    size_t ndig = (size_t)(p - d0);
    long e10 = 0;
    if (p < end && *p == '.') {
        const char *f0 = ++p;
        p = digits(p, end, &w);
        e10 = -(long)(p - f0);
        ndig += (size_t)(p - f0);
    }
    if (ndig == 0)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p == end || !is_digit(*p))
            return false;
        long x = 0;
        for (; p < end && is_digit(*p); p++)
            if (x < 100000)
                x = x * 10 + (*p - '0');
        e10 += eneg ? -x : x;
    }
    if (p != end)
        return false;

    if (ndig <= MAX_DIGITS && w <= MAX_EXACT_MANTISSA && e10 >= -22 && e10 <= 22) {
        double v = (double)w;
        v = e10 < 0 ? v / POW10[-e10] : v * POW10[e10];
        *out = neg ? -v : v;
        return true;
    }
    /* The syntax is already checked, so strtod reads exactly [start, end): it cannot take a
     * hex prefix or "inf", and it stops at end by the contract on s[len] or at a blank. */
    char *stop;
    double v = strtod(start, &stop);
    if (stop != end || isinf(v))
        return false;
    *out = v;
    return true;
}
