"""Re-encoding on upload: pixel limits before decoding, image data and colour profile kept,
metadata and extra frames dropped, turned pictures set upright."""

import io
import struct
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from cms.renditions import rendition_name
from portal import images
from portal.images import clean_upload

from .. import factories
from .helpers import article_data, change_url, colour_of, image_bytes, png_header, upload

pytestmark = pytest.mark.django_db


EXIF_MAKE = 0x010F
EXIF_ORIENTATION = 0x0112


def test_metadata_is_stripped_and_orientation_applied(admin_client):
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam 3000"
    exif[EXIF_ORIENTATION] = 6  # rotate 90° when shown
    data = image_bytes(size=(1000, 500), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()[EXIF_MAKE] == "SpyCam 3000"
    article = factories.article()
    response = admin_client.post(
        change_url(article),
        article_data(article, image=upload("photo.jpg", data), image_alt="A photo"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    with article.image.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (500, 1000)
    assert (article.image_width, article.image_height) == (500, 1000)


def test_png_text_chunks_are_stripped(admin_client):
    info = PngInfo()
    info.add_text("Comment", "home address here")
    data = image_bytes(size=(64, 64), image_format="PNG", pnginfo=info)
    assert Image.open(io.BytesIO(data)).info["Comment"] == "home address here"
    article = factories.article()
    admin_client.post(
        change_url(article),
        article_data(article, image=upload("a.png", data, "image/png"), image_alt="A square"),
    )
    article.refresh_from_db()
    with article.image.open("rb") as stored:
        assert "Comment" not in Image.open(stored).info


def test_webp_upload_is_accepted(admin_client):
    article = factories.article()
    data = image_bytes(size=(500, 300), image_format="WEBP")
    response = admin_client.post(
        change_url(article),
        article_data(article, image=upload("a.webp", data, "image/webp"), image_alt="Wide"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.image.name.endswith(".webp")


def png_chunks_of(data, kind):
    """The whole chunks of this type in a PNG: length, type, data and CRC."""
    found, position = [], 8
    while position < len(data):
        end = position + 12 + struct.unpack(">I", data[position : position + 4])[0]
        if data[position + 4 : position + 8] == kind:
            found.append(data[position:end])
        position = end
    return found


# Row 13 of the attack: a 40-megapixel PNG of 116 KB held a worker 8-20 s.


def test_png_above_its_pixel_limit_is_refused_before_decoding():
    data = png_header(5_000, 4_000)  # 20 MP, 67 bytes: decoding it would fail
    assert len(data) < 100
    with (
        mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded")),
        pytest.raises(ValidationError) as refused,
    ):
        clean_upload(upload("flat.png", data, "image/png"))
    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [
        "The image is too large (20.0 megapixels); a PNG may have at most 16 megapixels "
        "(a JPEG 40): make it smaller, or save it as a JPEG."
    ]


def test_png_keeps_its_image_data_and_loses_its_metadata(admin_client):
    info = PngInfo()
    info.add_text("Comment", "home address here")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS here</x:xmpmeta>")
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam 3000"
    picture = Image.new("P", (600, 200), 0)  # index 0: transparent
    picture.paste(1, (200, 50, 400, 150))
    picture.putpalette([255, 255, 255, 200, 30, 30] + [0, 0, 0] * 254)
    out = io.BytesIO()
    picture.save(out, "PNG", pnginfo=info, exif=exif.tobytes(), transparency=0)
    data = out.getvalue()
    assert b"SpyCam" in data and b"GPS here" in data and b"home address" in data
    article = factories.article()
    response = admin_client.post(
        change_url(article),
        article_data(article, image=upload("logo.png", data, "image/png"), image_alt="A logo"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    with article.image.open("rb") as stored:
        kept = stored.read()
    assert b"SpyCam" not in kept and b"GPS here" not in kept and b"home address" not in kept

    # Image data, palette and transparency byte for byte: no re-encoding.
    for kind in (b"IDAT", b"PLTE", b"tRNS"):
        assert png_chunks_of(kept, kind) == png_chunks_of(data, kind) != []
    with Image.open(io.BytesIO(kept)) as stored:
        assert (stored.mode, stored.info.get("transparency")) == ("P", 0)
    with article.image.storage.open(rendition_name(article.image.name, 400)) as rendition:
        assert Image.open(rendition).convert("RGBA").getpixel((0, 0))[3] == 0  # still clear


def test_webp_keeps_its_image_data_and_colour_profile_and_loses_its_metadata():
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam 3000"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (100, 50), "green").save(
        out, "WEBP", lossless=True, exif=exif.tobytes(), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>",
        icc_profile=icc,
    )  # fmt: skip
    data = out.getvalue()
    cleaned = clean_upload(upload("a.webp", data, "image/webp")).read()
    assert b"SpyCam" not in cleaned and b"GPS" not in cleaned
    start = data.index(b"VP8L")
    image_chunk = data[start : start + 8 + struct.unpack("<I", data[start + 4 : start + 8])[0]]
    assert image_chunk in cleaned  # the image data, as it was
    with Image.open(io.BytesIO(cleaned)) as stored:
        stored.load()
        assert stored.info["icc_profile"] == icc
        assert "exif" not in stored.info and "xmp" not in stored.info


def test_animated_webp_and_png_are_stored_as_their_first_frame():
    frames = [Image.new("RGB", (60, 40), colour) for colour in ("red", "blue")]
    for image_format, name in [("PNG", "moving.png"), ("WEBP", "moving.webp")]:
        out = io.BytesIO()
        frames[0].save(out, image_format, save_all=True, append_images=frames[1:], lossless=True)
        assert Image.open(io.BytesIO(out.getvalue())).n_frames == 2
        cleaned = clean_upload(upload(name, out.getvalue())).read()
        with Image.open(io.BytesIO(cleaned)) as stored:
            assert getattr(stored, "n_frames", 1) == 1
        assert colour_of(cleaned) == "red"


def test_turned_png_is_re_encoded_upright_and_a_large_one_refused():
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    small = image_bytes((300, 200), "PNG", exif=exif.tobytes())
    cleaned = clean_upload(upload("turned.png", small, "image/png"))
    with Image.open(io.BytesIO(cleaned.read())) as stored:
        assert stored.size == (200, 300)
        assert dict(stored.getexif()) == {}
    large = image_bytes((2_100, 2_000), "PNG", mode="1", exif=exif.tobytes())  # 4.2 MP
    with pytest.raises(ValidationError) as refused:
        clean_upload(upload("turned.png", large, "image/png"))
    assert "such a file may have at most 4 megapixels" in refused.value.messages[0]


def test_jpeg_is_re_encoded_at_its_own_quality():
    data = image_bytes((640, 480), quality=40)
    cleaned = clean_upload(upload("a.jpg", data))
    with Image.open(io.BytesIO(data)) as original, Image.open(cleaned) as stored:
        assert stored.quantization == original.quantization
    assert cleaned.size < 2 * len(data)


def test_stored_jpeg_is_decoded_reduced_for_its_renditions(media):
    # Saved through the model with no form: the renditions are made from the stored file.
    article = factories.article()
    article.image = SimpleUploadedFile("wide.jpg", image_bytes((6_400, 400)), "image/jpeg")
    article.save()
    decoded, size = images.renditions._open_stored(article.image)
    assert size == (6_400, 400)
    assert decoded.size == (3_200, 200)  # half: still 1.5 times the 1600 px rendition
    with article.image.storage.open(rendition_name(article.image.name, 1600)) as stored:
        assert Image.open(stored).size == (1600, 100)


def test_sixteen_bit_grey_png_renditions_are_scaled_not_clipped(media):
    picture = Image.new("I;16", (800, 20), 30_000)
    out = io.BytesIO()
    picture.save(out, "PNG")
    cleaned = clean_upload(upload("depth.png", out.getvalue(), "image/png"))
    article = factories.article()
    article.image = cleaned
    article.save()
    with article.image.storage.open(rendition_name(article.image.name, 400)) as stored:
        grey = Image.open(stored).convert("L").getpixel((5, 5))
    assert abs(grey - 30_000 // 256) <= 2
