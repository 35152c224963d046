"""Held-out corpora for theme discovery (issue #14).

Generators written without looking at the theme pipeline, with vocabulary, topics and campaign
style unlike ``bench/gen_corpus.py``'s, so that quality figures measured on them say how the
pipeline does on text it was not tuned to. Every generator returns rows with the columns in
``COLUMNS`` and is deterministic for a given seed. ``bench/themes_quality.py`` scores the
pipeline on them.
"""

COLUMNS = ["id", "text", "topic", "campaign_id", "department_code", "created_at"]
