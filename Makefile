# capsuled: a Gemini and Gopher capsule server.
#
#   make            build ./capsuled
#   make run        install missing packages, build, serve capsule/
#   make check      unit, integration, Jekyll and fuzz tests (ASan+UBSan),
#                   shellcheck
#   make check-quick  unit tests, lint and a few integration tests (< 1 min)
#   make fuzz       build the libFuzzer targets
#   make fuzz-long FUZZ_SECONDS=N   run each of them N seconds (600)
#   make bench      benchmarks (prints figures; not a test)
#   make install    capsuled, its manual pages and examples under PREFIX
#                   (/usr/local), staged in DESTDIR; the settings file,
#                   logrotate file and service files where asked
#                   (SYSCONFDIR, SYSTEMDUNITDIR, OPENRCDIR)
#   make uninstall  the same files removed (never the settings file)

PROG	 = capsuled
PKGS	 = openssl yaml-0.1 md4c libevent libevent_openssl libevent_pthreads \
	   libseccomp sqlite3

CC	?= cc
CLANG	?= clang
OPT	?= -O2
WARN	 = -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	   -Wmissing-prototypes -Wstrict-prototypes
DEFS	 = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS	?= $(OPT) -g
# The release build is optimized across the files of the layers, as one
# program (the files are small by concern; their helpers get inlined).
LTO	?= -flto=auto -ffat-lto-objects
# Headers of another layer are named from src/ ("core/core.h"); -MMD -MP
# write each object's header dependencies next to it.
ALL_CFLAGS = $(WARN) $(DEFS) -Isrc -Ibuild/gen $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LIBS	 = $(PKG_LIBS) -lpthread -lm
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
FUZZ_SAN = -fsanitize=address,undefined

