/* journal and tags: replay, undo, concurrent writers, torn and corrupt lines, a changed data
 * file, a full disk (file-size limit) and an unwritable place. Every file lives in a fresh
 * temporary directory. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fl_test.h"
#include "journal.h"
#include "jsonl.h"
#include "tags.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/fl-journal-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "chmod -R u+w %s; rm -rf %s", dir, dir);
    cr_expect_eq(system(cmd), 0);
}

static const char *in_dir(const char *name)
{
    static char path[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

/* A small data file with an id column, loaded from disk (tags fingerprint the file). */
static const char DATA[] = "id,label,pred,text\n"
                           "m1,spam,ham,win money now\n"
                           "m2,ham,ham,meeting at noon\n"
                           "m3,spam,spam,cheap pills\n"
                           "m4,ham,spam,free lunch friday\n";

static dataset *load(const char *path)
{
    return fl_load_file(path);
}

static tag_state *open_tags(const dataset *ds, int id_col, const char *jpath, const char *who)
{
    tg_opts o = {jpath, NULL, who, id_col, false};
    tag_state *t = NULL;
    tg_load_report rep;
    err e = {0};
    cr_assert_eq(tg_open(&t, ds, &o, &rep, &e), E_OK, "%s", e.msg);
    return t;
}

static size_t count_lines(const char *path)
{
    size_t len;
    char *s = fl_read_file(path, &len);
    size_t n = 0;
    for (size_t i = 0; s && i < len; i++)
        n += s[i] == '\n';
    free(s);
    return n;
}

TestSuite(journal, .init = make_dir, .fini = remove_dir);

Test(journal, jsonl_round_trip_and_errors)
{
    strbuf sb;
    sb_init(&sb);
    cr_assert_eq(jl_put_string(&sb, "a\"b\\c\nd\x01 é"), E_OK);
    cr_expect_str_eq(sb_str(&sb), "\"a\\\"b\\\\c\\nd\\u0001 é\"");
    sb_done(&sb);
    jl_object o;
    err e = {0};
    const char *line = "{\"k\":\"v\\u00e9\\ud83d\\ude00\",\"n\":12.5,\"b\":true,\"z\":null}";
    cr_assert_eq(jl_parse(&o, line, strlen(line), &e), E_OK, "%s", e.msg);
    cr_expect_eq(o.n, 4);
    cr_expect_str_eq(jl_get(&o, "k")->value, "vé😀");
    cr_expect_str_eq(jl_get(&o, "n")->value, "12.5");
    cr_expect_eq(jl_get(&o, "b")->kind, JL_BOOL);
    cr_expect_eq(jl_get(&o, "z")->kind, JL_NULL);
    cr_expect_null(jl_get(&o, "missing"));
    jl_done(&o);
    const char *bad[] = {"{\"k\":\"v\"", "{\"k\":[1]}", "{\"k\":\"v\",\"k\":\"w\"}", "[1]",
                         "{\"k\":\"\\ud800\"}", "{\"k\":01x}", "{\"k\":\"v\"} x", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_expect_eq(jl_parse(&o, bad[i], strlen(bad[i]), &e), E_PARSE, "%s", bad[i]);
        jl_done(&o);
    }
}

