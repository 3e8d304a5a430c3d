#include "listnav.h"

void ln_clamp(listnav *ln, size_t n, size_t page)
{
    if (page == 0)
        page = 1;
    if (n == 0) {
        ln->cur = ln->top = 0;
        return;
    }
    if (ln->cur >= n)
        ln->cur = n - 1;
    if (ln->cur < ln->top)
        ln->top = ln->cur;
    if (ln->cur >= ln->top + page)
        ln->top = ln->cur - page + 1;
    if (ln->top + page > n)
        ln->top = n > page ? n - page : 0;
}

bool ln_move(listnav *ln, action a, size_t n, size_t page)
{
    size_t step = page > 1 ? page - 1 : 1;
    switch (a) {
    case ACT_MOVE_UP:
        if (ln->cur > 0)
            ln->cur--;
        break;
    case ACT_MOVE_DOWN:
        if (ln->cur + 1 < n)
            ln->cur++;
        break;
    case ACT_PAGE_UP:
        ln->cur = ln->cur > step ? ln->cur - step : 0;
        break;
    case ACT_PAGE_DOWN:
        ln->cur = n && ln->cur + step < n ? ln->cur + step : (n ? n - 1 : 0);
        break;
    case ACT_MOVE_TOP:
        ln->cur = 0;
        break;
    case ACT_MOVE_BOTTOM:
        ln->cur = n ? n - 1 : 0;
        break;
    default:
        return false;
    }
    ln_clamp(ln, n, page);
    return true;
}
