/**
 * Static checks of the deployment files (Dockerfile, .dockerignore, deploy/kubernetes), and checks
 * that they agree with the real server: its `--help` (variables, default port, drain time) and its
 * routes (a real server started on a small checkpoint answers every probe path).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type Fixture, makeFixture } from '../../apps/server/test/support/fixtures';
import { envNames, readDockerfile, readDockerignore, type Stage } from './support/dockerfile';
import {
  type K8sObject,
  kustomizationReferences,
  podContainers,
  readYaml,
  renderKustomization,
  validateObjects,
} from './support/manifests';
import { freePorts, killReplica, type Replica, startReplica, stopReplica, waitReady } from './support/replica';
import { numericDefault, REPO, readServerSettings, type ServerSetting } from './support/server-facts';

const K8S = path.join(REPO, 'deploy', 'kubernetes');
/** Entry points of `kubectl apply -k`: the base and each overlay. */
const TARGETS = ['.', 'base', 'overlays/prometheus', 'overlays/model-volume'];

const settings: ServerSetting[] = readServerSettings();
/** Variables read by the runtime under the server, not by the server: glibc's allocator settings. */
const RUNTIME_VARIABLES = new Set(['GLIBC_TUNABLES']);
const rendered = new Map(TARGETS.map((target) => [target, renderKustomization(path.join(K8S, target))]));
const base = rendered.get('.')!;
const deployment = base.find((o) => o.kind === 'Deployment')!;
const podSpec: K8sObject = deployment.spec.template.spec;
const server: K8sObject = podSpec.containers.find((c: K8sObject) => c.name === 'server');
const stages: Stage[] = readDockerfile(path.join(REPO, 'Dockerfile'));
const runtime = stages.at(-1)!;
const envOf = (container: K8sObject, name: string): string | undefined =>
  container.env?.find((e: K8sObject) => e.name === name)?.value;
const instructions = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(path.join(dir, entry.name))
      : /\.ya?ml$/.test(entry.name)
        ? [path.join(dir, entry.name)]
        : [],
  );
}

