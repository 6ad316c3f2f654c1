import { z } from 'zod';
import { MAX_TOKEN_DAYS } from './api-token-expiry';

export const createApiTokenSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the token a name.').max(80),
    // Every token expires: omitted means the default lifetime; there is no "never".
    expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).optional(),
  })
  .strict();

export const idParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'Not a valid id.'),
});
