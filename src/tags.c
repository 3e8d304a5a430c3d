/* tags: review state rebuilt from the journal (see tags.h). */
#include "tags.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strdict.h"

struct tag_state {
    const dataset *ds;
    int id_col;
    strdict *ids;        /* owned; id text -> code; NULL when rows are keyed by number */
    uint32_t *row_of_id; /* owned; per code of ids */
    journal *j;          /* owned; opened at the first write when the file did not exist */
    bool writable;       /* not read-only */
    char *path;          /* owned */
    char names[TG_MAX_TAGS][JR_TAG_MAX];
    size_t ntags, nset;  /* all tags; those of the tag set (the rest came from the journal) */
    size_t count[TG_MAX_TAGS];
    char reviewer[JR_NAME_MAX];
    char fp[JR_FP_LEN + 1];
    tg_row *rows;        /* owned; sorted by row */
    size_t nrows, caprows;
    tg_undo *undo;       /* owned; this session's operations, oldest first */
    size_t nundo, capundo;
    uint64_t seen_bytes; /* journal size at the last replay */
    tg_load_report *rep; /* during a replay */
};

/* ----------------------------------------------------------------- the tag set */

err_code tg_parse_set(char names[][JR_TAG_MAX], size_t *n, const char *text, err *e)
{
    *n = 0;
    size_t line = 1;
    for (const char *p = text; *p;) {
        if (*p == '#') { /* a comment runs to the end of the line */
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (*p == '\n') {
            line++;
            p++;
            continue;
        }
        if (*p == ',' || *p == ' ' || *p == '\t' || *p == '\r') {
            p++;
            continue;
        }
        const char *start = p;
        while (*p && *p != ',' && *p != '\n' && *p != '#')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            end--;
        size_t len = (size_t)(end - start);
        if (len >= JR_TAG_MAX)
            return err_set(e, E_PARSE, "line %zu: tag name longer than %d characters", line,
                           JR_TAG_MAX - 1);
        for (const char *q = start; q < end; q++)
            if ((unsigned char)*q < 0x20 || *q == '"' || *q == '\\')
                return err_set(e, E_PARSE, "line %zu: tag '%.*s' has a quote or control "
                                           "character", line, (int)len, start);
        bool dup = false;
        for (size_t k = 0; k < *n; k++)
            dup |= strlen(names[k]) == len && memcmp(names[k], start, len) == 0;
        if (dup)
            continue;
        if (*n == TG_MAX_TAGS)
            return err_set(e, E_PARSE, "line %zu: more than %d tags", line, TG_MAX_TAGS);
        memcpy(names[*n], start, len);
        names[(*n)++][len] = '\0';
    }
    if (*n == 0)
        return err_set(e, E_PARSE, "the tag set names no tag");
    return E_OK;
}

size_t tg_ntags(const tag_state *t) { return t->ntags; }
const char *tg_tag_name(const tag_state *t, size_t i) { return i < t->ntags ? t->names[i] : NULL; }
const char *tg_reviewer(const tag_state *t) { return t->reviewer; }
const char *tg_journal_path(const tag_state *t) { return t->path; }

int tg_tag_index(const tag_state *t, const char *name)
{
    for (size_t i = 0; i < t->ntags; i++)
        if (strcmp(t->names[i], name) == 0)
            return (int)i;
    return -1;
}

/* ---------------------------------------------------------------------- row keys */

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001B3ULL;
    }
    return h;
}

/* The hash of a row's cells as text, separated by a unit separator. */
static uint64_t row_hash(const dataset *ds, uint32_t row)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    char buf[512];
    for (size_t c = 0; c < ds->ncols; c++) {
        const char *s = ds_cell_text(ds, (int)c, row, buf, sizeof buf);
        h = fnv(h, s, strlen(s));
        h = fnv(h, "\x1f", 1);
    }
    return h;
}

void tg_row_key(const tag_state *t, uint32_t row, char out[JR_KEY_MAX])
{
    if (t->ids) {
        char buf[JR_KEY_MAX - 3];
        snprintf(out, JR_KEY_MAX, "id:%s", ds_cell_text(t->ds, t->id_col, row, buf, sizeof buf));
    } else {
        snprintf(out, JR_KEY_MAX, "row:%u:%016llx", row + 1,
                 (unsigned long long)row_hash(t->ds, row));
    }
}

