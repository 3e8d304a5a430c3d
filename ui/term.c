#include "term.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ncursesw/term.h> /* not <term.h>: ui/term.h shadows it */
#include <unistd.h>
#include <wchar.h>

#include "keys.h"

/* The terminal singleton: whether curses runs, and what it can do. */
static struct {
    bool active;
    bool atexit_set;
    int ncolors;
    attr_t attr[UI_NROLES];
    short pair[UI_NROLES];
    int mouse_y, mouse_x, mouse_kind;
} T;

static volatile sig_atomic_t cancel_requested;

static void on_sigint(int sig)
{
    (void)sig;
    cancel_requested = 1;
}

/* Fatal signals: give the terminal back, then die of the same signal. */
static void on_fatal(int sig)
{
    if (T.active) {
        endwin();
        T.active = false;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void at_exit(void)
{
    term_end();
}

static void install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
#if !defined(__SANITIZE_ADDRESS__)
    /* under AddressSanitizer its own handler reports these; ours would hide the report */
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
#endif
}

err_code term_begin(const term_opts *o, err *e)
{
    int rc = 0;
    const char *tn = getenv("TERM");
    if (setupterm(NULL, 1, &rc) != OK)
        return err_set(e, E_USAGE, "cannot use the terminal '%s'; try faultline report",
                       tn ? tn : "");
    const char *cup = tigetstr("cup");
    bool addressable = cup && cup != (char *)-1;
    del_curterm(cur_term);
    if (!addressable)
        return err_set(e, E_USAGE, "the terminal '%s' cannot move the cursor; the explorer "
                                   "needs one that can (or use faultline report)",
                       tn ? tn : "");
    if (!initscr())
        return err_set(e, E_IO, "cannot start the terminal");
    T.active = true;
    install_handlers();
    if (!T.atexit_set) {
        atexit(at_exit);
        T.atexit_set = true;
    }
    raw(); /* Ctrl-C arrives as a key: it cancels work and never quits */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    T.ncolors = 0;
    if (!o->mono && has_colors()) {
        start_color();
        use_default_colors();
        T.ncolors = COLORS >= 256 ? 256 : COLORS >= 8 ? 8 : 0;
    }
    if (o->mouse)
        mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                      | BUTTON5_PRESSED
#endif
                  ,
                  NULL);
    mouseinterval(200);
    return E_OK;
}

void term_end(void)
{
    if (!T.active)
        return;
    T.active = false;
    endwin();
    fflush(stdout);
}

bool term_active(void)
{
    return T.active;
}

int term_colors(void)
{
    return T.ncolors;
}

void term_size(int *h, int *w)
{
    getmaxyx(stdscr, *h, *w);
}

static attr_t attrs_of(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & TH_BOLD)
        r |= A_BOLD;
    if (a & TH_DIM)
        r |= A_DIM;
    if (a & TH_REVERSE)
        r |= A_REVERSE;
    if (a & TH_UNDERLINE)
        r |= A_UNDERLINE;
    return r;
}

void term_apply_theme(const theme *t)
{
    for (int r = 0; r < UI_NROLES; r++) {
        th_style s = th_effective(t, (ui_role)r, T.ncolors);
        T.attr[r] = attrs_of(s.attr);
        T.pair[r] = 0;
        if (T.ncolors > 0 && r + 1 < COLOR_PAIRS) {
            init_pair((short)(r + 1), s.fg, s.bg);
            T.pair[r] = (short)(r + 1);
        }
    }
}

int term_read_key(int timeout_ms)
{
    timeout(timeout_ms);
    wint_t ch;
    int rc = get_wch(&ch);
    if (rc == ERR)
        return K_TIMEOUT;
    if (rc == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP: return K_UP;
        case KEY_DOWN: return K_DOWN;
        case KEY_LEFT: return K_LEFT;
        case KEY_RIGHT: return K_RIGHT;
        case KEY_PPAGE: return K_PGUP;
        case KEY_NPAGE: return K_PGDN;
        case KEY_HOME: return K_HOME;
        case KEY_END: return K_END;
        case KEY_BACKSPACE: return K_BSPACE;
        case KEY_DC: return K_DEL;
        case KEY_IC: return K_INS;
        case KEY_BTAB: return K_BTAB;
        case KEY_ENTER: return K_ENTER;
        case KEY_RESIZE: return K_RESIZE;
        case KEY_MOUSE: {
            MEVENT ev;
            if (getmouse(&ev) != OK)
                return K_TIMEOUT;
            T.mouse_y = ev.y;
            T.mouse_x = ev.x;
            T.mouse_kind = ev.bstate & BUTTON1_DOUBLE_CLICKED ? 2
                           : ev.bstate & BUTTON4_PRESSED      ? 4
#ifdef BUTTON5_PRESSED
                           : ev.bstate & BUTTON5_PRESSED ? 5
#endif
                                                         : 1;
            return K_MOUSE;
        }
        default:
            if (ch >= KEY_F(1) && ch <= KEY_F(12))
                return K_F1 + (int)(ch - KEY_F(1));
            return K_TIMEOUT;
        }
    }
    if (ch == '\r' || ch == '\n')
        return K_ENTER;
    if (ch == 127 || ch == 8)
        return K_BSPACE;
    return (int)ch;
}

void term_mouse(int *y, int *x, int *kind)
{
    *y = T.mouse_y;
    *x = T.mouse_x;
    *kind = T.mouse_kind;
}

void term_draw(const canvas *cv, int cy, int cx)
{
    for (int y = 0; y < cv->h; y++) {
        for (int x = 0; x < cv->w; x++) {
            const cv_cell *c = cv_at(cv, y, x);
            if (c->ch == CV_WIDE_TAIL)
                continue;
            wchar_t wc[2] = {(wchar_t)c->ch, 0};
            cchar_t cc;
            setcchar(&cc, wc, T.attr[c->role], T.pair[c->role], NULL);
            mvadd_wch(y, x, &cc);
        }
    }
    if (cy >= 0) {
        curs_set(1);
        move(cy, cx);
    } else {
        curs_set(0);
    }
    refresh();
}

void term_invalidate(void)
{
    clearok(curscr, TRUE);
}

bool term_take_cancel(void)
{
    if (!cancel_requested)
        return false;
    cancel_requested = 0;
    return true;
}

void term_write_raw(const char *s, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, s, len);
        if (n <= 0)
            break;
        s += n;
        len -= (size_t)n;
    }
}
