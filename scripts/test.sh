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
# The Kaitai parser alone (the decoder of record, without the spec-derived fast path) on the
# tests that compare decoded fields with tshark and with the shipped captures' expectations.
if [ "$#" -eq 0 ]; then
  PTPIP_ANALYZER_DECODER=kaitai python3 -m pytest -q -p no:cacheprovider \
    tests/test_tshark_differential.py tests/test_pipeline.py tests/validate/test_captures.py
fi
