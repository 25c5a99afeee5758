/**
 * Heavy libraries loaded on first use, not at start-up: each of exceljs, puppeteer-core and
 * pdf-lib costs most of a second to load, and a server that never prints should not pay it.
 */
export const loadExcel = async () => (await import('exceljs')).default;
export const loadPuppeteer = async () => (await import('puppeteer-core')).default;
export const loadPdfLib = () => import('pdf-lib');
