"""The dossier workflow: what happens to a dossier between its submission and its review.

``chain``: the dossier stages, one explicit ordered list (detect the operations, name a bulk
upload's beneficiary, check completeness, run the rules). ``processing``: process, reprocess and
recover dossiers, calling extraction's per-document processing with arguments. ``tasks``: their
django-q2 entry points. ``notifications``: the e-mails the chain sends. ``admin_actions``:
« Retraiter » on the dossier and document admins. ``receivers``: the reactions to the lower apps'
signals, connected in ``DossiersConfig.ready()``.
"""
