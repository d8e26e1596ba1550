# pureboot: the operator's command (workflow, token and nfs subcommands).
# nfs import extracts with libarchive (Debian libarchive-dev); node,
# events and status talk HTTP with libcurl (libcurl4-openssl-dev).
CLI_SRC  = $(wildcard cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot

$(CLI_OBJ): ALL_CFLAGS += -Icli $(shell pkg-config --cflags libarchive libcurl 2>/dev/null)

$(BUILD)/pureboot: $(CLI_OBJ) $(LIBPB)
	$(LINK) $(shell pkg-config --libs libarchive libcurl 2>/dev/null || echo -larchive -lcurl)
