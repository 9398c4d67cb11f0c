// The plugin process: go-plugin handshake, listener, and lifecycle (Shutdown, signals, parent death).
//
// Start-up order is what keeps Terraform's 3-5 provider launches per command cheap: check the
// cookie, generate the certificate, listen on the socket with node:net and print the handshake line
// — all before gRPC is even loaded. Terraform's connection waits in the listen backlog (its TLS
// ClientHello with it) while grpc-js and then the provider itself load; accepted connections are
// handed to grpc-js through a connection injector.
import { chmodSync, writeSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { generateCertificate, type GeneratedCertificate } from './certificate';
import {
  createSocketLocation,
  handshakeLine,
  hasMagicCookie,
  negotiateProtocolVersion,
  NOT_A_PLUGIN_MESSAGE,
  type ListenAddress,
  type SocketLocation,
} from './handshake';
import { log as rootLog, type Logger } from './log';
import type { PluginServices } from './services';
import type { ProviderHandlers } from './tfplugin6';

export interface ServeOptions {
  /** Defaults to process.argv.slice(2); `--debug` selects debug/reattach mode. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Provider address printed in debug mode's TF_REATTACH_PROVIDERS. */
  providerAddress?: string;
  logger?: Logger;
}

/** Handlers, or a promise of them; an object with `init()` has it awaited before the first RPC. */
export type LoadHandlers = () => ProviderHandlers | Promise<ProviderHandlers>;

/** Milliseconds since process start at each start-up step, logged at debug level (see bench/startup.mjs). */
const startupMarks: Record<string, number> = {};
const round = (ms: number) => Math.round(ms * 10) / 10;

const DEFAULT_PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';
/** How long Shutdown waits for Terraform to close its connection before forcing the exit. */
const SHUTDOWN_GRACE_MS = 500;
const PARENT_CHECK_INTERVAL_MS = 1000;

/**
 * Run the provider as a go-plugin server. The process then ends on Shutdown, on parent death, on
 * SIGTERM, or (with --debug) on Ctrl-C. `loadHandlers` is called once, after the handshake line.
 */
export function servePlugin(loadHandlers: LoadHandlers, options: ServeOptions = {}): void {
  startupMarks.entered = performance.now();
  const env = options.env ?? process.env;
  const args = options.args ?? process.argv.slice(2);
  const debug = args.includes('--debug');
  const log = (options.logger ?? rootLog).child('protocol');

  if (!debug) {
    if (!hasMagicCookie(env)) {
      process.stderr.write(NOT_A_PLUGIN_MESSAGE);
      process.exit(1);
    }
    const version = negotiateProtocolVersion(env);
    if (version instanceof Error) {
      log.error(version.message);
      process.stderr.write(`${version.message}\n`);
      process.exit(1);
    }
  }

  // Terraform takes the first stdout line as the handshake and drops the rest; keep every stray
  // write (console.log from a dependency, ...) away from stdout.
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = stderrWrite as typeof process.stdout.write;

  const plugin = new PluginProcess(loadHandlers, log, debug, env);
  plugin.start(options.providerAddress ?? DEFAULT_PROVIDER_ADDRESS).catch((err: unknown) => {
    log.error('plugin server failed to start', { error: err });
    process.stderr.write(`failed to start the provider plugin server: ${errorMessage(err)}\n`);
    plugin.exit(1);
  });
}

/** Write to file descriptor 1 directly: the only way to the real stdout once it is redirected. */
function writeStdout(text: string): void {
  writeSync(1, text);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class PluginProcess {
  private listener: NetServer | undefined;
  private socket: SocketLocation | undefined;
  private services: PluginServices | undefined;
  private readonly waitingConnections: Socket[] = [];
  private readonly openConnections = new Set<Socket>();
  private handlers: Promise<ProviderHandlers> | undefined;
  private exiting = false;

  constructor(
    private readonly loadHandlers: LoadHandlers,
    private readonly log: Logger,
    private readonly debug: boolean,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async start(providerAddress: string): Promise<void> {
    this.installProcessHandlers();
    const clientCertPem = this.debug ? undefined : this.env.PLUGIN_CLIENT_CERT || undefined;
    const serverCert = clientCertPem ? generateCertificate() : undefined;

    const listen = await this.listen();
    if (this.debug) this.printReattachInstructions(listen, providerAddress);
    else writeStdout(handshakeLine(listen, serverCert?.certDer));
    startupMarks.handshake = performance.now();
    this.log.debug('plugin server listening', { network: listen.network, address: listen.address, tls: !!serverCert });

    // Let the event loop run between the steps so Terraform's TLS handshake progresses meanwhile.
    setImmediate(() => {
      this.startServices(clientCertPem, serverCert);
      startupMarks.grpc_ready = performance.now();
      setImmediate(() => {
        this.handlersReady()
          .then(() => {
            startupMarks.provider_loaded = performance.now();
            this.log.debug('provider loaded', {
              // ms since process start: node bootstrap, bundle compiled + entry reached, handshake written, ...
              startup_ms: {
                node_bootstrap: round(performance.nodeTiming.bootstrapComplete),
                ...Object.fromEntries(Object.entries(startupMarks).map(([k, v]) => [k, round(v)])),
              },
            });
          })
          .catch(() => {});
      });
    });
  }

  private startServices(clientCertPem: string | undefined, serverCert: GeneratedCertificate | undefined): void {
    // Required here, not imported: grpc-js is the largest part of start-up and must not delay the handshake.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PluginServices } = require('./services') as typeof import('./services');
    startupMarks.grpc_required = performance.now();
    this.services = new PluginServices({
      clientCertPem,
      server: serverCert,
      handlers: () => this.handlersReady(),
      log: this.log,
      onShutdown: () => this.onShutdown(),
    });
    for (const connection of this.waitingConnections.splice(0)) this.services.accept(connection);
  }

  private handlersReady(): Promise<ProviderHandlers> {
    this.handlers ??= (async () => {
      const handlers = await this.loadHandlers();
      if (handlers.init) await handlers.init();
      return handlers;
    })();
    return this.handlers;
  }

  private onConnection(connection: Socket): void {
    this.openConnections.add(connection);
    connection.once('close', () => this.openConnections.delete(connection));
    if (this.services) {
      this.services.accept(connection);
      return;
    }
    connection.on('error', (err) => this.log.debug('connection error before gRPC was ready', { error: err.message }));
    this.waitingConnections.push(connection);
  }

  private async listen(): Promise<ListenAddress> {
    const socket = createSocketLocation(this.env);
    if (socket) {
      try {
        await this.listenOn({ path: socket.path });
        chmodSync(socket.path, 0o600);
        this.socket = socket;
        return { network: 'unix', address: socket.path };
      } catch (err) {
        socket.remove();
        this.log.warn('unix socket unavailable, falling back to TCP', { error: errorMessage(err) });
      }
    }
    const address = await this.listenOn({ host: '127.0.0.1', port: 0 });
    return { network: 'tcp', address: `127.0.0.1:${address}` };
  }

  /** Listen; resolves with the TCP port (0 for a unix socket). */
  private listenOn(where: { path: string } | { host: string; port: number }): Promise<number> {
    return new Promise((resolve, reject) => {
      const listener = createServer((connection) => this.onConnection(connection));
      listener.once('error', reject);
      listener.listen(where, () => {
        listener.off('error', reject);
        listener.on('error', (err) => this.log.error('listener error', { error: err.message }));
        this.listener = listener;
        const address = listener.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  }

  private printReattachInstructions(listen: ListenAddress, providerAddress: string): void {
    const reattach = {
      [providerAddress]: {
        Protocol: 'grpc',
        ProtocolVersion: 6,
        Pid: process.pid,
        Test: true,
        Addr: { Network: listen.network, String: listen.address },
      },
    };
    writeStdout(
      `Provider started in debug mode (plaintext gRPC, pid ${process.pid}).\n` +
        'To attach Terraform, run it with this environment variable set:\n\n' +
        `\tTF_REATTACH_PROVIDERS='${JSON.stringify(reattach)}'\n\n` +
        'Press Ctrl-C to stop the provider.\n',
    );
  }

  private onShutdown(): void {
    if (this.debug) {
      this.log.info('Shutdown ignored in debug mode; stop the provider with Ctrl-C');
      return;
    }
    this.log.debug('Shutdown received: exiting');
    this.listener?.close();
    // Node 24's HTTP/2 reports the sessions closed before their sockets have sent the last frames (the Shutdown
    // reply among them), so the process ends when the connections themselves are closed.
    this.services?.close(() => this.afterConnectionsClose(() => this.exit(0)));
    setTimeout(() => {
      this.services?.forceClose();
      this.exit(0);
    }, SHUTDOWN_GRACE_MS);
  }

  private afterConnectionsClose(done: () => void): void {
    if (this.openConnections.size === 0) return done();
    for (const connection of this.openConnections) {
      connection.once('close', () => {
        if (this.openConnections.size === 0) done();
      });
    }
  }

  exit(code: number): void {
    if (this.exiting) return;
    this.exiting = true;
    this.socket?.remove();
    process.exit(code);
  }

  private installProcessHandlers(): void {
    process.on('exit', () => this.socket?.remove());
    process.on('SIGTERM', () => this.exit(143));
    process.on('uncaughtException', (err) => {
      this.log.error('uncaught exception', { error: err.stack ?? err.message });
      process.stderr.write(`${err.stack ?? err.message}\n`);
      this.exit(1);
    });

    if (this.debug) {
      process.on('SIGINT', () => this.exit(0));
      return;
    }
    // Ctrl-C reaches the whole process group; Terraform handles it by calling StopProvider and then
    // Shutdown, so the provider itself must survive the signal.
    process.on('SIGINT', () => this.log.debug('SIGINT ignored; waiting for StopProvider/Shutdown'));

    const parent = process.ppid;
    setInterval(() => {
      if (!isAlive(parent)) {
        this.log.warn('parent process exited; shutting down', { ppid: parent });
        this.exit(0);
      }
    }, PARENT_CHECK_INTERVAL_MS).unref();
  }
}

/** process.ppid is fixed at start-up in Node 20, so probe the original parent instead. */
function isAlive(pid: number): boolean {
  if (pid <= 1) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
