// The control channel, the server's side (the launcher's is ./launcher.sh). A launcher connects on loopback TCP and
// sends one line: the name of a launch file it has just written in the server's directory. The server takes that
// file (reads and deletes it) only if the connection is the user's and the file is one only the user can have
// written, and answers the launch's nonce with the handshake line. Nothing of value crosses the socket: a name no one
// else can open, a nonce used once, a handshake line that is useless without Terraform's client key.
import { closeSync, lstatSync, openSync, readSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { LAUNCH_FILE, openOwnFile } from './files';

/** Everything a launch brings, from its file: "TFAWS3 nonce build cwd terraform-pid launcher-pid PLUGIN_*... '' env". */
export interface LaunchRequest {
  nonce: string;
  buildId: string;
  /** The launch's working directory (Terraform's). */
  cwd: string;
  terraformPid: number;
  launcherPid: number;
  /** go-plugin's per-launch variables: PLUGIN_CLIENT_CERT, PLUGIN_PROTOCOL_VERSIONS, ... */
  plugin: Record<string, string>;
  /** Every other exported variable, as the launcher writes them (printf %q per NAME=VALUE), compared byte for byte. */
  environment: Buffer;
}

const MAGIC = 'TFAWS3';
/** The launcher serves cold an environment over 1 MiB (characters); a character is at most 4 bytes, plus PLUGIN_*. */
const MAX_ENVIRONMENT_CHARACTERS = 1 << 20;
const MAX_LAUNCH_BYTES = 4 * MAX_ENVIRONMENT_CHARACTERS + (64 << 10);

/**
 * The uid that owns the other end of a loopback TCP connection, from the kernel's socket table (Linux), or undefined
 * when it cannot be told. The launcher's socket is the entry whose local port is the connection's remote one and
 * whose remote port is our local one. The table is read a page at a time and only until that entry: producing all of
 * it walks the kernel's whole connection hash, which costs a millisecond or more.
 */
export function peerUid(localPort: number, remotePort: number): number | undefined {
  const loopback = endianness() === 'LE' ? '0100007F' : '7F000001';
  const wanted = `${loopback}:${hex4(remotePort)} ${loopback}:${hex4(localPort)} `;
  let fd: number;
  try {
    fd = openSync('/proc/net/tcp', 'r');
  } catch {
    return undefined;
  }
  try {
    const page = Buffer.alloc(4096);
    let table = '';
    for (let n = readSync(fd, page); n > 0; n = readSync(fd, page)) {
      table += page.toString('latin1', 0, n);
      const at = table.indexOf(wanted);
      const end = at < 0 ? -1 : table.indexOf('\n', at);
      if (end < 0) continue;
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
      const uid = Number(table.slice(at, end).trim().split(/\s+/)[6]);
      return Number.isSafeInteger(uid) ? uid : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const hex4 = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/**
 * Read and delete the launch file `name` in the working directory (the server's), if only the user can have written
 * it: a plain name of the launchers' form, a regular file (not followed through a symlink, not waited on as a FIFO)
 * owned by the user, mode 0600, one link. Returns its content, or why it was not taken. Used once: whatever happens,
 * a file of the user's under that name is gone afterwards, so a name seen on the wire cannot be replayed.
 */
export function takeLaunchFile(name: string, uid: number): Buffer | string {
  if (!LAUNCH_FILE.test(name)) return 'not a launch file name';
  const file = openOwnFile(name, uid, MAX_LAUNCH_BYTES);
  try {
    if (lstatSync(name).uid === uid) rmSync(name, { force: true });
  } catch {
    // already gone
  }
  if (!file) return 'no such launch file of the user\'s';
  if ((file.stat.mode & 0o777) !== 0o600) return 'the launch file is not mode 0600';
  if (file.stat.nlink !== 1) return 'the launch file has other links';
  return file.content;
}

/** The launch a file holds (each field NUL-terminated), or why it cannot be read. */
export function parseLaunch(content: Buffer): LaunchRequest | string {
  const fields: Buffer[] = [];
  for (let start = 0; start < content.length; ) {
    const end = content.indexOf(0, start);
    if (end < 0) return 'an unterminated field';
    fields.push(content.subarray(start, end));
    start = end + 1;
  }
  const text = (i: number) => fields[i]?.toString('utf8') ?? '';
  if (text(0) !== MAGIC) return 'not a launch';
  const pluginEnd = fields.findIndex((field, i) => i >= 6 && field.length === 0);
  if (pluginEnd < 0 || fields.length !== pluginEnd + 2) return 'a malformed launch';
  const [nonce, buildId, cwd] = [text(1), text(2), text(3)];
  const [terraformPid, launcherPid] = [Number(text(4)), Number(text(5))];
  if (!/^[0-9a-f]{32}$/.test(nonce)) return 'a malformed nonce';
  if (!cwd.startsWith('/')) return 'a working directory that is not absolute';
  if (!(terraformPid > 0 && launcherPid > 0 && Number.isSafeInteger(terraformPid) && Number.isSafeInteger(launcherPid))) return 'malformed pids';
  const plugin: Record<string, string> = {};
  for (let i = 6; i < pluginEnd; i++) {
    const pair = text(i);
    const eq = pair.indexOf('=');
    if (!/^PLUGIN_\w*$/.test(pair.slice(0, eq))) return 'a variable other than PLUGIN_* among the plugin ones';
    plugin[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { nonce, buildId, cwd, terraformPid, launcherPid, plugin, environment: fields[pluginEnd + 1]! };
}
