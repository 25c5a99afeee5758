/** The shapes of the config files an application is made of (see forms/README.md). */

import type { ConfigSource } from './source.js';

export type JsonSchema = Record<string, any>;

export interface CodeEntry {
  code: string;
  label: string;
  parent?: string;
  deprecated?: string;
  replacedBy?: string[];
  provisional?: boolean;
  /** The label is not the official name (unknown yet): shown as 「名称待核实」 (expand-schema.ts). */
  labelPending?: boolean;
  note?: string;
}

export interface CodeTable {
  table: string;
  title: string;
  version: number;
  source?: string;
  codes: CodeEntry[];
}

export interface UniqueKey {
  fields: string[];
}

export interface CollectionConfig {
  title: string;
  schema: string;
  nodeField?: string;
  titleField?: string;
  listColumns?: string[];
  search?: string[];
  uniqueKeys?: UniqueKey[];
  completeness?: boolean;
  workflow?: string;
  documents?: Record<string, unknown>;
  /**
   * What the plain record API may do (default all three). A collection whose records are made
   * and removed by another record's workflow lists only "update": creating, deleting or moving
   * one goes through that workflow's guards, never around them.
   */
  direct?: ('create' | 'update' | 'delete')[];
  /** Tells the person where the refused operation is done instead. */
  directHint?: string;
  /** Look a record up by a key among stored records and an imported directory (engine/directory). */
  lookup?: LookupConfig;
  /** Fields of a tree node kept current from the people granted roles on it (engine/grants). */
  derivedFromGrants?: Record<string, DerivedFromGrant>;
}

export interface LookupConfig {
  /** Fields that identify a record, each searchable on its own. */
  keys: string[];
  /** A key that yields another: `to` = characters start (inclusive) to end (exclusive) of `from`. */
  derive?: { from: string; start: number; end: number; to: string }[];
}

export interface DerivedFromGrant {
  /** Roles whose holder supplies the value, in order of preference. */
  roles: string[];
  /** Field of the holder's bound record (e.g. a member's name or mobile number). */
  field: string;
  /** Used when the holder has no bound record: the account's display name. */
  fallback?: 'displayName';
}

export interface RoleConfig {
  title: string;
  permissions: Permission[];
  /** Held by a user bound to one record of this collection; reads only that record. */
  self?: string;
  /**
   * Field of the bound record whose value is the username an admin's "open account" proposes
   * (e.g. an identity number); without it the admin types one.
   */
  username?: string;
  /**
   * "global": the role's power is not limited to a subtree (the config permission: code tables and
   * the whole config), so a grant of it counts only on the tree's root, and only someone holding
   * "grant" on the root grants or revokes it. Default "subtree": a grant covers its node's subtree.
   */
  scope?: 'subtree' | 'global';
  /**
   * The kinds of tree node the role fits, by a field of the node (e.g. a branch secretary only on
   * nodes whose category is a branch): offered and granted only there. Absent: every node.
   */
  nodeKinds?: { field: string; values: string[] };
}

/** Permissions whose power reaches beyond any subtree: only a role of scope "global" may carry them. */
export const GLOBAL_PERMISSIONS: readonly Permission[] = ['config'];

export type Permission = 'read' | 'write' | 'grant' | (string & {});

export interface TreeConfig {
  collection: string;
  parentField: string;
  labelField: string;
  fullNameField?: string;
}

export interface AppManifest {
  name: string;
  title: string;
  essentialLabel?: string;
  /** Shown under the login form to everyone: who the usernames are, whom to ask for a new password. */
  loginNote?: string;
  tree: TreeConfig;
  collections: Record<string, CollectionConfig>;
  roles: Record<string, RoleConfig>;
  demo?: string[];
  /** Four-eyes for config versions: one config admin proposes a draft, another publishes (approves) it. */
  publishNeedsSecondAdmin?: boolean;
}

/** A collection with its schema loaded and resolved. */
export interface Collection extends Omit<CollectionConfig, 'schema'> {
  /** The schema file name in forms/. */
  schemaFile: string;
  name: string;
  /** The schema as written in forms/. */
  rawSchema: JsonSchema;
  /** The schema with code tables expanded: what validation and the UI use. */
  schema: JsonSchema;
  isTree: boolean;
}

export interface AppConfig {
  /** The folder the config was read from ('' when it did not come from disk). */
  root: string;
  /** Every config file as read, once: templates, layouts, workflows and demo data come from here, never from disk. */
  source: ConfigSource;
  manifest: AppManifest;
  collections: Map<string, Collection>;
  codes: Map<string, CodeTable>;
  tree: TreeConfig;
}
