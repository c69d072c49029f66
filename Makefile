# capsuled: a Gemini and Gopher capsule server.
#
#   make            build ./capsuled
#   make run        install missing packages, build, serve capsule/
#   make check      unit, integration, corpus and fuzz tests (ASan+UBSan)
#   make fuzz       build the libFuzzer targets
#   make bench      benchmarks (prints figures; not a test)

PROG	 = capsuled
PKGS	 = openssl yaml-0.1 md4c libevent libevent_openssl libevent_pthreads

CC	?= cc
CLANG	?= clang
OPT	?= -O2
WARN	 = -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	   -Wmissing-prototypes -Wstrict-prototypes
DEFS	 = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS	?= $(OPT) -g
ALL_CFLAGS = $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS)
LIBS	 = $(PKG_LIBS) -lpthread -lm
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

SRCS	:= $(sort $(wildcard src/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
REL_OBJS := $(SRCS:src/%.c=build/rel/%.o)
ASAN_OBJS := $(SRCS:src/%.c=build/asan/%.o)
ASAN_LIB := $(filter-out build/asan/main.o,$(ASAN_OBJS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c) $(wildcard tests/bench/*.c))
TOOL_BINS := $(patsubst %.c,build/tools/%,$(notdir $(TOOL_SRCS)))

.PHONY: all run deps check check-run unit integration fuzz bench bench-run clean

all: $(PROG)

$(PROG): $(REL_OBJS)
	$(CC) $(CFLAGS) -o $@ $(REL_OBJS) $(LIBS)

build/rel/%.o: src/%.c $(wildcard src/*.h) | build/rel
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c $(wildcard src/*.h) | build/asan
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/asan/capsuled: $(ASAN_OBJS)
	$(CC) $(SAN) -o $@ $(ASAN_OBJS) $(LIBS)

build/asan/tests/%: tests/unit/%.c tests/unit/harness.h $(ASAN_LIB) | build/asan/tests
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Isrc -o $@ $< $(ASAN_LIB) $(LIBS)

# Test clients, load generators and benchmark programs.
build/tools/%: tests/tools/%.c | build/tools
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIBS)
build/tools/%: tests/bench/%.c $(filter-out build/rel/main.o,$(REL_OBJS)) | build/tools
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(filter-out build/rel/main.o,$(REL_OBJS)) $(LIBS)

build/fuzz/%: tests/fuzz/%.c $(LIB_SRCS) $(wildcard src/*.h) | build/fuzz
	$(CLANG) $(WARN) $(DEFS) $(PKG_CFLAGS) -g -O1 -Isrc \
	    -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_SRCS) $(LIBS)

build/rel build/asan build/asan/tests build/fuzz build/tools:
	mkdir -p $@

deps:
	./contrib/deps.sh

# Packages first, in a separate make: pkg-config flags are read at start.
run:
	./contrib/deps.sh
	$(MAKE) $(PROG)
	./$(PROG)

unit: $(UNIT_BINS)
integration: $(PROG) build/asan/capsuled $(TOOL_BINS)
fuzz: $(FUZZ_BINS)

check:
	./contrib/deps.sh --test
	$(MAKE) check-run

check-run: $(PROG) build/asan/capsuled $(UNIT_BINS) $(TOOL_BINS) $(FUZZ_BINS)
	./tests/run.sh

bench:
	./contrib/deps.sh --test
	$(MAKE) bench-run

bench-run: $(PROG) $(TOOL_BINS)
	./tests/bench/run.sh

clean:
	rm -rf build $(PROG)
