/**
 * What the accounts API accepts, derived from the connection description: a connect request is one
 * method's fields (each optional, since the server may fill values in) plus how the values are
 * supplied (the sandbox's own, or tokens generated earlier). No field is named here.
 */
import { z } from 'zod';
import { AUTH_METHOD_DESCRIPTIONS, authMethod } from '../connector/auth/connection-methods';
import { requestShape, type AuthMethodDescription } from '../connector/auth/define-connection';
import { SANDBOX_ORGANIZATIONS, type SandboxOrganization } from './sandbox-defaults';

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
// Control characters, and the invisible format characters (zero-width spaces and joiners,
// bidirectional overrides and isolates, the byte-order mark…), which make one name look like
// another or reorder the text shown around it. Names are kept in Unicode's composed form (NFC),
// so the same name typed two ways is one name.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const accountName = z
  .string()
  .trim()
  .overwrite((name) => name.normalize('NFC'))
  .min(1, 'Give the account a name.')
  .max(80, 'Use at most 80 characters.')
  .refine(
    (name) => !INVISIBLE_OR_CONTROL.test(name),
    'Use visible characters only: control and invisible formatting characters are not allowed.',
  );

/** How the values of a request are supplied besides being typed. */
function supplyShape(method: AuthMethodDescription) {
  return {
    /** Use the built-in sandbox: the server fills its service URL, identity endpoint and credentials. */
    useSandbox: z.boolean().optional(),
    /**
     * Which sandbox organization, with useSandbox: the first (when left out) or the second, with its
     * different schema. Optional rather than defaulted in the schema, so the request types stay the
     * same for callers that never name it; resolveConnection reads a missing one as 'first'.
     */
    sandboxOrganization: z.enum(SANDBOX_ORGANIZATIONS, { error: 'Choose the first or the second sandbox organization.' }).optional(),
    /** Sealed tokens from the "Generate tokens" helper, instead of pasted ones. */
    ...(method.canGenerateTokens ? { generatedTokens: z.string().min(1).max(32_768).optional() } : {}),
  };
}

const methodRequest = <T extends AuthMethodDescription>(method: T) =>
  z.strictObject({ method: z.literal(method.id as T['id']), ...requestShape(method), ...supplyShape(method) });

/** The fields of a method, by name, as the description declares them. */
type FieldValues = { [field: string]: string | boolean | undefined };

const [first, ...rest] = AUTH_METHOD_DESCRIPTIONS.map(methodRequest);
const credentials = z.discriminatedUnion('method', [first!, ...rest]);
export type ConnectCredentials = z.infer<typeof credentials> & FieldValues;
export const connectCredentialsSchema = credentials as unknown as z.ZodType<ConnectCredentials>;

export type CreateAccountRequest = ConnectCredentials & { name?: string };
export const createAccountSchema = credentials.and(
  z.object({ name: accountName.optional() }),
) as unknown as z.ZodType<CreateAccountRequest>;

export const updateAccountSchema = z.union([
  z.strictObject({ name: accountName }),
  z.strictObject({ credentials: connectCredentialsSchema }),
]);

/** "Sign in with Microsoft": the auth-code method's fields, for a new account or to sign an existing one in again. */
const authCode = authMethod('auth_code');
const oauthStart = z.strictObject({
  accountId: z.string().regex(ACCOUNT_ID).optional(),
  name: accountName.optional(),
  method: z.literal(authCode.id).optional(),
  ...requestShape(authCode),
  ...supplyShape(authCode),
});
export type OAuthStartRequest = {
  accountId?: string;
  name?: string;
  method?: 'auth_code';
  useSandbox?: boolean;
  sandboxOrganization?: SandboxOrganization;
} & FieldValues;
export const oauthStartSchema = oauthStart as unknown as z.ZodType<OAuthStartRequest>;

/** Microsoft's answer on the redirect back: checked in full by oauth4webapi, so only bounded here. */
export const oauthCallbackQuerySchema = z.record(z.string().max(64), z.string().max(16_384));

/** "Generate tokens": the password method's fields, used once for a password grant and never stored. */
const password = authMethod('password');
export type GenerateTokensRequest = FieldValues;
export const generateTokensSchema = z.strictObject(requestShape(password)) as unknown as z.ZodType<GenerateTokensRequest>;

export const accountIdParamsSchema = z.object({ id: z.string().regex(ACCOUNT_ID, 'Not a valid account id.') });
