/* report_tags: the reviewers' work in the report (a "Tags" section, "tags" in JSON) and the
 * export of the tag state for relabelling tools. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "tagview.h"

/* Rows per reviewer: a row counts once for each reviewer who changed it. */
typedef struct reviewer_count {
    char name[JR_NAME_MAX];
    size_t rows;
} reviewer_count;

static size_t count_reviewers(const tag_state *t, reviewer_count *rc, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < tg_count_rows(t); i++) {
        const char *p = tg_row_at(t, i)->reviewers;
        while (p && *p) {
            const char *end = strstr(p, ", ");
            size_t len = end ? (size_t)(end - p) : strlen(p);
            size_t k = 0;
            while (k < n && !(strlen(rc[k].name) == len && memcmp(rc[k].name, p, len) == 0))
                k++;
            if (k == n && n < max && len < JR_NAME_MAX) {
                memcpy(rc[n].name, p, len);
                rc[n].name[len] = '\0';
                rc[n++].rows = 0;
            }
            if (k < n)
                rc[k].rows++;
            p = end ? end + 2 : p + len;
        }
    }
    return n;
}

static const char *slice_name(const tag_state *t, const tag_slice *s)
{
    return s->tag >= 0 ? tg_tag_name(t, (size_t)s->tag) : s->tag == -1 ? "(any tag)" : "(untagged)";
}

/* "mislabeled; data-issue" */
static void tag_list(const tag_state *t, uint64_t mask, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < tg_ntags(t) && used + 1 < size; k++)
        if (mask >> k & 1u)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "; " : "",
                                     tg_tag_name(t, k));
}

static bool row_selected(const rpt_input *in, uint32_t row)
{
    return !in->sel || bm_get(in->sel, row);
}

static size_t noted_rows(const tag_state *t)
{
    size_t n = 0;
    for (size_t i = 0; i < tg_count_rows(t); i++)
        n += tg_row_at(t, i)->note != NULL;
    return n;
}

void rpt_md_tags(FILE *f, const rpt_input *in)
{
    const tag_state *t = in->tags;
    if (!t)
        return;
    const tg_load_report *lr = in->tag_load;
    reviewer_count rc[32];
    size_t nr = count_reviewers(t, rc, 32);
    fprintf(f, "\n## Tags\n\nFrom the journal %s: %zu rows tagged or noted (%zu with a note)",
            tg_journal_path(t), tg_count_rows(t), noted_rows(t));
    for (size_t k = 0; k < nr; k++)
        fprintf(f, "%s%s (%zu)", k ? ", " : "; by ", rc[k].name, rc[k].rows);
    fputs(".", f);
    if (lr && lr->replay.bad) {
        char skipped[512];
        jr_describe_skipped(&lr->replay, skipped, sizeof skipped);
        fprintf(f, " Journal lines that could not be read: %s.", skipped);
    }
    if (lr && lr->unresolved)
        fprintf(f, " %zu operation%s rows this file no longer has (first: %s): the data "
                   "file changed since they were made.", lr->unresolved,
                lr->unresolved == 1 ? " names" : "s name", lr->first_unresolved);
    else if (lr && lr->other_fingerprint)
        fprintf(f, " %zu operation%s were made on another version of the data file; their "
                   "rows still match.", lr->other_fingerprint,
                lr->other_fingerprint == 1 ? " was" : "s");
    tag_slice s[TG_MAX_TAGS + 2];
    size_t ns;
    tv_slices(t, in->o, in->sel, 0, s, &ns);
    fputs("\n\n| tag | rows | errors | error rate | lift | p-value |\n|---|---:|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < ns; i++) {
        char a[32], b[32], c[32];
        fputs("| ", f);
        rm_cell(f, slice_name(t, &s[i]), 60);
        fprintf(f, " | %zu | %zu | %s | %s | %s |\n", s[i].n, s[i].nerr,
                rm_pct(s[i].rate, a, sizeof a), rm_num(s[i].lift, b, sizeof b),
                rm_pval(s[i].p, c, sizeof c));
    }
    size_t shown = 0;
    for (size_t i = 0; i < tg_count_rows(t) && shown < 50; i++) {
        const tg_row *r = tg_row_at(t, i);
        if (!row_selected(in, r->row))
            continue;
        if (shown++ == 0)
            fputs("\n| row | id | label | prediction | tags | note | reviewers |\n"
                  "|---:|---|---|---|---|---|---|\n", f);
        char buf[256], tags[512];
        fprintf(f, "| %u | ", r->row + 1);
        rm_cell(f, in->r->id >= 0 ? ds_cell_text(in->ds, in->r->id, r->row, buf, sizeof buf) : "", 40);
        fputs(" | ", f);
        if (in->o->task == TASK_REGRESSION) {
            fprintf(f, "%.6g | %.6g", in->o->ytrue[r->row], in->o->ypred[r->row]);
        } else {
            rm_cell(f, in->o->y[r->row] != CLASS_NA ? in->o->classes[in->o->y[r->row]] : "", 30);
            fputs(" | ", f);
            rm_cell(f, in->o->yhat[r->row] != CLASS_NA ? in->o->classes[in->o->yhat[r->row]] : "", 30);
        }
        tag_list(t, r->mask, tags, sizeof tags);
        fputs(" | ", f);
        rm_cell(f, tags, 120);
        fputs(" | ", f);
        rm_cell(f, r->note ? r->note : "", 80);
        fputs(" | ", f);
        rm_cell(f, r->reviewers ? r->reviewers : "", 60);
        fputs(" |\n", f);
    }
}

