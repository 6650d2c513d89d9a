/**
 * A browser without a browser, for the web pages' HTTP-level tests: plain fetch with a cookie jar,
 * redirects not followed (the tests look at them), and the CSRF token read from the page's forms.
 */
export interface WebAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<WebAnswer> {
    return this.send('GET', path, undefined, headers);
  }

  /** Posts a urlencoded form, as a browser's form submission would (same-origin). */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<WebAnswer> {
    return this.send('POST', path, new URLSearchParams(fields).toString(), {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /** The `_csrf` value of the first form on `path`. */
  async csrfTokenOf(path: string): Promise<string> {
    const page = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF field on ${path} (status ${page.status})`);
    return token;
  }

  private async send(method: string, path: string, body: string | undefined, headers: Record<string, string>) {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0\b/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
}

/** The attributes of the Set-Cookie line that sets `name`, lower-cased, or undefined. */
export function setCookieAttributes(headers: Headers, name: string): Map<string, string> | undefined {
  const line = headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
  if (!line) return undefined;
  const attributes = new Map<string, string>();
  for (const part of line.split(';').slice(1)) {
    const [key = '', ...value] = part.trim().split('=');
    attributes.set(key.toLowerCase(), value.join('='));
  }
  return attributes;
}
