// The AWS SDK modules, each loaded on its first use (after the handshake) and then kept. Loading goes through
// require() rather than `await import()`: the bundle turns every `import()` of a CommonJS module into a fresh
// copy of all its exports (thousands for SageMaker), which cost more CPU per call than the call itself.
type SageMakerSdk = typeof import('@aws-sdk/client-sagemaker');
type IamSdk = typeof import('@aws-sdk/client-iam');
type StsSdk = typeof import('@aws-sdk/client-sts');

function once<T>(load: () => T): () => T {
  let module: T | undefined;
  return () => (module ??= load());
}

export const sagemakerSdk = once(() => require('@aws-sdk/client-sagemaker') as SageMakerSdk);
export const iamSdk = once(() => require('@aws-sdk/client-iam') as IamSdk);
export const stsSdk = once(() => require('@aws-sdk/client-sts') as StsSdk);
// The credential chain's links (./credentials.ts), each loaded when the chain first reaches it.
export const iniCredentialsSdk = once(() => require('@aws-sdk/credential-provider-ini') as typeof import('@aws-sdk/credential-provider-ini'));
export const webIdentitySdk = once(() => require('@aws-sdk/credential-provider-web-identity') as typeof import('@aws-sdk/credential-provider-web-identity'));
export const httpCredentialsSdk = once(() => require('@aws-sdk/credential-provider-http') as typeof import('@aws-sdk/credential-provider-http'));
export const imdsSdk = once(() => require('@smithy/credential-provider-imds') as typeof import('@smithy/credential-provider-imds'));
export const httpHandlerSdk = once(() => require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler'));
export const sharedConfigSdk = once(() => require('@smithy/core/config') as typeof import('@smithy/core/config'));
