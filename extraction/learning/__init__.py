"""Learning from validators' verdicts.

- ``fingerprint``: what identifies a document's layout (type, page shape, issuer, the template's
  words with their coarse positions) and how close two layouts are;
- ``spots``: where a value sits on a page (its box, the anchor text before or above it) and how
  to read the value at a learned spot on the next document of that layout;
- ``shapes``: the shapes of the values a spot was taught, which what is read there must fit;
- ``services``: a verdict (confirm, correct, mark wrong) teaches a layout where its field sits,
  and a correction teaches the label phrase written before the value;
- ``selectors``: the learned layouts and phrases the extract stage reads, once per run;
- ``apply``: the extract stage's one call, the learned spots read first;
- ``importing``: verdicts validated elsewhere, imported from a JSON-lines file.
"""
