#!/usr/bin/env bash
# Install what scripts/site-checks.sh needs: Chromium (Debian's build, driven by
# playwright-core), Korean fonts for screenshots, Java for the Nu HTML checker, and the
# pinned npm packages of tests/e2e (vnu-jar, axe-core, playwright-core, linkinator).
# Idempotent: installs only what is missing. Runs as root on Debian (as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v python3 >/dev/null 2>&1 || need+=(python3)
dpkg -s fonts-nanum >/dev/null 2>&1 || need+=(fonts-nanum)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-test-tools: apt-get install ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cd tests/e2e
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/vnu-jar ] || [ ! -d node_modules/axe-core ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-test-tools: npm ci in tests/e2e"
  # playwright-core never downloads a browser: it drives /usr/bin/chromium
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
echo "install-test-tools: chromium $(chromium --version 2>/dev/null | head -1), java $(java -version 2>&1 | head -1), node $(node --version)"
