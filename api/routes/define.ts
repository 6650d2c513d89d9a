/**
 * A route, declared once: its method and path, what it takes and answers (the zod schemas its
 * handler validates with and returns), who may call it, the problem codes it answers, and the
 * handler itself. A route file declares its routes with routeGroup(); the app mounts each group
 * (./table.ts) and the OpenAPI document (../openapi/document.ts) renders the same declarations, so
 * nothing about a route is written anywhere but beside its handler.
 *
 * Why not `@hono/zod-openapi`: its createRoute() validates with its own middleware and renders the
 * document through @asteasolutions/zod-to-openapi, so adopting it means replacing
 * ../http/validation.ts (problem+json `validation_failed` with its `errors`, the NUL and surrogate
 * refusal, path ids that are "not found" rather than invalid) and a renderer built on zod's own
 * z.toJSONSchema; roles and problem codes are not part of its route either. These few lines give
 * the same single source and keep the handlers' behaviour as it is.
 */
import { Hono, type Context, type Handler, type MiddlewareHandler } from 'hono';
import type { BlankEnv } from 'hono/types';
import type { Role } from '../../domain/statuses';
import {
  allowRoles,
  optionalClaims,
  requireRole,
  type AuthVariables,
  type OptionalClaimsVariables,
} from '../auth/middleware';
import type { TokenSettings } from '../auth/tokens';
import type { AppDependencies } from '../deps';
import type { Access, Operation } from '../openapi/operation';

/** What a group's setup may use: the app's dependencies, token settings and every route the app serves. */
export interface MountContext {
  deps: AppDependencies;
  tokens: TokenSettings;
  /** Every operation the app serves (what the API description renders). */
  served: readonly Operation[];
}

/** The context a handler sees: the caller as its access establishes it. */
export type EnvOf<A extends Access> = A extends 'public'
  ? BlankEnv
  : A extends 'optional-token'
    ? { Variables: OptionalClaimsVariables }
    : { Variables: AuthVariables };

type Answer = Response | Promise<Response>;

/** A route of a group whose setup gives `S`: an OpenAPI operation and the handler made from the setup. */
export interface RouteDefinition<S, A extends Access = Access> extends Omit<Operation, 'access'> {
  access: A;
  handler: (setup: S) => (c: Context<EnvOf<A>>) => Answer;
}

export interface RouteGroup {
  /** The OpenAPI path every route of the group starts with (`''` for the root). */
  prefix: string;
  operations: readonly Operation[];
  /** The group's Hono app, to mount at `honoPath(prefix)`. */
  build(context: MountContext): Hono;
}

/** OpenAPI's `{param}` as Hono's `:param`. */
export const honoPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

const roleList = (access: Access): readonly Role[] | null => (Array.isArray(access) ? access : null);

/** The checks a route's access adds to what its group's guard already did. */
function accessChecks(access: Access, guard: Access | undefined, tokens: TokenSettings): MiddlewareHandler[] {
  if (guard === undefined) {
    if (access === 'public') return [];
    if (access === 'optional-token') return [optionalClaims(tokens)];
    return [requireRole(tokens, ...(roleList(access) ?? []))];
  }
  const guarded = roleList(guard);
  const roles = roleList(access);
  if (guarded === null || roles === null) {
    if (access !== guard) throw new Error(`Routes: access ${String(access)} under a guard of ${String(guard)}`);
    return [];
  }
  if (!roles.every((role) => guarded.includes(role))) throw new Error('Routes: roles wider than their group guard');
  // The guard has authenticated the caller; only the narrower role list is left to check.
  return roles.length === guarded.length ? [] : [allowRoles(...roles)];
}

function guardOf(guard: Access, tokens: TokenSettings): MiddlewareHandler | null {
  if (guard === 'public') return null;
  if (guard === 'optional-token') return optionalClaims(tokens);
  return requireRole(tokens, ...(roleList(guard) ?? []));
}

/**
 * A group of routes under one path prefix, with one setup (repositories, helpers) its handlers
 * share. `guard`, when given, authenticates every request under the prefix, unknown paths
 * included (a missing token is 401 before a 404); routes then declare the same access, or fewer
 * roles.
 */
export function routeGroup<S>(spec: { prefix: string; guard?: Access; setup: (context: MountContext) => S }) {
  return {
    /** One route of this group (typed by its access: `c.var.principal` or `c.var.claims`). */
    route: <A extends Access>(definition: RouteDefinition<S, A>): RouteDefinition<S> =>
      definition as unknown as RouteDefinition<S>,
    /** The group, its routes registered in this order. */
    of(routes: readonly RouteDefinition<S>[]): RouteGroup {
      for (const route of routes) {
        if (!route.path.startsWith(spec.prefix)) throw new Error(`Routes: ${route.path} is outside ${spec.prefix}`);
      }
      const operations = routes.map(({ handler: _handler, ...operation }): Operation => operation);
      return {
        prefix: spec.prefix,
        operations,
        build(context) {
          const setup = spec.setup(context);
          const app = new Hono();
          const guard = spec.guard === undefined ? null : guardOf(spec.guard, context.tokens);
          if (guard) app.use(guard);
          for (const route of routes) {
            const path = honoPath(route.path.slice(spec.prefix.length)) || '/';
            const checks = accessChecks(route.access, spec.guard, context.tokens);
            const handlers: Handler[] = [...checks, route.handler(setup) as Handler];
            app.on(route.method.toUpperCase(), path, ...(handlers as [Handler]));
          }
          return app;
        },
      };
    },
  };
}
