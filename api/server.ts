/** Entry point of the API process: the platform's app, served by api/process.ts. */
import { runApiProcess } from './process';
import { createApp } from './app';

runApiProcess(createApp);
