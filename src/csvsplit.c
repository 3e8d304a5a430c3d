#include "csvsplit.h"

static bool is_term(char c)
{
    return c == '\r' || c == '\n';
}

static char pick_delim(const size_t count[4])
{
    static const char cand[4] = {',', ';', '\t', '|'};
    size_t best = 0;
    int nbest = 0, at = 0;
    for (int i = 0; i < 4; i++) {
        if (count[i] > best) {
            best = count[i];
            nbest = 1;
            at = i;
        } else if (count[i] == best && best > 0) {
            nbest++;
        }
    }
    return best == 0 || nbest > 1 ? ',' : cand[at];
}

spl_status spl_header(const char *buf, size_t len, bool eof, size_t *end, char *delim)
{
    size_t count[4] = {0, 0, 0, 0};
    bool quoted = false, blank = true;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (quoted) {
            quoted = c != '"';
            continue;
        }
        if (is_term(c)) {
            if (blank) {
                /* A line of spaces and tabs is skipped by libcsv: it is not the header. */
                count[0] = count[1] = count[2] = count[3] = 0;
                continue;
            }
            *end = i + 1;
            *delim = pick_delim(count);
            return SPL_OK;
        }
        if (c != ' ' && c != '\t')
            blank = false;
        switch (c) {
        case '"':
            quoted = true;
            blank = false;
            break;
        case ',':
            count[0]++;
            break;
        case ';':
            count[1]++;
            break;
        case '\t':
            count[2]++;
            break;
        case '|':
            count[3]++;
            break;
        default:
            break;
        }
    }
    if (!eof)
        return SPL_MORE;
    if (blank)
        return SPL_EMPTY;
    *end = len;
    *delim = pick_delim(count);
    return SPL_OK;
}

static bool ordinary(char c, char delim)
{
    return c != '"' && c != delim && c != '\r' && c != '\n' && c != ' ' && c != '\t';
}

/* Whether w[0] lies inside quotes, from the first quote that can be read only one way. */
static bool starts_inside(const char *w, size_t n, char delim)
{
    size_t quotes = 0; /* quotes before position i */
    for (size_t i = 0; i < n;) {
        if (w[i] != '"') {
            i++;
            continue;
        }
        size_t k = 1;
        while (i + k < n && w[i + k] == '"')
            k++;
        int inside = -1; /* state just before the run: 1 inside, 0 outside, -1 unknown */
        if (i > 0 && ordinary(w[i - 1], delim))
            inside = 1;
        else if (i + k < n && ordinary(w[i + k], delim))
            inside = k % 2 == 0;
        if (inside >= 0)
            return (inside != 0) != (quotes % 2 == 1);
        quotes += k;
        i += k;
    }
    return false;
}

bool spl_boundary(const char *w, size_t n, char delim, size_t *cut)
{
    bool inside = starts_inside(w, n, delim);
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '"')
            inside = !inside;
        else if (w[i] == '\n' && !inside && i + 1 < n) {
            *cut = i + 1;
            return true;
        }
    }
    return false;
}
