// AWS SDK v3 clients against the endpoint under test, and the errors their calls fail with.

/** Client settings for the AWS SDK v3 clients (SageMaker, IAM, STS, S3 with forcePathStyle) against the endpoint; any key works. */
export function awsClientConfig(url: string, region = 'us-east-1', accessKeyId = 'test') {
  return {
    endpoint: url,
    region,
    credentials: { accessKeyId, secretAccessKey: 'test' },
    maxAttempts: 1,
  };
}

/** The error an SDK call fails with (its name, message and HTTP status); throws when the call succeeds. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
