#include "linemap.h"

#include <string.h>

/* The states of libcsv's parser, which this scanner mirrors. */
enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED };

void lm_init(lm_scan *s, char delim, size_t start, const size_t *recs, size_t *rec_lines,
             size_t nrecs, size_t off_query)
{
    memset(s, 0, sizeof *s);
    s->delim = (unsigned char)delim;
    /* Inside a field only quotes, the delimiter and line ends matter; inside quotes the
     * delimiter is text too. */
    memset(s->skip_unquoted, 1, sizeof s->skip_unquoted);
    s->skip_unquoted['"'] = s->skip_unquoted['\r'] = s->skip_unquoted['\n'] = 0;
    memcpy(s->skip_quoted, s->skip_unquoted, sizeof s->skip_quoted);
    s->skip_unquoted[s->delim] = 0;
    s->state = ROW_NOT_BEGUN;
    s->off = start;
    s->line = 1;
    s->recs = recs;
    s->rec_lines = rec_lines;
    s->nrecs = nrecs;
    s->off_query = off_query;
    for (size_t i = 0; i < nrecs; i++)
        rec_lines[i] = 0;
}

bool lm_done(const lm_scan *s)
{
    return s->failed ||
           (!s->to_end && s->next >= s->nrecs && (s->off_query == LM_NONE || s->off_line));
}

size_t lm_open_quote_line(const lm_scan *s)
{
    return s->state == FIELD_BEGUN && s->quoted ? s->quote_line : 0;
}

static void row_begins(lm_scan *s)
{
    while (s->next < s->nrecs && s->recs[s->next] <= s->rec) {
        if (s->recs[s->next] == s->rec)
            s->rec_lines[s->next] = s->line;
        s->next++;
    }
}

static bool is_space(const lm_scan *s, unsigned char c)
{
    return (c == ' ' || c == '\t') && c != s->delim;
}

static bool is_term(unsigned char c)
{
    return c == '\r' || c == '\n';
}

static void end_row(lm_scan *s)
{
    s->rec++;
    s->state = ROW_NOT_BEGUN;
}

/* One byte through libcsv's state machine (strict mode). */
static void step(lm_scan *s, unsigned char c)
{
    switch (s->state) {
    case ROW_NOT_BEGUN:
    case FIELD_NOT_BEGUN:
        if (is_space(s, c))
            break;
        if (is_term(c)) {
            if (s->state == FIELD_NOT_BEGUN)
                end_row(s);
            break;
        }
        if (s->state == ROW_NOT_BEGUN)
            row_begins(s);
        if (c == s->delim) {
            s->state = FIELD_NOT_BEGUN;
        } else {
            s->state = FIELD_BEGUN;
            s->quoted = c == '"';
            if (s->quoted)
                s->quote_line = s->line;
        }
        break;
    case FIELD_BEGUN:
        if (c == '"') {
            if (!s->quoted)
                s->failed = true;
            s->state = FIELD_MIGHT_HAVE_ENDED;
            s->spaces = 0;
        } else if (!s->quoted && c == s->delim) {
            s->state = FIELD_NOT_BEGUN;
        } else if (!s->quoted && is_term(c)) {
            end_row(s);
        }
        break;
    default: /* FIELD_MIGHT_HAVE_ENDED */
        if (c == s->delim) {
            s->state = FIELD_NOT_BEGUN;
        } else if (is_term(c)) {
            end_row(s);
        } else if (c == ' ' || c == '\t') {
            s->spaces++;
        } else if (c == '"' && !s->spaces) {
            s->state = FIELD_BEGUN;
        } else {
            s->failed = true;
        }
        break;
    }
    if (c == '\r') {
        s->line++;
        s->prev_cr = true;
    } else {
        if (c == '\n' && !s->prev_cr)
            s->line++;
        s->prev_cr = false;
    }
}

void lm_feed(lm_scan *s, const char *buf, size_t len)
{
    const unsigned char *u = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len && !lm_done(s)) {
        if (s->state == FIELD_BEGUN) {
            /* Field content: skip to the next byte that can change the state or the line. */
            const unsigned char *skip = s->quoted ? s->skip_quoted : s->skip_unquoted;
            size_t i0 = i;
            while (i < len && skip[u[i]])
                i++;
            if (i > i0) {
                if (s->off_query != LM_NONE && s->off_query >= s->off + i0 &&
                    s->off_query < s->off + i)
                    s->off_line = s->line;
                s->prev_cr = false;
                if (i == len)
                    break;
            }
        }
        if (s->off + i == s->off_query)
            s->off_line = s->line;
        step(s, u[i]);
        i++;
    }
    s->off += i;
}
