// Shared by the test/aws/iam-policy-*.test.ts files.

/** The message of the error `fn` throws, or "no error". */
export function errorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}
