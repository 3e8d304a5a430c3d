/* app_script: drives an app without a terminal, as the input loop does: keys by name through
 * the key map, background work waited for between keys, and the frame dumped as text. */
#ifndef TESTS_UI_APP_SCRIPT_H
#define TESTS_UI_APP_SCRIPT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"

/* Waits for the background work to finish, polling as the loop does between keys. */
static inline void script_settle(app *a)
{
    struct timespec ts = {0, 2000000};
    for (int i = 0; i < 20000 && app_poll(a); i++)
        nanosleep(&ts, NULL);
    app_poll(a);
}

/* Presses the keys named in names ("E Enter C-r"), settling after each. */
static inline void script_keys(app *a, const char *names)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", names);
    for (char *save = NULL, *k = strtok_r(buf, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
        int key = km_key_parse(k);
        cr_assert_neq(key, K_NONE, "%s", k);
        app_key(a, key);
        script_settle(a);
    }
}

/* Types s into a prompt, one character a key. */
static inline void script_type(app *a, const char *s)
{
    for (; *s; s++)
        app_key(a, (unsigned char)*s);
}

/* The frame as text (a static buffer, valid until the next call). */
static inline const char *script_screen(app *a)
{
    static strbuf sb;
    int cy, cx;
    app_draw(a, &cy, &cx);
    sb_done(&sb);
    sb_init(&sb);
    cv_dump(&a->cv, &sb, NULL, NULL);
    return sb_str(&sb);
}

#endif
