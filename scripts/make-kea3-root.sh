#!/usr/bin/env bash
# The Kea 3.0 root the lab and the 3.0 checks use: scripts/make-kea-root.sh 3.0 [DIR].
exec "$(dirname "$0")/make-kea-root.sh" 3.0 "$@"
