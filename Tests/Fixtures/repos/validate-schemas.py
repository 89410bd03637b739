#!/usr/bin/env python3
"""Build every kustomization of a GitOps repository and check each object against CRD schemas.

Usage: validate-schemas.py --crds DIR [--crds DIR ...] REPO_ROOT[:CLUSTER_PATH] ...

CLUSTER_PATH is the directory Flux syncs first (`clusters/production`,
`kubernetes/flux/cluster`); without it, the Flux Kustomizations found in the repository's
kustomization directories are the starting points.

For each repository root:
  1. Every directory holding a kustomization.yaml is built with `kubectl kustomize`; so is the
     `spec.path` of every Flux Kustomization whose source is the GitRepository flux-system,
     following them from the cluster entry points, the way kustomize-controller builds it
     (kustomization file generated when missing; targetNamespace, namePrefix/nameSuffix,
     patches, components and images of the Flux spec layered on).
  2. Variables are collected the way Flux would see them: postBuild.substitute of every Flux
     Kustomization, and the ConfigMaps/Secrets named in substituteFrom when the repository
     defines them (SOPS-encrypted Secrets are decrypted with the real `sops`, so
     SOPS_AGE_KEY_FILE must point at the key). The built output of each Flux Kustomization path
     with postBuild is substituted (`${VAR}`, `${VAR:=default}` and the `$${` escape); a
     variable left without a value is a problem (kustomize-controller runs in strict mode).
  3. Every object needs apiVersion, kind and metadata.name; objects whose group/version/kind
     has a CRD (from --crds directories or from the repository's own built CRDs) are checked
     against its openAPIV3Schema: types, required fields, enums, patterns, lengths, bounds,
     item counts and unknown fields (as a structural schema prunes them). A kind whose group
     has CRDs but not that version is a problem (an API version the server does not serve).

Prints one line per problem and exits 1 when there is any; a summary goes to stderr.
This is a test tool: it is deliberately small, not a general OpenAPI validator (no CEL rules,
no formats, only the simplest CEL rules).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
FLUX_KS = ("kustomize.toolkit.fluxcd.io", "Kustomization")


def load_all(text, where):
    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as err:
        raise SystemExit(f"{where}: not YAML: {err}")


def group_version(api_version):
    if "/" in api_version:
        g, v = api_version.split("/", 1)
        return g, v
    return "", api_version


def object_id(obj):
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    name = meta.get("name", "?")
    return f"{obj.get('kind', '?')}/{ns + '/' if ns else ''}{name}"


# --- schemas ---------------------------------------------------------------------------

def crd_schemas(docs):
    """(group, version, kind) -> openAPIV3Schema for every CRD in docs."""
    out = {}
    for d in docs:
        if d.get("kind") != "CustomResourceDefinition":
            continue
        spec = d.get("spec") or {}
        group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
        for v in spec.get("versions") or []:
            schema = ((v.get("schema") or {}).get("openAPIV3Schema"))
            if schema and v.get("served", True):
                out[(group, v["name"], kind)] = schema
    return out


def type_ok(value, t):
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    if t == "string":
        return isinstance(value, str)
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "boolean":
        return isinstance(value, bool)
    return True


def validate(value, schema, path, problems):
    if value is None:
        if schema.get("nullable"):
            return
        problems.append(f"{path}: null is not allowed")
        return
    for key in ("anyOf", "oneOf"):
        if key in schema and not schema.get("x-kubernetes-int-or-string"):
            if not any(not branch_problems(value, b, path) for b in schema[key]):
                problems.append(f"{path}: matches none of the {key} alternatives")
    int_or_string = schema.get("x-kubernetes-int-or-string")
    if int_or_string:
        if not (type_ok(value, "integer") or isinstance(value, str)):
            problems.append(f"{path}: must be an integer or a string, got {type(value).__name__}")
            return
    elif "type" in schema and not type_ok(value, schema["type"]):
        problems.append(f"{path}: must be {schema['type']}, got {type(value).__name__} {value!r}")
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if "minLength" in schema and len(value) < schema["minLength"]:
            problems.append(f"{path}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{path}: longer than {schema['maxLength']}")
    if type_ok(value, "number"):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{path}: {value} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{path}: {value} is above the maximum {schema['maximum']}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problems.append(f"{path}: more than {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                validate(item, schema["items"], f"{path}[{i}]", problems)
    if isinstance(value, dict):
        for check in schema.get("x-kubernetes-validations") or []:
            if cel_rule_holds(check["rule"], value) is False:
                problems.append(f"{path or '.'}: {check.get('message') or check['rule']}")
        for req in schema.get("required") or []:
            if req not in value:
                problems.append(f"{path}: missing required field {req!r}")
        props = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        preserve = schema.get("x-kubernetes-preserve-unknown-fields")
        for key, sub in value.items():
            sub_path = f"{path}.{key}" if path else str(key)
            if key in props:
                validate(sub, props[key], sub_path, problems)
            elif isinstance(extra, dict):
                validate(sub, extra, sub_path, problems)
            elif extra is True or preserve or (not props and schema.get("type") == "object" and extra is None and not schema.get("required")):
                # An object schema without properties (metadata, free-form values) keeps anything.
                continue
            else:
                problems.append(f"{sub_path}: unknown field")


def cel_rule_holds(rule, value):
    """Evaluates the small subset of CEL the Flux and Capsule CRDs use in simple rules:
    has(self.a.b), self.a == 'x', !=, &&, ||, !. Returns None for anything else (not checked)."""
    if re.search(r"[?\[\]]|\.size\(|matches|exists|all\(|\bint\(|duration", rule):
        return None

    def lookup(obj, names):
        for name in names:
            if not isinstance(obj, dict) or name not in obj:
                return None, False
            obj = obj[name]
        return obj, True

    expr = re.sub(r"has\(self((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\)",
                  lambda m: f"_has(self, {m.group(1)[1:].split('.')!r})", rule)
    expr = re.sub(r"\bself((?:\.[A-Za-z_][A-Za-z0-9_]*)+)",
                  lambda m: f"_get(self, {m.group(1)[1:].split('.')!r})", expr)
    expr = re.sub(r"!(?!=)", " not ", expr.replace("&&", " and ").replace("||", " or "))
    try:
        return bool(eval(expr, {"__builtins__": {}},
                         {"self": value, "_has": lambda o, n: lookup(o, n)[1],
                          "_get": lambda o, n: lookup(o, n)[0]}))
    except Exception:
        return None


def branch_problems(value, schema, path):
    found = []
    validate(value, schema, path, found)
    return found


# --- building --------------------------------------------------------------------------

def kustomize_build(directory):
    run = subprocess.run(["kubectl", "kustomize", directory], capture_output=True, text=True)
    if run.returncode != 0:
        return None, run.stderr.strip()
    return load_all(run.stdout, directory), None


def generated_resources(directory):
    """The resource list kustomize-controller generates for a directory without a
    kustomization file (spec §8.2): every YAML file, recursively, and sub-directories that
    have their own kustomization as directories."""
    resources = []
    for base, dirs, files in os.walk(directory):
        dirs.sort()
        rel = os.path.relpath(base, directory)
        if rel != "." and any(f in files for f in KUSTOMIZATION_FILES):
            resources.append("./" + rel)
            dirs[:] = []
            continue
        resources += ["./" + os.path.normpath(os.path.join(rel, f)) for f in sorted(files)
                      if f.endswith((".yaml", ".yml"))]
    return resources


def flux_build(root, ks):
    """Builds a Flux Kustomization's path as kustomize-controller does: in a scratch copy of
    the repository, the kustomization file (found or generated) gets the Flux spec layered on
    (targetNamespace, namePrefix/nameSuffix, patches, components, images), then kustomize runs."""
    spec = ks.get("spec") or {}
    path = os.path.normpath(spec.get("path", "./"))
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "repo")
        shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        directory = os.path.join(copy, path)
        if not os.path.isdir(directory):
            return None, f"path {spec.get('path')} does not exist"
        existing = next((f for f in KUSTOMIZATION_FILES if os.path.isfile(os.path.join(directory, f))), None)
        if existing:
            with open(os.path.join(directory, existing)) as fh:
                doc = yaml.safe_load(fh) or {}
            os.remove(os.path.join(directory, existing))
        else:
            doc = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                   "resources": generated_resources(directory)}
        if spec.get("targetNamespace"):
            doc["namespace"] = spec["targetNamespace"]
        for field in ("namePrefix", "nameSuffix"):
            if spec.get(field):
                doc[field] = spec[field]
        for field in ("patches", "components", "images"):
            if spec.get(field):
                doc[field] = (doc.get(field) or []) + spec[field]
        with open(os.path.join(directory, "kustomization.yaml"), "w") as out:
            yaml.safe_dump(doc, out)
        return kustomize_build(directory)


def kustomization_dirs(root):
    found = []
    for base, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in KUSTOMIZATION_FILES:
            if f in files:
                with open(os.path.join(base, f)) as fh:
                    doc = yaml.safe_load(fh) or {}
                # A Component is only built as part of a kustomization that lists it.
                if doc.get("kind") != "Component":
                    found.append(base)
                break
    return found


# --- substitution ----------------------------------------------------------------------

VAR = re.compile(r"\$\{([_A-Za-z][_A-Za-z0-9]*)(?:(:?[=-])([^}]*))?\}")


def substitute(text, variables, unresolved):
    def repl(m):
        name, op, default = m.group(1), m.group(2), m.group(3)
        value = variables.get(name, "")
        if value:
            return value
        if op:
            return default
        if name not in variables:
            unresolved.add(name)
        return value
    escaped = text.replace("$${", "\0ESCAPED{")
    return VAR.sub(repl, escaped).replace("\0ESCAPED{", "${")


def decrypt(path):
    run = subprocess.run(["sops", "decrypt", path], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{path}: sops decrypt failed: {run.stderr.strip()}")
    return load_all(run.stdout, path)


def secret_values(secret):
    import base64
    values = dict((secret.get("stringData") or {}))
    for k, v in (secret.get("data") or {}).items():
        values[k] = base64.b64decode(v).decode()
    return values


# --- main ------------------------------------------------------------------------------

def is_flux_ks(o):
    return (group_version(o.get("apiVersion", ""))[0], o.get("kind")) == FLUX_KS


def check_repo(root, entry, schemas, problems):
    root = os.path.abspath(root)
    dir_builds = {}
    for d in kustomization_dirs(root):
        docs, err = kustomize_build(d)
        rel = os.path.relpath(d, root)
        if err:
            problems.append(f"{rel}: kubectl kustomize failed: {err}")
        else:
            dir_builds[rel] = docs

    # Follow Flux Kustomizations whose path is in this repository, starting from those the
    # plain kustomization directories hold (the cluster entry points), breadth first.
    if entry:
        # The sync Kustomization Flux (or the Flux Operator) creates for the cluster path.
        pending = [{"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
                    "metadata": {"name": "flux-system", "namespace": "flux-system"},
                    "spec": {"path": entry, "prune": True, "interval": "10m",
                             "sourceRef": {"kind": "GitRepository", "name": "flux-system"}}}]
    else:
        pending = [o for docs in dir_builds.values() for o in docs if is_flux_ks(o)]
    ks_builds = {}
    seen = set()
    while pending:
        ks = pending.pop(0)
        key = object_id(ks)
        path = os.path.normpath((ks.get("spec") or {}).get("path", "./"))
        source = (ks.get("spec") or {}).get("sourceRef") or {}
        # Only the repository's own source (the bootstrap GitRepository) is built; other
        # sources (a tenant's apps repository) are external.
        if key in seen or (source.get("kind"), source.get("name")) != ("GitRepository", "flux-system"):
            continue
        seen.add(key)
        docs, err = flux_build(root, ks)
        if err:
            problems.append(f"{path}: build of {key} failed: {err}")
            continue
        ks_builds[key] = (ks, path, docs)
        pending += [o for o in docs if is_flux_ks(o)]

    all_docs = [o for docs in dir_builds.values() for o in docs]
    all_docs += [o for (_, _, docs) in ks_builds.values() for o in docs]
    schemas = dict(schemas)
    schemas.update(crd_schemas(all_docs))

    # Variable sources found in the repository, by (kind, namespace, name).
    sources = {}
    for o in all_docs:
        if o.get("kind") in ("ConfigMap", "Secret"):
            meta = o.get("metadata") or {}
            sources[(o["kind"], meta.get("namespace"), meta.get("name"))] = o

    checked = []
    for key, (ks, path, docs) in sorted(ks_builds.items()):
        post = (ks.get("spec") or {}).get("postBuild")
        if post:
            docs = substituted(root, ks, post, docs, sources, problems)
        checked.append((f"{path} ({key})", docs))
    flux_paths = {path for (_, path, _) in ks_builds.values()}
    for rel, docs in sorted(dir_builds.items()):
        # Directories inside a Flux Kustomization's path were checked as part of its build,
        # with its layering and variables.
        if not any(p == "." or rel == p or rel.startswith(p + os.sep) for p in flux_paths):
            checked.append((rel, docs))

    counts = {"validated": 0, "skipped": set()}
    for where, docs in checked:
        for o in docs:
            check_object(where, o, schemas, problems, counts)
    print(f"{root}: {len(dir_builds)} kustomization directories, {len(ks_builds)} Flux Kustomizations, "
          f"{counts['validated']} objects validated against CRD schemas; "
          f"kinds without a schema here: {', '.join(sorted(counts['skipped'])) or 'none'}", file=sys.stderr)


def substituted(root, ks, post, docs, sources, problems):
    namespace = (ks.get("metadata") or {}).get("namespace")
    variables = {}
    for ref in post.get("substituteFrom") or []:
        src = sources.get((ref["kind"], namespace, ref["name"]))
        if src is None:
            if not ref.get("optional"):
                problems.append(f"{object_id(ks)}: substituteFrom {ref['kind']}/{ref['name']} is not in the repository")
            continue
        if "sops" in src:
            src = next(decrypt_source(root, src))
        values = (src.get("data") or {}) if ref["kind"] == "ConfigMap" else secret_values(src)
        variables.update({k: str(v).replace("\n", "") for k, v in values.items()})
    variables.update({k: str(v) for k, v in (post.get("substitute") or {}).items()})
    unresolved = set()
    out = []
    for o in docs:
        meta = o.get("metadata") or {}
        switches = ((meta.get("labels") or {}).get("kustomize.toolkit.fluxcd.io/substitute"),
                    (meta.get("annotations") or {}).get("kustomize.toolkit.fluxcd.io/substitute"))
        if "disabled" in switches:
            out.append(o)
            continue
        out += load_all(substitute(yaml.safe_dump(o), variables, unresolved), object_id(o))
    for name in sorted(unresolved):
        problems.append(f"{object_id(ks)}: variable {name} has no value")
    return out


def decrypt_source(root, src):
    """Finds the repository file holding an encrypted source object and decrypts it."""
    meta = src.get("metadata") or {}
    for base, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if not f.endswith((".yaml", ".yml")):
                continue
            p = os.path.join(base, f)
            with open(p) as fh:
                text = fh.read()
            if "sops:" not in text or f"name: {meta.get('name')}" not in text:
                continue
            for d in decrypt(p):
                if (d.get("metadata") or {}).get("name") == meta.get("name"):
                    yield d
                    return
    raise SystemExit(f"cannot find the file of encrypted {object_id(src)}")


def check_object(rel, o, schemas, problems, counts):
    where = f"{rel}: {object_id(o)}"
    for field in ("apiVersion", "kind"):
        if not o.get(field):
            problems.append(f"{where}: missing {field}")
            return
    if not (o.get("metadata") or {}).get("name"):
        problems.append(f"{where}: missing metadata.name")
    group, version = group_version(o["apiVersion"])
    schema = schemas.get((group, version, o["kind"]))
    if schema is None:
        if any(g == group and k == o["kind"] for (g, _, k) in schemas):
            problems.append(f"{where}: {o['apiVersion']} is not a served version of {o['kind']}")
        else:
            counts["skipped"].add(f"{o['kind']}.{group or 'core'}")
        return
    found = []
    body = {k: v for k, v in o.items() if k != "sops"}  # SOPS metadata is removed before apply
    validate(body, schema, "", found)
    problems.extend(f"{where}: {p}" for p in found)
    counts["validated"] += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crds", action="append", default=[], help="directory of CRD manifests")
    parser.add_argument("roots", nargs="+")
    args = parser.parse_args()
    schemas = {}
    for d in args.crds:
        for f in sorted(os.listdir(d)):
            if f.endswith((".yaml", ".yml")):
                with open(os.path.join(d, f)) as fh:
                    schemas.update(crd_schemas(load_all(fh.read(), f)))
    problems = []
    for arg in args.roots:
        root, _, entry = arg.partition(":")
        check_repo(root, entry or None, schemas, problems)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
