# pureboot: the operator's command (workflow, token, nfs and db subcommands).
# db finds the migrations in $(DATADIR) (make install puts them there).
# nfs import extracts with libarchive (Debian libarchive-dev).
CLI_SRC  = $(wildcard cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot

$(CLI_OBJ): ALL_CFLAGS += -Icli -DPB_DATADIR='"$(DATADIR)"' $(shell pkg-config --cflags libarchive 2>/dev/null)

$(BUILD)/pureboot: $(CLI_OBJ) $(LIBPB)
	$(LINK) $(shell pkg-config --libs libarchive 2>/dev/null || echo -larchive)
