// An error in AWS's own terms: the code, message and HTTP status a real service answers with.
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  // Query-protocol services say who is at fault: the caller (Sender) or the service (Receiver).
  get faultType(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const sageMakerValidation = (message: string) => new AwsError('ValidationException', message, 400);

/** The wording of the AWS input validator ("1 validation error detected: ..."). */
export function constraintViolations(violations: string[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
}

