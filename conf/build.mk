# make install: the programs, the conf/ snippets, the migrations and the
# deploy environment at FHS paths (docs/install.md).  PREFIX (default
# /usr/local) and DESTDIR as usual; debian/rules passes PREFIX=/usr.
#   programs      BINDIR (pureboot, pureboot-tftp-hook), SBINDIR (pureboot-api)
#   helpers       LIBDIR/pureboot (dhcp-script, pureboot-tree-setup)
#   migrations    DATADIR/sql, DATADIR/scripts/migrate (pureboot db init runs it)
#   deploy env    DATADIR/deploy-arm64 (copied into the tree by the hook's unit)
#   conf          SYSCONFDIR: dnsmasq.d, nginx/sites-available, default/pureboot
#   units         UNITDIR; man pages MANDIR; state STATEDIR (tree: STATEDIR/tftp)
#   completion    COMPDIR (bash completion of pureboot)
# Paths inside the installed files follow PREFIX (sed below).
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
LIBDIR     ?= $(PREFIX)/lib
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR    ?= $(PREFIX)/lib/systemd/system
STATEDIR   ?= /var/lib/pureboot
COMPDIR    ?= $(PREFIX)/share/bash-completion/completions
INSTALL    ?= install

# /usr/local in a source file is the default PREFIX: replaced, and the
# drop-in's directives commented out ("#pb: ") until the operator has
# set the network (docs/install.md).
INSTALL_SED = sed -e 's|/usr/local/lib/pureboot|$(LIBDIR)/pureboot|g' \
	-e 's|/usr/local/share/pureboot|$(DATADIR)|g' \
	-e 's|/usr/local/sbin|$(SBINDIR)|g' -e 's|/usr/local/bin|$(BINDIR)|g' \
	-e 's|/var/lib/pureboot|$(STATEDIR)|g'
DNSMASQ_OFF = -e 's|^tftp-root=/srv/tftp|tftp-root=$(STATEDIR)/tftp|' \
	-e 's|^\([a-z]\)|\#pb: \1|'

.PHONY: install
install: $(BUILD)/pureboot $(BUILD)/pureboot-api $(BUILD)/pureboot-tftp-hook \
		$(BUILD)/deploy-arm64/initramfs.img
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(LIBDIR)/pureboot $(DESTDIR)$(DATADIR)/sql \
		$(DESTDIR)$(DATADIR)/scripts $(DESTDIR)$(DATADIR)/examples \
		$(DESTDIR)$(DATADIR)/deploy-arm64 \
		$(DESTDIR)$(SYSCONFDIR)/dnsmasq.d \
		$(DESTDIR)$(SYSCONFDIR)/nginx/sites-available \
		$(DESTDIR)$(SYSCONFDIR)/default $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(COMPDIR)
	$(INSTALL) -m 0755 $(BUILD)/pureboot $(BUILD)/pureboot-tftp-hook $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0755 $(BUILD)/pureboot-api $(DESTDIR)$(SBINDIR)/
	for f in conf/dnsmasq/dhcp-script conf/systemd/pureboot-tree-setup; do \
		$(INSTALL_SED) $$f >$(DESTDIR)$(LIBDIR)/pureboot/$${f##*/} && \
		chmod 0755 $(DESTDIR)$(LIBDIR)/pureboot/$${f##*/} || exit 1; done
	$(INSTALL) -m 0644 sql/*.sql $(DESTDIR)$(DATADIR)/sql/
	$(INSTALL) -m 0755 scripts/migrate scripts/firmware $(DESTDIR)$(DATADIR)/scripts/
	$(INSTALL) -m 0644 $(BUILD)/deploy-arm64/kernel8.img $(BUILD)/deploy-arm64/initramfs.img $(DESTDIR)$(DATADIR)/deploy-arm64/
	if [ -d $(BUILD)/deploy-arm64/dtbs ]; then cp -R $(BUILD)/deploy-arm64/dtbs $(DESTDIR)$(DATADIR)/deploy-arm64/ && \
		chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/deploy-arm64/dtbs; fi
	$(INSTALL) -d $(DESTDIR)$(DATADIR)/workflows
	$(INSTALL) -m 0644 workflows/*.yaml $(DESTDIR)$(DATADIR)/workflows/
	$(INSTALL) -m 0644 conf/systemd/pureboot-nfs-reload.path \
		conf/systemd/pureboot-nfs-reload.service $(DESTDIR)$(DATADIR)/examples/
	$(INSTALL_SED) $(DNSMASQ_OFF) conf/dnsmasq/pureboot-pi.conf \
		>$(DESTDIR)$(SYSCONFDIR)/dnsmasq.d/pureboot-pi.conf
	$(INSTALL_SED) conf/nginx/pureboot.conf >$(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/pureboot
	$(INSTALL_SED) conf/default/pureboot >$(DESTDIR)$(SYSCONFDIR)/default/pureboot
	for u in pureboot-api.service pureboot-tftp-hook.service; do \
		$(INSTALL_SED) conf/systemd/$$u >$(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	chmod 0644 $(DESTDIR)$(SYSCONFDIR)/dnsmasq.d/pureboot-pi.conf \
		$(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/pureboot \
		$(DESTDIR)$(SYSCONFDIR)/default/pureboot $(DESTDIR)$(UNITDIR)/*.service
	$(INSTALL) -m 0644 docs/pureboot.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 conf/bash-completion/pureboot $(DESTDIR)$(COMPDIR)/pureboot
	$(INSTALL) -m 0644 docs/pureboot-api.8 docs/pureboot-tftp-hook.8 $(DESTDIR)$(MANDIR)/man8/
