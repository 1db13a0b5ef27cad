"""Content classification: an editable taxonomy with evidence, a trainable text model, labels.

Public: :func:`classify`, :class:`Taxonomy`, :class:`TextClassifier`, :func:`load_labels`.
"""

from ._classify import CLASSIFY_COLUMNS, classify
from ._labels import LABEL_COLUMNS, load_labels, save_labels
from ._model import EvaluationResult, TextClassifier, TextClassifierError
from ._taxonomy import CategoryClass, MatterRule, Taxonomy, TaxonomyError

__all__ = [
    "CLASSIFY_COLUMNS",
    "LABEL_COLUMNS",
    "CategoryClass",
    "EvaluationResult",
    "MatterRule",
    "Taxonomy",
    "TaxonomyError",
    "TextClassifier",
    "TextClassifierError",
    "classify",
    "load_labels",
    "save_labels",
]
