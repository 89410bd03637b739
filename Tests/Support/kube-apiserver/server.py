#!/usr/bin/env python3
"""A strict loopback Kubernetes API server for gitopsctl's tests.

Usage: server.py OUTDIR [--preload-crds DIR] [--client-auth required|optional]
                        [--extra-groups N] [--bookmark-interval SECONDS] [--fault JSON]...

Writes OUTDIR/kubeconfig (admin, system:masters, EC key), OUTDIR/kubeconfig-{rsa,pkcs8,viewer},
the CA and client certificate/key files, and OUTDIR/other-ca.pem (a CA that signed nothing here),
then prints "READY <port>" and serves until stdin reaches EOF.

It follows the API conventions a client relies on, and is stricter than a real server where the
real one is lenient in ways a client should not depend on. See README.md beside this file.
"""
import base64
import copy
import datetime
import functools
import ipaddress
import json
import math
import os
import re
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import uuid

# A Process started from a Swift worker thread inherits a blocked signal mask (swift-corelibs-foundation
# issue 4772); unblock so SIGTERM from the test still ends us.
signal.pthread_sigmask(signal.SIG_SETMASK, set())

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                 "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
             "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
             "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2"
PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Errors


class ApiError(Exception):
    def __init__(self, code, reason, message, details=None, headers=None):
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message
        self.details, self.headers = details, headers or {}

    def status(self):
        s = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
             "message": self.message, "reason": self.reason, "code": self.code}
        if self.details is not None:
            s["details"] = self.details
        return s


def details_for(res, name=None):
    d = {"kind": res.plural}
    if name:
        d = {"name": name, **d}
    if res.group:
        d["group"] = res.group
    return d


def not_found(res, name):
    return ApiError(404, "NotFound", f'{res.qualified} "{name}" not found', details_for(res, name))


def invalid(kind, name, causes, res=None):
    text = ", ".join(f"{c['field']}: {c['message']}" for c in causes)
    if len(causes) > 1:
        text = "[" + text + "]"
    d = {"name": name, "kind": kind, "causes": causes}
    if res is not None and res.group:
        d["group"] = res.group
    return ApiError(422, "Invalid", f'{kind} "{name}" is invalid: {text}', d)


def bad_request(message):
    return ApiError(400, "BadRequest", message)


# ---------------------------------------------------------------------------------------------
# Resource types


class Resource:
    def __init__(self, group, versions, plural, kind, namespaced, short=(), status=False,
                 generation=True, schema=None, categories=(), singular=None, warnings=None):
        self.group, self.versions, self.plural, self.kind = group, list(versions), plural, kind
        self.namespaced, self.short, self.has_status = namespaced, list(short), status
        self.has_generation, self.schemas = generation, schema or {}
        self.categories, self.singular = list(categories), singular or kind.lower()
        self.crd = schema is not None
        # version -> the warning texts every request for that version gets (deprecation)
        self.warnings = warnings or {}

    @property
    def qualified(self):
        return self.plural + ("." + self.group if self.group else "")

    def api_version(self, version):
        return f"{self.group}/{version}" if self.group else version

    def verbs(self):
        return ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def builtin_resources():
    r = [
        Resource("", ["v1"], "namespaces", "Namespace", False, ["ns"], status=True, generation=False),
        Resource("", ["v1"], "configmaps", "ConfigMap", True, ["cm"], generation=False),
        Resource("", ["v1"], "secrets", "Secret", True, generation=False),
        Resource("", ["v1"], "serviceaccounts", "ServiceAccount", True, ["sa"], generation=False),
        Resource("", ["v1"], "services", "Service", True, ["svc"], status=True, generation=False),
        Resource("", ["v1"], "pods", "Pod", True, ["po"], status=True, generation=False),
        Resource("", ["v1"], "resourcequotas", "ResourceQuota", True, ["quota"], status=True, generation=False),
        Resource("", ["v1"], "limitranges", "LimitRange", True, ["limits"], generation=False),
        Resource("", ["v1"], "events", "Event", True, ["ev"], generation=False),
        Resource("apps", ["v1"], "deployments", "Deployment", True, ["deploy"], status=True),
        Resource("apps", ["v1"], "statefulsets", "StatefulSet", True, ["sts"], status=True),
        Resource("apps", ["v1"], "daemonsets", "DaemonSet", True, ["ds"], status=True),
        Resource("rbac.authorization.k8s.io", ["v1"], "roles", "Role", True, generation=False),
        Resource("rbac.authorization.k8s.io", ["v1"], "rolebindings", "RoleBinding", True, generation=False),
        Resource("rbac.authorization.k8s.io", ["v1"], "clusterroles", "ClusterRole", False, generation=False),
        Resource("rbac.authorization.k8s.io", ["v1"], "clusterrolebindings", "ClusterRoleBinding", False,
                 generation=False),
        Resource("networking.k8s.io", ["v1"], "networkpolicies", "NetworkPolicy", True, ["netpol"]),
        Resource("apiextensions.k8s.io", ["v1"], "customresourcedefinitions", "CustomResourceDefinition",
                 False, ["crd", "crds"], status=True),
    ]
    return r


# ---------------------------------------------------------------------------------------------
# Warnings (RFC 7234 `Warning: 299 - "text"` headers, as k8s.io/apiserver's recorder writes them)


def compare_kube_versions(a, b):
    """CompareKubeAwareVersionStrings (apimachinery/pkg/version): GA over beta over alpha, then
    major, then minor; versions that are not kube-like sort below, in reverse string order."""
    def parse(v):
        m = re.match(r"^v(\d+)(?:(alpha|beta)(\d+))?$", v)
        return m and ({"alpha": 0, "beta": 1, None: 2}[m.group(2)], int(m.group(1)), int(m.group(3) or 0))
    if a == b:
        return 0
    pa, pb = parse(a), parse(b)
    if not pa and not pb:
        return (b > a) - (b < a)
    if not pa or not pb:
        return -1 if not pa else 1
    return (pa > pb) - (pa < pb)


def default_deprecation_warning(spec, version):
    """apiextensions-apiserver's wording when a deprecated version has no deprecationWarning."""
    group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
    text = f"{group}/{version} {kind} is deprecated"
    newer = [v["name"] for v in spec.get("versions", [])
             if v.get("served", True) and not v.get("deprecated") and compare_kube_versions(version, v["name"]) < 0]
    if newer:
        text += f"; use {group}/{max(newer, key=functools.cmp_to_key(compare_kube_versions))} {kind}"
    return text


def crd_warnings(spec):
    out = {}
    for v in spec.get("versions", []):
        if v.get("served", True) and v.get("deprecated"):
            text = v.get("deprecationWarning")
            out[v["name"]] = [text if text is not None else default_deprecation_warning(spec, v["name"])]
    return out


def warning_header(text):
    """`299 - "text"` with `"` and `\\` escaped, as apimachinery's NewWarningHeader writes it."""
    return '299 - "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def validate_crd_versions(crd):
    """apiextensions validation of spec.versions[*].deprecationWarning (validateDeprecationWarning)."""
    causes = []
    for i, v in enumerate((crd.get("spec") or {}).get("versions") or []):
        if not isinstance(v, dict) or "deprecationWarning" not in v:
            continue
        text, path = v["deprecationWarning"], f"spec.versions[{i}].deprecationWarning"
        if not isinstance(text, str):
            raise bad_request(f"json: cannot unmarshal {type_name(text)} into Go struct field "
                              f"CustomResourceDefinitionVersion.spec.versions.deprecationWarning of type string")
        problems = []
        if not v.get("deprecated"):
            problems = ["can only be set for deprecated versions"]
        else:
            if len(text.encode()) > 256:
                problems.append("must be <= 256 characters long")
            if not text:
                problems.append("must not be an empty string")
            for index, c in enumerate(text):
                # Go tests unicode.IsPrint first, so a control character is reported as non-printable.
                if not c.isprintable():
                    problems.append("must only contain printable UTF-8 characters; non-printable character "
                                    f"found at index {len(text[:index].encode())}")
                    break
        for problem in problems:
            causes.append({"reason": "FieldValueInvalid", "message": f"Invalid value: {json.dumps(text)}: {problem}",
                           "field": path})
    if causes:
        name = (crd.get("metadata") or {}).get("name", "")
        text = ", ".join(f"{c['field']}: {c['message']}" for c in causes)
        if len(causes) > 1:
            text = "[" + text + "]"
        raise ApiError(422, "Invalid", f'CustomResourceDefinition.apiextensions.k8s.io "{name}" is invalid: {text}',
                       {"name": name, "group": "apiextensions.k8s.io", "kind": "CustomResourceDefinition",
                        "causes": causes})


