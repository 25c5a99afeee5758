import type { AppConfig } from '../types.js';
import type { AppRuntime } from '../../runtime/runtime.js';

/** What a check found: problems refuse the config; warnings are reported and let it through. */
export interface CheckFindings { problems: string[]; warnings: string[] }

/**
 * One kind of config check, run by `npm run check` and before every live reload, on a config
 * that loaded and compiled (`runtime`: its validators, workflows and templates). Returns each
 * problem as "file: place: what is wrong" (a plain list: all problems).
 */
export type ConfigCheck = (app: AppConfig, runtime: AppRuntime) => string[] | CheckFindings | Promise<string[] | CheckFindings>;
