"""Read an 8-bit, non-interlaced PNG (RGB or RGBA) with the standard library, for tests that look
at the plots and at the viewer's screenshot."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows); each row holds width * channels bytes, unfiltered."""
    width, height = png_size(data)
    depth, color_type, interlace = data[24], data[25], data[28]
    assert depth == 8 and color_type in (2, 6) and interlace == 0, "unsupported PNG"
    channels = 3 if color_type == 2 else 4
    at, idat = 8, b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def colours(path: Path, step: int = 3) -> tuple[int, int, set[bytes], float]:
    """(width, height, distinct colours, share of pixels that are not white), sampling every
    `step`-th pixel of every `step`-th row."""
    data = path.read_bytes()
    width, height, rows = png_pixels(data)
    channels = len(rows[0]) // width
    seen: set[bytes] = set()
    total = non_white = 0
    for row in rows[::step]:
        for x in range(0, width, step):
            pixel = row[x * channels : x * channels + 3]
            seen.add(pixel)
            total += 1
            non_white += pixel != b"\xff\xff\xff"
    return width, height, seen, non_white / max(1, total)