# Keys that make a list associative (merged per element) for built-in kinds, as the OpenAPI
# x-kubernetes-list-map-keys of the real types declare them; any other list is atomic.
LIST_MAP_KEYS = {"containers": "name", "initContainers": "name", "env": "name", "volumes": "name",
                 "volumeMounts": "mountPath", "conditions": "type", "imagePullSecrets": "name"}


# ---------------------------------------------------------------------------------------------
# Structured merge: field sets, apply, conflicts


def field_paths(obj, prefix=()):
    """Leaf paths of an applied configuration, in the shape managedFields records them."""
    out = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = prefix + ("f:" + k,)
            if isinstance(v, dict) and v:
                out.add(p + (".",))
                out |= field_paths(v, p)
            elif isinstance(v, list) and v and k in LIST_MAP_KEYS and all(isinstance(e, dict) for e in v):
                key = LIST_MAP_KEYS[k]
                for e in v:
                    ep = p + ("k:" + json.dumps({key: e.get(key)}, separators=(",", ":")),)
                    out.add(ep + (".",))
                    out |= field_paths(e, ep)
            else:
                out.add(p)
    return out


def tracked(obj, subresource):
    """The part of an object whose fields are owned: never identity or server-set metadata."""
    obj = copy.deepcopy(obj)
    obj.pop("apiVersion", None)
    obj.pop("kind", None)
    md = obj.get("metadata") or {}
    for k in ("name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
              "managedFields", "deletionTimestamp", "selfLink"):
        md.pop(k, None)
    if not md:
        obj.pop("metadata", None)
    if subresource == "status":
        return {"status": obj["status"]} if "status" in obj else {}
    obj.pop("status", None)
    return obj


def get_path(obj, path):
    cur = obj
    for seg in path:
        if seg == ".":
            return cur
        if seg.startswith("f:"):
            if not isinstance(cur, dict) or seg[2:] not in cur:
                return None
            cur = cur[seg[2:]]
        elif seg.startswith("k:"):
            (key, val), = json.loads(seg[2:]).items()
            if not isinstance(cur, list):
                return None
            cur = next((e for e in cur if isinstance(e, dict) and e.get(key) == val), None)
            if cur is None:
                return None
    return cur


def remove_path(obj, path):
    path = [s for s in path if s != "."]
    # metadata itself is never an applied field to take away: a manager that stops applying
    # labels loses its labels, not the object's name and uid.
    if not path or path == ["f:metadata"]:
        return
    parent = get_path(obj, tuple(path[:-1])) if len(path) > 1 else obj
    last = path[-1]
    if last.startswith("f:") and isinstance(parent, dict):
        parent.pop(last[2:], None)
    elif last.startswith("k:") and isinstance(parent, list):
        (key, val), = json.loads(last[2:]).items()
        parent[:] = [e for e in parent if not (isinstance(e, dict) and e.get(key) == val)]


def prune_empty(obj, keep=("metadata",)):
    if isinstance(obj, dict):
        for k in list(obj.keys()):
            v = obj[k]
            prune_empty(v, ())
    return obj


def merge_applied(live, applied):
    """Applied values win; associative lists merge per key; everything else is replaced."""
    for k, v in applied.items():
        if isinstance(v, dict) and isinstance(live.get(k), dict):
            merge_applied(live[k], v)
        elif (isinstance(v, list) and k in LIST_MAP_KEYS and isinstance(live.get(k), list)
              and all(isinstance(e, dict) for e in v)):
            key = LIST_MAP_KEYS[k]
            for e in v:
                cur = next((x for x in live[k] if isinstance(x, dict) and x.get(key) == e.get(key)), None)
                if cur is None:
                    live[k].append(copy.deepcopy(e))
                else:
                    merge_applied(cur, e)
        else:
            live[k] = copy.deepcopy(v)
    return live


def path_text(path):
    out = ""
    for seg in path:
        if seg == ".":
            continue
        if seg.startswith("f:"):
            out += "." + seg[2:]
        else:
            (key, val), = json.loads(seg[2:]).items()
            out += f"[{key}={json.dumps(val)}]"
    return out


def to_fields_v1(paths):
    tree = {}
    for p in sorted(paths):
        node = tree
        for seg in p:
            if seg == ".":
                node["."] = {}
                break
            node = node.setdefault(seg, {})
    return tree


def from_fields_v1(tree, prefix=()):
    out = set()
    for k, v in tree.items():
        if k == ".":
            out.add(prefix + (".",))
            continue
        p = prefix + (k,)
        if not v:
            out.add(p)
        else:
            out |= from_fields_v1(v, p)
    return out


def leaves(paths):
    return {p for p in paths if p[-1] != "."}


def changed_paths(before, after):
    """Leaf paths whose value differs between two tracked objects (for Update operations)."""
    a, b = field_paths(before), field_paths(after)
    return {p for p in leaves(a | b) if get_path(before, p) != get_path(after, p)}


# ---------------------------------------------------------------------------------------------
# Schema: defaults, pruning, required and types for CRDs (openAPIV3Schema subset)


def schema_apply(schema, value, path, causes, pruned=None):
    if schema is None:
        return value
    t = schema.get("type")
    if value is None:
        return value
    type_ok = {"object": dict, "array": list, "string": str, "boolean": bool}.get(t)
    if t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            causes.append({"reason": "FieldValueTypeInvalid",
                           "message": f'Invalid value: "{type_name(value)}": {path} in body must be of type integer: "{type_name(value)}"',
                           "field": path})
        return value
    if t == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            causes.append({"reason": "FieldValueTypeInvalid",
                           "message": f'Invalid value: "{type_name(value)}": {path} in body must be of type number: "{type_name(value)}"',
                           "field": path})
        return value
    if type_ok and not isinstance(value, type_ok) and not schema.get("x-kubernetes-int-or-string"):
        causes.append({"reason": "FieldValueTypeInvalid",
                       "message": f'Invalid value: "{type_name(value)}": {path} in body must be of type {t}: "{type_name(value)}"',
                       "field": path})
        return value
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(json.dumps(e) for e in schema["enum"])
        causes.append({"reason": "FieldValueNotSupported",
                       "message": f"Unsupported value: {json.dumps(value)}: supported values: {allowed}",
                       "field": path})
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        causes.append({"reason": "FieldValueInvalid",
                       "message": f"Invalid value: {json.dumps(value)}: {path} in body should match '{schema['pattern']}'",
                       "field": path})
    if isinstance(value, dict):
        props = schema.get("properties")
        if props is not None:
            for k, sub in props.items():
                if k not in value and "default" in sub:
                    value[k] = copy.deepcopy(sub["default"])
            if not schema.get("x-kubernetes-preserve-unknown-fields") and "additionalProperties" not in schema:
                for k in list(value.keys()):
                    if k not in props:
                        del value[k]  # structural schemas prune unknown fields
                        if pruned is not None:
                            pruned.append(f"{path}.{k}".lstrip("."))
            for k in schema.get("required", []):
                if k not in value:
                    causes.append({"reason": "FieldValueRequired", "message": "Required value",
                                   "field": f"{path}.{k}"})
            for k, sub in props.items():
                if k in value:
                    value[k] = schema_apply(sub, value[k], f"{path}.{k}", causes, pruned)
        elif isinstance(schema.get("additionalProperties"), dict):
            for k in value:
                value[k] = schema_apply(schema["additionalProperties"], value[k], f"{path}.{k}", causes, pruned)
    if isinstance(value, list) and "items" in schema:
        for i, e in enumerate(value):
            value[i] = schema_apply(schema["items"], e, f"{path}[{i}]", causes, pruned)
    return value


def type_name(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null"


# ---------------------------------------------------------------------------------------------
# Selectors


def parse_label_selector(s):
    reqs = []
    if not s:
        return reqs
    for part in re.split(r",(?![^()]*\))", s):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$", part)
        if m:
            reqs.append((m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}))
            continue
        m = re.match(r"^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$", part)
        if m:
            reqs.append((m.group(1), "!=" if m.group(2) == "!=" else "=", m.group(3)))
            continue
        m = re.match(r"^(!?)([\w./-]+)$", part)
        if m:
            reqs.append((m.group(2), "!" if m.group(1) else "exists", None))
            continue
        raise bad_request(f'unable to parse requirement: found \'{part}\', expected: identifier')
    return reqs


def labels_match(reqs, labels):
    for key, op, val in reqs:
        have = labels.get(key)
        if op == "=" and have != val:
            return False
        if op == "!=" and have == val:
            return False
        if op == "in" and have not in val:
            return False
        if op == "notin" and have in val:
            return False
        if op == "exists" and key not in labels:
            return False
        if op == "!" and key in labels:
            return False
    return True


def parse_field_selector(s, res):
    reqs = []
    if not s:
        return reqs
    for part in s.split(","):
        m = re.match(r"^([\w.]+)\s*(==|=|!=)\s*(.*)$", part.strip())
        if not m:
            raise bad_request(f'invalid selector: \'{s}\'; can\'t understand \'{part}\'')
        field = m.group(1)
        if field not in ("metadata.name", "metadata.namespace"):
            raise bad_request(f'field label not supported: {field}')
        reqs.append((field, m.group(2) != "!=", m.group(3)))
    return reqs