# The layers, from the bottom up: each may use only those before it.
# One static library per layer, linked from the top down, so that a call
# against the flow (a converter calling the server) fails the link.
LAYERS	 = core model proto convert site serve
rlayers	 = $(foreach l,$(LAYERS),$(1)/lib$(l).a)
layer_objs = $(patsubst src/%.c,$(2)/%.o,$(sort $(wildcard src/$(1)/*.c)))
REL_LIBS := $(call rlayers,build/rel)
ASAN_LIBS := $(call rlayers,build/asan)
FUZZ_LIBS := $(call rlayers,build/fuzz)
# Link order: the top layer first.
linkorder = $(shell echo $(1) | tr ' ' '\n' | tac | tr '\n' ' ')

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
CLIENT_SRCS := $(sort $(wildcard tests/tools/*.c))
BENCH_SRCS := $(sort $(wildcard tests/bench/*.c))
TOOL_BINS := $(patsubst %.c,build/tools/%,$(notdir $(CLIENT_SRCS) $(BENCH_SRCS)))

ALL_OBJS := $(foreach l,$(LAYERS),$(call layer_objs,$(l),build/rel) \
	    $(call layer_objs,$(l),build/asan) \
	    $(call layer_objs,$(l),build/fuzz)) \
	    build/rel/main.o build/asan/main.o

.PHONY: all run deps check check-run check-quick unit integration fuzz \
	fuzz-long bench \
	install uninstall \
	bench-run clean

all: $(PROG)

$(PROG): build/rel/main.o $(REL_LIBS) build/rel/layers.ok
	$(CC) $(CFLAGS) $(LTO) -o $@ build/rel/main.o \
	    $(call linkorder,$(REL_LIBS)) $(LIBS)

# Each layer linked whole against the layers below it alone: a call to a
# layer above it is an undefined reference here, even when the program
# as a whole would link.
# The include rules are checked with it (tests/tools/check-includes.sh).
build/rel/layers.ok: $(REL_LIBS) tests/tools/check-includes.sh
	@sh tests/tools/check-includes.sh $(LAYERS)
	@below=""; for l in $(LAYERS); do \
		$(CC) -fno-lto -nostartfiles -Wl,-e,0 \
		    -o build/rel/layer-$$l.out \
		    -Wl,--whole-archive build/rel/lib$$l.a \
		    -Wl,--no-whole-archive $$below $(LIBS) || \
		    { echo "layer $$l calls a layer above it" >&2; exit 1; }; \
		below="build/rel/lib$$l.a $$below"; \
	done; rm -f build/rel/layer-*.out; touch $@

build/rel/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LTO) -c -o $@ $<

build/asan/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/fuzz/%.o: src/%.c
	@mkdir -p $(@D)
	$(CLANG) $(WARN) $(DEFS) -Isrc -Ibuild/gen $(PKG_CFLAGS) -g -O1 -MMD -MP \
	    -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c -o $@ $<

# jemoji's names: GitHub's list, as Debian's goldmark-emoji carries it.
EMOJI_DEFS ?= /usr/share/gocode/src/github.com/yuin/goldmark-emoji/definition/github.go
build/gen/emoji-names.h: contrib/emoji-names.sh
	@mkdir -p $(@D)
	sh contrib/emoji-names.sh $(EMOJI_DEFS) >$@.tmp && mv $@.tmp $@
build/rel/convert/emoji.o build/asan/convert/emoji.o \
    build/fuzz/convert/emoji.o: build/gen/emoji-names.h

# lib$(layer).a of each build, from that layer's objects.
define layer_lib
$(2)/lib$(1).a: $(call layer_objs,$(1),$(2))
	rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach l,$(LAYERS),$(foreach b,build/rel build/asan build/fuzz,\
	$(eval $(call layer_lib,$(l),$(b)))))

build/asan/capsuled: build/asan/main.o $(ASAN_LIBS)
	$(CC) $(SAN) -o $@ build/asan/main.o $(call linkorder,$(ASAN_LIBS)) \
	    $(LIBS)

build/asan/tests/%: tests/unit/%.c $(ASAN_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -o $@ $< \
	    $(call linkorder,$(ASAN_LIBS)) $(LIBS)

# Test clients (on their own), load generators and benchmark programs
# (with the libraries).
build/tools/%: tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBS)
# The Liquid test driver renders through the sanitized libraries.
build/tools/liquid-render: tests/tools/liquid-render.c $(ASAN_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -o $@ $< \
	    $(call linkorder,$(ASAN_LIBS)) $(LIBS)
# The sandbox tests apply the release build's sandbox (the sanitizers'
# runtime needs a wider one) and start its keeper.
build/tools/sandbox-try build/tools/keeper-try: build/tools/%: \
    tests/tools/%.c $(REL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(call linkorder,$(REL_LIBS)) $(LIBS)
build/tools/%: tests/bench/%.c $(REL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LTO) -o $@ $< $(call linkorder,$(REL_LIBS)) \
	    $(LIBS)

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIBS)
	@mkdir -p $(@D)
	$(CLANG) $(WARN) $(DEFS) -Isrc $(PKG_CFLAGS) -g -O1 -MMD -MP \
	    -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< \
	    $(call linkorder,$(FUZZ_LIBS)) $(LIBS)

-include $(ALL_OBJS:.o=.d) $(UNIT_BINS:=.d) $(FUZZ_BINS:=.d) \
	$(TOOL_BINS:=.d)

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

# Long campaigns: every fuzz target for FUZZ_SECONDS each, from its
# seeds (tests/fuzz/seeds/NAME) and the corpus earlier runs grew
# (build/test-logs/corpus-NAME); a crash is saved as crash-* here.
FUZZ_SECONDS ?= 600
fuzz-long: $(FUZZ_BINS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/run.sh fuzz

check:
	./contrib/deps.sh --test
	$(MAKE) check-run

check-run: $(PROG) build/asan/capsuled $(UNIT_BINS) $(TOOL_BINS) $(FUZZ_BINS)
	./tests/run.sh

# For everyday work: what most changes can break, in under a minute.
QUICK	 = unit lint integration/gemini-request integration/gopher-curl \
	   integration/export integration/certs-in-root integration/badcontent
check-quick: $(PROG) build/asan/capsuled $(UNIT_BINS) $(TOOL_BINS)
	./tests/run.sh $(QUICK)

bench:
	./contrib/deps.sh --test
	$(MAKE) bench-run

bench-run: $(PROG) $(TOOL_BINS)
	./tests/bench/run.sh

# Installation.  Nothing goes outside PREFIX unless asked: SYSCONFDIR
# (/etc: the settings file, never replaced, and the logrotate file),
# SYSTEMDUNITDIR (/etc/systemd/system: the unit, and the sysusers.d and
# tmpfiles.d files in the folders beside its systemd/), OPENRCDIR
# (/etc/init.d: the OpenRC script).  The installed files name the
# installed paths.
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
DOCDIR	?= $(PREFIX)/share/doc/capsuled
SYSCONFDIR ?=
SYSTEMDUNITDIR ?=
SYSUSERSDIR ?= $(SYSTEMDUNITDIR:%/systemd/system=%)/sysusers.d
TMPFILESDIR ?= $(SYSTEMDUNITDIR:%/systemd/system=%)/tmpfiles.d
OPENRCDIR ?=
CONFFILE = $(or $(SYSCONFDIR),/etc)/capsuled.yml
DOC_FILES = README.md NEWS LICENSE contrib/capsuled.yml \
	    contrib/capsuled-vps.yml contrib/capsuled.service \
	    contrib/capsuled.sysusers contrib/capsuled.tmpfiles \
	    contrib/capsuled.openrc contrib/capsuled.logrotate \
	    contrib/haproxy.cfg
# The paths of a default installation, as the shipped files write them.
INSTALL_SED = -e 's|/usr/local/sbin/capsuled|$(SBINDIR)/capsuled|g' \
	      -e 's|/usr/local/share/doc/capsuled|$(DOCDIR)|g' \
	      -e 's|/etc/capsuled.yml|$(CONFFILE)|g'
# install_as SOURCE TARGET MODE: SOURCE with the installed paths.
install_as = echo "install $(1) $(2)" && \
	     sed $(INSTALL_SED) $(1) >$(2).new && chmod $(3) $(2).new && \
	     mv -f $(2).new $(2)

install: $(PROG)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DOCDIR)
	install -m 755 $(PROG) $(DESTDIR)$(SBINDIR)/$(PROG)
	@$(call install_as,man/capsuled.8,$(DESTDIR)$(MANDIR)/man8/capsuled.8,644)
	@$(call install_as,man/capsuled.yml.5,$(DESTDIR)$(MANDIR)/man5/capsuled.yml.5,644)
	@for f in $(DOC_FILES); do \
		$(call install_as,$$f,$(DESTDIR)$(DOCDIR)/$${f##*/},644) || \
		    exit 1; \
	done
ifneq ($(SYSCONFDIR),)
	install -d $(DESTDIR)$(SYSCONFDIR)/logrotate.d
	@$(call install_as,contrib/capsuled.logrotate,$(DESTDIR)$(SYSCONFDIR)/logrotate.d/capsuled,644)
	@if [ -e $(DESTDIR)$(CONFFILE) ]; then \
		echo "$(DESTDIR)$(CONFFILE) is there: kept"; \
	else \
		echo "install -m 644 contrib/capsuled-vps.yml $(DESTDIR)$(CONFFILE)"; \
		install -m 644 contrib/capsuled-vps.yml $(DESTDIR)$(CONFFILE); \
	fi
endif
ifneq ($(SYSTEMDUNITDIR),)
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(TMPFILESDIR)
	@$(call install_as,contrib/capsuled.service,$(DESTDIR)$(SYSTEMDUNITDIR)/capsuled.service,644)
	@$(call install_as,contrib/capsuled.sysusers,$(DESTDIR)$(SYSUSERSDIR)/capsuled.conf,644)
	@$(call install_as,contrib/capsuled.tmpfiles,$(DESTDIR)$(TMPFILESDIR)/capsuled.conf,644)
endif
ifneq ($(OPENRCDIR),)
	install -d $(DESTDIR)$(OPENRCDIR)
	@$(call install_as,contrib/capsuled.openrc,$(DESTDIR)$(OPENRCDIR)/capsuled,755)
endif

# The settings file is the owner's, and the state (the key!) too: both
# stay.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/$(PROG) $(DESTDIR)$(MANDIR)/man8/capsuled.8 \
	    $(DESTDIR)$(MANDIR)/man5/capsuled.yml.5
	for f in $(DOC_FILES); do rm -f $(DESTDIR)$(DOCDIR)/$${f##*/}; done
	-rmdir $(DESTDIR)$(DOCDIR)
ifneq ($(SYSCONFDIR),)
	rm -f $(DESTDIR)$(SYSCONFDIR)/logrotate.d/capsuled
	@echo "$(DESTDIR)$(CONFFILE) kept"
endif
ifneq ($(SYSTEMDUNITDIR),)
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/capsuled.service \
	    $(DESTDIR)$(SYSUSERSDIR)/capsuled.conf \
	    $(DESTDIR)$(TMPFILESDIR)/capsuled.conf
endif
ifneq ($(OPENRCDIR),)
	rm -f $(DESTDIR)$(OPENRCDIR)/capsuled
endif

clean:
	rm -rf build $(PROG)
