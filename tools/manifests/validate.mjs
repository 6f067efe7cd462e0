// Validates every Kubernetes/Knative document under the given directory against the schemas of
// kubernetes-models and @kubernetes-models/knative, offline. Each document is checked by the class
// of its apiVersion/kind; an unknown kind is an error, so is a field the schema does not know where
// the schema closes its objects. Then the checker checks itself: broken copies of the manifests must
// be rejected, so a checker that lets everything through fails too.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node validate.mjs <directory of manifests>");
  process.exit(2);
}

// apiVersion -> module with the model classes; core/v1 and apps/v1 come from kubernetes-models
const modules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "serving.knative.dev/v1": "@kubernetes-models/knative/serving.knative.dev/v1",
  "eventing.knative.dev/v1": "@kubernetes-models/knative/eventing.knative.dev/v1",
  "sources.knative.dev/v1": "@kubernetes-models/knative/sources.knative.dev/v1",
};

async function check(doc) {
  const where = `${doc.kind ?? "?"} ${doc.metadata?.name ?? "?"}`;
  const moduleName = modules[doc.apiVersion];
  if (!moduleName) {
    throw new Error(`${where}: apiVersion ${doc.apiVersion} is not one this checker knows`);
  }
  const models = await import(moduleName);
  const Model = models[doc.kind];
  if (!Model) {
    throw new Error(`${where}: no kind ${doc.kind} in ${doc.apiVersion}`);
  }
  if (!doc.metadata?.name) {
    throw new Error(`${where}: metadata.name is missing`);
  }
  new Model(doc).validate();
}

function documents(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => {
    if (d.errors.length) {
      throw new Error(`${file}: ${d.errors[0].message}`);
    }
    return d.toJS();
  }).filter((d) => d);
}

const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
if (files.length === 0) {
  console.error(`no manifests in ${dir}`);
  process.exit(1);
}
let failures = 0;
let count = 0;
const all = [];
for (const f of files) {
  for (const doc of documents(path.join(dir, f))) {
    count++;
    all.push(doc);
    try {
      await check(doc);
      console.log(`ok   ${f}: ${doc.kind} ${doc.metadata.name}`);
    } catch (e) {
      failures++;
      console.log(`FAIL ${f}: ${e.message.split("\n")[0]}`);
    }
  }
}

// the checker must reject what is wrong: one break per kind of mistake
const breaks = [
  ["a number as text", (d) => d.kind === "Service" && d.apiVersion.startsWith("serving"),
    (d) => { d.spec.template.spec.containerConcurrency = "lots"; }],
  ["a misspelt kind", (d) => d.kind === "Trigger", (d) => { d.kind = "Triger"; }],
  ["a list where an object belongs", (d) => d.kind === "PingSource", (d) => { d.spec.sink = ["baystack"]; }],
  ["a probe port as a word list", (d) => d.kind === "Service" && d.apiVersion.startsWith("serving"),
    (d) => { d.spec.template.spec.containers[0].readinessProbe.httpGet.port = ["http"]; }],
];
for (const [what, applies, breakIt] of breaks) {
  const original = all.find(applies);
  if (!original) {
    console.log(`FAIL self-check "${what}": no manifest to break`);
    failures++;
    continue;
  }
  const broken = structuredClone(original);
  breakIt(broken);
  try {
    await check(broken);
    console.log(`FAIL self-check: ${what} in ${original.kind} ${original.metadata.name} was accepted`);
    failures++;
  } catch (e) {
    console.log(`ok   self-check: ${what} is rejected`);
  }
}

console.log(`${count} manifests, ${failures} failures`);
process.exit(failures ? 1 : 0);
