#include "loader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "colbuild.h"
#include "csvsplit.h"
#include "infer.h"
#include "ldheader.h"
#include "ldmerge.h"
#include "ldreport.h"
#include "ldsource.h"
#include "linemap.h"
#include "strbuf.h"

#define CHUNK ((size_t)1 << 20)     /* bytes per read and per csv_parse call */
#define PREFIX ((size_t)1 << 20)    /* first read: the header and the sniffed rows */
#define SNIFF_ROWS 1000             /* rows that choose how each column is read */
#define SPLIT_MIN ((size_t)4 << 20) /* smaller inputs are parsed on one thread */
#define PIECE_MIN ((size_t)2 << 20) /* no thread gets less than this */
#define MAX_THREADS 64
#define WINDOW ((size_t)64 << 10)    /* first look for a cut */
#define WINDOW_MAX ((size_t)4 << 20) /* give up on a cut beyond this */
#define PROGRESS_STEP ((size_t)64 << 20)
#define CSV_BLOCK ((size_t)64 << 10) /* libcsv grows a field's buffer linearly by this */
#define MAX_ROWS ((size_t)UINT32_MAX - 1)
#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)

typedef struct ldr ldr;

/* One thread's piece of the input: bytes [start, end) parsed by its own libcsv parser into
 * its own column builders. */
typedef struct seg {
    ldr *L;            /* borrowed */
    size_t start, end; /* byte range */
    size_t pos;        /* next byte to parse */
    struct csv_parser p;
    bool has_parser;
    colb *cols;   /* owned; ncols builders */
    size_t *pend; /* owned; columns whose cell in this row is deferred (colb_flush) */
    size_t npend;
    size_t field;         /* field index within the current record */
    size_t nrec;          /* records completed (the header included) */
    size_t nrows;         /* data rows stored */
    bool in_header;       /* the first record of the input: names, not data */
    bool inline_progress; /* runs in the calling thread, which reports progress */
    lrep_fault err;
    size_t nlines;      /* line ends in the bytes parsed, for the rescans' starting points */
    bool last_cr;       /* the last byte parsed was a CR */
    char *buf;          /* owned; read buffer for file sources */
    atomic_size_t done; /* bytes parsed, read by the progress reporter */
    atomic_size_t rows; /* rows stored, likewise */
} seg;

/* One read over the input with a given way of storing each column. */
typedef struct pass {
    const inf_mode *modes; /* borrowed; per column */
    size_t nseg;
    seg *segs;      /* owned */
    size_t *bounds; /* owned; nseg + 1 offsets */
    bool *accepted; /* owned; pieces whose results count */
    size_t nrows;
    size_t owner;    /* the piece that parsed the end of the input */
    size_t rec_base; /* records before segs[owner] */
} pass;

struct ldr {
    const ld_opts *o; /* borrowed */
    lsrc src;
    char delim;
    size_t start;      /* first byte after the byte-order mark */
    size_t header_end; /* offset just past the header record */
    size_t ncols;
    char **names;                    /* owned; ncols names */
    bool *forced_text, *forced_time; /* owned; ncols flags */
    inf_na na;
    locale_t cloc; /* owned; C numeric locale for strtod in every thread */
    int pstate0;   /* libcsv's state between records */
    atomic_int cancel;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int running; /* worker threads still parsing; under mu */
    size_t progress_base, progress_total, progress_next;
    /* standard input (not seekable) */
    int in_fd;            /* -1 unless streaming */
    int spool_fd;         /* owned; unlinked copy of what was read, or -1 */
    lrep_anchor *anchors; /* owned; the verified cuts of the last pass, for rescans */
    size_t nanchors;
    char *prefix; /* owned; bytes read ahead (file and stream sources) */
    size_t prefix_len;
    bool prefix_eof; /* the prefix is the whole input */
};

/* What messages need to know about the input, as far as it is known. */
static lrep_where where(const ldr *L)
{
    return (lrep_where){&L->src,  L->delim,   L->start,   (const char *const *)L->names,
                        L->ncols, L->anchors, L->nanchors};
}

static err_code fault(const ldr *L, const lrep_fault *x, size_t rec_base, err *e)
{
    lrep_where w = where(L);
    return lrep_fault_msg(&w, x, rec_base, e);
}

/* ---- one piece: libcsv callbacks ---------------------------------------------------- */

