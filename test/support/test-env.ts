/** Where global-setup put the shared test services. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (npm test), whose global setup sets it`);
  return value;
}

export const testEnv = {
  get databaseUrl(): string {
    return required('TEST_DATABASE_URL');
  },
  get redisUrl(): string {
    return required('TEST_REDIS_URL');
  },
  get redisPrefix(): string {
    return required('TEST_REDIS_PREFIX');
  },
  get temporalAddress(): string {
    return required('TEST_TEMPORAL_ADDRESS');
  },
  get workflowBundle(): string {
    return required('TEST_WORKFLOW_BUNDLE');
  },
};
