"""Stage 6, reporting: the ``drift.report/1`` contract, its signature, and the views of it.

``Report`` and ``Signature`` are the data; ``views`` is the registry of formats
(text, json, jsonl, html), each rendered by a module of its own.
"""
