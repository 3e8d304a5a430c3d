#include "fl_golden.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_test.h"

void fl_golden_check(const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/%s", FL_SOURCE_DIR, name);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "w");
        cr_assert(f != NULL, "cannot write %s", path);
        fputs(text, f);
        fclose(f);
        return;
    }
    size_t len = 0;
    char *want = fl_read_file(path, &len);
    cr_assert(want != NULL, "missing golden file %s (run with UPDATE_GOLDEN=1 to create it)",
              path);
    bool same = strcmp(want, text) == 0;
    if (!same)
        cr_log_error("%s differs.\n--- expected\n%s--- got\n%s", name, want, text);
    free(want);
    cr_assert(same, "screen differs from %s", name);
}
