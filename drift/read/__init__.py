"""Stage 1, reading: files, directories and stdin to Articles, whatever the format.

``files`` reads paths and stdin; ``decode`` turns bytes into the exact text;
``formats`` finds the format from the content; ``json_input``, ``wire`` (NITF,
NewsML-G2), ``webpage`` (HTML) and ``markup`` read the structured formats;
``titles`` finds a plain text's headline; ``boilerplate`` recognises site
furniture so later stages can leave it out.
"""
