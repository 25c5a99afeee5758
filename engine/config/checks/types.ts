import type { AppConfig } from '../types.js';

/**
 * One kind of config check, run by `npm run check` and before every live reload. Returns each
 * problem as "file: place: what is wrong".
 */
export type ConfigCheck = (app: AppConfig) => string[] | Promise<string[]>;
