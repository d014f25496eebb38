"""A small CBOR codec (RFC 8949) for the Smithy RPC v2 CBOR protocol, which the AWS SDK for
Rust speaks to CloudWatch and the emulator does not: enough for the strict double to translate
such requests to the AWS JSON 1.0 protocol and the answers back.

Decodes every major type (definite and indefinite lengths, half/single/double floats); a
timestamp (tag 1) decodes to its epoch seconds. Encodes dicts, lists, str, bytes, int, float,
bool, None, and `Timestamp` (as tag 1 around a double)."""

import struct


class Timestamp(float):
    """Epoch seconds, encoded as CBOR tag 1."""


def decode(data):
    value, end = _item(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes after the CBOR item")
    return value


def _length(data, pos, info):
    if info < 24:
        return info, pos
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        return None, pos  # indefinite
    return int.from_bytes(data[pos:pos + size], "big"), pos + size


def _item(data, pos):
    first = data[pos]
    major, info = first >> 5, first & 0x1F
    pos += 1
    if major == 7:
        if info == 20:
            return False, pos
        if info == 21:
            return True, pos
        if info in (22, 23):
            return None, pos
        if info == 25:
            return _half(data[pos:pos + 2]), pos + 2
        if info == 26:
            return struct.unpack(">f", data[pos:pos + 4])[0], pos + 4
        if info == 27:
            return struct.unpack(">d", data[pos:pos + 8])[0], pos + 8
        raise ValueError(f"unsupported simple value {info}")
    n, pos = _length(data, pos, info)
    if major == 0:
        return n, pos
    if major == 1:
        return -1 - n, pos
    if major in (2, 3):
        if n is None:
            chunks = []
            while data[pos] != 0xFF:
                chunk, pos = _item(data, pos)
                chunks.append(chunk)
            joined = (b"" if major == 2 else "").join(chunks)
            return joined, pos + 1
        raw = bytes(data[pos:pos + n])
        return (raw if major == 2 else raw.decode("utf-8")), pos + n
    if major == 4:
        items = []
        while (n is None and data[pos] != 0xFF) or (n is not None and len(items) < n):
            item, pos = _item(data, pos)
            items.append(item)
        return items, pos + (1 if n is None else 0)
    if major == 5:
        out = {}
        count = 0
        while (n is None and data[pos] != 0xFF) or (n is not None and count < n):
            key, pos = _item(data, pos)
            out[key], pos = _item(data, pos)
            count += 1
        return out, pos + (1 if n is None else 0)
    if major == 6:
        value, pos = _item(data, pos)
        return value, pos  # tag 1 (epoch seconds) and any other tag: the value itself
    raise ValueError(f"unsupported major type {major}")


def _half(b):
    h = int.from_bytes(b, "big")
    sign, exp, frac = (h >> 15) & 1, (h >> 10) & 0x1F, h & 0x3FF
    if exp == 0:
        v = frac * 2.0 ** -24
    elif exp == 31:
        v = float("inf") if frac == 0 else float("nan")
    else:
        v = (1 + frac / 1024.0) * 2.0 ** (exp - 15)
    return -v if sign else v


def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError("integer too large")


def encode(value):
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, Timestamp):
        return b"\xc1" + b"\xfb" + struct.pack(">d", float(value))
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, (bytes, bytearray)):
        return _head(2, len(value)) + bytes(value)
    if isinstance(value, (list, tuple)):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise TypeError(f"cannot encode {type(value).__name__}")


if __name__ == "__main__":
    sample = {"a": [1, -2, 3.5, "x", b"y", None, True], "t": Timestamp(1700000000.5), "n": 2**40}
    back = decode(encode(sample))
    assert back["a"] == [1, -2, 3.5, "x", b"y", None, True], back
    assert back["t"] == 1700000000.5 and back["n"] == 2**40, back
    assert decode(bytes.fromhex("bf6161f93c00ff")) == {"a": 1.0}
    assert decode(bytes.fromhex("9f0102ff")) == [1, 2]
    print("ok")
