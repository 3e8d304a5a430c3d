#include "prompt.h"

#include <stdio.h>
#include <string.h>

#include "canvas.h"
#include "keys.h"

void prm_open(prompt *p, const char *label, const char *initial, prm_complete_fn complete,
              prm_history_fn history, size_t nhist, void *ctx)
{
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    snprintf(p->buf, sizeof p->buf, "%s", initial ? initial : "");
    p->len = p->cur = strlen(p->buf);
    p->complete = complete;
    p->history = history;
    p->nhist = p->hpos = nhist;
    p->ctx = ctx;
}

static size_t prev_char(const prompt *p, size_t at)
{
    while (at > 0 && ((unsigned char)p->buf[--at] & 0xc0) == 0x80)
        ;
    return at;
}

static size_t next_char(const prompt *p, size_t at)
{
    if (at < p->len)
        at++;
    while (at < p->len && ((unsigned char)p->buf[at] & 0xc0) == 0x80)
        at++;
    return at;
}

static void delete_range(prompt *p, size_t from, size_t to)
{
    memmove(p->buf + from, p->buf + to, p->len - to + 1);
    p->len -= to - from;
    p->cur = from;
}

static void insert(prompt *p, const char *s, size_t n)
{
    if (p->len + n >= sizeof p->buf)
        return;
    memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
    memcpy(p->buf + p->cur, s, n);
    p->len += n;
    p->cur += n;
}

static void set_text(prompt *p, const char *s)
{
    snprintf(p->buf, sizeof p->buf, "%s", s);
    p->len = p->cur = strlen(p->buf);
}

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-' || c == '`' || (unsigned char)c >= 0x80;
}

/* Tab: completes the word before the cursor to the candidates' common prefix. */
static void complete(prompt *p)
{
    p->note[0] = '\0';
    if (!p->complete)
        return;
    size_t start = p->cur;
    while (start > 0 && is_word(p->buf[start - 1]))
        start--;
    char word[PRM_MAX];
    memcpy(word, p->buf + start, p->cur - start);
    word[p->cur - start] = '\0';
    const char *cand[64];
    size_t n = p->complete(p->ctx, word, cand, 64);
    if (n == 0) {
        snprintf(p->note, sizeof p->note, "no column starts with '%.200s'", word);
        return;
    }
    size_t shown = n < 64 ? n : 64;
    size_t common = strlen(cand[0]);
    for (size_t i = 1; i < shown; i++) {
        size_t k = 0;
        while (k < common && cand[i][k] && cand[i][k] == cand[0][k])
            k++;
        common = k;
    }
    const char *w = word[0] == '`' ? word + 1 : word;
    if (common > strlen(w)) {
        delete_range(p, start, p->cur);
        insert(p, cand[0], common);
        if (n == 1 && cand[0][common - 1] != '(' && cand[0][common - 1] != '[')
            insert(p, " ", 1);
    }
    if (n > 1) {
        size_t len = 0;
        for (size_t i = 0; i < shown && len + 2 < sizeof p->note; i++) {
            int k = snprintf(p->note + len, sizeof p->note - len, "%s%s", i ? "  " : "", cand[i]);
            if (k < 0)
                break;
            len += (size_t)k;
        }
    }
}

prm_state prm_key(prompt *p, int key)
{
    if (key != K_TAB)
        p->note[0] = '\0';
    switch (key) {
    case K_ENTER:
        return PRM_ACCEPT;
    case K_ESC:
    case K_CTRL('c'):
    case K_CTRL('g'):
        return PRM_CANCEL;
    case K_BSPACE:
        if (p->cur == 0 && p->len == 0)
            return PRM_CANCEL;
        if (p->cur > 0)
            delete_range(p, prev_char(p, p->cur), p->cur);
        break;
    case K_DEL:
    case K_CTRL('d'):
        if (p->cur < p->len)
            delete_range(p, p->cur, next_char(p, p->cur));
        break;
    case K_LEFT:
    case K_CTRL('b'):
        p->cur = prev_char(p, p->cur);
        break;
    case K_RIGHT:
    case K_CTRL('f'):
        p->cur = next_char(p, p->cur);
        break;
    case K_HOME:
    case K_CTRL('a'):
        p->cur = 0;
        break;
    case K_END:
    case K_CTRL('e'):
        p->cur = p->len;
        break;
    case K_CTRL('u'):
        delete_range(p, 0, p->cur);
        break;
    case K_CTRL('k'):
        delete_range(p, p->cur, p->len);
        break;
    case K_CTRL('w'): {
        size_t at = p->cur;
        while (at > 0 && p->buf[at - 1] == ' ')
            at--;
        while (at > 0 && p->buf[at - 1] != ' ')
            at--;
        delete_range(p, at, p->cur);
        break;
    }
    case K_TAB:
        complete(p);
        break;
    case K_UP:
        if (p->history && p->hpos > 0) {
            if (p->hpos == p->nhist)
                snprintf(p->draft, sizeof p->draft, "%s", p->buf);
            const char *h = p->history(p->ctx, --p->hpos);
            set_text(p, h ? h : "");
        }
        break;
    case K_DOWN:
        if (p->history && p->hpos < p->nhist) {
            p->hpos++;
            const char *h = p->hpos == p->nhist ? p->draft : p->history(p->ctx, p->hpos);
            set_text(p, h ? h : "");
        }
        break;
    default:
        if (key >= ' ' && key < K_SPECIAL && key != 127) {
            char u[4];
            size_t n;
            if (key < 0x80)
                u[0] = (char)key, n = 1;
            else if (key < 0x800)
                u[0] = (char)(0xc0 | (key >> 6)), u[1] = (char)(0x80 | (key & 0x3f)), n = 2;
            else if (key < 0x10000)
                u[0] = (char)(0xe0 | (key >> 12)), u[1] = (char)(0x80 | ((key >> 6) & 0x3f)),
                u[2] = (char)(0x80 | (key & 0x3f)), n = 3;
            else
                u[0] = (char)(0xf0 | (key >> 18)), u[1] = (char)(0x80 | ((key >> 12) & 0x3f)),
                u[2] = (char)(0x80 | ((key >> 6) & 0x3f)), u[3] = (char)(0x80 | (key & 0x3f)),
                n = 4;
            insert(p, u, n);
        }
    }
    return PRM_EDITING;
}

int prm_cursor_col(const prompt *p)
{
    char before[PRM_MAX];
    memcpy(before, p->buf, p->cur);
    before[p->cur] = '\0';
    return ui_strwidth(before);
}
