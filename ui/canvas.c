#include "canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

err_code cv_init(canvas *cv, int h, int w, bool ascii, err *e)
{
    memset(cv, 0, sizeof *cv);
    cv->ascii = ascii;
    cv->owned = true;
    return cv_resize(cv, h, w, e);
}

void cv_done(canvas *cv)
{
    if (cv->owned)
        free(cv->cells);
    memset(cv, 0, sizeof *cv);
}

err_code cv_resize(canvas *cv, int h, int w, err *e)
{
    if (h < 0)
        h = 0;
    if (w < 0)
        w = 0;
    cv_cell *cells = calloc((size_t)h * (size_t)w + 1, sizeof *cells);
    if (!cells)
        return err_set(e, E_NOMEM, "out of memory for a %dx%d screen", w, h);
    free(cv->cells);
    cv->cells = cells;
    cv->stride = w;
    cv->y0 = cv->x0 = 0;
    cv->h = h;
    cv->w = w;
    cv_fill(cv, UI_NORMAL);
    return E_OK;
}

canvas cv_sub(const canvas *cv, int y, int x, int h, int w)
{
    canvas s = *cv;
    s.owned = false;
    if (y < 0)
        h += y, y = 0;
    if (x < 0)
        w += x, x = 0;
    if (y > cv->h)
        y = cv->h;
    if (x > cv->w)
        x = cv->w;
    if (h > cv->h - y)
        h = cv->h - y;
    if (w > cv->w - x)
        w = cv->w - x;
    s.y0 = cv->y0 + y;
    s.x0 = cv->x0 + x;
    s.h = h < 0 ? 0 : h;
    s.w = w < 0 ? 0 : w;
    return s;
}

static cv_cell *cell(canvas *cv, int y, int x)
{
    if (y < 0 || x < 0 || y >= cv->h || x >= cv->w)
        return NULL;
    return &cv->cells[(size_t)(cv->y0 + y) * (size_t)cv->stride + (size_t)(cv->x0 + x)];
}

const cv_cell *cv_at(const canvas *cv, int y, int x)
{
    return cell((canvas *)(uintptr_t)cv, y, x);
}

void cv_blit(canvas *dst, const canvas *src, int src_y)
{
    for (int y = 0; y < dst->h && src_y + y < src->h; y++)
        for (int x = 0; x < dst->w && x < src->w; x++) {
            const cv_cell *c = cv_at(src, src_y + y, x);
            if (c)
                *cell(dst, y, x) = *c;
        }
}

void cv_fill(canvas *cv, ui_role r)
{
    for (int y = 0; y < cv->h; y++)
        for (int x = 0; x < cv->w; x++)
            *cell(cv, y, x) = (cv_cell){' ', (uint8_t)r};
}

size_t ui_utf8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0) {
        *cp = 0;
        return 0;
    }
    size_t n;
    uint32_t c;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if ((u[0] & 0xe0) == 0xc0 && u[0] >= 0xc2) {
        n = 2, c = u[0] & 0x1f;
    } else if ((u[0] & 0xf0) == 0xe0) {
        n = 3, c = u[0] & 0x0f;
    } else if ((u[0] & 0xf8) == 0xf0 && u[0] <= 0xf4) {
        n = 4, c = u[0] & 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n > len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3f);
    }
    if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (n == 4 && c < 0x10000) ||
        c > 0x10FFFF) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return n;
}

