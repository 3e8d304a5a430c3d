/* actions: every command of the explorer, defined once. The ACTIONS table yields the action
 * enum, the names key maps and the command palette use, and the help text of the help
 * overlay; a test checks that the manual lists every name. Names are verb-object, lowercase
 * and stable once released. Actions never draw or recompute by themselves: the code that
 * runs one returns reaction flags that the loop handles in one place. */
#ifndef UI_ACTIONS_H
#define UI_ACTIONS_H

#include <stddef.h>

#define ACTIONS(_)                                                                            \
    _(QUIT, "quit", "Close the overlay or detail; on the main screen, quit")                  \
    _(HELP, "help", "Show the keys of the focused pane, then the global keys")                \
    _(PALETTE, "palette", "Run any action by name (fuzzy matched)")                           \
    _(PANE_NEXT, "pane-next", "Focus the next pane")                                          \
    _(PANE_PREV, "pane-prev", "Focus the previous pane")                                      \
    _(PANE_SLICES, "pane-slices", "Show the slices pane")                                     \
    _(PANE_HEATMAP, "pane-heatmap", "Show the heatmap pane")                                  \
    _(PANE_CONFUSION, "pane-confusion", "Show the confusion matrix")                          \
    _(PANE_CASES, "pane-cases", "Show the error cases")                                       \
    _(PANE_CALIBRATION, "pane-calibration", "Show the calibration bins")                      \
    _(PANE_RANK, "pane-rank", "Show the column ranking")                                      \
    _(PANE_CLUSTERS, "pane-clusters", "Show the error clusters and their keywords")           \
    _(PANE_TAGS, "pane-tags", "Show the tag summary: tags, reviewers, review progress")        \
    _(PANE_DECISIONS, "pane-decisions", "Show the decisions: next steps, thresholds, coverage, comparison, drift, fairness, checks")       \
    _(MOVE_UP, "move-up", "Move the cursor up")                                               \
    _(MOVE_DOWN, "move-down", "Move the cursor down")                                         \
    _(MOVE_LEFT, "move-left", "Move the cursor left")                                         \
    _(MOVE_RIGHT, "move-right", "Move the cursor right")                                      \
    _(PAGE_UP, "page-up", "Move one page up")                                                 \
    _(PAGE_DOWN, "page-down", "Move one page down")                                           \
    _(MOVE_TOP, "move-top", "Go to the first row")                                            \
    _(MOVE_BOTTOM, "move-bottom", "Go to the last row")                                       \
    _(DIVE, "dive", "Narrow the selection to the row or cell under the cursor")               \
    _(CASE_OPEN, "case-open", "Open the case under the cursor")                               \
    _(TAG_1, "tag-1", "Toggle tag 1 on the case (in review: and go on)")                      \
    _(TAG_2, "tag-2", "Toggle tag 2 on the case")                                             \
    _(TAG_3, "tag-3", "Toggle tag 3 on the case")                                             \
    _(TAG_4, "tag-4", "Toggle tag 4 on the case")                                             \
    _(TAG_5, "tag-5", "Toggle tag 5 on the case")                                             \
    _(TAG_6, "tag-6", "Toggle tag 6 on the case")                                             \
    _(TAG_7, "tag-7", "Toggle tag 7 on the case")                                             \
    _(TAG_8, "tag-8", "Toggle tag 8 on the case")                                             \
    _(TAG_9, "tag-9", "Toggle tag 9 on the case")                                             \
    _(NOTE_EDIT, "note-edit", "Write the case's note (Enter saves, empty clears, Esc keeps)") \
    _(REVIEW_START, "review-start", "Review the selection's errors one by one (a queue)")      \
    _(REVIEW_SKIP, "review-skip", "Review: go to the next case without tagging")              \
    _(REVIEW_BACK, "review-back", "Review: go back to the previous case")                     \
    _(FILTER_ADD, "filter-add", "Add a filter: column op value, or /regex/ on text")          \
    _(FILTER_POP, "filter-pop", "Remove the last filter")                                     \
    _(UNDO, "undo", "Undo the last change: a filter, a tag or a note")                        \
    _(REDO, "redo", "Redo the change last undone")                                            \
    _(SORT_CYCLE, "sort-cycle", "Sort by the next column (q-value, lift, errors, n)")          \
    _(ORDER_CYCLE, "order-cycle", "Order the cases by loss, confidence or row")               \
    _(TAB_SWITCH, "tab-switch", "Switch between the per-column and discovered slices")        \
    _(CM_COUNTS, "cm-counts", "Confusion matrix: counts")                                     \
    _(CM_ROW, "cm-row", "Confusion matrix: row percentages (recall)")                         \
    _(CM_COL, "cm-col", "Confusion matrix: column percentages (precision)")                   \
    _(HM_PICK_X, "heatmap-pick-x", "Choose the heatmap's x column")                           \
    _(HM_PICK_Y, "heatmap-pick-y", "Choose the heatmap's y column")                           \
    _(HM_BINS, "heatmap-bins", "Switch numeric heatmap axes: quantile or equal-width bins")   \
    _(HM_SHOW_N, "heatmap-show-n", "Show the rows of each heatmap cell instead of the rate")  \
    _(EXPORT, "export", "Export the view (.tsv, .md) or the selected rows (.csv) to a file")  \
    _(COPY, "copy", "Copy the expression under the cursor, or the filter, by OSC 52")         \
    _(REDRAW, "redraw", "Redraw, re-read the tags, restart a cancelled recompute")            \
    _(CANCEL, "cancel", "Cancel the computation under way (never quits)")

typedef enum {
#define ACT_ENUM(id, name, help) ACT_##id,
    ACTIONS(ACT_ENUM)
#undef ACT_ENUM
    ACT_COUNT,
    ACT_NONE = -1
} action;

/* Name and help text of an action; "" for one out of range. */
const char *act_name(action a);
const char *act_help(action a);
/* The action named name, or ACT_NONE. */
action act_find(const char *name);

#endif
