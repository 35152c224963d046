"""The indicators engine: computed roll-ups of the platform's activity.

``definitions`` names every computed indicator; ``sources`` says where each figure comes from;
``compute`` turns the source tables into facts for a set of months; ``refresh`` recomputes only
the months touched since the last run, ``rebuild`` everything; ``reads`` is what pages and the API
call (they read facts only, never the source tables).
"""
