"""The validators' review studio: the queue and the review screen of one dossier.

Reads are split by concern — ``queue`` (which dossiers, in which order, filtered how),
``screen`` (everything the screen of one dossier shows), ``completeness`` (the documents
each operation requires), ``approval`` (what blocks an approval), ``matrix`` (the
consistency matrix), ``flags`` and ``history`` (the screen's fraud signals and history
tab), ``values`` (values as a French reader writes them), ``dashboard`` (the figures of the
admin index). Writes (claim, release, decide, notify) are in ``services``.
"""
