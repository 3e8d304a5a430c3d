/* Tests of the cell parsers: numbers (np), ISO-8601 times (tp) and UTF-8 checks (u8). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "timeparse.h"
#include "utf8.h"

static bool parse(const char *s, double *v)
{
    return np_parse(s, strlen(s), v);
}

/* Every accepted number equals strtod's result bit for bit. */
Test(np, equals_strtod)
{
    static const char *const ok[] = {"0",
                                     "-0",
                                     "+0",
                                     "1",
                                     "-1",
                                     "12",
                                     "0.1",
                                     "0.5",
                                     ".5",
                                     "-.5",
                                     "1.",
                                     "1e5",
                                     "1E+05",
                                     "1e-7",
                                     "2.5e-3",
                                     "123456789012345678",
                                     "1234567890123456789012345",
                                     "9007199254740992",
                                     "9007199254740993",
                                     "0.30000000000000004",
                                     "2.2250738585072014e-308",
                                     "2.2250738585072011e-308",
                                     "4.9e-324",
                                     "5e-325",
                                     "1.7976931348623157e308",
                                     "0.000001",
                                     "0.999999",
                                     "3.141592653589793238462643383279",
                                     "00012.5000",
                                     "1e22",
                                     "1e23",
                                     "123.456e-2",
                                     "0.1e1",
                                     "6.02214076e23",
                                     "1e-400",
                                     "  42  ",
                                     "\t-3.5"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = 12345, want = strtod(ok[i], NULL);
        cr_expect(parse(ok[i], &v), "'%s' rejected", ok[i]);
        cr_expect(memcmp(&v, &want, sizeof v) == 0, "'%s': %.17g, strtod %.17g", ok[i], v, want);
    }
}

Test(np, rejects_what_is_not_a_plain_number)
{
    static const char *const bad[] = {
        "",      " ",     ".",     "-",     "+",         "e5",  ".e5",   "1e",    "1e+",   "--1",
        "+-1",   "0x10",  "0X1p3", "inf",   "-Infinity", "nan", "NaN",   "1,000", "1 000", "12abc",
        "1.2.3", "1e5.5", "１",    "1e999", "-1e400",    "5-",  "1_000", "0b101", "$5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v;
        cr_expect_not(parse(bad[i], &v), "'%s' accepted", bad[i]);
    }
}

Test(np, length_bounds_the_text)
{
    double v;
    cr_assert(np_parse("12345", 3, &v));
    cr_assert(v == 123.0);
    cr_assert(np_parse("0.1 junk", 3, &v));
    cr_assert(v == 0.1);
}

Test(np, many_random_decimals_match_strtod)
{
    unsigned long long x = 88172645463325252ull;
    char buf[64];
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int kind = (int)(x % 4);
        if (kind == 0)
            snprintf(buf, sizeof buf, "%.6f", (double)(x >> 11) / 9007199254740992.0);
        else if (kind == 1)
            snprintf(buf, sizeof buf, "%.17g", (double)(x >> 11) * 1e-10);
        else if (kind == 2)
            snprintf(buf, sizeof buf, "%llu.%02llu", (x >> 20) % 100000, x % 100);
        else
            snprintf(buf, sizeof buf, "%.3e", (double)(x >> 30) * 7.77e-15);
        double v, want = strtod(buf, NULL);
        cr_assert(parse(buf, &v), "'%s'", buf);
        cr_assert(memcmp(&v, &want, sizeof v) == 0, "'%s': %.17g vs %.17g", buf, v, want);
    }
}

static bool tparse(const char *s, double *v)
{
    return tp_parse(s, strlen(s), v);
}

