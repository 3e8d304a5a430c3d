/* journal: durable append-only JSON lines (see journal.h). */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonl.h"
#include "strbuf.h"

struct journal {
    int fd;
    char *path;
};

const char *jr_kind_name(jr_kind k)
{
    switch (k) {
    case JR_ADD:
        return "add";
    case JR_REMOVE:
        return "remove";
    default:
        return "note";
    }
}

err_code jr_open(journal **out, const char *path, err *e)
{
    journal *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        return err_set(e, E_NOMEM, "out of memory opening the journal");
    }
    j->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (j->fd < 0) {
        int saved = errno;
        free(j->path);
        free(j);
        return err_set(e, E_IO, "cannot open the tag journal %s: %s%s", path, strerror(saved),
                       saved == EROFS || saved == EACCES
                           ? " (choose a writable place with --tags PATH)" : "");
    }
    *out = j;
    return E_OK;
}

void jr_close(journal *j)
{
    if (!j)
        return;
    close(j->fd);
    free(j->path);
    free(j);
}

const char *jr_path(const journal *j)
{
    return j->path;
}

void jr_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static err_code format_line(strbuf *sb, const jr_op *op)
{
    err_code rc = sb_puts(sb, "{\"key\":");
    if (!rc) rc = jl_put_string(sb, op->key);
    if (!rc && op->row) rc = sb_printf(sb, ",\"row\":%llu", (unsigned long long)op->row);
    if (!rc) rc = sb_printf(sb, ",\"op\":\"%s\",\"tag\":", jr_kind_name(op->kind));
    if (!rc) rc = op->kind == JR_NOTE ? sb_puts(sb, "null") : jl_put_string(sb, op->tag);
    if (!rc) rc = sb_puts(sb, ",\"note\":");
    if (!rc) rc = op->kind == JR_NOTE ? jl_put_string(sb, op->note ? op->note : "")
                                      : sb_puts(sb, "null");
    if (!rc) rc = sb_puts(sb, ",\"reviewer\":");
    if (!rc) rc = jl_put_string(sb, op->reviewer);
    if (!rc) rc = sb_printf(sb, ",\"ts\":\"%s\",\"fp\":", op->ts);
    if (!rc) rc = jl_put_string(sb, op->fp);
    if (!rc) rc = sb_puts(sb, "}\n");
    return rc;
}

/* Writes all of buf; false with errno set on failure. */
static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (n == 0) {
            errno = EIO;
            return false;
        }
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Puts a line break in front of the text of sb. */
static err_code sb_insert_nl(strbuf *sb)
{
    strbuf t;
    sb_init(&t);
    err_code rc = sb_append(&t, "\n", 1);
    if (rc == E_OK)
        rc = sb_append(&t, sb->s, sb->len);
    if (rc != E_OK) {
        sb_done(&t);
        return rc;
    }
    sb_done(sb);
    *sb = t;
    return E_OK;
}

err_code jr_append(journal *j, jr_op *op, err *e)
{
    if (!op->ts[0])
        jr_now(op->ts);
    strbuf sb;
    sb_init(&sb);
    if (format_line(&sb, op) != E_OK) {
        sb_done(&sb);
        return err_set(e, E_NOMEM, "out of memory writing the tag journal");
    }
    err_code rc = E_OK;
    while (flock(j->fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            rc = err_set(e, E_IO, "cannot lock the tag journal %s: %s", j->path, strerror(errno));
            sb_done(&sb);
            return rc;
        }
    }
    struct stat st;
    off_t before = fstat(j->fd, &st) == 0 ? st.st_size : -1;
    /* A torn last line (a crash in the middle of someone's write) would swallow ours: end it
     * first, in the same write, so that it stays one bad line and ours a good one. */
    char last = '\n';
    int rfd = before > 0 ? open(j->path, O_RDONLY | O_CLOEXEC) : -1; /* j->fd only writes */
    bool torn = rfd >= 0 && pread(rfd, &last, 1, before - 1) == 1 && last != '\n';
    if (rfd >= 0)
        close(rfd);
    if (torn && sb_insert_nl(&sb) != E_OK) {
        flock(j->fd, LOCK_UN);
        sb_done(&sb);
        return err_set(e, E_NOMEM, "out of memory writing the tag journal");
    }
    if (!write_all(j->fd, sb.s, sb.len) || fsync(j->fd) != 0) {
        int saved = errno;
        /* Take back whatever part of the line reached the file: under the lock nobody else
         * has appended since `before`, so this removes only our own bytes. */
        if (before >= 0 && ftruncate(j->fd, before) == 0)
            (void)fsync(j->fd);
        rc = err_set(e, E_IO, "the tag was NOT saved: cannot write %s: %s%s; earlier tags are "
                              "intact", j->path, strerror(saved),
                     saved == ENOSPC ? " (the disk is full)" : "");
    }
    flock(j->fd, LOCK_UN);
    sb_done(&sb);
    return rc;
}

static void copy_field(char *dst, size_t size, const jl_field *f)
{
    snprintf(dst, size, "%s", f && f->kind == JL_STRING ? f->value : "");
}