describe('Kubernetes manifests', () => {
  test('when every file under deploy/kubernetes is parsed, then each is YAML naming apiVersion, kind and metadata.name', () => {
    const files = yamlFiles(K8S);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      for (const object of readYaml(file)) {
        expect({ file, apiVersion: typeof object.apiVersion, kind: typeof object.kind }).toEqual({
          file,
          apiVersion: 'string',
          kind: 'string',
        });
        if (object.kind !== 'Kustomization')
          expect({ file, name: typeof object.metadata?.name }).toEqual({ file, name: 'string' });
      }
    }
  });

  test('when a kustomization lists resources and patches, then every one of them exists', () => {
    const missing = TARGETS.flatMap((target) =>
      kustomizationReferences(path.join(K8S, target)).filter((r) => !r.exists),
    );
    expect(missing).toEqual([]);
    expect(kustomizationReferences(path.join(K8S, 'base')).map((r) => r.entry)).toEqual(
      expect.arrayContaining(['deployment.yaml', 'service.yaml', 'hpa.yaml', 'pdb.yaml']),
    );
  });

  test('when the base and each overlay are rendered, then every object validates against the Kubernetes schemas', () => {
    for (const [target, objects] of rendered) {
      const native = objects.filter((o) => o.apiVersion !== 'monitoring.coreos.com/v1');
      const results = validateObjects(native);
      expect({ target, errors: results.filter((r) => r.error !== null) }).toEqual({ target, errors: [] });
      expect(results.map((r) => r.kind).sort()).toEqual(
        ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service'].sort(),
      );
    }
  });

  test('when the Prometheus overlay is rendered, then its ServiceMonitor selects the Service and scrapes a named port', () => {
    const objects = rendered.get('overlays/prometheus')!;
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor')!;
    const service = objects.find((o) => o.kind === 'Service')!;
    // No schema package for the Prometheus Operator's CRDs is installed: its required fields by hand.
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(Object.keys(monitor.spec).sort()).toEqual(['endpoints', 'selector']);
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints.length).toBeGreaterThan(0);
    for (const endpoint of monitor.spec.endpoints) {
      expect(service.spec.ports.map((p: K8sObject) => p.name)).toContain(endpoint.port);
      expect(endpoint.path).toMatch(/^\//);
      expect(endpoint.interval).toMatch(/^\d+[smh]$/);
    }
  });

  test('when selectors are compared, then the Service, PodDisruptionBudget, autoscaler and Deployment all mean the same pods', () => {
    const podLabels = deployment.spec.template.metadata.labels;
    expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(podLabels).toMatchObject(base.find((o) => o.kind === 'Service')!.spec.selector);
    expect(podLabels).toMatchObject(base.find((o) => o.kind === 'PodDisruptionBudget')!.spec.selector.matchLabels);
    const hpa = base.find((o) => o.kind === 'HorizontalPodAutoscaler')!;
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect(hpa.spec.metrics.map((m: K8sObject) => m.resource?.name)).toEqual(['cpu']);
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    // The autoscaler owns the count; a fixed one would be reset by every `kubectl apply`.
    expect(deployment.spec.replicas).toBeUndefined();
  });

  test('when the Deployment names its port, then it is the server default, and probes and the Service use it', () => {
    const defaultPort = numericDefault(settings, 'PORT');
    expect(server.ports).toEqual([{ name: 'http', containerPort: defaultPort, protocol: 'TCP' }]);
    expect(Number(envOf(server, 'PORT') ?? defaultPort)).toBe(defaultPort);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      expect(server[probe].httpGet.port).toBe('http');
    expect(base.find((o) => o.kind === 'Service')!.spec.ports[0].targetPort).toBe('http');
  });

  test('when a container or the Dockerfile sets an environment variable, then the server reads it (--help lists it)', () => {
    const known = new Set(settings.map((s) => s.env));
    const named = [...rendered.values()]
      .flat()
      .filter((o) => o.kind === 'Deployment')
      .flatMap((d) =>
        podContainers(d.spec.template.spec).flatMap((c) => (c.env ?? []).map((e: K8sObject) => e.name as string)),
      );
    const fromDockerfile = instructions('ENV').flatMap((i) => envNames(i.args));
    const unknown = [...named, ...fromDockerfile].filter((name) => !known.has(name) && !RUNTIME_VARIABLES.has(name));
    expect(unknown).toEqual([]);
    expect(named).toEqual(expect.arrayContaining(['HOST', 'PORT', 'MODEL', 'WORKERS', 'SHUTDOWN_TIMEOUT_MS']));
    expect(envOf(server, 'HOST')).toBe('0.0.0.0');
  });

  test('when a pod is stopped, then the grace period outlasts the preStop pause plus the server drain time', () => {
    const [command, seconds] = server.lifecycle.preStop.exec.command as [string, string];
    expect(command).toBe('sleep');
    const drainMs = Number(envOf(server, 'SHUTDOWN_TIMEOUT_MS') ?? numericDefault(settings, 'SHUTDOWN_TIMEOUT_MS'));
    expect(drainMs).toBeGreaterThanOrEqual(numericDefault(settings, 'SHUTDOWN_TIMEOUT_MS'));
    expect(podSpec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(seconds) * 1000 + drainMs + 5_000);
  });

  test('when the Deployment asks for CPU, then WORKERS is the number of cores it requests and is limited to', () => {
    const cores = (quantity: string) =>
      quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
    const workers = Number(envOf(server, 'WORKERS'));
    expect(cores(server.resources.requests.cpu)).toBe(workers);
    expect(cores(server.resources.limits.cpu)).toBe(workers);
    expect(server.resources.limits.memory).toBeDefined();
    expect(server.resources.requests.memory).toBeDefined();
  });

  test('when the checkpoint comes from a volume, then an init container fills the folder the server reads MODEL from', () => {
    const patched = rendered.get('overlays/model-volume')!.find((o) => o.kind === 'Deployment')!.spec.template.spec;
    const [init] = patched.initContainers as K8sObject[];
    const model = envOf(patched.containers[0], 'MODEL');
    const target = init!.volumeMounts.find((m: K8sObject) => m.mountPath === model);
    const served = patched.containers[0].volumeMounts.find((m: K8sObject) => m.mountPath === model);
    expect({ served: served?.name, readOnly: served?.readOnly }).toEqual({ served: target?.name, readOnly: true });
    expect(patched.volumes.find((v: K8sObject) => v.name === target.name).emptyDir).toBeDefined();
    expect(init!.command.join(' ')).toContain(model);
    // Kustomize's image setting does not reach containers a later patch adds: one image everywhere.
    expect(new Set(podContainers(patched).map((c) => c.image))).toEqual(new Set([server.image]));
  });

  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((file) => existsSync(file));
  (kubectl === undefined ? test.skip : test)(
    'when kubectl is on the machine, then `kubectl kustomize` renders the same objects',
    () => {
      const sorted = (value: unknown): unknown =>
        Array.isArray(value)
          ? value.map(sorted).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
          : typeof value === 'object' && value !== null
            ? Object.fromEntries(
                Object.entries(value)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([k, v]) => [k, sorted(v)]),
              )
            : value;
      for (const [target, objects] of rendered) {
        const yaml = execFileSync(kubectl!, ['kustomize', path.join(K8S, target)], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        const theirs = parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject);
        const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
        expect(sorted(theirs.sort((a, b) => key(a).localeCompare(key(b))))).toEqual(
          sorted(objects.sort((a, b) => key(a).localeCompare(key(b)))),
        );
      }
    },
  );
});

