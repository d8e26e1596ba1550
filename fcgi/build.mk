# pureboot-api: the FastCGI program.
FCGI_SRC = $(wildcard fcgi/*.c)
FCGI_OBJ = $(FCGI_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot-api

$(FCGI_OBJ): ALL_CFLAGS += -Ifcgi

$(LIBAPI): $(filter-out %/main.o,$(FCGI_OBJ))
	rm -f $@ && ar rcs $@ $^

$(BUILD)/pureboot-api: $(BUILD)/obj/fcgi/main.o $(LIBAPI) $(LIBPB)
	$(LINK)

# make bench-api: wrk against GET /boot/pi with 10,000 nodes, beside the
# ceiling (fcgi/bench/ceiling.c: one prepared SELECT) behind the same
# nginx, in the same run.  Not part of make check.
PROGS += $(BUILD)/pb-bench-ceiling

$(BUILD)/pb-bench-ceiling: $(BUILD)/obj/fcgi/bench/ceiling.o
	$(LINK)

.PHONY: bench-api
BENCHES += bench-api
bench-api: deps
	@$(MAKE) --no-print-directory all
	@PB_BUILD=$(abspath $(BUILD)) scripts/bench-api
