"""The response network's staff pages, one module per part: ``entities`` (the list of entities,
creating and editing them, territorial offices), ``staff`` (an entity's members and roles) and
``rules`` (routing rules, terms and non-working days, answer templates)."""
