"""``deh runbook``: a Society's go-live checklist, from its config and, when it can be read, its account.

:mod:`.model` holds the checklist's shape, :mod:`.build` makes it from the config (and an :class:`.model.Account`
of what is done), :mod:`.account` reads that from Twilio through the provider, and :mod:`.pages` writes it as
markdown or as a printable HTML page.
"""
