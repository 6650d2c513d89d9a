/**
 * Signing in and out. Signing in asks the API for a token (POST /v1/auth/token, whose failed-login
 * limits key on the shopper's own address: see api/http/in-process.ts), keeps it in the session
 * cookie, then merges the guest cart into the customer's (POST /v1/me/cart/merge) as docs/api.md#storefront asks a
 * storefront to. Signing out ends the token (POST /v1/auth/logout) and forgets it.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiProblem } from './api-client';
import { tokenSchema, cartSchema } from '../contract/response-schemas';
import type { WebEnv, WebParts } from './context';
import { Alert, CsrfField } from './layout';
import { problemMessage } from './problem-messages';
import { safeNext } from './render';
import { sessionOf } from './session';

interface LoginFormProps {
  csrfToken: string;
  next: string;
  email?: string;
  error?: string;
}

function LoginForm({ csrfToken, next, email, error }: LoginFormProps) {
  return (
    <>
      <h1>Sign in</h1>
      <Alert message={error} />
      <form method="post" action="/login" class="stack card">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <div>
          <button type="submit">Sign in</button>
        </div>
      </form>
    </>
  );
}

const field = (form: Record<string, unknown>, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value : '';
};

export function authRoutes({ render, cookies }: WebParts) {
  return new Hono<WebEnv>()
    .get('/login', (c) => {
      const next = safeNext(c.req.query('next'), new URL(c.req.url).origin);
      return render(c, 'Sign in', <LoginForm csrfToken={c.get('csrfToken')} next={next} />);
    })
    .post('/login', async (c) => {
      const form = await c.req.parseBody();
      const email = field(form, 'email').trim();
      const next = safeNext(field(form, 'next'), new URL(c.req.url).origin);
      let token: { accessToken: string; expiresIn: number };
      try {
        token = await c.get('api').call('POST', '/v1/auth/token', tokenSchema, {
          body: { email, password: field(form, 'password') },
        });
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        const message = problemMessage(error.problem);
        return render(
          c,
          'Sign in',
          <LoginForm csrfToken={c.get('csrfToken')} next={next} email={email} error={message} />,
          {
            status: error.status === 429 ? 429 : error.status === 401 ? 401 : 400,
          },
        );
      }
      cookies.startSession(c, token.accessToken, token.expiresIn);
      const session = sessionOf(token.accessToken);
      const guestCart = cookies.guestCartId(c);
      if (guestCart && session?.role === 'customer') {
        try {
          await c
            .get('api')
            .as(token.accessToken)
            .call('POST', '/v1/me/cart/merge', cartSchema, { body: { cartId: guestCart } });
          cookies.forgetGuestCart(c);
        } catch (error) {
          if (!(error instanceof ApiProblem)) throw error;
          // A guest cart already checked out, merged or gone has nothing left to bring over; after
          // a server error the cookie stays, so the next sign-in tries again. Signing in succeeded.
          if (error.status < 500) cookies.forgetGuestCart(c);
        }
      }
      return c.redirect(next, 303);
    })
    .post('/logout', async (c) => {
      // The token itself must stop working, not only leave this browser: a copy of the cookie
      // (another tab's request in flight, a stolen value) would be signed in until it expires.
      if (c.get('session')) {
        try {
          await c.get('api').call('POST', '/v1/auth/logout', z.undefined(), { body: {} });
        } catch (error) {
          // A token the API refuses already (expired, ended) has nothing left to end.
          if (!(error instanceof ApiProblem) || error.status !== 401) throw error;
        }
      }
      cookies.endSession(c);
      return c.redirect('/', 303);
    });
}
