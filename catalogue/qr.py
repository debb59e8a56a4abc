"""QR codes of the certificate check pages (segno), as SVG and PNG."""

import io

import segno


def qr_code(url: str) -> segno.QRCode:
    # Level M survives a scuffed or slightly wet label; the URL is short enough either way.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=scale, border=4, xmldecl=True,
                      title="Mã QR tra cứu giấy chứng nhận OCOP")
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_inline_svg(url: str, *, scale: int = 6) -> str:
    """The code as an <svg> element to place in a page (no XML declaration, no style)."""
    return qr_code(url).svg_inline(scale=scale, border=4, omitsize=True)
