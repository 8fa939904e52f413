/**
 * nginx as the load balancer in front of real replicas: a config written into a temp folder (pid,
 * logs and temp files stay there), run in the foreground as a child process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/** Debian's nginx (`apt-get install nginx`). */
export const NGINX_BIN = '/usr/sbin/nginx';

/** One front port of nginx and the replica ports behind it. */
export interface Frontend {
  /** Upstream block name. */
  name: string;
  listen: number;
  backends: number[];
}

/** How long nginx takes a replica out after a failed connection (its passive health check). */
export const FAIL_TIMEOUT_S = 2;

/**
 * The nginx config. Per frontend: an upstream with passive health checks (`max_fails=1`: one
 * refused or reset connection takes the replica out for {@link FAIL_TIMEOUT_S} s) and a proxy that
 * buffers each request body before choosing a replica, so it can send it again elsewhere. Plain
 * HTTP/1.0 to the upstream, one connection per request: no upstream keep-alive (see deploy/README.md).
 *
 * @example
 * nginxConfig('/tmp/x', [{ name: 'both', listen: 8080, backends: [41235, 41236] }]);
 * // 'daemon off;\n...upstream both {\n    server 127.0.0.1:41235 max_fails=1 fail_timeout=2s;...'
 */
export function nginxConfig(dir: string, frontends: readonly Frontend[]): string {
  const runningAsRoot = process.getuid?.() === 0;
  const upstreams = frontends.map((f) => {
    const servers = f.backends.map(
      (port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=${FAIL_TIMEOUT_S}s;`,
    );
    return `  upstream ${f.name} {\n${servers.join('\n')}\n  }`;
  });
  const servers = frontends.map(
    (f) => `  server {
    listen 127.0.0.1:${f.listen};
    location = /nginx-up { return 204; }
    location / {
      proxy_pass http://${f.name};
      proxy_request_buffering on;
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 3;
      proxy_next_upstream_timeout 10s;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }
  }`,
  );
  return `# Written by deploy/test/support/nginx.ts for one test run.
daemon off;
${runningAsRoot ? 'user root;\n' : ''}worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  log_format upstreams '$status $request_time "$upstream_addr" "$upstream_status"';
  access_log ${path.join(dir, 'access.log')} upstreams;
  client_max_body_size 10m;
  client_body_temp_path ${path.join(dir, 'temp', 'body')};
  proxy_temp_path ${path.join(dir, 'temp', 'proxy')};
  fastcgi_temp_path ${path.join(dir, 'temp', 'fastcgi')};
  uwsgi_temp_path ${path.join(dir, 'temp', 'uwsgi')};
  scgi_temp_path ${path.join(dir, 'temp', 'scgi')};
${upstreams.join('\n')}
${servers.join('\n')}
}
`;
}

/** nginx running in the foreground. */
export interface Nginx {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** nginx's error log so far. */
  errorLog(): Promise<string>;
}

/**
 * Writes the config into `dir`, starts nginx and waits until every frontend answers.
 *
 * @example
 * const nginx = await startNginx(dir, [{ name: 'both', listen: 8080, backends: [41235, 41236] }]);
 */
export async function startNginx(dir: string, frontends: readonly Frontend[]): Promise<Nginx> {
  await mkdir(path.join(dir, 'temp'), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig(dir, frontends));
  const errorFile = path.join(dir, 'error.log');
  const child = spawn(NGINX_BIN, ['-p', dir, '-c', conf, '-e', errorFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const errorLog = () => readFile(errorFile, 'utf8').catch(() => '');
  const deadline = Date.now() + 10_000;
  for (const frontend of frontends) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}${await errorLog()}`);
      const up = await fetch(`http://127.0.0.1:${frontend.listen}/nginx-up`).then(
        (r) => r.status === 204,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`nginx not answering on ${frontend.listen} within 10 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { child, exited, errorLog };
}
