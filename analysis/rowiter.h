/* rowiter: the loop over the rows of a selection that every counting pass uses. */
#ifndef ANALYSIS_ROWITER_H
#define ANALYSIS_ROWITER_H

#include <stddef.h>
#include <stdint.h>

#include "bitmap.h"

/* Runs the statements after the first four arguments for every row i of [r0, r1) that is
 * in sel (const bitmap *; NULL = every row), in row order. r0 must be a multiple of 64 when
 * sel is given, so that a bitmap word belongs to one range; bits past sel->nbits are zero,
 * so r1 may be the row count. */
#define ROWS_FOR(sel, r0, r1, i, ...)                                                              \
    do {                                                                                           \
        if (!(sel)) {                                                                              \
            for (size_t i = (r0); i < (r1); i++) {                                                 \
                __VA_ARGS__                                                                        \
            }                                                                                      \
        } else {                                                                                   \
            for (size_t w_ = (r0) / 64; w_ * 64 < (r1); w_++) {                                    \
                uint64_t m_ = (sel)->w[w_];                                                        \
                while (m_) {                                                                       \
                    size_t i = w_ * 64 + (size_t)__builtin_ctzll(m_);                              \
                    m_ &= m_ - 1;                                                                  \
                    __VA_ARGS__                                                                    \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

#endif
