import { Hono } from 'hono';

/** Placeholder: filled in by the documents work. */
export function documentsRoutes() {
  return new Hono();
}
