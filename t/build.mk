# Test tools and the C unit tests (t/unit/*.c, each its own TAP binary).
UNIT_SRC = $(wildcard t/unit/*.c)
UNITS    = $(UNIT_SRC:t/unit/%.c=$(BUILD)/unit/%)
PROGS   += $(BUILD)/pb-listen $(UNITS)

$(BUILD)/pb-listen: $(BUILD)/obj/t/tools/pb-listen.o
	$(LINK)

$(BUILD)/unit/%: $(BUILD)/obj/t/unit/%.o $(LIBPB)
	@mkdir -p $(@D)
	$(LINK)
