# pureboot: the operator's command (workflow and token subcommands).
CLI_SRC  = $(wildcard cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot

$(CLI_OBJ): ALL_CFLAGS += -Icli

$(BUILD)/pureboot: $(CLI_OBJ) $(LIBPB)
	$(LINK)
