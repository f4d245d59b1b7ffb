"""Stage 8, the persistent store: articles embedded once, grouped into stories, for ingestion jobs.

``Index`` is the public face; ``database`` holds every SQL statement, ``vectors``
the faiss file, ``sync`` keeps the two in step, ``matching`` finds a new
article's story.
"""
