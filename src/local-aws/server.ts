// The HTTP front of the endpoint: protocol detection, SigV4 presence, faults, the call log and the admin API.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CallLog } from './call-log';
import type { Backend, RequestContext } from './context';
import { AwsError } from './errors';
import { applyFaultSpec, decideEndpointFailure, decideFaults, describeFaults, type FaultDecision, FaultSpecError, noFaults, type FaultSettings } from './faults';
import { handleIam, IAM_NAMESPACE } from './iam/handler';
import { QueryParams } from './query';
import { describeBucket, handleS3 } from './s3/handler';
import { hostId, s3ErrorDocument, s3Operation, s3RequestId, S3Error, type S3Request, type S3Response } from './s3/protocol';
import { settleEndpoints } from './sagemaker/endpoints';
import { handleSageMaker } from './sagemaker/handler';
import { State } from './state';
import { handleSts, type RoleSession, STS_NAMESPACE } from './sts';
import { queryError, queryResponse } from './xml';

const DEFAULT_ACCOUNT = '000000000000';
/** Larger request bodies are refused before parsing, so a huge body cannot exhaust memory. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_ADMIN_BODY_BYTES = 64 * 1024;

export interface EndpointOptions {
  stateFile?: string;
  /** Fault settings to start with, in the admin API's words. */
  faults?: unknown;
  callLogSize?: number;
  /** DescribeModel answers `PrimaryContainer: {}` / `VpcConfig: {}` for absent structures, as moto does. */
  motoCompat?: boolean;
  /** How long a SageMaker endpoint stays Creating, Updating or Deleting (default 0.2 s). */
  transitionSeconds?: number;
}

export const DEFAULT_TRANSITION_SECONDS = 0.2;

type Service = 'SageMaker' | 'IAM' | 'STS' | 'S3';

interface AwsCall {
  service: Service | undefined;
  operation: string;
  protocol: 'json' | 'query';
}

const QUERY_SERVICES = new Map<string, Service>([
  ['iam', 'IAM'],
  ['sts', 'STS'],
]);
const QUERY_VERSIONS = new Map([
  ['2010-05-08', 'iam'],
  ['2011-06-15', 'sts'],
]);

const CREDENTIAL_PATTERN = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** The access key a request was signed with (header or presigned query), for the call log. */
function signingKey(req: IncomingMessage): string | null {
  const query = req.url?.includes('X-Amz-Credential=') ? `Credential=${new URL(req.url, 'http://local').searchParams.get('X-Amz-Credential')}` : '';
  return CREDENTIAL_PATTERN.exec(String(req.headers.authorization ?? query))?.[1] ?? null;
}

export class Endpoint {
  readonly state: State;
  readonly calls: CallLog;
  readonly server: Server;
  private faults: FaultSettings = noFaults();
  private readonly sessions = new Map<string, RoleSession>();
  private readonly backend: Backend;

