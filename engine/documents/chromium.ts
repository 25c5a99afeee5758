import { existsSync } from 'node:fs';
import { DomainError } from '../errors.js';

/** Where a Chromium or Chrome is usually installed, in the order they are tried. */
export const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** The answer when no browser can be found or started: 503 with a message an operator can act on. */
export const noBrowser = (detail: string) =>
  new DomainError('unavailable', 'pdf_unavailable', `服务器无法生成 PDF：${detail}。请安装 Chromium（如 apt-get install chromium），或用环境变量 PUPPETEER_EXECUTABLE_PATH 指定浏览器路径；打印预览（HTML）仍可使用`);

/**
 * The Chromium to drive: PUPPETEER_EXECUTABLE_PATH when set (and then only it), else the first
 * usual install path that exists. Throws the 503 error when there is none.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync): string {
  const configured = env.PUPPETEER_EXECUTABLE_PATH?.trim();
  if (configured) {
    if (exists(configured)) return configured;
    throw noBrowser(`PUPPETEER_EXECUTABLE_PATH 指向的浏览器 ${configured} 不存在`);
  }
  const found = CHROMIUM_PATHS.find(exists);
  if (!found) throw noBrowser('未找到 Chromium 或 Chrome 浏览器');
  return found;
}
