#!/usr/bin/env python3
"""Writes the realistic fixture repository (33 Flux Kustomizations, nested, with components
and substituteFrom) and expected.json: for every Kustomization, the objects `kubectl kustomize`
builds from its path (with the Flux overlay as a wrapper kustomization) after postBuild
substitution done here in Python. Run from this directory: python3 generate.py"""
import json, os, re, shutil, subprocess, tempfile, textwrap, yaml

APPS = ["podinfo", "redis", "grafana", "loki", "tempo", "mimir", "nginx", "harbor", "keycloak", "vault",
        "minio", "postgres", "rabbitmq", "kafka", "zookeeper", "elastic", "kibana", "jaeger", "argo", "gitea",
        "drone", "sonar", "nexus", "mailhog", "echo", "whoami", "httpbin", "dex"]

def w(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text).lstrip("\n"))

def ks(name, path, deps=(), extra=""):
    d = "".join(f"    - name: {x}\n" for x in deps)
    d = "  dependsOn:\n" + d if deps else ""
    return f"""---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: {name}
  namespace: flux-system
spec:
  interval: 10m
{d}  sourceRef:
    kind: GitRepository
    name: flux-system
  path: {path}
  prune: true
{extra}"""

def write_repo():
    for d in ["clusters", "infrastructure", "apps", "components"]:
        shutil.rmtree(d, ignore_errors=True)
    w("clusters/prod/flux-system/gotk-sync.yaml", """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: flux-system
          namespace: flux-system
        spec:
          interval: 1m0s
          ref:
            branch: main
          url: ssh://git@example.com/org/fleet
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: flux-system
          namespace: flux-system
        spec:
          interval: 10m0s
          path: ./clusters/prod
          prune: true
          sourceRef:
            kind: GitRepository
            name: flux-system
        """)
    w("clusters/prod/flux-system/kustomization.yaml", "resources:\n- gotk-sync.yaml\n")
    w("clusters/prod/cluster-vars.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cluster-vars
          namespace: flux-system
        data:
          CLUSTER_NAME: prod-eu
          DOMAIN: example.org
          APP_REPLICAS: "3"
        """)
    subst = "  postBuild:\n    substitute:\n      TIER: platform\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars\n"
    w("clusters/prod/infrastructure.yaml",
      ks("infra-crds", "./infrastructure/crds")
      + ks("infra-controllers", "./infrastructure/controllers", ["infra-crds"], subst)
      + ks("infra-configs", "./infrastructure/configs", ["infra-controllers"], subst))
    w("clusters/prod/apps.yaml", ks("apps", "./apps/prod", ["infra-configs"]))
    w("infrastructure/crds/kustomization.yaml", "resources:\n- widgets.yaml\n")
    w("infrastructure/crds/widgets.yaml", """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.org
        spec:
          group: example.org
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
        """)
    # No kustomization.yaml: kustomize-controller generates one from the files.
    w("infrastructure/controllers/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: controllers\n")
    w("infrastructure/controllers/operator/deployment.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: widget-operator
          namespace: controllers
          labels: {cluster: "${CLUSTER_NAME}", tier: "${TIER}"}
        spec:
          replicas: ${OPERATOR_REPLICAS:=1}
          selector: {matchLabels: {app: widget-operator}}
          template:
            metadata: {labels: {app: widget-operator}}
            spec:
              containers:
              - name: operator
                image: ghcr.io/example/widget-operator:v1.2.3
                args: ["--cluster=${CLUSTER_NAME}", "--domain=${DOMAIN}"]
        """)
    w("infrastructure/configs/kustomization.yaml", """
        resources:
        - widget.yaml
        configMapGenerator:
        - name: dashboards
          namespace: controllers
          literals:
          - title=Widgets on ${CLUSTER_NAME}
          - template=$${NOT_A_VARIABLE}
        """)
    w("infrastructure/configs/widget.yaml", """
        apiVersion: example.org/v1
        kind: Widget
        metadata:
          name: default
          namespace: controllers
        spec:
          host: widgets.${DOMAIN}
          script: |
            echo "price: $$5"
            echo "${GREETING:-hello} ${CLUSTER_NAME^^}"
        """)
    w("components/common/kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        labels:
        - pairs:
            team: platform
        patches:
        - target: {kind: Deployment}
          patch: |
            - op: add
              path: /spec/template/spec/securityContext
              value: {runAsNonRoot: true}
        """)
    app_ks = ""
    for i, app in enumerate(APPS):
        base = f"apps/base/{app}"
        w(f"{base}/kustomization.yaml", "resources:\n- deployment.yaml\n- service.yaml\n")
        w(f"{base}/deployment.yaml", f"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {app}
              annotations:
                example.org/url: https://{app}.${{DOMAIN}}
            spec:
              replicas: ${{APP_REPLICAS}}
              selector: {{matchLabels: {{app: {app}}}}}
              template:
                metadata: {{labels: {{app: {app}}}}}
                spec:
                  containers:
                  - name: {app}
                    image: docker.io/example/{app}:1.{i}.0
                    env:
                    - {{name: CLUSTER, value: "${{CLUSTER_NAME}}"}}
                    - {{name: LITERAL, value: "$${{KEEP_ME}}"}}
            """)
        w(f"{base}/service.yaml", f"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {app}
            spec:
              selector: {{app: {app}}}
              ports: [{{port: 80, targetPort: 8080}}]
            """)
        extra = f"  targetNamespace: {app}\n"
        if i % 2 == 0:
            extra += "  components:\n    - ../../../components/common\n"
        if i % 3 == 0:
            extra += f"  namePrefix: {app[:3]}-\n"
        extra += "  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars\n"
        if i % 4 == 0:
            extra += "      - kind: Secret\n        name: optional-secret\n        optional: true\n"
        deps = ["infra-configs"] + ([APPS[i - 1]] if i % 5 == 4 else [])
        app_ks += ks(app, f"./apps/base/{app}", deps, extra)
    w("apps/prod/apps.yaml", app_ks)

def variables():
    data = yaml.safe_load(open("clusters/prod/cluster-vars.yaml"))["data"]
    return {k: str(v).replace("\n", "") for k, v in data.items()}

EXPR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*)|(\^\^))?\}")

def substitute(text, env):
    """The subset of fluxcd/pkg envsubst this fixture uses: ${V}, ${V:=d}, ${V:-d}, ${V^^}, $$."""
    def repl(m):
        if m.group(0) == "$$":
            return "$"
        value = env.get(m.group(1), "")
        if m.group(2):
            return value if value else m.group(3)
        if m.group(4):
            return value.upper()
        return value
    return EXPR.sub(repl, text)

def generated_resources(directory):
    out = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isdir(path):
            if any(os.path.exists(os.path.join(path, k)) for k in ["kustomization.yaml", "kustomization.yml", "Kustomization"]):
                out.append(path)
            else:
                out += generated_resources(path)
        elif name.endswith((".yaml", ".yml")):
            out.append(path)
    return out

def kubectl_build(spec):
    directory = os.path.normpath(spec["path"])
    has_k = os.path.exists(os.path.join(directory, "kustomization.yaml"))
    wrapper = tempfile.mkdtemp()
    try:
        up = os.path.relpath("/", wrapper)
        rel = lambda p: os.path.join(up, os.path.abspath(p).lstrip("/"))
        k = {"resources": [rel(directory)] if has_k else [rel(p) for p in generated_resources(directory)]}
        if "targetNamespace" in spec: k["namespace"] = spec["targetNamespace"]
        if "namePrefix" in spec: k["namePrefix"] = spec["namePrefix"]
        if "components" in spec: k["components"] = [rel(os.path.join(directory, c)) for c in spec["components"]]
        with open(os.path.join(wrapper, "kustomization.yaml"), "w") as f:
            yaml.safe_dump(k, f)
        out = subprocess.run(["kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone", wrapper],
                             check=True, capture_output=True, text=True).stdout
    finally:
        shutil.rmtree(wrapper)
    return [d for d in yaml.safe_load_all(out) if d is not None]

def expected():
    kustomizations = []
    for file in ["clusters/prod/flux-system/gotk-sync.yaml", "clusters/prod/infrastructure.yaml",
                 "clusters/prod/apps.yaml", "apps/prod/apps.yaml"]:
        kustomizations += [d for d in yaml.safe_load_all(open(file)) if d and d["kind"] == "Kustomization"]
    env = variables()
    result = {}
    for k in kustomizations:
        spec = k["spec"]
        objects = kubectl_build(spec)
        if "postBuild" in spec:
            local = dict(env)
            local.update(spec["postBuild"].get("substitute", {}))
            objects = [yaml.safe_load(substitute(yaml.safe_dump(o, sort_keys=False, width=1 << 20), local)) for o in objects]
        result[k["metadata"]["name"]] = objects
    return result

if __name__ == "__main__":
    write_repo()
    with open("expected.json", "w") as f:
        json.dump(expected(), f, indent=1, sort_keys=True)
        f.write("\n")
