// Validates Kubernetes objects against the API schemas of `kubernetes-models`.
// It is a separate ES module run as a child process (deploy/test/support/manifests.ts, `validateObjects`)
// so that it works with kubernetes-models 5 as well, which is ESM-only while this repository's Jest runs
// tests as CommonJS. We pin kubernetes-models 4.5 because 5 declares Node >= 22 and we support Node 20.
//
// stdin: a JSON array of objects. stdout: a JSON array, one entry per object, in order:
//   { "kind": "Deployment", "name": "lenet", "error": null | "data/spec/... must be integer" }
import { readFileSync } from 'node:fs';

/** `apps/v1` + `Deployment` -> `kubernetes-models/apps/v1/Deployment`; the core group is plain `v1`. */
function modulePath(apiVersion, kind) {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name ?? null;
  let error = null;
  try {
    const models = await import(modulePath(apiVersion, kind));
    const Model = models[kind];
    if (typeof Model !== 'function') throw new Error(`kubernetes-models has no ${kind} in ${apiVersion}`);
    new Model(object).validate();
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  results.push({ kind, name, error });
}
process.stdout.write(`${JSON.stringify(results)}\n`);
