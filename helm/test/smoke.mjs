// Smoke run of what the chart renders, outside Kubernetes (helm/test.sh sets the environment:
// HELM, CHART, OUT, ROOT, VECGATE_JAR, JAVA_HOME).
//
// Renders ci/distributed-values.yaml and runs its writer, one reader and one gateway as local
// processes the way their pods would: the chart's start.sh (from the ConfigMap) with the
// container's arguments and environment, the role's properties file, and the image's launcher
// (helm/docker/vecgate) on the built jar. What a pod gets from Kubernetes is replaced: the pod IP
// by 127.0.0.1, the headless Service names by "localhost", the Redis Service by a private
// redis-server with the chart's password, and ports by free ones. Then: the start script found the
// members and waited for the writer, all three are ready, the gateway sees the reader, a space
// written through the write endpoint is searched through the read endpoint (gateway -> reader
// over gRPC), and an alias lands in Redis under the chart's key prefix.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const { HELM, CHART, OUT, ROOT, VECGATE_JAR, JAVA_HOME, TOOLS } = process.env;
const require = createRequire(path.join(TOOLS, "node_modules", "x.js"));
const yaml = require("js-yaml");
const dir = path.join(OUT, "smoke");
const started = Date.now();
const procs = [];

function fail(msg) {
  throw new Error(msg);
}
function log(msg) {
  console.error(`smoke: ${msg} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function which(cmd) {
  const r = spawnSync("bash", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * A port that is free now, below the kernel's ephemeral range (32768-60999): a port taken with
 * listen(0) lies in that range, where an outgoing connection of another process (Hazelcast's,
 * Redis clients') can take it before the role binds it. Each port is handed out once.
 */
const handedOut = new Set();
async function freePort() {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (handedOut.has(port)) continue;
    const free = await new Promise((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free port found in 20000-31999");
}

/** One command to Redis over RESP (AUTH first); resolves with the reply's text. */
function redis(port, password, ...args) {
  const enc = (a) => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join("")}`;
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, "127.0.0.1");
    let buf = "";
    sock.setTimeout(5000, () => reject(new Error("redis timeout")));
    sock.on("error", reject);
    sock.on("data", (d) => {
      buf += d.toString("utf8");
      const lines = buf.split("\r\n");
      if (!lines[0].startsWith("+OK")) return void (sock.destroy(), reject(new Error(`AUTH: ${lines[0]}`)));
      const r = lines[1];
      if (r === undefined || r === "") return;
      if (r.startsWith("$-1")) return void (sock.destroy(), resolve(null));
      if (r.startsWith("$") && lines.length >= 3) return void (sock.destroy(), resolve(lines[2]));
      if (r.startsWith("+")) return void (sock.destroy(), resolve(r.slice(1)));
      if (r.startsWith("-")) return void (sock.destroy(), reject(new Error(r)));
    });
    sock.write(enc(["AUTH", password]) + enc(args));
  });
}

async function http(method, url, body) {
  const r = await fetch(url, { method, body, headers: body ? { "content-type": "application/json" } : {}, signal: AbortSignal.timeout(10000) });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, text, json };
}

async function until(what, timeoutMs, fn) {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    for (const p of procs) if (p.exitCode !== null) fail(`${p.name} exited (${p.exitCode}) while waiting for ${what}:\n${tail(p)}`);
    try {
      const r = await fn();
      if (r) return r;
    } catch (e) {
      last = e.message;
    }
    await sleep(300);
  }
  fail(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last: ${last})` : ""}\n${procs.map(tail).join("\n")}`);
}

function tail(p) {
  const text = fs.existsSync(p.logFile) ? fs.readFileSync(p.logFile, "utf8") : "";
  return `--- ${p.name} (${p.logFile}), last lines:\n${text.split("\n").slice(-25).join("\n")}`;
}

function start(name, cmd, args, env) {
  const logFile = path.join(dir, `${name}.log`);
  const fd = fs.openSync(logFile, "w");
  const p = spawn(cmd, args, { cwd: dir, env, stdio: ["ignore", fd, fd] });
  fs.closeSync(fd);
  p.name = name;
  p.logFile = logFile;
  procs.push(p);
  return p;
}

async function stopAll() {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
  const end = Date.now() + 20000;
  while (procs.some((p) => p.exitCode === null && p.signalCode === null) && Date.now() < end) await sleep(100);
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
}

