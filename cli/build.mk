# pureboot: the operator's command (workflow, token, nfs, board, db and
# the daily node, events, status and tree subcommands).
# db finds the migrations in $(DATADIR) (make install puts them there).
# nfs import extracts with libarchive (Debian libarchive-dev); node,
# events and status talk HTTP with libcurl (libcurl4-openssl-dev).
CLI_SRC  = $(wildcard cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot

$(CLI_OBJ): ALL_CFLAGS += -Icli -DPB_DATADIR='"$(DATADIR)"' $(shell pkg-config --cflags libarchive libcurl 2>/dev/null)

$(BUILD)/pureboot: $(CLI_OBJ) $(LIBPB)
	$(LINK) $(shell pkg-config --libs libarchive libcurl 2>/dev/null || echo -larchive -lcurl)

# The CLI's unit tests (t/unit/cli_*.c) link its code but main().
LIBCLI = $(BUILD)/libpb-cli.a
$(LIBCLI): $(filter-out %/main.o,$(CLI_OBJ))
	rm -f $@ && ar rcs $@ $^
$(BUILD)/obj/t/unit/cli_%.o: ALL_CFLAGS += -Icli
$(BUILD)/unit/cli_%: $(BUILD)/obj/t/unit/cli_%.o $(LIBCLI) $(LIBPB)
	@mkdir -p $(@D)
	$(LINK)