/* Tags, a note, a removal; a second session replays the same state from the file alone. */
Test(journal, replay_rebuilds_the_state)
{
    const char *data = in_dir("d.csv"), *jpath = in_dir("d.csv.tags.jsonl");
    write_file(data, DATA);
    dataset *ds = load(data);
    tag_state *t = open_tags(ds, 0, NULL, "ana"); /* default path: beside the data */
    cr_expect_str_eq(tg_journal_path(t), jpath);
    cr_expect_eq(tg_ntags(t), 6);
    cr_expect_str_eq(tg_tag_name(t, 0), "mislabeled");
    err e = {0};
    cr_assert_eq(tg_toggle(t, 0, 0, &e), E_OK, "%s", e.msg); /* m1 mislabeled */
    cr_assert_eq(tg_toggle(t, 3, 1, &e), E_OK);              /* m4 ambiguous */
    cr_assert_eq(tg_toggle(t, 3, 4, &e), E_OK);              /* m4 data-issue */
    cr_assert_eq(tg_toggle(t, 3, 1, &e), E_OK);              /* m4 ambiguous off */
    cr_assert_eq(tg_set_note(t, 0, "sender is a \"friend\"\nsecond line", &e), E_OK);
    cr_expect_eq(count_lines(jpath), 5);
    tg_close(t);

    t = open_tags(ds, 0, NULL, "ben");
    cr_assert_eq(tg_count_rows(t), 2);
    const tg_row *r0 = tg_get(t, 0), *r3 = tg_get(t, 3);
    cr_assert_not_null(r0);
    cr_assert_not_null(r3);
    cr_expect_eq(r0->mask, 1u);
    cr_expect_str_eq(r0->note, "sender is a \"friend\"\nsecond line");
    cr_expect_str_eq(r0->reviewers, "ana");
    cr_expect_eq(r3->mask, 1u << 4);
    cr_expect_eq(tg_tag_count(t, 0), 1);
    cr_expect_eq(tg_tag_count(t, 1), 0);
    cr_expect_eq(tg_tag_count(t, 4), 1);
    cr_expect_null(tg_get(t, 1));
    /* Each line is a flat JSON object with the documented members. */
    size_t len;
    char *text = fl_read_file(jpath, &len);
    char *nl = strchr(text, '\n');
    jl_object o;
    cr_assert_eq(jl_parse(&o, text, (size_t)(nl - text), &e), E_OK, "%s", e.msg);
    cr_expect_str_eq(jl_get(&o, "key")->value, "id:m1");
    cr_expect_str_eq(jl_get(&o, "row")->value, "1");
    cr_expect_str_eq(jl_get(&o, "op")->value, "add");
    cr_expect_str_eq(jl_get(&o, "tag")->value, "mislabeled");
    cr_expect_str_eq(jl_get(&o, "reviewer")->value, "ana");
    cr_expect_eq(strlen(jl_get(&o, "ts")->value), 20);
    cr_expect_eq(strlen(jl_get(&o, "fp")->value), 16);
    jl_done(&o);
    free(text);
    tg_close(t);
    ds_free(ds);
}

Test(journal, undo_writes_the_inverse)
{
    const char *data = in_dir("d.csv"), *jpath = in_dir("j.jsonl");
    write_file(data, DATA);
    dataset *ds = load(data);
    tag_state *t = open_tags(ds, 0, jpath, "ana");
    err e = {0};
    bool done;
    cr_assert_eq(tg_toggle(t, 1, 2, &e), E_OK);
    cr_assert_eq(tg_set_note(t, 1, "first", &e), E_OK);
    cr_assert_eq(tg_set_note(t, 1, "second", &e), E_OK);
    cr_expect_eq(tg_undo_depth(t), 3);
    cr_assert_eq(tg_undo_last(t, &done, &e), E_OK);
    cr_expect(done);
    cr_expect_str_eq(tg_get(t, 1)->note, "first");
    cr_assert_eq(tg_undo_last(t, &done, &e), E_OK);
    cr_expect_null(tg_get(t, 1)->note);
    cr_expect(tg_has(t, 1, 2));
    cr_assert_eq(tg_undo_last(t, &done, &e), E_OK);
    cr_expect_null(tg_get(t, 1));
    cr_assert_eq(tg_undo_last(t, &done, &e), E_OK);
    cr_expect(!done);
    cr_expect_eq(count_lines(jpath), 6); /* three operations and their three inverses */
    tg_close(t);
    t = open_tags(ds, 0, jpath, "ana");
    cr_expect_eq(tg_count_rows(t), 0);
    tg_close(t);
    ds_free(ds);
}

