import type { Context, MiddlewareHandler } from 'hono';

/**
 * Runs `middleware` only for requests it concerns; the others pass straight through, without the
 * cost of another async layer (body limits for bodiless GETs and HEADs).
 */
export function when(applies: (c: Context) => boolean, middleware: MiddlewareHandler): MiddlewareHandler {
  return (c, next) => (applies(c) ? middleware(c, next) : next());
}