/* Builds the id -> row map; false (row keys) when an id repeats or is missing. */
static err_code build_ids(tag_state *t, err *e)
{
    if (t->id_col < 0)
        return E_OK;
    err_code rc = sd_new(&t->ids, e);
    if (rc)
        return rc;
    t->row_of_id = malloc((t->ds->nrows ? t->ds->nrows : 1) * sizeof *t->row_of_id);
    if (!t->row_of_id)
        return err_set(e, E_NOMEM, "out of memory indexing ids");
    char buf[JR_KEY_MAX];
    for (size_t r = 0; r < t->ds->nrows; r++) {
        const char *s = ds_cell_text(t->ds, t->id_col, r, buf, sizeof buf);
        uint32_t before = sd_count(t->ids), code;
        if ((rc = sd_intern(t->ids, s, strlen(s), &code, e)))
            return rc;
        if (!s[0] || sd_count(t->ids) == before) { /* missing or repeated: not a key */
            sd_free(t->ids);
            t->ids = NULL;
            free(t->row_of_id);
            t->row_of_id = NULL;
            return E_OK;
        }
        t->row_of_id[code] = (uint32_t)r;
    }
    return E_OK;
}

/* The row a key names in this file, or false. */
static bool resolve(const tag_state *t, const char *key, uint32_t *row)
{
    if (strncmp(key, "id:", 3) == 0) {
        if (!t->ids)
            return false;
        uint32_t code = sd_find(t->ids, key + 3, strlen(key + 3));
        if (code == CODE_NA)
            return false;
        *row = t->row_of_id[code];
        return true;
    }
    unsigned long long n, h;
    char tail;
    if (sscanf(key, "row:%llu:%16llx%c", &n, &h, &tail) != 2 || n == 0 || n > t->ds->nrows)
        return false;
    if (row_hash(t->ds, (uint32_t)(n - 1)) != h)
        return false;
    *row = (uint32_t)(n - 1);
    return true;
}

/* --------------------------------------------------------------------- row state */

