"""QR codes drawn locally with segno (no external service): an SVG of a check-in URL."""

import io

import segno

SCALE = 6
BORDER = 2


def svg(data: str) -> bytes:
    code = segno.make(data, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=SCALE, border=BORDER, xmldecl=False, svgns=True)
    return out.getvalue()