  constructor(options: EndpointOptions = {}) {
    this.state = new State(options.stateFile);
    this.calls = new CallLog(options.callLogSize ?? 1000);
    if (options.faults !== undefined) applyFaultSpec(this.faults, options.faults);
    this.backend = {
      state: this.state,
      iamPropagationSeconds: () => this.faults.iamPropagationSeconds,
      transitionMs: (options.transitionSeconds ?? DEFAULT_TRANSITION_SECONDS) * 1000,
      endpointFailure: (name, during) => decideEndpointFailure(this.faults, name, during),
      changed: () => this.state.save(),
      motoCompat: options.motoCompat === true,
    };
    this.server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => this.route(req, res));
    // Garbage on a socket must never take the process down.
    this.server.on('clientError', (_error, socket) => socket.destroy());
    this.server.on('connection', (socket) => socket.on('error', () => undefined));
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    req.on('error', () => undefined);
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const search = new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1));
    if (path.startsWith('/_localstack/health')) {
      sendJson(res, 200, { services: { iam: 'running', s3: 'running', sagemaker: 'running', sts: 'running' }, edition: 'community', version: 'local-aws' });
      req.resume();
      return;
    }
    const admin = path.startsWith('/_endpoint/');
    const s3 = !admin && isS3(req, path, search);
    readBody(req, admin ? MAX_ADMIN_BODY_BYTES : MAX_BODY_BYTES, (body) => {
      try {
        if (admin) this.admin(req, res, path, search, body);
        else if (s3) this.s3(req, res, path, search, body);
        else this.aws(req, res, search, body);
      } catch (error) {
        process.stderr.write(`local-aws: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
        if (!res.headersSent) {
          if (s3) sendS3Error(res, req.method === 'HEAD', new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500), s3RequestId());
          else sendJson(res, 500, { __type: 'InternalFailure', message: 'We encountered an internal error. Please try again.' });
        }
      }
    });
  }

  // ---- AWS requests ----

  private identify(req: IncomingMessage, params: URLSearchParams | undefined): AwsCall {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const dot = target.indexOf('.');
      const prefix = dot < 0 ? target : target.slice(0, dot);
      return { service: prefix === 'SageMaker' ? 'SageMaker' : undefined, operation: target.slice(dot + 1), protocol: 'json' };
    }
    const scope = CREDENTIAL_PATTERN.exec(String(req.headers.authorization ?? params?.get('X-Amz-Credential') ?? ''));
    const serviceName = scope?.[4] ?? QUERY_VERSIONS.get(params?.get('Version') ?? '');
    return { service: QUERY_SERVICES.get(serviceName ?? ''), operation: params?.get('Action') ?? '', protocol: 'query' };
  }

  private aws(req: IncomingMessage, res: ServerResponse, search: URLSearchParams, body: Buffer | undefined): void {
    const requestId = randomUUID();
    const isJson = typeof req.headers['x-amz-target'] === 'string';
    let params: URLSearchParams | undefined;
    if (!isJson) {
      params = new URLSearchParams(body ? body.toString('utf8') : '');
      for (const [key, value] of search) if (!params.has(key)) params.set(key, value);
    }
    const call = this.identify(req, params);
    const namespace = call.service === 'STS' ? STS_NAMESPACE : IAM_NAMESPACE;

    const respondError = (error: AwsError, latencyMs = 0): void => {
      if (call.service) this.calls.record(call.service, call.operation, error.status, error.code, latencyMs, signingKey(req));
      if (call.protocol === 'json') {
        sendJson(res, error.status, { __type: error.code, message: error.message }, { 'x-amzn-errortype': error.code, 'x-amzn-requestid': requestId });
      } else {
        sendXml(res, error.status, queryError(namespace, error.faultType, error.code, error.message, requestId), requestId);
      }
    };

    if (body === undefined) {
      respondError(new AwsError(call.protocol === 'json' ? 'SerializationException' : 'RequestEntityTooLarge', `Request body is larger than ${MAX_BODY_BYTES} bytes`, 413));
      return;
    }
    const ctx = this.authenticate(req, params, call.protocol);
    if (ctx instanceof AwsError) return respondError(ctx);
    ctx.requestId = requestId;
    if (!call.service) {
      if (call.protocol === 'json') return respondError(new AwsError('UnknownOperationException', '', 400));
      return respondError(new AwsError('InvalidAction', `Could not find operation ${call.operation || '(none)'}`, 400));
    }

    const decision = decideFaults(this.faults, `${call.service}.${call.operation}`);
    const perform = (): void => this.perform(req, res, call, ctx, params, body, decision, requestId, respondError);
    if (decision.latencyMs > 0) setTimeout(perform, decision.latencyMs);
    else perform();
  }

  private perform(
    req: IncomingMessage,
    res: ServerResponse,
    call: AwsCall,
    ctx: RequestContext,
    params: URLSearchParams | undefined,
    body: Buffer,
    decision: FaultDecision,
    requestId: string,
    respondError: (error: AwsError, latencyMs: number) => void,
  ): void {
    const service = call.service!;
    const { latencyMs } = decision;
    if (decision.drop === 'before') return this.drop(req, service, call.operation, latencyMs);
    if (decision.error) return respondError(faultError(service, decision.error), latencyMs);

    let payload: string;
    try {
      if (service === 'SageMaker') {
        const input = parseJsonBody(body);
        payload = JSON.stringify(handleSageMaker(this.backend, ctx, call.operation, input));
      } else {
        const query = new QueryParams(params!);
        const result =
          service === 'IAM'
            ? handleIam(this.backend, ctx, call.operation, query)
            : handleSts(this.backend, this.sessions, ctx, call.operation, query);
        payload = queryResponse(call.operation, service === 'IAM' ? IAM_NAMESPACE : STS_NAMESPACE, result, requestId);
      }
    } catch (error) {
      if (error instanceof AwsError) {
        if (decision.drop === 'request') return this.drop(req, service, call.operation, latencyMs);
        respondError(error, latencyMs);
        if (decision.drop === 'response') res.on('finish', () => req.socket.destroy());
        return;
      }
      throw error;
    }

    if (decision.drop === 'request') return this.drop(req, service, call.operation, latencyMs);
    this.calls.record(service, call.operation, 200, null, latencyMs, signingKey(req));
    if (service === 'SageMaker') {
      sendBody(res, 200, 'application/x-amz-json-1.1', payload, { 'x-amzn-requestid': requestId });
    } else {
      sendXml(res, 200, payload, requestId);
    }
    if (decision.drop === 'response') res.on('finish', () => req.socket.destroy());
  }

  // ---- S3 (REST-XML, path-style) ----

  private s3(req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams, body: Buffer | undefined): void {
    const requestId = s3RequestId();
    const head = req.method === 'HEAD';
    let operation = '';
    const respondError = (error: AwsError, latencyMs = 0): void => {
      this.calls.record('S3', operation || 'Unknown', error.status, error.code, latencyMs, signingKey(req));
      sendS3Error(res, head, error, requestId);
    };
    let request: S3Request;
    try {
      request = s3Request(req, path, search, body ?? Buffer.alloc(0));
    } catch (error) {
      if (error instanceof S3Error) return respondError(error);
      throw error;
    }
    operation = s3Operation(request);
    if (body === undefined) {
      return respondError(new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { MaxSizeAllowed: String(MAX_BODY_BYTES) }));
    }
    const ctx = this.authenticate(req, search, 'rest-xml');
    if (ctx instanceof AwsError) return respondError(ctx);
    ctx.requestId = requestId;

    const decision = decideFaults(this.faults, `S3.${operation}`);
    const perform = (): void => {
      const { latencyMs } = decision;
      if (decision.drop === 'before') return this.drop(req, 'S3', operation, latencyMs);
      if (decision.error) return respondError(faultError('S3', decision.error), latencyMs);
      let response: S3Response;
      try {
        response = handleS3(this.backend, ctx, operation, request);
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        if (decision.drop === 'request') return this.drop(req, 'S3', operation, latencyMs);
        respondError(error, latencyMs);
        if (decision.drop === 'response') res.on('finish', () => req.socket.destroy());
        return;
      }
      if (decision.drop === 'request') return this.drop(req, 'S3', operation, latencyMs);
      this.calls.record('S3', operation, response.status, null, latencyMs, signingKey(req));
      const payload = response.body === undefined ? undefined : typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
      const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId), ...response.headers };
      if (payload !== undefined) headers['content-length'] = String(payload.length);
      else if (!('content-length' in headers)) headers['content-length'] = '0';
      res.writeHead(response.status, headers);
      res.end(head || response.status === 204 || response.status === 304 ? undefined : payload);
      if (decision.drop === 'response') res.on('finish', () => req.socket.destroy());
    };
    if (decision.latencyMs > 0) setTimeout(perform, decision.latencyMs);
    else perform();
  }

  private drop(req: IncomingMessage, service: Service, operation: string, latencyMs: number): void {
    this.calls.record(service, operation, 0, 'DroppedConnection', latencyMs, signingKey(req));
    req.socket.destroy();
  }

  /** Any access key is accepted, but the request must be SigV4-signed; the credential scope gives the region. */
  private authenticate(req: IncomingMessage, params: URLSearchParams | undefined, protocol: 'json' | 'query' | 'rest-xml'): RequestContext | AwsError {
    const authorization = req.headers.authorization;
    const presigned = params?.get('X-Amz-Credential');
    if (authorization === undefined && !presigned) {
      if (protocol === 'rest-xml') return new S3Error('AccessDenied', 'Access Denied', 403);
      return protocol === 'json'
        ? new AwsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', 400)
        : new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    }
    const scope = authorization !== undefined ? CREDENTIAL_PATTERN.exec(authorization) : CREDENTIAL_PATTERN.exec(`Credential=${presigned}`);
    const complete =
      scope !== null &&
      (authorization === undefined || (authorization.startsWith('AWS4-HMAC-SHA256 ') && /SignedHeaders=/.test(authorization) && /Signature=/.test(authorization)));
    if (!complete) {
      if (protocol === 'rest-xml') return new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.', 400);
      const message = `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (AWS4-HMAC-SHA256). Authorization=${String(authorization ?? '')}`;
      return new AwsError(protocol === 'json' ? 'IncompleteSignatureException' : 'IncompleteSignature', message, 400);
    }
    const accessKeyId = scope[1];
    return { accessKeyId, account: this.accountFor(accessKeyId), region: scope[3], requestId: '' };
  }

  /** LocalStack's convention: a 12-digit access key names the account; temporary credentials act in their role's account. */
  private accountFor(accessKeyId: string): string {
    const session = this.sessions.get(accessKeyId);
    if (session) return session.account;
    return /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;
  }

  // ---- admin API ----

  private admin(req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams, body: Buffer | undefined): void {
    const method = req.method ?? 'GET';
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_endpoint/calls': {
        const limitText = search.get('limit');
        const limit = limitText === null ? undefined : Number(limitText);
        if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) return sendJson(res, 400, { error: 'limit must be a non-negative integer' });
        return sendJson(res, 200, this.calls.snapshot(limit));
      }
      case 'POST /_endpoint/reset': {
        const what = search.get('what');
        if (what === 'calls') this.calls.clear();
        else if (what === null || what === 'all') this.reset();
        else return sendJson(res, 400, { error: 'what must be "calls" or "all"' });
        return sendJson(res, 200, { reset: what ?? 'all' });
      }
      case 'GET /_endpoint/faults':
        return sendJson(res, 200, describeFaults(this.faults));
      case 'POST /_endpoint/faults': {
        if (body === undefined) return sendJson(res, 413, { error: 'body too large' });
        try {
          applyFaultSpec(this.faults, JSON.parse(body.toString('utf8') || '{}'));
        } catch (error) {
          if (error instanceof FaultSpecError || error instanceof SyntaxError) return sendJson(res, 400, { error: error.message });
          throw error;
        }
        return sendJson(res, 200, describeFaults(this.faults));
      }
      case 'DELETE /_endpoint/faults':
        this.faults = noFaults();
        return sendJson(res, 200, describeFaults(this.faults));
      case 'GET /_endpoint/state':
        settleEndpoints(this.backend);
        return sendJson(res, 200, {
          models: [...this.state.models.values()],
          endpointConfigs: [...this.state.endpointConfigs.values()],
          endpoints: [...this.state.endpoints.values()],
          roles: [...this.state.roles.values()],
          policies: [...this.state.policies.values()],
          buckets: [...this.state.buckets.values()].map(describeBucket),
        });
      default:
        return sendJson(res, 404, { error: `no admin route ${route}` });
    }
  }

  private reset(): void {
    this.state.clear();
    this.sessions.clear();
    this.faults = noFaults();
    this.calls.clear();
  }
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected, or the body is not valid JSON.', 400);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AwsError('SerializationException', 'Expected a JSON object as the request body.', 400);
  }
  return input as Record<string, unknown>;
}

/** Collects the body; calls back with undefined when it is larger than `limit` (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => done(tooLarge ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
}

function sendBody(res: ServerResponse, status: number, contentType: string, payload: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  sendBody(res, status, headers['x-amzn-requestid'] ? 'application/x-amz-json-1.1' : 'application/json', JSON.stringify(value), headers);
}

function sendXml(res: ServerResponse, status: number, payload: string, requestId: string): void {
  sendBody(res, status, 'text/xml', payload, { 'x-amzn-requestid': requestId });
}

/**
 * An S3 request names s3 in its SigV4 credential scope (Authorization header or presigned query). An unsigned one
 * is taken for S3 when its path names a bucket: the JSON and Query protocols always address `/`.
 */
function isS3(req: IncomingMessage, path: string, search: URLSearchParams): boolean {
  const credential = req.headers.authorization ?? (search.has('X-Amz-Credential') ? `Credential=${search.get('X-Amz-Credential')}` : '');
  const scope = CREDENTIAL_PATTERN.exec(String(credential));
  if (scope) return scope[4] === 's3';
  return path !== '/' && req.headers['x-amz-target'] === undefined;
}

/** A path-style S3 request: `/bucket` or `/bucket/` names the bucket, `/bucket/key` an object (the key URL-decoded). */
function s3Request(req: IncomingMessage, path: string, search: URLSearchParams, body: Buffer): S3Request {
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400, { URI: req.url ?? '' });
    }
  };
  const rest = path.replace(/^\//, '');
  const slash = rest.indexOf('/');
  const bucket = rest === '' ? undefined : decode(slash < 0 ? rest : rest.slice(0, slash));
  const keyText = slash < 0 ? '' : rest.slice(slash + 1);
  return {
    method: req.method ?? 'GET',
    bucket,
    key: keyText === '' ? undefined : decode(keyText),
    query: search,
    headers: req.headers,
    body,
    origin: `http://${req.headers.host ?? '127.0.0.1'}`,
  };
}

/** What an injected fault answers, in each service's own words. */
function faultError(service: Service, kind: 'throttle' | 'internalError'): AwsError {
  if (service === 'S3') {
    return kind === 'throttle'
      ? new S3Error('SlowDown', 'Please reduce your request rate.', 503)
      : new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500);
  }
  if (kind === 'throttle') return new AwsError(service === 'SageMaker' ? 'ThrottlingException' : 'Throttling', 'Rate exceeded', 400);
  return new AwsError('InternalFailure', 'We encountered an internal error. Please try again.', 500);
}

function sendS3Error(res: ServerResponse, head: boolean, error: AwsError, requestId: string): void {
  const payload = Buffer.from(s3ErrorDocument(error, requestId));
  res.writeHead(error.status, {
    'content-type': 'application/xml',
    'content-length': head ? '0' : String(payload.length),
    'x-amz-request-id': requestId,
    'x-amz-id-2': hostId(requestId),
  });
  res.end(head ? undefined : payload);
}
