"""The one error of the text classifier: unusable training data or model file."""

from __future__ import annotations

__all__ = ["TextClassifierError"]


class TextClassifierError(ValueError):
    """Unusable training data or model file; the message is in Chinese, then English."""
