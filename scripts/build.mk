# The test OS image (docs/test-image.md).
#   make test-image     build it unless /var/cache/pureboot/test-image has
#                       this recipe's; print its path
# Not part of `all` (ten minutes under qemu-user the first time): make
# check and make test build it before the tests that read it.
.PHONY: test-image
test-image:
	@scripts/test-image build
