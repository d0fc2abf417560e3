#!/usr/bin/env bash
# Install everything ptpip-analyzer needs on a fresh Debian machine; safe to run again.
#   scripts/setup.sh                  # runtime + test tools, and the hot modules compiled
#                                     # (Cython, into build/accel/: the path CI tests)
#   PTPIP_ACCEL=0 scripts/setup.sh    # without compiling (pure Python only)
# apt: tshark/dumpcap (differential tests, live capture), tcpdump, gphoto2 (interop tests);
# npm: the pinned Kaitai Struct compiler (into .tools/); pip: the package with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(tshark tcpdump gphoto2 nodejs npm chromium)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# node/npm may come from elsewhere than Debian: only ask apt for them if absent.
command -v node >/dev/null 2>&1 && missing=("${missing[@]/nodejs}")
command -v npm >/dev/null 2>&1 && missing=("${missing[@]/npm}")
read -r -a missing <<< "${missing[*]}"
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

KSC_VERSION=0.11.0
if ! grep -q "\"version\": \"$KSC_VERSION\"" .tools/node_modules/kaitai-struct-compiler/package.json 2>/dev/null; then
  echo "setup: installing kaitai-struct-compiler@$KSC_VERSION into .tools/"
  npm install --no-audit --no-fund --silent --prefix .tools "kaitai-struct-compiler@$KSC_VERSION" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v -e "^WARNING: Running pip as" -e "is ignored" || true
python3 -c "import ptpip_analyzer, kaitaistruct" || { echo "setup: the package did not install" >&2; exit 1; }

# The per-packet modules compiled with Cython from the unchanged sources
# (scripts/build_accel.py; ptpip_analyzer/accel.py loads them only while their sources are
# unchanged; PTPIP_PURE=1 ignores them). A failed build leaves the pure-Python path.
if [ "${PTPIP_ACCEL:-1}" = 1 ]; then
  python3 -m pip install -q --disable-pip-version-check "cython>=3.0" 2>&1 \
    | grep -v -e "^WARNING: Running pip as" -e "is ignored" || true
  python3 scripts/build_accel.py || echo "setup: compiled modules not built: pure Python only" >&2
fi
