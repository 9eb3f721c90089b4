// Tests of the vecgate chart on what `helm template` renders (helm/test.sh sets the environment:
// HELM, CHART, OUT, TOOLS; VECGATE_JAR and JAVA_HOME for the option-name checks).
//
// For the default values and every CI values file: each document is validated against the
// Kubernetes schemas (kubernetes-models) and checked for fields the API does not know; then what
// matters for vecgate is checked. Bad values must be refused with a message.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { StrictFields } from "./strict-fields.mjs";

const { HELM, CHART, OUT, TOOLS } = process.env;
const require = createRequire(path.join(TOOLS, "node_modules", "x.js"));
const yaml = require("js-yaml");
const modelsDir = path.dirname(require.resolve("kubernetes-models/package.json"));
const strict = new StrictFields(modelsDir);

const ROLES = ["gateway", "writer", "reader"];
const failures = [];
let checks = 0;

function check(name, fn) {
  checks++;
  try {
    fn();
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
/** JSON with object keys sorted, so that key order does not matter. */
function canonical(x) {
  if (Array.isArray(x)) return `[${x.map(canonical).join(",")}]`;
  if (x && typeof x === "object") return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${canonical(x[k])}`).join(",")}}`;
  return JSON.stringify(x);
}
function eq(actual, expected, what) {
  const a = canonical(actual), e = canonical(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

function helm(args) {
  const r = spawnSync(HELM, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** Renders the chart; returns its documents (hook tests included). */
function render(name, files = [], sets = [], release = "vg") {
  const args = ["template", release, CHART, "--namespace", "search"];
  for (const f of files) args.push("-f", f);
  for (const s of sets) args.push("--set", s);
  const r = helm(args);
  if (!r.ok) throw new Error(`helm template ${args.slice(3).join(" ")} failed: ${r.stderr}`);
  fs.mkdirSync(path.join(OUT, "render"), { recursive: true });
  fs.writeFileSync(path.join(OUT, "render", `${name}.yaml`), r.stdout);
  return yaml.loadAll(r.stdout).filter((d) => d);
}

function merge(a, b) {
  if (b === undefined) return a;
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const o = { ...a };
    for (const [k, v] of Object.entries(b)) o[k] = merge(a[k], v);
    return o;
  }
  return b;
}
function valuesOf(files) {
  let v = yaml.load(fs.readFileSync(path.join(CHART, "values.yaml"), "utf8"));
  for (const f of files) v = merge(v, yaml.load(fs.readFileSync(f, "utf8")));
  return v;
}

// ---- Kubernetes schema validation -------------------------------------------------------------

function modelClass(doc) {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  const dir = group ? path.join(modelsDir, group, version) : path.join(modelsDir, version);
  const file = path.join(dir, `${doc.kind}.js`);
  assert(fs.existsSync(file), `no schema for ${doc.apiVersion} ${doc.kind}`);
  return require(file)[doc.kind];
}

function validateDoc(doc) {
  const Cls = modelClass(doc);
  new Cls(doc).validate();
  const unknown = strict.unknownFields(doc);
  assert(unknown.length === 0, `fields Kubernetes does not know: ${unknown.join(", ")}`);
}

// ---- helpers over rendered documents ----------------------------------------------------------

const byKind = (docs, kind) => docs.filter((d) => d.kind === kind);
const named = (docs, kind, name) => docs.find((d) => d.kind === kind && d.metadata.name === name);
const component = (d) => d.metadata?.labels?.["app.kubernetes.io/component"];
const workloads = (docs) => docs.filter((d) => ["Deployment", "StatefulSet"].includes(d.kind));
const roleWorkload = (docs, role) => {
  const w = workloads(docs).filter((d) => component(d) === role);
  eq(w.length, 1, `workloads of component ${role}`);
  return w[0];
};
const container = (w) => w.spec.template.spec.containers[0];
const envOf = (c) => Object.fromEntries((c.env || []).map((e) => [e.name, e]));
const selects = (selector, labels) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function configMap(docs) {
  const cms = byKind(docs, "ConfigMap");
  eq(cms.length, 1, "ConfigMaps");
  return cms[0];
}
function properties(text) {
  const p = {};
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t || t.startsWith("#")) continue;
    const i = t.indexOf("=");
    p[t.slice(0, i)] = t.slice(i + 1);
  }
  return p;
}
function roleProperties(docs, role) {
  const w = roleWorkload(docs, role);
  const c = container(w);
  const i = c.args.indexOf("--config");
  assert(i >= 0, `${role}: no --config argument in ${JSON.stringify(c.args)}`);
  const file = c.args[i + 1];
  const mount = c.volumeMounts.find((m) => file.startsWith(m.mountPath + "/"));
  assert(mount, `${role}: ${file} is on no volume mount`);
  const vol = w.spec.template.spec.volumes.find((v) => v.name === mount.name);
  const cm = configMap(docs);
  eq(vol.configMap?.name, cm.metadata.name, `${role}: volume of ${file}`);
  const key = path.basename(file);
  assert(cm.data[key] !== undefined, `${role}: ConfigMap has no ${key}`);
  return properties(cm.data[key]);
}
function secretValue(docs, name, key) {
  const s = named(docs, "Secret", name);
  if (!s) return undefined;
  assert(s.data?.[key] !== undefined, `Secret ${name} has no key ${key}`);
  return Buffer.from(s.data[key], "base64").toString("utf8");
}

// ---- the option names of each role, from the jar ----------------------------------------------

function roleOptions() {
  const jar = process.env.VECGATE_JAR;
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java";
  if (!jar || !fs.existsSync(jar)) return null;
  const opts = {};
  for (const role of ROLES) {
    const r = spawnSync(java, ["--add-modules=jdk.incubator.vector", "-jar", jar, role, "--help"], { encoding: "utf8" });
    assert(r.status === 0, `${java} -jar ${jar} ${role} --help failed: ${r.stderr}`);
    opts[role] = new Set([...r.stdout.matchAll(/--([a-z][a-z0-9-]*)=/g)].map((m) => m[1]));
    assert(opts[role].has("data-dir"), `${role} --help lists no --data-dir: ${r.stdout.slice(0, 200)}`);
  }
  return opts;
}

// ---- the checks of one rendered scenario ------------------------------------------------------

function checkScenario(name, docs, v, options) {
  const t = (what, fn) => check(`${name}: ${what}`, fn);

  for (const d of docs) t(`${d.kind} ${d.metadata?.name} is valid`, () => validateDoc(d));

  t("every object has a component label and a unique name", () => {
    const seen = new Set();
    for (const d of docs) {
      assert(component(d), `${d.kind} ${d.metadata.name} has no app.kubernetes.io/component label`);
      const key = `${d.kind}/${d.metadata.name}`;
      assert(!seen.has(key), `${key} twice`);
      seen.add(key);
    }
  });

  t("exactly one writer: a StatefulSet of one pod, no other replicas setting", () => {
    const w = roleWorkload(docs, "writer");
    eq(w.kind, "StatefulSet", "writer kind");
    eq(w.spec.replicas, 1, "writer replicas");
    eq(w.spec.updateStrategy?.type, "RollingUpdate", "writer updateStrategy");
    const gov = named(docs, "Service", w.spec.serviceName);
    assert(gov, `governing Service ${w.spec.serviceName} missing`);
    eq(gov.spec.clusterIP, "None", "governing Service clusterIP");
    assert(selects(gov.spec.selector, w.spec.template.metadata.labels), "governing Service does not select the writer");
    assert(!docs.some((d) => d.kind === "HorizontalPodAutoscaler"), "an autoscaler would scale the writer");
  });

  t("readers and gateways are Deployments with the replicas of the values", () => {
    for (const role of ["reader", "gateway"]) {
      const w = roleWorkload(docs, role);
      eq(w.kind, "Deployment", `${role} kind`);
      eq(w.spec.replicas, v[role].replicas, `${role} replicas`);
      assert(selects(w.spec.selector.matchLabels, w.spec.template.metadata.labels), `${role} selector does not match its pods`);
      eq(w.spec.selector.matchLabels["app.kubernetes.io/component"], role, `${role} selector component`);
    }
  });

  for (const role of ROLES) {
    t(`${role}: runs the start script with its role and properties file`, () => {
      const c = container(roleWorkload(docs, role));
      eq(c.command, ["/bin/bash", "/etc/vecgate/start.sh"], `${role} command`);
      eq(c.args[0], role, `${role} first argument`);
      assert(configMap(docs).data["start.sh"].startsWith("#!/usr/bin/env bash"), "start.sh missing from the ConfigMap");
    });

    t(`${role}: probes on the node endpoints of the port it listens on`, () => {
      const w = roleWorkload(docs, role);
      const c = container(w);
      const p = roleProperties(docs, role);
      const listen = Number(role === "gateway" ? p["read-port"] : p["http-port"]);
      const portNames = Object.fromEntries(c.ports.map((x) => [x.name, x.containerPort]));
      for (const [probe, pathWanted] of [["startupProbe", "/health/live"], ["livenessProbe", "/health/live"], ["readinessProbe", "/health/ready"]]) {
        const pr = c[probe];
        assert(pr?.httpGet, `${role} has no ${probe}`);
        eq(pr.httpGet.path, pathWanted, `${role} ${probe} path`);
        const port = typeof pr.httpGet.port === "string" ? portNames[pr.httpGet.port] : pr.httpGet.port;
        eq(port, listen, `${role} ${probe} port (the ${role === "gateway" ? "read-port" : "http-port"} of its properties)`);
      }
      const budget = c.startupProbe.periodSeconds * c.startupProbe.failureThreshold;
      const wait = role === "writer" ? 0 : v.cluster.waitForWriterSeconds;
      assert(budget > wait + v.cluster.dnsWaitSeconds, `${role} startup probe allows ${budget} s, less than the start script may wait (${wait + v.cluster.dnsWaitSeconds} s)`);
    });

    t(`${role}: Prometheus annotations on /metrics of a port it serves`, () => {
      const w = roleWorkload(docs, role);
      const a = w.spec.template.metadata.annotations;
      eq(a["prometheus.io/scrape"], "true", `${role} prometheus.io/scrape`);
      eq(a["prometheus.io/path"], "/metrics", `${role} prometheus.io/path`);
      const p = roleProperties(docs, role);
      eq(a["prometheus.io/port"], role === "gateway" ? p["read-port"] : p["http-port"], `${role} prometheus.io/port`);
      assert(container(w).ports.some((x) => String(x.containerPort) === a["prometheus.io/port"]), `${role}: the scrape port is not a container port`);
    });

    t(`${role}: checksum/config annotation of the rendered ConfigMap`, () => {
      const a = roleWorkload(docs, role).spec.template.metadata.annotations;
      assert(/^[0-9a-f]{64}$/.test(a["checksum/config"] || ""), `${role} checksum/config is ${a["checksum/config"]}`);
    });

    t(`${role}: pod address, name and cluster settings from the environment`, () => {
      const e = envOf(container(roleWorkload(docs, role)));
      eq(e.VECGATE_HOST?.valueFrom?.fieldRef?.fieldPath, "status.podIP", `${role} VECGATE_HOST`);
      eq(e.VECGATE_NODE_ID?.valueFrom?.fieldRef?.fieldPath, "metadata.name", `${role} VECGATE_NODE_ID`);
      eq(e.VECGATE_CLUSTER_PORT?.value, String(v.cluster.port), `${role} VECGATE_CLUSTER_PORT`);
      eq(e.JAVA_OPTS?.value, v[role].javaOpts, `${role} JAVA_OPTS`);
      const dns = e.VECGATE_CLUSTER_DNS.value.split(",");
      eq(dns.length, 3, `${role} VECGATE_CLUSTER_DNS entries`);
      for (const r of ROLES) {
        const svcName = `vg-vecgate-${r}-headless`;
        assert(dns.includes(`${svcName}.search.svc.${v.clusterDomain}`), `${role}: ${svcName} not in VECGATE_CLUSTER_DNS ${dns}`);
        const svc = named(docs, "Service", svcName);
        assert(svc, `${svcName} missing`);
        eq(svc.spec.clusterIP, "None", `${svcName} clusterIP`);
        eq(svc.spec.publishNotReadyAddresses, true, `${svcName} publishNotReadyAddresses`);
        const target = roleWorkload(docs, r);
        assert(selects(svc.spec.selector, target.spec.template.metadata.labels), `${svcName} does not select the ${r} pods`);
        const hz = container(target).ports.find((x) => x.name === "hazelcast");
        eq(hz?.containerPort, v.cluster.port, `${r} hazelcast container port`);
      }
      const p = roleProperties(docs, role);
      eq(p["cluster-port"], String(v.cluster.port), `${role} cluster-port`);
      eq(p["cluster-name"], v.cluster.name || "vg-vecgate", `${role} cluster-name`);
      if (role !== "writer") {
        eq(e.VECGATE_CLUSTER_WAIT_FOR?.value, `vg-vecgate-writer-0.vg-vecgate-writer-headless.search.svc.${v.clusterDomain}:${v.cluster.port}`,
          `${role} VECGATE_CLUSTER_WAIT_FOR (the writer pod's stable name)`);
      } else {
        assert(!e.VECGATE_CLUSTER_WAIT_FOR, "the writer must not wait for itself");
      }
    });

    t(`${role}: the role's config values reach its properties file`, () => {
      const p = roleProperties(docs, role);
      for (const [k, val] of Object.entries(v[role].config || {})) eq(p[k], String(val), `${role} ${k}`);
      eq(p["log-format"], v.log.format, `${role} log-format`);
    });

    if (options) {
      t(`${role}: every key of its properties file is an option of \`vecgate ${role}\``, () => {
        for (const k of Object.keys(roleProperties(docs, role))) {
          assert(options[role].has(k), `${role}.properties sets ${k}, which \`vecgate ${role} --help\` does not list`);
        }
        const e = envOf(container(roleWorkload(docs, role)));
        for (const opt of ["host", "node-id", "cluster-port"]) {
          assert(options[role].has(opt), `VECGATE_${opt.toUpperCase().replace(/-/g, "_")} names no option of ${role}`);
          assert(e[`VECGATE_${opt.toUpperCase().replace(/-/g, "_")}`], `${role} has no VECGATE_ env for --${opt}`);
        }
        if (role !== "reader") {
          for (const opt of ["alias-store", "alias-key-prefix", "alias-history"]) assert(options[role].has(opt), `${role} has no --${opt}`);
        }
      });
    }
  }

  t("the shared volume: one ReadWriteMany claim, mounted by the writer and every reader at the data directory", () => {
    const claim = v.persistence.existingClaim || "vg-vecgate-data";
    const mountOf = (role) => {
      const w = roleWorkload(docs, role);
      const vol = w.spec.template.spec.volumes.find((x) => x.persistentVolumeClaim);
      assert(vol, `${role} mounts no claim`);
      eq(vol.persistentVolumeClaim.claimName, claim, `${role} claim`);
      const m = container(w).volumeMounts.find((x) => x.name === vol.name);
      eq(m?.mountPath, roleProperties(docs, role)["data-dir"], `${role} mount path (its data-dir)`);
      return m;
    };
    const wm = mountOf("writer");
    const rm = mountOf("reader");
    assert(!wm.readOnly, "the writer's data mount is read-only");
    eq(rm.readOnly, true, "the readers' data mount readOnly");
    const gw = roleWorkload(docs, "gateway");
    assert(!(gw.spec.template.spec.volumes || []).some((x) => x.persistentVolumeClaim), "the gateway mounts a claim");
    const users = workloads(docs).filter((w) => (w.spec.template.spec.volumes || []).some((x) => x.persistentVolumeClaim?.claimName === claim));
    eq(users.map(component).sort(), ["reader", "writer"], "workloads on the data claim");
    const pvc = named(docs, "PersistentVolumeClaim", claim);
    if (v.persistence.existingClaim) {
      assert(!pvc, "an existing claim must not be created");
    } else {
      assert(pvc, `claim ${claim} not rendered`);
      assert(pvc.spec.accessModes.includes("ReadWriteMany"), `claim access modes ${pvc.spec.accessModes}`);
      eq(pvc.spec.resources.requests.storage, v.persistence.size, "claim size");
      if (v.persistence.storageClass) eq(pvc.spec.storageClassName, v.persistence.storageClass, "storage class");
      eq(pvc.metadata.annotations?.["helm.sh/resource-policy"], "keep", "claim resource policy");
    }
  });

  t("the alias store: Redis in distributed mode, the same URI for every role", () => {
    eq(v.aliasStore.type, "redis", "aliasStore.type of this scenario");
    for (const role of ROLES) {
      const e = envOf(container(roleWorkload(docs, role)));
      const ref = e.VECGATE_ALIAS_STORE?.valueFrom?.secretKeyRef;
      assert(ref, `${role}: VECGATE_ALIAS_STORE is not from a Secret`);
      eq(e.VECGATE_ALIAS_KEY_PREFIX?.value, v.aliasStore.keyPrefix, `${role} alias key prefix`);
      if (v.externalRedis.existingSecret && !v.redis.enabled) {
        eq([ref.name, ref.key], [v.externalRedis.existingSecret, v.externalRedis.existingSecretKey], `${role} alias store Secret`);
        assert(!named(docs, "Secret", ref.name), "the user's Secret must not be rendered");
        continue;
      }
      const uri = secretValue(docs, ref.name, ref.key);
      assert(uri !== undefined, `${role}: Secret ${ref.name} not rendered`);
      assert(/^rediss?:\/\//.test(uri), `${role}: alias store ${uri} is not a Redis URI`);
      if (v.redis.enabled) {
        const u = new URL(uri);
        const svc = named(docs, "Service", u.hostname);
        assert(svc, `the alias store names ${u.hostname}, which is no Service of the chart`);
        eq(svc.spec.ports[0].port, Number(u.port), "Redis Service port");
        const redis = roleWorkload(docs, "redis");
        assert(selects(svc.spec.selector, redis.spec.template.metadata.labels), "the Redis Service does not select the Redis pod");
        eq(decodeURIComponent(u.password), v.redis.password, "password in the alias store URI");
        if (v.redis.password) {
          const args = container(redis).args;
          assert(args.includes("--requirepass"), "Redis has no --requirepass");
          eq(secretValue(docs, "vg-vecgate-redis", "password"), v.redis.password, "Redis password Secret");
        }
      } else {
        eq(uri, v.externalRedis.uri, "external alias store URI");
        assert(!workloads(docs).some((w) => component(w) === "redis"), "Redis rendered although redis.enabled=false");
      }
    }
  });

  t("Services select one component's pods and name ports those pods have", () => {
    for (const svc of byKind(docs, "Service")) {
      const targets = workloads(docs).filter((w) => selects(svc.spec.selector, w.spec.template.metadata.labels));
      eq(targets.length, 1, `workloads selected by Service ${svc.metadata.name}`);
      eq(component(targets[0]), component(svc), `component of Service ${svc.metadata.name}`);
      const names = targets[0].spec.template.spec.containers.flatMap((c) => c.ports.map((p) => p.name));
      for (const p of svc.spec.ports) assert(names.includes(p.targetPort), `Service ${svc.metadata.name} targets port ${p.targetPort}, not one of ${names}`);
    }
  });

  t("gateway: separate read and write Services", () => {
    const read = named(docs, "Service", "vg-vecgate-gateway-read");
    const write = named(docs, "Service", "vg-vecgate-gateway-write");
    eq(read?.spec.ports.map((p) => p.targetPort), ["read"], "read Service ports");
    eq(write?.spec.ports.map((p) => p.targetPort), ["write"], "write Service ports");
    const c = container(roleWorkload(docs, "gateway"));
    const p = roleProperties(docs, "gateway");
    eq(c.ports.find((x) => x.name === "read").containerPort, Number(p["read-port"]), "read container port");
    eq(c.ports.find((x) => x.name === "write").containerPort, Number(p["write-port"]), "write container port");
  });

  t("reader: its gRPC container port is its grpc-port", () => {
    const c = container(roleWorkload(docs, "reader"));
    eq(c.ports.find((x) => x.name === "grpc")?.containerPort, Number(roleProperties(docs, "reader")["grpc-port"]), "grpc port");
  });

  t("disruption budgets for scaled roles only", () => {
    const pdbs = byKind(docs, "PodDisruptionBudget");
    const want = ["gateway", "reader"].filter((r) => v[r].replicas > 1);
    eq(pdbs.map(component).sort(), want.sort(), "PodDisruptionBudgets");
    for (const p of pdbs) assert(selects(p.spec.selector.matchLabels, roleWorkload(docs, component(p)).spec.template.metadata.labels), `${p.metadata.name} selects nothing`);
  });

  t("PostgreSQL only when enabled, with the URI rebuild jobs need", () => {
    const pg = workloads(docs).filter((w) => component(w) === "postgresql");
    eq(pg.length, v.postgresql.enabled ? 1 : 0, "PostgreSQL workloads");
    if (v.postgresql.enabled) {
      const uri = new URL(secretValue(docs, "vg-vecgate-postgresql", "uri"));
      eq(uri.protocol, "postgresql:", "PostgreSQL URI scheme");
      assert(named(docs, "Service", uri.hostname), `PostgreSQL URI host ${uri.hostname} is no Service`);
      if (v.postgresql.auth.password) eq(decodeURIComponent(uri.password), v.postgresql.auth.password, "PostgreSQL password");
    }
  });

  t("Ingress: the read domain to the read Service, the write domain to the write Service", () => {
    const ings = byKind(docs, "Ingress");
    eq(ings.length, v.ingress.enabled ? 1 : 0, "Ingresses");
    if (!v.ingress.enabled) return;
    const rules = Object.fromEntries(ings[0].spec.rules.map((r) => [r.host, r.http.paths[0].backend.service]));
    eq(rules[v.ingress.read.host], { name: "vg-vecgate-gateway-read", port: { name: "read" } }, "read host backend");
    eq(rules[v.ingress.write.host], { name: "vg-vecgate-gateway-write", port: { name: "write" } }, "write host backend");
    eq(ings[0].spec.ingressClassName, v.ingress.className, "ingress class");
    eq(ings[0].spec.tls, v.ingress.tls, "ingress TLS");
  });

  t("every vecgate pod runs unprivileged with a writable /tmp only", () => {
    for (const role of ROLES) {
      const w = roleWorkload(docs, role);
      eq(w.spec.template.spec.securityContext.runAsNonRoot, true, `${role} runAsNonRoot`);
      eq(container(w).securityContext.readOnlyRootFilesystem, true, `${role} readOnlyRootFilesystem`);
      const tmp = container(w).volumeMounts.find((m) => m.mountPath === "/tmp");
      assert(tmp && w.spec.template.spec.volumes.find((x) => x.name === tmp.name).emptyDir, `${role} has no emptyDir /tmp`);
    }
  });
}

// ---- scenarios --------------------------------------------------------------------------------

let options = null;
check("the option names of each role, from the jar", () => {
  options = roleOptions();
  if (!options) console.error(`chart-test: ${process.env.VECGATE_JAR} not built: option names not checked against the jar`);
});

const ciFiles = fs.readdirSync(path.join(CHART, "ci")).filter((f) => f.endsWith(".yaml")).sort();
const scenarios = [["default", []], ...ciFiles.map((f) => [path.basename(f, ".yaml"), [path.join(CHART, "ci", f)]])];
let documents = 0;
for (const [name, files] of scenarios) {
  let docs;
  check(`${name}: renders`, () => {
    docs = render(name, files);
  });
  if (!docs) continue;
  documents += docs.length;
  checkScenario(name, docs, valuesOf(files), options);
}

check("the config checksum changes with the config, and only then", () => {
  const sums = (docs) => Object.fromEntries(ROLES.map((r) => [r, roleWorkload(docs, r).spec.template.metadata.annotations["checksum/config"]]));
  const base = sums(render("checksum-base"));
  const changed = sums(render("checksum-config", [], ["writer.config.refresh-interval=5s"]));
  const scaled = sums(render("checksum-scaled", [], ["reader.replicas=7"]));
  for (const r of ROLES) {
    assert(base[r] !== changed[r], `${r}: checksum did not change with writer.config`);
    eq(base[r], scaled[r], `${r}: checksum changed with reader.replicas`);
  }
});

check("the validation catches what it should (a misspelled field, a wrong type)", () => {
  const docs = render("self-test");
  const w = structuredClone(roleWorkload(docs, "reader"));
  container(w).readinesProbe = container(w).readinessProbe;
  eq(strict.unknownFields(w), ["spec.template.spec.containers[0].readinesProbe"], "unknown fields of a misspelled probe");
  const w2 = structuredClone(roleWorkload(docs, "reader"));
  container(w2).ports[0].containerPort = "ninety";
  let refused = false;
  try {
    validateDoc(w2);
  } catch (e) {
    refused = /containerPort must be integer/.test(e.message);
  }
  assert(refused, "a string containerPort was accepted");
});

check("names stay within Kubernetes' limits with the longest release name", () => {
  const release = "a-very-long-release-name-that-goes-on-and-on-and-on-x"; // 53: helm's own limit
  const docs = render("long-name", [], [], release);
  for (const d of docs) {
    const n = d.metadata.name;
    assert(n.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(n), `${d.kind} name ${n} (${n.length} characters)`);
    if (d.kind === "StatefulSet") assert(n.length <= 52, `StatefulSet name ${n} leaves no room for its revision hash label`);
  }
});

// The start script on its own, with a launcher that prints what it was given.
{
  const tmp = fs.mkdtempSync(path.join(OUT, "start-sh-"));
  let script;
  check("start.sh: taken from the rendered ConfigMap", () => {
    script = path.join(tmp, "start.sh");
    fs.writeFileSync(script, configMap(render("start-sh")).data["start.sh"]);
  });
  const launcher = path.join(tmp, "launcher");
  fs.writeFileSync(launcher, '#!/bin/sh\necho "members=${VECGATE_CLUSTER_MEMBERS:-} args=$*"\n', { mode: 0o755 });
  const run = (env) => {
    const r = spawnSync("bash", [script, "reader", "--config", "/etc/vecgate/reader.properties"], {
      encoding: "utf8", timeout: 30000, env: { PATH: process.env.PATH, VECGATE_LAUNCHER: launcher, ...env },
    });
    return { ...r, out: r.stdout.trim(), err: r.stderr };
  };
  const t = (name, fn) => check(`start.sh: ${name}`, () => script && fn());
  t("passes the resolved members (deduplicated, own address included) and the arguments", () => {
    const r = run({ VECGATE_HOST: "127.0.0.1", VECGATE_CLUSTER_PORT: "5799", VECGATE_CLUSTER_DNS: "localhost,localhost,nosuchhost.invalid" });
    eq(r.status, 0, `exit status (${r.err})`);
    eq(r.out, "members=127.0.0.1:5799 args=reader --config /etc/vecgate/reader.properties", "launcher output");
    assert(r.err.includes("cluster members: 127.0.0.1:5799"), `log: ${r.err}`);
  });
  t("adds its own address when the DNS does not list it, after waiting VECGATE_CLUSTER_DNS_WAIT_SECONDS", () => {
    const t0 = Date.now();
    const r = run({ VECGATE_HOST: "10.1.2.3", VECGATE_CLUSTER_DNS: "localhost", VECGATE_CLUSTER_DNS_WAIT_SECONDS: "2" });
    eq(r.out.split(" ")[0], "members=127.0.0.1:5701,10.1.2.3:5701", "members");
    assert(Date.now() - t0 >= 900, "did not wait for the DNS"); // bash SECONDS counts whole seconds
  });
  t("gives up waiting for an unreachable writer after VECGATE_CLUSTER_WAIT_SECONDS, and says so", () => {
    const r = run({ VECGATE_HOST: "127.0.0.1", VECGATE_CLUSTER_DNS: "localhost", VECGATE_CLUSTER_WAIT_FOR: "127.0.0.1:1", VECGATE_CLUSTER_WAIT_SECONDS: "1" });
    eq(r.status, 0, `exit status (${r.err})`);
    assert(r.err.includes("did not answer within 1 s"), `log: ${r.err}`);
    eq(r.out.split(" ")[0], "members=127.0.0.1:5701", "members");
  });
  t("leaves VECGATE_CLUSTER_MEMBERS alone when it is set", () => {
    const r = run({ VECGATE_HOST: "127.0.0.1", VECGATE_CLUSTER_MEMBERS: "10.0.0.9:5701", VECGATE_CLUSTER_DNS: "localhost", VECGATE_CLUSTER_WAIT_FOR: "127.0.0.1:1" });
    eq(r.out.split(" ")[0], "members=10.0.0.9:5701", "members");
    assert(!r.err.includes("did not answer"), "waited although the members were given");
  });
  t("starts alone when nothing resolves", () => {
    const r = run({ VECGATE_CLUSTER_DNS: "nosuchhost.invalid" });
    eq(r.out.split(" ")[0], "members=", "members");
    assert(r.err.includes("starts a cluster of its own"), `log: ${r.err}`);
  });
  fs.rmSync(tmp, { recursive: true, force: true });
}

check("hazelcast alias store: no Redis, no Secret, the same value for every role", () => {
  const docs = render("hazelcast", [], ["aliasStore.type=hazelcast", "redis.enabled=false"]);
  for (const d of docs) validateDoc(d);
  for (const role of ROLES) eq(envOf(container(roleWorkload(docs, role))).VECGATE_ALIAS_STORE?.value, "hazelcast", `${role} alias store`);
  assert(!byKind(docs, "Secret").length, "a Secret was rendered");
  assert(!workloads(docs).some((w) => component(w) === "redis"), "Redis rendered");
});

check("tokens: every role's VECGATE_*_TOKEN from the user's Secret, each key optional, each an option of the jar", () => {
  const docs = render("tokens", [], ["auth.existingSecret=vg-tokens", "auth.adminTokenKey=admin"]);
  for (const d of docs) validateDoc(d);
  for (const role of ROLES) {
    const e = envOf(container(roleWorkload(docs, role)));
    for (const [level, key] of [["read", "read-token"], ["write", "write-token"], ["admin", "admin"]]) {
      const name = `VECGATE_${level.toUpperCase()}_TOKEN`;
      const ref = e[name]?.valueFrom?.secretKeyRef;
      assert(ref, `${role}: ${name} is not from a Secret`);
      eq([ref.name, ref.key, ref.optional], ["vg-tokens", key, true], `${role} ${name}`);
      if (options) assert(options[role].has(`${level}-token`), `${name} names no option of ${role}`);
    }
  }
  assert(!named(docs, "Secret", "vg-tokens"), "the user's Secret must not be rendered");
  const open = render("no-tokens");
  for (const role of ROLES) assert(!envOf(container(roleWorkload(open, role))).VECGATE_ADMIN_TOKEN, `${role}: a token without auth.existingSecret`);
});

check("tls: gateways serve HTTPS and call readers over mutual TLS from the user's Secret; writers untouched", () => {
  const docs = render("tls", [], ["tls.existingSecret=vg-tls"]);
  for (const d of docs) validateDoc(d);
  const want = {
    gateway: { VECGATE_TLS_CERT: "/etc/vecgate-tls/tls.crt", VECGATE_TLS_KEY: "/etc/vecgate-tls/tls.key", VECGATE_READER_TLS_CA: "/etc/vecgate-tls/ca.crt" },
    reader: { VECGATE_TLS_CERT: "/etc/vecgate-tls/tls.crt", VECGATE_TLS_KEY: "/etc/vecgate-tls/tls.key", VECGATE_TLS_CLIENT_CA: "/etc/vecgate-tls/ca.crt" },
  };
  for (const role of ["gateway", "reader"]) {
    const w = roleWorkload(docs, role);
    const c = container(w);
    const e = envOf(c);
    for (const [name, value] of Object.entries(want[role])) {
      eq(e[name]?.value, value, `${role} ${name}`);
      const opt = name.slice("VECGATE_".length).toLowerCase().replace(/_/g, "-");
      if (options) assert(options[role].has(opt), `${name} names no option of ${role}`);
    }
    const vol = w.spec.template.spec.volumes.find((v) => v.name === "tls");
    eq(vol?.secret?.secretName, "vg-tls", `${role} TLS volume`);
    eq(c.volumeMounts.find((m) => m.name === "tls")?.mountPath, "/etc/vecgate-tls", `${role} TLS mount`);
    eq(c.readinessProbe.httpGet.scheme, role === "gateway" ? "HTTPS" : "HTTP", `${role} probe scheme`);
  }
  const writer = container(roleWorkload(docs, "writer"));
  assert(!envOf(writer).VECGATE_TLS_CERT, "the writer has no TLS listener to configure");
  assert(!named(docs, "Secret", "vg-tls"), "the user's Secret must not be rendered");
});

check("tls.eventBus: every role, the writer too, talks event bus over mutual TLS with the Secret's files", () => {
  const docs = render("tls-event-bus", [], ["tls.existingSecret=vg-tls", "tls.eventBus=true"]);
  for (const d of docs) validateDoc(d);
  const want = { VECGATE_CLUSTER_TLS_CERT: "/etc/vecgate-tls/tls.crt", VECGATE_CLUSTER_TLS_KEY: "/etc/vecgate-tls/tls.key",
    VECGATE_CLUSTER_TLS_CA: "/etc/vecgate-tls/ca.crt" };
  for (const role of ROLES) {
    const w = roleWorkload(docs, role);
    const c = container(w);
    const e = envOf(c);
    for (const [name, value] of Object.entries(want)) {
      eq(e[name]?.value, value, `${role} ${name}`);
      const opt = name.slice("VECGATE_".length).toLowerCase().replace(/_/g, "-");
      if (options) assert(options[role].has(opt), `${name} names no option of ${role}`);
    }
    eq(w.spec.template.spec.volumes.find((v) => v.name === "tls")?.secret?.secretName, "vg-tls", `${role} TLS volume`);
    eq(c.volumeMounts.find((m) => m.name === "tls")?.mountPath, "/etc/vecgate-tls", `${role} TLS mount`);
  }
  const plain = render("tls-only", [], ["tls.existingSecret=vg-tls"]);
  for (const role of ROLES) assert(!envOf(container(roleWorkload(plain, role))).VECGATE_CLUSTER_TLS_CERT,
    `${role}: event-bus TLS without tls.eventBus`);
});

check("milvus: the gateway serves the Milvus API on gateway.ports.milvus behind a Service of its own; 0 turns it off", () => {
  const docs = render("milvus");
  const svc = named(docs, "Service", "vg-vecgate-gateway-milvus");
  assert(svc, "a gateway Service for the Milvus port");
  eq(svc.spec.ports[0].port, 19530, "Milvus Service port");
  eq(svc.spec.ports[0].targetPort, "milvus", "Milvus Service target");
  const c = container(roleWorkload(docs, "gateway"));
  eq(c.ports.find((p) => p.name === "milvus")?.containerPort, 19530, "Milvus container port");
  const off = render("milvus-off", [], ["gateway.ports.milvus=0"]);
  assert(!named(off, "Service", "vg-vecgate-gateway-milvus"), "no Milvus Service when off");
  assert(!container(roleWorkload(off, "gateway")).ports.some((p) => p.name === "milvus"), "no Milvus container port when off");
});

// Bad values: refused at render time with a message that says what to change.
const refusals = [
  [["writer.replicas=2"], /additional properties 'replicas' not allowed/],
  [["redis.enabled=false"], /no Redis: set redis.enabled=true .*externalRedis.uri/],
  [["gateway.config.read-port=9000"], /gateway.config.read-port: the chart sets this option itself/],
  [["reader.config.data-dir=/x"], /reader.config.data-dir: the chart sets this option itself/],
  [["writer.config.Refresh_Interval=1s"], /Refresh_Interval/],
  [["gateway.replicaz=3"], /additional properties 'replicaz' not allowed/],
  [["ingress.enabled=true"], /ingress.enabled=true needs ingress.read.host/],
  [["ingress.enabled=true", "ingress.read.host=a.example", "ingress.write.host=a.example"], /need separate domains/],
  [["redis.enabled=false", "externalRedis.uri=http://redis:6379"], /externalRedis.uri: expected a Redis URI .* got "http:\/\/redis:6379"/],
  [["externalRedis.uri=redis://other:6379"], /redis.enabled=true and externalRedis.\* are both set/],
  [["aliasStore.type=zookeeper"], /aliasStore\/type/],
  [["reader.replicas=-1"], /reader\/replicas/],
  [["auth.token=x"], /additional properties 'token' not allowed/],
];
for (const [sets, message] of refusals) {
  check(`refused: --set ${sets.join(" --set ")}`, () => {
    const args = ["template", "vg", CHART];
    for (const s of sets) args.push("--set", s);
    const r = helm(args);
    assert(!r.ok, "rendered without an error");
    assert(message.test(r.stderr), `error does not match ${message}: ${r.stderr.trim()}`);
  });
}

if (failures.length) {
  console.error(`chart-test: ${failures.length} of ${checks} checks FAILED:`);
  for (const f of failures) console.error("  - " + f);
  process.exit(1);
}
console.error(`chart-test: ${checks} checks passed (${scenarios.length} scenarios, ${documents} documents validated, ${refusals.length} bad values refused${options ? ", option names checked against the jar" : ""})`);
