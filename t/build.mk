# Test tools and the C unit tests (t/unit/*.c, each its own TAP binary).
UNIT_SRC = $(wildcard t/unit/*.c)
UNITS    = $(UNIT_SRC:t/unit/%.c=$(BUILD)/unit/%)
PROGS   += $(BUILD)/pb-listen $(BUILD)/pb-boot-states $(BUILD)/pb-netboot $(BUILD)/pb-fdt-check $(UNITS)

$(BUILD)/pb-listen: $(BUILD)/obj/t/tools/pb-listen.o
	$(LINK)

$(BUILD)/pb-boot-states: $(BUILD)/obj/t/tools/pb-boot-states.o $(LIBPB)
	$(LINK)

$(BUILD)/unit/%: $(BUILD)/obj/t/unit/%.o $(LIBPB)
	@mkdir -p $(@D)
	$(LINK)

# The API's and the hook's unit tests link that program's own code.
$(BUILD)/obj/t/unit/api_%.o: ALL_CFLAGS += -Ifcgi
$(BUILD)/obj/t/unit/hook_%.o: ALL_CFLAGS += -Itftp-hook

$(BUILD)/unit/api_%: $(BUILD)/obj/t/unit/api_%.o $(LIBAPI) $(LIBPB)
	@mkdir -p $(@D)
	$(LINK)

$(BUILD)/unit/hook_%: $(BUILD)/obj/t/unit/hook_%.o $(LIBHOOK) $(LIBPB)
	@mkdir -p $(@D)
	$(LINK)

$(BUILD)/pb-netboot: $(BUILD)/obj/t/tools/pb-netboot.o $(LIBPB)
	$(LINK)

$(BUILD)/pb-fdt-check: $(BUILD)/obj/t/tools/pb-fdt-check.o $(LIBPB)
	$(LINK)

# The boot storm's load generator (make bench-storm, t/072x).
PROGS += $(BUILD)/pb-storm
$(BUILD)/pb-storm: $(BUILD)/obj/t/tools/pb-storm.o $(BUILD)/obj/t/tools/tftpc.o $(LIBPB)
	$(LINK) -lpthread
