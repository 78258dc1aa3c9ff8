#!/usr/bin/env bash
# System packages the tests and tools need on Debian (run as root or with sudo available).
#  - python3-numpy, python3-scipy, python3-sklearn: regenerate the reference fixtures (pnpm fixtures)
#  - mesa-vulkan-drivers: a software Vulkan device, so WebGPU works on machines without a GPU
#  - espeak-ng, sox: speech for the SAVEE / CREMA-D / TESS layout fixtures built during tests
#  - libsox-fmt-mp3, opus-tools: MP3 and Ogg Opus encodings of real clips (and reference decoders)
#    for the compressed-audio tests
#  - chromium: the end-to-end tests drive the built page in it (WebGPU on SwiftShader)
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends python3-numpy python3-scipy python3-sklearn mesa-vulkan-drivers espeak-ng sox libsox-fmt-mp3 opus-tools chromium >/dev/null
echo "system packages installed"
