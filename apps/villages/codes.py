"""Statistical division codes (统计用区划代码): 12 digits that nest by prefix.

city ``CCCC00000000``, county ``CCCCCC000000``, township ``CCCCCCCCC000``,
village ``CCCCCCCCCVVV``.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CODE_RE = re.compile(r"^\d{12}$")
# (first, last) significant digit of each level's own part; the digits after it are zeros.
OWN_DIGITS = {"city": (2, 4), "county": (4, 6), "township": (6, 9), "village": (9, 12)}
LEVEL_LABELS = {
    "city": gettext_lazy("city"),
    "county": gettext_lazy("county"),
    "township": gettext_lazy("township"),
    "village": gettext_lazy("village"),
}


def validate_region_code(code: str, level: str) -> None:
    if not CODE_RE.fullmatch(code or ""):
        raise ValidationError(_("A code is exactly 12 digits."), code="code_format")
    start, end = OWN_DIGITS[level]
    if set(code[end:]) - {"0"}:
        raise ValidationError(
            _("A %(level)s code ends with %(zeros)d zeros.")
            % {"level": LEVEL_LABELS[level], "zeros": 12 - end},
            code="code_level",
        )
    if set(code[start:end]) == {"0"}:
        raise ValidationError(
            _("Digits %(start)d–%(end)d of a %(level)s code cannot all be zero.")
            % {"start": start + 1, "end": end, "level": LEVEL_LABELS[level]},
            code="code_level",
        )


def validate_code_prefix(code: str, parent_code: str, parent_level: str) -> None:
    """A region's code must start with its parent's significant digits."""
    prefix = parent_code[: OWN_DIGITS[parent_level][1]]
    if not (code or "").startswith(prefix):
        raise ValidationError(
            _("The code must start with %(prefix)s, the code of its %(parent)s.")
            % {"prefix": prefix, "parent": LEVEL_LABELS[parent_level]},
            code="code_prefix",
        )
