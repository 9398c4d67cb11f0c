// bin/local-aws: a local AWS endpoint (SageMaker models, endpoint configurations and endpoints, IAM roles and policies, S3, STS) for acceptance tests and the demo.
import { DEFAULT_TRANSITION_SECONDS, Endpoint, type EndpointOptions } from './server';

const USAGE = `usage: local-aws [--port N] [--state-file PATH] [fault flags]

  --port N                        port on 127.0.0.1 (default 4566; 0 = any free port)
  --state-file PATH               keep the state in PATH (atomic writes, survives restarts); default: in memory
  --throttle-rate R               answer a fraction R (0..1) of calls with a throttling error
  --internal-error-rate R         answer a fraction R of calls with 500 InternalFailure
  --drop-rate R                   drop the connection of a fraction R of calls
  --latency-ms N                  add N ms to every call
  --iam-propagation-seconds N     CreateModel cannot assume a role until N seconds after CreateRole
  --faults JSON                   any fault settings, as POST /_endpoint/faults takes them
  --call-log-size N               how many recent calls GET /_endpoint/calls keeps (default 1000)
  --transition-seconds S          how long a SageMaker endpoint stays Creating, Updating or Deleting
                                  (default: $LOCAL_AWS_TRANSITION_SECONDS, else ${DEFAULT_TRANSITION_SECONDS})
  --moto-compat                   answer DescribeModel as moto-based emulators (LocalStack) do: {} for absent structures
  --exit-with-stdin               exit when stdin closes (a test harness that dies, even by SIGKILL, takes the endpoint along)
`;

function fail(message: string): never {
  process.stderr.write(`local-aws: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): { port: number; exitWithStdin: boolean; options: EndpointOptions } {
  let port = 4566;
  let exitWithStdin = false;
  const options: EndpointOptions = {};
  const fromEnv = process.env.LOCAL_AWS_TRANSITION_SECONDS;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seconds = Number(fromEnv);
    if (!(Number.isFinite(seconds) && seconds >= 0 && seconds <= 86_400)) fail('LOCAL_AWS_TRANSITION_SECONDS needs a number in 0..86400');
    options.transitionSeconds = seconds;
  }
  const faults: Record<string, unknown> = {};
  const number = (flag: string, text: string | undefined, min: number, max: number): number => {
    const value = Number(text);
    if (text === undefined || text === '' || !Number.isFinite(value) || value < min || value > max) fail(`${flag} needs a number in ${min}..${max}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        port = number(flag, value(), 0, 65535);
        if (!Number.isInteger(port)) fail('--port needs an integer');
        break;
      case '--state-file':
        options.stateFile = value() ?? fail('--state-file needs a path');
        break;
      case '--throttle-rate':
        faults.throttle = { rate: number(flag, value(), 0, 1) };
        break;
      case '--internal-error-rate':
        faults.internalError = { rate: number(flag, value(), 0, 1) };
        break;
      case '--drop-rate':
        faults.dropConnection = { rate: number(flag, value(), 0, 1) };
        break;
      case '--latency-ms':
        faults.latencyMs = number(flag, value(), 0, 600_000);
        break;
      case '--iam-propagation-seconds':
        faults.iamPropagationSeconds = number(flag, value(), 0, 86_400);
        break;
      case '--faults': {
        const text = value() ?? fail('--faults needs a JSON object');
        try {
          Object.assign(faults, JSON.parse(text));
        } catch {
          fail('--faults needs a JSON object');
        }
        break;
      }
      case '--call-log-size':
        options.callLogSize = number(flag, value(), 1, 10_000_000);
        break;
      case '--transition-seconds':
        options.transitionSeconds = number(flag, value(), 0, 86_400);
        break;
      case '--moto-compat':
        options.motoCompat = true;
        break;
      case '--exit-with-stdin':
        exitWithStdin = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${argv[i]}`);
    }
  }
  if (Object.keys(faults).length > 0) options.faults = faults;
  return { port, exitWithStdin, options };
}

async function main(): Promise<void> {
  const { port, exitWithStdin, options } = parseArgs(process.argv.slice(2));
  let endpoint: Endpoint;
  try {
    endpoint = new Endpoint(options);
  } catch (error) {
    fail((error as Error).message);
  }
  let actualPort: number;
  try {
    actualPort = await endpoint.listen(port);
  } catch (error) {
    process.stderr.write(`local-aws: cannot listen on 127.0.0.1:${port}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const url = `http://127.0.0.1:${actualPort}`;
  process.stdout.write(
    `local-aws: SageMaker (models, endpoint configurations, endpoints, tags), IAM (roles, policies), S3 (buckets, objects), STS; any access key; account 000000000000\n` +
      `  state: ${options.stateFile ?? 'in memory'}\n` +
      `  admin: ${url}/_endpoint/calls | /_endpoint/faults | /_endpoint/reset (see src/local-aws/README.md)\n` +
      `listening on ${url}\n`,
  );
  const stop = (): void => {
    void endpoint.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (exitWithStdin) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

void main();
