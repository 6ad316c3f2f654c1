/**
 * How a Microsoft Dynamics 365 for Sales account connects: the single description of the three
 * authorization methods and their fields. The connect dialog, the server's validation, what is
 * stored encrypted, what the browser may see and which field a failed sign-in points at are all
 * derived from this file (see define-connection.ts). To add a field to a method, add it here.
 *
 * Microsoft's background for each method:
 * - auth code with PKCE: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 * - password (ROPC): https://learn.microsoft.com/entra/identity-platform/v2-oauth-ropc
 * - refresh tokens: https://learn.microsoft.com/entra/identity-platform/refresh-tokens
 * - the organization's Web API URL and version: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 */
import { z } from 'zod';
import type { AuthMethod } from '../../client/types';
import { connectionField, defineAuthMethods, variantOf, type AuthMethodDescription } from './define-connection';

const text = (max: number) => z.string().trim().min(1).max(max);
const secret = (max: number) => z.string().min(1).max(max);
/** A calendar date as a date input sends it. */
const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2027-06-30.')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Not a real date.');

/** The organization's address and API version, and where tokens come from: every method has these (URL checks in connection-config.ts). */
const serviceUrl = connectionField(text(2048), {
  label: 'Service URL',
  help: 'The address of your Dynamics 365 organization, as shown in the Power Platform admin center under Environments → your environment → Environment URL. For example https://contoso.crm.dynamics.com (regional hosts such as crm4 work too) or https://contoso.crm.microsoftdynamics.de.',
  widget: 'url',
  placeholder: 'https://<organization>.crm.dynamics.com',
  blamedFor: { codes: ['unsafe_url', 'network', 'timeout'], statuses: [404] },
});

const apiVersion = connectionField(z.string().trim().max(16), {
  label: 'API version',
  help: 'The Dataverse Web API version to call, such as v9.1. Leave it empty to use v9.2, the current version.',
  widget: 'text',
  placeholder: 'v9.2',
});

const identityEndpoint = connectionField(text(2048), {
  label: 'Identity endpoint',
  help: "Where tokens are requested. Leave empty for Microsoft's global cloud (https://login.microsoftonline.com/organizations); the German cloud and the sandbox are recognised from the service URL. Override it for other sovereign clouds or a specific tenant.",
  widget: 'url',
  placeholder: 'https://login.microsoftonline.com/<tenant>',
  advanced: true,
  blamedFor: { aadsts: [90002, 9001023] },
});

const clientId = connectionField(text(200), {
  label: 'Client ID',
  help: 'The Application (client) ID of your app registration: in the Azure portal open Microsoft Entra ID → App registrations → your app → Overview.',
  widget: 'text',
  placeholder: '00000000-0000-0000-0000-000000000000',
  blamedFor: { aadsts: [700016] },
});

const clientSecret = connectionField(secret(4096), {
  label: 'Client secret',
  help: 'A secret value of the same app registration, from Certificates & secrets → Client secrets. Azure shows the value only once, right after you create it.',
  widget: 'password',
  secret: true,
  blamedFor: { aadsts: [7000215, 7000216, 7000218, 7000222, 70002], codes: ['invalid_client'] },
});

const clientSecretExpiresOn = connectionField(isoDate, {
  label: 'Client secret expires on',
  help: 'The date Azure shows in the Expires column next to the secret. The catalog warns you two weeks before, so flows do not stop by surprise.',
  widget: 'date',
});

const coordinates = {
  serviceUrl,
  apiVersion: variantOf(apiVersion, { required: false }),
  identityEndpoint: variantOf(identityEndpoint, { required: false }),
};

export const AUTH_METHOD_DESCRIPTIONS = defineAuthMethods([
  {
    id: 'auth_code',
    title: 'Sign in with Microsoft (OAuth 2.0 auth code)',
    shortTitle: 'Microsoft sign-in',
    summary: 'You are sent to Microsoft to sign in and approve access; no password is stored here.',
    signIn: 'redirect',
    fields: {
      ...coordinates,
      clientId: variantOf(clientId, {
        required: false,
        advanced: true,
        help: 'Your own app registration to sign in through. Leave empty to use the one this installation is configured with.',
        placeholder: undefined,
      }),
      clientSecret: variantOf(clientSecret, {
        required: false,
        advanced: true,
        help: 'The secret of that app registration, when it is a confidential (web) app.',
      }),
    },
  },
  {
    id: 'basic_oauth',
    title: 'Provide tokens and client credentials (Basic OAuth)',
    shortTitle: 'Tokens and client credentials',
    summary: 'Paste an access and refresh token issued to your app registration, or let us generate them for you.',
    signIn: 'form',
    canGenerateTokens: true,
    fields: {
      serviceUrl: coordinates.serviceUrl,
      apiVersion: coordinates.apiVersion,
      accessToken: connectionField(secret(16_384), {
        label: 'Access token',
        help: 'A current access token for the organization, issued to the client ID below. It is renewed automatically with the refresh token.',
        widget: 'password',
        secret: true,
        fromTokens: 'accessToken',
      }),
      refreshToken: connectionField(secret(16_384), {
        label: 'Refresh token',
        help: 'The refresh token issued together with the access token (request the offline_access scope to get one).',
        widget: 'password',
        secret: true,
        fromTokens: 'refreshToken',
        blamedFor: { aadsts: [70000, 9002313, 70008, 700082] },
      }),
      clientId,
      clientSecret,
      clientSecretExpiresOn: variantOf(clientSecretExpiresOn, { required: false }),
      identityEndpoint: coordinates.identityEndpoint,
    },
  },
  {
    id: 'password',
    title: 'Username, password and client credentials (OAuth 2.0 password)',
    shortTitle: 'Username and password',
    summary: 'A Dynamics user signs in non-interactively through your app registration. Does not work for accounts that require MFA.',
    signIn: 'form',
    fields: {
      serviceUrl: coordinates.serviceUrl,
      apiVersion: coordinates.apiVersion,
      clientId,
      clientSecret,
      clientSecretExpiresOn: variantOf(clientSecretExpiresOn, { required: false }),
      username: connectionField(text(320), {
        label: 'Username',
        help: 'The Microsoft work account the flows act as, e.g. sales@contoso.onmicrosoft.com.',
        widget: 'email',
        blamedFor: { aadsts: [50034, 50053, 50057] },
      }),
      password: connectionField(secret(1024), {
        label: 'Password',
        help: 'The password of that account. It is encrypted at rest and never shown again.',
        widget: 'password',
        secret: true,
        blamedFor: { aadsts: [50126, 50055] },
      }),
      identityEndpoint: coordinates.identityEndpoint,
    },
  },
]);

/** The description declares exactly the client's three methods. */
export type AuthMethodId = (typeof AUTH_METHOD_DESCRIPTIONS)[number]['id'];
const _sameMethods: [AuthMethodId, AuthMethod] extends [AuthMethod, AuthMethodId] ? true : never = true;
void _sameMethods;

/** @example authMethod('password').fields.username.label // 'Username' */
export function authMethod(id: string): AuthMethodDescription<AuthMethod> {
  const method = AUTH_METHOD_DESCRIPTIONS.find((m) => m.id === id);
  if (!method) throw new Error(`unknown authorization method ${id}`);
  return method as AuthMethodDescription<AuthMethod>;
}
