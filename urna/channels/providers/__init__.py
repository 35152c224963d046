"""One folder per provider Urna receives messages from (see ``urna/channels/README.md``)."""