/* Turns a parsed line into an operation; a reason when it is not one. */
static const char *to_op(const jl_object *o, jr_op *op)
{
    memset(op, 0, sizeof *op);
    const jl_field *key = jl_get(o, "key"), *kind = jl_get(o, "op"), *tag = jl_get(o, "tag"),
                   *note = jl_get(o, "note"), *row = jl_get(o, "row");
    if (!key || key->kind != JL_STRING || !key->value[0])
        return "no \"key\"";
    if (strlen(key->value) >= JR_KEY_MAX)
        return "\"key\" too long";
    if (!kind || kind->kind != JL_STRING)
        return "no \"op\"";
    if (strcmp(kind->value, "add") == 0)
        op->kind = JR_ADD;
    else if (strcmp(kind->value, "remove") == 0)
        op->kind = JR_REMOVE;
    else if (strcmp(kind->value, "note") == 0)
        op->kind = JR_NOTE;
    else
        return "unknown \"op\"";
    if (op->kind != JR_NOTE &&
        (!tag || tag->kind != JL_STRING || !tag->value[0] || strlen(tag->value) >= JR_TAG_MAX))
        return "no valid \"tag\"";
    if (op->kind == JR_NOTE && (!note || note->kind != JL_STRING))
        return "no \"note\"";
    snprintf(op->key, sizeof op->key, "%s", key->value);
    copy_field(op->tag, sizeof op->tag, tag);
    op->note = op->kind == JR_NOTE ? note->value : NULL;
    copy_field(op->reviewer, sizeof op->reviewer, jl_get(o, "reviewer"));
    copy_field(op->ts, sizeof op->ts, jl_get(o, "ts"));
    copy_field(op->fp, sizeof op->fp, jl_get(o, "fp"));
    if (row && row->kind == JL_NUMBER)
        op->row = strtoull(row->value, NULL, 10);
    return NULL;
}

static void note_bad(jr_replay_report *rep, size_t line, const char *why)
{
    if (rep->bad < sizeof rep->first_bad / sizeof rep->first_bad[0])
        rep->first_bad[rep->bad] = line;
    if (rep->bad == 0)
        snprintf(rep->first_why, sizeof rep->first_why, "line %zu: %s", line, why);
    rep->bad++;
}

/* Reads the whole file; *data NULL and *len 0 when it does not exist. */
static err_code slurp(const char *path, char **data, size_t *len, err *e)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return E_OK;
        return err_set(e, E_IO, "cannot read the tag journal %s: %s", path, strerror(errno));
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    err_code rc = E_OK;
    for (;;) {
        if (!buf) {
            rc = err_set(e, E_NOMEM, "out of memory reading the tag journal");
            break;
        }
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                continue;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = err_set(e, E_IO, "cannot read the tag journal %s: %s", path, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (rc) {
        free(buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return E_OK;
}

err_code jr_replay(const char *path, jr_apply apply, void *ctx, jr_replay_report *rep, err *e)
{
    memset(rep, 0, sizeof *rep);
    char *data;
    size_t len;
    err_code rc = slurp(path, &data, &len, e);
    if (rc)
        return rc;
    rep->bytes = len;
    size_t line = 0;
    for (size_t i = 0; i < len && rc == E_OK;) {
        char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len;
        line++;
        rep->lines++;
        if (!nl) {
            rep->torn_tail = true;
            note_bad(rep, line, "incomplete line (a write was cut short)");
        } else if (end > i) {
            jl_object o;
            err pe = {0};
            if (jl_parse(&o, data + i, end - i, &pe) != E_OK) {
                char why[140];
                snprintf(why, sizeof why, "not valid JSON (%.100s)", pe.msg);
                note_bad(rep, line, why);
            } else {
                jr_op op;
                const char *why = to_op(&o, &op);
                if (why) {
                    note_bad(rep, line, why);
                } else {
                    rc = apply(ctx, &op, line, e);
                    rep->applied += rc == E_OK;
                }
            }
            jl_done(&o);
        }
        i = end + 1;
    }
    free(data);
    return rc;
}

void jr_describe_skipped(const jr_replay_report *rep, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!rep->bad || size == 0)
        return;
    size_t shown = rep->bad < 8 ? rep->bad : 8;
    size_t used = (size_t)snprintf(buf, size, "%zu line%s skipped (line%s", rep->bad,
                                   rep->bad == 1 ? "" : "s", rep->bad == 1 ? "" : "s");
    for (size_t i = 0; i < shown && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s %zu", i ? "," : "",
                                 rep->first_bad[i]);
    if (used < size)
        snprintf(buf + used, size - used, "%s; %s)", rep->bad > shown ? ", ..." : "",
                 rep->first_why);
}

uint64_t jr_file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* A 64-bit multiply-xor hash over 8-byte words: several GB/s, so fingerprinting a large file
 * costs about what reading it from the page cache does. */
static uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w * 0x9E3779B97F4A7C15ULL;
    h = (h << 27) | (h >> 37);
    return h * 0xFF51AFD7ED558CCDULL + 0xC4CEB9FE1A85EC53ULL;
}

err_code jr_fingerprint(const char *path, char out[JR_FP_LEN + 1], err *e)
{
    if (strcmp(path, "-") == 0) {
        snprintf(out, JR_FP_LEN + 1, "stdin");
        return E_OK;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, E_IO, "cannot read %s: %s", path, strerror(errno));
    enum { BLOCK = 1 << 20 };
    unsigned char *buf = malloc(BLOCK);
    if (!buf) {
        close(fd);
        return err_set(e, E_NOMEM, "out of memory");
    }
    uint64_t h = 0x6A09E667F3BCC908ULL, total = 0;
    err_code rc = E_OK;
    for (;;) {
        ssize_t r = read(fd, buf, BLOCK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = err_set(e, E_IO, "cannot read %s: %s", path, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        size_t n = (size_t)r, k = 0;
        for (; k + 8 <= n; k += 8) {
            uint64_t w;
            memcpy(&w, buf + k, 8);
            h = mix(h, w);
        }
        uint64_t tail = 0;
        memcpy(&tail, buf + k, n - k);
        h = mix(h, tail ^ ((uint64_t)(n - k) << 56));
        total += n;
    }
    free(buf);
    close(fd);
    h = mix(h, total);
    snprintf(out, JR_FP_LEN + 1, "%016llx", (unsigned long long)h);
    return rc;
}