/* Two processes append 1,000 operations each at once: 2,000 complete lines, each valid. */
Test(journal, concurrent_writers_never_interleave)
{
    const char *jpath = in_dir("j.jsonl");
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        cr_assert_geq(kids[k], 0);
        if (kids[k] == 0) {
            journal *j = NULL;
            err e;
            if (jr_open(&j, jpath, &e))
                _exit(1);
            /* A long note makes each line several hundred bytes, so that an unlocked
             * write would have room to interleave. */
            char note[600];
            memset(note, 'a' + k, sizeof note - 1);
            note[sizeof note - 1] = '\0';
            for (int i = 0; i < 1000; i++) {
                jr_op op = {.kind = i % 2 ? JR_NOTE : JR_ADD, .note = note};
                snprintf(op.key, sizeof op.key, "id:w%d-%d", k, i);
                snprintf(op.tag, sizeof op.tag, "t%d", k);
                snprintf(op.reviewer, sizeof op.reviewer, "writer%d", k);
                if (jr_append(j, &op, &e))
                    _exit(2);
            }
            jr_close(j);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int st;
        cr_assert_eq(waitpid(kids[k], &st, 0), kids[k]);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    size_t len;
    char *text = fl_read_file(jpath, &len);
    size_t lines = 0, per[2] = {0, 0};
    for (char *p = text; p < text + len;) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        cr_assert_not_null(nl, "a torn line at the end");
        jl_object o;
        err e;
        cr_assert_eq(jl_parse(&o, p, (size_t)(nl - p), &e), E_OK, "line %zu: %s", lines + 1,
                     e.msg);
        const char *who = jl_get(&o, "reviewer")->value;
        per[who[6] - '0']++;
        jl_done(&o);
        lines++;
        p = nl + 1;
    }
    cr_expect_eq(lines, 2000);
    cr_expect_eq(per[0], 1000);
    cr_expect_eq(per[1], 1000);
    free(text);
}

static err_code count_op(void *ctx, const jr_op *op, size_t line, err *e)
{
    (void)op, (void)line, (void)e;
    (*(size_t *)ctx)++;
    return E_OK;
}

/* A corrupt middle line and a torn last line are reported by number and skipped; the file is
 * left exactly as it was. */
Test(journal, torn_and_corrupt_lines_are_skipped)
{
    const char *jpath = in_dir("j.jsonl");
    const char *text =
        "{\"key\":\"id:m1\",\"op\":\"add\",\"tag\":\"mislabeled\",\"reviewer\":\"a\"}\n"
        "{\"key\":\"id:m2\",\"op\":\"add\",\"tag\":\n"
        "{\"key\":\"id:m3\",\"op\":\"explode\",\"tag\":\"x\"}\n"
        "\n"
        "{\"key\":\"id:m4\",\"op\":\"add\",\"tag\":\"ambiguous\",\"reviewer\":\"a\"}\n"
        "{\"key\":\"id:m2\",\"op\":\"add\",\"ta";
    write_file(jpath, text);
    size_t n = 0;
    jr_replay_report rep;
    err e = {0};
    cr_assert_eq(jr_replay(jpath, count_op, &n, &rep, &e), E_OK, "%s", e.msg);
    cr_expect_eq(n, 2);
    cr_expect_eq(rep.applied, 2);
    cr_expect_eq(rep.lines, 6);
    cr_expect_eq(rep.bad, 3);
    cr_expect_eq(rep.first_bad[0], 2);
    cr_expect_eq(rep.first_bad[1], 3);
    cr_expect_eq(rep.first_bad[2], 6);
    cr_expect(rep.torn_tail);
    cr_expect(strncmp(rep.first_why, "line 2: not valid JSON", 22) == 0, "%s", rep.first_why);
    size_t len;
    char *after = fl_read_file(jpath, &len);
    cr_expect_str_eq(after, text);
    free(after);
    /* A missing journal is an empty one. */
    n = 0;
    cr_expect_eq(jr_replay(in_dir("none.jsonl"), count_op, &n, &rep, &e), E_OK);
    cr_expect_eq(rep.lines, 0);
}

