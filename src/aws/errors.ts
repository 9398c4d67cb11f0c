// AWS errors as Terraform diagnostics: the AWS error code and message are always kept, in the shape
// hashicorp/aws prints them ("operation error SageMaker: CreateModel, https response error StatusCode: 400,
// RequestID: ..., api error ValidationException: ...").
import { ResourceError } from '../engine/diagnostics';

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $fault?: string;
}

function errorCode(error: unknown): string | undefined {
  const e = error as SdkError | undefined;
  return e?.Code ?? e?.code ?? e?.name;
}

export function errorMessage(error: unknown): string {
  return (error as SdkError | undefined)?.message ?? String(error);
}

export function isErrorCode(error: unknown, code: string, messageContains?: string): boolean {
  return errorCode(error) === code && (messageContains === undefined || errorMessage(error).includes(messageContains));
}

/** "operation error SageMaker: CreateModel, https response error StatusCode: 400, RequestID: r, api error Code: message" */
export function describeAwsError(service: string, operation: string, error: unknown): string {
  const e = error as SdkError;
  const status = e?.$metadata?.httpStatusCode;
  if (status === undefined) return `operation error ${service}: ${operation}, ${errorMessage(error)}`;
  return (
    `operation error ${service}: ${operation}, https response error StatusCode: ${status}, ` +
    `RequestID: ${e.$metadata?.requestId ?? ''}, api error ${errorCode(error)}: ${errorMessage(error)}`
  );
}

/** A failed AWS call as a resource error: "<action> <thing> (<id>): <AWS error>". */
export function awsResourceError(action: string, id: string, service: string, operation: string, error: unknown, detail?: string): ResourceError {
  if (error instanceof ResourceError) return error;
  return new ResourceError(`${action} (${id}): ${describeAwsError(service, operation, error)}`, detail);
}

/** How many HTTP attempts the SDK made for the failed call (it retries throttling, 5xx and lost connections). */
export function sdkAttempts(error: unknown): number {
  return (error as SdkError | undefined)?.$metadata?.attempts ?? 1;
}
