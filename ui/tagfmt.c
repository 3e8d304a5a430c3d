#include "tagfmt.h"

#include <stdio.h>
#include <string.h>

#define BRIEF 4 /* characters of a shortened name */

ui_role tf_role(int tag)
{
    return (ui_role)(UI_TAG_1 + (tag < 0 ? 0 : tag % UI_TAG_ROLES));
}

/* The name of tag t as drawn (shortened to BRIEF characters when brief). */
static void name_of(const pane_env *env, int t, bool brief, char *buf, size_t size)
{
    const char *name = tg_tag_name(env->tags, (size_t)t);
    if (brief)
        snprintf(buf, size, "%.*s", BRIEF, name ? name : "?");
    else
        snprintf(buf, size, "%s", name ? name : "?");
}

static const char *note_mark(bool ascii)
{
    return ascii ? "*" : "✎";
}

int tf_width(const pane_env *env, uint32_t row, bool brief)
{
    const tg_row *r = env->tags ? tg_get(env->tags, row) : NULL;
    if (!r)
        return 0;
    int w = 0;
    for (size_t t = 0; t < tg_ntags(env->tags); t++) {
        if (!(r->mask >> t & 1u))
            continue;
        char name[JR_TAG_MAX];
        name_of(env, (int)t, brief, name, sizeof name);
        w += (w ? 1 : 0) + ui_strwidth(name);
    }
    if (r->note)
        w += (w ? 1 : 0) + 1;
    return w;
}

int tf_draw(canvas *cv, int y, int x, const pane_env *env, uint32_t row, int maxw)
{
    const tg_row *r = env->tags ? tg_get(env->tags, row) : NULL;
    if (!r || maxw <= 0)
        return x;
    bool brief = tf_width(env, row, false) > maxw;
    int end = x + maxw, at = x;
    for (size_t t = 0; t < tg_ntags(env->tags) && at < end; t++) {
        if (!(r->mask >> t & 1u))
            continue;
        char name[JR_TAG_MAX];
        name_of(env, (int)t, brief, name, sizeof name);
        if (at > x)
            at = cv_text(cv, y, at, " ", end - at, UI_NORMAL);
        at = cv_text(cv, y, at, name, end - at, tf_role((int)t));
    }
    if (r->note && at < end) {
        if (at > x)
            at = cv_text(cv, y, at, " ", end - at, UI_NORMAL);
        at = cv_text(cv, y, at, note_mark(cv->ascii), end - at, UI_KEY);
    }
    return at;
}
