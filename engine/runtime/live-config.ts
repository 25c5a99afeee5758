import { watch, type FSWatcher, existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkApp } from '../config/checks/index.js';
import { readConfigFolder, type ConfigSource } from '../config/source.js';
import type { AppRuntime } from './runtime.js';

export interface ConfigStatus {
  /** The published config version in force (X-Config-Generation); clients compare it to know when to refetch schemas. */
  generation: number;
  loadedAt: string;
  /** Problems of the last refused change (the previous config stays in force), or []. */
  problems: string[];
  refusedAt: string | null;
  /** What the config in force leaves unresolved in stored data (e.g. records in vanished states). */
  warnings: string[];
}

/** Runs after a config is put in force; may return warnings about stored data. */
export type ConfigListener = (next: AppRuntime, previous: AppRuntime) => Promise<string[] | void> | string[] | void;

/** Runs on a config that passed the checks, before it is put in force; any problem returned refuses it. */
export type ConfigGate = (next: AppRuntime, previous: AppRuntime) => Promise<string[]>;

/** Publishes a checked snapshot read from the folder as a new config version and puts it in force; returns its number. */
export type ConfigRecorder = (source: ConfigSource, next: AppRuntime, previous: AppRuntime) => Promise<number>;

/**
 * The application config in force, kept live: the published config version (from the database)
 * is swapped in as a whole by apply() after its publish committed, so a request sees one version
 * or the next, never half of one. In the developer mode (watch()) a change to forms/, workflows/
 * or templates/ is loaded and checked as a whole; if it passes, it is recorded as a new version
 * and put in force at once, otherwise it is refused, its problems logged and reported, and the
 * last good config stays.
 */
export class LiveConfig {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<ConfigStatus> | undefined;
  private listeners: ConfigListener[] = [];
  private gates: ConfigGate[] = [];
  /** What the checks of the config in force warned about (reported with the listeners' warnings). */
  private checkWarnings: string[] = [];
  private recorder: ConfigRecorder | undefined;
  /** Notices beside the warnings that stay until dismissed by a publish (e.g. a release's files became a draft). */
  private notices: string[] = [];
  status: ConfigStatus;

  constructor(readonly root: string, public current: AppRuntime, version = 1) {
    current.configVersion = version;
    this.status = { generation: version, loadedAt: new Date().toISOString(), problems: [], refusedAt: null, warnings: [] };
  }

  /** The config version in force. */
  get version(): number {
    return this.status.generation;
  }

  /** How a change read from the folder (developer mode) becomes a version before it is put in force. */
  recordReloadsWith(fn: ConfigRecorder) {
    this.recorder = fn;
  }

  /** Told to config admins in the status until the next publish (a release's files waiting as a draft). */
  notice(message: string) {
    this.notices.push(message);
    this.status = { ...this.status, warnings: [...this.status.warnings, message] };
    console.warn(`配置提示：${message}`);
  }

  /**
   * Puts a checked runtime in force as config version `version`, after that version was
   * committed; the version in force or an older one is ignored (two swaps racing keep the newer).
   */
  async apply(runtime: AppRuntime, version: number, warnings: string[] = [], recorded = true): Promise<boolean> {
    if (version <= this.status.generation) return false;
    const previous = this.current;
    // A runtime no stored version holds (a folder reload without a recorder) names none, so the
    // database does not refuse writes made under it.
    runtime.configVersion = recorded ? version : null;
    this.current = runtime;
    this.checkWarnings = warnings;
    this.notices = [];
    this.status = { generation: version, loadedAt: new Date().toISOString(), problems: [], refusedAt: null, warnings };
    await this.settle(previous);
    return true;
  }

  /** Called after each successful swap (e.g. to recompute data that depends on code tables). */
  onChange(fn: ConfigListener) {
    this.listeners.push(fn);
  }

  /** Checks that need more than the files (e.g. the stored records); they can refuse a change. */
  onCheck(fn: ConfigGate) {
    this.gates.push(fn);
  }

  /** Runs the listeners for the config in force (at start-up, with itself as previous). */
  async settle(previous = this.current): Promise<void> {
    const warnings: string[] = [...this.checkWarnings, ...this.notices];
    for (const fn of this.listeners) warnings.push(...((await fn(this.current, previous)) ?? []));
    this.status = { ...this.status, warnings };
    for (const w of warnings) console.warn(`配置提示：${w}`);
  }

  /** Loads and checks the folder now (developer mode); concurrent calls share one load. */
  reload(): Promise<ConfigStatus> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async load(): Promise<ConfigStatus> {
    const source = readConfigFolder(this.root);
    const { runtime, problems, warnings } = await checkApp(source);
    for (const gate of runtime ? this.gates : []) problems.push(...(await gate(runtime!, this.current)));
    if (runtime && !problems.length && this.recorder) {
      // The recorder publishes the files as a version and puts it in force itself.
      try {
        await this.recorder(source, runtime, this.current);
        return this.status;
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    if (!runtime || problems.length) {
      this.status = { ...this.status, problems, refusedAt: new Date().toISOString() };
      console.error(`配置变更被拒绝，继续使用上一版配置：\n- ${problems.join('\n- ')}`);
      return this.status;
    }
    await this.apply(runtime, this.status.generation + 1, warnings, false);
    return this.status;
  }

  /** Developer mode (CAIJI_CONFIG_WATCH=1): watches the config folders; bursts of file events become one reload. */
  watch(): void {
    for (const dir of ['forms', 'workflows', 'templates'].map((d) => join(this.root, d)).filter(existsSync)) {
      const w = watch(dir, { recursive: true }, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(), 200);
      });
      w.on('error', (err) => console.error(`无法监视 ${dir}: ${err.message}`));
      this.watchers.push(w);
    }
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}
