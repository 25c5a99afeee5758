import { loadApp, ConfigError } from '../config/load-app.js';
import type { AppConfig, Collection } from '../config/types.js';
import { createAjv } from '../validation/ajv.js';
import { compileValidator, type RecordValidator } from '../validation/validator.js';
import { Permissions } from '../auth/permissions.js';
import { notFound } from '../http/errors.js';
import { loadWorkflows } from '../workflow/machine.js';
import type { WorkflowDef } from '../workflow/types.js';

/**
 * The application as currently configured: config, compiled validators and the permission
 * predicate. Built in one go from an app folder, so a reload swaps all of it or nothing.
 */
export class AppRuntime {
  readonly validators = new Map<string, RecordValidator>();
  readonly permissions: Permissions;
  /** Workflows by name (workflows/<name>.json), loaded and checked with the config. */
  readonly workflows: Map<string, WorkflowDef>;

  constructor(readonly config: AppConfig) {
    const ajv = createAjv();
    const problems: string[] = [];
    for (const [name, c] of config.collections) {
      try {
        this.validators.set(name, compileValidator(ajv, c.schema));
      } catch (err) {
        problems.push(`forms/${c.schemaFile}: ${(err as Error).message}`);
      }
    }
    if (problems.length) throw new ConfigError(problems);
    this.permissions = new Permissions(config.manifest);
    this.workflows = loadWorkflows(config, ajv);
  }

  /** The workflow a collection follows, if any. */
  workflowOf(collection: Collection): WorkflowDef | undefined {
    return collection.workflow ? this.workflows.get(collection.workflow) : undefined;
  }

  static load(root: string): AppRuntime {
    return new AppRuntime(loadApp(root));
  }

  collection(name: string): Collection {
    const c = this.config.collections.get(name);
    if (!c) throw notFound('集合');
    return c;
  }

  validator(name: string): RecordValidator {
    return this.validators.get(name)!;
  }

  get tree(): Collection {
    return this.collection(this.config.tree.collection);
  }

  /** Code-table versions a collection's schema refers to, noted on each record saved. */
  codeVersions(collection: Collection): Record<string, number> {
    const out: Record<string, number> = {};
    for (const prop of Object.values<any>(collection.schema.properties ?? {})) {
      const t = prop['x-codeTable'];
      if (t) out[t] = this.config.codes.get(t)!.version;
    }
    return out;
  }
}
