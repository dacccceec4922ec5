#ifndef MOTIF_ALSA_QUIET_H
#define MOTIF_ALSA_QUIET_H

/// Routes alsa-lib's error messages (it prints one for every PCM definition of
/// alsa.conf that does not apply to this machine while PortAudio enumerates devices)
/// to nowhere, so that the daemon's log shows only what matters. Call before Pa_Initialize.
void motif_alsa_silence_errors(void);

#endif
