// A fake STS on a loopback port for the AWS layer's unit tests: GetCallerIdentity answers with the account of the
// access key that signed the request (or an error the test chooses), AssumeRole with keys named after the role.
// Every request is recorded: its action, its parameters, the access key that signed it and its target (it may serve as
// an HTTP proxy too).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Test } from 'tap';

export interface StsRequest {
  action: string;
  params: Record<string, string>;
  accessKeyId: string;
  /** The request target as received: a path, or a whole URL when the request came as to a proxy. */
  target: string;
}

export interface FakeSts {
  url: string;
  requests: StsRequest[];
  /** The account each access key belongs to (default 123456789012). */
  accounts: Record<string, string>;
  /** When assumed credentials expire (default 2099). */
  assumedExpiration?: Date;
  /** Refuse the next AssumeRole calls. */
  refuseAssumeRole?: boolean;
  /** Connections accepted so far. */
  connections: number;
  /** Answer the next GetCallerIdentity calls with this HTTP status and error code. */
  failWith?: { status: number; code: string; message: string };
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export async function startFakeSts(t: Test): Promise<FakeSts> {
  const sts: FakeSts = { url: '', requests: [], accounts: {}, connections: 0 };
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const accessKeyId = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const action = params.Action ?? '';
      sts.requests.push({ action, params, accessKeyId, target: request.url ?? '' });
      response.setHeader('content-type', 'text/xml');
      response.setHeader('x-amzn-requestid', sts.failWith && action !== 'AssumeRole' ? 'req-failed' : 'r');
      if (action === 'AssumeRole' && sts.refuseAssumeRole) {
        response.statusCode = 403;
        response.end(`<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>`);
        return;
      }
      if (action === 'AssumeRole') {
        const expiration = (sts.assumedExpiration ?? new Date('2099-01-01T00:00:00Z')).toISOString();
        const role = params.RoleArn!.split('/').pop();
        response.end(
          `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><Credentials><AccessKeyId>ASSUMED-${role}</AccessKeyId>` +
            `<SecretAccessKey>s</SecretAccessKey><SessionToken>token-${role}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
            `</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
        return;
      }
      if (sts.failWith) {
        response.statusCode = sts.failWith.status;
        response.end(
          `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${sts.failWith.code}</Code><Message>${sts.failWith.message}</Message></Error>` +
            `<RequestId>req-failed</RequestId></ErrorResponse>`,
        );
        return;
      }
      const account = sts.accounts[accessKeyId] ?? '123456789012';
      response.end(
        `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/u</Arn><UserId>U</UserId>` +
          `<Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    });
  });
  server.on('connection', () => (sts.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  server.unref();
  sts.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return sts;
}