static void json_slice(FILE *f, const tag_state *t, const tag_slice *s)
{
    bool first = true;
    fputc('{', f);
    rj_kv_str(f, "tag", slice_name(t, s), &first);
    rj_kv_size(f, "rows", s->n, &first);
    rj_kv_size(f, "errors", s->nerr, &first);
    rj_kv_num(f, "error_rate", s->rate, &first);
    rj_kv_num(f, "ci_lo", s->lo, &first);
    rj_kv_num(f, "ci_hi", s->hi, &first);
    rj_kv_num(f, "lift", s->lift, &first);
    rj_kv_num(f, "p_value", s->p, &first);
    fputc('}', f);
}

/* One tagged row as a JSON object (the report's "rows" and the JSON-lines export). */
static void json_row(FILE *f, const rpt_input *in, const tg_row *r)
{
    const tag_state *t = in->tags;
    const outcome *o = in->o;
    bool first = true;
    char buf[256];
    fputc('{', f);
    rj_kv_size(f, "row", (size_t)r->row + 1, &first);
    rj_kv_str(f, "id", in->r->id >= 0 ? ds_cell_text(in->ds, in->r->id, r->row, buf, sizeof buf)
                                      : NULL, &first);
    if (o->task == TASK_REGRESSION) {
        rj_kv_num(f, "label", o->ytrue[r->row], &first);
        rj_kv_num(f, "prediction", o->ypred[r->row], &first);
    } else {
        rj_kv_str(f, "label", o->y[r->row] != CLASS_NA ? o->classes[o->y[r->row]] : NULL, &first);
        rj_kv_str(f, "prediction", o->yhat[r->row] != CLASS_NA ? o->classes[o->yhat[r->row]] : NULL,
                  &first);
    }
    rj_key(f, "tags", &first);
    fputc('[', f);
    bool f2 = true;
    for (size_t k = 0; k < tg_ntags(t); k++)
        if (r->mask >> k & 1u) {
            if (!f2)
                fputc(',', f);
            f2 = false;
            rj_str(f, tg_tag_name(t, k));
        }
    fputc(']', f);
    rj_kv_str(f, "note", r->note, &first);
    rj_kv_str(f, "reviewers", r->reviewers ? r->reviewers : "", &first);
    rj_kv_str(f, "last_time", r->last_ts, &first);
    fputc('}', f);
}

