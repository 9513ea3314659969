"""The learned ranking of a field's candidates (issue 13), next to the rule-based scores.

- ``features``: what describes one candidate among the others of its field (pure functions);
- ``training``: the validated documents' candidates, labelled by the validators' values, a
  scikit-learn classifier per field name, versioned, measured against the rule-based order on
  validated documents held out of its training (``ModelMetric``), used only when it chose better;
- ``apply``: the extract stage's ranker, the active versions loaded once per process.
"""

# How the ranking's figures are written in ModelMetric (engine), each version as ``v<n>``.
ENGINE = "classement appris"
BASELINE_ENGINE = "ordre des règles"
