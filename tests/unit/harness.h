/*
 * A small unit-test harness: CHECK macros that record failures with
 * file and line, SKIP for a test whose input is absent, and a summary
 * line "N passed, M failed, K skipped" that tests/run.sh adds up.  With
 * HARNESS_FILTER set, RUN runs only the tests whose names contain it
 * (tests/run.sh unit/test_url:encode).
 */
#ifndef CAPSULED_HARNESS_H
#define CAPSULED_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	harness_passed, harness_failed, harness_skipped;
static int	harness_test_failed, harness_test_skipped;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
		    __FILE__, __LINE__, #cond);				\
		harness_test_failed = 1;				\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) {\
		fprintf(stderr, "%s:%d: %s\n  got:  [%s]\n  want: [%s]\n",\
		    __FILE__, __LINE__, #got, g_ ? g_ : "(null)",	\
		    w_ ? w_ : "(null)");				\
		harness_test_failed = 1;				\
	}								\
} while (0)

/* CHECK_STR on a string made for the check, then freed. */
#define CHECK_STR_FREE(got, want) do {					\
	char *gf_ = (got);						\
	CHECK_STR(gf_, want);						\
	free(gf_);							\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (g_ != w_) {							\
		fprintf(stderr, "%s:%d: %s = %lld, want %lld\n",	\
		    __FILE__, __LINE__, #got, g_, w_);			\
		harness_test_failed = 1;				\
	}								\
} while (0)

/*
 * Leave the running test (a void function) as skipped, saying why
 * (printf arguments); a check that failed before still fails it.  Free
 * what the test holds before.
 */
#define SKIP(...) do {							\
	printf("  skipped: ");						\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	harness_test_skipped = 1;					\
	return;								\
} while (0)

/* Is the test name asked for?  HARNESS_FILTER: a part of the names. */
static inline int
harness_wanted(const char *name)
{
	const char	*f = getenv("HARNESS_FILTER");

	return f == NULL || *f == '\0' || strstr(name, f) != NULL;
}

#define RUN(fn) do {							\
	if (!harness_wanted(#fn))					\
		break;							\
	harness_test_failed = harness_test_skipped = 0;			\
	fn();								\
	if (harness_test_failed) {					\
		harness_failed++;					\
		printf("FAIL %s\n", #fn);				\
	} else if (harness_test_skipped) {				\
		harness_skipped++;					\
		printf("skip %s\n", #fn);				\
	} else {							\
		harness_passed++;					\
		printf("ok   %s\n", #fn);				\
	}								\
} while (0)

/* (A suite may run its tests without RUN, and never skip.) */
#define HARNESS_END() (						\
	(void)harness_test_skipped,					\
	printf("%d passed, %d failed, %d skipped\n", harness_passed,	\
	    harness_failed, harness_skipped),				\
	harness_failed ? 1 : 0)

#endif
