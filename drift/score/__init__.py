"""Stage 5, scoring: how far each aligned pair drifted, which words carry it, and what kind it is.

``evidence`` reads both sides as text (names, numbers, negation, hedges, quotes,
attribution); ``scorer`` combines that with the sentence and word vectors into a
calibrated ``Drift``.
"""
