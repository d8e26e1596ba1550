# pureboot-tftp-hook: the TFTP tree renderer and dnsmasq --dhcp-script.
HOOK_SRC = $(wildcard tftp-hook/*.c)
HOOK_OBJ = $(HOOK_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot-tftp-hook $(BUILD)/pb-tftp

$(HOOK_OBJ): ALL_CFLAGS += -Itftp-hook

# conf/u-boot/boot.cmd as a C string for bootscr.c (boot.scr.uimg):
# each line quoted, backslashes and quotes escaped.
$(BUILD)/gen/boot_cmd.inc: conf/u-boot/boot.cmd
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@
$(BUILD)/obj/tftp-hook/bootscr.o: $(BUILD)/gen/boot_cmd.inc
$(BUILD)/obj/tftp-hook/bootscr.o: ALL_CFLAGS += -I$(BUILD)/gen

$(LIBHOOK): $(filter-out %/main.o,$(HOOK_OBJ))
	rm -f $@ && ar rcs $@ $^

$(BUILD)/pureboot-tftp-hook: $(BUILD)/obj/tftp-hook/main.o $(LIBHOOK) $(LIBPB)
	$(LINK)

# The TFTP replayer of the tests (t/tools/pb-tftp.c).
$(BUILD)/pb-tftp: $(BUILD)/obj/t/tools/pb-tftp.o $(BUILD)/obj/t/tools/tftpc.o $(LIBPB)
	$(LINK)

.PHONY: firmware bench-hook
BENCHES += bench-hook
firmware:
	@scripts/firmware fetch

bench-hook: all
	@PB_BUILD=$(abspath $(BUILD)) t/bench/hook-bench.sh

PROGS += $(BUILD)/pb-hookbench
$(BUILD)/pb-hookbench: $(BUILD)/obj/t/tools/pb-hookbench.o
	$(LINK)

# make bench-storm N=1000: a boot storm of N Pis against the whole stack
# (scripts/bench-storm, t/tools/pb-storm.c), beside its TFTP bound.
.PHONY: bench-storm
BENCHES += bench-storm
bench-storm: all
	@PB_BUILD=$(abspath $(BUILD)) N=$(or $(N),1000) scripts/bench-storm