def fields_match(reqs, obj):
    for field, equal, val in reqs:
        have = obj["metadata"].get(field.split(".")[1], "")
        if (have == val) != equal:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# The store


class Store:
    def __init__(self, extra_groups=0):
        self.lock = threading.Condition()
        self.extra_groups = extra_groups
        self.reset()

    def reset(self):
        with self.lock:
            self.rv = 100
            self.resources = builtin_resources()
            for i in range(self.extra_groups):
                self.resources.append(Resource(f"group{i}.bench.example.com", ["v1"], "widgets", "Widget", True,
                                               schema={"v1": {"type": "object",
                                                              "x-kubernetes-preserve-unknown-fields": True}}))
            self.objects = {}  # (group, plural, ns, name) -> stored object
            self.events = []   # (rv, type, group, plural, ns, object)
            self.compacted_rv = 0
            self.faults = []
            # (method, path) -> time before which a retry ignores the Retry-After we sent
            self.retry_not_before = {}
            self.requests = []
            self.tokens = {"admin-token": ("token-admin", ["system:masters"], False),
                           "viewer-token": ("token-viewer", ["viewers"], False),
                           "expired-token": ("token-expired", ["system:masters"], True)}
            self.roles = {}  # user -> RBAC rules granted by POST /__admin/roles
            self.conn_counter = 0
            for ns in ("default", "kube-system", "kube-public"):
                self._put_namespace(ns)

    def _put_namespace(self, name):
        self.rv += 1
        obj = {"apiVersion": "v1", "kind": "Namespace",
               "metadata": {"name": name, "uid": str(uuid.uuid4()), "resourceVersion": str(self.rv),
                            "creationTimestamp": now_rfc3339(),
                            "labels": {"kubernetes.io/metadata.name": name}},
               "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
        self.objects[("", "namespaces", "", name)] = obj
        self.events.append((self.rv, "ADDED", "", "namespaces", "", copy.deepcopy(obj)))

    def next_rv(self):
        self.rv += 1
        return self.rv

    def find(self, group, version, plural):
        for r in self.resources:
            if r.group == group and r.plural == plural and version in r.versions:
                return r
        return None

    def record(self, kind, res, obj):
        ns = obj["metadata"].get("namespace", "")
        self.events.append((int(obj["metadata"]["resourceVersion"]), kind, res.group, res.plural, ns,
                            copy.deepcopy(obj)))
        if len(self.events) > 5000:
            self.compacted_rv = self.events[999][0]
            del self.events[:1000]
        self.lock.notify_all()

    # CRDs make their kinds appear in discovery once Established.
    def install_crd(self, crd):
        self.serve_crd(crd)
        names = crd.get("spec", {}).get("names", {})
        versions = [v for v in crd.get("spec", {}).get("versions", []) if v.get("served", True)]
        now = now_rfc3339()
        crd["status"] = {
            "acceptedNames": {k: v for k, v in names.items()},
            "storedVersions": [v["name"] for v in versions if v.get("storage")],
            "conditions": [
                {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                 "message": "no conflicts found", "lastTransitionTime": now},
                {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": now}]}

    # What a CRD's spec makes served: its versions, schemas and deprecation warnings; a changed
    # spec (an update, a patch, a later apply) changes them, as on a real server.
    def serve_crd(self, crd):
        spec = crd.get("spec", {})
        names = spec.get("names", {})
        versions = [v for v in spec.get("versions", []) if v.get("served", True)]
        self.resources = [r for r in self.resources
                          if not (r.group == spec.get("group") and r.plural == names.get("plural"))]
        schemas = {v["name"]: (v.get("schema") or {}).get("openAPIV3Schema") or {"type": "object"}
                   for v in versions}
        has_status = any("status" in (v.get("subresources") or {}) for v in versions)
        self.resources.append(Resource(spec.get("group"), [v["name"] for v in versions], names.get("plural"),
                                       names.get("kind"), spec.get("scope") == "Namespaced",
                                       names.get("shortNames", []), status=has_status, schema=schemas,
                                       categories=names.get("categories", []), singular=names.get("singular"),
                                       warnings=crd_warnings(spec)))

    def uninstall_crd(self, crd):
        spec = crd.get("spec", {})
        plural = spec.get("names", {}).get("plural")
        self.resources = [r for r in self.resources if not (r.group == spec.get("group") and r.plural == plural)]
        for key in [k for k in self.objects if k[0] == spec.get("group") and k[1] == plural]:
            del self.objects[key]


# ---------------------------------------------------------------------------------------------
# Object operations (all under store.lock)


class Api:
    def __init__(self, store):
        self.s = store
        self.pruned = []    # unknown fields the last validate_meta pruned from a custom resource
        self.warnings = []  # the request's warnings (the handler's list)

    def field_validation(self, res, version, q):
        """`fieldValidation` of a create, update or non-apply patch, as the decoders of a real
        server apply it to the unknown fields pruned from a custom resource: Strict refuses them,
        Warn (the default) warns once per field, Ignore says nothing."""
        if not self.pruned:
            return
        mode = q.get("fieldValidation") or "Warn"
        texts = [f'unknown field "{p}"' for p in self.pruned]
        if mode == "Strict":
            raise bad_request(f'{res.kind} in version "{version}" cannot be handled as a {res.kind}: '
                              f'strict decoding error: {", ".join(texts)}')
        if mode == "Warn":
            self.warnings.extend(texts)

    def validate_meta(self, res, obj, url_ns, url_name=None, version=None):
        if not isinstance(obj, dict):
            raise bad_request("the body of the request was not a JSON object")
        md = obj.setdefault("metadata", {})
        if not isinstance(md, dict):
            raise bad_request("metadata must be an object")
        api_version = res.api_version(version or res.versions[0])
        if obj.get("kind") != res.kind or obj.get("apiVersion") != api_version:
            got = f"{obj.get('apiVersion')}, Kind={obj.get('kind')}"
            raise bad_request(f"the API version in the data ({obj.get('apiVersion')}) does not match the expected "
                              f"API version ({api_version})" if obj.get("kind") == res.kind else
                              f"Object '{res.kind}' is expected, got {got}")
        name = md.get("name")
        if not name and md.get("generateName"):
            name = md["generateName"] + uuid.uuid4().hex[:5]
            md["name"] = name
        if url_name is not None and name != url_name:
            raise bad_request("the name of the object (%s) does not match the name on the URL (%s)" % (name, url_name))
        if not name:
            raise invalid(res.kind, "", [{"reason": "FieldValueRequired",
                                          "message": "Required value: name or generateName is required",
                                          "field": "metadata.name"}], res)
        rx, msg = (DNS1123_LABEL, LABEL_MSG) if res.plural == "namespaces" else (DNS1123_SUBDOMAIN, SUBDOMAIN_MSG)
        if not rx.match(name) or len(name) > (63 if res.plural == "namespaces" else 253):
            raise invalid(res.kind, name, [{"reason": "FieldValueInvalid",
                                            "message": f'Invalid value: "{name}": {msg}',
                                            "field": "metadata.name"}], res)
        if res.namespaced:
            if md.get("namespace") and md["namespace"] != url_ns:
                raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
            md["namespace"] = url_ns
        else:
            md.pop("namespace", None)
        for field in ("labels", "annotations"):
            for k, v in (md.get(field) or {}).items():
                if not isinstance(v, str):
                    raise bad_request(f"json: cannot unmarshal {type_name(v)} into Go struct field "
                                      f"ObjectMeta.metadata.{field} of type string")
        if res.plural == "customresourcedefinitions":
            validate_crd_versions(obj)
        if res.kind == "ConfigMap":
            for k, v in (obj.get("data") or {}).items():
                if not isinstance(v, str):
                    raise bad_request(f"json: cannot unmarshal {type_name(v)} into Go struct field "
                                      f"ConfigMap.data of type string")
        self.pruned = []
        if res.crd:
            schema = res.schemas.get(version or res.versions[0])
            causes = []
            body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
            body = schema_apply({**schema, "properties": {k: v for k, v in (schema.get("properties") or {}).items()
                                                           if k not in ("apiVersion", "kind", "metadata")}},
                                body, "", causes, self.pruned) if schema.get("properties") else body
            for k in list(obj.keys()):
                if k not in ("apiVersion", "kind", "metadata") and k not in body:
                    del obj[k]
            obj.update(body)
            for c in causes:
                c["field"] = c["field"].lstrip(".")
                c["message"] = c["message"].replace(" .", " ")
            if causes:
                raise invalid(res.kind, name, causes, res)
        return name

    def require_namespace(self, res, ns):
        if res.namespaced and ("", "namespaces", "", ns) not in self.s.objects:
            raise ApiError(404, "NotFound", f'namespaces "{ns}" not found', {"name": ns, "kind": "namespaces"})
        ns_obj = self.s.objects.get(("", "namespaces", "", ns)) if res.namespaced else None
        if ns_obj and ns_obj["metadata"].get("deletionTimestamp"):
            raise ApiError(403, "Forbidden", f'{res.qualified} is forbidden: unable to create new content in '
                           f'namespace {ns} because it is being terminated', details_for(res))

    def stamp_new(self, res, obj, manager, operation, subresource=""):
        md = obj["metadata"]
        for k in ("uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "managedFields"):
            md.pop(k, None)
        md["uid"] = str(uuid.uuid4())
        md["creationTimestamp"] = now_rfc3339()
        if res.has_generation:
            md["generation"] = 1
        if res.has_status and res.plural != "customresourcedefinitions":
            obj.pop("status", None)  # the status subresource owns status; create never sets it
            if res.crd:
                status_schema = (res.schemas.get(res.versions[0]) or {}).get("properties", {}).get("status", {})
                if "default" in status_schema:
                    obj["status"] = copy.deepcopy(status_schema["default"])
        if res.plural == "namespaces":
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = {"phase": "Active"}
            md.setdefault("labels", {})["kubernetes.io/metadata.name"] = md["name"]

    def managed_entry(self, manager, operation, api_version, paths, subresource=""):
        e = {"manager": manager, "operation": operation, "apiVersion": api_version, "time": now_rfc3339(),
             "fieldsType": "FieldsV1", "fieldsV1": to_fields_v1(paths)}
        if subresource:
            e["subresource"] = subresource
        return e

    def commit(self, res, key, obj, event, dry_run):
        if dry_run:
            obj["metadata"].setdefault("resourceVersion", obj["metadata"].get("resourceVersion", ""))
            return obj
        obj["metadata"]["resourceVersion"] = str(self.s.next_rv())
        self.s.objects[key] = obj
        self.s.record(event, res, obj)
        return obj

    def key(self, res, ns, name):
        return (res.group, res.plural, ns if res.namespaced else "", name)

    def present(self, res, obj, version):
        out = copy.deepcopy(obj)
        out["apiVersion"] = res.api_version(version)
        return out

    def get(self, res, ns, name, version):
        obj = self.s.objects.get(self.key(res, ns, name))
        if obj is None:
            raise not_found(res, name)
        return self.present(res, obj, version)

    def create(self, res, ns, body, version, q, user_agent, dry_run):
        name = self.validate_meta(res, body, ns, version=version)
        self.field_validation(res, version, q)
        self.require_namespace(res, ns)
        key = self.key(res, ns, name)
        if key in self.s.objects:
            raise ApiError(409, "AlreadyExists", f'{res.qualified} "{name}" already exists', details_for(res, name))
        manager = q.get("fieldManager") or user_agent.split("/")[0]
        self.stamp_new(res, body, manager, "Update")
        body["metadata"]["managedFields"] = [self.managed_entry(manager, "Update", body["apiVersion"],
                                                                field_paths(tracked(body, "")))]
        if res.plural == "customresourcedefinitions" and not dry_run:
            self.s.install_crd(body)
        return self.commit(res, key, body, "ADDED", dry_run)

    def spec_changed(self, before, after):
        strip = lambda o: {k: v for k, v in o.items() if k not in ("metadata", "status", "apiVersion", "kind")}
        return strip(before) != strip(after)

    def finish_update(self, res, key, live, new, version, manager, subresource, dry_run, operation="Update",
                      applied_paths=None):
        """Common tail of PUT/PATCH/apply: status rules, generation, field ownership, commit."""
        if not subresource:
            check_immutable(res, live, new)
        md = new["metadata"]
        requested_fields = md.get("managedFields")
        for k in ("uid", "creationTimestamp", "generation", "deletionTimestamp"):
            if k in live["metadata"]:
                md[k] = live["metadata"][k]
            else:
                md.pop(k, None)
        md["name"] = live["metadata"]["name"]
        if res.namespaced:
            md["namespace"] = live["metadata"]["namespace"]
        if subresource == "status":
            status = new.get("status")
            new = copy.deepcopy(live)
            md = new["metadata"]
            if status is None:
                new.pop("status", None)
            else:
                new["status"] = status
        elif res.has_status:
            if "status" in live:
                new["status"] = copy.deepcopy(live["status"])
            else:
                new.pop("status", None)
        if res.has_generation and self.spec_changed(live, new):
            md["generation"] = live["metadata"].get("generation", 1) + 1
        entries = [e for e in live["metadata"].get("managedFields", [])]
        if operation == "Update" and isinstance(requested_fields, list) and requested_fields \
                and requested_fields != entries:
            # An update that sends other managedFields replaces them; `[{}]` clears them all.
            entries = [e for e in requested_fields if isinstance(e, dict) and e.get("manager")]
        if operation == "Update":
            changed = changed_paths(tracked(live, subresource), tracked(new, subresource))
            changed_all = changed | {p for p in field_paths(tracked(new, subresource))
                                     if p[-1] == "." and any(c[:len(p) - 1] == p[:-1] for c in changed)}
            entries = self.take_ownership(entries, changed, manager, "Update", new["apiVersion"], subresource,
                                          add=changed_all)
        else:
            entries = [e for e in entries if not (e["manager"] == manager and e["operation"] == "Apply"
                                                  and e.get("subresource", "") == subresource)]
            entries.append(self.managed_entry(manager, "Apply", new["apiVersion"], applied_paths, subresource))
        md["managedFields"] = [e for e in entries if e["fieldsV1"]]
        if md.get("deletionTimestamp") and not md.get("finalizers"):
            if not dry_run:
                del self.s.objects[key]
                md["resourceVersion"] = str(self.s.next_rv())
                self.s.record("DELETED", res, new)
            return new
        if new == live:
            return live  # no-op writes keep the resourceVersion, as the real server does
        if res.plural == "customresourcedefinitions" and not subresource and not dry_run:
            self.s.serve_crd(new)
        event = "MODIFIED"
        return self.commit(res, key, new, event, dry_run)

    def take_ownership(self, entries, changed, manager, operation, api_version, subresource, add=None):
        out = []
        for e in entries:
            if e["manager"] == manager and e["operation"] == operation and e.get("subresource", "") == subresource:
                continue
            paths = from_fields_v1(e["fieldsV1"]) - changed
            e = dict(e, fieldsV1=to_fields_v1(paths))
            out.append(e)
        mine = next((e for e in entries if e["manager"] == manager and e["operation"] == operation
                     and e.get("subresource", "") == subresource), None)
        paths = (from_fields_v1(mine["fieldsV1"]) if mine else set()) | (add or changed)
        if paths:
            out.append(self.managed_entry(manager, operation, api_version, paths, subresource))
        return out

    def update(self, res, ns, name, body, version, q, user_agent, subresource, dry_run):
        key = self.key(res, ns, name)
        live = self.s.objects.get(key)
        if live is None:
            raise not_found(res, name)
        self.validate_meta(res, body, ns, url_name=name, version=version)
        self.field_validation(res, version, q)
        rv = body["metadata"].get("resourceVersion")
        if not rv:
            raise invalid(res.kind, name, [{"reason": "FieldValueInvalid",
                                            "message": "Invalid value: 0x0: must be specified for an update",
                                            "field": "metadata.resourceVersion"}], res)
        if rv != live["metadata"]["resourceVersion"]:
            raise conflict(res, name)
        manager = q.get("fieldManager") or user_agent.split("/")[0]
        body["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
        body["metadata"]["managedFields"] = live["metadata"].get("managedFields", [])
        return self.finish_update(res, key, live, body, version, manager, subresource, dry_run)

    def patch(self, res, ns, name, ctype, raw, version, q, user_agent, subresource, dry_run):
        key = self.key(res, ns, name)
        live = self.s.objects.get(key)
        if ctype == "application/apply-patch+yaml":
            return self.apply(res, ns, name, raw, version, q, live, subresource, dry_run)
        if q.get("force"):
            raise bad_request("force may not be specified for non-apply patch")
        if live is None:
            raise not_found(res, name)
        manager = q.get("fieldManager") or user_agent.split("/")[0]
        current = self.present(res, live, version)
        try:
            patch = json.loads(raw or b"null")
        except ValueError as e:
            raise bad_request(f"error decoding patch: {e}")
        if ctype == "application/merge-patch+json" or ctype == "application/strategic-merge-patch+json":
            if not isinstance(patch, dict):
                raise bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
            new = merge_patch(copy.deepcopy(current), patch)
        else:
            if not isinstance(patch, list):
                raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
            new = json_patch(copy.deepcopy(current), patch)
        md = new.get("metadata") or {}
        if md.get("resourceVersion") and md["resourceVersion"] != live["metadata"]["resourceVersion"]:
            raise conflict(res, name)
        if md.get("uid") and md["uid"] != live["metadata"]["uid"]:
            raise conflict(res, name, "Precondition failed: UID in precondition: %s, UID in object meta: %s"
                           % (md["uid"], live["metadata"]["uid"]))
        self.validate_meta(res, new, ns, url_name=name, version=version)
        self.field_validation(res, version, q)
        new["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
        return self.finish_update(res, key, live, new, version, manager, subresource, dry_run)

    def apply(self, res, ns, name, raw, version, q, live, subresource, dry_run):
        manager = q.get("fieldManager")
        if not manager:
            raise invalid("PatchOptions.meta.k8s.io", "", [{"reason": "FieldValueRequired",
                                                            "message": "Required value: is required for apply patch",
                                                            "field": "fieldManager"}])
        try:
            applied = yaml.safe_load(raw.decode("utf-8")) if raw else None
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            raise bad_request(f"error decoding YAML: {e}")
        if not isinstance(applied, dict):
            raise bad_request("error decoding YAML: the apply configuration must be an object")
        applied = json.loads(json.dumps(applied, default=str))
        if "resourceVersion" in (applied.get("metadata") or {}):
            if live is None or applied["metadata"]["resourceVersion"] != live["metadata"]["resourceVersion"]:
                raise conflict(res, name)
        if (applied.get("metadata") or {}).get("managedFields") is not None:
            raise bad_request("metadata.managedFields must be nil")
        check = copy.deepcopy(applied)
        self.validate_meta(res, check, ns, url_name=name, version=version)
        applied_paths = field_paths(tracked(check, subresource))
        force = q.get("force") in ("true", "1")
        if live is None:
            if subresource:
                raise not_found(res, name)
            self.require_namespace(res, ns)
            obj = check
            self.stamp_new(res, obj, manager, "Apply")
            obj["metadata"]["managedFields"] = [self.managed_entry(manager, "Apply", obj["apiVersion"], applied_paths)]
            if res.plural == "customresourcedefinitions" and not dry_run:
                self.s.install_crd(obj)
            return self.commit(res, self.key(res, ns, name), obj, "ADDED", dry_run)
        key = self.key(res, ns, name)
        entries = copy.deepcopy(live["metadata"].get("managedFields", []))
        live_tracked = tracked(live, subresource)
        conflicts = []
        for e in entries:
            if e["manager"] == manager and e["operation"] == "Apply" or e.get("subresource", "") != subresource:
                continue
            for p in sorted(leaves(from_fields_v1(e["fieldsV1"]) & applied_paths)):
                if get_path(live_tracked, p) != get_path(tracked(check, subresource), p):
                    conflicts.append((e, p))
        if conflicts and not force:
            causes = [{"reason": "FieldManagerConflict",
                       "message": f'conflict with "{e["manager"]}"'
                                  + (" using " + e["apiVersion"] if e["operation"] == "Update" else "")
                                  + (f" with subresource \"{e['subresource']}\"" if e.get("subresource") else ""),
                       "field": path_text(p)} for e, p in conflicts]
            lines = [f"{c['message']}: {c['field']}" for c in causes]
            msg = (f"Apply failed with {len(causes)} conflict{'s' if len(causes) > 1 else ''}: "
                   + ("\n".join(lines) if len(lines) == 1 else "\n" + "\n".join("- " + l for l in lines)))
            raise ApiError(409, "Conflict", msg, {**details_for(res, name), "causes": causes})
        if force:
            taken = {p for _, p in conflicts}
            for e in entries:
                e["fieldsV1"] = to_fields_v1(from_fields_v1(e["fieldsV1"]) - taken)
        mine = next((e for e in entries if e["manager"] == manager and e["operation"] == "Apply"
                     and e.get("subresource", "") == subresource), None)
        previously = from_fields_v1(mine["fieldsV1"]) if mine else set()
        others = set()
        for e in entries:
            if e is not mine:
                others |= from_fields_v1(e["fieldsV1"])
        new = copy.deepcopy(live)
        for p in sorted(previously - applied_paths - others, key=len, reverse=True):
            if p[-1] == "." and any(o[:len(p) - 1] == p[:-1] for o in others | applied_paths if o != p):
                continue
            remove_path(new, p)
        body = tracked(check, subresource)
        merge_applied(new, body)
        for k in ("labels", "annotations"):
            if k in new.get("metadata", {}) and not new["metadata"][k]:
                del new["metadata"][k]
        new["metadata"]["managedFields"] = entries
        new["apiVersion"] = check["apiVersion"]
        return self.finish_update(res, key, live, new, version, manager, subresource, dry_run, operation="Apply",
                                  applied_paths=applied_paths)

    def delete(self, res, ns, name, q, body, dry_run):
        key = self.key(res, ns, name)
        live = self.s.objects.get(key)
        if live is None:
            raise not_found(res, name)
        opts = {}
        if body:
            try:
                opts = json.loads(body)
            except ValueError as e:
                raise bad_request(f"error decoding DeleteOptions: {e}")
        policy = q.get("propagationPolicy") or opts.get("propagationPolicy")
        if policy not in (None, "Orphan", "Background", "Foreground"):
            raise invalid("DeleteOptions", "", [{"reason": "FieldValueNotSupported",
                                                 "message": f'Unsupported value: "{policy}": supported values: '
                                                            '"Foreground", "Background", "Orphan"',
                                                 "field": "propagationPolicy"}])
        pre = opts.get("preconditions") or {}
        if pre.get("uid") and pre["uid"] != live["metadata"]["uid"]:
            raise conflict(res, name, "Precondition failed: UID in precondition: %s, UID in object meta: %s"
                           % (pre["uid"], live["metadata"]["uid"]))
        if pre.get("resourceVersion") and pre["resourceVersion"] != live["metadata"]["resourceVersion"]:
            raise conflict(res, name, "Precondition failed: ResourceVersion in precondition: %s, "
                           "ResourceVersion in object meta: %s" % (pre["resourceVersion"],
                                                                   live["metadata"]["resourceVersion"]))
        obj = copy.deepcopy(live)
        finalizers = list(obj["metadata"].get("finalizers") or [])
        if policy == "Foreground":
            finalizers.append("foregroundDeletion")
        if finalizers:
            if not obj["metadata"].get("deletionTimestamp"):
                obj["metadata"]["deletionTimestamp"] = now_rfc3339()
                obj["metadata"]["finalizers"] = finalizers
            if policy == "Foreground" and not dry_run:
                # Nothing here owns dependents, so foreground deletion finishes at once.
                obj["metadata"]["finalizers"] = [f for f in finalizers if f != "foregroundDeletion"]
                if not obj["metadata"]["finalizers"]:
                    del self.s.objects[key]
                    obj["metadata"]["resourceVersion"] = str(self.s.next_rv())
                    self.s.record("DELETED", res, obj)
                    return self.present(res, obj, q["_version"])
            return self.present(res, self.commit(res, key, obj, "MODIFIED", dry_run), q["_version"])
        if dry_run:
            return self.present(res, obj, q["_version"])
        del self.s.objects[key]
        obj["metadata"]["resourceVersion"] = str(self.s.next_rv())
        self.s.record("DELETED", res, obj)
        if res.plural == "namespaces":
            for k in [k for k in self.s.objects if k[2] == name and k[1] != "namespaces"]:
                gone = self.s.objects.pop(k)
                r = next(r for r in self.s.resources if r.group == k[0] and r.plural == k[1])
                gone["metadata"]["resourceVersion"] = str(self.s.next_rv())
                self.s.record("DELETED", r, gone)
        if res.plural == "customresourcedefinitions":
            self.s.uninstall_crd(obj)
        return self.present(res, obj, q["_version"])

    def list(self, res, ns, version, q):
        labels = parse_label_selector(q.get("labelSelector", ""))
        fields = parse_field_selector(q.get("fieldSelector", ""), res)
        limit = int(q.get("limit") or 0)
        start, list_rv = "", self.s.rv
        if q.get("continue"):
            try:
                token = json.loads(base64.urlsafe_b64decode(q["continue"].encode()))
                start, list_rv = token["start"], token["rv"]
            except (ValueError, KeyError, TypeError):
                raise bad_request("continue key is not valid: illegal base64 data")
            if list_rv < self.s.compacted_rv:
                raise ApiError(410, "Expired", "The provided continue parameter is too old to display a consistent "
                               "list result. You can start a new list without the continue parameter.")
        items = []
        for key in sorted(k for k in self.s.objects if k[0] == res.group and k[1] == res.plural):
            if res.namespaced and ns and key[2] != ns:
                continue
            sort_key = f"{key[2]}/{key[3]}"
            if start and sort_key <= start:
                continue
            obj = self.s.objects[key]
            if not labels_match(labels, obj["metadata"].get("labels") or {}) or not fields_match(fields, obj):
                continue
            items.append((sort_key, obj))
        md = {"resourceVersion": str(list_rv)}
        if limit and len(items) > limit:
            md["continue"] = base64.urlsafe_b64encode(json.dumps(
                {"start": items[limit - 1][0], "rv": list_rv}).encode()).decode()
            md["remainingItemCount"] = len(items) - limit
            items = items[:limit]
        return {"kind": res.kind + "List", "apiVersion": res.api_version(version), "metadata": md,
                "items": [self.present(res, o, version) for _, o in items]}


def check_immutable(res, live, new):
    """The immutable fields kube-apiserver's validation guards (422 Invalid, field is immutable)."""
    name = live["metadata"]["name"]
    if res.group == "" and res.plural in ("configmaps", "secrets") and live.get("immutable") is True:
        reason = "Forbidden: field is immutable when `immutable` is set"
        causes = [{"reason": "FieldValueForbidden", "message": reason, "field": f}
                  for f in ("immutable", "data", "binaryData")
                  if live.get(f) != new.get(f) and not (f != "immutable" and not live.get(f) and not new.get(f))]
        if causes:
            raise invalid(res.kind, name, causes, res)
    if res.group == "apps" and res.plural in ("deployments", "statefulsets", "daemonsets"):
        before, after = (live.get("spec") or {}).get("selector"), (new.get("spec") or {}).get("selector")
        if before != after:
            value = json.dumps(after, separators=(",", ":"), sort_keys=True)
            raise invalid(f"{res.kind}.apps", name, [{"reason": "FieldValueInvalid", "field": "spec.selector",
                                                     "message": f"Invalid value: {value}: field is immutable"}], res)


def conflict(res, name, detail="the object has been modified; please apply your changes to the latest version "
                               "and try again"):
    return ApiError(409, "Conflict", f'Operation cannot be fulfilled on {res.qualified} "{name}": {detail}',
                    details_for(res, name))


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(target, dict):
        target = {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = merge_patch(target.get(k), v)
    return target


def json_patch(doc, ops):
    def walk(pointer):
        if not pointer.startswith("/"):
            raise bad_request(f'the server rejected our request due to an error in our request: invalid pointer "{pointer}"')
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]
        parent = doc
        for p in parts[:-1]:
            if isinstance(parent, list):
                parent = parent[int(p)]
            elif isinstance(parent, dict) and p in parent:
                parent = parent[p]
            else:
                raise ApiError(422, "Invalid", f"doc is missing path: {pointer}: missing value")
        return parent, parts[-1]

    for op in ops:
        kind, path = op.get("op"), op.get("path", "")
        try:
            if kind == "test":
                parent, last = walk(path)
                have = parent[int(last)] if isinstance(parent, list) else parent.get(last)
                if have != op.get("value"):
                    raise ApiError(422, "Invalid", f"testing value {path} failed: test failed")
            elif kind in ("add", "replace"):
                parent, last = walk(path)
                if isinstance(parent, list):
                    if last == "-":
                        parent.append(op["value"])
                    elif kind == "add":
                        parent.insert(int(last), op["value"])
                    else:
                        parent[int(last)] = op["value"]
                else:
                    if kind == "replace" and last not in parent:
                        raise ApiError(422, "Invalid", f"replace operation does not apply: doc is missing key: {path}: missing value")
                    parent[last] = op["value"]
            elif kind == "remove":
                parent, last = walk(path)
                if isinstance(parent, list):
                    del parent[int(last)]
                elif last in parent:
                    del parent[last]
                else:
                    raise ApiError(422, "Invalid", f"remove operation does not apply: doc is missing path: \"{path}\": missing value")
            else:
                raise bad_request(f"Unexpected kind: {kind}")
        except (IndexError, ValueError, TypeError, KeyError):
            raise ApiError(422, "Invalid", f"the server rejected our request due to an error in our request: {path}")
    return doc


# ---------------------------------------------------------------------------------------------
# Discovery documents


def resource_list(store, group, version):
    res = []
    for r in store.resources:
        if r.group != group or version not in r.versions:
            continue
        entry = {"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced, "kind": r.kind,
                 "verbs": r.verbs()}
        if r.short:
            entry["shortNames"] = r.short
        if r.categories:
            entry["categories"] = r.categories
        res.append(entry)
        if r.has_status:
            res.append({"name": r.plural + "/status", "singularName": "", "namespaced": r.namespaced,
                        "kind": r.kind, "verbs": ["get", "patch", "update"]})
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}" if group else version,
            "resources": res}


def groups(store):
    seen = {}
    for r in store.resources:
        if r.group:
            vs = seen.setdefault(r.group, [])
            for v in r.versions:
                if v not in vs:
                    vs.append(v)
    return seen


def group_list(store):
    out = []
    for g, vs in groups(store).items():
        out.append({"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                    "preferredVersion": {"groupVersion": f"{g}/{vs[-1]}", "version": vs[-1]}})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": out}


def aggregated(store, core):
    items = []
    names = [""] if core else list(groups(store).keys())
    for g in names:
        vs = ["v1"] if core else groups(store)[g]
        versions = []
        for v in reversed(vs):
            rs = []
            for r in store.resources:
                if r.group != g or v not in r.versions:
                    continue
                e = {"resource": r.plural, "responseKind": {"group": g, "version": v, "kind": r.kind},
                     "scope": "Namespaced" if r.namespaced else "Cluster", "singularResource": r.singular,
                     "verbs": r.verbs()}
                if r.short:
                    e["shortNames"] = r.short
                if r.categories:
                    e["categories"] = r.categories
                if r.has_status:
                    e["subresources"] = [{"subresource": "status", "responseKind": e["responseKind"],
                                          "verbs": ["get", "patch", "update"]}]
                rs.append(e)
            versions.append({"version": v, "resources": rs, "freshness": "Current"})
        items.append({"metadata": {"name": g, "creationTimestamp": None}, "versions": versions})
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items}


# ---------------------------------------------------------------------------------------------
# Authorisation: system:masters may do anything, group "viewers" may read.


def rule_allows(rule, verb, res, ns, name, sub):
    # RBAC PolicyRule matching: "*" wildcards, "plural/subresource" names a subresource, an absent
    # `namespaces` list is a ClusterRoleBinding (everywhere), a present one RoleBindings there.
    def has(key, value):
        values = rule.get(key) or []
        return "*" in values or value in values
    resource = f"{res.plural}/{sub}" if sub else res.plural
    if not (has("verbs", verb) and has("apiGroups", res.group) and has("resources", resource)):
        return False
    if rule.get("resourceNames") and name not in rule["resourceNames"]:
        return False
    namespaces = rule.get("namespaces")
    return namespaces is None or (res.namespaced and ns in namespaces)


def authorize(user, groups_, verb, res, ns, name, sub=""):
    if "system:masters" in groups_:
        return
    if "viewers" in groups_ and verb in ("get", "list", "watch"):
        return
    with STORE.lock:
        rules = list(STORE.roles.get(user, []))
    if any(rule_allows(rule, verb, res, ns, name, sub) for rule in rules):
        return
    scope = f'in the namespace "{ns}"' if res.namespaced and ns else "at the cluster scope"
    what = f'{res.qualified} "{name}"' if name else res.qualified
    msg = (f'{what} is forbidden: User "{user}" cannot {verb} resource "{res.plural}" in API group '
           f'"{res.group}" {scope}')
    raise ApiError(403, "Forbidden", msg, details_for(res, name))


# ---------------------------------------------------------------------------------------------
# HTTP


STORE = None
CONFIG = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kube-apiserver-test"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        # As Go's net/http (kube-apiserver) does: without it, the separate writes of headers and
        # body wait on the client's delayed ACK (Nagle), ~40 ms per answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with STORE.lock:
            STORE.conn_counter += 1
            self.conn_id = STORE.conn_counter

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    # -- plumbing

    def send_json(self, code, obj, content_type="application/json", headers=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache, private")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_warnings()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_warnings(self):
        # One header line per distinct warning, as the apiserver's recorder writes them.
        for text in dict.fromkeys(getattr(self, "warnings", [])):
            self.send_header("Warning", warning_header(text))

    def send_error_status(self, err):
        self.send_json(err.code, err.status(), headers=err.headers)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
            return data
        return self.rfile.read(n) if n else b""

    def identity(self):
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            tok = auth[7:]
            with STORE.lock:
                entry = STORE.tokens.get(tok)
            if entry is None or entry[2]:
                raise ApiError(401, "Unauthorized", "Unauthorized")
            return entry[0], entry[1]
        if auth.startswith("Basic "):
            try:
                user, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                raise ApiError(401, "Unauthorized", "Unauthorized")
            if (user, pw) != ("basic-user", "basic-pass"):
                raise ApiError(401, "Unauthorized", "Unauthorized")
            return user, ["system:masters"]
        cert = self.connection.getpeercert()
        if cert:
            subject = [x[0] for x in cert["subject"]]
            cn = next((v for k, v in subject if k == "commonName"), "")
            orgs = [v for k, v in subject if k == "organizationName"]
            return cn, orgs
        raise ApiError(401, "Unauthorized", "Unauthorized")

    def take_fault(self, method, path):
        with STORE.lock:
            for f in STORE.faults:
                if f.get("method") and f["method"] != method:
                    continue
                if not re.search(f.get("path", ""), path):
                    continue
                f["seen"] = f.get("seen", 0) + 1
                if f["seen"] < f.get("nth", 1):
                    continue
                if f.get("times", 1) <= 0:
                    continue
                f["times"] = f.get("times", 1) - 1
                return dict(f)
        return None

    def retried_too_early(self, method, path, entry):
        # A client that comes back before the Retry-After of our 429 is told off again, as an
        # overloaded API server's priority-and-fairness filter would, and the log marks it.
        with STORE.lock:
            not_before = STORE.retry_not_before.get((method, path), 0)
        remaining = not_before - time.time()
        if remaining <= 0:
            return False
        entry["earlyRetry"] = True
        seconds = max(1, math.ceil(remaining))
        self.send_error_status(ApiError(429, "TooManyRequests",
                                        "Too many requests, please try again later (retried before Retry-After).",
                                        {"retryAfterSeconds": seconds}, headers={"Retry-After": str(seconds)}))
        return True

    def apply_fault(self, f, method, path):
        action = f["action"]
        if action == "slow":
            time.sleep(float(f.get("seconds", 2)))
            return False
        if action == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if action == "429":
            with STORE.lock:
                STORE.retry_not_before[(method, path)] = time.time() + float(f.get("retryAfter", 1))
            err = ApiError(429, "TooManyRequests", "Too many requests, please try again later.",
                           {"retryAfterSeconds": int(f.get("retryAfter", 1))},
                           headers={"Retry-After": str(f.get("retryAfter", 1))})
        elif action == "401":
            err = ApiError(401, "Unauthorized", "Unauthorized")
        elif action == "504":
            err = ApiError(504, "Timeout", "Timeout: request did not complete within requested timeout - "
                           "context deadline exceeded", {})
        elif action == "405":
            err = ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
        elif action == "403":
            err = ApiError(403, "Forbidden", "forbidden: injected fault")
        else:
            err = ApiError(int(action), "InternalError", "Internal error occurred: injected fault",
                           {"causes": [{"message": "injected fault"}]})
        self.send_error_status(err)
        return True

    def dispatch(self, method):
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        body = b""
        self.warnings = []
        try:
            body = self.read_body()
            if path.startswith("/__admin/"):
                return self.admin(method, path[len("/__admin/"):], body)
            entry = {"method": method, "path": path, "query": parsed.query,
                     "contentType": self.headers.get("Content-Type", ""),
                     "accept": self.headers.get("Accept", ""),
                     "userAgent": self.headers.get("User-Agent", ""),
                     "authorization": "Bearer" if self.headers.get("Authorization", "").startswith("Bearer")
                     else ("Basic" if self.headers.get("Authorization", "").startswith("Basic") else ""),
                     "connection": self.conn_id}
            with STORE.lock:
                STORE.requests.append(entry)
            if self.retried_too_early(method, path, entry):
                return
            fault = self.take_fault(method, path)
            if fault and self.apply_fault(fault, method, path):
                return
            user, grps = self.identity()
            entry["user"] = user
            self.route(method, path, q, body, user, grps)
        except ApiError as e:
            self.send_error_status(e)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True
        except Exception as e:  # a bug here should surface as a 500 the test can see
            import traceback
            traceback.print_exc(file=sys.stderr)
            self.send_error_status(ApiError(500, "InternalError", f"Internal error occurred: {e}"))

    def admin(self, method, what, body):
        payload = json.loads(body) if body else {}
        with STORE.lock:
            if what == "reset":
                STORE.reset()
                return self.send_json(200, {})
            if what == "faults":
                STORE.faults.append(payload)
                return self.send_json(200, {})
            if what == "requests":
                if method == "DELETE":
                    STORE.requests = []
                return self.send_json(200, {"requests": STORE.requests})
            if what == "compact":
                STORE.compacted_rv = STORE.rv
                STORE.events = []
                return self.send_json(200, {"compactedResourceVersion": STORE.rv})
            if what == "tokens":
                STORE.tokens[payload["token"]] = (payload["user"], payload.get("groups", []),
                                                  payload.get("expired", False))
                return self.send_json(200, {})
            if what == "roles":
                STORE.roles[payload["user"]] = payload.get("rules", [])
                return self.send_json(200, {})
            if what == "status":
                res = next((r for r in STORE.resources if r.group == payload.get("group", "")
                            and r.plural == payload["resource"]), None)
                key = (payload.get("group", ""), payload["resource"], payload.get("namespace", ""), payload["name"])
                obj = STORE.objects.get(key)
                if res is None or obj is None:
                    return self.send_json(404, {"error": "no such object"})
                obj = copy.deepcopy(obj)
                obj["status"] = payload["status"]
                Api(STORE).commit(res, key, obj, "MODIFIED", False)
                return self.send_json(200, obj)
        self.send_json(404, {"error": "unknown admin endpoint"})

    def route(self, method, path, q, body, user, grps):
        accept = self.headers.get("Accept", "")
        if path == "/version" and method == "GET":
            return self.send_json(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.0-gitopsctl-test",
                                        "platform": "linux/amd64"})
        if path in ("/api", "/apis") and method == "GET":
            with STORE.lock:
                if AGGREGATED in accept.replace(" ", ""):
                    return self.send_json(200, aggregated(STORE, path == "/api"),
                                          content_type=AGGREGATED + ";as=APIGroupDiscoveryList")
                if path == "/api":
                    return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"],
                                                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                                                                "serverAddress": "127.0.0.1"}]})
                return self.send_json(200, group_list(STORE))
        parts = [p for p in path.split("/") if p]
        if parts[:1] == ["api"] and len(parts) >= 2:
            group, version, rest = "", parts[1], parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 3:
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            raise ApiError(404, "NotFound", "the server could not find the requested resource", {})
        if not rest:
            if method != "GET":
                raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
            with STORE.lock:
                if not any(r.group == group and version in r.versions for r in STORE.resources):
                    raise ApiError(404, "NotFound", "the server could not find the requested resource", {})
                return self.send_json(200, resource_list(STORE, group, version))
        ns = ""
        if rest[0] == "namespaces" and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        plural, name, sub = rest[0], (rest[1] if len(rest) > 1 else None), (rest[2] if len(rest) > 2 else "")
        if len(rest) > 3:
            raise ApiError(404, "NotFound", "the server could not find the requested resource", {})
        with STORE.lock:
            res = STORE.find(group, version, plural)
        if res is None or (ns and not res.namespaced):
            raise ApiError(404, "NotFound", "the server could not find the requested resource", {})
        if sub and (sub != "status" or not res.has_status):
            raise ApiError(404, "NotFound", "the server could not find the requested resource", {})
        q["_version"] = version
        dry_run = q.get("dryRun") == "All"
        if "dryRun" in q and not dry_run:
            raise bad_request(f'Invalid dry run value: {q["dryRun"]}')
        watch = q.get("watch") in ("1", "true")
        verb = {"GET": "watch" if watch else ("get" if name else "list"), "POST": "create", "PUT": "update",
                "PATCH": "patch", "DELETE": "delete" if name else "deletecollection"}[method]
        authorize(user, grps, verb, res, ns, name, sub)
        # After authorisation, as apiextensions-apiserver's handler adds them: a 403 has none, but
        # every other answer for a deprecated version (errors included) carries its warning.
        self.warnings = list(res.warnings.get(version, []))
        if method == "PATCH" and name and not sub and ctype_of(self.headers) == "application/apply-patch+yaml":
            with STORE.lock:
                absent = Api(STORE).key(res, ns, name) not in STORE.objects
            # kube-apiserver authorises an apply that would create the object for `create` too.
            if absent:
                authorize(user, grps, "create", res, ns, name)
        api = Api(STORE)
        api.warnings = self.warnings
        ua = self.headers.get("User-Agent", "unknown")
        if verb == "watch":
            return self.watch(res, ns, name, version, q)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        with STORE.lock:
            if method == "GET" and name:
                return self.send_json(200, api.get(res, ns, name, version))
            if method == "GET":
                return self.send_json(200, api.list(res, ns, version, q))
            if method == "POST" and not name:
                if ctype not in ("application/json", "application/yaml"):
                    raise unsupported(ctype, ["application/json", "application/yaml"])
                obj = decode_body(body, ctype)
                return self.send_json(201, api.create(res, ns, obj, version, q, ua, dry_run))
            if method == "PUT" and name:
                if ctype not in ("application/json", "application/yaml"):
                    raise unsupported(ctype, ["application/json", "application/yaml"])
                obj = decode_body(body, ctype)
                return self.send_json(200, api.present(res, api.update(res, ns, name, obj, version, q, ua, sub,
                                                                        dry_run), version))
            if method == "PATCH" and name:
                allowed = PATCH_TYPES + ([] if res.crd else ["application/strategic-merge-patch+json"])
                if ctype not in allowed:
                    raise unsupported(ctype, allowed)
                existed = api.key(res, ns, name) in STORE.objects
                out = api.patch(res, ns, name, ctype, body, version, q, ua, sub, dry_run)
                return self.send_json(201 if not existed else 200, api.present(res, out, version))
            if method == "DELETE" and name:
                return self.send_json(200, api.delete(res, ns, name, q, body, dry_run))
        raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")

    def watch(self, res, ns, name, version, q):
        labels = parse_label_selector(q.get("labelSelector", ""))
        fields = parse_field_selector(q.get("fieldSelector", ""), res)
        if name:
            raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
        bookmarks = q.get("allowWatchBookmarks") in ("true", "1")
        timeout = float(q.get("timeoutSeconds") or 1800)
        deadline = time.monotonic() + timeout
        rv_param = q.get("resourceVersion", "")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_warnings()
        self.end_headers()

        def matches(g, p, ens, obj):
            return (g == res.group and p == res.plural and (not ns or ens == ns)
                    and labels_match(labels, obj["metadata"].get("labels") or {}) and fields_match(fields, obj))

        def send(event):
            line = (json.dumps(event) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()

        try:
            with STORE.lock:
                initial = []
                if rv_param in ("", "0"):
                    for key, obj in sorted(STORE.objects.items()):
                        if matches(key[0], key[1], key[2], obj):
                            initial.append({"type": "ADDED", "object": Api(STORE).present(res, obj, version)})
                    cursor = STORE.rv
                else:
                    try:
                        cursor = int(rv_param)
                    except ValueError:
                        cursor = -1
                    if cursor < STORE.compacted_rv or cursor < 0:
                        err = ApiError(410, "Expired", f"too old resource version: {rv_param} ({STORE.compacted_rv})")
                        initial.append({"type": "ERROR", "object": err.status()})
                        cursor = None
            for e in initial:
                send(e)
            if cursor is None:
                raise StopIteration
            last_bookmark = time.monotonic()
            interval = CONFIG.get("bookmark_interval", 1.0)
            while time.monotonic() < deadline:
                with STORE.lock:
                    pending = [e for e in STORE.events if e[0] > cursor]
                    if not pending:
                        STORE.lock.wait(timeout=min(0.2, max(0.0, deadline - time.monotonic())))
                        pending = [e for e in STORE.events if e[0] > cursor]
                    current = STORE.rv
                for rv, kind, g, p, ens, obj in pending:
                    cursor = rv
                    if matches(g, p, ens, obj):
                        send({"type": kind, "object": Api(STORE).present(res, obj, version)})
                if bookmarks and time.monotonic() - last_bookmark >= interval:
                    cursor = max(cursor, current)
                    send({"type": "BOOKMARK", "object": {"kind": res.kind, "apiVersion": res.api_version(version),
                                                         "metadata": {"resourceVersion": str(cursor)}}})
                    last_bookmark = time.monotonic()
        except StopIteration:
            pass
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True
            return
        try:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            self.close_connection = True


def unsupported(ctype, allowed):
    return ApiError(415, "UnsupportedMediaType", f'the body of the request was in an unknown format - accepted media '
                    f'types include: {", ".join(allowed)}', {})


def ctype_of(headers):
    return (headers.get("Content-Type") or "").split(";")[0].strip()


def decode_body(body, ctype):
    try:
        if ctype == "application/yaml":
            return json.loads(json.dumps(yaml.safe_load(body.decode()), default=str))
        return json.loads(body)
    except (ValueError, yaml.YAMLError, UnicodeDecodeError) as e:
        raise bad_request(f"error decoding body: {e}")


# ---------------------------------------------------------------------------------------------
# Certificates and kubeconfigs


def make_pki(out, port):
    now = datetime.datetime.now(datetime.timezone.utc)

    def name(cn, orgs=()):
        attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
        attrs += [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
        return x509.Name(attrs)

    def ca_cert(cn):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(name(cn))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
                .sign(key, hashes.SHA256()))
        return key, cert

    ca_key, ca = ca_cert("gitopsctl-test-ca")
    _, other = ca_cert("unrelated-ca")

    def leaf(cn, key, server, orgs=()):
        b = (x509.CertificateBuilder().subject_name(name(cn, orgs)).issuer_name(ca.subject)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server
                                                    else ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False))
        if server:
            b = b.add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        return b.sign(ca_key, hashes.SHA256())

    pem = serialization.Encoding.PEM
    write = lambda fn, data, mode=0o600: (open(os.path.join(out, fn), "wb").write(data), os.chmod(os.path.join(out, fn), mode))
    write("ca.pem", ca.public_bytes(pem), 0o644)
    write("other-ca.pem", other.public_bytes(pem), 0o644)
    srv_key = ec.generate_private_key(ec.SECP256R1())
    write("server.pem", leaf("localhost", srv_key, True).public_bytes(pem), 0o644)
    write("server.key", srv_key.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL,
                                              serialization.NoEncryption()))
    users = {
        "admin": (ec.generate_private_key(ec.SECP256R1()), serialization.PrivateFormat.TraditionalOpenSSL,
                  ["system:masters"]),
        "rsa": (rsa.generate_private_key(public_exponent=65537, key_size=2048),
                serialization.PrivateFormat.TraditionalOpenSSL, ["system:masters"]),
        "pkcs8": (ec.generate_private_key(ec.SECP256R1()), serialization.PrivateFormat.PKCS8, ["system:masters"]),
        "viewer": (ec.generate_private_key(ec.SECP256R1()), serialization.PrivateFormat.TraditionalOpenSSL, ["viewers"]),
    }
    b64 = lambda b: base64.b64encode(b).decode()
    for user, (key, fmt, orgs) in users.items():
        cn = "admin" if user in ("admin", "rsa", "pkcs8") else user
        cert = leaf(cn, key, False, orgs).public_bytes(pem)
        key_pem = key.private_bytes(pem, fmt, serialization.NoEncryption())
        write(f"{user}.crt", cert, 0o644)
        write(f"{user}.key", key_pem)
        fn = "kubeconfig" if user == "admin" else f"kubeconfig-{user}"
        write(fn, f"""apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: https://127.0.0.1:{port}
    certificate-authority-data: {b64(ca.public_bytes(pem))}
contexts:
- name: test
  context:
    cluster: test
    user: {user}
    namespace: default
current-context: test
users:
- name: {user}
  user:
    client-certificate-data: {b64(cert)}
    client-key-data: {b64(key_pem)}
""".encode())


