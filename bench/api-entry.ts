/**
 * The API process as the benchmark runs it: the platform's app, plus GET /bench/bare registered
 * ahead of every middleware, so the catalog figure can be compared with Node + Hono alone in the
 * same process and the same run. The product's own entry (api/server.ts) has no such route.
 */
import { runApiProcess } from '../api/process';
import { Hono } from 'hono';
import { createApp } from '../api/app';

runApiProcess((deps) => new Hono().get('/bench/bare', (c) => c.text('ok')).route('/', createApp(deps)));
