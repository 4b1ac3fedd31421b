"""Recueil core: load, validate, index and render the practice collection.

Plain Python with no MkDocs import, so that the collection outlives a change of site generator;
`hooks/recueil_hook.py` is the thin MkDocs adapter over it.
"""

from recueil.model import Collection, Practice, Problem, Recommendation

__all__ = ["Collection", "Practice", "Problem", "Recommendation"]
