"""Signals an exercise sends to the apps above it, which subscribe in their ``AppConfig.ready()``.

The exercises app sits below insights, open data and reports, so it never calls them: it says
what happened, and whoever cares (the reports app rebuilds the PDF) listens.
"""

from django.dispatch import Signal

# Sent with ``exercise=`` when what an exercise's published results show has changed: it moved
# to "results", or an analyst saved, published or withdrew its findings.
results_changed = Signal()
