/* config: option files: names and values, quotes, comments, '=', flags without a value, and
 * the errors with their line numbers. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static bool known(const char *name, bool *takes)
{
    static const char *const with[] = {"filter", "levels", "fail-if", "format"};
    for (size_t i = 0; i < sizeof with / sizeof *with; i++)
        if (strcmp(name, with[i]) == 0)
            return *takes = true;
    if (strcmp(name, "cluster-all") == 0) {
        *takes = false;
        return true;
    }
    return false;
}

static const char *write_conf(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/fl-config-%d.conf", (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

Test(cfg, options_become_arguments)
{
    const char *p = write_conf("# comment\n\n  levels 2\nfilter = \"a == \\\"b # c\\\"\"  # why\n"
                               "fail-if error_rate > 0.1\ncluster-all\r\n");
    cfg_args a;
    err e = {0};
    cr_assert_eq(cfg_read_args(p, known, &a, &e), E_OK, "%s", e.msg);
    const char *want[] = {"--levels", "2", "--filter", "a == \"b # c\"", "--fail-if",
                          "error_rate > 0.1", "--cluster-all"};
    cr_assert_eq(a.argc, 7);
    for (size_t i = 0; i < 7; i++)
        cr_expect_str_eq(a.argv[i], want[i]);
    cfg_args_done(&a);
    unlink(p);
}

Test(cfg, errors_name_the_line)
{
    cfg_args a;
    err e = {0};
    const char *p = write_conf("levels 2\nlevles 3\n");
    cr_expect_eq(cfg_read_args(p, known, &a, &e), E_PARSE);
    cr_expect(strstr(e.msg, ":2: unknown option 'levles'") != NULL, "%s", e.msg);
    p = write_conf("levels\n");
    cr_expect_eq(cfg_read_args(p, known, &a, &e), E_PARSE);
    cr_expect(strstr(e.msg, ":1: option 'levels' needs a value") != NULL, "%s", e.msg);
    p = write_conf("cluster-all yes\n");
    cr_expect_eq(cfg_read_args(p, known, &a, &e), E_PARSE);
    cr_expect(strstr(e.msg, "takes no value") != NULL, "%s", e.msg);
    p = write_conf("filter \"open\n");
    cr_expect_eq(cfg_read_args(p, known, &a, &e), E_PARSE);
    cr_expect(strstr(e.msg, "unterminated quote") != NULL, "%s", e.msg);
    unlink(p);
    cr_expect_eq(cfg_read_args("/nonexistent/x.conf", known, &a, &e), E_IO);
}
