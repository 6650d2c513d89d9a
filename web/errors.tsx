/**
 * What a page shows when the API refuses: an expired session sends the shopper to sign in again
 * (and back), a missing resource is a 404 page, any other problem is its sentence
 * (./problem-messages.ts). Unexpected errors go on to the app's onError, which logs them.
 */
import type { Context } from 'hono';
import { ApiProblem } from './api-client';
import type { WebEnv, WebParts } from './context';
import { problemMessage } from './problem-messages';

export function loginRedirect(c: Context<WebEnv>): Response {
  const back = c.req.method === 'GET' ? c.req.path : (c.req.header('Referer') ?? '/');
  return c.redirect(`/login?next=${encodeURIComponent(back.startsWith('/') ? back : '/')}`, 303);
}

export function pageErrorHandler({ render, cookies }: WebParts) {
  return (error: Error, c: Context<WebEnv>): Response | Promise<Response> => {
    if (!(error instanceof ApiProblem)) throw error;
    if (error.status === 401) {
      cookies.endSession(c);
      return loginRedirect(c);
    }
    if (error.status === 404) {
      return render(
        c,
        'Not found',
        <>
          <h1>Not found</h1>
          <p>We could not find that page. It may have been removed, or it belongs to another account.</p>
          <p>
            <a href="/">Back to the products</a>
          </p>
        </>,
        { status: 404 },
      );
    }
    const status = error.status >= 500 ? 502 : error.status === 403 ? 403 : 400;
    return render(
      c,
      'Something went wrong',
      <>
        <h1>That did not work</h1>
        <p class="alert" role="alert">
          {problemMessage(error.problem)}
        </p>
      </>,
      { status },
    );
  };
}
