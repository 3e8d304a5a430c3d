/* tag_bench: how many tag operations per second the journal takes, each written and fsync'ed
 * before it returns (the explorer confirms a tag only then). Writes N operations (default
 * 2,000) alternating add and remove, to a journal in DIR (default: the current directory, so
 * that the figure is that of the disk the data lives on), then replays it; prints one JSON
 * line. usage: tag_bench [N] [DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static err_code count(void *ctx, const jr_op *op, size_t line, err *e)
{
    (void)op, (void)line, (void)e;
    (*(size_t *)ctx)++;
    return E_OK;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
    const char *dir = argc > 2 ? argv[2] : ".";
    char path[4096];
    snprintf(path, sizeof path, "%s/tag_bench.%d.tags.jsonl", dir, (int)getpid());
    journal *j = NULL;
    err e = {0};
    if (jr_open(&j, path, &e)) {
        fprintf(stderr, "tag_bench: %s\n", e.msg);
        return 1;
    }
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        jr_op op = {.kind = i % 2 ? JR_REMOVE : JR_ADD};
        snprintf(op.key, sizeof op.key, "id:row-%zu", i / 2);
        snprintf(op.tag, sizeof op.tag, "mislabeled");
        snprintf(op.reviewer, sizeof op.reviewer, "bench");
        snprintf(op.fp, sizeof op.fp, "0123456789abcdef");
        if (jr_append(j, &op, &e)) {
            fprintf(stderr, "tag_bench: %s\n", e.msg);
            jr_close(j);
            unlink(path);
            return 1;
        }
    }
    double write_s = now_s() - t0;
    jr_close(j);
    size_t seen = 0;
    jr_replay_report rep;
    t0 = now_s();
    err_code rc = jr_replay(path, count, &seen, &rep, &e);
    double replay_s = now_s() - t0;
    unlink(path);
    if (rc) {
        fprintf(stderr, "tag_bench: %s\n", e.msg);
        return 1;
    }
    printf("{\"operations\":%zu,\"write_seconds\":%.3f,\"ops_per_second\":%.0f,"
           "\"ms_per_op\":%.3f,\"replayed\":%zu,\"replay_seconds\":%.4f,\"dir\":\"%s\"}\n",
           n, write_s, (double)n / write_s, 1000.0 * write_s / (double)n, seen, replay_s, dir);
    return 0;
}
