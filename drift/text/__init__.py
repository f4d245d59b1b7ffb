"""Stage 2, text: sentences with offsets, boilerplate marks and languages of each article.

``sentences`` splits news copy, ``language`` detects languages (``und`` when it
cannot tell), ``prepare`` applies both to an Article and marks its furniture.
"""
