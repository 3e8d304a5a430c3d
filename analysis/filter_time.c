/* Date and date-time literals. Computed with the proleptic Gregorian calendar in plain
 * integer arithmetic rather than mktime/timegm, so the result never depends on TZ, the C
 * library's range of time_t, or years before 1970 (the data has a year 0102). */
#include "filter_int.h"

#include <stdint.h>

#include "timeparse.h"


static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads exactly k digits at s[*i]; false when there are fewer. */
static bool digits(const char *s, size_t n, size_t *i, unsigned k, unsigned *v)
{
    unsigned x = 0;
    for (unsigned j = 0; j < k; j++) {
        if (*i + j >= n || !is_digit(s[*i + j]))
            return false;
        x = x * 10 + (unsigned)(s[*i + j] - '0');
    }
    *i += k;
    *v = x;
    return true;
}

static bool fail(size_t at, size_t *used, const char **why, const char *msg)
{
    *used = at;
    *why = msg;
    return false;
}

/* Zone suffix: Z, +HH:MM, +HHMM or +HH (and '-'); *off in seconds east of UTC. */
static bool zone(const char *s, size_t n, size_t *i, double *off, const char **why)
{
    if (*i >= n)
        return true;
    if (s[*i] == 'Z' || s[*i] == 'z') {
        (*i)++;
        return true;
    }
    if (s[*i] != '+' && s[*i] != '-')
        return true;
    int sign = s[*i] == '-' ? -1 : 1;
    size_t at = *i + 1;
    unsigned hh, mm = 0;
    if (!digits(s, n, &at, 2, &hh)) {
        *why = "expected a zone like +02:00 or Z";
        return false;
    }
    if (at < n && s[at] == ':') {
        at++;
        if (!digits(s, n, &at, 2, &mm)) {
            *why = "expected a zone like +02:00 or Z";
            return false;
        }
    } else if (at + 1 < n && is_digit(s[at]) && is_digit(s[at + 1])) {
        digits(s, n, &at, 2, &mm);
    }
    if (hh > 23 || mm > 59) {
        *why = "zone offset out of range";
        return false;
    }
    *off = sign * (hh * 3600.0 + mm * 60.0);
    *i = at;
    return true;
}

bool flt_parse_time(const char *s, size_t n, size_t *used, double *t, bool *is_day,
                    const char **why)
{
    size_t i = 0;
    unsigned y = 0, mo = 0, d = 0;
    if (!digits(s, n, &i, 4, &y) || i >= n || s[i] != '-')
        return fail(i, used, why, "expected a date like 2024-05-01");
    i++;
    if (!digits(s, n, &i, 2, &mo) || i >= n || s[i] != '-')
        return fail(i, used, why, "expected a date like 2024-05-01");
    i++;
    if (!digits(s, n, &i, 2, &d))
        return fail(i, used, why, "expected a date like 2024-05-01");
    if (mo < 1 || mo > 12)
        return fail(5, used, why, "month out of range");
    if (d < 1 || d > days_in_month(y, mo))
        return fail(8, used, why, "day out of range");
    double secs = (double)tp_days_from_civil(y, mo, d) * FLT_DAY;
    *is_day = true;
    if (i + 1 < n && (s[i] == 'T' || s[i] == 't') && is_digit(s[i + 1])) {
        unsigned hh, mi, ss = 0;
        double frac = 0;
        i++;
        size_t tstart = i;
        if (!digits(s, n, &i, 2, &hh) || i >= n || s[i] != ':')
            return fail(i, used, why, "expected a time like 13:45 or 13:45:30");
        i++;
        if (!digits(s, n, &i, 2, &mi))
            return fail(i, used, why, "expected a time like 13:45 or 13:45:30");
        if (i < n && s[i] == ':') {
            i++;
            if (!digits(s, n, &i, 2, &ss))
                return fail(i, used, why, "expected seconds after the minutes");
            if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
                double scale = 0.1;
                for (i++; i < n && is_digit(s[i]); i++, scale /= 10)
                    frac += (s[i] - '0') * scale;
            }
        }
        if (hh > 23 || mi > 59 || ss > 59)
            return fail(tstart, used, why, "time of day out of range");
        double off = 0;
        if (!zone(s, n, &i, &off, why)) {
            *used = i;
            return false;
        }
        secs += hh * 3600.0 + mi * 60.0 + ss + frac - off;
        *is_day = false;
    }
    *used = i;
    *t = secs;
    return true;
}
