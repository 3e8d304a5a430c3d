#include "pane.h"

/* Tab order of the explorer's panes. A new pane is one constructor in this list plus its
 * ACTIONS entry (pane-NAME) and key binding. */
const pane_ctor PANE_REGISTRY[] = {
    slices_pane_new, heatmap_pane_new, confusion_pane_new, clusters_pane_new,
    cases_pane_new,  calibration_pane_new, rank_pane_new,
    tags_pane_new, decisions_pane_new,
};
const size_t PANE_REGISTRY_LEN = sizeof PANE_REGISTRY / sizeof PANE_REGISTRY[0];

void pane_free(pane *p)
{
    if (p)
        p->ops->free(p);
}
