/* Golden files for the screen tests: compare a text with tests/golden/NAME, or rewrite the
 * file when UPDATE_GOLDEN=1 is set (then review the diff). */
#ifndef TESTS_FL_GOLDEN_H
#define TESTS_FL_GOLDEN_H

/* Fails the test, showing both texts, when text differs from the golden file name. */
void fl_golden_check(const char *name, const char *text);

#endif
