# carebill — build, test, demo, bench, install.
#   make            build ./carebill
#   make demo       install what is missing, build, run the example practice
#   make test       install what is missing, build, run every test
#   make bench      throughput and memory of tick at 10k/100k/1M subscriptions
#   make asan       the whole test suite under AddressSanitizer + UBSan
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS
#   make install    PREFIX=/usr/local

PKG_CONFIG ?= pkg-config
CC ?= cc
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 20
BENCH_N ?= 10000 100000 1000000

PKGS := lua5.4 sqlite3 yaml-0.1 libesmtp-1.0 jansson libxml-2.0 pangocairo cairo-pdf libqrencode
TEST_PKGS := cmocka

WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
        -Wno-unused-parameter -Wno-format-truncation
OPT ?= -O2 -g
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(OPT) $(WARN) -MMD -MP -Iengine $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm

B ?= build
ENGINE_SRC := $(filter-out engine/face/main.c,$(wildcard engine/*/*.c))
ENGINE_OBJ := $(ENGINE_SRC:engine/%.c=$(B)/engine/%.o) $(B)/gen/migrations.o
SCHEMA := $(sort $(wildcard schema/*.sql))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# Decisions are tested without a ledger: their tests link only the layers
# below the stores, and no SQLite.
PURE_SRC := $(wildcard engine/base/*.c engine/formats/*.c engine/rules/*.c engine/decide/*.c)
PURE_OBJ := $(PURE_SRC:engine/%.c=$(B)/engine/%.o)
PURE_PKGS := lua5.4 yaml-0.1 libesmtp-1.0 libxml-2.0
DECIDE_SRC := $(wildcard tests/unit/decide/test_*.c)
DECIDE_BIN := $(DECIDE_SRC:tests/unit/decide/%.c=$(B)/tests/decide/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

.PHONY: all deps test unit e2e demo bench asan fuzz install clean
# ./carebill is the default build's binary; another B= keeps its own.
all: deps $(B)/carebill $(if $(filter build,$(B)),carebill)

deps:
	@sh tools/deps.sh

$(B)/carebill: $(B)/engine/face/main.o $(B)/libcarebill.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(LIBS)

carebill: $(B)/carebill
	cp $< $@

$(B)/libcarebill.a: $(ENGINE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/gen/migrations.c: $(SCHEMA) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $@ $(SCHEMA)

$(B)/gen/migrations.o: $(B)/gen/migrations.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/engine/%.o: engine/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libcarebill.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS)) -o $@ $< \
	    $(B)/libcarebill.a $(ALL_LDFLAGS) $(LIBS) $(shell $(PKG_CONFIG) --libs $(TEST_PKGS))

$(B)/libcarebill-pure.a: $(PURE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/tests/decide/%: tests/unit/decide/%.c $(B)/libcarebill-pure.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS)) -o $@ $< \
	    $(B)/libcarebill-pure.a $(ALL_LDFLAGS) \
	    $(shell $(PKG_CONFIG) --libs $(PURE_PKGS) $(TEST_PKGS)) -lm

units: $(UNIT_BIN) $(DECIDE_BIN)

test: all $(UNIT_BIN) $(DECIDE_BIN)
	@B=$(B) CAREBILL=$(CURDIR)/$(B)/carebill sh tests/run

demo: all
	@sh examples/demo.sh

bench: all
	@B=$(B) BENCH_N="$(BENCH_N)" sh bench/run.sh
	@sh bench/outbox.sh

asan:
	$(MAKE) B=build-asan CC=clang OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" carebill-asan

carebill-asan: deps $(B)/engine/face/main.o $(B)/libcarebill.a $(UNIT_BIN)
	$(CC) $(ALL_CFLAGS) -o $(B)/carebill $(B)/engine/face/main.o $(B)/libcarebill.a $(ALL_LDFLAGS) $(LIBS)
	ASAN_OPTIONS=detect_leaks=0 CAREBILL=$(CURDIR)/$(B)/carebill B=$(B) sh tests/run

fuzz:
	@B=build-fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/carebill
	install -m 755 carebill $(DESTDIR)$(PREFIX)/bin/carebill
	cp -R rules lua schema $(DESTDIR)$(PREFIX)/share/carebill/

clean:
	rm -rf build build-asan build-fuzz carebill

-include $(wildcard $(B)/engine/*/*.d $(B)/tests/*.d $(B)/tests/decide/*.d)
