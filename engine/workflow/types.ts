/** Shapes shared by the workflow modules: the evaluation environment and a loaded machine. */
import type { AnyStateMachine } from 'xstate';
import type { ValidateFunction } from 'ajv';
import type { AppRuntime } from '../runtime/runtime.js';
import type { Collection, JsonSchema } from '../config/types.js';
import type { Storage, StoredRecord } from '../ports.js';
import type { RecordService } from '../records/service.js';
import type { LookupContext } from '../directory/lookup.js';
import type { Actor } from '../auth/actor.js';
import type { FieldError } from '../validation/messages.js';

/**
 * What the workflow works with: the record service (every record an event writes, creates or
 * deletes goes through it), the facts its guards read, the lookup a created record may be filled
 * from, and the runtime in force. An Engine is one.
 */
export interface WorkflowDeps {
  readonly storage: Pick<Storage, 'db' | 'unitOfWork' | 'workflowFacts'> & LookupContext['storage'];
  readonly runtime: AppRuntime;
  readonly records: RecordService;
}

/** Why a guard said no: `forbidden` → 403, `invalid` → 422, `refused` → 409. */
export interface GuardFailure {
  kind: 'forbidden' | 'invalid' | 'refused';
  message: string;
  details: FieldError[];
}

/**
 * Everything a guard may look at, gathered before the machine runs (guards are synchronous).
 * `payload` is undefined while probing which events a user may send.
 */
export interface WorkflowEnv {
  runtime: AppRuntime;
  collection: Collection;
  record: StoredRecord;
  actor: Actor;
  payload: Record<string, unknown> | undefined;
  /** Records per collection hanging on this record's node (for `count`). */
  counts: Map<string, number>;
  /** Who last sent each event a `notSender` guard names (username; undefined when never sent). */
  senders: Map<string, string | null | undefined>;
  /** The data of the tree nodes the actor's grants are on, when an `above` guard asks for a kind of node. */
  grantNodes: Map<string, Record<string, unknown>>;
  /** Failures of the guards evaluated so far, each with how many guards passed before it. */
  failures: (GuardFailure & { depth: number })[];
}

export interface EventDef {
  type: string;
  title: string;
  /** JSON Schema of the payload, when the event carries one. */
  payload?: JsonSchema;
  validate?: ValidateFunction;
  /** The payload is a record of this collection (the UI shows its form). */
  form?: string;
  /** Payload field written to the audit entry's note. */
  note?: string;
  internal: boolean;
}

/** A loaded workflow: the XState machine with its id, version and the titles around it. */
export interface WorkflowDef {
  id: string;
  version: number;
  /** "id@version", stored on each record. */
  key: string;
  title: string;
  machine: AnyStateMachine;
  initial: string;
  events: Map<string, EventDef>;
  stateTitles: Map<string, string>;
  /** What the record's own person is told in a state, on their self-service page (meta.selfHint). */
  selfHints: Map<string, string>;
  /** Collections named by `count` guards: counted before the machine runs. */
  countedCollections: string[];
}

/** The persisted part of the machine's context; `$env` is added for one evaluation only. */
export type WorkflowContext = Record<string, unknown>;
