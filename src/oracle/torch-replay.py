"""Replays engine graphs in PyTorch (float64) for `propgrade verify-engine --oracle torch`.

Started once per run by src/oracle/torch.ts. Reads one graph per line on stdin, writes one result
per line on stdout, both JSON. A graph is its nodes in topological order: a leaf
{"op": "leaf", "shape", "data"} or an op {"op", "args": [{"node": i} | {"number": x}], "attrs"},
and the seed of backward, already filled to the root's size. Numbers JSON cannot hold travel as
strings: "nan", "inf", "-inf", "-0" (float() reads them back).

The answer: every node's value and shape, every leaf's gradient, and `undefined` where PyTorch's
own rule is implementation-defined (torch.max(x, dim) over a tie).
"""
import json
import math
import sys

import torch

torch.set_default_dtype(torch.float64)


def encode(values):
    out = []
    for v in values:
        if v != v:
            out.append("nan")
        elif v in (math.inf, -math.inf):
            out.append("inf" if v > 0 else "-inf")
        elif v == 0 and math.copysign(1.0, v) < 0:
            out.append("-0")
        else:
            out.append(v)
    return out


def tensor_of(shape, data):
    return torch.tensor([float(v) for v in data], dtype=torch.float64).reshape(shape)


def operand(x):
    """A number operand as the engine takes it: a constant the tensor broadcasts with."""
    return x if isinstance(x, torch.Tensor) else torch.tensor(x, dtype=torch.float64)


def max_op(x, dim, notes):
    """torch.max(x, dim): the gradient goes to the index it returns, which for a tie is implementation-defined."""
    if dim is None:
        return torch.max(x)  # the full max splits ties evenly (evenly_distribute_backward), NaNs win
    if x.dim() > 0:
        with torch.no_grad():
            top = torch.amax(x, dim, keepdim=True)
            winners = torch.where(torch.isnan(top), torch.isnan(x), x == top).sum(dim)
        if bool((winners > 1).any()):
            notes["undefined"] = "max(dim) over a tie: torch.max(x, dim) picks the index (implementation-defined)"
    return torch.max(x, dim).values


def clamp(x, attrs):
    lo, hi = attrs.get("min"), attrs.get("max")
    return torch.clamp(x, min=None if lo is None else float(lo), max=None if hi is None else float(hi))


def transpose(x):
    return x.t() if x.dim() == 2 else x


def reduce(fn):
    def apply(args, attrs, notes):
        dim = attrs.get("dim")
        return fn(args[0]) if dim is None else fn(args[0], dim)

    return apply


OPS = {
    "neg": lambda a, _, n: torch.neg(a[0]),
    "exp": lambda a, _, n: torch.exp(a[0]),
    "log": lambda a, _, n: torch.log(a[0]),
    "tanh": lambda a, _, n: torch.tanh(a[0]),
    "sigmoid": lambda a, _, n: torch.sigmoid(a[0]),
    "relu": lambda a, _, n: torch.relu(a[0]),
    "abs": lambda a, _, n: torch.abs(a[0]),
    "add": lambda a, _, n: torch.add(operand(a[0]), operand(a[1])),
    "sub": lambda a, _, n: torch.sub(operand(a[0]), operand(a[1])),
    "mul": lambda a, _, n: torch.mul(operand(a[0]), operand(a[1])),
    "div": lambda a, _, n: torch.div(operand(a[0]), operand(a[1])),
    "maximum": lambda a, _, n: torch.maximum(operand(a[0]), operand(a[1])),
    "minimum": lambda a, _, n: torch.minimum(operand(a[0]), operand(a[1])),
    "matmul": lambda a, _, n: torch.matmul(a[0], a[1]),
    "mv": lambda a, _, n: torch.mv(a[0], a[1]),
    "dot": lambda a, _, n: torch.dot(a[0], a[1]),
    "T": lambda a, _, n: transpose(a[0]),
    "diag": lambda a, _, n: torch.diag(a[0]),
    "sum": reduce(torch.sum),
    "prod": reduce(torch.prod),
    "mean": reduce(torch.mean),
    "max": lambda a, attrs, n: max_op(a[0], attrs.get("dim"), n),
    "softmax": lambda a, attrs, n: torch.softmax(a[0], attrs.get("dim", -1)),
    "pow": lambda a, attrs, n: torch.pow(a[0], float(attrs["k"])),
    "clamp": lambda a, attrs, n: clamp(a[0], attrs),
    "stack": lambda a, _, n: torch.stack(a),
    "at": lambda a, attrs, n: a[0][attrs["index"]],
    "reshape": lambda a, attrs, n: a[0].reshape(attrs["shape"]),
    "expand": lambda a, attrs, n: a[0].expand(attrs["shape"]),
}


def run(request):
    built, leaves, notes = [], [], {}
    for node in request["nodes"]:
        if node["op"] == "leaf":
            t = tensor_of(node["shape"], node["data"]).requires_grad_(True)
            leaves.append(t)
        else:
            args = [built[a["node"]] if "node" in a else float(a["number"]) for a in node["args"]]
            t = OPS[node["op"]](args, node.get("attrs") or {}, notes)
        built.append(t)
    root = built[-1]
    seed = tensor_of(list(root.shape), request["seed"])
    if root.requires_grad:
        root.backward(seed)
    return {
        "values": [encode(t.detach().reshape(-1).tolist()) for t in built],
        "shapes": [list(t.shape) for t in built],
        "grads": [encode((t.grad if t.grad is not None else torch.zeros_like(t)).reshape(-1).tolist()) for t in leaves],
        **notes,
    }


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__, "python": sys.executable}), flush=True)
    for line in sys.stdin:
        try:
            answer = run(json.loads(line))
        except Exception as error:  # PyTorch refused the graph: the caller reports it
            answer = {"error": f"{type(error).__name__}: {error}".splitlines()[0]}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
