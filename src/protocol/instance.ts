// One provider instance: what a single launch of the plugin serves. Its own certificate, its own listener and gRPC
// server, its own handlers (and so its own ConfigureProvider, clients and caches). A plugin process (./server.ts)
// runs exactly one; a warm server (src/warm/) runs one per launch it serves.
//
// Start-up order is what keeps Terraform's 3-5 provider launches per command cheap: generate the certificate,
// listen with node:net and hand the handshake line over — all before gRPC is even loaded. Terraform's connection
// waits in the listen backlog (its TLS ClientHello with it) while grpc-js and then the provider itself load;
// accepted connections are handed to grpc-js through a connection injector.
import { chmodSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { generateCertificate, type GeneratedCertificate } from './certificate';
import { createSocketLocation, handshakeLine, type ListenAddress, type SocketLocation } from './handshake';
import type { Environment } from './launch';
import type { Logger } from './log';
import type { PluginServices } from './services';
import type { ProviderHandlers } from './tfplugin6';

/** Handlers, or a promise of them; an object with `init()` has it awaited before the first RPC. */
export type LoadHandlers = () => ProviderHandlers | Promise<ProviderHandlers>;

/** How long Shutdown waits for Terraform to close its connection before forcing the end. */
const SHUTDOWN_GRACE_MS = 500;

export interface InstanceOptions {
  loadHandlers: LoadHandlers;
  log: Logger;
  /** The launch's environment: PLUGIN_CLIENT_CERT and PLUGIN_UNIX_SOCKET_DIR are read from it. */
  env: Environment;
  /** Debug (reattach) mode: plaintext, and Shutdown is ignored. */
  debug?: boolean;
  /** The server certificate to use, when one was made ahead of time; else one is generated. */
  certificate?: GeneratedCertificate;
  /** Receives the listen address and the handshake line (undefined cert in debug mode). */
  announce(listen: ListenAddress, line: string): void;
  /** Called once when the instance has ended, by Shutdown or by stop(). */
  onEnded(reason: 'shutdown' | 'stopped'): void;
  /** Runs each RPC's work (see ServicesOptions.enter). */
  enter?: <T>(work: () => T) => T;
  /** Start-up steps (ms since process start), for the debug log line once the provider is loaded. */
  marks?: Record<string, number>;
}

export class ProviderInstance {
  private listener: NetServer | undefined;
  private socket: SocketLocation | undefined;
  private services: PluginServices | undefined;
  private readonly waitingConnections: Socket[] = [];
  private readonly openConnections = new Set<Socket>();
  private handlers: Promise<ProviderHandlers> | undefined;
  private ended = false;
  private readonly marks: Record<string, number>;
  private readonly log: Logger;

  constructor(private readonly options: InstanceOptions) {
    this.log = options.log;
    this.marks = options.marks ?? {};
  }

  async start(): Promise<void> {
    const { env, debug } = this.options;
    const clientCertPem = debug ? undefined : env.PLUGIN_CLIENT_CERT || undefined;
    const serverCert = clientCertPem ? (this.options.certificate ?? generateCertificate()) : undefined;

    const listen = await this.listen();
    this.options.announce(listen, handshakeLine(listen, serverCert?.certDer));
    this.marks.handshake = performance.now();
    this.log.debug('plugin server listening', { network: listen.network, address: listen.address, tls: !!serverCert });

    // Let the event loop run between the steps so Terraform's TLS handshake progresses meanwhile.
    setImmediate(() => {
      if (this.ended) return;
      this.startServices(clientCertPem, serverCert);
      this.marks.grpc_ready = performance.now();
      setImmediate(() => {
        this.handlersReady()
          .then(() => {
            this.marks.provider_loaded = performance.now();
            this.log.debug('provider loaded', {
              // ms since process start: node bootstrap, bundle compiled + entry reached, handshake written, ...
              startup_ms: {
                node_bootstrap: round(performance.nodeTiming.bootstrapComplete),
                ...Object.fromEntries(Object.entries(this.marks).map(([k, v]) => [k, round(v)])),
              },
            });
          })
          .catch(() => {});
      });
    });
  }

  /**
   * End the instance now, as if its process had died: cancel in-flight work, let the handlers release what they
   * hold (the delegated hashicorp/aws child among it), drop the connections and remove the socket.
   */
  stop(reason: string): void {
    if (this.ended) return;
    this.log.warn('stopping the provider instance', { reason });
    this.listener?.close();
    for (const connection of this.waitingConnections) connection.destroy();
    const services = this.services;
    if (services) void services.abandon().finally(() => this.end('stopped'));
    else {
      void this.handlers?.then((h) => Promise.all([h.stop?.(), h.close?.()])).catch(() => {});
      this.end('stopped');
    }
  }

  /** Remove the socket; what a process does on its way out, whichever way it goes. */
  removeSocket(): void {
    this.socket?.remove();
  }

  private end(reason: 'shutdown' | 'stopped'): void {
    if (this.ended) return;
    this.ended = true;
    this.services?.forceClose();
    for (const connection of this.openConnections) connection.destroy();
    // Terraform waits for the launch to end after Shutdown: end it first, then tidy up (a process exiting removes the
    // socket in its exit handler).
    this.options.onEnded(reason);
    this.socket?.removeLater();
  }

  private startServices(clientCertPem: string | undefined, serverCert: GeneratedCertificate | undefined): void {
    // Required here, not imported: grpc-js is the largest part of start-up and must not delay the handshake.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PluginServices } = require('./services') as typeof import('./services');
    this.marks.grpc_required = performance.now();
    this.services = new PluginServices({
      clientCertPem,
      server: serverCert,
      handlers: () => this.handlersReady(),
      log: this.log,
      onShutdown: () => this.onShutdown(),
      enter: this.options.enter,
    });
    for (const connection of this.waitingConnections.splice(0)) this.services.accept(connection);
  }

  private handlersReady(): Promise<ProviderHandlers> {
    this.handlers ??= (async () => {
      const handlers = await this.options.loadHandlers();
      if (handlers.init) await handlers.init();
      return handlers;
    })();
    return this.handlers;
  }

  private onConnection(connection: Socket): void {
    if (this.ended) {
      connection.destroy();
      return;
    }
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
    const socket = createSocketLocation(this.options.env);
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

  private onShutdown(): void {
    if (this.options.debug) {
      this.log.info('Shutdown ignored in debug mode; stop the provider with Ctrl-C');
      return;
    }
    this.log.debug('Shutdown received: exiting');
    this.listener?.close();
    // Node 24's HTTP/2 reports the sessions closed before their sockets have sent the last frames (the Shutdown
    // reply among them), so the instance ends when the connections themselves are closed.
    this.services?.close(() => this.afterConnectionsClose(() => this.end('shutdown')));
    setTimeout(() => this.end('shutdown'), SHUTDOWN_GRACE_MS);
  }

  private afterConnectionsClose(done: () => void): void {
    if (this.openConnections.size === 0) return done();
    for (const connection of this.openConnections) {
      connection.once('close', () => {
        if (this.openConnections.size === 0) done();
      });
    }
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
