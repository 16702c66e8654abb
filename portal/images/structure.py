"""The parts a JPEG, PNG or WebP file is made of, read from its bytes without Pillow.

Used to refuse files of too many parts before Pillow opens them, and to drop a PNG's or
WebP's metadata chunks while keeping its image data byte for byte.
"""

import re

from django.core.exceptions import ValidationError

from .limits import MAX_CHUNKS, MAX_JPEG_MARKERS, MAX_JPEG_SCANS, MESSAGES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The PNG chunks a picture is made of, and those that say how to show its colours. Everything
# else goes: text, EXIF, XMP, time, private chunks, and APNG's frames (the still stays).
PNG_KEPT_CHUNKS = {
    b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND",
    b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"cICP", b"mDCV", b"cLLI",
}  # fmt: skip
# The same for WebP: the image data, its alpha and colour profile; not EXIF, XMP or others.
WEBP_KEPT_CHUNKS = {b"VP8X", b"ICCP", b"ALPH", b"VP8 ", b"VP8L"}
WEBP_ANIMATION_CHUNKS = {b"ANIM", b"ANMF"}
VP8X_EXIF_AND_XMP_FLAGS = 0x08 | 0x04
# A JPEG marker: 0xFF then a code. In entropy-coded data 0xFF is followed by 0x00 (a stuffed
# byte) or a restart marker 0xD0-0xD7, which are not segments; more 0xFF are fill bytes. A plain
# 0xFF first lets the search run at memchr speed: 10 MB in 10 ms.
JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
JPEG_SOS, JPEG_EOI, JPEG_TEM = 0xDA, 0xD9, 0x01


def _too_many_parts(image_format, limit, key="too_many_parts"):
    return ValidationError(
        MESSAGES[key], code="too_many_parts", params={"format": image_format, "limit": limit}
    )


def _check_jpeg_structure(data):
    """Count markers and scans without Pillow, stopping as soon as a limit is passed."""
    markers = scans = 0
    position = 2  # after SOI
    while match := JPEG_MARKER.search(data, position):
        position = match.end()
        marker = data[position - 1]
        if marker == JPEG_EOI:
            return
        markers += 1
        if markers > MAX_JPEG_MARKERS:
            raise _too_many_parts("JPEG", MAX_JPEG_MARKERS)
        if marker == JPEG_TEM:
            continue
        # Every other marker starts a segment that gives its length; a scan's coefficients
        # follow its header, and the search above skips them, as libjpeg does.
        position += int.from_bytes(data[position : position + 2], "big")
        if marker == JPEG_SOS:
            scans += 1
            if scans > MAX_JPEG_SCANS:
                raise _too_many_parts("JPEG", MAX_JPEG_SCANS, key="too_many_scans")


def _png_chunks(data):
    """(type, start, end) of each chunk of a PNG, up to IEND."""
    position = len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        kind = data[position + 4 : position + 8]
        end = position + 12 + int.from_bytes(data[position : position + 4], "big")
        yield kind, position, end
        if kind == b"IEND":
            return
        position = end


def _webp_chunks(data):
    """(type, start, end) of each chunk of a WebP, within the RIFF container's size."""
    limit = min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    position = 12
    while position + 8 <= limit:
        kind = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        end = position + 8 + size + (size & 1)
        yield kind, position, end
        position = end


def _check_chunk_count(chunks, image_format):
    for count, _chunk in enumerate(chunks):
        if count >= MAX_CHUNKS:
            raise _too_many_parts(image_format, MAX_CHUNKS)


def _check_structure(data):
    """Refuse files made of so many parts that merely opening them would take seconds."""
    if data.startswith(b"\xff\xd8\xff"):
        _check_jpeg_structure(data)
    elif data.startswith(PNG_SIGNATURE):
        _check_chunk_count(_png_chunks(data), "PNG")
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        _check_chunk_count(_webp_chunks(data), "WebP")


def _png_stripped(data):
    """The PNG with only the chunks that make the picture, copied as they are."""
    kept = [data[start:end] for kind, start, end in _png_chunks(data) if kind in PNG_KEPT_CHUNKS]
    return PNG_SIGNATURE + b"".join(kept)


def _webp_stripped(data):
    """The WebP still with only its image chunks, or None for an animation."""
    kept = []
    for kind, start, end in _webp_chunks(data):
        if kind in WEBP_ANIMATION_CHUNKS:
            return None
        if kind == b"VP8X":  # the header announces the chunks that follow: not EXIF or XMP now
            flags = data[start + 8] & ~VP8X_EXIF_AND_XMP_FLAGS
            kept.append(data[start : start + 8] + bytes([flags]) + data[start + 9 : end])
        elif kind in WEBP_KEPT_CHUNKS:
            kept.append(data[start:end])
    body = b"WEBP" + b"".join(kept)
    return b"RIFF" + len(body).to_bytes(4, "little") + body
