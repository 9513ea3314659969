"""Demo data (``manage.py seed_demo``): accounts with known passwords, installer companies,
and dossiers in every status.

``accounts`` creates the demo companies and accounts (through the account services) and
removes demo dossiers; ``facts`` holds what demo dossiers are made of (French places and
names, products, the share of each status and fiche); ``plan`` draws the facts of one
dossier and derives every row from them; ``seeder`` inserts them batch by batch through the
bulk-load tools of ``dossiers.backoffice.bulk_load``.

Everything is reproducible: the random generator is seeded (``--seed``).
"""
