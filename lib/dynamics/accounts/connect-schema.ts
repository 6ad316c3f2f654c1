import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const secret = z.string().min(1).max(16_384);

/** A calendar date as a date input sends it; empty clears it. */
const isoDate = z.union([
  z.literal(''),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2027-06-30.')
    .refine((v) => !Number.isNaN(Date.parse(v)), 'Not a real date.'),
]);

/** Fields common to every method. URL shapes are checked by account-config after parsing. */
const common = {
  serviceUrl: text(2048).optional(),
  apiVersion: z.string().trim().max(10).optional(),
  identityEndpoint: z.string().trim().max(2048).optional(),
  /** Use the built-in sandbox: the server fills its service URL, identity endpoint and credentials. */
  useSandbox: z.boolean().optional(),
};

export const connectCredentialsSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('auth_code'), ...common, clientId: text(200).optional(), clientSecret: secret.optional() }).strict(),
  z
    .object({
      method: z.literal('basic_oauth'),
      ...common,
      accessToken: secret.optional(),
      refreshToken: secret.optional(),
      clientId: text(200).optional(),
      clientSecret: secret.optional(),
      /** Sealed tokens from the "Generate tokens" helper, instead of pasted ones. */
      generatedTokens: z.string().min(1).max(32_768).optional(),
      clientSecretExpiresOn: isoDate.optional(),
    })
    .strict(),
  z
    .object({
      method: z.literal('password'),
      ...common,
      clientId: text(200).optional(),
      clientSecret: secret.optional(),
      username: text(320).optional(),
      password: secret.optional(),
      clientSecretExpiresOn: isoDate.optional(),
    })
    .strict(),
]);
export type ConnectCredentials = z.infer<typeof connectCredentialsSchema>;

const accountName = z.string().trim().min(1, 'Give the account a name.').max(80, 'Use at most 80 characters.');

export const createAccountSchema = connectCredentialsSchema.and(z.object({ name: accountName.optional() }));

export const updateAccountSchema = z.union([
  z.object({ name: accountName }).strict(),
  z.object({ credentials: connectCredentialsSchema }).strict(),
]);

export const oauthStartSchema = z
  .object({
    accountId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    name: accountName.optional(),
    method: z.literal('auth_code').optional(),
    serviceUrl: text(2048).optional(),
    apiVersion: z.string().trim().max(10).optional(),
    identityEndpoint: z.string().trim().max(2048).optional(),
    clientId: text(200).optional(),
    clientSecret: secret.optional(),
    useSandbox: z.boolean().optional(),
  })
  .strict();

export const generateTokensSchema = z
  .object({
    serviceUrl: text(2048),
    identityEndpoint: z.string().trim().max(2048).optional(),
    clientId: text(200),
    clientSecret: secret,
    username: text(320),
    password: secret,
  })
  .strict();

export const accountIdParamsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid account id.') });
