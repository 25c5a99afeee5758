import { Hono } from 'hono';

/** Placeholder: filled in by the events work. */
export function eventsRoutes() {
  return new Hono();
}
