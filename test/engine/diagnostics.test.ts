// Diagnostics and resource errors (src/engine/diagnostics.ts): what counts as an error, a ResourceError's message,
// and the copy that records which remote object exists after a failure.
import t from 'tap';
import { diagnosticsOf, errorDiagnostic, hasErrors, ResourceError, warningDiagnostic } from '../../src/engine/diagnostics';

t.test('warnings are not errors', async (t) => {
  t.same(warningDiagnostic('careful', 'why', [{ attr: 'a' }]), { severity: 'warning', summary: 'careful', detail: 'why', path: [{ attr: 'a' }] });
  t.equal(hasErrors([warningDiagnostic('careful')]), false);
  t.equal(hasErrors([]), false);
  t.equal(hasErrors([warningDiagnostic('careful'), errorDiagnostic('broken')]), true);
});

t.test("a ResourceError's message joins summary and detail", async (t) => {
  t.equal(new ResourceError('creating thing', 'AccessDenied: no').message, 'creating thing: AccessDenied: no');
  t.equal(new ResourceError('creating thing').message, 'creating thing');
  t.same(diagnosticsOf(new Error('plain')), [{ severity: 'error', summary: 'plain', detail: undefined, path: undefined }]);
  t.same(diagnosticsOf('a string'), [{ severity: 'error', summary: 'a string', detail: undefined, path: undefined }]);
});

t.test('withState: the same failure, every diagnostic kept, now with the remote object', async (t) => {
  const error = new ResourceError('tagging thing', 'Throttling', undefined, [{ attr: 'tags' }]);
  error.diagnostics.push(warningDiagnostic('also this'));
  const state = { id: 'i-1' };
  const copy = error.withState(state);
  t.not(copy, error, 'a new error; the original is unchanged');
  t.equal(error.state, undefined);
  t.equal(copy.state, state);
  t.equal(copy.message, 'tagging thing: Throttling');
  t.same(copy.diagnostics, [
    { severity: 'error', summary: 'tagging thing', detail: 'Throttling', path: [{ attr: 'tags' }] },
    { severity: 'warning', summary: 'also this', detail: undefined, path: undefined },
  ]);
  t.equal(error.withState(null).state, null, 'null: known not to exist');
});
