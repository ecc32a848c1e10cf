/** A cluster read that cannot start (no kubeconfig, an unknown context): the message says what to do. */
export class ClusterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClusterError';
  }
}

export function isClusterError(error: unknown): error is ClusterError {
  return error instanceof ClusterError;
}
