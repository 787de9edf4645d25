# carebill — build, test, demo, bench, install.
#   make            build $(B)/carebill (./carebill too for the default B=build);
#                   only builds: installs nothing, asks pkg-config for flags
#   make deps       install the missing Debian packages of tools/packages.txt
#   make demo       make deps, build, run the example practice
#   make test       make deps, build, run every test (tests/run)
#   make check      build and run every test, installing nothing
#   make bench      throughput and memory of tick at 10k/100k/1M subscriptions
#   make asan       the whole test suite under AddressSanitizer + UBSan (in
#                   ASAN_B, default build-asan)
#   make fuzz       build the libFuzzer targets (build-fuzz), run each FUZZ_SECONDS
#   make fuzz-regress  the fuzz targets with tests/fuzz/replay.c under ASan +
#                   UBSan ($(B)/fuzz-replay), replayed by tests/scripts/fuzz_regress.sh
#   make install    PREFIX=/usr/local
#   make clean
# B=DIR builds elsewhere (default build); CPPFLAGS, CFLAGS, LDFLAGS, CC, OPT are
# honoured. A library pkg-config does not know stops the build with the advice
# to run `make deps`.

PKG_CONFIG ?= pkg-config
CC ?= cc
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 20
BENCH_N ?= 10000 100000 1000000

# pkg-config modules (the -dev packages in tools/packages.txt provide them).
PKGS := lua5.4 sqlite3 libpq yaml-0.1 libesmtp-1.0 jansson libxml-2.0 pangocairo cairo-pdf libqrencode
TEST_PKGS := cmocka
# What the decisions' unit tests link: the layers below the stores, no SQLite.
PURE_PKGS := lua5.4 yaml-0.1 libesmtp-1.0 libxml-2.0

WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
        -Wno-unused-parameter $(if $(findstring clang,$(CC)),,-Wno-format-truncation)
OPT ?= -O2 -g

# $(call pc,--cflags|--libs,MODULES): pkg-config's flags for MODULES. Asked
# only when a recipe that compiles or links is expanded, so `make deps` and
# `make clean` work on a machine without the libraries; a module pkg-config
# cannot find stops the build saying so.
pc_missing = $(strip $(foreach m,$(1),$(if $(shell $(PKG_CONFIG) --exists '$(m)' 2>/dev/null && echo y),,$(m))))
pc = $(if $(shell command -v $(PKG_CONFIG) 2>/dev/null),,$(error carebill: $(PKG_CONFIG) not found — run `make deps`))$(if \
     $(call pc_missing,$(2)),$(error carebill: pkg-config cannot find $(call pc_missing,$(2)) — run `make deps`))$(shell $(PKG_CONFIG) $(1) $(2))
# Each asked once per make run (the first expansion replaces the variable).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(call pc,--cflags,$$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(call pc,--libs,$$(PKGS)))$(PKG_LIBS)
TEST_CFLAGS = $(eval TEST_CFLAGS := $$(call pc,--cflags,$$(TEST_PKGS)))$(TEST_CFLAGS)
TEST_LIBS = $(eval TEST_LIBS := $$(call pc,--libs,$$(TEST_PKGS)))$(TEST_LIBS)
PURE_LIBS = $(eval PURE_LIBS := $$(call pc,--libs,$$(PURE_PKGS) $$(TEST_PKGS)))$(PURE_LIBS)

ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(OPT) $(WARN) -MMD -MP -Iengine $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm

