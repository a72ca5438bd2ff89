"""The ways in: the MkDocs plugins, ``alliance generate`` and the command line.

Everything MkDocs-specific lives here; the rest of the package knows
nothing of it (an engine after MkDocs needs new adapters, not a new core).
"""
