// Reading Query-protocol parameters: flat names such as `Tags.member.2.Key`.
export class QueryParams {
  constructor(private readonly params: URLSearchParams) {}

  string(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  /** An integer member; a value that is not one is a malformed request. */
  integer(name: string): number | undefined {
    const text = this.params.get(name);
    if (text === null) return undefined;
    return /^-?\d+$/.test(text) ? Number(text) : NaN;
  }

  /** `Name.member.1`, `Name.member.2`, ... in index order. */
  list(name: string): string[] | undefined {
    return this.indexed(name, (prefix) => this.params.get(prefix) ?? "");
  }

  /** `Name.member.1.Key` / `Name.member.1.Value`, ... */
  tags(name: string): { Key: string | undefined; Value: string | undefined }[] | undefined {
    return this.indexed(name, (prefix) => ({ Key: this.params.get(`${prefix}.Key`) ?? undefined, Value: this.params.get(`${prefix}.Value`) ?? undefined }));
  }

  private indexed<T>(name: string, read: (prefix: string) => T): T[] | undefined {
    const indexes = new Set<number>();
    const head = `${name}.member.`;
    let empty = false;
    for (const key of this.params.keys()) {
      if (key === name) empty = true;
      if (!key.startsWith(head)) continue;
      const index = Number(key.slice(head.length).split('.')[0]);
      if (Number.isInteger(index) && index > 0) indexes.add(index);
    }
    if (indexes.size === 0) return empty ? [] : undefined;
    return [...indexes].sort((a, b) => a - b).map((index) => read(`${head}${index}`));
  }
}
