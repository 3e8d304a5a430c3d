#include "chooser.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "usort.h"

err_code ch_open(chooser *c, const char *title, size_t nitems, err *e)
{
    memset(c, 0, sizeof *c);
    snprintf(c->title, sizeof c->title, "%s", title);
    c->name = calloc(nitems + 1, sizeof *c->name);
    c->note = calloc(nitems + 1, sizeof *c->note);
    c->match = calloc(nitems + 1, sizeof *c->match);
    if (!c->name || !c->note || !c->match) {
        ch_close(c);
        return err_set(e, E_NOMEM, "out of memory");
    }
    c->nitems = nitems;
    prm_open(&c->query, ">", "", NULL, NULL, 0, NULL);
    return E_OK;
}

void ch_close(chooser *c)
{
    free(c->name);
    free(c->note);
    free(c->match);
    memset(c, 0, sizeof *c);
}

void ch_set(chooser *c, size_t i, const char *name, const char *note)
{
    if (i < c->nitems) {
        c->name[i] = name;
        c->note[i] = note;
    }
}

int ch_score(const char *query, const char *name)
{
    int score = 0, run = 0;
    const char *n = name;
    for (const char *q = query; *q; q++) {
        if (*q == ' ')
            continue;
        bool found = false;
        while (*n) {
            bool start = n == name || n[-1] == '-' || n[-1] == '_' || n[-1] == ' ' ||
                         n[-1] == '.';
            if (tolower((unsigned char)*n) == tolower((unsigned char)*q)) {
                score += 1 + (start ? 8 : 0) + run * 4;
                run++;
                n++;
                found = true;
                break;
            }
            run = 0;
            n++;
        }
        if (!found)
            return -1;
    }
    int len = (int)strlen(name);
    return score * 100 + (len < 99 ? 99 - len : 0); /* shorter names first among equals */
}

typedef struct scored {
    size_t idx;
    int score;
} scored;

static int cmp_scored(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void ch_refilter(chooser *c)
{
    scored *s = malloc((c->nitems + 1) * sizeof *s);
    c->nmatch = 0;
    if (!s)
        return;
    size_t n = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        int sc = c->name[i] ? ch_score(c->query.buf, c->name[i]) : -1;
        if (sc >= 0)
            s[n++] = (scored){i, c->query.len ? sc : 0};
    }
    us_sort(s, n, sizeof *s, cmp_scored, NULL);
    for (size_t i = 0; i < n; i++)
        c->match[i] = s[i].idx;
    c->nmatch = n;
    c->cur = c->top = 0;
    free(s);
}

prm_state ch_key(chooser *c, int key, size_t *chosen)
{
    switch (key) {
    case K_UP:
    case K_CTRL('p'):
        if (c->cur > 0)
            c->cur--;
        return PRM_EDITING;
    case K_DOWN:
    case K_CTRL('n'):
        if (c->cur + 1 < c->nmatch)
            c->cur++;
        return PRM_EDITING;
    case K_ENTER:
        if (c->nmatch == 0)
            return PRM_EDITING;
        *chosen = c->match[c->cur];
        return PRM_ACCEPT;
    default:
        break;
    }
    size_t before = c->query.len;
    char old[PRM_MAX];
    memcpy(old, c->query.buf, before + 1);
    prm_state st = prm_key(&c->query, key);
    if (st == PRM_CANCEL)
        return PRM_CANCEL;
    if (strcmp(old, c->query.buf) != 0)
        ch_refilter(c);
    return PRM_EDITING;
}

void ch_draw(chooser *c, canvas *cv)
{
    int w = cv->w - 8 < 76 ? cv->w - 8 : 76, h = cv->h - 6 < 20 ? cv->h - 6 : 20;
    if (w < 20 || h < 5)
        return;
    canvas box = cv_sub(cv, (cv->h - h) / 2, (cv->w - w) / 2, h, w);
    cv_fill(&box, UI_NORMAL);
    cv_box(&box, c->title, UI_PANE_TITLE_FOCUS, UI_BORDER);
    int x = cv_text(&box, 1, 2, "> ", -1, UI_KEY);
    cv_text(&box, 1, x, c->query.buf, w - 5, UI_NORMAL);
    int rows = h - 4;
    if (c->cur < c->top)
        c->top = c->cur;
    if (c->cur >= c->top + (size_t)rows)
        c->top = c->cur - (size_t)rows + 1;
    if (c->nmatch == 0)
        cv_text(&box, 3, 2, "nothing matches", -1, UI_ROW_DIM);
    int namew = 0;
    for (size_t i = 0; i < c->nitems; i++)
        if (c->name[i] && ui_strwidth(c->name[i]) > namew)
            namew = ui_strwidth(c->name[i]);
    if (namew > (w - 4) / 2)
        namew = (w - 4) / 2;
    for (int r = 0; r < rows && c->top + (size_t)r < c->nmatch; r++) {
        size_t i = c->match[c->top + (size_t)r];
        int y = 3 + r;
        cv_text_fit(&box, y, 2, c->name[i], namew, UI_NORMAL);
        if (c->note[i])
            cv_text_fit(&box, y, 3 + namew, c->note[i], w - 5 - namew, UI_ROW_DIM);
        if (c->top + (size_t)r == c->cur)
            cv_role(&box, y, 1, w - 2, UI_ROW_CURSOR);
    }
}
