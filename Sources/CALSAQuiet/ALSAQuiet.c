#include <alsa/asoundlib.h>
#include "ALSAQuiet.h"

// alsa-lib's error handler is variadic, which Swift cannot define: hence this shim.
static void ignore_alsa_error(const char *file, int line, const char *function, int error, const char *format, ...) {
    (void)file; (void)line; (void)function; (void)error; (void)format;
}

void motif_alsa_silence_errors(void) {
    snd_lib_error_set_handler(ignore_alsa_error);
}