/* Records a builder's error as the piece's first error. */
static void cell_error(seg *g, size_t c, colb_status st)
{
    const colb *b = &g->cols[c];
    g->err.col = c;
    /* rows count from 0 within the piece; the first piece's record 0 is the header */
    g->err.rec = b->err_row + (g->start == g->L->start);
    if (st == COLB_NOMEM) {
        g->err.kind = LREP_NOMEM;
    } else if (st == COLB_FULL) {
        g->err.kind = LREP_FULL;
    } else {
        g->err.kind = LREP_UTF8;
        g->err.utf8_at = b->utf8_at;
        g->err.nul = b->utf8_nul;
    }
}

/* Stores the cells of this row that were deferred (they precede any later error in it). */
static bool flush_row(seg *g)
{
    for (size_t i = 0; i < g->npend; i++) {
        size_t c = g->pend[i];
        colb_status st = colb_flush(&g->cols[c]);
        if (st != COLB_OK) {
            cell_error(g, c, st);
            g->npend = 0;
            return false;
        }
    }
    g->npend = 0;
    return true;
}

static void on_field(void *s, size_t len, void *data)
{
    seg *g = data;
    size_t c = g->field++;
    if (g->err.kind || g->in_header || c >= g->L->ncols)
        return;
    colb_status st = colb_cell(&g->cols[c], s, len, g->nrows);
    if (st == COLB_OK)
        return;
    if (st == COLB_DEFERRED) {
        g->pend[g->npend++] = c;
        return;
    }
    if (flush_row(g))
        cell_error(g, c, st);
}

static void on_row(int term, void *data)
{
    (void)term;
    seg *g = data;
    if (g->err.kind || !flush_row(g))
        return;
    if (g->field != g->L->ncols) {
        g->err.kind = LREP_RAGGED;
        g->err.rec = g->nrec;
        g->err.got = g->field;
        return;
    }
    if (g->in_header)
        g->in_header = false;
    else
        g->nrows++;
    g->nrec++;
    g->field = 0;
}

static err_code seg_init(seg *g, ldr *L, const inf_mode *modes, size_t start, size_t end, err *e)
{
    memset(g, 0, sizeof *g);
    g->L = L;
    g->start = g->pos = start;
    g->end = end;
    g->in_header = start == L->start;
    atomic_init(&g->done, 0);
    atomic_init(&g->rows, 0);
    if (csv_init(&g->p, CSV_OPTS) != 0)
        return err_set(e, E_NOMEM, "out of memory");
    g->has_parser = true;
    csv_set_delim(&g->p, (unsigned char)L->delim);
    csv_set_blk_size(&g->p, CSV_BLOCK);
    g->cols = calloc(L->ncols, sizeof *g->cols);
    g->pend = calloc(L->ncols, sizeof *g->pend);
    if (!g->cols || !g->pend)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t c = 0; c < L->ncols; c++) {
        err_code rc = colb_init(&g->cols[c], modes[c], L->forced_time[c], &L->na, e);
        if (rc != E_OK)
            return rc;
    }
    if (!L->src.mem || L->in_fd >= 0) {
        g->buf = malloc(CHUNK);
        if (!g->buf)
            return err_set(e, E_NOMEM, "out of memory");
    }
    return E_OK;
}

static void seg_free_cols(seg *g, size_t ncols)
{
    if (g->cols)
        for (size_t c = 0; c < ncols; c++)
            colb_done(&g->cols[c]);
    free(g->cols);
    g->cols = NULL;
}

static void seg_done(seg *g, size_t ncols)
{
    if (g->has_parser)
        csv_free(&g->p);
    g->has_parser = false;
    seg_free_cols(g, ncols);
    free(g->pend);
    g->pend = NULL;
    free(g->buf);
    g->buf = NULL;
}

/* Parses n bytes that sit at input offset g->pos. */
static void seg_feed(seg *g, const char *data, size_t n)
{
    g->nlines += lm_count_lines(data, n, &g->last_cr);
    size_t used = csv_parse(&g->p, data, n, on_field, on_row, g);
    if (used < n && !g->err.kind) {
        if (csv_error(&g->p) == CSV_EPARSE) {
            g->err.kind = LREP_STRICT;
            g->err.off = g->pos + used;
            g->err.quoted = g->p.quoted != 0;
        } else {
            g->err.kind = LREP_NOMEM;
        }
    }
    g->pos += n;
    atomic_store_explicit(&g->done, g->pos - g->start, memory_order_relaxed);
    atomic_store_explicit(&g->rows, g->nrows, memory_order_relaxed);
}

