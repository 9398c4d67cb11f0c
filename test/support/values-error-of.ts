/**
 * "Name: message" of the error `fn` throws, or "no error". tap's throws matches a message as a
 * substring; comparing this string instead pins the whole message.
 */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return 'no error';
}
