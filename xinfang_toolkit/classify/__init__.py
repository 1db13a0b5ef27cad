"""Content classification: an editable taxonomy with evidence, a trainable text model, labels.

Public: :func:`classify`, :class:`Taxonomy`, :class:`TextClassifier`, :func:`load_labels`,
:func:`labelled_corpus` (the stand-in labelled set), :func:`handwritten_messages` (the
hand-written held-out set), :func:`read_labels` / :func:`save_labels` (the reviewed-labels file),
:func:`classify_resolution` (化解方式 with evidence, rules in ``data/resolution_rules.csv``).

Rooms: ``_classify`` (classify()), ``_taxonomy`` (the YAML taxonomy), ``_rules`` (its keyword
automaton), ``_model`` (TextClassifier) with ``_model_texts`` (the texts it reads),
``_model_file`` (its checked files), ``_calibration`` (softmax temperature), ``_evaluation``
(cross-validation) and ``_explain`` (evidence phrases); its n-grams are ``_base.ngrams``.
"""

from ._classify import CLASSIFY_COLUMNS, classify
from ._corpus import STANDIN_CLASSES, handwritten_messages, labelled_corpus
from ._evaluation import EvaluationResult
from ._labels import LABEL_COLUMNS, load_labels, read_labels, save_labels
from ._model import TextClassifier
from ._model_error import TextClassifierError
from ._resolution import (
    RESOLUTION_COLUMNS,
    ResolutionRules,
    classify_resolution,
    resolution_rules,
)
from ._taxonomy import CategoryClass, MatterRule, Taxonomy, TaxonomyError

__all__ = [
    "CLASSIFY_COLUMNS",
    "LABEL_COLUMNS",
    "CategoryClass",
    "EvaluationResult",
    "MatterRule",
    "RESOLUTION_COLUMNS",
    "ResolutionRules",
    "STANDIN_CLASSES",
    "Taxonomy",
    "TaxonomyError",
    "TextClassifier",
    "TextClassifierError",
    "classify",
    "classify_resolution",
    "handwritten_messages",
    "labelled_corpus",
    "load_labels",
    "read_labels",
    "resolution_rules",
    "save_labels",
]
