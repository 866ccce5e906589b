#!/usr/bin/env bash
# Installs the Debian packages the tests need, if they are missing:
# postgresql (a throwaway cluster on 127.0.0.1), chromium (Playwright drives it),
# qpdf (makes encrypted PDFs for the reader tests), the DejaVu font (Danish
# letters and subscript digits in the generated PDFs) and Tesseract with its
# Danish data (OCR of scanned PDF pages; run with OMP_THREAD_LIMIT=1).
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/dan.traineddata >/dev/null 2>&1 || missing+=(tesseract-ocr-dan)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
