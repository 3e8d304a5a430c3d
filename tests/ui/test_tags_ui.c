/* Tags in the explorer, driven through app_key without a terminal: tag keys write journal
 * lines before the screen shows them, notes, one undo history for filters and tags, review
 * mode (advancing, going back, resuming after a restart), other reviewers' lines on refresh,
 * what loading the journal found, a write that fails, tags as slices, and the tags pane. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "app_script.h"
#include "fl_golden.h"
#include "fl_test.h"
#include "journal.h"
#include "tagview.h"
#include "ui_fixture.h"

static char dir[64], data[128], jpath[128];
static fl_pipeline P;
static engine *ENG;
static tag_state *TS;
static tag_view TV;
static tg_load_report REP;
static app A;
static bool started;

/* The fixture file of ui_fixture.h, written to a directory of its own. */
static void write_data(void)
{
    snprintf(dir, sizeof dir, "/tmp/fl-tagsui-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(data, sizeof data, "%s/fixture.csv", dir);
    snprintf(jpath, sizeof jpath, "%s/fixture.csv.tags.jsonl", dir);
    static char csv[32768];
    fix_csv(csv, sizeof csv);
    FILE *f = fopen(data, "w");
    cr_assert_not_null(f);
    fputs(csv, f);
    fclose(f);
}

static void write_journal(const char *text)
{
    FILE *f = fopen(jpath, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* Opens the data (loaded once), the tags (reviewer ana) and the app at 24x80. */
static void open_app(bool review, rq_opts q)
{
    err e = {0};
    if (!P.ds) {
        ld_opts lo;
        ld_opts_init(&lo);
        static const char *const text[] = {"body"};
        lo.text_cols = text;
        lo.ntext_cols = 1;
        lo.threads = 1;
        dataset *ds = NULL;
        cr_assert_eq(ld_csv_file(&ds, data, &lo, &e), E_OK, "%s", e.msg);
        fl_pipeline_from(&P, ds);
        eng_opts eo;
        eng_opts_init(&eo);
        eo.min_support = 10;
        eo.threads = 1;
        eo.hm_x = eo.hm_y = ENG_DIM_NONE;
        cr_assert_eq(eng_new(&ENG, P.ds, &P.r, &P.o, &P.b, &eo, &e), E_OK, "%s", e.msg);
    }
    tg_opts to = {jpath, NULL, "ana", P.r.id, false};
    cr_assert_eq(tg_open(&TS, P.ds, &to, &REP, &e), E_OK, "%s", e.msg);
    cr_assert_eq(tv_init(&TV, P.ds->nrows, &e), E_OK);
    cr_assert_eq(tv_sync(&TV, TS, &e), E_OK);
    eng_set_tags(ENG, &TV.ft);
    ui_input in = {.file = "fixture.csv",
                   .ds = P.ds,
                   .r = &P.r,
                   .o = &P.o,
                   .b = &P.b,
                   .eng = ENG,
                   .tags = TS,
                   .tagview = &TV,
                   .tag_load = &REP,
                   .review = review,
                   .queue = q};
    ui_opts o;
    ui_opts_init(&o);
    o.search_off = true;
    o.clusters_off = true;
    cr_assert_eq(app_init(&A, &in, &o, NULL), E_OK);
    cr_assert_eq(km_load_default(&A.km, NULL, NULL), E_OK);
    cr_assert_eq(cv_init(&A.cv, 0, 0, false, NULL), E_OK);
    cr_assert_eq(app_resize(&A, 24, 80, NULL), E_OK);
    started = true;
}

static void close_app(void)
{
    if (!started)
        return;
    app_done(&A);
    eng_set_tags(ENG, NULL);
    tv_done(&TV);
    tg_close(TS);
    TS = NULL;
    started = false;
}

static void start(const char *jtext)
{
    write_data();
    if (jtext)
        write_journal(jtext);
    open_app(false, (rq_opts){RQ_LOSS, 0, 1});
}

static void finish(void)
{
    close_app();
    eng_free(ENG);
    fl_pipeline_done(&P);
    unlink(jpath);
    unlink(data);
    rmdir(dir);
}

TestSuite(tagsui, .fini = finish, .timeout = 60);

/* Lines of the journal, and how many of them contain s. */
static size_t journal_lines(const char *s)
{
    char *text = fl_read_file(jpath, NULL);
    size_t n = 0;
    for (char *p = text, *nl; p && *p; p = nl + 1) {
        nl = strchr(p, '\n');
        cr_assert_not_null(nl, "a line without its line break: %s", p);
        *nl = '\0';
        n += !s || strstr(p, s) != NULL;
    }
    free(text);
    return n;
}

/* The row under the cursor of the focused pane. */
static uint32_t cursor(void)
{
    pane *p = A.detail ? A.detail : A.panes[A.focus];
    uint32_t row = UINT32_MAX;
    cr_assert(p->ops->cursor_row && p->ops->cursor_row(p, &A.env, &row));
    return row;
}

/* Appends a journal line with a fixed time to buf: op on row m%03d of the fixture; arg is
 * the tag, or the note for op "note". */
static void line(char *buf, size_t size, int id, const char *op, const char *arg, const char *who,
                 const char *ts)
{
    char fp[JR_FP_LEN + 1], tag[128], note[256];
    cr_assert_eq(jr_fingerprint(data, fp, NULL), E_OK);
    bool is_note = strcmp(op, "note") == 0;
    snprintf(tag, sizeof tag, is_note ? "null" : "\"%s\"", arg);
    snprintf(note, sizeof note, is_note ? "\"%s\"" : "null", arg);
    size_t len = strlen(buf);
    snprintf(buf + len, size - len,
             "{\"key\":\"id:m%03d\",\"row\":%d,\"op\":\"%s\",\"tag\":%s,\"note\":%s,"
             "\"reviewer\":\"%s\",\"ts\":\"%s\",\"fp\":\"%s\"}\n",
             id, id + 1, op, tag, note, who, ts, fp);
}

Test(tagsui, tag_keys_write_the_journal_first_and_show_the_tags)
{
    start(NULL);
    script_settle(&A);
    script_keys(&A, "E");
    uint32_t row = cursor();
    script_keys(&A, "1");
    cr_assert_eq(journal_lines("\"op\":\"add\",\"tag\":\"mislabeled\""), 1);
    cr_assert(tg_has(TS, row, 0));
    const char *s = script_screen(&A);
    cr_assert(strstr(s, "tagged mislabeled (saved)") != NULL, "%s", s);
    cr_assert(strstr(s, "mislabeled │") != NULL, "the cases pane shows the tag:\n%s", s);
    script_keys(&A, "j 2 j 3");
    cr_assert_eq(journal_lines(NULL), 3);
    script_keys(&A, "k k 1"); /* the first row again: untagged */
    cr_assert_eq(journal_lines("\"op\":\"remove\",\"tag\":\"mislabeled\""), 1);
    cr_assert(!tg_has(TS, row, 0));
    cr_assert(strstr(script_screen(&A), "untagged mislabeled (saved)") != NULL);
    script_keys(&A, "Enter"); /* the case detail lists the tags and takes the keys too */
    uint32_t second = cursor();
    cr_assert_eq(second, row);
    script_keys(&A, "4");
    cr_assert(tg_has(TS, row, 3));
    s = script_screen(&A);
    cr_assert(strstr(s, "Tags    1 mislabeled  2 ambiguous") != NULL, "%s", s);
    cr_assert(strstr(s, "by ana · last change") != NULL, "%s", s);
    script_keys(&A, "9"); /* no ninth tag in the default set */
    cr_assert(strstr(script_screen(&A), "no tag 9") != NULL);
}

Test(tagsui, undo_and_redo_cover_filters_and_tags_in_one_history)
{
    start(NULL);
    script_settle(&A);
    script_keys(&A, "/");
    script_type(&A, "grp == gamma");
    app_key(&A, K_ENTER);
    script_settle(&A);
    cr_assert_eq(eng_filter_count(ENG), 1);
    script_keys(&A, "E");
    uint32_t row = cursor();
    script_keys(&A, "2");
    cr_assert(tg_has(TS, row, 1));
    script_keys(&A, "u"); /* the tag first */
    cr_assert(!tg_has(TS, row, 1));
    cr_assert_eq(eng_filter_count(ENG), 1);
    cr_assert_eq(journal_lines("\"op\":\"remove\",\"tag\":\"ambiguous\""), 1);
    cr_assert(strstr(script_screen(&A), "undone: tagged ambiguous on m") != NULL);
    script_keys(&A, "u"); /* then the filter */
    cr_assert_eq(eng_filter_count(ENG), 0);
    script_keys(&A, "u");
    cr_assert(strstr(script_screen(&A), "nothing to undo") != NULL);
    script_keys(&A, "C-r"); /* the filter comes back, then the tag */
    cr_assert_eq(eng_filter_count(ENG), 1);
    cr_assert(!tg_has(TS, row, 1));
    script_keys(&A, "C-r");
    cr_assert(tg_has(TS, row, 1));
    cr_assert_eq(journal_lines("\"tag\":\"ambiguous\""), 3);
    cr_assert(strstr(script_screen(&A), "redone: tagged ambiguous") != NULL);
    script_keys(&A, "u u");
    cr_assert(!tg_has(TS, row, 1));
    cr_assert_eq(eng_filter_count(ENG), 0);
    /* a new change forgets what could be redone */
    script_keys(&A, "E 3 C-r");
    cr_assert(strstr(script_screen(&A), "nothing to redo") != NULL);
}

Test(tagsui, note_prompt_saves_keeps_and_clears)
{
    start(NULL);
    script_settle(&A);
    script_keys(&A, "E");
    uint32_t row = cursor();
    script_keys(&A, "n");
    cr_assert_eq(A.mode, MODE_NOTE);
    cr_assert_str_eq(A.prm.buf, "");
    script_type(&A, "label says spam, text is a newsletter");
    app_key(&A, K_ENTER);
    cr_assert_eq(A.mode, MODE_MAIN);
    cr_assert_str_eq(tg_get(TS, row)->note, "label says spam, text is a newsletter");
    cr_assert(strstr(script_screen(&A), "note saved: m") != NULL);
    cr_assert(strstr(script_screen(&A), "✎") != NULL, "the cases pane marks the note");
    script_keys(&A, "n");
    cr_assert_str_eq(A.prm.buf, "label says spam, text is a newsletter");
    script_type(&A, " (checked)");
    app_key(&A, K_ESC);
    cr_assert_str_eq(tg_get(TS, row)->note, "label says spam, text is a newsletter");
    cr_assert(strstr(script_screen(&A), "note not changed") != NULL);
    script_keys(&A, "n");
    app_key(&A, K_CTRL('u'));
    app_key(&A, K_ENTER);
    cr_assert(tg_get(TS, row) == NULL || tg_get(TS, row)->note == NULL);
    cr_assert(strstr(script_screen(&A), "note cleared") != NULL);
    cr_assert_eq(journal_lines("\"op\":\"note\""), 2);
    script_keys(&A, "u"); /* undo brings the note back */
    cr_assert_str_eq(tg_get(TS, row)->note, "label says spam, text is a newsletter");
}

Test(tagsui, filters_on_tags_follow_each_tag)
{
    start(NULL);
    script_settle(&A);
    script_keys(&A, "E 1 j 1");
    script_keys(&A, "/");
    script_type(&A, "tag == \"mislabeled\"");
    cr_assert_str_eq(A.prm_error, "", "the prompt knows the tags as it checks the typing");
    app_key(&A, K_ENTER);
    script_settle(&A);
    cr_assert_eq(eng_current(ENG)->nsel, 2);
    script_keys(&A, "E 1"); /* untag one of the two: the selection follows */
    cr_assert_eq(eng_current(ENG)->nsel, 1);
}

Test(tagsui, review_mode_advances_goes_back_and_resumes)
{
    start(NULL);
    script_settle(&A);
    script_keys(&A, "V");
    cr_assert(tu_reviewing(&A));
    const review_state *rv = &A.tags.rv;
    size_t len = rv->q.len;
    cr_assert_eq(len, eng_current(ENG)->m.nerr);
    char want[64];
    snprintf(want, sizeof want, "Review 1 / %zu · by loss", len);
    cr_assert(strstr(script_screen(&A), want) != NULL, "%s", script_screen(&A));
    uint32_t first = rv->q.row[0], second = rv->q.row[1];
    script_keys(&A, "1"); /* tag and go on */
    cr_assert(tg_has(TS, first, 0));
    cr_assert_eq(rv->pos, 1);
    script_keys(&A, "Space"); /* skip */
    cr_assert_eq(rv->pos, 2);
    script_keys(&A, "Left"); /* back */
    cr_assert_eq(rv->pos, 1);
    script_keys(&A, "BSpace BSpace"); /* back, not a filter pop; stops at the first */
    cr_assert_eq(rv->pos, 0);
    cr_assert(strstr(script_screen(&A), "the first case of the queue") != NULL);
    script_keys(&A, "Right 2");
    cr_assert(tg_has(TS, second, 1));
    cr_assert_eq(rv->pos, 2);
    script_keys(&A, "u"); /* undo goes back to the case it changed */
    cr_assert(!tg_has(TS, second, 1));
    cr_assert_eq(rv->pos, 1);
    script_keys(&A, "2 q");
    cr_assert(!tu_reviewing(&A));
    cr_assert(!A.quit);
    script_keys(&A, "V"); /* resumes at the first case without a tag or note */
    cr_assert_eq(rv->pos, 2);
    /* reopening, as `faultline review` does, resumes there too; q then quits */
    close_app();
    open_app(true, (rq_opts){RQ_LOSS, 0, 1});
    script_settle(&A);
    cr_assert(tu_reviewing(&A));
    cr_assert_eq(A.tags.rv.pos, 2);
    snprintf(want, sizeof want, "Review 3 / %zu", len);
    cr_assert(strstr(script_screen(&A), want) != NULL, "%s", script_screen(&A));
    cr_assert(strstr(script_screen(&A), "resuming at 3 /") != NULL, "%s", script_screen(&A));
    script_keys(&A, "q");
    cr_assert(A.quit);
}

Test(tagsui, review_queue_sample_and_order)
{
    start(NULL);
    close_app();
    open_app(true, (rq_opts){RQ_RANDOM, 5, 7});
    script_settle(&A);
    cr_assert(tu_reviewing(&A));
    cr_assert_eq(A.tags.rv.q.len, 5);
    const char *s = script_screen(&A);
    cr_assert(strstr(s, "Review 1 / 5 · by random") != NULL, "%s", s);
    cr_assert(strstr(s, "a sample of 5 of 25 errors (seed 7)") != NULL, "%s", s);
    script_keys(&A, "Space Space Space Space Space");
    cr_assert(strstr(script_screen(&A), "The end of the queue") != NULL);
    script_keys(&A, "1");
    cr_assert(strstr(script_screen(&A), "the end of the queue") != NULL);
}

Test(tagsui, other_reviewers_lines_arrive_on_refresh)
{
    start(NULL);
    script_settle(&A);
    A.tags.last_refresh = 1e18; /* no periodic look at the journal: Ctrl-L does it */
    journal *j = NULL;
    err e = {0};
    cr_assert_eq(jr_open(&j, jpath, &e), E_OK, "%s", e.msg);
    char fp[JR_FP_LEN + 1];
    cr_assert_eq(jr_fingerprint(data, fp, &e), E_OK);
    for (int i = 0; i < 3; i++) {
        jr_op op = {.kind = JR_ADD, .row = (uint64_t)i * 17 + 1};
        snprintf(op.key, sizeof op.key, "id:m%03d", i * 17);
        snprintf(op.tag, sizeof op.tag, "model-error");
        snprintf(op.reviewer, sizeof op.reviewer, "bob");
        snprintf(op.fp, sizeof op.fp, "%s", fp);
        cr_assert_eq(jr_append(j, &op, &e), E_OK, "%s", e.msg);
    }
    jr_close(j);
    script_keys(&A, "C-l");
    cr_assert(strstr(script_screen(&A), "3 new tag operations from other reviewers") != NULL, "%s",
              script_screen(&A));
    cr_assert(tg_has(TS, 17, 3));
    script_keys(&A, "E 1"); /* ours are not counted as theirs */
    script_keys(&A, "C-l");
    cr_assert(strstr(script_screen(&A), "no new tag operations") != NULL, "%s", script_screen(&A));
    script_keys(&A, "T");
    const char *s = script_screen(&A);
    cr_assert(strstr(s, "bob") && strstr(s, "ana"), "%s", s);
}

Test(tagsui, what_loading_found_is_on_the_status_line)
{
    char j[4096] = "";
    write_data();
    line(j, sizeof j, 0, "add", "mislabeled", "bob", "2026-01-02T03:04:05Z");
    strcat(j, "{\"key\":\"id:m001\",\"op\":\"add\",\"tag\"\n"); /* a corrupt middle line */
    line(j, sizeof j, 999, "add", "ambiguous", "bob", "2026-01-02T03:04:06Z"); /* no row m999 */
    write_journal(j);
    open_app(false, (rq_opts){RQ_LOSS, 0, 1});
    const char *s = script_screen(&A);
    cr_assert(strstr(s, "1 line skipped") != NULL, "%s", s);
    cr_assert(A.msg_error);
    cr_assert(strstr(A.msg, "1 tag operation names rows this file no longer has (first: id:m999)"),
              "%s", A.msg);
    cr_assert(tg_has(TS, 0, 0));
    cr_assert_eq(journal_lines(NULL), 3, "never rewritten");
}

Test(tagsui, a_failed_write_changes_nothing_and_the_explorer_goes_on)
{
    start(NULL);
    script_settle(&A);
    script_keys(&A, "E 1");
    size_t len = 0;
    free(fl_read_file(jpath, &len));
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {len + 20, len + 20};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    script_keys(&A, "j");
    uint32_t row = cursor();
    script_keys(&A, "2");
    cr_assert(!tg_has(TS, row, 1));
    cr_assert(A.msg_error);
    cr_assert(strstr(A.msg, "NOT saved") != NULL, "%s", A.msg);
    cr_assert_eq(journal_lines(NULL), 1);
    script_keys(&A, "n");
    script_type(&A, "x");
    app_key(&A, K_ENTER);
    cr_assert(strstr(A.msg, "NOT saved") != NULL, "%s", A.msg);
    cr_assert(tg_get(TS, row) == NULL);
    script_keys(&A, "u"); /* the saved tag can still be undone? not past the limit either */
    cr_assert(strstr(A.msg, "NOT saved") != NULL, "%s", A.msg);
    cr_assert(tg_has(TS, eng_current(ENG)->cases.row[0], 0));
    script_keys(&A, "S");
    cr_assert(strstr(script_screen(&A), "Slices (") != NULL);
}

Test(tagsui, tags_off_are_explained)
{
    write_data();
    ld_opts lo;
    ld_opts_init(&lo);
    lo.threads = 1;
    dataset *ds = NULL;
    err e = {0};
    cr_assert_eq(ld_csv_file(&ds, data, &lo, &e), E_OK);
    fl_pipeline_from(&P, ds);
    eng_opts eo;
    eng_opts_init(&eo);
    eo.threads = 1;
    cr_assert_eq(eng_new(&ENG, P.ds, &P.r, &P.o, &P.b, &eo, &e), E_OK);
    ui_input in = {.file = "fixture.csv",
                   .ds = P.ds,
                   .r = &P.r,
                   .o = &P.o,
                   .b = &P.b,
                   .eng = ENG,
                   .tags_off = "tags are off: cannot open the tag journal x: "
                               "Read-only file system (choose a writable place "
                               "with --tags PATH)"};
    ui_opts o;
    ui_opts_init(&o);
    o.search_off = o.clusters_off = true;
    cr_assert_eq(app_init(&A, &in, &o, NULL), E_OK);
    cr_assert_eq(km_load_default(&A.km, NULL, NULL), E_OK);
    cr_assert_eq(cv_init(&A.cv, 0, 0, false, NULL), E_OK);
    cr_assert_eq(app_resize(&A, 24, 80, NULL), E_OK);
    started = true;
    cr_assert(strstr(A.msg, "--tags PATH") != NULL);
    script_keys(&A, "E 1");
    cr_assert(A.msg_error);
    cr_assert(strstr(A.msg, "tags are off") != NULL, "%s", A.msg);
    script_keys(&A, "V");
    cr_assert(!tu_reviewing(&A));
    script_keys(&A, "T");
    cr_assert(strstr(script_screen(&A), "Tags (off)") != NULL);
    app_done(&A);
    started = false;
}

Test(tagsui, tags_are_a_slice_dimension)
{
    start(NULL);
    script_settle(&A);
    script_keys(&A, "E 1 j 1 j 1 j 3");
    script_keys(&A, "S");
    pane *p = A.panes[A.focus];
    char expr[256] = "";
    for (int i = 0; i < 200; i++) {
        p->ops->cursor_expr(p, &A.env, expr, sizeof expr);
        if (strcmp(expr, "tag == \"mislabeled\"") == 0)
            break;
        script_keys(&A, "j");
    }
    cr_assert_str_eq(expr, "tag == \"mislabeled\"");
    script_keys(&A, "Enter");
    cr_assert_eq(eng_filter_count(ENG), 1);
    cr_assert_str_eq(eng_filter_text(ENG, 0), "tag == \"mislabeled\"");
    cr_assert_eq(eng_current(ENG)->nsel, 3);
}

/* The tags pane drawn framed into a canvas of its own, text and roles. */
static const char *draw_pane(pane *p, int h, int w)
{
    static strbuf out;
    sb_done(&out);
    sb_init(&out);
    canvas cv;
    cr_assert_eq(cv_init(&cv, h, w, false, NULL), E_OK);
    char title[512];
    p->ops->caption(p, &A.env, title, sizeof title);
    cv_box(&cv, title, UI_PANE_TITLE_FOCUS, UI_BORDER);
    canvas in = cv_sub(&cv, 1, 1, h - 2, w - 2);
    p->h = in.h;
    p->w = in.w;
    p->ops->draw(p, &in, &A.env);
    strbuf rl;
    sb_init(&rl);
    cr_assert_eq(cv_dump(&cv, &out, &rl, NULL), E_OK);
    sb_puts(&out, "-- roles\n");
    sb_puts(&out, sb_str(&rl));
    sb_done(&rl);
    cv_done(&cv);
    return sb_str(&out);
}

Test(tagsui, tags_pane_golden)
{
    char j[8192] = "";
    write_data();
    /* fixed times, two reviewers; m000, m017, m034 are errors of the fixture */
    line(j, sizeof j, 0, "add", "mislabeled", "ana", "2026-01-02T03:04:05Z");
    line(j, sizeof j, 17, "add", "mislabeled", "bob", "2026-01-02T03:05:00Z");
    line(j, sizeof j, 17, "add", "ambiguous", "bob", "2026-01-02T03:05:01Z");
    line(j, sizeof j, 34, "add", "data-issue", "ana", "2026-01-02T03:06:00Z");
    line(j, sizeof j, 1, "add", "out-of-scope", "ana", "2026-01-02T03:07:00Z");
    line(j, sizeof j, 34, "note", "the label was changed later", "bob", "2026-01-02T03:08:00Z");
    write_journal(j);
    open_app(false, (rq_opts){RQ_LOSS, 0, 1});
    script_settle(&A);
    script_keys(&A, "V q T");
    pane *p = A.panes[A.focus];
    cr_assert_str_eq(p->ops->name, "tags");
    fl_golden_check("tags_pane.txt", draw_pane(p, 18, 78));
    script_keys(&A, "Enter"); /* dives into the first tag */
    cr_assert_str_eq(eng_filter_text(ENG, 0), "tag == \"mislabeled\"");
    cr_assert_eq(eng_current(ENG)->nsel, 2);
    /* the cases pane: each row's tags in their colours, and the note marker */
    script_keys(&A, "BSpace E o o"); /* by row: m000, then the others */
    fl_golden_check("cases_tagged.txt", draw_pane(A.panes[A.focus], 10, 100));
}
