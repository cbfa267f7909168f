"""Render the app's PNG icons from its SVG icon (static/icons/app.svg), so there is one design.

The SVG is ours and uses two shapes only, filled rectangles (with rounded corners) and filled
polygons; anything else in it is refused rather than drawn wrong. PNGs are drawn four times
larger and scaled down, which smooths their edges; the same SVG and size always give the same
bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image, ImageDraw

_SUPERSAMPLE = 4
_ELEMENT = re.compile(r"<(?P<name>[a-zA-Z]+)\b(?P<attributes>[^>]*)>")
_ATTRIBUTE = re.compile(r'(?P<key>[\w-]+)="(?P<value>[^"]*)"')
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Shape:
    """One filled shape: a rectangle (x, y, width, height, corner radius) or a polygon."""

    kind: str
    fill: str
    numbers: tuple[float, ...]


@dataclass(frozen=True)
class Drawing:
    """The icon's shapes in its viewBox units, back to front; the first one is the background."""

    width: float
    height: float
    shapes: tuple[Shape, ...]


def parse_svg(svg: str) -> Drawing:
    """Read the icon's viewBox and shapes; raise ValueError on a shape it cannot draw."""
    width = height = 0.0
    shapes: list[Shape] = []
    for element in _ELEMENT.finditer(_COMMENT.sub("", svg)):
        attributes = {m["key"]: m["value"] for m in _ATTRIBUTE.finditer(element["attributes"])}
        name = element["name"]
        if name == "svg":
            _x, _y, width, height = (float(n) for n in attributes["viewBox"].split())
        elif name == "rect":
            numbers = tuple(
                float(attributes.get(key, "0")) for key in ("x", "y", "width", "height", "rx")
            )
            shapes.append(Shape("rect", attributes["fill"], numbers))
        elif name == "polygon":
            points = tuple(float(n) for n in re.split(r"[\s,]+", attributes["points"].strip()))
            shapes.append(Shape("polygon", attributes["fill"], points))
        else:
            raise ValueError(f"the icon renderer cannot draw <{name}>")
    if not width or not shapes:
        raise ValueError("the icon has no viewBox or no shapes")
    return Drawing(width, height, tuple(shapes))


def render_png(svg: str, size: int, maskable: bool = False) -> bytes:
    """Draw the icon as a square PNG of `size` pixels.

    A maskable icon (Android's adaptive icons, Apple's touch icon) is opaque and fills its whole
    square: the platform cuts its own shape, so the background is drawn without rounded corners.
    The design keeps everything else inside the central circle those masks always leave.
    """
    drawing = parse_svg(svg)
    canvas = size * _SUPERSAMPLE
    scale = canvas / max(drawing.width, drawing.height)
    image = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for index, shape in enumerate(drawing.shapes):
        if shape.kind == "rect":
            x, y, width, height, radius = (n * scale for n in shape.numbers)
            if maskable and index == 0:
                radius = 0
            box = (x, y, x + width - 1, y + height - 1)
            draw.rounded_rectangle(box, radius=radius, fill=shape.fill)
        else:
            numbers = [n * scale for n in shape.numbers]
            points = list(zip(numbers[0::2], numbers[1::2], strict=True))
            draw.polygon(points, fill=shape.fill)
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    if maskable:
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