static void progress_tick(ldr *L, const pass *P);

/* Parses the input from g->pos up to end (in chunks, watching for cancellation). */
static void seg_parse(seg *g, size_t end, const pass *P)
{
    ldr *L = g->L;
    while (g->pos < end && !g->err.kind) {
        if (atomic_load(&L->cancel)) {
            g->err.kind = LREP_CANCEL;
            break;
        }
        size_t n = end - g->pos < CHUNK ? end - g->pos : CHUNK;
        const char *data = NULL;
        int eno = lsrc_get(&L->src, g->pos, n, g->buf, &data);
        if (eno) {
            g->err.kind = LREP_IO;
            g->err.eno = eno;
            break;
        }
        seg_feed(g, data, n);
        if (g->inline_progress)
            progress_tick(L, P);
    }
}

/* At the end of the input: libcsv emits a last record that has no line end. */
static void seg_finish(seg *g)
{
    if (!g->err.kind && csv_fini(&g->p, on_field, on_row, g) != 0 && !g->err.kind)
        g->err.kind = LREP_UNTERMINATED;
}

/* True when the piece stopped cleanly between two records (so the next piece, which was
 * parsed from that offset with a fresh parser, read the same records). */
static bool seg_between_records(const seg *g)
{
    return !g->err.kind && g->p.pstate == g->L->pstate0 && g->field == 0;
}

/* ---- progress and threads ---------------------------------------------------------- */

static void progress_tick(ldr *L, const pass *P)
{
    const ld_opts *o = L->o;
    if (!o->progress)
        return;
    size_t done = L->progress_base, rows = 0;
    for (size_t i = 0; i < P->nseg; i++) {
        done += atomic_load_explicit(&P->segs[i].done, memory_order_relaxed);
        rows += atomic_load_explicit(&P->segs[i].rows, memory_order_relaxed);
    }
    if (L->progress_total && done > L->progress_total)
        done = L->progress_total; /* a piece re-read after a bad cut counts twice */
    if (done < L->progress_next)
        return;
    L->progress_next = done + PROGRESS_STEP;
    if (o->progress(o->progress_ctx, done, L->progress_total, rows) != 0)
        atomic_store(&L->cancel, 1);
}

typedef struct job {
    seg *g;
    const pass *P;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    ldr *L = j->g->L;
    locale_t old = uselocale(L->cloc);
    seg_parse(j->g, j->g->end, j->P);
    uselocale(old);
    pthread_mutex_lock(&L->mu);
    L->running--;
    pthread_cond_signal(&L->cv);
    pthread_mutex_unlock(&L->mu);
    return NULL;
}

/* Runs every piece on its own thread while the calling thread reports progress. A piece
 * whose thread cannot be started is parsed afterwards by the calling thread. */
static void run_threads(ldr *L, pass *P)
{
    pthread_t tid[MAX_THREADS];
    job jobs[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    for (size_t i = 0; i < P->nseg; i++) {
        jobs[i] = (job){&P->segs[i], P};
        pthread_mutex_lock(&L->mu);
        L->running++;
        pthread_mutex_unlock(&L->mu);
        started[i] = pthread_create(&tid[i], NULL, worker, &jobs[i]) == 0;
        if (!started[i]) {
            pthread_mutex_lock(&L->mu);
            L->running--;
            pthread_mutex_unlock(&L->mu);
        }
    }
    progress_tick(L, P); /* at once: a small input may be done before the first wait ends */
    pthread_mutex_lock(&L->mu);
    while (L->running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&L->cv, &L->mu, &ts);
        pthread_mutex_unlock(&L->mu);
        progress_tick(L, P);
        pthread_mutex_lock(&L->mu);
    }
    pthread_mutex_unlock(&L->mu);
    for (size_t i = 0; i < P->nseg; i++) {
        if (started[i]) {
            pthread_join(tid[i], NULL);
        } else {
            P->segs[i].inline_progress = true;
            seg_parse(&P->segs[i], P->segs[i].end, P);
        }
    }
}

/* ---- pieces: where to cut, and checking the cuts --------------------------------------- */

static size_t thread_count(const ldr *L)
{
    long n = L->o->threads > 0 ? L->o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    size_t bytes = L->src.size - L->start;
    if (bytes < SPLIT_MIN)
        return 1;
    if ((size_t)n > bytes / PIECE_MIN)
        n = (long)(bytes / PIECE_MIN);
    return n < 1 ? 1 : (size_t)n;
}

