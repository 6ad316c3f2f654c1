import { z } from 'zod';

export const createApiTokenSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the token a name.').max(80),
    expiresInDays: z.number().int().min(1).max(365).nullable().optional(),
  })
  .strict();

export const idParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'Not a valid id.'),
});
