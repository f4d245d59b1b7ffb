"""Stage 3, embedding: normalized sentence vectors and per-word vectors from one forward pass.

``encoder`` holds the ``Encoder`` protocol every later stage relies on; ``batching``
what all backends share; ``torch_backend`` and ``onnx_backend`` run the model;
``stored`` serves an index's stored vectors; ``model`` resolves a model name and
its fingerprint; ``load`` picks a backend. Nothing here imports torch until a
model runs.
"""