def main():
    global STORE
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    out = args[0]
    opts = {"--client-auth": "required", "--extra-groups": "0", "--bookmark-interval": "1"}
    preload, faults = [], []
    i = 1
    while i < len(args):
        if args[i] == "--preload-crds":
            preload.append(args[i + 1])
        elif args[i] == "--fault":
            faults.append(json.loads(args[i + 1]))
        elif args[i] in opts:
            opts[args[i]] = args[i + 1]
        else:
            print(f"unknown option {args[i]}", file=sys.stderr)
            sys.exit(2)
        i += 2
    os.makedirs(out, exist_ok=True)
    CONFIG["bookmark_interval"] = float(opts["--bookmark-interval"])
    STORE = Store(int(opts["--extra-groups"]))
    crds = []
    for d in preload:
        for fn in sorted(os.listdir(d)):
            if fn.endswith((".yaml", ".yml")):
                with open(os.path.join(d, fn)) as f:
                    crds += [c for c in yaml.safe_load_all(f) if c and c.get("kind") == "CustomResourceDefinition"]
    api = Api(STORE)
    for crd in crds:
        crd = json.loads(json.dumps(crd, default=str))
        with STORE.lock:
            api.create(STORE.find("apiextensions.k8s.io", "v1", "customresourcedefinitions"), "", crd, "v1",
                       {"fieldManager": "preload"}, "preload", False)
    STORE.faults.extend(faults)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    make_pki(out, port)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(out, "server.pem"), os.path.join(out, "server.key"))
    ctx.load_verify_locations(os.path.join(out, "ca.pem"))
    ctx.verify_mode = ssl.CERT_REQUIRED if opts["--client-auth"] == "required" else ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)

    def stdin_watch():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=stdin_watch, daemon=True).start()
    print(f"READY {port}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
