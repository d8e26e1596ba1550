# pureboot-workflow: validate workflow files, sync a directory into the
# database.
WF_SRC   = $(wildcard workflow/*.c)
WF_OBJ   = $(WF_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot-workflow

$(WF_OBJ): ALL_CFLAGS += -Iworkflow

$(BUILD)/pureboot-workflow: $(WF_OBJ) $(LIBPB)
	$(LINK)