B ?= build
ENGINE_SRC := $(filter-out engine/face/main.c,$(wildcard engine/*/*.c))
ENGINE_OBJ := $(ENGINE_SRC:engine/%.c=$(B)/engine/%.o) $(B)/gen/migrations.o
SCHEMA := $(sort $(wildcard schema/*.sql))
PG_SCHEMA := $(sort $(wildcard schema/pg/*.sql))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# Decisions are tested without a ledger: their tests link only the layers
# below the stores, and no SQLite.
PURE_SRC := $(wildcard engine/base/*.c engine/formats/*.c engine/rules/*.c engine/decide/*.c)
PURE_OBJ := $(PURE_SRC:engine/%.c=$(B)/engine/%.o)
DECIDE_SRC := $(wildcard tests/unit/decide/test_*.c)
DECIDE_BIN := $(DECIDE_SRC:tests/unit/decide/%.c=$(B)/tests/decide/%)

# `make deps` runs before anything is compiled when it is one of the goals
# (make test, make demo, make deps all): every compile waits for it. A plain
# `make` never installs.
FIRST := $(if $(filter deps test demo,$(MAKECMDGOALS)),deps)

.PHONY: all deps test check units demo bench asan fuzz fuzz-regress install clean
# ./carebill is the default build's binary; another B= keeps its own.
all: $(B)/carebill $(if $(filter build,$(B)),carebill)

deps:
	@sh tools/deps.sh

$(B)/carebill: $(B)/engine/face/main.o $(B)/libcarebill.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(LIBS)

carebill: $(B)/carebill
	cp $< $@

$(B)/libcarebill.a: $(ENGINE_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The migrations embedded in the binary (one per build directory): SQLite's
# (schema/) and PostgreSQL's (schema/pg/, carebill_pg_migrations).
%/gen/migrations.c: $(SCHEMA) $(PG_SCHEMA) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $@.pg $(PG_SCHEMA)
	sh tools/embed.sh $@.sq $(SCHEMA)
	{ cat $@.sq; sed -e '1,2d' -e 's/carebill_migrations/carebill_pg_migrations/' $@.pg; } >$@
	@rm -f $@.pg $@.sq

$(B)/gen/migrations.o: $(B)/gen/migrations.c | $(FIRST)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/engine/%.o: engine/%.c | $(FIRST)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libcarebill.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< \
	    $(B)/libcarebill.a $(ALL_LDFLAGS) $(LIBS) $(TEST_LIBS)

$(B)/libcarebill-pure.a: $(PURE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/tests/decide/%: tests/unit/decide/%.c $(B)/libcarebill-pure.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< \
	    $(B)/libcarebill-pure.a $(ALL_LDFLAGS) $(PURE_LIBS) -lm

units: $(UNIT_BIN) $(DECIDE_BIN)

# ---- fuzzing
# The libFuzzer build: the engine and every tests/fuzz/fuzz_*.c compiled by
# FUZZ_CC with coverage for libFuzzer, AddressSanitizer and UBSan into FUZZ_B;
# each target linked with libFuzzer's main. tests/fuzz/run.sh runs them.
FUZZ_CC ?= clang
FUZZ_B ?= build-fuzz
FUZZ_NAMES := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGETS ?= $(FUZZ_NAMES)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -g -O1 -MMD -MP -Iengine $(CPPFLAGS) $(PKG_CFLAGS) $(SAN)
FUZZ_TOP := -DCAREBILL_TOP='"$(CURDIR)"'

FUZZ_OBJ := $(ENGINE_SRC:engine/%.c=$(FUZZ_B)/engine/%.o) $(FUZZ_B)/gen/migrations.o
FUZZ_BIN := $(FUZZ_NAMES:%=$(FUZZ_B)/%)

$(FUZZ_B)/engine/%.o: engine/%.c | $(FIRST)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(SAN_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/gen/migrations.o: $(FUZZ_B)/gen/migrations.c | $(FIRST)
	$(FUZZ_CC) $(SAN_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/tests/%.o: tests/fuzz/%.c | $(FIRST)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(SAN_CFLAGS) $(FUZZ_TOP) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/libcarebill-fuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BIN): $(FUZZ_B)/%: $(FUZZ_B)/tests/%.o $(FUZZ_B)/libcarebill-fuzz.a
	$(FUZZ_CC) $(SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm

fuzz: $(FUZZ_TARGETS:%=$(FUZZ_B)/%)
	@B=$(FUZZ_B) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" sh tests/fuzz/run.sh

# The regression replay: the same targets with tests/fuzz/replay.c for a main,
# compiled by REGRESS_CC (clang when present, else CC) under AddressSanitizer
# and UBSan into $(B)/fuzz-replay; tests/scripts/fuzz_regress.sh runs them on
# the seed corpora and the saved crashes.
REGRESS_B := $(B)/fuzz-replay
REGRESS_CC ?= $(eval REGRESS_CC := $$(if $$(shell command -v clang 2>/dev/null),clang,$$(CC)))$(REGRESS_CC)
REGRESS_OBJ := $(ENGINE_SRC:engine/%.c=$(REGRESS_B)/engine/%.o) $(REGRESS_B)/gen/migrations.o
REGRESS_BIN := $(FUZZ_NAMES:%=$(REGRESS_B)/%)

$(REGRESS_B)/engine/%.o: engine/%.c | $(FIRST)
	@mkdir -p $(dir $@)
	$(REGRESS_CC) $(SAN_CFLAGS) -c -o $@ $<

$(REGRESS_B)/gen/migrations.o: $(REGRESS_B)/gen/migrations.c | $(FIRST)
	$(REGRESS_CC) $(SAN_CFLAGS) -c -o $@ $<

$(REGRESS_B)/tests/%.o: tests/fuzz/%.c | $(FIRST)
	@mkdir -p $(dir $@)
	$(REGRESS_CC) $(SAN_CFLAGS) $(FUZZ_TOP) -c -o $@ $<

$(REGRESS_B)/libcarebill-san.a: $(REGRESS_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(REGRESS_BIN): $(REGRESS_B)/%: $(REGRESS_B)/tests/%.o $(REGRESS_B)/tests/replay.o $(REGRESS_B)/libcarebill-san.a
	$(REGRESS_CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lm

fuzz-regress: $(REGRESS_BIN)

# ---- tests
# Everything tests/run uses; the fuzz replay only when its scenario runs
# (TESTS=pattern runs the cases whose name contains pattern).
TEST_BUILD = $(B)/carebill $(UNIT_BIN) $(DECIDE_BIN) \
    $(if $(if $(TESTS),$(findstring $(TESTS),script/fuzz_regress),y),$(REGRESS_BIN))

test: deps check
check: $(TEST_BUILD) $(if $(filter build,$(B)),carebill)
	@B=$(B) CAREBILL=$(CURDIR)/$(B)/carebill sh tests/run

demo: deps all
	@sh examples/demo.sh

bench: all
	@B=$(B) BENCH_N="$(BENCH_N)" sh bench/run.sh
	@sh bench/outbox.sh

# A host of many practices: workers on PostgreSQL against SQLite files
# (HOST_PRACTICES x HOST_SUBS, default 1,000 x 1,000; bench/host.sh).
.PHONY: bench-host
bench-host: all
	@B=$(B) sh bench/host.sh

# The whole suite with the engine, the binary and the unit tests compiled by
# clang under AddressSanitizer + UBSan, in ASAN_B (leaks are not errors: the
# command line exits without freeing).
ASAN_B ?= build-asan
asan:
	ASAN_OPTIONS=detect_leaks=0 $(MAKE) B=$(ASAN_B) CC=clang \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" check

install: $(B)/carebill
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/carebill \
	    $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(B)/carebill $(DESTDIR)$(PREFIX)/bin/carebill
	cp -R rules lua schema $(DESTDIR)$(PREFIX)/share/carebill/
	install -m 644 doc/carebill.1 $(DESTDIR)$(PREFIX)/share/man/man1/carebill.1
	install -m 644 doc/carebill.bash-completion \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/carebill

clean:
	rm -rf $(sort build build-asan build-fuzz carebill $(filter-out . .. ./ /,$(B) $(FUZZ_B)))

-include $(wildcard $(B)/engine/*/*.d $(B)/gen/*.d $(B)/tests/*.d $(B)/tests/decide/*.d \
    $(FUZZ_B)/engine/*/*.d $(FUZZ_B)/gen/*.d $(FUZZ_B)/tests/*.d \
    $(REGRESS_B)/engine/*/*.d $(REGRESS_B)/gen/*.d $(REGRESS_B)/tests/*.d)

# ---- fault injection
# The engine built with -DCAREBILL_FAULTSIM into build-faultsim/carebill:
# CAREBILL_FAULT=malloc:N, io:N or lua:N (":once" for a transient fault)
# fails that call of SQLite's allocator, SQLite's VFS or the Lua allocator
# (engine/base/faultsim.h). The build directories build-faultsim,
# build-faultsim-asan and any */faultsim are such builds
# (tests/scripts/faultsim.sh makes $(B)/faultsim when the suite runs on a
# production binary), so `make B=build-faultsim test` runs the whole
# suite on one. The script samples the fault points of five commands in
# every `make test`; `make faultsim` tries them all, `make faultsim-asan`
# tries them all under AddressSanitizer + UBSan.
FAULTSIM_B := build-faultsim
ifneq ($(filter $(FAULTSIM_B) $(FAULTSIM_B)-asan %/faultsim,$(B)),)
ALL_CFLAGS += -DCAREBILL_FAULTSIM
endif
.PHONY: faultsim-build faultsim faultsim-asan
faultsim-build: deps
	@$(MAKE) --no-print-directory B=$(FAULTSIM_B) $(FAULTSIM_B)/carebill
faultsim: faultsim-build
	@FAULTSIM_FULL=1 FAULTSIM_BIN=$(CURDIR)/$(FAULTSIM_B)/carebill sh tests/scripts/faultsim.sh
faultsim-asan: deps
	@$(MAKE) --no-print-directory B=$(FAULTSIM_B)-asan CC=clang \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" $(FAULTSIM_B)-asan/carebill
	@ASAN_OPTIONS=detect_leaks=0 FAULTSIM_FULL=1 FAULTSIM_BIN=$(CURDIR)/$(FAULTSIM_B)-asan/carebill sh tests/scripts/faultsim.sh
# ---- end fault injection
