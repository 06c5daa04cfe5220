#!/usr/bin/env bash
# 运行演示系统：安装锁定版本的依赖、迁移 SQLite 数据库、载入演示数据、打印演示账号，
# 然后在 http://127.0.0.1:8000 提供服务。可重复执行。
set -euo pipefail
source "$(dirname "$0")/scripts/venv.sh"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
mkdir -p "${ZS_DATA_DIR:-data}"
python manage.py migrate --noinput
python manage.py load_demo
echo "系统地址：http://127.0.0.1:8000 （按 Ctrl+C 停止）"
exec python manage.py runserver 127.0.0.1:8000
