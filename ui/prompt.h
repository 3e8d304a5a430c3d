/* prompt: a one-line editor for the filter, export and palette prompts: insertion at a
 * cursor, deletion, Ctrl-A/E/U/W, history on Up and Down, and Tab completion of the word
 * before the cursor through a callback. Text is UTF-8; the cursor moves by characters. */
#ifndef UI_PROMPT_H
#define UI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#define PRM_MAX 1024

typedef enum { PRM_EDITING, PRM_ACCEPT, PRM_CANCEL } prm_state;

/* Completes word (the identifier before the cursor): writes up to max borrowed names into out
 * and returns how many match. */
typedef size_t (*prm_complete_fn)(void *ctx, const char *word, const char **out, size_t max);
/* Entry i of the history, oldest first; NULL past the end. */
typedef const char *(*prm_history_fn)(void *ctx, size_t i);

typedef struct prompt {
    char label[32];    /* "/", "export to:", ":" */
    char buf[PRM_MAX]; /* the text, NUL-terminated */
    size_t len, cur;   /* bytes; cur is on a character boundary */
    size_t nhist, hpos; /* history entries and the one shown (nhist = the line being typed) */
    char draft[PRM_MAX]; /* the line being typed while browsing history */
    prm_complete_fn complete;
    prm_history_fn history;
    void *ctx;
    char note[256];    /* completion candidates to show, empty when none */
} prompt;

void prm_open(prompt *p, const char *label, const char *initial, prm_complete_fn complete,
              prm_history_fn history, size_t nhist, void *ctx);
/* Handles one key (keys.h codes); returns whether the line was accepted or cancelled. */
prm_state prm_key(prompt *p, int key);
/* Display columns of the text before the cursor. */
int prm_cursor_col(const prompt *p);

#endif
