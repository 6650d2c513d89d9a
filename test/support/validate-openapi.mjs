// Validates the OpenAPI document on standard input against the official OpenAPI schemas that
// @seriousme/openapi-schema-validator ships, offline, and prints its verdict as JSON. A separate
// process because the validator is an ES module and Jest runs the tests as CommonJS.
import { Validator } from '@seriousme/openapi-schema-validator';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const result = await new Validator().validate(JSON.parse(input));
process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors ?? [] }));
