"""The dossier workflow: what happens to a dossier between its submission and its payment.

``chain``: the dossier stages, one explicit ordered list (detect the operations, name a bulk
upload's beneficiary, check completeness, run the rules). ``processing``: process, reprocess and
recover dossiers, calling extraction's per-document services with arguments. ``tasks``: their
django-q2 entry points. ``notifications``: the e-mails the chain sends. ``admin_actions``:
« Retraiter » on the dossier and document admins. ``rules_run``: the rules on a dossier, with
its kWh cumac and premium. ``invoicing``: approval → invoice. ``receivers``: reactions to the
lower apps' signals, connected in ``DossiersConfig.ready()`` with the others.
"""
