/** Who is making a request, as the permission predicate needs it. */
export interface Grant {
  role: string;
  nodeId: string;
  /** Materialized path of the granted node: the grant covers every path that starts with it. */
  path: string;
}

export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  grants: Grant[];
  /** A user bound to one record (a self-service account). */
  self?: { collection: string; recordId: string };
  /** The password was set by someone else (first password, reset): nothing else until it is replaced. */
  mustChangePassword?: boolean;
  sessionId: string;
  csrf: string;
}
