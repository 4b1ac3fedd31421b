#!/usr/bin/env bash
# Install the Debian packages some tests need (browser, PDF libraries, spell checker) when they
# are missing and we are root; otherwise print the exact command, and those tests are skipped.
set -euo pipefail

packages=(
  chromium                                   # browser tests (Playwright drives /usr/bin/chromium)
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core   # WeasyPrint (PDF)
  poppler-utils                              # pdftotext / pdftoppm: the PDF read back
  hunspell hunspell-fr                       # French spell check of the content
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: all Debian packages present."
  exit 0
fi

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "system-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $command
else
  echo "system-deps: missing ${missing[*]}; the tests that need them will be SKIPPED." >&2
  echo "system-deps: install them with: sudo $command" >&2
fi
