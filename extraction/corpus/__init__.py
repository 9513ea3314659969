"""A generator of realistic CEE dossiers with ground truth, and the tools to score the
classifier and the extractor against it (tests, ``bench/accuracy.py``)."""
from .generate import CorpusOptions, generate_corpus

__all__ = ["CorpusOptions", "generate_corpus"]
