"""Evidence photos: JPEG, PNG or WebP (checked by their first bytes, not their name), at most 5 MB.

They are stored under MEDIA_ROOT, which the web server does not serve: a scoped view streams them.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def sniff(head: bytes) -> str | None:
    """The image type the file's signature shows, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def photo_check(upload) -> str:
    """The photo's type; a ValidationError on ``photo`` when it is too big or not an image we accept."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "photo": _("The photo is %(size).1f MB; at most %(limit)d MB is accepted.")
                % {"size": upload.size / 1024 / 1024, "limit": PHOTO_MAX_BYTES // 1024 // 1024}
            }
        )
    upload.seek(0)
    kind = sniff(upload.read(12))
    upload.seek(0)
    if kind is None:
        raise ValidationError({"photo": _("The photo must be a JPEG, PNG or WebP image.")})
    return kind


def photo_store(upload, kind: str) -> str:
    """Save under a random name (the uploaded name is never used) and return the storage name."""
    return default_storage.save(f"morality/awards/{uuid.uuid4().hex}.{EXTENSIONS[kind]}", upload)


def photo_discard(name: str) -> None:
    if name:
        default_storage.delete(name)
