#!/usr/bin/env bash
# Installs the system packages racah's build needs when they are missing.
# rug bundles GMP/MPFR and builds them from source; their configure scripts need m4.
# The tests of `racah certify --cmd` run a model written in plain python3.
set -euo pipefail
missing=()
command -v m4 >/dev/null 2>&1 || missing+=(m4)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v cc >/dev/null 2>&1 || missing+=(gcc)
# the external-model protocol test runs a plain-python3 model (no numpy needed)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "racah setup: installing ${missing[*]} with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
  echo "racah setup: installing ${missing[*]} with sudo apt-get" >&2
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "racah setup: missing system package(s): ${missing[*]}." >&2
  echo "Install them with your package manager (Debian: apt-get install ${missing[*]}) and retry." >&2
  exit 1
fi
