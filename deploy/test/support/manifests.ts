/**
 * Reading the Kubernetes files the way kustomize does, for the manifest tests: YAML documents, the
 * `resources`, `patches` (strategic merge) and `images` of each kustomization, and schema validation
 * through kubernetes-models.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as parsed; tests read whatever fields they check. */
// `any`: manifests are untyped YAML; each test checks the fields it reads.
export type K8sObject = Record<string, any>;

/**
 * Every YAML document of a file, as plain objects; throws naming the file on a YAML error.
 *
 * @example
 * readYaml('deploy/kubernetes/base/service.yaml'); // [{ apiVersion: 'v1', kind: 'Service', ... }]
 */
export function readYaml(file: string): K8sObject[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  const list = Array.isArray(documents) ? documents : [documents];
  const objects: K8sObject[] = [];
  for (const document of list) {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) objects.push(value as K8sObject);
  }
  return objects;
}

/** The kustomization fields this reader applies; any other field fails, so it never silently differs. */
const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'patches', 'images']);

/** Lists whose items merge by a key field in a strategic merge patch (as Kubernetes' patchMergeKey). */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Strategic merge of `patch` onto `base`: objects merge field by field, lists of objects that carry
 * a merge key (`name`, `mountPath`, `containerPort`) merge item by item, other lists are replaced.
 *
 * @example
 * strategicMerge({ containers: [{ name: 'a', image: 'x' }] }, { containers: [{ name: 'a', args: ['-v'] }] });
 * // { containers: [{ name: 'a', image: 'x', args: ['-v'] }] }
 */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch))
      merged[key] = key in base ? strategicMerge(base[key], value) : value;
    return merged;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const key = MERGE_KEYS.find((k) => [...base, ...patch].every((item) => isPlainObject(item) && k in item));
    if (key === undefined) return patch;
    const merged = [...base] as Array<Record<string, unknown>>;
    for (const item of patch as Array<Record<string, unknown>>) {
      const at = merged.findIndex((existing) => existing[key] === item[key]);
      if (at < 0) merged.push(item);
      else merged[at] = strategicMerge(merged[at], item) as Record<string, unknown>;
    }
    return merged;
  }
  return patch;
}

/** Every container of a pod template, init containers included. */
export function podContainers(podSpec: K8sObject): K8sObject[] {
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
}

function setImages(object: K8sObject, images: Array<{ name: string; newName?: string; newTag?: string }>): void {
  const podSpec = object.spec?.template?.spec;
  if (podSpec === undefined) return;
  for (const container of podContainers(podSpec)) {
    const image = images.find(
      (entry) => container.image === entry.name || container.image?.startsWith(`${entry.name}:`),
    );
    if (image !== undefined)
      container.image = `${image.newName ?? image.name}${image.newTag === undefined ? '' : `:${image.newTag}`}`;
  }
}

/** Every file a kustomization refers to (resources and patches), resolved, with whether it exists. */
export function kustomizationReferences(dir: string): Array<{ entry: string; resolved: string; exists: boolean }> {
  const [kustomization] = readYaml(path.join(dir, 'kustomization.yaml'));
  const entries: string[] = [
    ...(kustomization?.resources ?? []),
    ...(kustomization?.patches ?? []).map((p: K8sObject) => p.path),
  ];
  return entries.map((entry) => ({
    entry,
    resolved: path.resolve(dir, entry),
    exists: existsSync(path.resolve(dir, entry)),
  }));
}

/**
 * The objects `kubectl kustomize dir` would print, for the features these files use.
 *
 * @example
 * renderKustomization('deploy/kubernetes/overlays/prometheus').map((o) => o.kind);
 * // ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor']
 */
export function renderKustomization(dir: string): K8sObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  const [kustomization] = readYaml(file);
  if (kustomization === undefined) throw new Error(`${file}: empty`);
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0)
    throw new Error(`${file}: fields ${unsupported.join(', ')} are not applied by this reader`);
  let objects: K8sObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(dir, resource);
    if (!existsSync(target)) throw new Error(`${file}: resource ${resource} does not exist`);
    objects.push(...(statSync(target).isDirectory() ? renderKustomization(target) : readYaml(target)));
  }
  for (const patch of kustomization.patches ?? []) {
    const [body] = readYaml(path.resolve(dir, patch.path));
    const kind = patch.target?.kind ?? body?.kind;
    const name = patch.target?.name ?? body?.metadata?.name;
    const matches = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
    if (matches.length !== 1)
      throw new Error(`${file}: patch ${patch.path} matches ${matches.length} objects (${kind}/${name})`);
    objects = objects.map((o) => (o === matches[0] ? (strategicMerge(o, body) as K8sObject) : o));
  }
  if (kustomization.images !== undefined) for (const object of objects) setImages(object, kustomization.images);
  return objects;
}

/**
 * Validates objects against the Kubernetes schemas (kubernetes-models); one entry per object.
 *
 * @example
 * validateObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'x' }] } }]);
 * // [{ kind: 'Service', name: 'x', error: 'data/spec/ports/0/port must be integer' }]
 */
export function validateObjects(
  objects: readonly K8sObject[],
): Array<{ kind: string; name: string; error: string | null }> {
  const script = path.join(__dirname, 'validate-k8s.mjs');
  const output = execFileSync(process.execPath, [script], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(output) as Array<{ kind: string; name: string; error: string | null }>;
}
