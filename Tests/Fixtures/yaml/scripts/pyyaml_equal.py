"""Usage: pyyaml_equal.py A B — loads both YAML streams with PyYAML (C loader when available)
and prints EQUAL when they hold the same data, else the first difference. Unknown tags load as
plain data so application tags do not stop the comparison."""
import math, sys, yaml

Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

class Loader(Base):
    pass

def unknown(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)

Loader.add_multi_constructor("!", unknown)

def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) == type(b) and a == b

def load(path):
    with open(path, "rb") as f:
        return list(yaml.load_all(f, Loader=Loader))

a, b = load(sys.argv[1]), load(sys.argv[2])
# PyYAML drops empty documents only at the end; compare documents that hold data.
a = [d for d in a if d is not None]
b = [d for d in b if d is not None]
print("EQUAL" if same(a, b) else f"DIFFERENT\n{a!r}\n{b!r}")