/* An append after a torn last line (a crash in the middle of a write) ends that line first:
 * the torn line stays one bad line, and the new operation is whole and replayed. */
Test(journal, append_after_a_torn_line_is_whole)
{
    const char *jpath = in_dir("j.jsonl");
    const char *torn = "{\"key\":\"id:m1\",\"op\":\"add\",\"tag\":\"mislabeled\",\"reviewer\":\"a\"}\n"
                       "{\"key\":\"id:m2\",\"op\":\"add\",\"ta";
    write_file(jpath, torn);
    journal *j = NULL;
    err e = {0};
    cr_assert_eq(jr_open(&j, jpath, &e), E_OK, "%s", e.msg);
    jr_op op = {.kind = JR_ADD};
    snprintf(op.key, sizeof op.key, "id:m3");
    snprintf(op.tag, sizeof op.tag, "ambiguous");
    snprintf(op.reviewer, sizeof op.reviewer, "b");
    cr_assert_eq(jr_append(j, &op, &e), E_OK, "%s", e.msg);
    cr_assert_eq(jr_append(j, &op, &e), E_OK, "%s", e.msg); /* no extra break the next time */
    jr_close(j);
    size_t n = 0;
    jr_replay_report rep;
    cr_assert_eq(jr_replay(jpath, count_op, &n, &rep, &e), E_OK, "%s", e.msg);
    cr_expect_eq(n, 3);
    cr_expect_eq(rep.bad, 1);
    cr_expect_eq(rep.first_bad[0], 2);
    cr_expect_eq(rep.lines, 4);
    cr_expect(!rep.torn_tail);
    char *text = fl_read_file(jpath, NULL);
    cr_expect(strncmp(text, torn, strlen(torn)) == 0, "earlier bytes are never changed");
    free(text);
}

/* Tags made on one version of a file: after the file changes, rows keyed by number and
 * content no longer resolve (reported, not mis-applied) and the fingerprint differs. */
Test(journal, changed_data_file_is_detected)
{
    const char *data = in_dir("d.csv"), *jpath = in_dir("j.jsonl");
    write_file(data, DATA);
    dataset *ds = load(data);
    tag_state *t = open_tags(ds, -1, jpath, "ana"); /* no id: row keys */
    err e = {0};
    char key[JR_KEY_MAX];
    tg_row_key(t, 2, key);
    cr_expect(strncmp(key, "row:3:", 6) == 0, "%s", key);
    cr_assert_eq(tg_toggle(t, 2, 0, &e), E_OK);
    cr_assert_eq(tg_toggle(t, 3, 1, &e), E_OK);
    tg_close(t);
    ds_free(ds);
    /* Row 3 changes its prediction; row 4 stays. */
    char changed[sizeof DATA];
    memcpy(changed, DATA, sizeof DATA);
    char *p = strstr(changed, "m3,spam,spam");
    memcpy(p, "m3,spam,hamm", 12);
    write_file(data, changed);
    ds = load(data);
    tg_opts o = {jpath, NULL, "ana", -1, false};
    tg_load_report rep;
    cr_assert_eq(tg_open(&t, ds, &o, &rep, &e), E_OK, "%s", e.msg);
    cr_expect_eq(rep.unresolved, 1);
    cr_expect(strncmp(rep.first_unresolved, "row:3:", 6) == 0);
    cr_expect_eq(rep.other_fingerprint, 2);
    cr_expect_null(tg_get(t, 2));
    cr_expect(tg_has(t, 3, 1));
    tg_close(t);
    ds_free(ds);
}

/* A write that cannot complete (file-size limit, as a full disk would) is refused with a
 * clear message, leaves no partial line, and the state keeps only saved tags. */
