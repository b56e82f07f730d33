// libFuzzer's driver, linked in by -sanitize=fuzzer: runs `callback` on generated inputs as
// libFuzzer's own main would, with the command line's options.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
