"""The drift version: stamped on every report's signature, so it lives below every stage."""
from __future__ import annotations

__version__ = "0.1.0"
