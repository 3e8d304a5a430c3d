/* Tests of the string dictionary: interning, lookups, order, dropping the index, merging. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strdict.h"

static strdict *make(void)
{
    strdict *d = NULL;
    cr_assert_eq(sd_new(&d, NULL), E_OK);
    return d;
}

static uint32_t intern(strdict *d, const char *s)
{
    uint32_t code = CODE_NA;
    cr_assert_eq(sd_intern(d, s, strlen(s), &code, NULL), E_OK);
    return code;
}

static uint32_t find(const strdict *d, const char *s)
{
    return sd_find(d, s, strlen(s));
}

Test(sd, codes_in_first_seen_order)
{
    strdict *d = make();
    cr_assert_eq(sd_count(d), 0);
    cr_assert_eq(find(d, "x"), CODE_NA);
    cr_assert_eq(intern(d, "pear"), 0);
    cr_assert_eq(intern(d, "apple"), 1);
    cr_assert_eq(intern(d, "pear"), 0);
    cr_assert_eq(intern(d, ""), 2);
    cr_assert_eq(intern(d, "apple"), 1);
    cr_assert_eq(sd_count(d), 3);
    cr_assert_str_eq(sd_str(d, 1), "apple");
    cr_assert_eq(sd_len(d, 1), 5);
    cr_assert_str_eq(sd_str(d, 2), "");
    cr_assert_eq(find(d, "pear"), 0);
    cr_assert_eq(find(d, "pea"), CODE_NA);
    cr_assert_eq(sd_bytes(d), 9);
    sd_free(d);
    sd_free(NULL);
}

Test(sd, embedded_nul_and_length)
{
    strdict *d = make();
    uint32_t a, b;
    cr_assert_eq(sd_intern(d, "ab\0c", 4, &a, NULL), E_OK);
    cr_assert_eq(sd_intern(d, "ab", 2, &b, NULL), E_OK);
    cr_assert_neq(a, b);
    cr_assert_eq(sd_len(d, a), 4);
    cr_assert(memcmp(sd_str(d, a), "ab\0c", 5) == 0);
    cr_assert_eq(sd_find(d, "ab\0c", 4), a);
    sd_free(d);
}

Test(sd, many_strings_and_stable_pointers)
{
    strdict *d = make();
    char buf[64];
    const char *first = sd_str(d, intern(d, "key 0"));
    for (int i = 1; i < 200000; i++) {
        snprintf(buf, sizeof buf, "key %d", i);
        cr_assert_eq(intern(d, buf), (uint32_t)i);
    }
    cr_assert_eq(sd_str(d, 0), first);
    for (int i = 0; i < 200000; i += 997) {
        snprintf(buf, sizeof buf, "key %d", i);
        cr_assert_eq(find(d, buf), (uint32_t)i);
    }
    /* a string longer than an arena chunk */
    size_t n = 3u << 20;
    char *big = malloc(n);
    memset(big, 'z', n);
    uint32_t c;
    cr_assert_eq(sd_intern(d, big, n, &c, NULL), E_OK);
    cr_assert_eq(sd_len(d, c), n);
    cr_assert_eq(sd_find(d, big, n), c);
    free(big);
    sd_free(d);
}

Test(sd, sorted_codes)
{
    strdict *d = make();
    const char *words[] = {"pear", "apple", "", "app", "Zebra", "apple pie", "\xc3\xa9t\xc3\xa9"};
    for (size_t i = 0; i < 7; i++)
        intern(d, words[i]);
    uint32_t order[7];
    cr_assert_eq(sd_sorted_codes(d, order), E_OK);
    const char *want[] = {"", "Zebra", "app", "apple", "apple pie", "pear", "\xc3\xa9t\xc3\xa9"};
    for (size_t i = 0; i < 7; i++)
        cr_expect_str_eq(sd_str(d, order[i]), want[i], "position %zu", i);
    sd_free(d);
    strdict *empty = make();
    cr_assert_eq(sd_sorted_codes(empty, order), E_OK);
    sd_free(empty);
}

Test(sd, drop_index_then_find_and_intern)
{
    strdict *d = make();
    char buf[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(buf, sizeof buf, "s%d", i);
        intern(d, buf);
    }
    sd_drop_index(d);
    cr_assert_eq(find(d, "s0"), 0);
    cr_assert_eq(find(d, "s999"), 999);
    cr_assert_eq(find(d, "s1000"), CODE_NA);
    cr_assert_eq(intern(d, "s500"), 500); /* rebuilds the index */
    cr_assert_eq(intern(d, "new"), 1000);
    cr_assert_eq(find(d, "new"), 1000);
    sd_drop_index(d);
    cr_assert_eq(sd_build_index(d, NULL), E_OK);
    cr_assert_eq(find(d, "s42"), 42);
    sd_free(d);
}

Test(sd, absorb_merges_and_remaps)
{
    strdict *a = make(), *b = make();
    intern(a, "x");
    intern(a, "y");
    intern(b, "z");
    intern(b, "y");
    intern(b, "w");
    uint32_t remap[3];
    cr_assert_eq(sd_absorb(a, b, remap, NULL), E_OK); /* b is freed */
    cr_assert_eq(sd_count(a), 4);
    cr_assert_eq(remap[0], 2);
    cr_assert_eq(remap[1], 1);
    cr_assert_eq(remap[2], 3);
    cr_assert_str_eq(sd_str(a, 2), "z");
    cr_assert_str_eq(sd_str(a, 3), "w");
    cr_assert_eq(find(a, "w"), 3);
    cr_assert_eq(intern(a, "z"), 2);
    cr_assert_eq(intern(a, "v"), 4);
    cr_assert_eq(sd_build_index(a, NULL), E_OK);
    cr_assert_eq(find(a, "v"), 4);
    sd_free(a);
}

Test(sd, absorb_large_after_drop)
{
    strdict *a = make(), *b = make();
    char buf[32];
    for (int i = 0; i < 50000; i++) {
        snprintf(buf, sizeof buf, "t%d", i);
        intern(a, buf);
        snprintf(buf, sizeof buf, "t%d", i + 25000);
        intern(b, buf);
    }
    sd_drop_index(b);
    uint32_t *remap = malloc(50000 * sizeof *remap);
    cr_assert_eq(sd_absorb(a, b, remap, NULL), E_OK);
    cr_assert_eq(sd_count(a), 75000);
    cr_assert_eq(remap[0], 25000);
    cr_assert_eq(remap[24999], 49999);
    cr_assert_eq(remap[25000], 50000);
    cr_assert_str_eq(sd_str(a, remap[49999]), "t74999");
    free(remap);
    sd_free(a);
}
