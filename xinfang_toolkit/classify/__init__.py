"""Content classification: an editable taxonomy with evidence, a trainable text model, labels.

Public: :func:`classify`, :class:`Taxonomy`, :class:`TextClassifier`, :func:`load_labels`,
:func:`labelled_corpus` (the stand-in evaluation set).
"""

from ._classify import CLASSIFY_COLUMNS, classify
from ._labels import LABEL_COLUMNS, load_labels, save_labels
from ._model import EvaluationResult, TextClassifier, TextClassifierError
from ._standin import STANDIN_CLASSES, labelled_corpus
from ._taxonomy import CategoryClass, MatterRule, Taxonomy, TaxonomyError

__all__ = [
    "CLASSIFY_COLUMNS",
    "LABEL_COLUMNS",
    "CategoryClass",
    "EvaluationResult",
    "MatterRule",
    "STANDIN_CLASSES",
    "Taxonomy",
    "TaxonomyError",
    "TextClassifier",
    "TextClassifierError",
    "classify",
    "labelled_corpus",
    "load_labels",
    "save_labels",
]