/* A cut at or after input offset from, or 0 when none is found near it. */
static size_t find_cut(ldr *L, size_t from, char *buf, int *eno)
{
    for (size_t w = WINDOW; from < L->src.size; w *= 2) {
        size_t n = L->src.size - from < w ? L->src.size - from : w;
        const char *data = NULL;
        *eno = lsrc_get(&L->src, from, n, buf, &data);
        if (*eno)
            return 0;
        size_t cut;
        if (spl_boundary(data, n, L->delim, &cut))
            return from + cut;
        if (n < w || w >= WINDOW_MAX)
            break;
    }
    return 0;
}

static err_code plan(ldr *L, pass *P, err *e)
{
    size_t want = thread_count(L);
    P->bounds = malloc((want + 1) * sizeof *P->bounds);
    char *buf = L->src.mem || want == 1 ? NULL : malloc(WINDOW_MAX);
    if (!P->bounds || (!L->src.mem && want > 1 && !buf)) {
        free(buf);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t nb = 0, bytes = L->src.size - L->start;
    P->bounds[nb++] = L->start;
    for (size_t k = 1; k < want; k++) {
        size_t from = L->start + bytes / want * k;
        if (from < L->header_end)
            from = L->header_end;
        if (from < P->bounds[nb - 1] + PIECE_MIN / 2)
            continue;
        int eno = 0;
        size_t cut = find_cut(L, from, buf, &eno);
        if (eno) {
            free(buf);
            return lsrc_io_error(&L->src, eno, e);
        }
        if (cut > P->bounds[nb - 1] && cut < L->src.size)
            P->bounds[nb++] = cut;
    }
    free(buf);
    P->bounds[nb] = L->src.size;
    P->nseg = nb;
    return E_OK;
}

/* Walks the pieces in order. A piece counts when the one before it ended between records;
 * otherwise the cut was inside quotes, its results are dropped and the previous piece goes
 * on through its bytes. On return, segs[owner] holds the first error, if any. */
static void check_cuts(ldr *L, pass *P)
{
    size_t owner = 0, rec_base = 0, line = 1;
    P->accepted[0] = true;
    L->nanchors = 0;
    L->anchors[L->nanchors++] = (lrep_anchor){L->start, 0, 1};
    for (size_t k = 1; k < P->nseg; k++) {
        seg *g = &P->segs[owner];
        if (g->err.kind)
            break;
        if (seg_between_records(g)) {
            rec_base += g->nrec;
            line += g->nlines;
            L->anchors[L->nanchors++] = (lrep_anchor){P->bounds[k], rec_base, line};
            P->accepted[k] = true;
            owner = k;
        } else {
            seg_free_cols(&P->segs[k], L->ncols);
            g->inline_progress = true;
            seg_parse(g, P->bounds[k + 1], P);
        }
    }
    seg_finish(&P->segs[owner]);
    P->owner = owner;
    P->rec_base = rec_base;
}

static void pass_done(pass *P, size_t ncols)
{
    for (size_t i = 0; P->segs && i < P->nseg; i++)
        seg_done(&P->segs[i], ncols);
    free(P->segs);
    free(P->bounds);
    free(P->accepted);
    memset(P, 0, sizeof *P);
}

static err_code pass_alloc(ldr *L, pass *P, err *e)
{
    P->segs = calloc(P->nseg, sizeof *P->segs);
    P->accepted = calloc(P->nseg, sizeof *P->accepted);
    free(L->anchors);
    L->nanchors = 0;
    L->anchors = calloc(P->nseg, sizeof *L->anchors);
    if (!P->segs || !P->accepted || !L->anchors)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t i = 0; i < P->nseg; i++) {
        err_code rc = seg_init(&P->segs[i], L, P->modes, P->bounds[i], P->bounds[i + 1], e);
        if (rc != E_OK)
            return rc;
    }
    return E_OK;
}

static err_code pass_result(ldr *L, pass *P, err *e)
{
    if (atomic_load(&L->cancel))
        return err_set(e, E_CANCEL, "%s: loading cancelled", L->src.name);
    const seg *g = &P->segs[P->owner];
    if (g->err.kind)
        return fault(L, &g->err, P->rec_base, e);
    P->nrows = 0;
    for (size_t i = 0; i < P->nseg; i++)
        if (P->accepted[i])
            P->nrows += P->segs[i].nrows;
    if (P->nrows > MAX_ROWS)
        return err_set(e, E_RANGE, "%s: more than %zu rows", L->src.name, MAX_ROWS);
    return E_OK;
}

