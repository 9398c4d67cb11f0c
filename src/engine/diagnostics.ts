// Diagnostics as the engine produces them; the provider server turns them into tfplugin6 messages.
import type { ObjectValue } from '../values/value';
import type { Path } from '../values/path';

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  /** The attribute the diagnostic is about; Terraform then points at its line in the configuration. */
  path?: Path;
}

export function errorDiagnostic(summary: string, detail?: string, path?: Path): Diagnostic {
  return { severity: 'error', summary, detail, path };
}

export function warningDiagnostic(summary: string, detail?: string, path?: Path): Diagnostic {
  return { severity: 'warning', summary, detail, path };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * An error raised by a resource operation. `state` is the remote object as far as it is known when the
 * operation failed half-way (e.g. created, then tagging failed): it is recorded so that nothing is orphaned.
 */
export class ResourceError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(
    summary: string,
    detail?: string,
    readonly state?: ObjectValue | null,
    path?: Path,
  ) {
    super(detail ? `${summary}: ${detail}` : summary);
    this.diagnostics = [errorDiagnostic(summary, detail, path)];
  }

  /** The same failure, now knowing which remote object exists. */
  withState(state: ObjectValue | null): ResourceError {
    const copy = new ResourceError(this.diagnostics[0].summary, this.diagnostics[0].detail, state, this.diagnostics[0].path);
    copy.diagnostics.push(...this.diagnostics.slice(1));
    return copy;
  }
}

/** The diagnostics an operation's failure becomes: a ResourceError's own, else one error with the message. */
export function diagnosticsOf(error: unknown): Diagnostic[] {
  if (error instanceof ResourceError) return error.diagnostics;
  const message = error instanceof Error ? error.message : String(error);
  return [errorDiagnostic(message)];
}
