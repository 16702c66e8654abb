"""Where a stored picture's renditions live, and how wide the picture is.

The names are a convention every part of the site shares: the image fields write the
renditions (portal/images/), the pages' ``{% responsive_image %}`` and the admin's
thumbnails (cms/editing.py) read them, all from the stored name and width alone, with no file
access and no query.
"""

# The widths of the WebP renditions made of every stored picture (never upscaled).
RENDITION_WIDTHS = (400, 800, 1600)


def rendition_name(name, width):
    """Where the rendition of the stored file ``name`` at ``width`` pixels lives.

    The full name, extension included, so that each stored file has its own renditions. The
    dot before the width keeps these names apart from the former ``<stem>-<width>w.webp``.
    """
    return f"renditions/{name}.{width}w.webp"


def rendition_widths(original_width):
    """The rendition widths made for an original of this width (never upscaled)."""
    return [width for width in RENDITION_WIDTHS if width < (original_width or 0)]


def image_dimensions(field_file):
    """(width, height) of a stored image, from the row when recorded, else from the file."""
    field = field_file.field
    instance = field_file.instance
    if field.width_field and field.height_field:
        width = getattr(instance, field.width_field, None)
        height = getattr(instance, field.height_field, None)
        if width and height:
            return width, height
    try:
        return field_file.width, field_file.height
    except (OSError, ValueError, SyntaxError):
        return None
