#!/usr/bin/env bash
# 运行全部测试：代码检查（ruff）、单元与集成测试、浏览器测试（无头 Chromium）。
# 默认用 SQLite；设 DATABASE_URL=postgres://… 则在 PostgreSQL 上运行。额外参数传给 pytest。
set -euo pipefail
source "$(dirname "$0")/scripts/venv.sh"
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "安装浏览器测试所需的 Debian chromium …"
    apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "浏览器测试需要 /usr/bin/chromium：请先执行 sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi
if [[ ! -x /usr/bin/soffice ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "安装通报测试所需的 LibreOffice（libreoffice-writer-nogui）…"
    apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui fonts-noto-cjk >/dev/null
  else
    echo "通报测试需要 LibreOffice（/usr/bin/soffice）：请先执行 sudo apt-get install -y libreoffice-writer-nogui" >&2
    exit 1
  fi
fi
ruff check .
ruff format --check .
exec python -m pytest "$@"
