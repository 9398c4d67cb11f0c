// Which proxy, if any, an AWS API request goes through: the rules of hashicorp/aws (aws-sdk-go-base, on Go's
// golang.org/x/net/http/httpproxy). `http_proxy` serves http:// endpoints and `https_proxy` https:// ones; each
// argument, even empty, wins over HTTP_PROXY/HTTPS_PROXY (or lower case), and `no_proxy` over NO_PROXY. Requests
// to localhost and loopback addresses never use a proxy. A proxy URL without a scheme means http://.
import { BlockList, isIP } from 'node:net';

export interface ProxySettings {
  /** Proxy URL for http:// endpoints; '' for none. */
  http: string;
  /** Proxy URL for https:// endpoints; '' for none. */
  https: string;
  /** Comma-separated hosts, domains, IPs and CIDRs that go direct; '*' for all. */
  noProxy: string;
  /** `http_proxy` was set and no HTTPS proxy anywhere, so HTTPS uses it too (hashicorp/aws warns about it). */
  httpsFromHttp: boolean;
}

type Env = Record<string, string | undefined>;

/** `config` holds the provider arguments as given (null when absent). */
export function resolveProxySettings(config: { http: string | null; https: string | null; noProxy: string | null }, env: Env): ProxySettings {
  const fromEnv = (...names: string[]) => names.map((name) => env[name]).find((value) => value) ?? '';
  const http = config.http ?? fromEnv('HTTP_PROXY', 'http_proxy');
  const httpsSomewhere = config.https ?? fromEnv('HTTPS_PROXY', 'https_proxy');
  const httpsFromHttp = config.https === null && httpsSomewhere === '' && !!config.http;
  return {
    http,
    https: httpsFromHttp ? http : httpsSomewhere,
    noProxy: config.noProxy ?? fromEnv('NO_PROXY', 'no_proxy'),
    httpsFromHttp,
  };
}

/** The proxy URL for a request to `protocol//host:port`, or undefined to connect directly. */
export function proxyFor(settings: ProxySettings, protocol: 'http:' | 'https:', host: string, port: number): URL | undefined {
  const proxy = protocol === 'https:' ? settings.https : settings.http;
  if (!proxy || !useProxy(settings.noProxy, host, port)) return undefined;
  return parseProxyUrl(proxy);
}

/** Go accepts "host:port" for "http://host:port". Throws on anything that is not a URL. */
export function parseProxyUrl(proxy: string): URL {
  let url: URL;
  try {
    url = new URL(proxy);
    // "host:port" parses as a URL whose scheme is the host.
    if (!url.host) url = new URL(`http://${proxy}`);
  } catch {
    url = new URL(`http://${proxy}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported proxy scheme "${url.protocol.slice(0, -1)}" (use http or https)`);
  return url;
}

/** A proxy URL safe to print: no user or password. */
export function displayProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/** Go's httpproxy useProxy: false for loopback and for every host the no_proxy list matches. */
export function useProxy(noProxy: string, host: string, port: number): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || isLoopback(name)) return false;
  const portText = String(port);
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return false;
    if (entry.includes('/')) {
      if (isIP(name) && inCidr(name, entry)) return false;
      continue;
    }
    const { host: entryHost, port: entryPort } = splitHostPort(entry);
    if (entryHost === '') continue;
    if (entryPort !== '' && entryPort !== portText) continue;
    if (isIP(entryHost)) {
      if (isIP(name) && sameIp(name, entryHost)) return false;
      continue;
    }
    // "example.com" matches itself and its subdomains; ".example.com" and "*.example.com" only subdomains.
    const matchesItself = !entryHost.startsWith('.') && !entryHost.startsWith('*.');
    const suffix = entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost.startsWith('.') ? entryHost : `.${entryHost}`;
    if (name.endsWith(suffix) || (matchesItself && name === entryHost)) return false;
  }
  return true;
}

function splitHostPort(entry: string): { host: string; port: string } {
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ?? '' };
  const colon = entry.lastIndexOf(':');
  // More than one colon without brackets: a bare IPv6 address.
  if (colon < 0 || entry.indexOf(':') !== colon) return { host: entry, port: '' };
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

function isLoopback(name: string): boolean {
  return matches(name, (list, type) => (type === 'ipv4' ? list.addSubnet('127.0.0.0', 8, type) : list.addAddress('::1', type)));
}

function sameIp(ip: string, other: string): boolean {
  const type = isIP(other) === 4 ? 'ipv4' : 'ipv6';
  return matches(ip, (list) => list.addAddress(other, type));
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  const kind = isIP(base);
  const bits = Number(bitsText);
  if (!kind || !/^\d+$/.test(bitsText) || bits > (kind === 4 ? 32 : 128)) return false;
  return matches(ip, (list) => list.addSubnet(base, bits, kind === 4 ? 'ipv4' : 'ipv6'));
}

/** Whether `ip` falls in the rules `add` puts in a BlockList (Node's own address matcher). */
function matches(ip: string, add: (list: BlockList, type: 'ipv4' | 'ipv6') => void): boolean {
  const type = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  add(list, type);
  return list.check(ip, type);
}