/* Reads a seekable input (file or memory) on as many threads as it is worth. */
static err_code run_pass(ldr *L, pass *P, err *e)
{
    err_code rc = plan(L, P, e);
    if (rc == E_OK)
        rc = pass_alloc(L, P, e);
    if (rc != E_OK)
        return rc;
    if (P->nseg == 1) {
        P->segs[0].inline_progress = true;
        seg_parse(&P->segs[0], P->segs[0].end, P);
    } else {
        run_threads(L, P);
    }
    check_cuts(L, P);
    return pass_result(L, P, e);
}

/* Reads standard input once through a single parser. What is read is also written to an
 * unlinked temporary file, which then serves as a seekable source for line numbers and for
 * a second pass. */
static err_code stream_pass(ldr *L, pass *P, err *e)
{
    P->nseg = 1;
    P->bounds = malloc(2 * sizeof *P->bounds);
    if (!P->bounds)
        return err_set(e, E_NOMEM, "out of memory");
    P->bounds[0] = L->start;
    P->bounds[1] = SIZE_MAX;
    err_code rc = pass_alloc(L, P, e);
    if (rc != E_OK)
        return rc;
    seg *g = &P->segs[0];
    P->accepted[0] = true;
    size_t total = L->prefix_len;
    seg_feed(g, L->prefix + L->start, L->prefix_len - L->start);
    free(L->prefix);
    L->prefix = NULL;
    bool eof = L->prefix_eof;
    while (!eof && !g->err.kind) {
        if (atomic_load(&L->cancel)) {
            g->err.kind = LREP_CANCEL;
            break;
        }
        size_t got;
        int eno = lsrc_read_full(L->in_fd, g->buf, CHUNK, &got);
        if (eno) {
            g->err.kind = LREP_IO;
            g->err.eno = eno;
            break;
        }
        eof = got < CHUNK;
        eno = lsrc_write_full(L->spool_fd, g->buf, got);
        if (eno)
            return err_set(e, E_IO, "%s: cannot write a temporary copy: %s", L->src.name,
                           strerror(eno));
        total += got;
        seg_feed(g, g->buf, got);
        progress_tick(L, P);
    }
    L->src.fd = L->spool_fd;
    L->src.size = total;
    L->in_fd = -1;
    seg_finish(g);
    P->owner = 0;
    return pass_result(L, P, e);
}

/* ---- the header and the first rows ---------------------------------------------------- */

/* Makes sure the prefix holds at least want bytes (or the whole input). */
static err_code grow_prefix(ldr *L, size_t want, err *e)
{
    if (L->src.mem) {
        L->prefix_len = want < L->src.size ? want : L->src.size;
        L->prefix_eof = L->prefix_len == L->src.size;
        return E_OK;
    }
    if (L->prefix_eof || L->prefix_len >= want)
        return E_OK;
    char *p = realloc(L->prefix, want);
    if (!p)
        return err_set(e, E_NOMEM, "out of memory");
    L->prefix = p;
    size_t got = 0;
    int eno;
    if (L->in_fd >= 0) {
        eno = lsrc_read_full(L->in_fd, p + L->prefix_len, want - L->prefix_len, &got);
        if (!eno)
            eno = lsrc_write_full(L->spool_fd, p + L->prefix_len, got);
        L->prefix_len += got;
        L->prefix_eof = L->prefix_len < want;
        /* Messages about the header need line numbers: the spool holds what was read. */
        L->src.fd = L->spool_fd;
        L->src.size = L->prefix_len;
    } else {
        size_t n = (L->src.size < want ? L->src.size : want) - L->prefix_len;
        const char *data = NULL;
        eno = lsrc_get(&L->src, L->prefix_len, n, p + L->prefix_len, &data);
        L->prefix_len += n;
        L->prefix_eof = L->prefix_len == L->src.size;
    }
    return eno ? lsrc_io_error(&L->src, eno, e) : E_OK;
}

static const char *prefix_data(const ldr *L)
{
    return L->src.mem ? L->src.mem : L->prefix;
}

