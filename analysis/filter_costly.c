/* The costly text tests: a regex, len() or tokens() evaluated once per distinct value of a
 * text field. A text column can hold a million distinct values, so the values are shared
 * out in chunks among a few threads; each thread has its own PCRE2 match scratch, and the
 * compiled pattern and the dictionary are only read. */
#include "filter_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct job {
    const flt_ctx *c;
    const flt_plan *p;
    const flt_field *text;  /* the field whose values are tested */
    const uint8_t *need;    /* borrowed; may be NULL */
    uint8_t *tab;           /* borrowed; results */
    uint32_t nc;
    atomic_size_t next;     /* first value of the next chunk to take */
    atomic_int rc;          /* the first PCRE2 error, 0 when none */
    atomic_bool nomem;      /* a worker could not get its match scratch */
} job;

#define CHUNK 512u
#define MAX_THREADS 8u

double flt_measure(const char *s, size_t len, bool words)
{
    size_t count = 0;
    if (!words) {
        for (size_t i = 0; i < len; i++)
            count += ((unsigned char)s[i] & 0xC0) != 0x80;
        return (double)count;
    }
    bool in_word = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool sp = ch == ' ' || (ch >= '\t' && ch <= '\r');
        count += !sp && !in_word;
        in_word = !sp;
    }
    return (double)count;
}

/* The result for one value, or a negative PCRE2 error. */
static int test_value(const job *j, rx_md *md, uint32_t k)
{
    size_t len;
    const char *s = flt_code_str(j->c, j->text, k, &len);
    if (j->p->kind == PK_REGEX) {
        int m = rx_match_md(j->p->re, md, s, len);
        return m < 0 ? m : m != j->p->neg;
    }
    return flt_num_test(j->p, flt_measure(s, len, j->p->f->src == FS_TOKENS));
}

static void *worker(void *arg)
{
    job *j = arg;
    rx_md *md = NULL;
    if (j->p->kind == PK_REGEX && rx_md_new(&md, j->p->re, NULL) != E_OK) {
        atomic_store(&j->nomem, true);
        return NULL;
    }
    for (;;) {
        size_t start = atomic_fetch_add(&j->next, CHUNK);
        if (start >= j->nc || atomic_load(&j->rc) != 0 || atomic_load(&j->nomem))
            break;
        size_t end = j->nc - start < CHUNK ? j->nc : start + CHUNK;
        for (size_t k = start; k < end; k++) {
            if (j->need && !j->need[k]) {
                j->tab[k] = 0;
                continue;
            }
            int r = test_value(j, md, (uint32_t)k);
            if (r < 0) {
                int zero = 0;
                atomic_compare_exchange_strong(&j->rc, &zero, r);
                break;
            }
            j->tab[k] = (uint8_t)r;
        }
    }
    rx_md_free(md);
    return NULL;
}

/* One thread per core, but no more than one per 4096 values: below that, starting a thread
 * costs more than it saves. */
static unsigned thread_count(size_t work)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = ncpu > 1 ? (size_t)ncpu : 1, by_work = work / 4096 + 1;
    if (t > MAX_THREADS)
        t = MAX_THREADS;
    return (unsigned)(t < by_work ? t : by_work);
}

err_code flt_costly_table(const flt_ctx *c, const flt_plan *p, const uint8_t *need,
                          uint8_t *tab, uint32_t nc, err *e)
{
    job j = {.c = c, .p = p, .need = need, .tab = tab, .nc = nc};
    j.text = p->f->src == FS_LEN || p->f->src == FS_TOKENS ? p->f->arg : p->f;
    atomic_init(&j.next, 0);
    atomic_init(&j.rc, 0);
    atomic_init(&j.nomem, false);
    size_t work = nc;
    if (need) {
        work = 0;
        for (uint32_t k = 0; k < nc; k++)
            work += need[k];
    }
    unsigned nt = thread_count(work), started = 0;
    pthread_t th[MAX_THREADS];
    for (; started + 1 < nt; started++)
        if (pthread_create(&th[started], NULL, worker, &j) != 0)
            break; /* fewer threads: the others take more chunks */
    worker(&j);
    for (unsigned t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    int rc = atomic_load(&j.rc);
    if (rc != 0) {
        char msg[160], pat[FLT_SNIP];
        const char *pattern = rx_pattern(p->re);
        rx_error_text(rc, msg, sizeof msg);
        err_set(e, E_REGEX, "regex /%s/ failed on a text: %s",
                flt_snip(pattern, strlen(pattern), pat, sizeof pat), msg);
        return E_REGEX;
    }
    /* a worker without scratch stops them all, so some values may not have been tested */
    if (atomic_load(&j.nomem)) {
        err_set(e, E_NOMEM, "out of memory");
        return E_NOMEM;
    }
    return E_OK;
}
