#include "timeparse.h"

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date, with eras of
 * 400 years so that it needs neither tables nor loops. */
int64_t tp_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int y, unsigned m)
{
    static const unsigned char dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n digits at *p (bounded by end) into *v and advances. */
static bool digits(const char **p, const char *end, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= end || **p < '0' || **p > '9')
            return false;
        x = x * 10 + (*(*p)++ - '0');
    }
    *v = x;
    return true;
}

static bool at(const char *p, const char *end, char c)
{
    return p < end && *p == c;
}

/* Zone designator: Z, +HH, +HHMM or +HH:MM; *offset in seconds east of UTC. */
static bool parse_zone(const char **pp, const char *end, int *offset)
{
    const char *p = *pp;
    *offset = 0;
    if (p == end)
        return true;
    if (*p == 'Z' || *p == 'z') {
        *pp = p + 1;
        return true;
    }
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p++ == '-' ? -1 : 1, hh, mm = 0;
    if (!digits(&p, end, 2, &hh) || hh > 23)
        return false;
    if (at(p, end, ':')) {
        p++;
        if (!digits(&p, end, 2, &mm))
            return false;
    } else if (p < end && *p >= '0' && *p <= '9') {
        if (!digits(&p, end, 2, &mm))
            return false;
    }
    if (mm > 59)
        return false;
    *offset = sign * (hh * 3600 + mm * 60);
    *pp = p;
    return true;
}

bool tp_parse(const char *s, size_t len, double *epoch)
{
    const char *p = s, *end = s + len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    int y, mo, d, h = 0, mi = 0, sec = 0, offset = 0;
    if (!digits(&p, end, 4, &y) || !at(p, end, '-'))
        return false;
    p++;
    if (!digits(&p, end, 2, &mo) || !at(p, end, '-'))
        return false;
    p++;
    if (!digits(&p, end, 2, &d))
        return false;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo))
        return false;
    uint64_t frac = 0, scale = 1;
    if (p < end) {
        if (*p != 'T' && *p != 't' && *p != ' ')
            return false;
        p++;
        if (!digits(&p, end, 2, &h) || !at(p, end, ':'))
            return false;
        p++;
        if (!digits(&p, end, 2, &mi))
            return false;
        if (at(p, end, ':')) {
            p++;
            if (!digits(&p, end, 2, &sec))
                return false;
            if (at(p, end, '.')) {
                p++;
                if (p == end || *p < '0' || *p > '9')
                    return false;
                /* 15 digits keep frac / scale exact; later ones are below a femtosecond. */
                for (int n = 0; p < end && *p >= '0' && *p <= '9'; p++, n++)
                    if (n < 15) {
                        frac = frac * 10 + (uint64_t)(*p - '0');
                        scale *= 10;
                    }
            }
        }
        if (h > 23 || mi > 59 || sec > 59)
            return false;
        if (!parse_zone(&p, end, &offset))
            return false;
    }
    if (p != end)
        return false;
    int64_t days = tp_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t whole = days * 86400 + h * 3600 + mi * 60 + sec - offset;
    *epoch = (double)whole + (double)frac / (double)scale;
    return true;
}
