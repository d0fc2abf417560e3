#!/usr/bin/env bash
# Set up (idempotently) and run the whole test suite, as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for tool in tshark dumpcap gphoto2 node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "MISSING TOOL: $tool (tests that need it will fail)" >&2; }
done
python3 scripts/gen_parsers.py --check
python3 -m pytest -q "$@"
