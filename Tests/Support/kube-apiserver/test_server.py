#!/usr/bin/env python3
"""Strictness checks of server.py that the Swift client tests do not reach: error shapes,
content types, optimistic concurrency, field ownership corners, finalizers, CRD schemas.
Run: python3 -m unittest test_server (from this directory); a Swift test runs it too."""
import http.client
import json
import os
import ssl
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CRDS = os.path.join(HERE, "..", "..", "..", "..", "shared", "crds")


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        args = [sys.executable, os.path.join(HERE, "server.py"), cls.dir.name]
        if os.path.isdir(CRDS):
            args += ["--preload-crds", CRDS]
        cls.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = cls.proc.stdout.readline().decode()
        assert line.startswith("READY "), line
        cls.port = int(line.split()[1])
        ctx = ssl.create_default_context(cafile=os.path.join(cls.dir.name, "ca.pem"))
        ctx.load_cert_chain(os.path.join(cls.dir.name, "admin.crt"), os.path.join(cls.dir.name, "admin.key"))
        cls.ctx = ctx

    @classmethod
    def tearDownClass(cls):
        cls.proc.stdin.close()
        cls.proc.wait(timeout=10)
        cls.proc.stdout.close()
        cls.dir.cleanup()

    def call(self, method, path, body=None, ctype="application/json", accept="application/json", token=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=10)
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        headers = {"Accept": accept, "User-Agent": "unittest/1.0"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if data is not None:
            headers["Content-Type"] = ctype
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        return resp.status, (json.loads(raw) if raw else None), resp.getheader("Content-Type")

    def cm(self, name, data=None, ns="default"):
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns},
                "data": data or {}}

    def apply(self, path, obj, manager, force=False):
        q = f"?fieldManager={manager}" + ("&force=true" if force else "")
        return self.call("PATCH", path + q, json.dumps(obj).encode(), ctype="application/apply-patch+yaml")

    CM = "/api/v1/namespaces/default/configmaps"

    def test_rbac_roles_deny_with_kubes_sentence(self):
        self.call("POST", "/__admin/tokens", {"token": "bob-token", "user": "bob", "groups": []})
        self.call("POST", "/__admin/roles", {"user": "bob", "rules": [
            {"verbs": ["get", "list", "patch"], "apiGroups": [""], "resources": ["configmaps"],
             "namespaces": ["default"]}]})
        status, body, _ = self.call("GET", self.CM, token="bob-token")
        self.assertEqual(status, 200)
        q = "/rbac-x?fieldManager=bob"
        status, body, _ = self.call("PATCH", self.CM + q, json.dumps(self.cm("rbac-x")).encode(),
                                    ctype="application/apply-patch+yaml", token="bob-token")
        self.assertEqual(status, 403)
        self.assertEqual(body["reason"], "Forbidden")
        self.assertEqual(body["message"], 'configmaps "rbac-x" is forbidden: User "bob" cannot create resource '
                                          '"configmaps" in API group "" in the namespace "default"')
        self.assertEqual(body["details"], {"name": "rbac-x", "kind": "configmaps"})
        status, body, _ = self.call("GET", "/api/v1/namespaces/kube-system/configmaps", token="bob-token")
        self.assertEqual(status, 403)
        self.assertEqual(body["message"], 'configmaps is forbidden: User "bob" cannot list resource "configmaps" '
                                          'in API group "" in the namespace "kube-system"')
        status, body, _ = self.call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x",
                                    token="bob-token")
        self.assertEqual(body["message"], 'customresourcedefinitions.apiextensions.k8s.io "x" is forbidden: User '
                                          '"bob" cannot delete resource "customresourcedefinitions" in API group '
                                          '"apiextensions.k8s.io" at the cluster scope')
        self.assertEqual(body["details"]["group"], "apiextensions.k8s.io")

    def test_immutable_configmap_and_managed_fields_reset(self):
        cm = dict(self.cm("frozen", {"a": "1"}), immutable=True)
        status, _, _ = self.apply(self.CM + "/frozen", cm, "one")
        self.assertEqual(status, 201)
        status, body, _ = self.apply(self.CM + "/frozen", dict(cm, data={"a": "2"}), "one")
        self.assertEqual(status, 422)
        self.assertEqual(body["message"], 'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable '
                                          'when `immutable` is set')
        self.apply(self.CM + "/owned", self.cm("owned", {"a": "1"}), "kubectl")
        ops = [{"op": "replace", "path": "/metadata/managedFields", "value": [{}]}]
        status, body, _ = self.call("PATCH", self.CM + "/owned", ops, ctype="application/json-patch+json")
        self.assertEqual(status, 200)
        self.assertEqual([e["manager"] for e in body["metadata"].get("managedFields", [])], [])

    def test_version_and_aggregated_discovery(self):
        code, body, _ = self.call("GET", "/version")
        self.assertEqual((code, body["major"]), (200, "1"))
        code, body, ctype = self.call("GET", "/apis", accept="application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        self.assertEqual(body["kind"], "APIGroupDiscoveryList")
        self.assertIn("g=apidiscovery.k8s.io;v=v2", ctype)
        code, body, _ = self.call("GET", "/apis")
        self.assertEqual(body["kind"], "APIGroupList")

    def test_unknown_path_and_method_are_status_objects(self):
        code, body, _ = self.call("GET", "/apis/nope.example.com/v1/widgets")
        self.assertEqual((code, body["kind"], body["reason"]), (404, "Status", "NotFound"))
        code, body, _ = self.call("POST", "/api/v1", {})
        self.assertEqual((code, body["reason"]), (405, "MethodNotAllowed"))

    def test_content_types_are_enforced(self):
        code, body, _ = self.call("POST", self.CM, b"name: x", ctype="text/plain")
        self.assertEqual((code, body["reason"]), (415, "UnsupportedMediaType"))
        self.call("POST", self.CM, self.cm("smp"))
        code, _, _ = self.call("PATCH", self.CM + "/smp", {"data": {"a": "1"}},
                               ctype="application/strategic-merge-patch+json")
        self.assertEqual(code, 200)
        ks = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/default/kustomizations/x"
        code, body, _ = self.call("PATCH", ks, {"spec": {}}, ctype="application/strategic-merge-patch+json")
        self.assertEqual(code, 415, "custom resources do not take strategic merge patches")

    def test_update_needs_matching_resource_version(self):
        code, created, _ = self.call("POST", self.CM, self.cm("occ", {"a": "1"}))
        self.assertEqual(code, 201)
        stale = dict(created, data={"a": "2"})
        stale["metadata"] = dict(created["metadata"], resourceVersion="1")
        code, body, _ = self.call("PUT", self.CM + "/occ", stale)
        self.assertEqual((code, body["reason"]), (409, "Conflict"))
        missing = dict(created)
        missing["metadata"] = {k: v for k, v in created["metadata"].items() if k != "resourceVersion"}
        code, body, _ = self.call("PUT", self.CM + "/occ", missing)
        self.assertEqual((code, body["reason"]), (422, "Invalid"))
        code, body, _ = self.call("PUT", self.CM + "/occ", dict(created, data={"a": "3"}))
        self.assertEqual((code, body["data"]), (200, {"a": "3"}))
        self.assertGreater(int(body["metadata"]["resourceVersion"]), int(created["metadata"]["resourceVersion"]))

    def test_apply_needs_a_field_manager(self):
        code, body, _ = self.call("PATCH", self.CM + "/nofm", json.dumps(self.cm("nofm")).encode(),
                                  ctype="application/apply-patch+yaml")
        self.assertEqual((code, body["reason"]), (422, "Invalid"))
        self.assertEqual(body["details"]["causes"][0]["field"], "fieldManager")

    def test_noop_apply_keeps_resource_version(self):
        _, first, _ = self.apply(self.CM + "/noop", self.cm("noop", {"a": "1"}), "m")
        _, second, _ = self.apply(self.CM + "/noop", self.cm("noop", {"a": "1"}), "m")
        self.assertEqual(first["metadata"]["resourceVersion"], second["metadata"]["resourceVersion"])

    def test_update_by_another_manager_takes_the_field(self):
        self.apply(self.CM + "/own", self.cm("own", {"a": "1", "b": "2"}), "gitopsctl")
        code, _, _ = self.call("PATCH", self.CM + "/own?fieldManager=kubectl-edit", {"data": {"a": "9"}},
                               ctype="application/merge-patch+json")
        self.assertEqual(code, 200)
        code, body, _ = self.apply(self.CM + "/own", self.cm("own", {"a": "1", "b": "2"}), "gitopsctl")
        self.assertEqual(code, 409)
        self.assertEqual(body["message"], 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a')
        # A field two managers apply with the same value is shared; dropping it from one keeps it.
        self.apply(self.CM + "/own", self.cm("own", {"b": "2"}), "second")
        code, body, _ = self.apply(self.CM + "/own", self.cm("own", {"a": "9"}), "gitopsctl", force=True)
        self.assertEqual(code, 200)
        self.assertEqual(body["data"], {"a": "9", "b": "2"})

    def test_label_selectors_set_based(self):
        for name, env in (("s1", "prod"), ("s2", "dev"), ("s3", None)):
            obj = self.cm(name)
            if env:
                obj["metadata"]["labels"] = {"env": env}
            self.call("POST", "/api/v1/namespaces/kube-public/configmaps", dict(obj, metadata=dict(obj["metadata"], namespace="kube-public")))
        def names(selector):
            _, body, _ = self.call("GET", "/api/v1/namespaces/kube-public/configmaps?labelSelector=" + selector)
            return [i["metadata"]["name"] for i in body["items"]]
        self.assertEqual(names("env%20in%20(prod,dev)"), ["s1", "s2"])
        self.assertEqual(names("!env"), ["s3"])
        self.assertEqual(names("env!=prod"), ["s2", "s3"])
        code, body, _ = self.call("GET", "/api/v1/configmaps?fieldSelector=spec.x%3D1")
        self.assertEqual((code, body["reason"]), (400, "BadRequest"))

    def test_finalizers_hold_deletion(self):
        obj = self.cm("fin")
        obj["metadata"]["finalizers"] = ["example.com/hold"]
        self.call("POST", self.CM, obj)
        code, body, _ = self.call("DELETE", self.CM + "/fin")
        self.assertEqual(code, 200)
        self.assertIn("deletionTimestamp", body["metadata"])
        code, _, _ = self.call("GET", self.CM + "/fin")
        self.assertEqual(code, 200)
        self.call("PATCH", self.CM + "/fin", {"metadata": {"finalizers": None}}, ctype="application/merge-patch+json")
        code, _, _ = self.call("GET", self.CM + "/fin")
        self.assertEqual(code, 404)

    def test_namespace_deletion_removes_its_objects(self):
        self.call("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "gone"}})
        self.call("POST", "/api/v1/namespaces/gone/configmaps", self.cm("x", ns="gone"))
        self.call("DELETE", "/api/v1/namespaces/gone")
        code, _, _ = self.call("GET", "/api/v1/namespaces/gone/configmaps/x")
        self.assertEqual(code, 404)

    def test_dry_run_values(self):
        code, body, _ = self.call("POST", self.CM + "?dryRun=All", self.cm("dry"))
        self.assertEqual(code, 201)
        self.assertEqual(self.call("GET", self.CM + "/dry")[0], 404)
        code, body, _ = self.call("POST", self.CM + "?dryRun=Yes", self.cm("dry"))
        self.assertEqual((code, body["reason"]), (400, "BadRequest"))

    @unittest.skipUnless(os.path.isdir(CRDS), "needs ../shared/crds")
    def test_crd_schema_defaults_prunes_and_validates(self):
        base = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/default/kustomizations"
        ks = {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
              "metadata": {"name": "k", "namespace": "default"},
              "spec": {"interval": "5m", "prune": True, "sourceRef": {"kind": "GitRepository", "name": "s"},
                       "unknownField": 1}}
        code, body, _ = self.call("POST", base, ks)
        self.assertEqual(code, 201)
        self.assertNotIn("unknownField", body["spec"])
        self.assertEqual(body["status"], {"observedGeneration": -1})
        bad = json.loads(json.dumps(ks))
        bad["metadata"]["name"] = "k2"
        bad["spec"]["sourceRef"]["kind"] = "Nonsense"
        code, body, _ = self.call("POST", base, bad)
        self.assertEqual((code, body["reason"]), (422, "Invalid"))
        self.assertEqual(body["details"]["causes"][0]["field"], "spec.sourceRef.kind")

    def test_watch_too_old_is_an_error_event(self):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=10)
        conn.request("POST", "/__admin/compact", body=b"{}")
        conn.getresponse().read()
        conn.request("GET", self.CM + "?watch=1&resourceVersion=1&timeoutSeconds=1")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        event = json.loads(resp.readline())
        conn.close()
        self.assertEqual(event["type"], "ERROR")
        self.assertEqual((event["object"]["code"], event["object"]["reason"]), (410, "Expired"))

    def test_retry_before_retry_after_is_refused_again(self):
        path = "/api/v1/namespaces/kube-public"
        self.call("POST", "/__admin/faults", {"path": "^" + path + "$", "method": "GET", "action": "429",
                                              "retryAfter": 30})
        code, body, _ = self.call("GET", path)
        self.assertEqual((code, body["details"]["retryAfterSeconds"]), (429, 30))
        code, body, _ = self.call("GET", path)
        self.assertEqual((code, body["reason"]), (429, "TooManyRequests"))
        self.assertIn("retried before Retry-After", body["message"])
        _, log, _ = self.call("GET", "/__admin/requests")
        early = [r for r in log["requests"] if r["path"] == path and r.get("earlyRetry")]
        self.assertEqual(len(early), 1)

    def warnings(self, method, path, body=None, ctype="application/json", token=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=10)
        headers = {"Accept": "application/json", "User-Agent": "unittest/1.0"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        if data is not None:
            headers["Content-Type"] = ctype
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        resp.read()
        conn.close()
        return resp.status, resp.msg.get_all("Warning") or []

    @staticmethod
    def gadget_crd(versions, name="gadgets.warn.example.com"):
        schema = {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}
        return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": name},
                "spec": {"group": "warn.example.com", "scope": "Namespaced",
                         "names": {"plural": name.split(".")[0], "singular": name.split(".")[0][:-1],
                                   "kind": "Gadget", "listKind": "GadgetList"},
                         "versions": [{"name": v, "served": True, "storage": i == 0, "schema": schema, **extra}
                                      for i, (v, extra) in enumerate(versions)]}}

    def test_deprecated_crd_versions_warn_like_kube(self):
        crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        crd = self.gadget_crd([("v1beta1", {"deprecated": True}), ("v1alpha1", {"deprecated": True}),
                               ("v1", {}), ("v2alpha1", {}),
                               ("v1beta2", {"deprecated": True, "deprecationWarning": 'say "no" to \\ v1beta2'})])
        self.assertEqual(self.call("POST", crds, crd)[0], 201)
        base = "/apis/warn.example.com/{}/namespaces/default/gadgets"
        # The default text names the highest served, non-deprecated version above it (v1 > v2alpha1).
        self.assertEqual(self.warnings("GET", base.format("v1beta1")),
                         (200, ['299 - "warn.example.com/v1beta1 Gadget is deprecated; use warn.example.com/v1 Gadget"']))
        self.assertEqual(self.warnings("GET", base.format("v1beta2") + "/missing"),
                         (404, ['299 - "say \\"no\\" to \\\\ v1beta2"']))
        obj = {"apiVersion": "warn.example.com/v1beta1", "kind": "Gadget", "metadata": {"name": "g"}}
        self.assertEqual(self.warnings("POST", base.format("v1beta1"), obj)[0], 201)
        self.assertEqual(self.warnings("GET", base.format("v1")), (200, []))
        self.assertEqual(self.warnings("GET", base.format("v2alpha1")), (200, []))
        # Authorisation comes first: a denied request gets no warning.
        self.call("POST", "/__admin/tokens", {"token": "nobody-token", "user": "nobody", "groups": []})
        self.assertEqual(self.warnings("GET", base.format("v1beta1"), token="nobody-token"), (403, []))
        # Discovery of a deprecated version is not a request for the resource.
        self.assertEqual(self.warnings("GET", "/apis/warn.example.com/v1beta1"), (200, []))
        self.assertIn("; use warn.example.com/v1 Gadget", self.warnings("GET", base.format("v1alpha1"))[1][0])
        self.assertEqual(self.call("DELETE", crds + "/gadgets.warn.example.com")[0], 200)

    def test_crd_updates_change_what_is_served(self):
        crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        crd = self.gadget_crd([("v1", {})], "doodads.warn.example.com")
        crd["spec"]["names"].update({"kind": "Doodad", "listKind": "DoodadList"})
        self.assertEqual(self.call("POST", crds, crd)[0], 201)
        path = "/apis/warn.example.com/v1/namespaces/default/doodads"
        self.assertEqual(self.warnings("GET", path), (200, []))
        patch = [{"op": "add", "path": "/spec/versions/0/deprecated", "value": True}]
        self.assertEqual(self.call("PATCH", crds + "/doodads.warn.example.com", json.dumps(patch).encode(),
                                   ctype="application/json-patch+json")[0], 200)
        self.assertEqual(self.warnings("GET", path), (200, ['299 - "warn.example.com/v1 Doodad is deprecated"']))
        self.assertEqual(self.call("DELETE", crds + "/doodads.warn.example.com")[0], 200)

    def test_apply_without_labels_keeps_metadata(self):
        path = self.CM + "/relabel"
        self.assertEqual(self.apply(path, {**self.cm("relabel"), "metadata": {"name": "relabel", "namespace": "default",
                                                                              "labels": {"a": "b"}}}, "mgr")[0], 201)
        status, body, _ = self.apply(path, self.cm("relabel", {"k": "v"}), "mgr")
        self.assertEqual(status, 200)
        self.assertEqual(body["metadata"]["name"], "relabel")
        self.assertNotIn("labels", body["metadata"])

    def test_unknown_fields_of_custom_resources_follow_field_validation(self):
        crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        crd = self.gadget_crd([("v1", {})], "gizmos.warn.example.com")
        crd["spec"]["names"].update({"kind": "Gizmo", "listKind": "GizmoList"})
        crd["spec"]["versions"][0]["schema"] = {"openAPIV3Schema": {"type": "object", "properties": {
            "spec": {"type": "object", "properties": {"size": {"type": "integer"},
                                                      "parts": {"type": "array", "items": {
                                                          "type": "object", "properties": {"name": {"type": "string"}}}}}}}}}
        self.assertEqual(self.call("POST", crds, crd)[0], 201)
        path = "/apis/warn.example.com/v1/namespaces/default/gizmos"
        obj = {"apiVersion": "warn.example.com/v1", "kind": "Gizmo", "metadata": {"name": "g"},
               "spec": {"size": 1, "colour": "red", "parts": [{"name": "a", "weight": 2}]}, "extra": True}
        code, body, _ = self.call("POST", path + "?fieldValidation=Strict", obj)
        self.assertEqual((code, body["reason"]), (400, "BadRequest"))
        self.assertEqual(body["message"], 'Gizmo in version "v1" cannot be handled as a Gizmo: strict decoding error: '
                         'unknown field "extra", unknown field "spec.colour", unknown field "spec.parts[0].weight"')
        self.assertEqual(self.warnings("POST", path, obj),
                         (201, ['299 - "unknown field \\"extra\\""', '299 - "unknown field \\"spec.colour\\""',
                                '299 - "unknown field \\"spec.parts[0].weight\\""']))
        patch = json.dumps({"spec": {"shade": "dark"}}).encode()
        self.assertEqual(self.warnings("PATCH", path + "/g?fieldValidation=Ignore", patch,
                                       ctype="application/merge-patch+json"), (200, []))
        self.assertEqual(self.warnings("PATCH", path + "/g", patch, ctype="application/merge-patch+json"),
                         (200, ['299 - "unknown field \\"spec.shade\\""']))
        code, body, _ = self.call("GET", path + "/g")
        self.assertEqual(body["spec"], {"size": 1, "parts": [{"name": "a"}]})
        self.assertEqual(self.call("DELETE", crds + "/gizmos.warn.example.com")[0], 200)

    def test_deprecation_warning_is_validated(self):
        crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        code, body, _ = self.call("POST", crds, self.gadget_crd([("v1", {"deprecationWarning": "old"})],
                                                                 "widgets.warn.example.com"))
        self.assertEqual((code, body["reason"]), (422, "Invalid"))
        self.assertEqual(body["message"], 'CustomResourceDefinition.apiextensions.k8s.io "widgets.warn.example.com" '
                         'is invalid: spec.versions[0].deprecationWarning: Invalid value: "old": can only be set '
                         'for deprecated versions')
        code, body, _ = self.call("POST", crds, self.gadget_crd(
            [("v1", {"deprecated": True, "deprecationWarning": "tab\there"})], "widgets.warn.example.com"))
        self.assertEqual(code, 422)
        self.assertIn("non-printable character found at index 3", body["message"])
        code, body, _ = self.call("POST", crds, self.gadget_crd(
            [("v1", {"deprecated": True, "deprecationWarning": "x" * 257})], "widgets.warn.example.com"))
        self.assertEqual(code, 422)
        self.assertIn("must be <= 256 characters long", body["message"])


if __name__ == "__main__":
    unittest.main()