/* Reads until the header record is complete; finds the byte-order mark and the delimiter. */
static err_code read_header(ldr *L, err *e)
{
    err_code rc = grow_prefix(L, PREFIX, e);
    if (rc != E_OK)
        return rc;
    const char *p = prefix_data(L);
    if (L->prefix_len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        L->start = 3;
    for (size_t want = PREFIX;;) {
        p = prefix_data(L);
        size_t end;
        char delim;
        spl_status st =
            spl_header(p + L->start, L->prefix_len - L->start, L->prefix_eof, &end, &delim);
        if (st == SPL_EMPTY)
            return err_set(e, E_PARSE, "%s: empty file", L->src.name);
        if (st == SPL_OK) {
            L->header_end = L->start + end;
            L->delim = L->o->delimiter ? L->o->delimiter : delim;
            return E_OK;
        }
        want *= 2;
        if ((rc = grow_prefix(L, want, e)) != E_OK)
            return rc;
    }
}

typedef struct sniff {
    ldr *L;       /* borrowed */
    strbuf names; /* the header's fields, each NUL-terminated */
    size_t nnames;
    bool header_done, nomem;
    size_t field, rows;
    inf_sniff *k; /* owned; per column */
} sniff;

static void sniff_field(void *s, size_t len, void *data)
{
    sniff *z = data;
    if (z->nomem || z->rows >= SNIFF_ROWS)
        return;
    if (!z->header_done) {
        size_t at = z->names.len;
        if (sb_append(&z->names, s, len + 1) != E_OK) {
            z->nomem = true;
            return;
        }
        /* The names are kept NUL-separated; a NUL inside one becomes a byte that the UTF-8
         * check refuses, so that the name is reported rather than cut. */
        for (size_t i = 0; i < len; i++)
            if (z->names.s[at + i] == '\0')
                z->names.s[at + i] = '\xff';
        z->nnames++;
        return;
    }
    size_t c = z->field++;
    if (c < z->L->ncols)
        inf_sniff_cell(&z->k[c], &z->L->na, z->L->forced_time[c], s, len);
}

static err_code find_forced(ldr *L, const char *const *list, size_t n, bool *flags,
                            const char *what, err *e)
{
    lrep_where w = where(L);
    return lhdr_flag((const char *const *)L->names, L->ncols, list, n, flags, what, &w, e);
}

static void sniff_row(int term, void *data)
{
    (void)term;
    sniff *z = data;
    if (z->nomem || z->rows >= SNIFF_ROWS)
        return;
    if (z->header_done) {
        z->rows++;
        z->field = 0;
        return;
    }
    z->header_done = true;
    ldr *L = z->L;
    L->ncols = z->nnames;
    L->names = calloc(L->ncols, sizeof *L->names);
    L->forced_text = calloc(L->ncols, sizeof *L->forced_text);
    L->forced_time = calloc(L->ncols, sizeof *L->forced_time);
    z->k = calloc(L->ncols, sizeof *z->k);
    if (!L->names || !L->forced_text || !L->forced_time || !z->k) {
        z->nomem = true;
        return;
    }
    const char *s = sb_str(&z->names);
    for (size_t c = 0; c < L->ncols; c++) {
        size_t len = strlen(s);
        if (!(L->names[c] = strdup(s))) {
            z->nomem = true;
            return;
        }
        s += len + 1;
    }
    /* Unknown names are reported after the sniff; the flags only need to be right here. */
    find_forced(L, L->o->time_cols, L->o->ntime_cols, L->forced_time, "time", NULL);
}

/* Parses the prefix for the names and the first rows, and chooses each column's mode. */
static err_code sniff_prefix(ldr *L, inf_mode **modes, err *e)
{
    sniff z;
    memset(&z, 0, sizeof z);
    z.L = L;
    sb_init(&z.names);
    struct csv_parser p;
    if (csv_init(&p, CSV_OPTS) != 0)
        return err_set(e, E_NOMEM, "out of memory");
    csv_set_delim(&p, (unsigned char)L->delim);
    csv_set_blk_size(&p, CSV_BLOCK);
    L->pstate0 = p.pstate;
    const char *data = prefix_data(L) + L->start;
    size_t n = L->prefix_len - L->start;
    size_t used = csv_parse(&p, data, n, sniff_field, sniff_row, &z);
    lrep_fault x = {.kind = LREP_NONE};
    if (used < n && !z.header_done) {
        x.kind = csv_error(&p) == CSV_EPARSE ? LREP_STRICT : LREP_NOMEM;
        x.off = L->start + used;
        x.quoted = p.quoted != 0;
    } else if (used == n && L->prefix_eof && csv_fini(&p, sniff_field, sniff_row, &z) != 0 &&
               !z.header_done) {
        x.kind = LREP_UNTERMINATED;
    }
    csv_free(&p);
    err_code rc = E_OK;
    if (z.nomem)
        rc = err_set(e, E_NOMEM, "out of memory");
    else if (x.kind)
        rc = fault(L, &x, 0, e);
    else if (!z.header_done) /* cannot happen: read_header found a complete record */
        rc = err_set(e, E_PARSE, "%s: no header line", L->src.name);
    if (rc == E_OK)
        rc = find_forced(L, L->o->time_cols, L->o->ntime_cols, L->forced_time, "time", e);
    if (rc == E_OK)
        rc = find_forced(L, L->o->text_cols, L->o->ntext_cols, L->forced_text, "text", e);
    if (rc == E_OK && !(*modes = malloc(L->ncols * sizeof **modes)))
        rc = err_set(e, E_NOMEM, "out of memory");
    for (size_t c = 0; rc == E_OK && c < L->ncols; c++)
        (*modes)[c] = inf_sniff_mode(&z.k[c], L->forced_text[c], L->forced_time[c]);
    free(z.k);
    sb_done(&z.names);
    return rc;
}

/* Moves the columns read by a pass into the dataset. */
static err_code take_columns(ldr *L, pass *P, dataset *ds, size_t *first_bad, bool *redo, err *e)
{
    colb *pieces[MAX_THREADS];
    size_t n = 0;
    for (size_t i = 0; i < P->nseg; i++)
        if (P->accepted[i])
            pieces[n++] = P->segs[i].cols;
    lmg_pass mp = {.pieces = pieces,
                   .npieces = n,
                   .ncols = L->ncols,
                   .nrows = P->nrows,
                   .modes = P->modes,
                   .forced_text = L->forced_text,
                   .forced_time = L->forced_time,
                   .cloc = L->cloc,
                   .nthreads = P->nseg};
    return lmg_take(&mp, ds, first_bad, redo, e);
}

static err_code build(ldr *L, const inf_mode *modes, dataset *ds, err *e)
{
    size_t ncols = L->ncols;
    inf_mode *redo_modes = malloc(ncols * sizeof *redo_modes);
    size_t *first_bad = malloc(ncols * sizeof *first_bad);
    bool *redo = calloc(ncols, sizeof *redo);
    pass P;
    memset(&P, 0, sizeof P);
    err_code rc = E_OK;
    if (!redo_modes || !first_bad || !redo) {
        rc = err_set(e, E_NOMEM, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < ncols; c++)
        first_bad[c] = SIZE_MAX;
    P.modes = modes;
    L->progress_total = L->in_fd >= 0 ? 0 : L->src.size;
    rc = L->in_fd >= 0 ? stream_pass(L, &P, e) : run_pass(L, &P, e);
    if (rc != E_OK)
        goto done;
    if (P.nrows == 0) {
        rc = err_set(e, E_PARSE, "%s: no data rows, only a header", L->src.name);
        goto done;
    }
    ds->nrows = P.nrows;
    if ((rc = take_columns(L, &P, ds, first_bad, redo, e)) != E_OK)
        goto done;
    pass_done(&P, ncols);

    bool any = false;
    for (size_t c = 0; c < ncols; c++) {
        redo_modes[c] = redo[c] ? INF_STR : INF_SKIP;
        any |= redo[c];
    }
    if (any) {
        /* Second pass, rare: a column read as numbers holds strings after the first rows,
         * and the text of its numeric cells is needed verbatim ("007" stays "007"). */
        P.modes = redo_modes;
        L->progress_base = L->progress_total = L->src.size;
        L->progress_total *= 2;
        L->progress_next = 0;
        if ((rc = run_pass(L, &P, e)) != E_OK)
            goto done;
        if ((rc = take_columns(L, &P, ds, first_bad, redo, e)) != E_OK)
            goto done;
    }
    lrep_where w = where(L);
    rc = lmg_bad_lines(&w, ds, first_bad, e);
done:
    pass_done(&P, ncols);
    free(redo_modes);
    free(first_bad);
    free(redo);
    return rc;
}

static err_code load(ldr *L, const char *source_name, dataset **out, err *e)
{
    inf_mode *modes = NULL;
    dataset *ds = NULL;
    err_code rc = read_header(L, e);
    if (rc == E_OK)
        rc = sniff_prefix(L, &modes, e);
    if (rc == E_OK) {
        lrep_where w = where(L);
        rc = lhdr_check(L->names, L->ncols, &w, e);
    }
    if (rc != E_OK)
        goto fail;
    if (L->in_fd < 0) {
        free(L->prefix);
        L->prefix = NULL;
    }
    ds = calloc(1, sizeof *ds);
    if (!ds || !(ds->cols = calloc(L->ncols, sizeof *ds->cols)) ||
        !(ds->source = strdup(source_name))) {
        rc = err_set(e, E_NOMEM, "out of memory");
        goto fail;
    }
    ds->ncols = L->ncols;
    ds->delimiter = L->delim;
    for (size_t c = 0; c < L->ncols; c++) {
        if (!(ds->cols[c].name = strdup(L->names[c]))) {
            rc = err_set(e, E_NOMEM, "out of memory");
            goto fail;
        }
        ds->cols[c].role = ROLE_FEATURE;
    }
    if ((rc = build(L, modes, ds, e)) != E_OK)
        goto fail;
    ds->nbytes = L->src.size;
    free(modes);
    *out = ds;
    return E_OK;
fail:
    free(modes);
    ds_free(ds);
    return rc;
}

/* ---- entry points ------------------------------------------------------------------- */

void ld_opts_init(ld_opts *o)
{
    memset(o, 0, sizeof *o);
}

static err_code check_opts(const ld_opts *o, const char *name, err *e)
{
    char d = o->delimiter;
    if (d == '"' || d == '\r' || d == '\n')
        return err_set(e, E_USAGE, "%s: a quote or a line end cannot be the delimiter", name);
    return E_OK;
}

static err_code ldr_init(ldr *L, const ld_opts *o, const char *name, err *e)
{
    memset(L, 0, sizeof *L);
    L->o = o;
    L->src.name = name;
    L->src.fd = L->in_fd = L->spool_fd = -1;
    L->na = (inf_na){o->na, o->nna};
    atomic_init(&L->cancel, 0);
    pthread_mutex_init(&L->mu, NULL);
    pthread_cond_init(&L->cv, NULL);
    L->cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!L->cloc)
        return err_set(e, E_NOMEM, "out of memory");
    return check_opts(o, name, e);
}

static void ldr_done(ldr *L)
{
    if (L->cloc)
        freelocale(L->cloc);
    pthread_mutex_destroy(&L->mu);
    pthread_cond_destroy(&L->cv);
    for (size_t c = 0; L->names && c < L->ncols; c++)
        free(L->names[c]);
    free(L->names);
    free(L->forced_text);
    free(L->forced_time);
    free(L->prefix);
    free(L->anchors);
    if (L->spool_fd >= 0)
        close(L->spool_fd);
}

/* Runs a load with this thread under the C numeric locale (strtod must read '.'). */
static err_code run_load(ldr *L, const char *source_name, dataset **out, err *e)
{
    locale_t old = uselocale(L->cloc);
    err_code rc = load(L, source_name, out, e);
    uselocale(old);
    return rc;
}

err_code ld_csv_mem(dataset **out, const char *name, const char *buf, size_t len, const ld_opts *o,
                    err *e)
{
    ldr L;
    err_code rc = ldr_init(&L, o, name, e);
    if (rc == E_OK) {
        L.src.mem = buf ? buf : "";
        L.src.size = buf ? len : 0;
        rc = run_load(&L, name, out, e);
    }
    ldr_done(&L);
    return rc;
}

err_code ld_csv_file(dataset **out, const char *path, const ld_opts *o, err *e)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "standard input" : path;
    ldr L;
    err_code rc = ldr_init(&L, o, name, e);
    int fd = -1;
    if (rc != E_OK)
        goto done;
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = err_set(e, E_IO, "%s: cannot open: %s", name, strerror(errno));
        goto done;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = err_set(e, E_IO, "%s: cannot read: %s", name, strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = err_set(e, E_IO, "%s: is a directory", name);
        goto done;
    }
    /* A regular file (also standard input redirected from one, at its start) is read with
     * pread by several threads; pipes and terminals are streamed. */
    if (S_ISREG(st.st_mode) && (!is_stdin || lseek(fd, 0, SEEK_CUR) == 0)) {
        L.src.fd = fd;
        L.src.size = (size_t)st.st_size;
    } else {
        L.in_fd = fd;
        int eno = lsrc_spool(&L.spool_fd);
        if (eno) {
            rc = err_set(e, E_IO, "%s: cannot create a temporary copy: %s", name, strerror(eno));
            goto done;
        }
    }
    rc = run_load(&L, path, out, e);
done:
    if (fd >= 0 && !is_stdin)
        close(fd);
    ldr_done(&L);
    return rc;
}
