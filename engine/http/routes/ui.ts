import { Hono } from 'hono';

/** Placeholder: filled in by the ui work. */
export function uiRoutes() {
  return new Hono();
}
