"""The 1200×630 picture a chat app shows for a shared result link, drawn with Pillow.

Built from the puzzle number and the outcomes only, so it cannot name the movie. Every outcome
has its own fill and its own drawn mark (a tick, a cross, a bar), never colour alone. The same
input gives the same bytes: no timestamp or other metadata goes into the PNG, and the font is
Pillow's bundled default (no font file to find or download).
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import PIL
from PIL import Image, ImageDraw, ImageFont

from guessthatmovie.game import share
from guessthatmovie.game.rules import Outcome

# Part of the ETag: bump it when the drawing changes, so that caches fetch the new picture.
RENDERER_VERSION = "1"
WIDTH, HEIGHT = 1200, 630
MARGIN = 80
GRID_TOP, GRID_HEIGHT, GRID_GAP = 290, 150, 18

RGB = tuple[int, int, int]
# The light theme's colours (static/css/app.css): paper, ink, muted, accent (wrong), fresh (right).
PAPER: RGB = (0xFB, 0xFA, 0xF7)
INK: RGB = (0x1D, 0x1D, 0x24)
MUTED: RGB = (0x55, 0x55, 0x5F)
ACCENT: RGB = (0xA8, 0x23, 0x1B)
FILLS: dict[share.Kind, RGB] = {
    Outcome.WRONG: ACCENT,
    Outcome.SKIPPED: INK,
    Outcome.RIGHT: (0x17, 0x70, 0x3A),
    share.UNUSED: (0xFF, 0xFF, 0xFF),
}
MARK_COLOUR: RGB = (0xFF, 0xFF, 0xFF)
UNUSED_BORDER: RGB = (0x77, 0x74, 0x6B)
LEGEND = ((Outcome.RIGHT, "right"), (Outcome.WRONG, "wrong"), (Outcome.SKIPPED, "skipped"))


@dataclass(frozen=True)
class Box:
    """A square's place on the picture, in pixels."""

    left: int
    top: int
    size: int

    @property
    def right(self) -> int:
        """Return the first column past the square."""
        return self.left + self.size

    @property
    def bottom(self) -> int:
        """Return the first row past the square."""
        return self.top + self.size

    @property
    def centre(self) -> tuple[int, int]:
        """Return the middle pixel of the square."""
        return self.left + self.size // 2, self.top + self.size // 2


def etag(number: int, grid: str, attempts: int) -> str:
    """Return a strong validator for the picture of this input from this renderer."""
    key = f"{RENDERER_VERSION}:{PIL.__version__}:{number}:{grid}:{attempts}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def grid_boxes(attempts: int) -> list[Box]:
    """Lay out one square per attempt in a row: as large as fits, at most GRID_HEIGHT."""
    room = WIDTH - 2 * MARGIN
    gap = GRID_GAP if attempts <= 8 else 8
    size = min(GRID_HEIGHT, (room - gap * (attempts - 1)) // attempts)
    top = GRID_TOP + (GRID_HEIGHT - size) // 2
    return [Box(MARGIN + i * (size + gap), top, size) for i in range(attempts)]


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _square(draw: ImageDraw.ImageDraw, box: Box, kind: share.Kind) -> None:
    """Draw one attempt: its fill, and the mark that says the same thing without colour."""
    x, y, s = box.left, box.top, box.size
    if kind == share.UNUSED:
        draw.rectangle(
            (x, y, x + s - 1, y + s - 1),
            fill=FILLS[kind],
            outline=UNUSED_BORDER,
            width=max(2, s // 30),
        )
        return
    draw.rectangle((x, y, x + s - 1, y + s - 1), fill=FILLS[kind])
    width = max(3, round(s * 0.11))

    def at(fx: float, fy: float) -> tuple[float, float]:
        return x + fx * s, y + fy * s

    if kind == Outcome.RIGHT:
        draw.line([at(0.22, 0.52), at(0.42, 0.72), at(0.78, 0.30)], MARK_COLOUR, width, "curve")
    elif kind == Outcome.WRONG:
        draw.line([at(0.27, 0.27), at(0.73, 0.73)], MARK_COLOUR, width)
        draw.line([at(0.27, 0.73), at(0.73, 0.27)], MARK_COLOUR, width)
    else:  # skipped
        draw.rectangle((*at(0.26, 0.5 - 0.055), *at(0.74, 0.5 + 0.055)), fill=MARK_COLOUR)


@lru_cache(maxsize=1)
def _background() -> Image.Image:
    """Draw what every card shares (brand, legend, invitation) once per process."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, 15), fill=ACCENT)
    draw.text((MARGIN, 60), share.BRAND, fill=ACCENT, font=_font(64))
    x = MARGIN
    for kind, word in LEGEND:
        _square(draw, Box(x, 488, 40), kind)
        draw.text((x + 52, 508), word, fill=MUTED, font=_font(34), anchor="lm")
        x += 52 + round(draw.textlength(word, font=_font(34))) + 48
    draw.text((MARGIN, 560), "Can you do better? Play today's puzzle.", fill=INK, font=_font(38))
    return image


def render_png(number: int, outcomes: Sequence[Outcome], attempts: int) -> bytes:
    """Draw the result card of a finished game and return it as PNG bytes."""
    image = _background().copy()
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, 150), f"#{number}", fill=INK, font=_font(96))
    score = share.score(outcomes, attempts)
    draw.text((WIDTH - MARGIN, 150), score, fill=INK, font=_font(96), anchor="ra")
    for box, square in zip(grid_boxes(attempts), share.grid(outcomes, attempts), strict=True):
        _square(draw, box, square.kind)
    out = io.BytesIO()
    # No metadata chunks and fixed compression settings: equal input, equal bytes. Run-length
    # deflate suits the flat colours: a third of the time of the default, a third more bytes.
    image.save(out, format="PNG", compress_level=6, compress_type=zlib.Z_RLE)
    return out.getvalue()
