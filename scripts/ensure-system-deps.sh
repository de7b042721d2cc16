#!/usr/bin/env bash
# Installs the system programs the tests need, only those that are missing:
#   - Debian's Chromium, which Playwright drives (/usr/lib/chromium/chromium)
#   - the PostgreSQL 15 server programs, which the Vitest run starts a throw-away server with
#     (/usr/lib/postgresql/15/bin)
#   - Poppler's pdftotext and pdftoppm, with which the end-to-end tests read the PDFs that the
#     printed scorecard and journey make (their text, and their pages as pictures)
# Safe to run again: when all are present it only checks a few files.
set -euo pipefail

CHROMIUM_BIN=/usr/lib/chromium/chromium
POSTGRES_BIN=/usr/lib/postgresql/15/bin

packages=()
if [[ -x $CHROMIUM_BIN ]]; then
  echo "ensure-system-deps: Chromium present ($CHROMIUM_BIN)"
else
  echo "ensure-system-deps: Chromium missing ($CHROMIUM_BIN)"
  packages+=(chromium)
fi
if [[ -x $POSTGRES_BIN/initdb && -x $POSTGRES_BIN/pg_ctl && -x $POSTGRES_BIN/postgres ]]; then
  echo "ensure-system-deps: PostgreSQL 15 present ($POSTGRES_BIN)"
else
  echo "ensure-system-deps: PostgreSQL 15 missing ($POSTGRES_BIN)"
  packages+=(postgresql-15)
fi

if command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; then
  echo "ensure-system-deps: Poppler present (pdftotext, pdftoppm)"
else
  echo "ensure-system-deps: Poppler missing (pdftotext, pdftoppm)"
  packages+=(poppler-utils)
fi

if ((${#packages[@]} == 0)); then
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "ensure-system-deps: apt-get not found; install ${packages[*]} with your system's package manager." >&2
  exit 1
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "ensure-system-deps: installing ${packages[*]} needs root, and sudo is not available." >&2
    echo "ensure-system-deps: run as root: apt-get install -y --no-install-recommends ${packages[*]}" >&2
    exit 1
  fi
fi

# The tests start their own PostgreSQL server; the package's default cluster would only be
# one more server running on port 5432. Decided before the package is configured.
if [[ " ${packages[*]} " == *" postgresql-15 "* && ! -e /etc/postgresql-common/createcluster.d/centric.conf ]]; then
  echo "ensure-system-deps: telling postgresql-common not to create a default cluster"
  "${sudo[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.d/centric.conf >/dev/null
fi

echo "ensure-system-deps: + apt-get update"
"${sudo[@]}" apt-get update
echo "ensure-system-deps: + apt-get install -y --no-install-recommends ${packages[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"

if [[ ! -x $CHROMIUM_BIN ]]; then
  echo "ensure-system-deps: chromium was installed but $CHROMIUM_BIN is missing." >&2
  exit 1
fi
if [[ ! -x $POSTGRES_BIN/initdb ]]; then
  echo "ensure-system-deps: PostgreSQL was installed but $POSTGRES_BIN/initdb is missing (this needs Debian 12 or the PGDG repository)." >&2
  exit 1
fi
echo "ensure-system-deps: done"