void rpt_json_tags(FILE *f, const rpt_input *in)
{
    const tag_state *t = in->tags;
    if (!t)
        return;
    const tg_load_report *lr = in->tag_load;
    bool first = true;
    fputs(",\"tags\":{", f);
    rj_kv_str(f, "journal", tg_journal_path(t), &first);
    rj_kv_str(f, "fingerprint", lr ? lr->fingerprint : NULL, &first);
    rj_kv_size(f, "tagged_rows", tg_count_rows(t), &first);
    rj_kv_size(f, "noted_rows", noted_rows(t), &first);
    rj_kv_size(f, "skipped_lines", lr ? lr->replay.bad : 0, &first);
    rj_kv_size(f, "unresolved", lr ? lr->unresolved : 0, &first);
    rj_kv_size(f, "other_fingerprint", lr ? lr->other_fingerprint : 0, &first);
    tag_slice s[TG_MAX_TAGS + 2];
    size_t ns;
    tv_slices(t, in->o, in->sel, 0, s, &ns);
    rj_key(f, "by_tag", &first);
    fputc('[', f);
    for (size_t i = 0; i + 2 < ns; i++) {
        if (i)
            fputc(',', f);
        json_slice(f, t, &s[i]);
    }
    fputc(']', f);
    rj_key(f, "any", &first);
    json_slice(f, t, &s[ns - 2]);
    rj_key(f, "untagged", &first);
    json_slice(f, t, &s[ns - 1]);
    reviewer_count rc[32];
    size_t nr = count_reviewers(t, rc, 32);
    rj_key(f, "by_reviewer", &first);
    fputc('[', f);
    for (size_t k = 0; k < nr; k++) {
        bool f2 = true;
        fputs(k ? ",{" : "{", f);
        rj_kv_str(f, "reviewer", rc[k].name, &f2);
        rj_kv_size(f, "rows", rc[k].rows, &f2);
        fputc('}', f);
    }
    fputc(']', f);
    rj_key(f, "rows", &first);
    fputc('[', f);
    bool any = false;
    for (size_t i = 0; i < tg_count_rows(t); i++) {
        const tg_row *r = tg_row_at(t, i);
        if (!row_selected(in, r->row))
            continue;
        if (any)
            fputc(',', f);
        any = true;
        json_row(f, in, r);
    }
    fputs("]}", f);
}

/* A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

err_code rpt_tags_export(FILE *f, const rpt_input *in, bool jsonl, err *e)
{
    const tag_state *t = in->tags;
    const outcome *o = in->o;
    if (!jsonl)
        fputs("row,id,label,prediction,tags,note,reviewers,last_time\n", f);
    for (size_t i = 0; t && i < tg_count_rows(t); i++) {
        const tg_row *r = tg_row_at(t, i);
        if (!row_selected(in, r->row))
            continue;
        if (jsonl) {
            json_row(f, in, r);
            fputc('\n', f);
            continue;
        }
        char buf[512], tags[512];
        fprintf(f, "%u,", r->row + 1);
        csv_field(f, in->r->id >= 0 ? ds_cell_text(in->ds, in->r->id, r->row, buf, sizeof buf) : "");
        fputc(',', f);
        if (o->task == TASK_REGRESSION) {
            fprintf(f, "%.17g,%.17g", o->ytrue[r->row], o->ypred[r->row]);
        } else {
            csv_field(f, o->y[r->row] != CLASS_NA ? o->classes[o->y[r->row]] : "");
            fputc(',', f);
            csv_field(f, o->yhat[r->row] != CLASS_NA ? o->classes[o->yhat[r->row]] : "");
        }
        fputc(',', f);
        tag_list(t, r->mask, tags, sizeof tags);
        csv_field(f, tags);
        fputc(',', f);
        csv_field(f, r->note ? r->note : "");
        fputc(',', f);
        csv_field(f, r->reviewers ? r->reviewers : "");
        fprintf(f, ",%s\n", r->last_ts);
    }
    if (fflush(f) != 0 || ferror(f))
        return err_set(e, E_IO, "cannot write the tags");
    return E_OK;
}
