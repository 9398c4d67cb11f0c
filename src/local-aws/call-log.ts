// The call log: how many calls of each operation arrived, and the most recent ones.

export interface CallRecord {
  service: string;
  operation: string;
  status: number;
  errorCode: string | null;
  /** Milliseconds a latency fault held the call before it was performed (0 when none). */
  latencyMs: number;
  /** The access key the call was signed with (from its SigV4 credential scope), or null when unsigned. */
  accessKeyId: string | null;
  time: string;
}

export class CallLog {
  private counts: Record<string, number> = {};
  private recent: CallRecord[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  record(service: string, operation: string, status: number, errorCode: string | null, latencyMs = 0, accessKeyId: string | null = null): void {
    const key = `${service}.${operation}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    const entry: CallRecord = { service, operation, status, errorCode, latencyMs, accessKeyId, time: new Date().toISOString() };
    // A ring buffer: recording stays O(1) however long the endpoint runs.
    if (this.recent.length < this.capacity) this.recent.push(entry);
    else {
      this.recent[this.head] = entry;
      this.head = (this.head + 1) % this.capacity;
    }
  }

  clear(): void {
    this.counts = {};
    this.recent = [];
    this.head = 0;
  }

  /** Counts of every operation and the last `limit` calls, oldest first. */
  snapshot(limit = this.capacity): { counts: Record<string, number>; recent: CallRecord[] } {
    const ordered = this.recent.slice(this.head).concat(this.recent.slice(0, this.head));
    return { counts: { ...this.counts }, recent: limit >= ordered.length ? ordered : ordered.slice(ordered.length - limit) };
  }
}
