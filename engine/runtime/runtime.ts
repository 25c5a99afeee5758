import type Handlebars from 'handlebars';
import { loadApp, ConfigError } from '../config/load-app.js';
import type { AppConfig, Collection } from '../config/types.js';
import type { ConfigSource } from '../config/source.js';
import { configErrors, schemaCompileError } from '../config/ajv-messages.js';
import { createAjv } from '../validation/ajv.js';
import { compileValidator, type RecordValidator } from '../validation/validator.js';
import { Permissions } from '../auth/permissions.js';
import { domainNotFound } from '../errors.js';
import { loadWorkflows } from '../workflow/machine.js';
import type { WorkflowDef } from '../workflow/types.js';
import { createHandlebars } from '../documents/helpers.js';
import { compileDocuments, type CompiledDocument } from '../documents/templates.js';

/**
 * The application as currently configured: config, compiled validators, workflows, print
 * templates and layouts, and the permission predicate. Built in one go from one config snapshot
 * (plain data: file path → content), so a reload swaps all of it or nothing, and nothing a
 * request uses is read from disk afterwards.
 */
export class AppRuntime {
  readonly validators = new Map<string, RecordValidator>();
  readonly permissions: Permissions;
  /** Workflows by name (workflows/<name>.json), loaded and checked with the config. */
  readonly workflows: Map<string, WorkflowDef>;
  /** The Handlebars environment with the print helpers (templates/README.md). */
  readonly handlebars: typeof Handlebars;
  /** Every collection's documents by "<collection>/<name>", templates compiled. */
  readonly documents: Map<string, CompiledDocument>;
  /**
   * The published config version this runtime was compiled from, set when it is put in force. A
   * record write names it, and the database refuses the write if another version was published
   * meanwhile (the record was validated against rules no longer in force).
   */
  configVersion: number | null = null;

  constructor(readonly config: AppConfig) {
    const ajv = createAjv();
    const problems: string[] = [];
    for (const [name, c] of config.collections) {
      const file = `forms/${c.schemaFile}`;
      if (!ajv.validateSchema(c.schema)) {
        problems.push(...configErrors(file, ajv.errors));
        continue;
      }
      try {
        this.validators.set(name, compileValidator(ajv, c.schema));
      } catch (err) {
        problems.push(...schemaCompileError(file, c.rawSchema, (err as Error).message));
      }
    }
    if (problems.length) throw new ConfigError(problems);
    this.permissions = new Permissions(config.manifest);
    this.workflows = loadWorkflows(config, ajv);
    this.handlebars = createHandlebars(config.codes);
    this.documents = compileDocuments(config, this.handlebars, problems);
    if (problems.length) throw new ConfigError(problems);
  }

  /** The workflow a collection follows, if any. */
  workflowOf(collection: Collection): WorkflowDef | undefined {
    return collection.workflow ? this.workflows.get(collection.workflow) : undefined;
  }

  /** A runtime from an application folder (read once into a snapshot) or from a snapshot. */
  static load(from: string | ConfigSource): AppRuntime {
    return new AppRuntime(loadApp(from));
  }

  collection(name: string): Collection {
    const c = this.config.collections.get(name);
    if (!c) throw domainNotFound('集合');
    return c;
  }

  validator(name: string): RecordValidator {
    return this.validators.get(name)!;
  }

  get tree(): Collection {
    return this.collection(this.config.tree.collection);
  }

  /** Code-table versions a collection's schema refers to (its child tables' columns included), noted on each record saved. */
  codeVersions(collection: Collection): Record<string, number> {
    const out: Record<string, number> = {};
    const note = (prop: any) => {
      const t = prop?.['x-codeTable'];
      if (t) out[t] = this.config.codes.get(t)!.version;
    };
    for (const prop of Object.values<any>(collection.schema.properties ?? {})) {
      note(prop);
      if (prop?.type === 'array' && prop.items?.type === 'object') Object.values<any>(prop.items.properties ?? {}).forEach(note);
    }
    return out;
  }
}
