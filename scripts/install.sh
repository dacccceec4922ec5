#!/usr/bin/env bash
# Installs motifd: binaries, systemd units, default configuration and example library.
#
#   sudo scripts/install.sh                 build (release) and install under /usr/local
#   sudo scripts/install.sh --uninstall     remove binaries, units and docs (keeps /etc/motifd)
#   sudo scripts/install.sh --uninstall --purge   ... and /etc/motifd too
#   scripts/install.sh --destdir /tmp/pkg   stage into a folder (packaging, tests)
#
# Places: PREFIX/bin/{motifd,motifctl} (PREFIX=/usr/local), /etc/systemd/system/motifd.service,
# motifd@.service, motifd.socket, /etc/motifd/{motifd.toml,motifs.toml} (never overwritten),
# PREFIX/share/doc/motifd/README.md. Then: systemctl enable --now motifd.service
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=/usr/local
DESTDIR=""
MODE=install
PURGE=no
while [ $# -gt 0 ]; do
  case "$1" in
    --uninstall) MODE=uninstall ;;
    --purge) PURGE=yes ;;
    --destdir) DESTDIR="${2%/}"; shift ;;
    --prefix) PREFIX="${2%/}"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
BIN="$DESTDIR$PREFIX/bin"
UNITS="$DESTDIR/etc/systemd/system"
CONF="$DESTDIR/etc/motifd"
DOC="$DESTDIR$PREFIX/share/doc/motifd"
UNIT_FILES=(motifd.service motifd@.service motifd.socket)

systemd_running() { [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; }

if [ "$MODE" = uninstall ]; then
  if systemd_running; then systemctl disable --now motifd.service motifd.socket 2>/dev/null || true; fi
  rm -f "$BIN/motifd" "$BIN/motifctl"
  for unit in "${UNIT_FILES[@]}"; do rm -f "$UNITS/$unit"; done
  rm -rf "$DOC"
  [ "$PURGE" = yes ] && rm -rf "$CONF"
  if systemd_running; then systemctl daemon-reload; fi
  echo "install.sh: removed motifd from $DESTDIR$PREFIX and $UNITS$([ "$PURGE" = yes ] && echo " and $CONF")"
  exit 0
fi

if [ ! -x .build/release/motifd ] || [ ! -x .build/release/motifctl ]; then
  swift build -c release
fi
install -d "$BIN" "$UNITS" "$CONF" "$DOC"
install -m 0755 .build/release/motifd .build/release/motifctl "$BIN/"
for unit in "${UNIT_FILES[@]}"; do
  sed "s|/usr/local/bin/motifd|$PREFIX/bin/motifd|g; s|/usr/local/share/doc|$PREFIX/share/doc|g" "systemd/$unit" > "$UNITS/$unit"
  chmod 0644 "$UNITS/$unit"
done
# Configuration is the operator's: install the defaults only where none exist yet.
if [ ! -e "$CONF/motifd.toml" ]; then install -m 0644 Config/motifd.toml "$CONF/motifd.toml"; fi
if [ ! -e "$CONF/motifs.toml" ]; then install -m 0644 Config/motifs.toml "$CONF/motifs.toml"; fi
install -m 0644 README.md "$DOC/README.md"
if systemd_running; then systemctl daemon-reload; fi
echo "install.sh: installed to $DESTDIR$PREFIX, units in $UNITS, configuration in $CONF"
