import type { ServerConfig } from './config';
import type { Logger } from './logger';
import { type RunningServer, servingBanner, startServer } from './start-server';

/** Options of {@link runServer}. */
export interface RunServerOptions {
  logger?: Logger;
  /** Receives the banner line once the port is open (the app prints or logs it). */
  announce?: (banner: string) => void;
  /** Signals that start a graceful stop (default SIGTERM and SIGINT). */
  signals?: readonly NodeJS.Signals[];
  /** A second signal while stopping: the operator wants out now (the app exits). */
  onSecondSignal?: (signal: NodeJS.Signals) => void;
}

/** A server started by {@link runServer}. */
export interface ServerRun {
  server: RunningServer;
  /** Resolves once a signal has stopped the server and it has drained. */
  stopped: Promise<void>;
}

/**
 * What both `lenet-server` and `lenet serve` do: start the server, announce it, and stop it gracefully
 * on the first SIGTERM or SIGINT (requests in flight finish, workers stop).
 *
 * @example
 * const { server, stopped } = await runServer(config, { logger, announce: (line) => console.log(line), onSecondSignal: () => process.exit(1) });
 * // 'lenet serving output/checkpoint (epoch 30, test accuracy 98.65%) at http://127.0.0.1:8000 - open it in a browser; Ctrl-C to stop'
 * await stopped; // after Ctrl-C
 */
export async function runServer(config: ServerConfig, options: RunServerOptions = {}): Promise<ServerRun> {
  const server = await startServer(config, options.logger === undefined ? {} : { logger: options.logger });
  options.announce?.(servingBanner(config.model, server.model, server.url));
  let stopping = false;
  const stopped = new Promise<void>((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        options.onSecondSignal?.(signal);
        return;
      }
      stopping = true;
      server.close().then(resolve, reject);
    };
    for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, onSignal);
  });
  return { server, stopped };
}
