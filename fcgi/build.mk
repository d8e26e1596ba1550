# pureboot-api: the FastCGI program.
FCGI_SRC = $(wildcard fcgi/*.c)
FCGI_OBJ = $(FCGI_SRC:%.c=$(BUILD)/obj/%.o)
PROGS   += $(BUILD)/pureboot-api

$(FCGI_OBJ): ALL_CFLAGS += -Ifcgi

$(BUILD)/pureboot-api: $(FCGI_OBJ) $(LIBPB)
	$(LINK)