async function main() {
  if (!VECGATE_JAR || !fs.existsSync(VECGATE_JAR)) {
    fail(`${VECGATE_JAR} is not built: build it first (bin/vecgate --help, or mvn -B -ntp -DskipTests package), or skip this run with VECGATE_HELM_SMOKE=0`);
  }
  const redisServer = which("redis-server");
  if (!redisServer) fail("redis-server is not installed (the smoke run starts a private one): install it, or skip this run with VECGATE_HELM_SMOKE=0");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "etc"), { recursive: true });
  fs.mkdirSync(path.join(dir, "data"));

  const r = spawnSync(HELM, ["template", "vg", CHART, "--namespace", "search", "-f", path.join(CHART, "ci", "distributed-values.yaml")], { encoding: "utf8" });
  if (r.status !== 0) fail(`helm template: ${r.stderr}`);
  const docs = yaml.loadAll(r.stdout).filter(Boolean);
  const cm = docs.find((d) => d.kind === "ConfigMap");
  for (const [k, v] of Object.entries(cm.data)) fs.writeFileSync(path.join(dir, "etc", k), v);
  const secret = (name, key) => Buffer.from(docs.find((d) => d.kind === "Secret" && d.metadata.name === name).data[key], "base64").toString();
  const role = (c) => docs.find((d) => ["Deployment", "StatefulSet"].includes(d.kind) && d.metadata.labels["app.kubernetes.io/component"] === c).spec.template.spec.containers[0];

  // The chart's Redis, privately: its password, the alias store URI with the host replaced.
  const redisPassword = secret("vg-vecgate-redis", "password");
  const redisPort = await freePort();
  start("redis", redisServer, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", redisPassword], { PATH: process.env.PATH });
  const aliasUri = secret("vg-vecgate-alias-store", "uri");
  const localUri = aliasUri.replace(/@vg-vecgate-redis:\d+$/, `@127.0.0.1:${redisPort}`);
  if (localUri === aliasUri) fail(`unexpected alias store URI ${aliasUri}`);
  await until("the private Redis", 10000, () => redis(redisPort, redisPassword, "PING").then(() => true, () => false));

  const hz = await freePort();
  const ports = { read: await freePort(), write: await freePort(), milvus: await freePort(), writerHttp: await freePort(), readerHttp: await freePort(), grpc: await freePort() };
  const launch = (name, podName, extra) => {
    const c = role(name);
    const env = { PATH: process.env.PATH, HOME: process.env.HOME || dir, JAVA_HOME };
    for (const e of c.env) if (e.value !== undefined) env[e.name] = e.value;
    const fromKube = c.env.filter((e) => e.valueFrom).map((e) => e.name).sort().join(",");
    if (fromKube !== "VECGATE_ALIAS_STORE,VECGATE_HOST,VECGATE_NODE_ID") fail(`${name}: unexpected env from Kubernetes: ${fromKube}`);
    Object.assign(env, {
      VECGATE_HOST: "127.0.0.1", // status.podIP
      VECGATE_NODE_ID: podName, // metadata.name
      VECGATE_ALIAS_STORE: localUri, // the Secret
      VECGATE_CLUSTER_DNS: env.VECGATE_CLUSTER_DNS.split(",").map(() => "localhost").join(","),
      VECGATE_CLUSTER_PORT: String(hz),
      VECGATE_DATA_DIR: path.join(dir, "data"),
      VECGATE_LAUNCHER: path.join(ROOT, "helm", "docker", "vecgate"),
      VECGATE_JAR,
      // The pods' JAVA_OPTS size the heap from the pod's memory limit; this machine has no such limit.
      JAVA_OPTS: `${env.JAVA_OPTS} -Xmx512m`,
      ...extra,
    });
    if (env.VECGATE_CLUSTER_WAIT_FOR) env.VECGATE_CLUSTER_WAIT_FOR = `localhost:${hz}`;
    const [script, ...args] = c.command.slice(1);
    const local = (a) => a.replace(/^\/etc\/vecgate\//, path.join(dir, "etc") + "/");
    return start(name, c.command[0], [local(script), ...c.args.map(local)], env);
  };

  // The gateway and the reader start first: their start script must wait for the writer.
  launch("gateway", "vg-vecgate-gateway-7d9f-abcde", { VECGATE_READ_PORT: String(ports.read), VECGATE_WRITE_PORT: String(ports.write), VECGATE_MILVUS_PORT: String(ports.milvus) });
  launch("reader", "vg-vecgate-reader-5c6b-fghij", { VECGATE_HTTP_PORT: String(ports.readerHttp), VECGATE_GRPC_PORT: String(ports.grpc) });
  await sleep(2000);
  launch("writer", "vg-vecgate-writer-0", { VECGATE_HTTP_PORT: String(ports.writerHttp) });
  log("started redis, gateway, reader, then writer through the chart's start.sh");

  const ready = (port) => http("GET", `http://127.0.0.1:${port}/health/ready`).then((x) => x.status === 200 && x.json);
  for (const [name, port] of [["writer", ports.writerHttp], ["reader", ports.readerHttp], ["gateway", ports.read]]) {
    const body = await until(`${name} /health/ready`, 120000, () => ready(port));
    if (body.status !== "ready") fail(`${name} is ${body.status}: ${JSON.stringify(body)}`);
  }
  log("writer, reader and gateway answer /health/ready with status ready (alias store connected)");

  for (const p of procs.filter((p) => p.name !== "redis")) {
    const text = fs.readFileSync(p.logFile, "utf8");
    if (!text.includes(`vecgate start.sh: cluster members: 127.0.0.1:${hz}`)) fail(`${p.name}: the start script did not pass the members:\n${tail(p)}`);
    if (text.includes("did not answer within")) fail(`${p.name}: the start script gave up waiting for the writer:\n${tail(p)}`);
  }

  const read = `http://127.0.0.1:${ports.read}`, write = `http://127.0.0.1:${ports.write}`;
  await until("the gateway to list the reader as up", 30000, async () => {
    const n = await http("GET", `${read}/_cluster/nodes`);
    return n.status === 200 && n.text.includes("vg-vecgate-reader-5c6b-fghij") && n.text.includes('"up"');
  });
  log("one cluster: the gateway has the writer's catalog (ready) and lists the reader as up");

  const ok = async (method, url, body) => {
    const x = await http(method, url, body);
    if (x.status >= 300) fail(`${method} ${url}: ${x.status} ${x.text}`);
    return x;
  };
  await ok("PUT", `${write}/db/_create`, JSON.stringify({ name: "smoke" }));
  await ok("PUT", `${write}/space/smoke/_create`, JSON.stringify({
    name: "items", partition_num: 2,
    engine: { retrieval_type: "FLAT", retrieval_param: { metric_type: "L2" } },
    properties: { vec: { type: "vector", dimension: 4 }, n: { type: "integer" } },
  }));
  let bulk = "";
  for (let i = 0; i < 50; i++) bulk += `${JSON.stringify({ index: { _id: `d${i}` } })}\n${JSON.stringify({ n: i, vec: { feature: [i, i / 2, 1, -i] } })}\n`;
  const b = await ok("POST", `${write}/smoke/items/_bulk`, bulk);
  if (b.json.errors) fail(`bulk errors: ${b.text}`);
  await ok("POST", `${write}/smoke/items/_refresh`);
  await ok("POST", `${write}/alias/catalog/dbs/smoke/spaces/items`);
  const search = JSON.stringify({ query: { sum: [{ field: "vec", feature: [17.2, 8.6, 1, -17.2] }] }, size: 3 });
  const hits = await until("a search through the gateway and the reader", 30000, async () => {
    const x = await http("POST", `${read}/smoke/catalog/_search`, search);
    return x.status === 200 && x.json.hits?.hits?.length === 3 && x.json;
  });
  const ids = hits.hits.hits.map((h) => h._id);
  if (JSON.stringify(ids) !== JSON.stringify(["d17", "d18", "d16"])) fail(`search answered ${ids}, expected d17, d18, d16`);
  log(`space written through the write endpoint, searched through an alias on the read endpoint: ${ids}`);

  const prefix = role("writer").env.find((e) => e.name === "VECGATE_ALIAS_KEY_PREFIX").value;
  const stored = await redis(redisPort, redisPassword, "GET", `${prefix}:alias:catalog`);
  if (stored !== "smoke/items") fail(`Redis ${prefix}:alias:catalog = ${stored}, expected smoke/items`);
  log(`the alias is in the password-protected Redis as ${prefix}:alias:catalog = ${stored}`);
}

try {
  await main();
  await stopAll();
  log("passed");
} catch (e) {
  console.error(`smoke: FAILED: ${e.message}`);
  await stopAll();
  process.exit(1);
}
