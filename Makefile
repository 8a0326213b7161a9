# cbal: build, test, example, bench, install.
# The same objects make the executable build/cbal and the Lua C module
# build/lib/cbal/core.so (for stock lua5.4 and busted).

PREFIX  ?= /usr/local
CC      ?= cc
BUILD   ?= build
PKGS    := lua5.4 gdal geos proj cairo pangocairo
OPT     ?= -O2

# Recursive (=) on purpose: pkg-config is asked only when a recipe runs, after
# the deps step has had a chance to install what is missing.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
CFLAGS  ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -fPIC -pthread \
             -fvisibility=hidden -Iruntime -Icharts $(CFLAGS) $(SAN) $(PKG_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm -pthread

CORE_SRC  := $(wildcard runtime/core/*.c) $(wildcard charts/*.c)
BIND_SRC  := $(wildcard runtime/l_*.c)
HOST_SRC  := runtime/host.c runtime/main.c
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
BIND_OBJ  := $(BIND_SRC:%.c=$(BUILD)/obj/%.o)
HOST_OBJ  := $(HOST_SRC:%.c=$(BUILD)/obj/%.o)
CTEST_SRC := $(wildcard tests/c/test_*.c)
CTEST_BIN := $(CTEST_SRC:tests/c/%.c=$(BUILD)/tests/%)

# The test fixture generator for HDF4-EOS tiles (tests/tools/mod17tile.c)
# links the HDF-EOS2 library, which the GDAL HDF4 driver reads.
HDFEOS_CFLAGS = -I/usr/include/$(shell $(CC) -print-multiarch)/hdf -I/usr/include/hdf
HDFEOS_LIBS   = -lhdfeos -lmfhdfalt -ldfalt
TOOLS     := $(BUILD)/tests/tools/mod17tile

.PHONY: all deps test check-asan example bench install clean golden-update

all: $(BUILD)/cbal $(BUILD)/lib/cbal/core.so

deps:
	@bash scripts/install-deps.sh --quiet

$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/cbal: $(CORE_OBJ) $(BIND_OBJ) $(HOST_OBJ)
	$(CC) $(SAN) -o $@ $^ $(LDLIBS_ALL)

# The module leaves Lua's symbols to the interpreter that loads it.
$(BUILD)/lib/cbal/core.so: $(CORE_OBJ) $(BIND_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -shared -o $@ $^ $(shell pkg-config --libs gdal geos proj cairo pangocairo) -lm -pthread

$(BUILD)/tests/%: tests/c/%.c $(CORE_OBJ) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/c -MMD -MP -MF $@.d -o $@ $< $(CORE_OBJ) $(LDLIBS_ALL) $(shell pkg-config --libs cmocka)

$(BUILD)/tests/tools/%: tests/tools/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra $(HDFEOS_CFLAGS) -o $@ $< $(HDFEOS_LIBS)

# Tests that drive the Lua bindings (the allocation-failure sweep, the type
# registry) link them too.
BIND_TESTS := $(BUILD)/tests/test_nomem $(BUILD)/tests/test_types
$(BIND_TESTS): $(BUILD)/tests/%: tests/c/%.c $(CORE_OBJ) $(BIND_OBJ) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/c -MMD -MP -MF $@.d -o $@ $< $(CORE_OBJ) $(BIND_OBJ) $(LDLIBS_ALL) $(shell pkg-config --libs cmocka)

tests-bin: $(CTEST_BIN) $(TOOLS)

test: all $(CTEST_BIN) $(TOOLS)
	@BUILD=$(BUILD) bash tests/run.sh

# C units and Lua specs under AddressSanitizer + UndefinedBehaviorSanitizer.
check-asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" all tests-bin
	@BUILD=build-asan CBAL_SANITIZE=1 bash tests/run.sh

example: all
	$(BUILD)/cbal scripts/example.lua

bench: all
	$(BUILD)/cbal scripts/bench.lua

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/cbal/lua
	install -d $(DESTDIR)$(PREFIX)/lib/lua/5.4/cbal
	install -m 755 $(BUILD)/cbal $(DESTDIR)$(PREFIX)/bin/cbal
	install -m 644 $(BUILD)/lib/cbal/core.so $(DESTDIR)$(PREFIX)/lib/lua/5.4/cbal/core.so
	cp -R lua/cbal $(DESTDIR)$(PREFIX)/share/cbal/lua/

# Rewrites the reference images of tests/golden/ (look at them first).
golden-update: $(BUILD)/tests/test_golden $(BUILD)/tests/test_map_extras
	CBAL_GOLDEN_UPDATE=1 CBAL_QUIET=1 $(BUILD)/tests/test_golden
	CBAL_GOLDEN_UPDATE=1 CBAL_QUIET=1 $(BUILD)/tests/test_map_extras

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null)
