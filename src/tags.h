/* tags: the review state of a data file: which tags and note each row has, who set them and
 * when, rebuilt from the journal (journal.h) and changed only through it, so that the screen
 * never shows a tag that is not on disk.
 *
 * Rows are keyed so that a tag follows its row and a changed data file is caught:
 *   - with an id column, "id:<id>";
 *   - without, "row:<n>:<hash>", n the 1-based data row and hash 16 hex digits of the row's
 *     cells, so that a tag is applied only to the very row it was made on.
 * A journal line whose key no longer resolves (an id that is gone, a row whose content
 * changed) is counted and reported, never applied to another row. Lines written against a
 * data file with another fingerprint are counted too: the report says the file changed.
 *
 * The tag set: names in order (keys 1-9 toggle the first nine), from a file or the default
 * set; a tag found in the journal but not in the set is appended to it, so no work is hidden. */
#ifndef SRC_TAGS_H
#define SRC_TAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "err.h"
#include "journal.h"

#define TG_MAX_TAGS 64
#define TG_DEFAULT_SET "mislabeled,ambiguous,needs-context,model-error,data-issue,out-of-scope"

typedef struct tg_row {
    uint32_t row;       /* dataset row */
    uint64_t mask;      /* bit t: tag t is on */
    char *note;         /* owned; NULL when none */
    char *reviewers;    /* owned; the reviewers who changed this row, ", "-separated, in order */
    char last_ts[32];   /* time of the last operation */
    char last_reviewer[JR_NAME_MAX];
} tg_row;

typedef struct tg_undo {
    jr_kind kind;       /* what to write to undo */
    uint32_t row;
    int tag;
    char *note;         /* owned; the note to restore (JR_NOTE) */
} tg_undo;

typedef struct tag_state tag_state;

typedef struct tg_opts {
    const char *journal_path;  /* NULL: <data file>.tags.jsonl (standard input needs one) */
    const char *tagset;        /* comma- or line-separated names; NULL: TG_DEFAULT_SET */
    const char *reviewer;      /* NULL: $USER, else the account name, else "unknown" */
    int id_col;                /* the id column, or -1 */
    bool read_only;            /* replay only (reports): no journal is created, and the
                                * operations below fail with E_USAGE */
} tg_opts;

/* What loading found, for the status line and the report. */
typedef struct tg_load_report {
    jr_replay_report replay;
    size_t unresolved;       /* operations whose key names no row of this file */
    char first_unresolved[JR_KEY_MAX];
    size_t other_fingerprint; /* operations written against a different data file */
    char fingerprint[JR_FP_LEN + 1]; /* of the data file now */
} tg_load_report;

/* Parses a tag-set text (names separated by commas or line breaks; # comments and blank
 * lines ignored; names are trimmed and must be 1-63 printable characters without quotes)
 * into the state's set. Used by tg_open; exposed for tests. */
err_code tg_parse_set(char names[][JR_TAG_MAX], size_t *n, const char *text, err *e);

/* Opens the journal of ds (created by the first tag; its directory must be writable unless
 * read_only), computes the data file's fingerprint and replays
 * the journal. E_IO (unwritable place: the message says so; nothing is lost), E_PARSE (a bad
 * tag set), E_NOMEM. Owned by the caller (tg_close). */
err_code tg_open(tag_state **out, const dataset *ds, const tg_opts *o, tg_load_report *rep,
                 err *e);
void tg_close(tag_state *t);

/* Replays the journal again if it changed on disk (another reviewer's tags). *changed tells
 * whether anything was re-read. E_IO, E_NOMEM. */
err_code tg_refresh(tag_state *t, bool *changed, tg_load_report *rep, err *e);

size_t tg_ntags(const tag_state *t);
const char *tg_tag_name(const tag_state *t, size_t i);
/* Index of a tag name, or -1. */
int tg_tag_index(const tag_state *t, const char *name);
const char *tg_reviewer(const tag_state *t);
const char *tg_journal_path(const tag_state *t);

/* The state of a row, NULL when it was never tagged or noted. Borrowed until the next change. */
const tg_row *tg_get(const tag_state *t, uint32_t row);
bool tg_has(const tag_state *t, uint32_t row, int tag);
/* Rows with any tag or note, in increasing row order (count, then i-th). */
size_t tg_count_rows(const tag_state *t);
const tg_row *tg_row_at(const tag_state *t, size_t i);
/* Rows holding tag i. */
size_t tg_tag_count(const tag_state *t, int tag);

/* The reviewer's operations. Each is written to the journal (fsync'ed) first and applied to
 * the state only when the write succeeded; on E_IO the state is unchanged and the message
 * says the tag was not saved. */
err_code tg_toggle(tag_state *t, uint32_t row, int tag, err *e);
err_code tg_set_note(tag_state *t, uint32_t row, const char *note, err *e);
/* Undoes this session's last operation (by writing its inverse). false when none left. */
err_code tg_undo_last(tag_state *t, bool *done, err *e);
size_t tg_undo_depth(const tag_state *t);

/* The key of a row, as written to the journal. */
void tg_row_key(const tag_state *t, uint32_t row, char out[JR_KEY_MAX]);

#endif