Test(journal, full_disk_keeps_earlier_tags)
{
    const char *data = in_dir("d.csv"), *jpath = in_dir("j.jsonl");
    write_file(data, DATA);
    dataset *ds = load(data);
    tag_state *t = open_tags(ds, 0, jpath, "ana");
    err e = {0};
    cr_assert_eq(tg_toggle(t, 0, 0, &e), E_OK);
    size_t len;
    char *before = fl_read_file(jpath, &len);
    signal(SIGXFSZ, SIG_IGN); /* a write past the limit then fails with EFBIG */
    struct rlimit rl = {len + 40, len + 40};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    e.msg[0] = '\0';
    cr_expect_eq(tg_toggle(t, 1, 1, &e), E_IO);
    cr_expect(strstr(e.msg, "NOT saved") && strstr(e.msg, "earlier tags are intact"), "%s",
              e.msg);
    cr_expect(!tg_has(t, 1, 1));
    cr_expect(tg_has(t, 0, 0));
    size_t len2;
    char *after = fl_read_file(jpath, &len2);
    cr_expect_eq(len2, len);
    cr_expect_str_eq(after, before);
    free(before);
    free(after);
    tg_close(t);
    ds_free(ds);
}

/* A place where the journal cannot be created is an error that names the path; as root,
 * permission bits do not stop writes, so a directory under /proc stands in. */
Test(journal, unwritable_place_is_a_clear_error)
{
    const char *ro = in_dir("ro");
    cr_assert_eq(mkdir(ro, 0555), 0);
    char path[160];
    if (geteuid() == 0)
        snprintf(path, sizeof path, "/proc/self/fl-tags.jsonl");
    else
        snprintf(path, sizeof path, "%s/tags.jsonl", ro);
    journal *j = NULL;
    err e = {0};
    cr_expect_eq(jr_open(&j, path, &e), E_IO);
    cr_expect(strstr(e.msg, path) != NULL, "%s", e.msg);
    cr_expect(strstr(e.msg, "--tags PATH") != NULL || strstr(e.msg, "No such") != NULL, "%s",
              e.msg);
}

Test(journal, tag_sets)
{
    char names[TG_MAX_TAGS][JR_TAG_MAX];
    size_t n;
    err e = {0};
    cr_assert_eq(tg_parse_set(names, &n, "# review tags\nspam-trap, typo\n\ntypo\n  other  \n",
                              &e), E_OK, "%s", e.msg);
    cr_expect_eq(n, 3);
    cr_expect_str_eq(names[0], "spam-trap");
    cr_expect_str_eq(names[1], "typo");
    cr_expect_str_eq(names[2], "other");
    cr_expect_eq(tg_parse_set(names, &n, "# nothing\n", &e), E_PARSE);
    cr_expect_eq(tg_parse_set(names, &n, "a\n\"quoted\"\n", &e), E_PARSE);
    cr_expect(strstr(e.msg, "line 2") != NULL, "%s", e.msg);
}

/* A fingerprint depends on every byte. */
Test(journal, fingerprint)
{
    const char *a = in_dir("a.csv");
    char f1[JR_FP_LEN + 1], f2[JR_FP_LEN + 1], f3[JR_FP_LEN + 1];
    err e = {0};
    write_file(a, DATA);
    cr_assert_eq(jr_fingerprint(a, f1, &e), E_OK);
    cr_assert_eq(jr_fingerprint(a, f2, &e), E_OK);
    cr_expect_str_eq(f1, f2);
    cr_expect_eq(strlen(f1), 16);
    char other[sizeof DATA];
    memcpy(other, DATA, sizeof DATA);
    other[30] ^= 1;
    write_file(a, other);
    cr_assert_eq(jr_fingerprint(a, f3, &e), E_OK);
    cr_expect_str_neq(f1, f3);
    cr_expect_eq(jr_fingerprint(in_dir("missing.csv"), f3, &e), E_IO);
}
