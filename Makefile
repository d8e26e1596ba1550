# PureBoot-Pi: plain Makefile.  `make run` and `make check` are the two
# commands an operator needs; see README.md.  Each component adds its
# programs in its own */build.mk.

BUILD   ?= build
# make install (docs/install.md): FHS paths under PREFIX, staged in DESTDIR.
PREFIX  ?= /usr/local
DATADIR ?= $(PREFIX)/share/pureboot
CC      ?= cc
SAN     ?=
CFLAGS  ?= -O2 -g
PKGS     = libpq jansson libsodium yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wformat=2 -Wcast-qual -D_FORTIFY_SOURCE=2 \
	-D_GNU_SOURCE -Ilib $(PKG_CFLAGS) $(SAN) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lfcgi
LINK       = $(CC) $(SAN) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

LIB_SRC  = $(wildcard lib/*/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIBPB    = $(BUILD)/libpureboot.a
# Each program's code but main(), for its unit tests (t/build.mk).
LIBAPI   = $(BUILD)/libpb-api.a
LIBHOOK  = $(BUILD)/libpb-hook.a

# Components append their programs to PROGS and their benchmark
# targets (bench-*) to BENCHES; `make bench` runs them all.
PROGS =
BENCHES =

.PHONY: all deps run check check-loaded check-asan check-package check-cycle test migrate clean bench
all: build-all

# Keep the objects of chained rules (unit tests) between runs.
.SECONDARY:

include $(sort $(wildcard */build.mk))

build-all: $(PROGS)

# Benchmarks print each figure beside a ceiling measured in the same run.
bench: deps
	@$(MAKE) --no-print-directory all
	@for b in $(BENCHES); do $(MAKE) --no-print-directory $$b || exit 1; done

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIBPB): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

deps:
	@scripts/deps

# The whole product on loopback, in the foreground until Ctrl-C.
run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run

migrate:
	@scripts/migrate

# The whole suite against real PostgreSQL and nginx; --timer shows
# which files are slow.
# The longest file (t/0987, the whole life of two boards under TCG:
# 23 minutes alone, 32 beside the suite) goes first, so that prove -j2 runs the rest of the
# suite beside it instead of after it.
SLOW_FIRST = t/0987-e2e-cycle.t
TESTS = $(SLOW_FIRST) $(filter-out $(SLOW_FIRST),$(sort $(wildcard t/*.t)))

check: deps
	@$(MAKE) --no-print-directory all test-image
	@PB_BUILD=$(abspath $(BUILD)) prove --timer -j2 $(TESTS)
	@$(MAKE) --no-print-directory check-package

# The Debian package built, installed into a clean bookworm root beside
# Debian's dnsmasq, nginx and PostgreSQL, tried and purged
# (scripts/package-test, docs/install.md).
check-package: deps
	@scripts/package-test

test: all test-image
	@PB_BUILD=$(abspath $(BUILD)) prove --timer -j2 $(TESTS)

# make check three times in a row beside stress-ng --cpu 2, as on a busy
# machine (issue 9: waits counted in tries gave up there).  Fails if any
# run fails; stress-ng runs in its own process group, which is stopped
# at the end whatever happened (the trap also covers Ctrl-C).  /bin/kill:
# dash's builtin takes no process group.
check-loaded: deps
	@$(MAKE) --no-print-directory all
	@setsid stress-ng --cpu 2 --quiet & hog=$$!; \
	trap '/bin/kill -TERM -- -$$hog $$hog 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	failed=""; \
	for i in 1 2 3; do \
		echo "check-loaded: run $$i of 3, beside stress-ng --cpu 2"; \
		$(MAKE) --no-print-directory check || failed="$$failed $$i"; \
	done; \
	if [ -n "$$failed" ]; then echo "check-loaded: failed run(s):$$failed of 3"; exit 1; fi; \
	echo "check-loaded: 3 of 3 runs passed"

# The whole life of two boards under QEMU (t/0987, part of make check)
# on its own: three installs of the test image (docs/test-image.md).
check-cycle: deps
	@$(MAKE) --no-print-directory all test-image
	@PB_BUILD=$(abspath $(BUILD)) prove --timer t/0987-e2e-cycle.t

check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		CFLAGS="-O1 -g" check

clean:
	rm -rf build