describe('the container image', () => {
  test('when the Dockerfile is read, then it builds on node:20-bookworm and runs on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.slice(0, -1).map((s) => s.image)).toContain('node:20-bookworm');
    expect(runtime.image).toBe('node:20-bookworm-slim');
    // The final stage takes sources from nowhere but the build stages (and the checkpoint folder).
    const fromContext = instructions('COPY').filter((i) => !i.args.startsWith('--from='));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile build argument, not a JavaScript placeholder.
    expect(fromContext.map((i) => i.args)).toEqual(['${MODEL_DIR}/ /models/lenet/']);
    const install = instructions('RUN').find((i) => i.args.includes('npm ci'));
    expect(install?.args).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  test('when the image runs, then it is as a non-root user, node started directly in exec form, with a HEALTHCHECK', () => {
    const user = instructions('USER').at(-1)?.args ?? 'root';
    expect(user.split(':')[0]).not.toMatch(/^(root|0)$/);
    const cmd = JSON.parse(instructions('CMD').at(-1)!.args) as string[];
    expect(cmd[0]).toBe('node');
    expect(existsSync(path.join(REPO, cmd[1]!))).toBe(true);
    expect(instructions('ENTRYPOINT').at(-1)?.args).toBe('[]');
    const healthcheck = instructions('HEALTHCHECK').at(-1)!.args;
    expect(healthcheck).toMatch(/CMD \["node", "-e", .*\/healthz/);
    expect(instructions('EXPOSE').map((i) => Number(i.args))).toEqual([numericDefault(settings, 'PORT')]);
    const env = instructions('ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toMatch(/HOST=0\.0\.0\.0/);
    expect(env).toMatch(/MODEL=\/models\/lenet/);
    expect(env).toMatch(/LOG_FORMAT=json/);
    // glibc keeps freed image buffers in per-thread arenas without a fixed mmap threshold (deploy/README.md).
    expect(env).toMatch(/GLIBC_TUNABLES=glibc\.malloc\.mmap_threshold=\d+/);
  });

  test('when the build context is sent, then node_modules, output, datasets, artifacts, dist and .git stay out', () => {
    const patterns = readDockerignore(path.join(REPO, '.dockerignore')).map((p) =>
      p.replace(/^\*\*\//, '').replace(/\/$/, ''),
    );
    for (const excluded of ['node_modules', 'output', 'data/mnist', 'data/upload-eval', 'artifacts', 'dist', '.git']) {
      expect(patterns).toContain(excluded);
    }
    // The only way back in: the latest checkpoint (for MODEL_DIR) and the image's default model folder.
    expect(patterns.filter((p) => p.startsWith('!'))).toEqual(['!output/checkpoint', '!deploy/docker']);
    expect(existsSync(path.join(REPO, 'deploy', 'docker', 'no-model'))).toBe(true);
  });
});

describe('probe paths against the real server', () => {
  let fixture: Fixture | undefined;
  let replica: Replica | undefined;
  beforeAll(async () => {
    fixture = await makeFixture({ epochs: 1, limit: 600 });
    const [port] = (await freePorts(1)) as [number];
    replica = startReplica({ checkpoint: fixture.checkpoint, port });
    await waitReady(replica);
  }, 120_000);
  afterAll(async () => {
    if (replica !== undefined) await stopReplica(replica).catch(() => killReplica(replica));
    await fixture?.remove();
  });

  test('when the probes, the ServiceMonitor and the HEALTHCHECK ask their paths, then the server answers 200', async () => {
    const monitor = rendered.get('overlays/prometheus')!.find((o) => o.kind === 'ServiceMonitor')!;
    const healthcheck = /\/(\w+)'/.exec(instructions('HEALTHCHECK').at(-1)!.args)?.[1];
    const paths = [
      ...['startupProbe', 'readinessProbe', 'livenessProbe'].map((probe) => server[probe].httpGet.path as string),
      ...monitor.spec.endpoints.map((e: K8sObject) => e.path as string),
      `/${healthcheck}`,
    ];
    expect(paths).toEqual(['/readyz', '/readyz', '/healthz', '/metrics', '/healthz']);
    for (const route of paths) {
      const response = await fetch(`${replica!.url}${route}`);
      await response.arrayBuffer();
      expect({ route, status: response.status }).toEqual({ route, status: 200 });
    }
  });
});
