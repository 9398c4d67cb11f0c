// hclog-compatible JSON logging on stderr.
//
// Terraform reads the provider's stderr line by line; a line that parses as JSON with hclog's keys is
// re-logged at its own level under `provider.terraform-provider-aws`, every extra key becoming a
// key=value pair. Nothing of this reaches the terminal unless TF_LOG / TF_LOG_PROVIDER is set.
//
// Level threshold: TF_LOG_PROVIDER, else TF_LOG (trace|debug|info|warn|error|off, any case; "json"
// means trace, and any other non-empty value also means trace, as Terraform itself treats it).
// Unset: warn and error only, so a crash or a surprising condition still leaves a trace when the
// provider runs under --debug, while normal runs stay silent and cheap.
import type { Environment } from './launch';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogThreshold = LogLevel | 'off';
export type LogFields = Record<string, unknown>;

const LEVEL_RANK: Record<LogThreshold, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

export function thresholdFromEnv(env: Environment): LogThreshold {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || '').trim().toLowerCase();
  if (raw === '') return 'warn';
  if (raw in LEVEL_RANK) return raw as LogThreshold;
  return 'trace';
}

/**
 * Go's `2006-01-02T15:04:05.000000Z07:00` in UTC: exactly six fractional digits, then `Z`.
 * hclog's parser in Terraform rejects the three digits of Date#toISOString.
 */
export function formatTimestamp(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const micros = Math.min(999, Math.floor((epochMs - wholeMs) * 1000));
  return `${new Date(wholeMs).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** Wall clock with sub-millisecond resolution (Date.now() has only milliseconds). */
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

const SECRET_KEY = /(access_?key|secret|token|passw(or)?d|authorization|credential|private_?key|session_?key)/i;
const REDACTED = '[REDACTED]';

/**
 * A copy of `value` in which every property whose name looks like a secret (access_key, secret_key,
 * token, password, authorization, ...) is replaced by "[REDACTED]", at any depth.
 */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value;
  if (value instanceof Error) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen));
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [k, SECRET_KEY.test(String(k)) ? REDACTED : redactValue(v, seen)]));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined ? REDACTED : redactValue(v, seen);
  }
  return out;
}

/** JSON.stringify replacer for values JSON cannot carry as-is. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return value.stack ?? value.message;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
    // Buffer#toJSON runs before the replacer sees the value.
    const data = (value as { data?: unknown }).data;
    if (Array.isArray(data)) return `<${data.length} bytes>`;
  }
  return value;
}

export type LogSink = (line: string) => void;

const writeStderr: LogSink = (line) => {
  process.stderr.write(line);
};

let currentSink: () => LogSink | undefined = () => undefined;

/**
 * Where log lines go when a logger was made without a sink: stderr, unless `current` names another for the code
 * running now. A warm server (src/warm/) hosts several provider instances in one process and sends each one's lines
 * to the launch it serves, as a process of its own would write them to its own stderr.
 */
export function routeLogs(current: () => LogSink | undefined): void {
  currentSink = current;
}

const stderrSink: LogSink = (line) => {
  (currentSink() ?? writeStderr)(line);
};

let processThreshold: LogThreshold = 'warn';

/**
 * The threshold of the loggers made without one of their own: the root logger and the module loggers derived from it.
 * The process's entry sets it from its environment (src/main.ts); until then, warn.
 */
export function setProcessLogThreshold(threshold: LogThreshold): void {
  processThreshold = threshold;
}

export class Logger {
  constructor(
    readonly module: string,
    /** Undefined: the process's threshold, whenever it is set (module loggers are made before the entry runs). */
    private readonly ownThreshold?: LogThreshold,
    private readonly sink: LogSink = stderrSink,
    private readonly baseFields: LogFields = {},
  ) {}

  get threshold(): LogThreshold {
    return this.ownThreshold ?? processThreshold;
  }

  private get rank(): number {
    return LEVEL_RANK[this.ownThreshold ?? processThreshold];
  }

  /** A logger for a sub-module: `@module` becomes `<parent>.<module>`; fields are carried along. */
  child(module: string, fields: LogFields = {}): Logger {
    return new Logger(`${this.module}.${module}`, this.ownThreshold, this.sink, { ...this.baseFields, ...fields });
  }

  enabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= this.rank;
  }

  trace(message: string, fields?: LogFields): void {
    this.write('trace', message, fields);
  }
  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  /**
   * Pass on a record another process logged (a child's hclog JSON line): its fields kept, secrets redacted, its
   * `@module` placed under ours. Dropped below our level, like our own records.
   */
  forward(record: LogFields): void {
    const level = typeof record['@level'] === 'string' && record['@level'] in LEVEL_RANK ? (record['@level'] as LogLevel) : 'debug';
    if (LEVEL_RANK[level] < this.rank) return;
    const module = typeof record['@module'] === 'string' && record['@module'] ? `${this.module}.${record['@module']}` : this.module;
    this.sink(`${JSON.stringify(redact({ ...record, '@level': level, '@module': module }), jsonSafe)}\n`);
  }

  private write(level: LogLevel, message: string, fields?: LogFields): void {
    if (LEVEL_RANK[level] < this.rank) return;
    const record = {
      '@level': level,
      '@message': message,
      '@module': this.module,
      '@timestamp': formatTimestamp(nowMs()),
      ...redact({ ...this.baseFields, ...fields }),
    };
    let line: string;
    try {
      line = JSON.stringify(record, jsonSafe);
    } catch (err) {
      const { '@level': l, '@module': m, '@timestamp': ts } = record;
      line = JSON.stringify({ '@level': l, '@message': `${message} (fields not serialisable: ${String(err)})`, '@module': m, '@timestamp': ts });
    }
    this.sink(`${line}\n`);
  }
}

/** The provider's root logger. */
export const log = new Logger('provider');