static size_t find_pos(const tag_state *t, uint32_t row, bool *found)
{
    size_t lo = 0, hi = t->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->rows[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < t->nrows && t->rows[lo].row == row;
    return lo;
}

const tg_row *tg_get(const tag_state *t, uint32_t row)
{
    bool found;
    size_t p = find_pos(t, row, &found);
    return found ? &t->rows[p] : NULL;
}

bool tg_has(const tag_state *t, uint32_t row, int tag)
{
    const tg_row *r = tg_get(t, row);
    return r && tag >= 0 && tag < TG_MAX_TAGS && (r->mask >> tag & 1u);
}

size_t tg_count_rows(const tag_state *t) { return t->nrows; }
const tg_row *tg_row_at(const tag_state *t, size_t i) { return i < t->nrows ? &t->rows[i] : NULL; }
size_t tg_tag_count(const tag_state *t, int tag)
{
    return tag >= 0 && (size_t)tag < t->ntags ? t->count[tag] : 0;
}

static tg_row *get_or_add(tag_state *t, uint32_t row)
{
    bool found;
    size_t p = find_pos(t, row, &found);
    if (found)
        return &t->rows[p];
    if (t->nrows == t->caprows) {
        size_t cap = t->caprows ? 2 * t->caprows : 64;
        tg_row *nr = realloc(t->rows, cap * sizeof *nr);
        if (!nr)
            return NULL;
        t->rows = nr;
        t->caprows = cap;
    }
    memmove(t->rows + p + 1, t->rows + p, (t->nrows - p) * sizeof *t->rows);
    t->nrows++;
    memset(&t->rows[p], 0, sizeof t->rows[p]);
    t->rows[p].row = row;
    return &t->rows[p];
}

static void free_row(tg_row *r)
{
    free(r->note);
    free(r->reviewers);
}

/* Drops a row that has neither tag nor note left. */
static void drop_if_empty(tag_state *t, uint32_t row)
{
    bool found;
    size_t p = find_pos(t, row, &found);
    if (!found || t->rows[p].mask || t->rows[p].note)
        return;
    free_row(&t->rows[p]);
    memmove(t->rows + p, t->rows + p + 1, (t->nrows - p - 1) * sizeof *t->rows);
    t->nrows--;
}

static err_code add_reviewer(tg_row *r, const char *who, err *e)
{
    if (!who[0])
        return E_OK;
    size_t wl = strlen(who);
    for (const char *p = r->reviewers; p && *p;) {
        const char *end = strstr(p, ", ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == wl && memcmp(p, who, wl) == 0)
            return E_OK;
        p = end ? end + 2 : p + len;
    }
    size_t old = r->reviewers ? strlen(r->reviewers) : 0;
    char *n = realloc(r->reviewers, old + wl + 3);
    if (!n)
        return err_set(e, E_NOMEM, "out of memory");
    if (old)
        memcpy(n + old, ", ", 2), old += 2;
    memcpy(n + old, who, wl + 1);
    r->reviewers = n;
    return E_OK;
}

/* Applies an operation to the state (the journal already holds it). */
static err_code apply_to_row(tag_state *t, uint32_t row, const jr_op *op, err *e)
{
    int tag = -1;
    if (op->kind != JR_NOTE) {
        tag = tg_tag_index(t, op->tag);
        if (tag < 0) {
            if (t->ntags == TG_MAX_TAGS)
                return E_OK; /* counted by nobody: the 65th tag name is ignored */
            tag = (int)t->ntags;
            snprintf(t->names[t->ntags++], JR_TAG_MAX, "%s", op->tag);
        }
    }
    tg_row *r = get_or_add(t, row);
    if (!r)
        return err_set(e, E_NOMEM, "out of memory");
    uint64_t bit = tag >= 0 ? (uint64_t)1 << tag : 0;
    if (op->kind == JR_ADD && !(r->mask & bit)) {
        r->mask |= bit;
        t->count[tag]++;
    } else if (op->kind == JR_REMOVE && (r->mask & bit)) {
        r->mask &= ~bit;
        t->count[tag]--;
    } else if (op->kind == JR_NOTE) {
        free(r->note);
        r->note = NULL;
        if (op->note && op->note[0] && !(r->note = strdup(op->note)))
            return err_set(e, E_NOMEM, "out of memory");
    }
    snprintf(r->last_ts, sizeof r->last_ts, "%s", op->ts);
    snprintf(r->last_reviewer, sizeof r->last_reviewer, "%s", op->reviewer);
    err_code rc = add_reviewer(r, op->reviewer, e);
    drop_if_empty(t, row);
    return rc;
}

static err_code replay_one(void *ctx, const jr_op *op, size_t line, err *e)
{
    (void)line;
    tag_state *t = ctx;
    if (op->fp[0] && strcmp(op->fp, t->fp) != 0)
        t->rep->other_fingerprint++;
    uint32_t row;
    if (!resolve(t, op->key, &row)) {
        if (t->rep->unresolved++ == 0)
            snprintf(t->rep->first_unresolved, sizeof t->rep->first_unresolved, "%s", op->key);
        return E_OK;
    }
    return apply_to_row(t, row, op, e);
}

static void clear_rows(tag_state *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        free_row(&t->rows[i]);
    t->nrows = 0;
    memset(t->count, 0, sizeof t->count);
}

static err_code replay(tag_state *t, tg_load_report *rep, err *e)
{
    tg_load_report local;
    if (!rep)
        rep = &local;
    memset(rep, 0, sizeof *rep);
    snprintf(rep->fingerprint, sizeof rep->fingerprint, "%s", t->fp);
    clear_rows(t);
    t->ntags = t->nset;
    t->rep = rep;
    err_code rc = jr_replay(t->path, replay_one, t, &rep->replay, e);
    t->rep = NULL;
    t->seen_bytes = rep->replay.bytes;
    return rc;
}

/* Opens an existing journal for appending. A journal that does not exist yet is created by
 * the first tag, not by opening the explorer (looking at a file leaves nothing behind); until
 * then its directory is checked now, so that a place where no tag could be saved is known
 * before the reviewer starts. */
static err_code open_or_check(tag_state *t, err *e)
{
    if (access(t->path, F_OK) == 0)
        return jr_open(&t->j, t->path, e);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", t->path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (access(dir, W_OK) != 0)
        return err_set(e, E_IO, "cannot create the tag journal %s: %s (choose a writable place "
                                "with --tags PATH)", t->path, strerror(errno));
    return E_OK;
}

err_code tg_open(tag_state **out, const dataset *ds, const tg_opts *o, tg_load_report *rep,
                 err *e)
{
    tag_state *t = calloc(1, sizeof *t);
    if (!t)
        return err_set(e, E_NOMEM, "out of memory");
    t->ds = ds;
    t->id_col = o->id_col;
    err_code rc;
    if (o->journal_path) {
        t->path = strdup(o->journal_path);
    } else if (strcmp(ds->source, "-") == 0) {
        rc = err_set(e, E_USAGE, "tags of standard input need a journal: give --tags PATH");
        goto fail;
    } else if ((t->path = malloc(strlen(ds->source) + sizeof ".tags.jsonl"))) {
        strcpy(t->path, ds->source);
        strcat(t->path, ".tags.jsonl");
    }
    if (!t->path) {
        rc = err_set(e, E_NOMEM, "out of memory");
        goto fail;
    }
    if ((rc = tg_parse_set(t->names, &t->nset, o->tagset ? o->tagset : TG_DEFAULT_SET, e))) {
        err_prefix(e, "tag set");
        goto fail;
    }
    t->ntags = t->nset;
    const char *who = o->reviewer ? o->reviewer : getenv("USER");
    if (!who || !*who) { /* no $USER (a service, a bare container): the account's name */
        const struct passwd *pw = getpwuid(getuid());
        who = pw ? pw->pw_name : NULL;
    }
    snprintf(t->reviewer, sizeof t->reviewer, "%s", who && *who ? who : "unknown");
    t->writable = !o->read_only;
    if ((rc = jr_fingerprint(ds->source, t->fp, e)) || (rc = build_ids(t, e)) ||
        (t->writable && (rc = open_or_check(t, e))) || (rc = replay(t, rep, e)))
        goto fail;
    *out = t;
    return E_OK;
fail:
    tg_close(t);
    return rc;
}

void tg_close(tag_state *t)
{
    if (!t)
        return;
    clear_rows(t);
    free(t->rows);
    for (size_t i = 0; i < t->nundo; i++)
        free(t->undo[i].note);
    free(t->undo);
    jr_close(t->j);
    sd_free(t->ids);
    free(t->row_of_id);
    free(t->path);
    free(t);
}

err_code tg_refresh(tag_state *t, bool *changed, tg_load_report *rep, err *e)
{
    *changed = jr_file_size(t->path) != t->seen_bytes;
    if (!*changed)
        return E_OK;
    return replay(t, rep, e);
}

/* ------------------------------------------------------------- the reviewer's work */

/* Writes op for row (journal first), then applies it. */
static err_code commit(tag_state *t, uint32_t row, jr_op *op, err *e)
{
    if (!t->writable)
        return err_set(e, E_USAGE, "the tags of %s are open read-only", t->ds->source);
    if (!t->j) {
        err_code rc0 = jr_open(&t->j, t->path, e);
        if (rc0)
            return rc0;
    }
    tg_row_key(t, row, op->key);
    op->row = (uint64_t)row + 1;
    snprintf(op->reviewer, sizeof op->reviewer, "%s", t->reviewer);
    snprintf(op->fp, sizeof op->fp, "%s", t->fp);
    err_code rc = jr_append(t->j, op, e);
    if (rc)
        return rc;
    /* The state follows at once; the next refresh replays the file, ours included, so the
     * order of concurrent reviewers' operations is always the file's. */
    return apply_to_row(t, row, op, e);
}

static err_code push_undo(tag_state *t, tg_undo u, err *e)
{
    if (t->nundo == t->capundo) {
        size_t cap = t->capundo ? 2 * t->capundo : 32;
        tg_undo *nu = realloc(t->undo, cap * sizeof *nu);
        if (!nu) {
            free(u.note);
            return err_set(e, E_NOMEM, "out of memory");
        }
        t->undo = nu;
        t->capundo = cap;
    }
    t->undo[t->nundo++] = u;
    return E_OK;
}

err_code tg_toggle(tag_state *t, uint32_t row, int tag, err *e)
{
    if (tag < 0 || (size_t)tag >= t->ntags || row >= t->ds->nrows)
        return err_set(e, E_RANGE, "no tag %d or row %u", tag + 1, row + 1);
    bool had = tg_has(t, row, tag);
    jr_op op = {.kind = had ? JR_REMOVE : JR_ADD};
    snprintf(op.tag, sizeof op.tag, "%s", t->names[tag]);
    err_code rc = commit(t, row, &op, e);
    if (rc)
        return rc;
    return push_undo(t, (tg_undo){had ? JR_ADD : JR_REMOVE, row, tag, NULL}, e);
}

err_code tg_set_note(tag_state *t, uint32_t row, const char *note, err *e)
{
    if (row >= t->ds->nrows)
        return err_set(e, E_RANGE, "no row %u", row + 1);
    const tg_row *r = tg_get(t, row);
    char *old = r && r->note ? strdup(r->note) : NULL;
    if (r && r->note && !old)
        return err_set(e, E_NOMEM, "out of memory");
    jr_op op = {.kind = JR_NOTE, .note = note};
    err_code rc = commit(t, row, &op, e);
    if (rc) {
        free(old);
        return rc;
    }
    return push_undo(t, (tg_undo){JR_NOTE, row, -1, old}, e);
}

err_code tg_undo_last(tag_state *t, bool *done, err *e)
{
    *done = false;
    if (t->nundo == 0)
        return E_OK;
    tg_undo *u = &t->undo[t->nundo - 1];
    jr_op op = {.kind = u->kind, .note = u->note ? u->note : ""};
    if (u->kind != JR_NOTE)
        snprintf(op.tag, sizeof op.tag, "%s", t->names[u->tag]);
    err_code rc = commit(t, u->row, &op, e);
    if (rc)
        return rc; /* stays on the stack: the reviewer may try again */
    free(u->note);
    t->nundo--;
    *done = true;
    return E_OK;
}

size_t tg_undo_depth(const tag_state *t)
{
    return t->nundo;
}