int ui_cpwidth(uint32_t cp)
{
    if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
        (cp >= 0x20D0 && cp <= 0x20FF))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
        (cp >= 0x3041 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
        (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

int ui_strwidth(const char *s)
{
    int w = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += ui_utf8_next(s + i, len - i, &cp);
        w += cp < 0x20 || cp == 0x7f ? 1 : ui_cpwidth(cp);
    }
    return w;
}

/* The ASCII stand-in of a character the explorer draws; '?' for anything else. */
static uint32_t ascii_of(uint32_t cp)
{
    static const struct {
        uint32_t from;
        char to;
    } MAP[] = {
        {0x2500, '-'}, {0x2502, '|'}, {0x250C, '+'}, {0x2510, '+'}, {0x2514, '+'},
        {0x2518, '+'}, {0x251C, '+'}, {0x2524, '+'}, {0x2192, '>'}, {0x203A, '>'},
        {0x2026, '~'}, {0x00B7, '.'}, {0x2013, '-'}, {0x2014, '-'}, {0x00D7, 'x'},
        {0x25B6, '>'}, {0x25BE, 'v'}, {0x25B4, '^'}, {0x2591, '.'}, {0x2592, ':'},
        {0x2593, '*'}, {0x2588, '#'}, {0x2264, '<'}, {0x2265, '>'}, {0x2022, '*'},
        {0x00A0, ' '}, {0x2019, '\''}, {0x201C, '"'}, {0x201D, '"'}, {0x258F, '#'},
        {0x258E, '#'}, {0x258D, '#'}, {0x258C, '#'}, {0x258B, '#'}, {0x258A, '#'},
        {0x2589, '#'}, {0x2715, 'x'}, {0x2713, '+'},
    };
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (MAP[i].from == cp)
            return (uint32_t)MAP[i].to;
    return '?';
}

int cv_text(canvas *cv, int y, int x, const char *s, int maxw, ui_role r)
{
    int limit = maxw < 0 ? cv->w : (x + maxw < cv->w ? x + maxw : cv->w);
    size_t len = strlen(s);
    for (size_t i = 0; i < len && x < limit;) {
        uint32_t cp;
        i += ui_utf8_next(s + i, len - i, &cp);
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            cp = ' ';
        if (cv->ascii && cp >= 0x80)
            cp = ascii_of(cp);
        int w = ui_cpwidth(cp);
        if (w == 0)
            continue; /* combining marks: the base character stands for both */
        if (x + w > limit)
            break;
        cv_cell *c = cell(cv, y, x);
        if (c)
            *c = (cv_cell){cp, (uint8_t)r};
        if (w == 2 && (c = cell(cv, y, x + 1)))
            *c = (cv_cell){CV_WIDE_TAIL, (uint8_t)r};
        x += w;
    }
    return x;
}

int cv_printf(canvas *cv, int y, int x, ui_role r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return cv_text(cv, y, x, buf, -1, r);
}

void cv_text_fit(canvas *cv, int y, int x, const char *s, int w, ui_role r)
{
    if (w <= 0)
        return;
    int end;
    if (ui_strwidth(s) <= w) {
        end = cv_text(cv, y, x, s, w, r);
    } else {
        end = cv_text(cv, y, x, s, w - 1, r);
        end = cv_text(cv, y, end, "…", 1, r);
    }
    for (; end < x + w; end++)
        cv_text(cv, y, end, " ", 1, r);
}

void cv_text_right(canvas *cv, int y, int x, const char *s, int w, ui_role r)
{
    int sw = ui_strwidth(s);
    if (sw >= w) {
        cv_text_fit(cv, y, x, s, w, r);
        return;
    }
    for (int i = 0; i < w - sw; i++)
        cv_text(cv, y, x + i, " ", 1, r);
    cv_text(cv, y, x + w - sw, s, sw, r);
}

void cv_role(canvas *cv, int y, int x, int n, ui_role r)
{
    for (int i = 0; i < n; i++) {
        cv_cell *c = cell(cv, y, x + i);
        if (c)
            c->role = (uint8_t)r;
    }
}

void cv_bar(canvas *cv, int y, int x, int w, double frac, ui_role r)
{
    static const char *const EIGHTHS[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (!(frac > 0) || w <= 0)
        return;
    if (frac > 1)
        frac = 1;
    int units = (int)(frac * w * 8 + 0.5);
    int full = units / 8, rest = units % 8;
    for (int i = 0; i < full; i++)
        cv_text(cv, y, x + i, cv->ascii ? "#" : "█", 1, r);
    if (rest && full < w && !cv->ascii)
        cv_text(cv, y, x + full, EIGHTHS[rest], 1, r);
    else if (rest >= 4 && full < w && cv->ascii)
        cv_text(cv, y, x + full, "#", 1, r);
}

void cv_box(canvas *cv, const char *title, ui_role title_role, ui_role border_role)
{
    if (cv->h < 2 || cv->w < 2)
        return;
    for (int x = 1; x < cv->w - 1; x++) {
        cv_text(cv, 0, x, "─", 1, border_role);
        cv_text(cv, cv->h - 1, x, "─", 1, border_role);
    }
    for (int y = 1; y < cv->h - 1; y++) {
        cv_text(cv, y, 0, "│", 1, border_role);
        cv_text(cv, y, cv->w - 1, "│", 1, border_role);
    }
    cv_text(cv, 0, 0, "┌", 1, border_role);
    cv_text(cv, 0, cv->w - 1, "┐", 1, border_role);
    cv_text(cv, cv->h - 1, 0, "└", 1, border_role);
    cv_text(cv, cv->h - 1, cv->w - 1, "┘", 1, border_role);
    if (title && *title && cv->w > 4) {
        char t[512];
        snprintf(t, sizeof t, " %s ", title);
        int tw = ui_strwidth(t);
        if (tw > cv->w - 3)
            tw = cv->w - 3;
        cv_text_fit(cv, 0, 1, t, tw, title_role);
    }
}

err_code cv_dump(const canvas *cv, strbuf *text, strbuf *roles, err *e)
{
    for (int y = 0; y < cv->h; y++) {
        strbuf line;
        sb_init(&line);
        size_t keep = 0;
        char rl[4096];
        int rlen = 0, rkeep = 0;
        for (int x = 0; x < cv->w; x++) {
            const cv_cell *c = cv_at(cv, y, x);
            if (c->ch == CV_WIDE_TAIL)
                continue;
            char u[5];
            uint32_t cp = c->ch;
            size_t n;
            if (cp < 0x80)
                u[0] = (char)cp, n = 1;
            else if (cp < 0x800)
                u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
            else if (cp < 0x10000)
                u[0] = (char)(0xe0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
                u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
            else
                u[0] = (char)(0xf0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
                u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)),
                n = 4;
            if (sb_append(&line, u, n) != E_OK) {
                sb_done(&line);
                return err_set(e, E_NOMEM, "out of memory dumping the screen");
            }
            if (cp != ' ')
                keep = line.len;
            if (rlen < (int)sizeof rl - 1) {
                /* 'a'..'z', then 'A'.. for the roles past the 26th (the tag roles) */
                rl[rlen++] = c->role == UI_NORMAL ? '.'
                             : c->role < 26       ? (char)('a' + c->role)
                                                  : (char)('A' + c->role - 26);
                if (c->role != UI_NORMAL)
                    rkeep = rlen;
            }
        }
        err_code rc = sb_append(text, sb_str(&line), keep);
        if (rc == E_OK)
            rc = sb_puts(text, "\n");
        if (rc == E_OK && roles) {
            rc = sb_append(roles, rl, (size_t)rkeep);
            if (rc == E_OK)
                rc = sb_puts(roles, "\n");
        }
        sb_done(&line);
        if (rc != E_OK)
            return err_set(e, E_NOMEM, "out of memory dumping the screen");
    }
    return E_OK;
}
