"""The corpus generator's pool of issuers (``CorpusOptions(installers=N)``): an installer's
documents repeat one layout around each dossier's own facts, as learning from corrections needs."""
import itertools
import json
from random import Random

import pytest

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.issuers import StyleRandom
from extraction.corpus.reading import pdf_pages
from extraction.learning.fingerprint import layout_features, match_score, read_issuer, similarity

SEED = 1302  # a dev seed of the letters family


@pytest.fixture(scope="module")
def pool_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("pool")
    generate_corpus(root, CorpusOptions(dossiers=8, seed=SEED, family="letters", scanned_ratio=0.0, multi_doc_ratio=0.0,
                                        installers=3))
    return root


def _documents(root, doc_type):
    files = json.loads((root / "manifest.json").read_text())["files"]
    read = [(f, pdf_pages(root / f["file"])) for f in files if f["documents"][0]["type"] == doc_type]
    return [(f["installer"], set(layout_features(pages)), f["documents"][0], read_issuer(pages)) for f, pages in read]


@pytest.mark.parametrize("doc_type", ["devis", "facture", "attestation_honneur"])
def test_an_installer_repeats_its_layout_and_installers_differ(pool_corpus, doc_type):
    documents = _documents(pool_corpus, doc_type)
    pairs = list(itertools.combinations(documents, 2))
    same = [similarity(a[1], b[1]) for a, b in pairs if a[0] == b[0]]
    other = [similarity(a[1], b[1]) for a, b in pairs if a[0] != b[0]]
    assert same and other
    assert sum(same) / len(same) > sum(other) / len(other) + 0.15
    # the nearest layout is the installer's own, as learning matches them: an attestation follows
    # the official model, and two installers' may print it alike but for their SIRET
    for k, (installer, features, _, issuer) in enumerate(documents):
        if sum(d[0] == installer for d in documents) > 1:
            nearest = max((d for j, d in enumerate(documents) if j != k),
                          key=lambda d: match_score(features, issuer, d[1], d[3]))
            assert nearest[0] == installer


def test_the_documents_of_one_installer_carry_each_dossier_s_values(pool_corpus):
    devis = _documents(pool_corpus, "devis")
    busiest = max({d[0] for d in devis}, key=lambda installer: sum(d[0] == installer for d in devis))
    one_installer = [d for d in devis if d[0] == busiest]
    assert len(one_installer) >= 2
    first, second = one_installer[0][2], one_installer[1][2]
    assert first["template"] == second["template"]
    for name in ("numero_devis", "date_devis", "beneficiaire_nom", "montant_ttc"):
        assert first["fields"][name] != second["fields"][name], name
    assert first["fields"]["siret_installateur"] == second["fields"]["siret_installateur"]


def test_several_installers_issue_the_dossiers(pool_corpus):
    files = json.loads((pool_corpus / "manifest.json").read_text())["files"]
    assert len({f["installer"] for f in files}) == 3
    assert json.loads((pool_corpus / "manifest.json").read_text())["options"]["installers"] == 3


def test_the_default_corpus_names_no_installer(tmp_path):
    manifest = generate_corpus(tmp_path, CorpusOptions(dossiers=1, seed=SEED, scanned_ratio=0.0))
    assert "installers" not in manifest["options"]  # the manifests of earlier seeds stay byte-identical
    assert all("installer" not in f for f in manifest["files"])


def _draws(style: str, other_draws: int) -> tuple:
    rng = StyleRandom(style, Random(0))
    for _ in range(other_draws):  # another place of the template draws more for a longer document
        rng.random()
    return rng.choice("abcdefghij"), rng.randint(0, 10**6), rng.uniform(0, 1)


def test_a_style_draws_the_same_at_one_place_whatever_the_other_places_drew():
    assert _draws("installer|1|devis", 0) == _draws("installer|1|devis", 5)
    assert len({_draws(f"installer|{k}|devis", 0) for k in range(5)}) == 5


def test_shared_templates_repeat_a_layout_across_installers(tmp_path):
    """``CorpusOptions(templates=N)``: software sold to many companies, each document type in N
    layouts that any installer prints: documents of one template are nearer each other than
    those of two, whoever issued them."""
    manifest = generate_corpus(tmp_path, CorpusOptions(dossiers=8, seed=SEED, family="letters", scanned_ratio=0.0,
                                                       multi_doc_ratio=0.0, templates=2))
    assert manifest["options"]["templates"] == 2
    devis = [(f["templates"]["devis"], f["documents"][0]["fields"]["siret_installateur"],
              set(layout_features(pdf_pages(tmp_path / f["file"]))))
             for f in manifest["files"] if f["documents"][0]["type"] == "devis"]
    assert len({siret for _, siret, _ in devis}) == len(devis)  # every dossier its own installer
    pairs = list(itertools.combinations(devis, 2))
    same = [similarity(a[2], b[2]) for a, b in pairs if a[0] == b[0]]
    other = [similarity(a[2], b[2]) for a, b in pairs if a[0] != b[0]]
    assert same and other
    assert min(same) > max(other)
    with pytest.raises(ValueError):
        generate_corpus(tmp_path / "both", CorpusOptions(dossiers=1, seed=SEED, templates=2, installers=2))
