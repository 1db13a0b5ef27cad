"""Content classification: an editable taxonomy with evidence, a trainable text model, labels.

Public: :func:`classify`, :class:`Taxonomy`, :class:`TextClassifier`, :func:`load_labels`,
:func:`labelled_corpus` (the stand-in labelled set), :func:`handwritten_messages` (the
hand-written held-out set), :func:`read_labels` / :func:`save_labels` (the reviewed-labels file).
"""

from ._classify import CLASSIFY_COLUMNS, classify
from ._corpus import STANDIN_CLASSES, handwritten_messages, labelled_corpus
from ._labels import LABEL_COLUMNS, load_labels, read_labels, save_labels
from ._model import EvaluationResult, TextClassifier, TextClassifierError
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
    "handwritten_messages",
    "labelled_corpus",
    "load_labels",
    "read_labels",
    "save_labels",
]
