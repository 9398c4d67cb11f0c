import type { EndpointFailureRule } from './faults';
import type { State } from './state';

/** What the endpoint knows about one signed AWS request. */
export interface RequestContext {
  account: string;
  region: string;
  accessKeyId: string;
  requestId: string;
}

/** What the service implementations share: the stored state and the run-time settings that change their answers. */
export interface Backend {
  state: State;
  /** Seconds after CreateRole during which SageMaker cannot assume the role yet (0 = at once). */
  iamPropagationSeconds(): number;
  /** How long a SageMaker endpoint stays Creating, Updating or Deleting, in milliseconds. */
  transitionMs: number;
  /** The injected failure, if any, for a deployment of this endpoint (see faults.ts). */
  endpointFailure(name: string, during: 'create' | 'update'): EndpointFailureRule | undefined;
  /** Called after every operation that changed the state. */
  changed(): void;
  /** Answer as moto-based emulators (LocalStack) do: `{}` for structures that were never set. */
  motoCompat: boolean;
}
