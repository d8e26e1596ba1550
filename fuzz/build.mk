# make fuzz: the libFuzzer harnesses (fuzz/*.c, docs/fuzzing.md), built
# with clang into build/fuzz/ apart from the gcc build: every project
# source they reach is compiled again here with the fuzzer's coverage
# and ASan/UBSan, which the gcc-built archives lack.
#   make fuzz                 each harness FUZZ_S seconds (default 60)
#   make fuzz FUZZ_S=600 FUZZ_ONLY=workflow
#   make fuzz-build           the binaries only
FUZZ_CC    ?= clang
FUZZ_S     ?= 60
FUZZ_ONLY  ?=
FUZZ_DIR    = $(BUILD)/fuzz
FUZZ_SAN    = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# The gcc build's warnings; clang's -Wformat=2 also flags a vsnprintf of
# a va_list format, which gcc checks at the callers instead.
FUZZ_CFLAGS = -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow \
	-Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Wcast-qual \
	-D_GNU_SOURCE \
	-Ilib -Ifcgi -Itftp-hook -Ifuzz $(PKG_CFLAGS) $(FUZZ_SAN)
# The pure code the harnesses drive: lib/ and the API's and the hook's
# parsers.  body.c comes for pb_clen_parse (fuzz/json.c stubs the
# replies it never reaches).
FUZZ_LIBSRC = $(LIB_SRC) fcgi/body.c fcgi/envout.c fcgi/jsonfield.c \
	fcgi/query.c fcgi/qfield.c tftp-hook/dhcp_args.c tftp-hook/names.c \
	fuzz/fz.c fuzz/fz_agent.c
FUZZ_LIBOBJ = $(FUZZ_LIBSRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_NAMES  = $(filter-out fz%,$(patsubst fuzz/%.c,%,$(wildcard fuzz/*.c)))
FUZZ_BINS   = $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@FUZZ_S=$(FUZZ_S) fuzz/run $(abspath $(FUZZ_DIR)) $(FUZZ_ONLY)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/libfz.a: $(FUZZ_LIBOBJ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/%: $(FUZZ_DIR)/obj/fuzz/%.o $(FUZZ_DIR)/libfz.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_ALL)

-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)
