"""Stage 4, alignment: which sentences of one version say what sentences of another say.

``neighbours`` searches one run's sentence vectors, ``aligner`` pairs sentences
(mutual best match with a margin, 1:2 and 2:1 merges), ``pairing`` decides which
version pairs a run compares.
"""
