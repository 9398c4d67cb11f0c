import t from 'tap';
import { formatTimestamp, Logger, redact, thresholdFromEnv } from '../../src/protocol/log';

// Go's layout 2006-01-02T15:04:05.000000Z07:00, as Terraform's hclog parser requires.
const GO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

t.test('timestamps have exactly six fractional digits', async (t) => {
  t.equal(formatTimestamp(Date.UTC(2025, 0, 2, 3, 4, 5, 678) + 0.9015), '2025-01-02T03:04:05.678901Z');
  t.equal(formatTimestamp(Date.UTC(2025, 0, 2, 3, 4, 5, 0)), '2025-01-02T03:04:05.000000Z');
  t.equal(formatTimestamp(Date.UTC(2025, 11, 31, 23, 59, 59, 999) + 0.5), '2025-12-31T23:59:59.999500Z');
});

function capture(threshold: ConstructorParameters<typeof Logger>[1]) {
  const lines: string[] = [];
  return { lines, logger: new Logger('provider', threshold, (line) => lines.push(line)) };
}

t.test('records are hclog JSON lines', async (t) => {
  const { lines, logger } = capture('trace');
  logger.child('engine').info('planned', { resource: 'aws_sagemaker_model.m', big: 12345678901234567890n });
  t.equal(lines.length, 1);
  t.ok(lines[0]!.endsWith('\n'));
  const record = JSON.parse(lines[0]!);
  t.match(record, { '@level': 'info', '@message': 'planned', '@module': 'provider.engine', resource: 'aws_sagemaker_model.m', big: '12345678901234567890' });
  t.match(record['@timestamp'], GO_MICROS);
});

t.test('threshold filters lower levels', async (t) => {
  const { lines, logger } = capture('warn');
  logger.debug('hidden');
  logger.info('hidden');
  logger.warn('shown');
  logger.error('shown');
  t.same(lines.map((l) => JSON.parse(l)['@level']), ['warn', 'error']);
  const off = capture('off');
  off.logger.error('hidden');
  t.same(off.lines, []);
});

t.test('threshold from TF_LOG_PROVIDER, then TF_LOG', async (t) => {
  t.equal(thresholdFromEnv({}), 'warn');
  t.equal(thresholdFromEnv({ TF_LOG: 'DEBUG' }), 'debug');
  t.equal(thresholdFromEnv({ TF_LOG: 'json' }), 'trace');
  t.equal(thresholdFromEnv({ TF_LOG: 'trace', TF_LOG_PROVIDER: 'error' }), 'error');
  t.equal(thresholdFromEnv({ TF_LOG_PROVIDER: 'off', TF_LOG: 'trace' }), 'off');
  t.equal(thresholdFromEnv({ TF_LOG: 'verbose' }), 'trace');
});

t.test('redact replaces secrets at any depth', async (t) => {
  const input = {
    region: 'eu-west-1',
    access_key: 'AKIAEXAMPLE',
    secret_key: 'shh',
    nested: { token: 't', Authorization: 'AWS4-HMAC-SHA256 ...', password: 'p', list: [{ session_token: 'x', name: 'ok' }] },
  };
  t.same(redact(input), {
    region: 'eu-west-1',
    access_key: '[REDACTED]',
    secret_key: '[REDACTED]',
    nested: { token: '[REDACTED]', Authorization: '[REDACTED]', password: '[REDACTED]', list: [{ session_token: '[REDACTED]', name: 'ok' }] },
  });
  t.equal(input.access_key, 'AKIAEXAMPLE', 'input untouched');
  const { lines, logger } = capture('trace');
  logger.info('configured', { config: input });
  t.notMatch(lines[0]!, /AKIAEXAMPLE|shh/, 'the logger redacts fields itself');
});
