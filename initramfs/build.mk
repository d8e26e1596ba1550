# The arm64 deploy environment (docs/deploy.md).
#   make initramfs      build/deploy-arm64/{kernel8.img,initramfs.img,dtbs/}
#   make e2e            the QEMU end-to-end tests alone
#   make bench-deploy   the image pipeline's throughput on this host
DEPLOY     = $(BUILD)/deploy-arm64
DEPLOY_SRC = initramfs/build initramfs/init initramfs/modules.txt \
	$(wildcard initramfs/agent/*)

.PHONY: initramfs e2e bench-deploy
initramfs: $(DEPLOY)/initramfs.img

$(DEPLOY)/initramfs.img: $(DEPLOY_SRC)
	initramfs/build $(abspath $(DEPLOY))

# make check runs these too (t/09*-e2e-*.t build the initramfs first).
e2e: all initramfs
	@PB_BUILD=$(abspath $(BUILD)) prove -v t/09*-e2e-*.t

bench-deploy: all
	@PB_BUILD=$(abspath $(BUILD)) initramfs/bench-deploy

# Built with everything else: the end-to-end tests in make check boot it.
PROGS += $(DEPLOY)/initramfs.img
BENCHES += bench-deploy
