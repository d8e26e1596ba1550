# pureboot-workflow: validate workflow files, sync a directory into the
# database.
WF_SRC   = $(wildcard cli/*.c)
WF_OBJ   = $(WF_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot-workflow

$(WF_OBJ): ALL_CFLAGS += -Icli

$(BUILD)/pureboot-workflow: $(WF_OBJ) $(LIBPB)
	$(LINK)
