#include "actions.h"

#include <string.h>

static const char *const NAMES[] = {
#define ACT_NAME(id, name, help) name,
    ACTIONS(ACT_NAME)
#undef ACT_NAME
};

static const char *const HELPS[] = {
#define ACT_HELP(id, name, help) help,
    ACTIONS(ACT_HELP)
#undef ACT_HELP
};

const char *act_name(action a)
{
    return a >= 0 && a < ACT_COUNT ? NAMES[a] : "";
}

const char *act_help(action a)
{
    return a >= 0 && a < ACT_COUNT ? HELPS[a] : "";
}

action act_find(const char *name)
{
    for (int i = 0; i < ACT_COUNT; i++)
        if (strcmp(NAMES[i], name) == 0)
            return (action)i;
    return ACT_NONE;
}
