// go-plugin's side of the launch contract: the magic cookie, protocol negotiation, where to listen,
// and the one handshake line on stdout. Pure functions over the environment, cheap to load: this
// runs before gRPC is even required, so a refused launch costs almost nothing.
import { chmodSync, mkdtempSync, rm, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from './launch';

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** go-plugin's CoreProtocolVersion. */
const CORE_PROTOCOL_VERSION = 1;
/** The only Terraform plugin protocol this provider speaks. */
const PROTOCOL_VERSION = 6;

/** What go-plugin servers print on stderr (then exit 1) when started without the cookie. */
export const NOT_A_PLUGIN_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';

export function hasMagicCookie(env: Environment): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

/**
 * The protocol version to announce: 6 if the client offers it in PLUGIN_PROTOCOL_VERSIONS
 * ("5,6" or "6,5" from Terraform), or if the variable is absent (go-plugin then uses the
 * server's own version). An Error when the client offers only other versions.
 */
export function negotiateProtocolVersion(env: Environment): number | Error {
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  if (offered === undefined || offered.trim() === '') return PROTOCOL_VERSION;
  const versions = offered.split(',').map((v) => Number.parseInt(v.trim(), 10));
  if (versions.includes(PROTOCOL_VERSION)) return PROTOCOL_VERSION;
  return new Error(
    `Incompatible API version with plugin. Plugin version: ${PROTOCOL_VERSION}, Client versions: [${offered}]`,
  );
}

export type Network = 'unix' | 'tcp';

export interface ListenAddress {
  network: Network;
  /** Absolute socket path, or host:port. */
  address: string;
}

/**
 * `CORE|APP|NETWORK|ADDR|grpc|CERT\n`. CERT is the server certificate's DER in standard base64
 * WITHOUT padding (Go's RawStdEncoding: Terraform rejects '='), or empty for plaintext.
 */
export function handshakeLine(listen: ListenAddress, serverCertDer?: Buffer, protocolVersion = PROTOCOL_VERSION): string {
  const cert = serverCertDer ? serverCertDer.toString('base64').replace(/=+$/, '') : '';
  return `${CORE_PROTOCOL_VERSION}|${protocolVersion}|${listen.network}|${listen.address}|grpc|${cert}\n`;
}

/** Linux sun_path holds 108 bytes including the terminating NUL. */
const MAX_UNIX_SOCKET_PATH = 107;

export interface SocketLocation {
  /** Private (0700) directory holding the socket; removed on exit. */
  dir: string;
  path: string;
  /** Remove the directory and the socket; safe to call more than once. */
  remove(): void;
  /** The same, without blocking (for a process that goes on). */
  removeLater(): void;
}

/**
 * Socket directories made by this process and not yet removed. A warm server ends an instance with removeLater and
 * may exit before that finishes (or before the instance ends at all): whatever is still here is removed, blocking,
 * on the way out, so only SIGKILL leaves a tfprovider-* directory behind.
 */
const unremoved = new Set<string>();
let removedOnExit = false;

function rememberUntilExit(dir: string): void {
  unremoved.add(dir);
  if (removedOnExit) return;
  removedOnExit = true;
  process.once('exit', () => {
    for (const left of unremoved) rmSync(left, { recursive: true, force: true });
  });
}

/**
 * A fresh private directory for the unix socket, under PLUGIN_UNIX_SOCKET_DIR or the launch's temp dir ($TMPDIR, else
 * /tmp, as go-plugin's servers choose).
 * Undefined when no usable path can be made (caller falls back to TCP).
 */
export function createSocketLocation(env: Environment): SocketLocation | undefined {
  if (process.platform === 'win32') return undefined;
  const base = env.PLUGIN_UNIX_SOCKET_DIR || env.TMPDIR || '/tmp';
  let dir: string;
  try {
    dir = mkdtempSync(join(base, 'tfprovider-'));
    chmodSync(dir, 0o700); // mkdtemp already uses 0700; make it explicit against odd umasks
  } catch {
    return undefined;
  }
  const path = join(dir, 'plugin.sock');
  const remove = () => {
    unremoved.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  const removeLater = () => rm(dir, { recursive: true, force: true }, () => unremoved.delete(dir));
  rememberUntilExit(dir);
  if (Buffer.byteLength(path) > MAX_UNIX_SOCKET_PATH) {
    remove();
    return undefined;
  }
  return { dir, path, remove, removeLater };
}