Test(tp, days_from_civil)
{
    cr_assert_eq(tp_days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(tp_days_from_civil(1969, 12, 31), -1);
    cr_assert_eq(tp_days_from_civil(2000, 3, 1), 11017);
    cr_assert_eq(tp_days_from_civil(2024, 5, 1), 19844);
    cr_assert_eq(tp_days_from_civil(1, 1, 1), -719162);
    cr_assert_eq(tp_days_from_civil(9999, 12, 31), 2932896);
    cr_assert_eq(tp_days_from_civil(102, 8, 21), -682041);
}

Test(tp, accepted_forms)
{
    static const struct {
        const char *s;
        double want;
    } cases[] = {
        {"2024-05-01", 1714521600},
        {"2024-05-01T12:00:00+02:00", 1714557600},
        {"2024-05-01T12:00:00+0200", 1714557600},
        {"2024-05-01T12:00:00+02", 1714557600},
        {"2024-05-01T10:00:00Z", 1714557600},
        {"2024-05-01t10:00:00z", 1714557600},
        {"2024-05-01 10:00:00", 1714557600},
        {"2024-05-01T10:00", 1714557600},
        {"2024-05-01T10:00Z", 1714557600},
        {"2024-05-01T04:30:00-05:30", 1714557600},
        {"2024-05-01T10:00:00.25Z", 1714557600.25},
        {"2024-05-01T10:00:00.123456+00:00", 1714557600.123456},
        {"2002-08-21T15:54:46Z", 1029945286},
        {"0102-08-21T15:54:46Z", -58928285114.0},
        {"0001-01-01T00:00:00Z", -62135596800.0},
        {"9999-12-31T23:59:59Z", 253402300799.0},
        {"2024-02-29", 1709164800},
        {"2000-02-29", 951782400},
        {" 2024-05-01 ", 1714521600},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = 0;
        cr_expect(tparse(cases[i].s, &v), "'%s' rejected", cases[i].s);
        cr_expect(v == cases[i].want, "'%s': %.6f, want %.6f", cases[i].s, v, cases[i].want);
    }
}

Test(tp, rejected_forms)
{
    static const char *const bad[] = {"",
                                      "2024",
                                      "2024-05",
                                      "2024-5-1",
                                      "24-05-01",
                                      "2024/05/01",
                                      "2024-13-01",
                                      "2024-00-10",
                                      "2024-04-31",
                                      "2023-02-29",
                                      "1900-02-29",
                                      "0000-01-01",
                                      "2024-05-01T",
                                      "2024-05-01T24:00",
                                      "2024-05-01T10:60",
                                      "2024-05-01T10:00:60",
                                      "2024-05-01T1:00",
                                      "2024-05-01T10:00:00.",
                                      "2024-05-01T10:00:00+25:00",
                                      "2024-05-01T10:00:00+02:60",
                                      "2024-05-01T10:00:00+2",
                                      "2024-05-01T10:00:00 Z",
                                      "2024-05-01Z",
                                      "2024-05-01x",
                                      "2024-05-01T10:00:00ZZ",
                                      "1714557600",
                                      "May 1, 2024"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v;
        cr_expect_not(tparse(bad[i], &v), "'%s' accepted", bad[i]);
    }
}

static size_t check(const char *s)
{
    return u8_check(s, strlen(s));
}

Test(u8, valid_and_invalid)
{
    cr_assert_eq(check(""), 0);
    cr_assert_eq(check("plain ascii text, long enough for the fast path"), 47);
    cr_assert_eq(check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"), 19);
    cr_assert_eq(check("abc\xff"), 3);
    cr_assert_eq(check("\x80"), 0);             /* continuation byte first */
    cr_assert_eq(check("ab\xc0\xaf"), 2);       /* overlong */
    cr_assert_eq(check("\xc1\xbf"), 0);         /* overlong */
    cr_assert_eq(check("\xe0\x80\xaf"), 0);     /* overlong */
    cr_assert_eq(check("x\xed\xa0\x80"), 1);    /* surrogate */
    cr_assert_eq(check("\xf4\x90\x80\x80"), 0); /* above U+10FFFF */
    cr_assert_eq(check("\xf5\x80\x80\x80"), 0);
    cr_assert_eq(check("ok\xe2\x82"), 2);            /* truncated */
    cr_assert_eq(check("ok\xe2(\xa1"), 2);           /* bad continuation */
    cr_assert_eq(u8_check("abcdefghij\0k", 12), 10); /* NUL refused */
}

Test(u8, prefix_cuts_on_a_boundary)
{
    const char *s = "ab\xc3\xa9\xc3\xa9";
    cr_assert_eq(u8_prefix(s, 6, 10), 6);
    cr_assert_eq(u8_prefix(s, 6, 3), 2);
    cr_assert_eq(u8_prefix(s, 6, 4), 4);
    cr_assert_eq(u8_prefix(s, 6, 5), 4);
}
