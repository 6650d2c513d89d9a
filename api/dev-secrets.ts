/** Development defaults of the API's secrets: published here, so production refuses them (published-secrets.ts). */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789';
export const DEV_PAYMENT_WEBHOOK_SECRET = 'dev-payment-webhook-secret';
export const DEV_CARRIER_WEBHOOK_SECRET = 'dev-carrier-webhook-secret';
