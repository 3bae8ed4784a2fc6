"""Small bar charts of a release, drawn at build time into `plots/*.png`.

Pure Python (a 5x7 pixel font for the numbers, zlib for PNG), so the same rows give the same
bytes on every machine and no plotting library is needed. Axis titles and colour keys are in the
Markdown captions that the card and the datasheet put under each image.
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .stats import KINDS, Figures

WIDTH, HEIGHT, SCALE = 640, 260, 2
BACKGROUND, AXIS, GRID, TEXT = (255, 255, 255), (60, 60, 60), (225, 228, 232), (40, 40, 40)
PALETTE = ((52, 101, 164), (230, 126, 34), (46, 139, 87), (142, 68, 173))
PLOTS_HEADING = "### Plots"

Color = tuple[int, int, int]

# 5x7 glyphs, one string of five 0/1 per row.
_FONT: dict[str, tuple[str, ...]] = {
    "0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "00100", "00100", "01110"),
    "2": ("01110", "10001", "00001", "00010", "00100", "01000", "11111"),
    "3": ("11110", "00001", "00001", "01110", "00001", "00001", "11110"),
    "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "00001", "10001", "01110"),
    "6": ("00110", "01000", "10000", "11110", "10001", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
    "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100"),
    ".": ("00000", "00000", "00000", "00000", "00000", "01100", "01100"),
    "-": ("00000", "00000", "00000", "01110", "00000", "00000", "00000"),
    "+": ("00000", "00100", "00100", "11111", "00100", "00100", "00000"),
    " ": ("00000",) * 7,
}


@dataclass(frozen=True)
class Plot:
    filename: str  # under plots/
    caption: str  # alt text and the caption under the image: what the axes are


PLOTS = (
    Plot("comments_per_thread.png",
         "Comments per thread: number of threads (y) by the thread's comment count (x)"),
    Plot("reply_depth.png", "Reply depth: number of comments (y) at each depth (x; 1 = replies to the post)"),
    Plot("comments_per_speaker.png",
         "Comments per speaker: number of speakers (y) by how many comments each wrote in a thread (x)"),
    Plot("confidence.png",
         "Confidence: number of comments (y) per confidence bin (x: the bin's lower edge; 0.9 includes "
         "1.0) for span (blue), parent (orange), speaker (green) and post author (purple) decisions"),
)


class Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(BACKGROUND) * (width * height))

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        """Fill [x0, x1) x [y0, y1), clipped to the canvas."""
        x0, x1 = max(0, x0), min(self.width, x1)
        if x0 >= x1:
            return
        row = bytes(color) * (x1 - x0)
        for y in range(max(0, y0), min(self.height, y1)):
            start = (y * self.width + x0) * 3
            self.pixels[start : start + len(row)] = row

    def text(self, x: int, y: int, text: str, color: Color = TEXT, anchor: str = "left") -> None:
        width = len(text) * 6 * SCALE - SCALE
        if anchor == "center":
            x -= width // 2
        elif anchor == "right":
            x -= width
        for index, char in enumerate(text):
            glyph = _FONT.get(char, _FONT[" "])
            for gy, bits in enumerate(glyph):
                for gx, bit in enumerate(bits):
                    if bit == "1":
                        px, py = x + (index * 6 + gx) * SCALE, y + gy * SCALE
                        self.rect(px, py, px + SCALE, py + SCALE, color)

    def png(self) -> bytes:
        stride = self.width * 3
        rows = (bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height))
        raw = b"".join(b"\x00" + row for row in rows)
        return png_bytes(self.width, self.height, raw)


def png_bytes(width: int, height: int, scanlines: bytes) -> bytes:
    """An 8-bit RGB PNG of filtered scanlines; no time or software chunk, so bytes are stable."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(scanlines, 9)) + chunk(b"IEND", b""))


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000):
        if value <= step * 4:
            return step * 4
    return ((value + 99_999) // 100_000) * 100_000


def bar_chart(labels: Sequence[str], series: Sequence[Sequence[int]]) -> bytes:
    """Bars for each label, one bar per series side by side, a y axis from 0 with five ticks."""
    canvas = Canvas(WIDTH, HEIGHT)
    left, right, top, bottom = 64, WIDTH - 12, 14, HEIGHT - 30
    top_value = _nice_max(max((v for s in series for v in s), default=0))
    for tick in range(5):
        value = top_value * tick // 4
        y = bottom - (bottom - top) * tick // 4
        canvas.rect(left, y, right, y + 1, GRID)
        canvas.text(left - 8, y - 7, str(value), anchor="right")
    canvas.rect(left, top, left + 1, bottom + 1, AXIS)
    canvas.rect(left, bottom, right, bottom + 1, AXIS)
    slot = (right - left) / max(1, len(labels))
    bar = max(1, int(slot * 0.8 / max(1, len(series))))
    widest = max((len(label) for label in labels), default=1) * 6 * SCALE + 8
    label_every = max(1, -(-widest // max(1, int(slot))))
    for i, label in enumerate(labels):
        x0 = left + int(i * slot + slot * 0.1)
        for k, values in enumerate(series):
            height = (bottom - top) * values[i] // top_value if top_value else 0
            color = PALETTE[k % len(PALETTE)]
            gap = 1 if bar > 3 else 0
            canvas.rect(x0 + k * bar, bottom - height, x0 + (k + 1) * bar - gap, bottom, color)
        if i % label_every == 0:
            canvas.text(left + int((i + 0.5) * slot), bottom + 8, label, anchor="center")
    return canvas.png()


def _buckets(counts: Counter[int], edges: Sequence[int]) -> tuple[list[str], list[int]]:
    """How many of the counted values fall in [edges[i], edges[i+1]); the last bucket is open
    ("500+")."""
    labels, sums = [], []
    for i, low in enumerate(edges):
        high = edges[i + 1] if i + 1 < len(edges) else None
        labels.append(f"{low}+" if high is None else (str(low) if high == low + 1 else f"{low}-{high - 1}"))
        sums.append(sum(n for v, n in counts.items() if v >= low and (high is None or v < high)))
    while len(sums) > 1 and sums[-1] == 0:  # no empty buckets at the high end
        labels.pop()
        sums.pop()
    return labels, sums


def charts(figures: Figures) -> dict[str, bytes]:
    """The PNG bytes of every plot in PLOTS, from a release's Figures."""
    per_thread = _buckets(figures.comments_per_thread, (0, 1, 5, 10, 20, 50, 100, 200, 500, 1000))
    depth = figures.depth
    depths = list(range(1, max(depth, default=1) + 1))
    per_speaker = _buckets(figures.comments_per_speaker, (0, 1, 2, 3, 4, 5, 10, 20, 50))
    bins = [figures.confidence_bins[kind] for kind in KINDS]
    return {
        "comments_per_thread.png": bar_chart(per_thread[0], [per_thread[1]]),
        "reply_depth.png": bar_chart([str(d) for d in depths], [[depth[d] for d in depths]]),
        "comments_per_speaker.png": bar_chart(per_speaker[0], [per_speaker[1]]),
        "confidence.png": bar_chart([f"{b / 10:.1f}" for b in range(10)], bins),
    }


def write_plots(folder: Path, figures: Figures) -> list[Path]:
    target = folder / "plots"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in charts(figures).items():
        (target / name).write_bytes(data)
        written.append(target / name)
    return written


def plots_markdown() -> str:
    """The images and their captions, for the card and the datasheet (paths relative to the release)."""
    parts = [f"![{p.caption}](plots/{p.filename})\n\n*{p.caption}.*" for p in PLOTS]
    return PLOTS_HEADING + "\n\n" + "\n\n".join(parts)


def add_plots(datasheet: str, marker: str) -> str:
    """The datasheet with the plots inserted after `marker` (the end of its figures block)."""
    if PLOTS_HEADING in datasheet or marker not in datasheet:
        return datasheet
    head, tail = datasheet.split(marker, 1)
    return f"{head}{marker}\n\n{plots_markdown()}\n{tail}"
