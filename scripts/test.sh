#!/usr/bin/env bash
# Set up (idempotently) and run the whole test suite, as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for tool in tshark dumpcap gphoto2 node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "MISSING TOOL: $tool (tests that need it will fail)" >&2; }
done
python3 scripts/gen_parsers.py --check
python3 -c "from ptpip_analyzer import accel; print('code path:', accel.describe())"
# Up to 4 test processes (pytest-xdist; PTPIP_TEST_WORKERS overrides, 0 = one process): tests
# on fixed loopback ports share one worker (xdist_group "fixed-ports"); the timed tests are
# meant to hold with every core busy.
workers="${PTPIP_TEST_WORKERS:-$(( $(nproc) < 4 ? $(nproc) : 4 ))}"
parallel=(-n "$workers")  # (--dist loadgroup: pyproject.toml)
python3 -m pytest -q "${parallel[@]}" "$@"
# The Kaitai parser alone (the decoder of record, without the spec-derived fast path) on the
# tests that compare decoded fields with tshark and with the shipped captures' expectations.
if [ "$#" -eq 0 ]; then
  PTPIP_ANALYZER_DECODER=kaitai python3 -m pytest -q -p no:cacheprovider "${parallel[@]}" \
    tests/test_tshark_differential.py tests/test_pipeline.py tests/validate/test_captures.py
  # With the hot modules compiled (PTPIP_ACCEL=1 scripts/setup.sh), the run above was on the
  # compiled path; the pure-Python path runs the tests of the modules that are compiled.
  if python3 -c "import sys; from ptpip_analyzer import accel; sys.exit(not accel.compiled_modules())"; then
    # (~6-10 min on 2 cores: the suite's whole pure-Python run would double CI's time)
    PTPIP_PURE=1 python3 -m pytest -q -p no:cacheprovider "${parallel[@]}" tests/decode tests/reassembly \
      tests/sources tests/test_framing.py tests/test_pipeline.py tests/test_engine.py \
      tests/test_frame_order.py tests/test_accel.py tests/test_tshark_differential.py \
      tests/test_hostile_captures.py tests/validate/test_captures.py \
      tests/validate/test_transaction_store.py
  fi
fi
