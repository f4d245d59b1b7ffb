"""int8 whose vectors depend on nothing but the sentence: per-token activation scales.

ONNX Runtime's dynamic quantization (``quantize_dynamic``) puts one
``DynamicQuantizeLinear`` before every weight MatMul. It takes a single scale over
the whole activation tensor, that is over every token of every sentence of the
padded batch: a sentence's vector then changes with the sentences it is batched
with (all 12 cosines of two seed versions moved when a third file joined the run,
issue 12). ``per_token`` rewrites each of them into a symmetric quantizer with one
scale per token (max |x| over the hidden axis / 127), so a token's int8 codes
depend on that token alone. Codes are stored as uint8 with zero point 128, so
``MatMulInteger`` keeps its u8 x s8 kernel.

The activation scale is then a tensor, not a scalar, and ORT's
``MatMulIntegerToFloat`` fusion assumes a scalar: fused, it gives wrong vectors
(cosine 0.70 to torch). So the activation scale is applied in a Mul of its own
after the weight scale, a shape the fusion does not match. ``tests/test_onnx_backend.py``
checks that full graph optimisation and none give the same vectors, in case a
future ORT fuses it after all.
"""
from __future__ import annotations

from typing import Any

#: Names of the constants the rewrite adds to the graph.
_PREFIX = "drift_per_token"


def per_token(model: Any) -> Any:
    """The ``quantize_dynamic`` output ``model`` (an onnx ModelProto) with per-token activation scales.

    Changes ``model`` in place and returns it; a ValueError when the graph does not have the
    shape ``quantize_dynamic`` gives (then the caller keeps the fp32 export).
    """
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    constants = {"c127": np.float32(127.0), "c128": np.float32(128.0), "eps": np.float32(1e-8),
                 "lo": np.float32(1.0), "hi": np.float32(255.0), "zp": np.uint8(128)}
    graph.initializer.extend(numpy_helper.from_array(np.array(v), f"{_PREFIX}_{k}") for k, v in constants.items())

    def c(name: str) -> str:
        return f"{_PREFIX}_{name}"

    nodes: list[Any] = []
    scales: set[str] = set()
    for node in graph.node:
        if node.op_type != "DynamicQuantizeLinear":
            nodes.append(node)
            continue
        (x,), (codes, scale, zero) = node.input, node.output
        p = f"{node.name}_per_token"
        scales.add(scale)
        nodes += [
            helper.make_node("Abs", [x], [f"{p}_abs"], name=f"{p}_abs"),
            helper.make_node("ReduceMax", [f"{p}_abs"], [f"{p}_amax"], name=f"{p}_amax", axes=[-1], keepdims=1),
            helper.make_node("Max", [f"{p}_amax", c("eps")], [f"{p}_amax_eps"], name=f"{p}_amax_eps"),
            helper.make_node("Div", [f"{p}_amax_eps", c("c127")], [scale], name=f"{p}_scale"),
            helper.make_node("Div", [x, scale], [f"{p}_scaled"], name=f"{p}_scaled"),
            helper.make_node("Round", [f"{p}_scaled"], [f"{p}_round"], name=f"{p}_round"),
            helper.make_node("Add", [f"{p}_round", c("c128")], [f"{p}_shift"], name=f"{p}_shift"),
            helper.make_node("Clip", [f"{p}_shift", c("lo"), c("hi")], [f"{p}_clip"], name=f"{p}_clip"),
            helper.make_node("Cast", [f"{p}_clip"], [codes], name=f"{p}_cast", to=TensorProto.UINT8),
            helper.make_node("Identity", [c("zp")], [zero], name=f"{p}_zero"),
        ]
    if not scales:
        raise ValueError("no DynamicQuantizeLinear node: not a dynamically quantized graph")
    _unfuse(nodes, scales)
    del graph.node[:]
    graph.node.extend(nodes)
    return model


def _unfuse(nodes: list[Any], scales: set[str]) -> None:
    """Move each activation scale out of its ``a_scale * w_scale`` product, after the product with the
    integer MatMul's output: ``(y * w_scale) * a_scale`` instead of ``y * (a_scale * w_scale)``."""
    from onnx import helper

    consumers: dict[str, list[Any]] = {}
    for node in nodes:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    after: list[tuple[Any, Any]] = []
    for node in nodes:
        if node.op_type != "Mul" or not scales & set(node.input):
            continue
        if len(node.input) != 2 or len(consumers.get(node.output[0], [])) != 1:
            raise ValueError(f"{node.name}: unexpected scale product in the quantized graph")
        a_scale = next(i for i in node.input if i in scales)
        w_scale = next(i for i in node.input if i != a_scale)
        (final,) = consumers[node.output[0]]
        if final.op_type != "Mul":
            raise ValueError(f"{final.name}: the scale product feeds a {final.op_type}, not a Mul")
        y = final.output[0]
        final.output[0] = f"{y}_before_activation_scale"
        after.append((final, helper.make_node("Mul", [final.output[0], a_scale], [y], name=f"{final.name}_a_scale")))
        node.op_type = "Identity"
        del node.input[:]
        node.input.append(w_scale)
    for final, new in after:
        nodes.insert(nodes.index(final) + 1, new)
