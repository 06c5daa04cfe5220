"""SM3 (GB/T 32905-2016) hashing for the audit chain, through OpenSSL via hashlib."""

import hashlib

from django.core.exceptions import ImproperlyConfigured

# Known answer from GB/T 32905-2016, example 1: SM3("abc").
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def assert_sm3_known_answer():
    try:
        answer = sm3_hex(b"abc")
    except ValueError as exc:  # OpenSSL built without SM3
        raise ImproperlyConfigured("当前 Python/OpenSSL 不支持 SM3，无法保护审计日志。") from exc
    if answer != SM3_ABC:
        raise ImproperlyConfigured("SM3 自检失败：计算结果与国家标准示例不符。")
